#include "server/accountability_commands.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "domain/deadline.h"
#include "domain/escalation.h"
#include "domain/task.h"

namespace rectify::server {
namespace {

using domain::Penalty;
using domain::PenaltyAction;
using domain::PenaltyKind;
using domain::PenaltyState;

constexpr int kPageSize = 500;

absl::Status CheckEtag(const Penalty& p, absl::string_view etag) {
  if (etag.empty() || etag == absl::StrCat(p.version)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("penalty '", p.id, "' has changed: its etag is now '",
                                         p.version, "', you sent '", etag,
                                         "'; read it again and retry"));
}

// The system acting in the consequences of a decision, as a supervisor would.
domain::Actor SystemActor(absl::string_view person) {
  return {std::string(person), "", domain::Role::kSupervisor};
}

std::string RoleOf(const Principal& who) {
  return absl::StrCat("person '", who.person.id, "' (", domain::RoleName(who.person.role), " of '",
                      who.organisation.id, "')");
}

// Every task of `filter`, page by page.
absl::StatusOr<std::vector<domain::Task>> AllTasks(storage::ReadTx& tx,
                                                   const storage::TaskFilter& filter) {
  std::vector<domain::Task> out;
  storage::TaskQuery query;
  query.filter = filter;
  query.page_size = kPageSize;
  while (true) {
    RECTIFY_ASSIGN_OR_RETURN(storage::TaskPage page, tx.ListTasks(query));
    for (domain::Task& t : page.tasks) out.push_back(std::move(t));
    if (page.next_page_token.empty()) break;
    query.page_token = page.next_page_token;
  }
  return out;
}

// Whether `org_id` works in a community of street office `office_id`: it is
// the property company of one, or responsible for one of its tasks in the campaign.
absl::StatusOr<bool> WorksInOffice(storage::ReadTx& tx, const std::string& office_id,
                                   const std::string& org_id, const std::string& campaign_id) {
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Community> communities,
                           tx.ListCommunities(office_id));
  for (const domain::Community& c : communities) {
    if (c.property_company_id == org_id) return true;
  }
  storage::TaskQuery query;
  query.filter.campaign_id = campaign_id;
  query.filter.street_office_id = office_id;
  query.filter.responsible_org_id = org_id;
  query.page_size = 1;
  RECTIFY_ASSIGN_OR_RETURN(storage::TaskPage page, tx.ListTasks(query));
  return page.total_count > 0;
}

std::string Subject(const domain::EscalationStep& step, const std::string& task_or_org) {
  return step.IsPerTask() ? absl::StrCat("tasks/", task_or_org)
                          : absl::StrCat("organisations/", task_or_org);
}

std::string TriggerText(const domain::EscalationStep& step) {
  switch (step.trigger) {
    case domain::TriggerKind::kDueWithin:
      return absl::StrCat("due within ", step.amount, " hours");
    case domain::TriggerKind::kOverdue: {
      if (step.amount == 0) return "overdue";
      const char* unit = step.unit == domain::SlaUnit::kWorkingDays    ? "working days"
                         : step.unit == domain::SlaUnit::kWorkingHours ? "working hours"
                                                                       : "hours";
      return absl::StrCat("overdue by ", step.amount, " ", unit, " or more");
    }
    case domain::TriggerKind::kRepeat:
      return absl::StrCat(step.amount, " or more overdue tasks");
  }
  return "";
}

}  // namespace

absl::Status AccountabilityCommands::Create(storage::WriteTx& tx, Penalty& penalty,
                                            const std::string& actor_person,
                                            const std::string& actor_org, absl::Time now) const {
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event,
                           domain::ProposePenalty(penalty, actor_person, actor_org, now));
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("penalty"));
  penalty.id = absl::StrCat("PN-", n);
  event.subject = absl::StrCat("penalties/", penalty.id);
  RECTIFY_RETURN_IF_ERROR(tx.CreatePenalty(penalty));
  return tx.AppendEvent(event);
}

