#include "server/task_commands.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/deadline.h"
#include "domain/legal_case.h"
#include "domain/phase.h"
#include "server/letter_commands.h"
#include "server/policy.h"
#include "server/volunteer_commands.h"

namespace rectify::server {
namespace {

using domain::OrgKind;
using domain::Task;

// Organisations that can be made responsible for fixing something.
bool CanBeResponsible(OrgKind kind) {
  switch (kind) {
    case OrgKind::kPropertyCompany:
    case OrgKind::kCommittee:
    case OrgKind::kStreetOffice:
    case OrgKind::kPropertyCentre:
    case OrgKind::kSanitationDepartment:
    case OrgKind::kEnforcementBureau:
      return true;
    default:
      return false;
  }
}

absl::Status CheckEtag(const Task& task, absl::string_view etag) {
  if (etag.empty() || etag == absl::StrCat(task.version)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("task '", task.id, "' has changed: its etag is now '",
                                         task.version, "', you sent '", etag,
                                         "'; read it again and retry"));
}

}  // namespace

absl::StatusOr<absl::TimeZone> CampaignTimeZone(const domain::Campaign& campaign) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(campaign.time_zone, &tz)) {
    return absl::FailedPreconditionError(absl::StrCat("campaign '", campaign.id,
                                                      "' has time zone '", campaign.time_zone,
                                                      "', which this server cannot load"));
  }
  return tz;
}

absl::StatusOr<Task> TaskCommands::Create(storage::WriteTx& tx, const Principal& who,
                                          Task draft, bool source_given) const {
  RECTIFY_RETURN_IF_ERROR(domain::ValidateNewTask(draft));
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(draft.campaign_id));
  if (campaign.phase == domain::Phase::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("campaign '", campaign.id, "' is closed; no new tasks can be opened"));
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(draft.community_id));
  RECTIFY_RETURN_IF_ERROR(CheckCanCreateTask(tx, who, draft.campaign_id, community));
  if (draft.category == domain::kEnforcementServiceLevel) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'category': '", draft.category,
        "' is the enforcement bureau's service level for escalated legal cases, not a task "
        "category; a problem involving the law is 'legal' (and opens a legal case)"));
  }
  absl::StatusOr<domain::ServiceLevel> level = rules_.service_levels.Find(draft.category);
  if (!level.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("'category': ", level.status().message()));
  }
  if (who.person.role == domain::Role::kVolunteer) {
    draft.source = domain::TaskSource::kVolunteerReport;
  } else if (!source_given) {
    draft.source = who.person.role == domain::Role::kPropertyStaff
                       ? domain::TaskSource::kSelfCheck
                       : domain::TaskSource::kSupervisor;
  }
  if (draft.id.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("task"));
    draft.id = absl::StrCat("T-", n);
  }
  const absl::Time now = clock_.Now();
  draft.street_office_id = community.street_office_id;
  draft.state = domain::TaskState::kOpen;
  draft.sla_unit = level->unit;
  draft.created_by = who.person.id;
  draft.create_time = now;
  draft.update_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.CreateTask(draft));
  domain::Event event;
  event.type = "task.created";
  event.subject = absl::StrCat("tasks/", draft.id);
  event.campaign_id = draft.campaign_id;
  event.actor_person_id = who.person.id;
  event.actor_org_id = who.organisation.id;
  event.time = now;
  event.to_state = std::string(domain::TaskStateName(draft.state));
  event.audience = domain::TaskAudience(draft);
  event.details = {{"community_id", draft.community_id},
                   {"category", draft.category},
                   {"source", std::string(domain::TaskSourceName(draft.source))}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return draft;
}

