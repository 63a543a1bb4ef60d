#include "server/campaign_commands.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/policy.h"

namespace rectify::server {
namespace {

using domain::Phase;

constexpr char kScheduler[] = "scheduler";

std::vector<domain::TaskState> OpenStates() {
  return {domain::TaskState::kOpen,       domain::TaskState::kDispatched,
          domain::TaskState::kAccepted,   domain::TaskState::kInProgress,
          domain::TaskState::kSubmitted,  domain::TaskState::kSuspended};
}

absl::StatusOr<int64_t> CountTasks(storage::ReadTx& tx, storage::TaskFilter filter) {
  storage::TaskQuery query;
  query.filter = std::move(filter);
  query.page_size = 1;
  RECTIFY_ASSIGN_OR_RETURN(storage::TaskPage page, tx.ListTasks(query));
  return page.total_count;
}

// Whether the community has an inspection of `kind` in the campaign.
absl::StatusOr<bool> HasInspection(storage::ReadTx& tx, const std::string& campaign_id,
                                   const std::string& community_id,
                                   domain::InspectionKind kind) {
  storage::InspectionFilter filter;
  filter.campaign_id = campaign_id;
  filter.community_id = community_id;
  filter.kind = kind;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Inspection> found, tx.ListInspections(filter, 1));
  return !found.empty();
}

absl::Status CheckEtag(const domain::Campaign& c, absl::string_view etag) {
  if (etag.empty() || etag == absl::StrCat(c.version)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("campaign '", c.id, "' has changed: its etag is now '",
                                         c.version, "', you sent '", etag,
                                         "'; read it again and retry"));
}

}  // namespace

absl::StatusOr<PhaseGate> CampaignCommands::Gate(storage::ReadTx& tx,
                                                 const domain::Campaign& campaign) const {
  RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, CampaignTimeZone(campaign));
  PhaseGate gate;
  gate.phase = campaign.phase;
  gate.next = domain::NextPhase(campaign.phase);
  gate.phase_by_date = domain::PhaseOnDate(campaign, absl::ToCivilDay(clock_.Now(), tz));
  if (!gate.next.has_value()) return gate;

  domain::GateFacts facts;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Community> communities, tx.ListCommunities(""));
  facts.has_standard =
      !campaign.standard_id.empty() && rules_.standards.Latest(campaign.standard_id) != nullptr;
  for (const domain::Community& c : communities) {
    facts.community_ids.push_back(c.id);
    // Only the facts this gate looks at are gathered.
    switch (campaign.phase) {
      case Phase::kSelfCheck: {
        absl::StatusOr<domain::SelfCheckList> list = tx.GetSelfCheckList(campaign.id, c.id);
        if (list.ok()) facts.self_checked.insert(c.id);
        else if (!absl::IsNotFound(list.status())) return list.status();
        break;
      }
      case Phase::kRectification: {
        RECTIFY_ASSIGN_OR_RETURN(
            bool inspected,
            HasInspection(tx, campaign.id, c.id, domain::InspectionKind::kWeekly));
        if (inspected) facts.inspected_in_rectification.insert(c.id);
        break;
      }
      case Phase::kFinalAssault: {
        RECTIFY_ASSIGN_OR_RETURN(
            bool evaluated,
            HasInspection(tx, campaign.id, c.id, domain::InspectionKind::kFinalEvaluation));
        if (evaluated) facts.final_evaluated.insert(c.id);
        break;
      }
      default:
        break;
    }
  }
  gate.shortfalls = domain::GateShortfalls(campaign.phase, facts);
  return gate;
}

absl::StatusOr<PhaseAdvance> CampaignCommands::Enter(storage::WriteTx& tx,
                                                     domain::Campaign campaign,
                                                     const std::string& actor_person,
                                                     const std::string& actor_org,
                                                     const std::string& reason,
                                                     std::vector<std::string> overridden) const {
  const Phase from = campaign.phase;
  const absl::Time now = clock_.Now();
  campaign.phase = *domain::NextPhase(from);
  campaign.update_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.SaveCampaign(campaign));
  domain::Event event;
  event.type = "campaign.phase_advanced";
  event.subject = absl::StrCat("campaigns/", campaign.id);
  event.campaign_id = campaign.id;
  event.actor_person_id = actor_person;
  event.actor_org_id = actor_org;
  event.time = now;
  event.from_state = std::string(domain::PhaseName(from));
  event.to_state = std::string(domain::PhaseName(campaign.phase));
  event.reason = reason;
  event.details = {{"forced", overridden.empty() ? "false" : "true"}};
  if (!overridden.empty()) event.details.push_back({"overridden", absl::StrJoin(overridden, "; ")});
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return PhaseAdvance{std::move(campaign), std::move(event), std::move(overridden)};
}

