// Volunteers (志愿者) and their supervision reports (监督上报). A street office
// assigns volunteers of its volunteer teams to its communities, campaign by
// campaign; an assigned volunteer files reports about that community:
//   PROBLEM       a problem seen: it becomes an OPEN task (source
//                 VOLUNTEER_REPORT) for the street office to triage, and the
//                 report links to it;
//   ONSITE_CHECK  a submitted task checked on site (现场核查) with a finding,
//                 FIXED or NOT_FIXED, which the office sees when it verifies
//                 or rejects the task (the verification event lists the checks
//                 filed since the last submission: OnSiteCheckDetail).
// Pure: the caller passes `now` and stores what these functions fill in
// (server/volunteer_commands.h decides who may act).
//
//   VolunteerAssignment a = ...;  // campaign, volunteer, community, office
//   RECTIFY_ASSIGN_OR_RETURN(Event e, OpenAssignment(a, "li-min", "so-1", now));
//   RECTIFY_ASSIGN_OR_RETURN(Event e2, EndAssignment(a, "li-min", "so-1", now));
#ifndef RECTIFY_DOMAIN_VOLUNTEER_H_
#define RECTIFY_DOMAIN_VOLUNTEER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/event.h"
#include "domain/task.h"

namespace rectify::domain {

// One volunteer assigned to one community in one campaign, until withdrawn.
struct VolunteerAssignment {
  std::string id;  // "VA-3"
  std::string campaign_id;
  std::string volunteer_id;      // a person with role volunteer
  std::string volunteer_org_id;  // the volunteer's team, copied at assignment
  std::string community_id;
  std::string street_office_id;  // the community's (and the team's), copied at assignment
  std::string assigned_by;       // person id
  absl::Time assign_time = absl::InfinitePast();
  std::string ended_by;  // empty while the assignment holds
  absl::Time end_time = absl::InfinitePast();
  int64_t version = 0;  // 0 before it is first stored

  bool active() const { return ended_by.empty(); }
};

// Checks an assignment about to be stored and records who made it and when:
// campaign_id, volunteer_id, volunteer_org_id, community_id, street_office_id
// required (kInvalidArgument naming the field). Event
// "volunteer.assigned" for the street office.
absl::StatusOr<Event> OpenAssignment(VolunteerAssignment& a, absl::string_view by_person,
                                     absl::string_view by_org, absl::Time now);
// Withdraws an assignment. kFailedPrecondition "volunteer assignment 'VA-1'
// ended already ..." if it has. Event "volunteer.assignment_ended".
absl::StatusOr<Event> EndAssignment(VolunteerAssignment& a, absl::string_view by_person,
                                    absl::string_view by_org, absl::Time now);

// Numbered as stored and as the API's SupervisionReportKind: never renumber.
enum class ReportKind { kProblem = 1, kOnSiteCheck = 2 };
absl::string_view ReportKindName(ReportKind kind);  // "PROBLEM", "ONSITE_CHECK"

// What a volunteer found on site. Numbered as stored and in the API.
enum class CheckFinding { kUnspecified = 0, kFixed = 1, kNotFixed = 2 };
absl::string_view CheckFindingName(CheckFinding finding);  // "FIXED", "NOT_FIXED", ""

// A report a volunteer filed. Written once, never changed.
struct SupervisionReport {
  std::string id;  // "SR-5"
  ReportKind kind = ReportKind::kProblem;
  std::string campaign_id;
  std::string community_id;
  std::string street_office_id;  // the community's
  std::string task_id;           // the task it opened (PROBLEM) or checked (ONSITE_CHECK)
  std::string volunteer_id;
  std::string volunteer_org_id;
  absl::Time time = absl::InfinitePast();
  std::string note;
  std::vector<Evidence> evidence;
  CheckFinding finding = CheckFinding::kUnspecified;  // ONSITE_CHECK only
  int64_t version = 0;  // 0 before it is stored; 1 after
};

// Checks a report about to be stored and stamps its evidence (added_by, time)
// and its time: campaign_id, community_id, street_office_id, task_id,
// volunteer_id required; a PROBLEM has no finding; an ONSITE_CHECK needs one
// and a note when NOT_FIXED (what is still wrong); note at most 2000 bytes;
// evidence (at most 50) each with a uri and a SHA-256. kInvalidArgument
// naming the field.
absl::Status FileReport(SupervisionReport& report, absl::Time now);

// The event of an on-site check, on the task it checked: "task.checked_on_site"
// with the report id and the finding, for the task's audience.
Event OnSiteCheckEvent(const SupervisionReport& check, const Task& task);
// The event of a problem report: "supervision.problem_reported" on
// "supervision_reports/SR-n", for the street office.
Event ProblemReportedEvent(const SupervisionReport& report);

// The on-site checks of `task` filed since its last submission (at or after
// its submit_time), in the order of `reports` (any kinds, any tasks).
std::vector<SupervisionReport> ChecksSinceSubmission(const Task& task,
                                                     std::vector<SupervisionReport> reports);
// The event detail that records `checks` with a verification or a rejection:
// "SR-3:FIXED,SR-4:NOT_FIXED"; "" when there are none.
inline constexpr char kOnSiteChecksDetail[] = "onsite_checks";
std::string OnSiteCheckDetail(const std::vector<SupervisionReport>& checks);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_VOLUNTEER_H_
