// The rectification task (整改任务) and its state machine.
//
// A task is one concrete problem in one community. It moves through the states
// below only by the commands in the transition table; each command checks the
// state, the caller's part in the task, and its input, then changes the task and
// returns the event that records the change. Nothing here reads a clock or a
// store: the caller passes `now` and persists the task and the event together.
//
//            dispatch            acknowledge (签收)         start
//   OPEN ─────────────► DISPATCHED ─────────────► ACCEPTED ───────► IN_PROGRESS ◄──┐
//    ▲                     │                         │               │  ▲   │      │
//    └──── return (回退) ──┴─────────────────────────┘        suspend│  │   │submit│reject
//                                                         (挂账)     ▼  │   ▼      │(返工)
//                                                           SUSPENDED ─┘  SUBMITTED─┘
//                                                                   resume     │verify (核查)
//                                                                              ▼
//   any state but CLOSED/VOIDED ── void ──► VOIDED                          CLOSED (结案)
//
//   DISPATCHED|ACCEPTED|IN_PROGRESS ── release ──► OPEN   (supervisors, and the
//   system when the responsible company's contract is terminated: the task
//   waits for reassignment, owner and deadline cleared)
//
//   Side requests, which leave the state as it is: request_extension (延期申请),
//   decide_extension, urge (督办), reply_urge.
//
// Who may act is a matter of the caller's part in the task (a Party):
//   kOffice      staff of the street office that the community belongs to;
//   kAssignee    staff of the responsible organisation (责任主体);
//   kSupervisor  supervisors and admins, everywhere.
// The table names the parties allowed for each (state, action) and the parties
// vetoed: the responsible organisation never verifies or rejects its own work,
// even when it is itself a street office.
//
// Deadlines: dispatch sets the deadline (the caller computes it from the service
// level and the work calendar); the clock stops at submission and pauses while
// suspended (resume takes the new deadline). Overdue is derived, never stored.
#ifndef RECTIFY_DOMAIN_TASK_H_
#define RECTIFY_DOMAIN_TASK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/service_level.h"

