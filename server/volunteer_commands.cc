#include "server/volunteer_commands.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/phase.h"
#include "server/policy.h"

namespace rectify::server {
namespace {

using domain::Role;
using domain::SupervisionReport;
using domain::VolunteerAssignment;

std::string RoleOf(const Principal& who) {
  return absl::StrCat("person '", who.person.id, "' (", domain::RoleName(who.person.role), " of '",
                      who.organisation.id, "')");
}

bool SeesEverything(const Principal& who) {
  return who.is_supervisor() || who.person.role == Role::kCentreStaff;
}

// Narrows a list of volunteers' records (`what`: "volunteer assignments",
// "supervision reports") to what `who` may read: a street officer those of her
// office, a volunteer their own; supervisors and centre staff everything.
absl::Status ScopeVolunteerList(const Principal& who, absl::string_view what,
                                std::string& street_office_id, std::string& volunteer_id) {
  if (SeesEverything(who)) return absl::OkStatus();
  if (who.person.role == Role::kStreetOfficer) {
    if (!street_office_id.empty() && street_office_id != who.organisation.id) {
      return absl::PermissionDeniedError(
          absl::StrCat(RoleOf(who), " may not list the ", what, " of street office '",
                       street_office_id, "'; only of '", who.organisation.id, "'"));
    }
    street_office_id = who.organisation.id;
    return absl::OkStatus();
  }
  if (who.person.role == Role::kVolunteer) {
    if (!volunteer_id.empty() && volunteer_id != who.person.id) {
      return absl::PermissionDeniedError(absl::StrCat(RoleOf(who), " may not list the ", what,
                                                      " of '", volunteer_id, "'; only their own"));
    }
    volunteer_id = who.person.id;
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(RoleOf(who), " may not list ", what,
                   "; street officers, volunteers, supervisors and centre staff may"));
}

// Street officers of `street_office_id`, supervisors and admins.
absl::Status CheckCanAssign(const Principal& who, const std::string& street_office_id,
                            absl::string_view what) {
  if (who.is_supervisor()) return absl::OkStatus();
  if (who.person.role == Role::kStreetOfficer && who.organisation.id == street_office_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      RoleOf(who), " may not ", what, "; street office '", street_office_id,
      "' (its street officers) or a supervisor may"));
}

absl::Status CheckOpenCampaign(storage::ReadTx& tx, const std::string& campaign_id) {
  if (campaign_id.empty()) {
    return absl::InvalidArgumentError("'campaign_id' is empty; name the campaign");
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
  if (campaign.phase == domain::Phase::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("campaign '", campaign.id, "' is closed; volunteers report no more in it"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<VolunteerAssignment> VolunteerCommands::Assign(storage::WriteTx& tx,
                                                              const Principal& who,
                                                              const std::string& campaign_id,
                                                              const std::string& volunteer_id,
                                                              const std::string& community_id) const {
  if (community_id.empty()) {
    return absl::InvalidArgumentError("'community_id' is empty; name the community");
  }
  if (volunteer_id.empty()) {
    return absl::InvalidArgumentError("'volunteer_id' is empty; name the volunteer (a person)");
  }
  RECTIFY_RETURN_IF_ERROR(CheckOpenCampaign(tx, campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(community_id));
  RECTIFY_RETURN_IF_ERROR(CheckCanAssign(
      who, community.street_office_id,
      absl::StrCat("assign volunteers to community '", community.id, "'")));
  RECTIFY_ASSIGN_OR_RETURN(domain::Person person, tx.GetPerson(volunteer_id));
  absl::StatusOr<domain::Organisation> team = tx.GetOrganisation(person.organisation_id);
  if (person.role != Role::kVolunteer || !team.ok() ||
      team->kind != domain::OrgKind::kVolunteerTeam ||
      team->street_office_id != community.street_office_id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'volunteer_id': '", person.id, "' (", domain::RoleName(person.role), " of '",
        person.organisation_id, "') is not a volunteer of a volunteer team of street office '",
        community.street_office_id, "', which community '", community.id, "' belongs to"));
  }
  RECTIFY_ASSIGN_OR_RETURN(std::optional<VolunteerAssignment> existing,
                           tx.ActiveAssignment(campaign_id, person.id, community.id));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "volunteer '", person.id, "' is already assigned to community '", community.id,
        "' in campaign '", campaign_id, "' (assignment '", existing->id, "')"));
  }
  VolunteerAssignment a;
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("volunteer_assignment"));
  a.id = absl::StrCat("VA-", n);
  a.campaign_id = campaign_id;
  a.volunteer_id = person.id;
  a.volunteer_org_id = person.organisation_id;
  a.community_id = community.id;
  a.street_office_id = community.street_office_id;
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event, domain::OpenAssignment(a, who.person.id,
                                                                       who.organisation.id,
                                                                       clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.CreateAssignment(a));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return a;
}

absl::StatusOr<VolunteerAssignment> VolunteerCommands::End(storage::WriteTx& tx,
                                                           const Principal& who,
                                                           const AssignmentRef& ref) const {
  RECTIFY_ASSIGN_OR_RETURN(VolunteerAssignment a, tx.GetAssignment(ref.id));
  RECTIFY_RETURN_IF_ERROR(CheckCanAssign(
      who, a.street_office_id, absl::StrCat("end volunteer assignment '", a.id, "'")));
  if (!ref.etag.empty() && ref.etag != absl::StrCat(a.version)) {
    return absl::AbortedError(absl::StrCat("volunteer assignment '", a.id,
                                           "' has changed: its etag is now '", a.version,
                                           "', you sent '", ref.etag,
                                           "'; read it again and retry"));
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event, domain::EndAssignment(a, who.person.id,
                                                                      who.organisation.id,
                                                                      clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.SaveAssignment(a));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return a;
}

absl::StatusOr<std::vector<VolunteerAssignment>> VolunteerCommands::ListAssignments(
    storage::ReadTx& tx, const Principal& who, storage::AssignmentFilter filter,
    int limit) const {
  RECTIFY_RETURN_IF_ERROR(ScopeVolunteerList(who, "volunteer assignments",
                                             filter.street_office_id, filter.volunteer_id));
  return tx.ListAssignments(filter, limit);
}

absl::StatusOr<ProblemReported> VolunteerCommands::ReportProblem(
    storage::WriteTx& tx, const Principal& who, domain::Task draft,
    std::vector<domain::Evidence> evidence) const {
  if (draft.community_id.empty()) {
    return absl::InvalidArgumentError("'community_id' is empty; name the community");
  }
  RECTIFY_RETURN_IF_ERROR(CheckOpenCampaign(tx, draft.campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(draft.community_id));
  RECTIFY_RETURN_IF_ERROR(CheckVolunteerAssigned(tx, who, draft.campaign_id, community));
  draft.source = domain::TaskSource::kVolunteerReport;
  RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tasks_.Create(tx, who, std::move(draft)));

  SupervisionReport report;
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("supervision_report"));
  report.id = absl::StrCat("SR-", n);
  report.kind = domain::ReportKind::kProblem;
  report.campaign_id = task.campaign_id;
  report.community_id = task.community_id;
  report.street_office_id = task.street_office_id;
  report.task_id = task.id;
  report.volunteer_id = who.person.id;
  report.volunteer_org_id = who.organisation.id;
  report.note = task.description.empty() ? task.title : task.description;
  report.evidence = std::move(evidence);
  RECTIFY_RETURN_IF_ERROR(domain::FileReport(report, clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.CreateSupervisionReport(report));
  domain::Event event = domain::ProblemReportedEvent(report);
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return ProblemReported{std::move(report), std::move(task)};
}

absl::StatusOr<SupervisionReport> VolunteerCommands::RecordOnSiteCheck(
    storage::WriteTx& tx, const Principal& who, const std::string& task_id,
    domain::CheckFinding finding, std::string note, std::vector<domain::Evidence> evidence) const {
  if (task_id.empty()) return absl::InvalidArgumentError("'task_id' is empty; name the task");
  RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tx.GetTask(task_id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(task.community_id));
  RECTIFY_RETURN_IF_ERROR(CheckVolunteerAssigned(tx, who, task.campaign_id, community));
  if (task.state != domain::TaskState::kSubmitted) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task '", task.id, "' is in state ", domain::TaskStateName(task.state),
        "; an on-site check needs SUBMITTED (work handed in, awaiting verification)"));
  }
  SupervisionReport report;
  report.kind = domain::ReportKind::kOnSiteCheck;
  report.campaign_id = task.campaign_id;
  report.community_id = task.community_id;
  report.street_office_id = task.street_office_id;
  report.task_id = task.id;
  report.volunteer_id = who.person.id;
  report.volunteer_org_id = who.organisation.id;
  report.note = std::move(note);
  report.evidence = std::move(evidence);
  report.finding = finding;
  // Validate before taking a number, so that a refused check uses none.
  RECTIFY_RETURN_IF_ERROR(domain::FileReport(report, clock_.Now()));
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("supervision_report"));
  report.id = absl::StrCat("SR-", n);
  RECTIFY_RETURN_IF_ERROR(tx.CreateSupervisionReport(report));
  domain::Event event = domain::OnSiteCheckEvent(report, task);
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return report;
}

absl::StatusOr<std::vector<SupervisionReport>> VolunteerCommands::ListReports(
    storage::ReadTx& tx, const Principal& who, storage::SupervisionReportFilter filter,
    int limit) const {
  RECTIFY_RETURN_IF_ERROR(ScopeVolunteerList(who, "supervision reports",
                                             filter.street_office_id, filter.volunteer_id));
  return tx.ListSupervisionReports(filter, limit);
}

absl::Status RecordOnSiteChecks(storage::ReadTx& tx, const domain::Task& submitted,
                                domain::Event& event) {
  storage::SupervisionReportFilter filter;
  filter.task_id = submitted.id;
  filter.kind = domain::ReportKind::kOnSiteCheck;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<SupervisionReport> reports,
                           tx.ListSupervisionReports(filter, 1000));
  std::reverse(reports.begin(), reports.end());  // oldest first
  const std::vector<SupervisionReport> checks =
      domain::ChecksSinceSubmission(submitted, std::move(reports));
  if (!checks.empty()) {
    event.details.push_back({domain::kOnSiteChecksDetail, domain::OnSiteCheckDetail(checks)});
  }
  return absl::OkStatus();
}

}  // namespace rectify::server