absl::StatusOr<PhaseAdvance> CampaignCommands::AdvancePhase(
    storage::WriteTx& tx, const Principal& who, const std::string& campaign_id,
    const std::string& etag, std::optional<Phase> to, bool force,
    const std::string& reason) const {
  RECTIFY_RETURN_IF_ERROR(CheckSupervisor(who, "advance a campaign's phase"));
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag(campaign, etag));
  const std::optional<Phase> next = domain::NextPhase(campaign.phase);
  if (!next.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("campaign '", campaign.id, "' is closed; there is no phase after it"));
  }
  if (to.has_value() && *to != *next) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'to_phase' is ", domain::PhaseName(*to), " but campaign '", campaign.id, "' is in ",
        domain::PhaseName(campaign.phase), ", whose next phase is ", domain::PhaseName(*next)));
  }
  if (force && reason.empty()) {
    return absl::InvalidArgumentError("'reason' is required to force an advance");
  }
  RECTIFY_ASSIGN_OR_RETURN(PhaseGate gate, Gate(tx, campaign));
  if (!gate.shortfalls.empty() && !force) {
    return absl::FailedPreconditionError(absl::StrCat(
        "campaign '", campaign.id, "' cannot leave ", domain::PhaseName(campaign.phase), ": ",
        absl::StrJoin(gate.shortfalls, "; "),
        ". Fix these, or force the advance with a reason"));
  }
  return Enter(tx, std::move(campaign), who.person.id, who.organisation.id, reason,
               force ? gate.shortfalls : std::vector<std::string>{});
}

absl::StatusOr<std::vector<Phase>> CampaignCommands::AdvanceByDate(
    storage::WriteTx& tx, const std::string& campaign_id) const {
  std::vector<Phase> entered;
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
  while (true) {
    RECTIFY_ASSIGN_OR_RETURN(PhaseGate gate, Gate(tx, campaign));
    if (!gate.next.has_value() || gate.phase_by_date <= campaign.phase) return entered;
    if (gate.shortfalls.empty()) {
      RECTIFY_ASSIGN_OR_RETURN(
          PhaseAdvance advance,
          Enter(tx, campaign, kScheduler, "", "the campaign's dates reached the next phase", {}));
      campaign = std::move(advance.campaign);
      entered.push_back(campaign.phase);
      continue;
    }
    // Blocked: say so once a day.
    RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, CampaignTimeZone(campaign));
    const std::string today = absl::FormatCivilTime(absl::ToCivilDay(clock_.Now(), tz));
    const std::string subject = absl::StrCat("campaigns/", campaign.id);
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Event> events,
                             tx.ListEvents(subject, 0, 100000));
    const bool told = std::any_of(events.begin(), events.end(), [&](const domain::Event& e) {
      return e.type == "campaign.advance_blocked" && e.Detail("date") == today &&
             e.from_state == domain::PhaseName(campaign.phase);
    });
    if (!told) {
      domain::Event event;
      event.type = "campaign.advance_blocked";
      event.subject = subject;
      event.campaign_id = campaign.id;
      event.actor_person_id = kScheduler;
      event.time = clock_.Now();
      event.from_state = std::string(domain::PhaseName(campaign.phase));
      event.to_state = std::string(domain::PhaseName(*gate.next));
      event.reason = absl::StrJoin(gate.shortfalls, "; ");
      event.details = {{"date", today}};
      RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
    }
    return entered;
  }
}