absl::StatusOr<Penalty> AccountabilityCommands::Propose(storage::WriteTx& tx, const Principal& who,
                                                        Penalty draft) const {
  draft.proposed_by = who.person.id;
  draft.escalation_step.clear();
  RECTIFY_RETURN_IF_ERROR(domain::ValidateNewPenalty(draft));
  const bool officer = who.person.role == domain::Role::kStreetOfficer;
  if (!who.is_supervisor() && !officer) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who),
                     " may not propose a penalty; supervisors, and street officers "
                     "for organisations working in their communities, may"));
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(draft.campaign_id));
  (void)campaign;
  RECTIFY_ASSIGN_OR_RETURN(domain::Organisation org, tx.GetOrganisation(draft.org_id));
  if (draft.kind == PenaltyKind::kContractTermination &&
      org.kind != domain::OrgKind::kPropertyCompany) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'kind' is contract_termination but organisation '", org.id, "' is a ",
        domain::OrgKindName(org.kind), ", not a property company with a service contract"));
  }
  for (size_t i = 0; i < draft.task_ids.size(); ++i) {
    RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tx.GetTask(draft.task_ids[i]));
    if (task.campaign_id != draft.campaign_id) {
      return absl::InvalidArgumentError(absl::StrCat("'task_ids[", i, "]' task '", task.id,
                                                     "' belongs to campaign '", task.campaign_id,
                                                     "', not '", draft.campaign_id, "'"));
    }
  }
  if (!who.is_supervisor()) {
    RECTIFY_ASSIGN_OR_RETURN(bool works,
                             WorksInOffice(tx, who.organisation.id, org.id, draft.campaign_id));
    if (!works) {
      return absl::PermissionDeniedError(absl::StrCat(
          RoleOf(who), " may not propose a penalty against organisation '", org.id,
          "', which works in none of the street office's communities; a supervisor may"));
    }
  }
  RECTIFY_RETURN_IF_ERROR(Create(tx, draft, who.person.id, who.organisation.id, clock_.Now()));
  return draft;
}

absl::StatusOr<Penalty> AccountabilityCommands::Load(storage::WriteTx& tx, const Principal& who,
                                                     const PenaltyRef& ref,
                                                     PenaltyAction action) const {
  if (ref.id.empty()) return absl::InvalidArgumentError("'penalty_id' is required");
  if (!who.is_supervisor()) {
    return absl::PermissionDeniedError(absl::StrCat(RoleOf(who), " may not ",
                                                    domain::PenaltyActionName(action),
                                                    " a penalty; only supervisors may"));
  }
  RECTIFY_ASSIGN_OR_RETURN(Penalty penalty, tx.GetPenalty(ref.id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag(penalty, ref.etag));
  return penalty;
}

absl::StatusOr<IssueResult> AccountabilityCommands::Issue(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          const PenaltyRef& ref,
                                                          const std::string& comment) const {
  RECTIFY_ASSIGN_OR_RETURN(Penalty penalty, Load(tx, who, ref, PenaltyAction::kIssue));
  const absl::Time now = clock_.Now();
  RECTIFY_ASSIGN_OR_RETURN(
      domain::Event event,
      domain::IssuePenalty(penalty, who.person.id, who.organisation.id, comment, now));
  RECTIFY_RETURN_IF_ERROR(tx.SavePenalty(penalty));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  IssueResult result;
  if (penalty.kind == PenaltyKind::kYellowCard) {
    storage::PenaltyFilter yellow;
    yellow.campaign_id = penalty.campaign_id;
    yellow.org_id = penalty.org_id;
    yellow.kind = PenaltyKind::kYellowCard;
    yellow.state = PenaltyState::kIssued;
    RECTIFY_ASSIGN_OR_RETURN(int64_t count, tx.CountPenalties(yellow));
    const int n = rules_.escalation.RedAfterYellow(penalty.campaign_id);
    if (domain::EarnsRedCard(count, n)) {
      Penalty red;
      red.campaign_id = penalty.campaign_id;
      red.org_id = penalty.org_id;
      red.kind = PenaltyKind::kRedCard;
      red.reason = absl::StrCat(count, " yellow cards issued in the campaign (a red card after ",
                                "every ", n, "); the last is ", penalty.id);
      red.task_ids = penalty.task_ids;
      red.proposed_by = who.person.id;
      red.escalation_step = "red_after_yellow";
      RECTIFY_RETURN_IF_ERROR(Create(tx, red, who.person.id, who.organisation.id, now));
      RECTIFY_ASSIGN_OR_RETURN(domain::Event issued,
                               domain::IssuePenalty(red, who.person.id, who.organisation.id,
                                                    absl::StrCat("with ", penalty.id), now));
      issued.details.push_back({"with_penalty_id", penalty.id});
      RECTIFY_RETURN_IF_ERROR(tx.SavePenalty(red));
      RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(issued));
      result.consequent.push_back(std::move(red));
    }
  }
  if (penalty.kind == PenaltyKind::kContractTermination) {
    RECTIFY_RETURN_IF_ERROR(Terminate(tx, penalty, now, result));
  }
  result.penalty = std::move(penalty);
  return result;
}