namespace rectify::domain {

enum class TaskState {
  kOpen = 1,     // 立案: found, not yet sent to anyone
  kDispatched,   // 派遣: sent to a responsible subject, not yet acknowledged
  kAccepted,     // 签收
  kInProgress,   // 处置
  kSubmitted,    // 待核查: evidence submitted; the clock has stopped
  kClosed,       // 结案 (terminal)
  kSuspended,    // 挂账: the clock is paused
  kVoided,       // 作废 (terminal)
};
absl::string_view TaskStateName(TaskState state);  // "OPEN", "DISPATCHED", ...
bool IsTerminal(TaskState state);
// The deadline clock runs: dispatched, accepted or in progress. Overdue and
// due-soon are only ever said of such a task.
bool ClockRuns(TaskState state);

enum class TaskAction {
  kDispatch = 1,
  kAcknowledge,
  kReturn,
  kStart,
  kSubmit,
  kVerify,
  kReject,
  kSuspend,
  kResume,
  kVoid,
  kRequestExtension,
  kDecideExtension,
  kUrge,
  kReplyUrge,
  kRelease,  // the system takes the task back from an organisation whose contract ended
};
absl::string_view TaskActionName(TaskAction action);  // "dispatch", "acknowledge", ...
// The type of the event an action records, in the past tense:
// "task.dispatched", "task.acknowledged", ..., "task.extension_requested".
absl::string_view TaskEventType(TaskAction action);
inline constexpr TaskAction kAllTaskActions[] = {
    TaskAction::kDispatch,         TaskAction::kAcknowledge, TaskAction::kReturn,
    TaskAction::kStart,            TaskAction::kSubmit,      TaskAction::kVerify,
    TaskAction::kReject,           TaskAction::kSuspend,     TaskAction::kResume,
    TaskAction::kVoid,             TaskAction::kRequestExtension,
    TaskAction::kDecideExtension,  TaskAction::kUrge,        TaskAction::kReplyUrge,
    TaskAction::kRelease};
inline constexpr TaskState kAllTaskStates[] = {
    TaskState::kOpen,      TaskState::kDispatched, TaskState::kAccepted, TaskState::kInProgress,
    TaskState::kSubmitted, TaskState::kClosed,     TaskState::kSuspended, TaskState::kVoided};

// A caller's part in one task; a caller may play several.
enum Party : unsigned {
  kOffice = 1u << 0,
  kAssignee = 1u << 1,
  kSupervisor = 1u << 2,
};
using PartySet = unsigned;

struct Transition {
  TaskState from;
  TaskAction action;
  TaskState to;          // == from for side requests
  PartySet allowed;      // any of these may act ...
  PartySet vetoed;       // ... unless they also play one of these
};

// The whole state machine: every legal (state, action) pair. A pair not listed
// is illegal.
absl::Span<const Transition> TransitionTable();
// The row for (from, action), or nullptr if the move is illegal.
const Transition* FindTransition(TaskState from, TaskAction action);

struct Task;

// Who is acting: resolved by the server from the caller's token.
struct Actor {
  std::string person_id;
  std::string org_id;
  Role role = Role::kVolunteer;
};

// The parties `actor` plays in `task`.
PartySet PartiesOf(const Actor& actor, const Task& task);

enum class Payer {
  kPropertyCompany = 1,  // 物业
  kOwners,               // 业主
  kStreetOffice,         // 街道
  kPublicFinance,        // 财政
  kOther,
};
absl::string_view PayerName(Payer payer);

// Money is integer fen (分).
struct Budget {
  int64_t planned_fen = 0;
  int64_t actual_fen = 0;
  Payer payer = Payer::kPropertyCompany;
};
inline constexpr int64_t kMaxFen = 100'000'000'000;  // 10 亿元: larger is a typo

enum class TaskSource {
  kSelfCheck = 1,         // 自查
  kInspection,            // 检查扣分
  kVolunteerReport,       // 志愿者上报
  kInfrastructureSurvey,  // 基础设施排查
  kSupervisor,            // 督查交办
  kLegalCase,             // 涉法问题
};
absl::string_view TaskSourceName(TaskSource source);

// A photo or document that supports a submission; content is elsewhere, this
// is its reference and content hash.
struct Evidence {
  std::string uri;
  std::string sha256;  // 64 lowercase hex digits
  std::string note;
  std::string added_by;  // person id
  absl::Time add_time = absl::InfinitePast();
};

// At most 50 items, each with a uri and a note of at most 2000 bytes and a
// SHA-256 of 64 lowercase hex digits; kInvalidArgument naming
// "evidence[i].<field>" otherwise. The one rule for a task's, a legal step's
// and a supervision report's evidence.
absl::Status ValidateEvidence(const std::vector<Evidence>& evidence);

struct ExtensionRequest {
  absl::Time requested_deadline = absl::InfinitePast();
  std::string reason;
  std::string requested_by;
  absl::Time request_time = absl::InfinitePast();
};

// 督办: an urging notice and its reply.
struct Urging {
  std::string by;  // person id
  std::string opinion;
  absl::Time time = absl::InfinitePast();
  std::string reply;
  std::string replied_by;
  absl::Time reply_time = absl::InfinitePast();
};

struct Task {
  std::string id;
  std::string campaign_id;
  std::string community_id;
  std::string street_office_id;  // the community's, copied at creation for scope and filters
  std::string category;          // a service-level category
  TaskSource source = TaskSource::kSupervisor;
  std::string title;
  std::string description;
  std::string standard_item;     // the standard item it fixes, e.g. "2.1"; may be empty
  std::string inspection_id;     // the inspection whose deduction opened it; may be empty
  std::string responsible_org_id;     // 责任主体; empty until dispatched
  std::string responsible_person_id;  // 责任人
  Budget budget;
  std::vector<Evidence> evidence;
  std::vector<Urging> urgings;
  std::optional<ExtensionRequest> pending_extension;
  TaskState state = TaskState::kOpen;
  SlaUnit sla_unit = SlaUnit::kWorkingDays;  // how the deadline counts time (for pauses)
  absl::Time deadline = absl::InfiniteFuture();  // set at dispatch
  absl::Time suspended_at = absl::InfinitePast();
  absl::Time suspended_until = absl::InfiniteFuture();  // expected resumption, informative
  int rework_count = 0;
  int extension_count = 0;  // extensions granted
  int return_count = 0;
  std::string created_by;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  absl::Time dispatch_time = absl::InfinitePast();
  absl::Time acknowledge_time = absl::InfinitePast();
  absl::Time submit_time = absl::InfinitePast();
  absl::Time close_time = absl::InfinitePast();
  int64_t version = 0;  // 0 before it is first stored; the etag is its decimal form

