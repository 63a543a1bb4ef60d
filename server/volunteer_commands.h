// Volunteers (domain/volunteer.h): the street office assigns them to its
// communities; an assigned volunteer reports problems (each opens a task for
// the office to triage) and checks submitted tasks on site. Each command runs
// inside the caller's write transaction: load → check → apply → save + event.
// No gRPC or protobuf here.
//
// Who may act:
//   assign, end            street officers of the community's street office,
//                          supervisors and admins;
//   report, on-site check  a volunteer assigned to the community in the
//                          campaign (policy.h CheckVolunteerAssigned);
//   list                   supervisors and centre staff everything; street
//                          officers their office's; a volunteer their own.
#ifndef RECTIFY_SERVER_VOLUNTEER_COMMANDS_H_
#define RECTIFY_SERVER_VOLUNTEER_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/event.h"
#include "domain/task.h"
#include "domain/volunteer.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

// Identifies an assignment; `etag`, when not empty, must be its current etag
// (else kAborted).
struct AssignmentRef {
  std::string id;
  std::string etag;
};

// What ReportProblem returns: the report and the task it opened.
struct ProblemReported {
  domain::SupervisionReport report;
  domain::Task task;
};

class VolunteerCommands {
 public:
  VolunteerCommands(const Clock& clock, const TaskCommands& tasks) : clock_(clock), tasks_(tasks) {}

  // Assigns volunteer `volunteer_id` to `community_id` in `campaign_id`.
  // kNotFound for an unknown campaign, community or person; kInvalidArgument
  // naming 'volunteer_id' if the person is no volunteer of a volunteer team
  // of the community's street office; kPermissionDenied unless `who` is of
  // that street office or a supervisor; kAlreadyExists if the volunteer is
  // assigned there already; kFailedPrecondition once the campaign is closed.
  absl::StatusOr<domain::VolunteerAssignment> Assign(storage::WriteTx& tx, const Principal& who,
                                                     const std::string& campaign_id,
                                                     const std::string& volunteer_id,
                                                     const std::string& community_id) const;
  // Withdraws an assignment: the same people as Assign. kFailedPrecondition
  // if it ended already; kAborted for a stale etag.
  absl::StatusOr<domain::VolunteerAssignment> End(storage::WriteTx& tx, const Principal& who,
                                                  const AssignmentRef& ref) const;
  // The newest `limit` assignments matching `filter`, narrowed to what `who`
  // may see (kPermissionDenied if the filter asks for more).
  absl::StatusOr<std::vector<domain::VolunteerAssignment>> ListAssignments(
      storage::ReadTx& tx, const Principal& who, storage::AssignmentFilter filter,
      int limit) const;

  // A problem seen: opens `draft` (campaign, community, category, title,
  // description) as an OPEN task with source VOLUNTEER_REPORT through
  // TaskCommands::Create, files the report (note: the description; the
  // evidence) linking it, and appends "supervision.problem_reported" for the
  // street office. kPermissionDenied, naming the community and who assigns
  // volunteers, unless `who` is assigned there; otherwise as Create.
  absl::StatusOr<ProblemReported> ReportProblem(storage::WriteTx& tx, const Principal& who,
                                                domain::Task draft,
                                                std::vector<domain::Evidence> evidence) const;
  // An on-site check of a submitted task: files the report and appends
  // "task.checked_on_site" (with the finding) on the task. kNotFound for an
  // unknown task; kPermissionDenied unless `who` is assigned to its
  // community; kFailedPrecondition naming the state unless it is SUBMITTED;
  // kInvalidArgument naming the field (finding, note, evidence).
  absl::StatusOr<domain::SupervisionReport> RecordOnSiteCheck(
      storage::WriteTx& tx, const Principal& who, const std::string& task_id,
      domain::CheckFinding finding, std::string note,
      std::vector<domain::Evidence> evidence) const;
  // The newest `limit` reports matching `filter`, narrowed to what `who` may
  // see (kPermissionDenied if the filter asks for more).
  absl::StatusOr<std::vector<domain::SupervisionReport>> ListReports(
      storage::ReadTx& tx, const Principal& who, storage::SupervisionReportFilter filter,
      int limit) const;

  absl::Time Now() const { return clock_.Now(); }

 private:
  const Clock& clock_;
  const TaskCommands& tasks_;
};

// Records with a verification or rejection `event` of `submitted` (the task
// as it was before the transition) the on-site checks filed since its last
// submission, as detail domain::kOnSiteChecksDetail ("SR-3:FIXED,..."); no
// detail when there are none. The one place that joins checks to
// verifications (TaskCommands::Verify and Reject call it).
absl::Status RecordOnSiteChecks(storage::ReadTx& tx, const domain::Task& submitted,
                                domain::Event& event);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_VOLUNTEER_COMMANDS_H_