absl::Status AccountabilityCommands::Terminate(storage::WriteTx& tx, const Penalty& penalty,
                                               absl::Time now, IssueResult& result) const {
  RECTIFY_ASSIGN_OR_RETURN(domain::Organisation company, tx.GetOrganisation(penalty.org_id));
  if (company.kind != domain::OrgKind::kPropertyCompany) return absl::OkStatus();
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Community> communities, tx.ListCommunities(""));
  const domain::Actor system = SystemActor(domain::kSystemActor);
  for (domain::Community& community : communities) {
    if (community.property_company_id != company.id) continue;
    community.property_company_id.clear();
    RECTIFY_RETURN_IF_ERROR(tx.SaveCommunity(community));
    domain::Event cleared;
    cleared.type = "community.property_company_cleared";
    cleared.subject = absl::StrCat("communities/", community.id);
    cleared.campaign_id = penalty.campaign_id;
    cleared.actor_person_id = domain::kSystemActor;
    cleared.time = now;
    cleared.reason = absl::StrCat("the service contract of '", company.id,
                                  "' was terminated by penalty ", penalty.id);
    cleared.details = {{"property_company_id", company.id}, {"penalty_id", penalty.id}};
    cleared.audience = {community.street_office_id, company.id};
    RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(cleared));
    result.cleared_community_ids.push_back(community.id);

    storage::TaskFilter open;
    open.community_id = community.id;
    open.responsible_org_id = company.id;
    open.states = {domain::TaskState::kDispatched, domain::TaskState::kAccepted,
                   domain::TaskState::kInProgress};
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Task> tasks, AllTasks(tx, open));
    for (domain::Task& task : tasks) {
      RECTIFY_ASSIGN_OR_RETURN(
          domain::Event released,
          domain::Release(
              task, system,
              absl::StrCat("the service contract of '", company.id, "' was terminated (penalty ",
                           penalty.id, "); waiting for reassignment"),
              now));
      released.details.push_back({"penalty_id", penalty.id});
      RECTIFY_RETURN_IF_ERROR(tx.SaveTask(task));
      RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(released));
      result.released_task_ids.push_back(task.id);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Penalty> AccountabilityCommands::Dismiss(storage::WriteTx& tx, const Principal& who,
                                                        const PenaltyRef& ref,
                                                        const std::string& reason) const {
  RECTIFY_ASSIGN_OR_RETURN(Penalty penalty, Load(tx, who, ref, PenaltyAction::kDismiss));
  RECTIFY_ASSIGN_OR_RETURN(
      domain::Event event,
      domain::DismissPenalty(penalty, who.person.id, who.organisation.id, reason, clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.SavePenalty(penalty));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return penalty;
}

absl::StatusOr<Penalty> AccountabilityCommands::Revoke(storage::WriteTx& tx, const Principal& who,
                                                       const PenaltyRef& ref,
                                                       const std::string& reason) const {
  RECTIFY_ASSIGN_OR_RETURN(Penalty penalty, Load(tx, who, ref, PenaltyAction::kRevoke));
  RECTIFY_ASSIGN_OR_RETURN(
      domain::Event event,
      domain::RevokePenalty(penalty, who.person.id, who.organisation.id, reason, clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.SavePenalty(penalty));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return penalty;
}

absl::StatusOr<Penalty> AccountabilityCommands::Get(storage::ReadTx& tx, const Principal& who,
                                                    const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError("'penalty_id' is required");
  RECTIFY_ASSIGN_OR_RETURN(Penalty penalty, tx.GetPenalty(id));
  if (!who.is_supervisor() && who.person.role != domain::Role::kStreetOfficer &&
      penalty.org_id != who.organisation.id) {
    return absl::PermissionDeniedError(absl::StrCat(RoleOf(who), " may not see penalty '", id,
                                                    "', which is against another organisation"));
  }
  return penalty;
}

absl::StatusOr<std::vector<Penalty>> AccountabilityCommands::List(storage::ReadTx& tx,
                                                                  const Principal& who,
                                                                  storage::PenaltyFilter filter,
                                                                  int limit) const {
  if (!who.is_supervisor() && who.person.role != domain::Role::kStreetOfficer) {
    if (filter.org_id.empty()) filter.org_id = who.organisation.id;
    if (filter.org_id != who.organisation.id) {
      return absl::PermissionDeniedError(
          absl::StrCat(RoleOf(who), " may not list the penalties of organisation '", filter.org_id,
                       "'; only those of '", who.organisation.id, "'"));
    }
  }
  return tx.ListPenalties(filter, limit);
}

absl::StatusOr<EscalationPass> AccountabilityCommands::Escalate(
    storage::Store& store, const std::string& campaign_id) const {
  const domain::EscalationPolicy& policy = rules_.escalation;
  EscalationPass pass;
  if (policy.steps().empty()) return pass;
  const absl::Time now = clock_.Now();

  // What holds, read on one snapshot: (subject id, step) pairs not yet applied.
  struct Due {
    std::string id;  // task or organisation id
    const domain::EscalationStep* step;
  };
  std::vector<Due> due;
  std::map<std::string, std::vector<std::string>> overdue_by_org;  // org → its overdue tasks
  absl::TimeZone tz;
  RECTIFY_RETURN_IF_ERROR(store.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
    RECTIFY_ASSIGN_OR_RETURN(tz, CampaignTimeZone(campaign));
    const domain::DeadlineCalculator calculator(rules_.calendar, tz);
    storage::TaskFilter overdue;
    overdue.campaign_id = campaign_id;
    overdue.overdue = true;
    overdue.now = now;
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Task> tasks, AllTasks(tx, overdue));
    for (const domain::Task& t : tasks) overdue_by_org[t.responsible_org_id].push_back(t.id);
    if (policy.MaxDueWithin() > absl::ZeroDuration()) {
      storage::TaskFilter soon;
      soon.campaign_id = campaign_id;
      soon.due_within = policy.MaxDueWithin();
      soon.now = now;
      RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Task> due_soon, AllTasks(tx, soon));
      for (domain::Task& t : due_soon) tasks.push_back(std::move(t));
    }
    for (const domain::Task& task : tasks) {
      for (const domain::EscalationStep& step : policy.steps()) {
        if (!step.IsPerTask() || !domain::TaskStepHolds(step, task, now, calculator)) continue;
        RECTIFY_ASSIGN_OR_RETURN(
            bool applied, tx.EscalationApplied(campaign_id, step.id, Subject(step, task.id)));
        if (!applied) due.push_back({task.id, &step});
      }
    }
    for (const auto& [org, ids] : overdue_by_org) {
      if (org.empty()) continue;
      for (const domain::EscalationStep& step : policy.steps()) {
        if (step.IsPerTask() || static_cast<int64_t>(ids.size()) < step.amount) continue;
        RECTIFY_ASSIGN_OR_RETURN(bool applied,
                                 tx.EscalationApplied(campaign_id, step.id, Subject(step, org)));
        if (!applied) due.push_back({org, &step});
      }
    }
    return absl::OkStatus();
  }));

  const domain::DeadlineCalculator calculator(rules_.calendar, tz);
  const domain::Actor system = SystemActor(domain::kSchedulerActor);
  absl::Status first_error;
  for (const Due& d : due) {
    const domain::EscalationStep& step = *d.step;
    // One subject's failure must not hold back the others: logged, the pass
    // goes on, the first error is returned at the end (and the step, not
    // recorded, is tried again next pass).
    absl::Status status = store.Write([&](storage::WriteTx& tx) -> absl::Status {
      Penalty penalty;
      domain::Task task;
      if (step.IsPerTask()) {
        // Re-checked in the transaction: the task may have moved since the read.
        RECTIFY_ASSIGN_OR_RETURN(task, tx.GetTask(d.id));
        if (!domain::TaskStepHolds(step, task, now, calculator)) return absl::OkStatus();
      }
      RECTIFY_ASSIGN_OR_RETURN(
          bool fresh, tx.MarkEscalationApplied(campaign_id, step.id, Subject(step, d.id), now));
      if (!fresh) return absl::OkStatus();
      const std::string why =
          absl::StrCat(step.IsPerTask() ? "task '" : "organisation '", d.id, "' is ",
                       TriggerText(step), " (escalation step '", step.id, "')");
      switch (step.action) {
        case domain::EscalationActionKind::kRemind: {
          domain::Event event;
          event.type = "task.reminded";
          event.subject = absl::StrCat("tasks/", task.id);
          event.campaign_id = task.campaign_id;
          event.actor_person_id = domain::kSchedulerActor;
          event.time = now;
          event.reason = why;
          event.details = {{"escalation_step", step.id},
                           {"responsible_person_id", task.responsible_person_id},
                           {"deadline", absl::FormatTime(absl::RFC3339_sec, task.deadline,
                                                         absl::UTCTimeZone())}};
          event.audience = domain::TaskAudience(task);
          RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
          ++pass.reminded;
          return absl::OkStatus();
        }
        case domain::EscalationActionKind::kUrge: {
          RECTIFY_ASSIGN_OR_RETURN(domain::Event event, domain::Urge(task, system, why, now));
          std::string head;
          if (absl::StatusOr<domain::Organisation> org =
                  tx.GetOrganisation(task.responsible_org_id);
              org.ok()) {
            head = org->head_person_id;
          }
          event.details.push_back({"escalation_step", step.id});
          event.details.push_back({"head_person_id", head});
          RECTIFY_RETURN_IF_ERROR(tx.SaveTask(task));
          RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
          ++pass.urged;
          return absl::OkStatus();
        }
        case domain::EscalationActionKind::kPropose: {
          penalty.campaign_id = campaign_id;
          penalty.kind = step.penalty_kind;
          penalty.amount_fen = step.penalty_kind == PenaltyKind::kFine ? step.amount_fen : 0;
          penalty.reason = why;
          penalty.proposed_by = domain::kSchedulerActor;
          penalty.escalation_step = step.id;
          if (step.IsPerTask()) {
            penalty.org_id = task.responsible_org_id;
            penalty.task_ids = {task.id};
          } else {
            penalty.org_id = d.id;
            std::vector<std::string> ids = overdue_by_org[d.id];
            if (ids.size() > 100) ids.resize(100);
            penalty.task_ids = std::move(ids);
          }
          RECTIFY_RETURN_IF_ERROR(Create(tx, penalty, domain::kSchedulerActor, "", now));
          ++pass.proposed;
          return absl::OkStatus();
        }
      }
      return absl::OkStatus();
    });
    if (!status.ok()) {
      RECTIFY_LOG(WARNING) << "escalation step '" << step.id << "' of " << Subject(step, d.id)
                           << " in campaign " << campaign_id << ": " << status;
      if (first_error.ok()) first_error = status;
    }
  }
  if (!first_error.ok()) return first_error;
  return pass;
}

}  // namespace rectify::server