  // The clock runs (dispatched, accepted, in progress) and the deadline passed.
  bool IsOverdue(absl::Time now) const;
  // The clock runs and the deadline falls within [now, now + within].
  bool IsDueWithin(absl::Time now, absl::Duration within) const;
};

// Who must hear of a change to `task`: its street office and its responsible
// organisation (if any).
std::vector<std::string> TaskAudience(const Task& task);

// Checks a task about to be created. kInvalidArgument naming the field.
absl::Status ValidateNewTask(const Task& task);

// Arguments of the commands. Every command returns the event that records it,
// or: kFailedPrecondition naming the current state and the states the action
// needs; kPermissionDenied saying who may act; kInvalidArgument naming a field.
struct DispatchArgs {
  std::string responsible_org_id;
  std::string responsible_person_id;
  absl::Time deadline;  // computed by the caller from the service level
  SlaUnit sla_unit = SlaUnit::kWorkingDays;
  std::string note;
};
struct SubmitArgs {
  std::vector<Evidence> evidence;  // at least one
  std::optional<int64_t> actual_fen;
  std::string note;
};
struct SuspendArgs {
  std::string reason;
  absl::Time until = absl::InfiniteFuture();
};
struct ExtensionDecision {
  bool approve = false;
  std::string comment;
};

absl::StatusOr<Event> Dispatch(Task& task, const Actor& actor, const DispatchArgs& args,
                               absl::Time now);
absl::StatusOr<Event> Acknowledge(Task& task, const Actor& actor, absl::Time now);
absl::StatusOr<Event> Return(Task& task, const Actor& actor, absl::string_view reason,
                             absl::Time now);
absl::StatusOr<Event> Start(Task& task, const Actor& actor, absl::Time now);
absl::StatusOr<Event> Submit(Task& task, const Actor& actor, SubmitArgs args, absl::Time now);
absl::StatusOr<Event> Verify(Task& task, const Actor& actor, absl::string_view comment,
                             absl::Time now);
absl::StatusOr<Event> Reject(Task& task, const Actor& actor, absl::string_view reason,
                             absl::Time now);
absl::StatusOr<Event> Suspend(Task& task, const Actor& actor, const SuspendArgs& args,
                              absl::Time now);
// `new_deadline` is the deadline with the suspended time added back (see
// DeadlineCalculator::ResumeDeadline).
absl::StatusOr<Event> Resume(Task& task, const Actor& actor, absl::Time new_deadline,
                             absl::Time now);
absl::StatusOr<Event> Void(Task& task, const Actor& actor, absl::string_view reason,
                           absl::Time now);
// Back to OPEN without an owner, "waiting for reassignment" (e.g. the
// responsible company's contract was terminated). The clock stops.
absl::StatusOr<Event> Release(Task& task, const Actor& actor, absl::string_view reason,
                              absl::Time now);
// Refused once the task is overdue, while another request is pending, and when
// `max_extensions` have already been granted.
absl::StatusOr<Event> RequestExtension(Task& task, const Actor& actor, absl::Time new_deadline,
                                       absl::string_view reason, int max_extensions,
                                       absl::Time now);
absl::StatusOr<Event> DecideExtension(Task& task, const Actor& actor,
                                      const ExtensionDecision& decision, absl::Time now);
absl::StatusOr<Event> Urge(Task& task, const Actor& actor, absl::string_view opinion,
                           absl::Time now);
// Replies to the latest unanswered urging.
absl::StatusOr<Event> ReplyUrge(Task& task, const Actor& actor, absl::string_view reply,
                                absl::Time now);

// Checks that `actor` may take `action` on `task` now: the state first
// (kFailedPrecondition), then the parties (kPermissionDenied). Returns the row.
absl::StatusOr<const Transition*> CheckAction(const Task& task, TaskAction action,
                                              const Actor& actor);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_TASK_H_
