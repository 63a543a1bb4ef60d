#include "domain/volunteer.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

constexpr size_t kMaxText = 2000;

Event AssignmentEvent(const VolunteerAssignment& a, absl::string_view type,
                      absl::string_view by_person, absl::string_view by_org, absl::Time now) {
  Event event;
  event.type = std::string(type);
  event.subject = absl::StrCat("volunteer_assignments/", a.id);
  event.campaign_id = a.campaign_id;
  event.actor_person_id = std::string(by_person);
  event.actor_org_id = std::string(by_org);
  event.time = now;
  event.audience = {a.street_office_id};
  if (!a.volunteer_org_id.empty() && a.volunteer_org_id != a.street_office_id) {
    event.audience.push_back(a.volunteer_org_id);
  }
  event.details = {{"volunteer_id", a.volunteer_id}, {"community_id", a.community_id}};
  return event;
}

}  // namespace

absl::StatusOr<Event> OpenAssignment(VolunteerAssignment& a, absl::string_view by_person,
                                     absl::string_view by_org, absl::Time now) {
  RECTIFY_RETURN_IF_ERROR(Required("campaign_id", a.campaign_id));
  RECTIFY_RETURN_IF_ERROR(Required("volunteer_id", a.volunteer_id));
  RECTIFY_RETURN_IF_ERROR(Required("volunteer_org_id", a.volunteer_org_id));
  RECTIFY_RETURN_IF_ERROR(Required("community_id", a.community_id));
  RECTIFY_RETURN_IF_ERROR(Required("street_office_id", a.street_office_id));
  a.assigned_by = std::string(by_person);
  a.assign_time = now;
  a.ended_by.clear();
  a.end_time = absl::InfinitePast();
  return AssignmentEvent(a, "volunteer.assigned", by_person, by_org, now);
}

absl::StatusOr<Event> EndAssignment(VolunteerAssignment& a, absl::string_view by_person,
                                    absl::string_view by_org, absl::Time now) {
  if (!a.active()) {
    return absl::FailedPreconditionError(
        absl::StrCat("volunteer assignment '", a.id, "' ended already (by '", a.ended_by,
                     "' at ", absl::FormatTime(a.end_time), "); assign the volunteer again "
                     "instead"));
  }
  if (by_person.empty()) return absl::InvalidArgumentError("'ended_by' is required");
  a.ended_by = std::string(by_person);
  a.end_time = now;
  return AssignmentEvent(a, "volunteer.assignment_ended", by_person, by_org, now);
}

absl::string_view ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kProblem:
      return "PROBLEM";
    case ReportKind::kOnSiteCheck:
      return "ONSITE_CHECK";
  }
  return "UNKNOWN";
}

absl::string_view CheckFindingName(CheckFinding finding) {
  switch (finding) {
    case CheckFinding::kFixed:
      return "FIXED";
    case CheckFinding::kNotFixed:
      return "NOT_FIXED";
    case CheckFinding::kUnspecified:
      break;
  }
  return "";
}

absl::Status FileReport(SupervisionReport& report, absl::Time now) {
  RECTIFY_RETURN_IF_ERROR(Required("campaign_id", report.campaign_id));
  RECTIFY_RETURN_IF_ERROR(Required("community_id", report.community_id));
  RECTIFY_RETURN_IF_ERROR(Required("street_office_id", report.street_office_id));
  RECTIFY_RETURN_IF_ERROR(Required("task_id", report.task_id));
  RECTIFY_RETURN_IF_ERROR(Required("volunteer_id", report.volunteer_id));
  RECTIFY_RETURN_IF_ERROR(MaxLength("note", report.note, kMaxText));
  switch (report.kind) {
    case ReportKind::kProblem:
      if (report.finding != CheckFinding::kUnspecified) {
        return absl::InvalidArgumentError(
            "'finding' is only for an on-site check; a problem report has none");
      }
      break;
    case ReportKind::kOnSiteCheck:
      if (report.finding != CheckFinding::kFixed && report.finding != CheckFinding::kNotFixed) {
        return absl::InvalidArgumentError(
            "'finding' is required for an on-site check: FIXED or NOT_FIXED");
      }
      if (report.finding == CheckFinding::kNotFixed && report.note.empty()) {
        return absl::InvalidArgumentError(
            "'note' is required when the finding is NOT_FIXED; say what is still wrong");
      }
      break;
    default:
      return absl::InvalidArgumentError("'kind' must be PROBLEM or ONSITE_CHECK");
  }
  RECTIFY_RETURN_IF_ERROR(ValidateEvidence(report.evidence));
  report.time = now;
  for (Evidence& e : report.evidence) {
    e.added_by = report.volunteer_id;
    e.add_time = now;
  }
  return absl::OkStatus();
}

Event OnSiteCheckEvent(const SupervisionReport& check, const Task& task) {
  Event event;
  event.type = "task.checked_on_site";
  event.subject = absl::StrCat("tasks/", task.id);
  event.campaign_id = task.campaign_id;
  event.actor_person_id = check.volunteer_id;
  event.actor_org_id = check.volunteer_org_id;
  event.time = check.time;
  event.reason = check.note;
  event.audience = TaskAudience(task);
  event.details = {{"report_id", check.id},
                   {"finding", std::string(CheckFindingName(check.finding))},
                   {"evidence_count", absl::StrCat(check.evidence.size())}};
  return event;
}

Event ProblemReportedEvent(const SupervisionReport& report) {
  Event event;
  event.type = "supervision.problem_reported";
  event.subject = absl::StrCat("supervision_reports/", report.id);
  event.campaign_id = report.campaign_id;
  event.actor_person_id = report.volunteer_id;
  event.actor_org_id = report.volunteer_org_id;
  event.time = report.time;
  event.reason = report.note;
  event.audience = {report.street_office_id};
  event.details = {{"task_id", report.task_id}, {"community_id", report.community_id}};
  return event;
}

std::vector<SupervisionReport> ChecksSinceSubmission(const Task& task,
                                                     std::vector<SupervisionReport> reports) {
  std::vector<SupervisionReport> out;
  for (SupervisionReport& r : reports) {
    if (r.kind == ReportKind::kOnSiteCheck && r.task_id == task.id && r.time >= task.submit_time) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::string OnSiteCheckDetail(const std::vector<SupervisionReport>& checks) {
  return absl::StrJoin(checks, ",", [](std::string* out, const SupervisionReport& r) {
    absl::StrAppend(out, r.id, ":", CheckFindingName(r.finding));
  });
}

}  // namespace rectify::domain