absl::StatusOr<TaskChange> TaskCommands::Change(storage::WriteTx& tx, const TaskRef& ref,
                                                const Operation& operation) const {
  RECTIFY_ASSIGN_OR_RETURN(Task task, tx.GetTask(ref.id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag(task, ref.etag));
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event, operation(task, clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.SaveTask(task));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return TaskChange{std::move(task), std::move(event)};
}

absl::StatusOr<TaskChange> TaskCommands::Dispatch(storage::WriteTx& tx, const Principal& who,
                                                  const TaskRef& ref, std::string org_id,
                                                  std::string person_id,
                                                  std::optional<absl::Time> deadline_override,
                                                  std::string note) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) -> absl::StatusOr<domain::Event> {
    // The state and the caller first, so that a wrong move is named as such
    // before its arguments are looked at.
    RECTIFY_RETURN_IF_ERROR(
        domain::CheckAction(task, domain::TaskAction::kDispatch, who.actor()).status());
    if (org_id.empty()) {
      return absl::InvalidArgumentError("'responsible_org_id' is required");
    }
    absl::StatusOr<domain::Organisation> org = tx.GetOrganisation(org_id);
    if (absl::IsNotFound(org.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("'responsible_org_id': no organisation '", org_id, "'"));
    }
    RECTIFY_RETURN_IF_ERROR(org.status());
    if (!CanBeResponsible(org->kind)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'responsible_org_id': '", org_id, "' is a ", domain::OrgKindName(org->kind),
          ", which cannot be a responsible subject; choose a property company, committee, "
          "street office or department"));
    }
    if (person_id.empty()) person_id = org->head_person_id;
    if (person_id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'responsible_person_id' is required: organisation '", org_id, "' has no head named"));
    }
    absl::StatusOr<domain::Person> person = tx.GetPerson(person_id);
    if (absl::IsNotFound(person.status()) ||
        (person.ok() && person->organisation_id != org_id)) {
      return absl::InvalidArgumentError(absl::StrCat("'responsible_person_id': '", person_id,
                                                     "' is not a person of '", org_id, "'"));
    }
    RECTIFY_RETURN_IF_ERROR(person.status());
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(task.campaign_id));
    RECTIFY_RETURN_IF_ERROR(CheckLetterForDispatch(tx, campaign, task.community_id));
    RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, CampaignTimeZone(campaign));
    RECTIFY_ASSIGN_OR_RETURN(domain::ServiceLevel base,
                             rules_.service_levels.Find(task.category));
    const domain::ServiceLevel level = domain::ServiceLevelInPhase(campaign, base);
    domain::DispatchArgs args;
    args.responsible_org_id = org_id;
    args.responsible_person_id = person_id;
    args.sla_unit = level.unit;
    args.deadline = deadline_override.has_value()
                        ? *deadline_override
                        : domain::DeadlineCalculator(rules_.calendar, tz).Deadline(now, level);
    args.note = std::move(note);
    return domain::Dispatch(task, who.actor(), args, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Acknowledge(storage::WriteTx& tx, const Principal& who,
                                                     const TaskRef& ref) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::Acknowledge(task, who.actor(), now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Return(storage::WriteTx& tx, const Principal& who,
                                                const TaskRef& ref, std::string reason) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::Return(task, who.actor(), reason, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Start(storage::WriteTx& tx, const Principal& who,
                                               const TaskRef& ref) const {
  return Change(tx, ref,
                [&](Task& task, absl::Time now) { return domain::Start(task, who.actor(), now); });
}

absl::StatusOr<TaskChange> TaskCommands::Submit(storage::WriteTx& tx, const Principal& who,
                                                const TaskRef& ref,
                                                domain::SubmitArgs args) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::Submit(task, who.actor(), std::move(args), now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Verify(storage::WriteTx& tx, const Principal& who,
                                                const TaskRef& ref, std::string comment) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) -> absl::StatusOr<domain::Event> {
    const Task submitted = task;
    RECTIFY_ASSIGN_OR_RETURN(domain::Event event, domain::Verify(task, who.actor(), comment, now));
    RECTIFY_RETURN_IF_ERROR(RecordOnSiteChecks(tx, submitted, event));
    return event;
  });
}

absl::StatusOr<TaskChange> TaskCommands::Reject(storage::WriteTx& tx, const Principal& who,
                                                const TaskRef& ref, std::string reason) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) -> absl::StatusOr<domain::Event> {
    const Task submitted = task;
    RECTIFY_ASSIGN_OR_RETURN(domain::Event event, domain::Reject(task, who.actor(), reason, now));
    RECTIFY_RETURN_IF_ERROR(RecordOnSiteChecks(tx, submitted, event));
    return event;
  });
}

absl::StatusOr<TaskChange> TaskCommands::Suspend(storage::WriteTx& tx, const Principal& who,
                                                 const TaskRef& ref,
                                                 domain::SuspendArgs args) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::Suspend(task, who.actor(), args, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Resume(storage::WriteTx& tx, const Principal& who,
                                                const TaskRef& ref) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) -> absl::StatusOr<domain::Event> {
    RECTIFY_RETURN_IF_ERROR(
        domain::CheckAction(task, domain::TaskAction::kResume, who.actor()).status());
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(task.campaign_id));
    RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, CampaignTimeZone(campaign));
    const absl::Time deadline = domain::DeadlineCalculator(rules_.calendar, tz)
                                    .ResumeDeadline(task.deadline, task.suspended_at, now,
                                                    task.sla_unit);
    return domain::Resume(task, who.actor(), deadline, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Void(storage::WriteTx& tx, const Principal& who,
                                              const TaskRef& ref, std::string reason) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::Void(task, who.actor(), reason, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::RequestExtension(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          const TaskRef& ref,
                                                          absl::Time new_deadline,
                                                          std::string reason) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) -> absl::StatusOr<domain::Event> {
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(task.campaign_id));
    return domain::RequestExtension(task, who.actor(), new_deadline, reason,
                                    campaign.max_extensions, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::DecideExtension(
    storage::WriteTx& tx, const Principal& who, const TaskRef& ref,
    domain::ExtensionDecision decision) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::DecideExtension(task, who.actor(), decision, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::Urge(storage::WriteTx& tx, const Principal& who,
                                              const TaskRef& ref, std::string opinion) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::Urge(task, who.actor(), opinion, now);
  });
}

absl::StatusOr<TaskChange> TaskCommands::ReplyUrge(storage::WriteTx& tx, const Principal& who,
                                                   const TaskRef& ref, std::string reply) const {
  return Change(tx, ref, [&](Task& task, absl::Time now) {
    return domain::ReplyUrge(task, who.actor(), reply, now);
  });
}

absl::StatusOr<Task> TaskCommands::Get(storage::ReadTx& tx, const Principal& who,
                                       absl::string_view id) const {
  RECTIFY_ASSIGN_OR_RETURN(Task task, tx.GetTask(id));
  RECTIFY_RETURN_IF_ERROR(CheckCanSee(who, task));
  return task;
}

absl::StatusOr<storage::TaskPage> TaskCommands::List(storage::ReadTx& tx, const Principal& who,
                                                     storage::TaskQuery query) const {
  RECTIFY_RETURN_IF_ERROR(ScopeTaskFilter(who, query.filter));
  query.filter.now = clock_.Now();
  return tx.ListTasks(query);
}

absl::StatusOr<std::vector<domain::Event>> TaskCommands::History(storage::ReadTx& tx,
                                                                 const Principal& who,
                                                                 absl::string_view id,
                                                                 int64_t after_seq,
                                                                 int limit) const {
  RECTIFY_RETURN_IF_ERROR(Get(tx, who, id).status());
  return tx.ListEvents(absl::StrCat("tasks/", id), after_seq, limit);
}

}  // namespace rectify::server