absl::StatusOr<SelfCheckResult> CampaignCommands::SubmitSelfCheckList(
    storage::WriteTx& tx, const Principal& who, const std::string& campaign_id,
    const std::string& community_id, std::vector<domain::Task> items) const {
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(community_id));
  if (!who.is_supervisor() && !(who.person.role == domain::Role::kPropertyStaff &&
                                community.property_company_id == who.organisation.id)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "person '", who.person.id, "' may not submit the self-check list of community '",
        community.id, "'; its property company ('", community.property_company_id,
        "') or a supervisor may"));
  }
  RECTIFY_RETURN_IF_ERROR(domain::CheckSelfCheckAllowed(campaign));
  absl::StatusOr<domain::SelfCheckList> existing = tx.GetSelfCheckList(campaign_id, community_id);
  if (existing.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "community '", community_id, "' already submitted its self-check list (",
        existing->task_ids.size(), " tasks) by ", existing->submitted_by,
        "; add further problems as tasks"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();

  SelfCheckResult result;
  for (size_t i = 0; i < items.size(); ++i) {
    domain::Task& draft = items[i];
    draft.campaign_id = campaign_id;
    draft.community_id = community_id;
    draft.source = domain::TaskSource::kSelfCheck;
    absl::StatusOr<domain::Task> task = tasks_.Create(tx, who, std::move(draft));
    if (absl::IsInvalidArgument(task.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("items[", i, "]: ", task.status().message()));
    }
    RECTIFY_RETURN_IF_ERROR(task.status());
    result.list.task_ids.push_back(task->id);
    result.tasks.push_back(*std::move(task));
  }
  result.list.campaign_id = campaign_id;
  result.list.community_id = community_id;
  result.list.submitted_by = who.person.id;
  result.list.submit_time = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(tx.CreateSelfCheckList(result.list));
  domain::Event event;
  event.type = "community.self_check_submitted";
  event.subject = absl::StrCat("communities/", community_id);
  event.campaign_id = campaign_id;
  event.actor_person_id = who.person.id;
  event.actor_org_id = who.organisation.id;
  event.time = result.list.submit_time;
  event.details = {{"task_count", absl::StrCat(result.tasks.size())}};
  event.audience = {community.street_office_id, community.property_company_id};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return result;
}

absl::StatusOr<std::vector<CommunityReadiness>> CampaignCommands::Readiness(
    storage::ReadTx& tx, const Principal& who, const std::string& campaign_id,
    std::string street_office_id) const {
  if (!who.is_supervisor() && who.person.role != domain::Role::kCentreStaff) {
    if (who.person.role != domain::Role::kStreetOfficer) {
      return absl::PermissionDeniedError(
          absl::StrCat("person '", who.person.id,
                       "' may not see readiness; supervisors, centre staff and street officers may"));
    }
    if (!street_office_id.empty() && street_office_id != who.organisation.id) {
      return absl::PermissionDeniedError(absl::StrCat(
          "person '", who.person.id, "' may see the readiness of street office '",
          who.organisation.id, "' only"));
    }
    street_office_id = who.organisation.id;
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
  const domain::Standard* standard = rules_.standards.Latest(campaign.standard_id);
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Community> communities,
                           tx.ListCommunities(street_office_id));
  const absl::Time now = clock_.Now();
  std::vector<CommunityReadiness> out;
  for (domain::Community& community : communities) {
    CommunityReadiness r;
    storage::TaskFilter open;
    open.campaign_id = campaign_id;
    open.community_id = community.id;
    open.states = OpenStates();
    RECTIFY_ASSIGN_OR_RETURN(r.open_tasks, CountTasks(tx, open));
    storage::TaskFilter overdue;
    overdue.campaign_id = campaign_id;
    overdue.community_id = community.id;
    overdue.overdue = true;
    overdue.now = now;
    RECTIFY_ASSIGN_OR_RETURN(r.overdue_tasks, CountTasks(tx, overdue));
    if (r.open_tasks > 0) {
      r.reasons.push_back(
          absl::StrCat("open tasks: ", r.open_tasks, " (", r.overdue_tasks, " overdue)"));
    }
    storage::InspectionFilter last;
    last.campaign_id = campaign_id;
    last.community_id = community.id;
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Inspection> latest,
                             tx.ListInspections(last, 2));
    const int max_score = !latest.empty() ? latest[0].max_score
                          : standard != nullptr ? standard->max_score()
                                                : 0;
    r.target_score = (max_score * campaign.target_percent + 99) / 100;
    if (latest.empty()) {
      r.reasons.push_back("never inspected");
    } else {
      const domain::Inspection& i = latest[0];
      // Not cleared: found at the inspection before and still there at the last.
      if (latest.size() > 1) {
        r.uncleared_rule_ids = domain::CompareDeductions(latest[1], i).persisting;
      }
      if (!r.uncleared_rule_ids.empty()) {
        r.reasons.push_back(absl::StrCat("deductions found on ", absl::FormatCivilTime(latest[1].date),
                                         " still there on ", absl::FormatCivilTime(i.date), ": ",
                                         absl::StrJoin(r.uncleared_rule_ids, ", ")));
      }
      if (i.total < r.target_score) {
        r.reasons.push_back(absl::StrCat("last score ", i.total, " of ", i.max_score,
                                         " is below the target ", r.target_score, " (",
                                         campaign.target_percent, "%)"));
      }
      r.last_inspection = i;
    }
    r.ready = r.reasons.empty();
    r.community = std::move(community);
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const CommunityReadiness& a,
                                              const CommunityReadiness& b) {
    return !a.ready && b.ready;
  });
  return out;
}

}  // namespace rectify::server
