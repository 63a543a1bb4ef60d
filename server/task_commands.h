// The task application service: each command loads the task, checks it (state,
// caller, input), applies the domain transition and saves the task with its
// event, all inside the caller's write transaction. Reads apply the caller's
// scope. No gRPC or protobuf here.
#ifndef RECTIFY_SERVER_TASK_COMMANDS_H_
#define RECTIFY_SERVER_TASK_COMMANDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/calendar.h"
#include "domain/escalation.h"
#include "domain/event.h"
#include "domain/metrics.h"
#include "domain/service_level.h"
#include "domain/task.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/standards.h"
#include "storage/store.h"

namespace rectify::server {

// What a transition returns: the task after it and the event that records it.
struct TaskChange {
  domain::Task task;
  domain::Event event;
};

// The city's editable rules the commands consult (from data/).
struct Rules {
  domain::WorkCalendar calendar;
  domain::ServiceLevelTable service_levels;
  StandardRegistry standards;
  // What the scheduler does about due-soon and overdue tasks (data/escalation.txt).
  domain::EscalationPolicy escalation = domain::EscalationPolicy::Default();
  // How rates make assessment scores, per campaign (data/assessment/).
  domain::AssessmentBook assessment;
};

// Identifies the task a transition acts on. `etag`, when not empty, must be
// the task's current etag (else kAborted).
struct TaskRef {
  std::string id;
  std::string etag;
};

class TaskCommands {
 public:
  TaskCommands(const Clock& clock, const Rules& rules) : clock_(clock), rules_(rules) {}

  // Opens a task from `draft` (campaign, community, category, title, ...).
  // `source_given` says whether draft.source was chosen by the caller; if not
  // it defaults by role (property staff: self-check; otherwise supervisor);
  // a volunteer's task is always a volunteer report.
  // kNotFound for an unknown campaign or community; kInvalidArgument for an
  // unknown category or a bad field; kPermissionDenied outside the caller's
  // communities; kFailedPrecondition once the campaign is closed.
  absl::StatusOr<domain::Task> Create(storage::WriteTx& tx, const Principal& who,
                                      domain::Task draft, bool source_given = true) const;

  // The organisation must exist and be able to do work; the person defaults to
  // its head and must belong to it. The deadline comes from the category's
  // service level and the work calendar in the campaign's time zone, unless
  // `deadline_override` is given.
  absl::StatusOr<TaskChange> Dispatch(storage::WriteTx& tx, const Principal& who,
                                      const TaskRef& ref, std::string org_id,
                                      std::string person_id,
                                      std::optional<absl::Time> deadline_override,
                                      std::string note) const;
  absl::StatusOr<TaskChange> Acknowledge(storage::WriteTx& tx, const Principal& who,
                                         const TaskRef& ref) const;
  absl::StatusOr<TaskChange> Return(storage::WriteTx& tx, const Principal& who,
                                    const TaskRef& ref, std::string reason) const;
  absl::StatusOr<TaskChange> Start(storage::WriteTx& tx, const Principal& who,
                                   const TaskRef& ref) const;
  absl::StatusOr<TaskChange> Submit(storage::WriteTx& tx, const Principal& who,
                                    const TaskRef& ref, domain::SubmitArgs args) const;
  absl::StatusOr<TaskChange> Verify(storage::WriteTx& tx, const Principal& who,
                                    const TaskRef& ref, std::string comment) const;
  absl::StatusOr<TaskChange> Reject(storage::WriteTx& tx, const Principal& who,
                                    const TaskRef& ref, std::string reason) const;
  absl::StatusOr<TaskChange> Suspend(storage::WriteTx& tx, const Principal& who,
                                     const TaskRef& ref, domain::SuspendArgs args) const;
  // The new deadline adds back the counted time the task spent suspended.
  absl::StatusOr<TaskChange> Resume(storage::WriteTx& tx, const Principal& who,
                                    const TaskRef& ref) const;
  absl::StatusOr<TaskChange> Void(storage::WriteTx& tx, const Principal& who,
                                  const TaskRef& ref, std::string reason) const;
  absl::StatusOr<TaskChange> RequestExtension(storage::WriteTx& tx, const Principal& who,
                                              const TaskRef& ref, absl::Time new_deadline,
                                              std::string reason) const;
  absl::StatusOr<TaskChange> DecideExtension(storage::WriteTx& tx, const Principal& who,
                                             const TaskRef& ref,
                                             domain::ExtensionDecision decision) const;
  absl::StatusOr<TaskChange> Urge(storage::WriteTx& tx, const Principal& who,
                                  const TaskRef& ref, std::string opinion) const;
  absl::StatusOr<TaskChange> ReplyUrge(storage::WriteTx& tx, const Principal& who,
                                       const TaskRef& ref, std::string reply) const;

  // Reads, within the caller's scope (kPermissionDenied outside it).
  absl::StatusOr<domain::Task> Get(storage::ReadTx& tx, const Principal& who,
                                   absl::string_view id) const;
  absl::StatusOr<storage::TaskPage> List(storage::ReadTx& tx, const Principal& who,
                                         storage::TaskQuery query) const;
  // The task's events after `after_seq`, oldest first.
  absl::StatusOr<std::vector<domain::Event>> History(storage::ReadTx& tx, const Principal& who,
                                                     absl::string_view id, int64_t after_seq,
                                                     int limit) const;

  absl::Time Now() const { return clock_.Now(); }

 private:
  using Operation = std::function<absl::StatusOr<domain::Event>(domain::Task&, absl::Time now)>;
  // Load → check etag → operation (state, caller, input) → save + event.
  absl::StatusOr<TaskChange> Change(storage::WriteTx& tx, const TaskRef& ref,
                                    const Operation& operation) const;

  const Clock& clock_;
  const Rules& rules_;
};

// The campaign's time zone; kFailedPrecondition if it no longer loads.
absl::StatusOr<absl::TimeZone> CampaignTimeZone(const domain::Campaign& campaign);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_TASK_COMMANDS_H_
