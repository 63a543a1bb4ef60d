#include "domain/task.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

constexpr PartySet kDesk = kOffice | kSupervisor;  // those who run the task: dispatch, verify

using S = TaskState;
using A = TaskAction;

// The state machine. Order is irrelevant; each (from, action) appears once.
constexpr Transition kTable[] = {
    // from             action                 to                allowed    vetoed
    {S::kOpen,       A::kDispatch,         S::kDispatched,  kDesk,     0},
    {S::kDispatched, A::kAcknowledge,      S::kAccepted,    kAssignee, 0},
    {S::kDispatched, A::kReturn,           S::kOpen,        kAssignee, 0},
    {S::kAccepted,   A::kReturn,           S::kOpen,        kAssignee, 0},
    {S::kAccepted,   A::kStart,            S::kInProgress,  kAssignee, 0},
    {S::kInProgress, A::kSubmit,           S::kSubmitted,   kAssignee, 0},
    {S::kSubmitted,  A::kVerify,           S::kClosed,      kDesk,     kAssignee},
    {S::kSubmitted,  A::kReject,           S::kInProgress,  kDesk,     kAssignee},
    {S::kInProgress, A::kSuspend,          S::kSuspended,   kDesk,     0},
    {S::kSuspended,  A::kResume,           S::kInProgress,  kDesk,     0},
    {S::kOpen,       A::kVoid,             S::kVoided,      kDesk,     0},
    {S::kDispatched, A::kVoid,             S::kVoided,      kDesk,     0},
    {S::kAccepted,   A::kVoid,             S::kVoided,      kDesk,     0},
    {S::kInProgress, A::kVoid,             S::kVoided,      kDesk,     0},
    {S::kSubmitted,  A::kVoid,             S::kVoided,      kDesk,     0},
    {S::kSuspended,  A::kVoid,             S::kVoided,      kDesk,     0},
    {S::kDispatched, A::kRequestExtension, S::kDispatched,  kAssignee, 0},
    {S::kAccepted,   A::kRequestExtension, S::kAccepted,    kAssignee, 0},
    {S::kInProgress, A::kRequestExtension, S::kInProgress,  kAssignee, 0},
    {S::kDispatched, A::kDecideExtension,  S::kDispatched,  kDesk,     kAssignee},
    {S::kAccepted,   A::kDecideExtension,  S::kAccepted,    kDesk,     kAssignee},
    {S::kInProgress, A::kDecideExtension,  S::kInProgress,  kDesk,     kAssignee},
    {S::kDispatched, A::kUrge,             S::kDispatched,  kDesk,     0},
    {S::kAccepted,   A::kUrge,             S::kAccepted,    kDesk,     0},
    {S::kInProgress, A::kUrge,             S::kInProgress,  kDesk,     0},
    {S::kSuspended,  A::kUrge,             S::kSuspended,   kDesk,     0},
    {S::kDispatched, A::kReplyUrge,        S::kDispatched,  kAssignee, 0},
    {S::kAccepted,   A::kReplyUrge,        S::kAccepted,    kAssignee, 0},
    {S::kInProgress, A::kReplyUrge,        S::kInProgress,  kAssignee, 0},
    {S::kSuspended,  A::kReplyUrge,        S::kSuspended,   kAssignee, 0},
    {S::kDispatched, A::kRelease,          S::kOpen,        kSupervisor, 0},
    {S::kAccepted,   A::kRelease,          S::kOpen,        kSupervisor, 0},
    {S::kInProgress, A::kRelease,          S::kOpen,        kSupervisor, 0},
};

std::string PartyNames(PartySet parties) {
  std::vector<std::string> names;
  if (parties & kOffice) names.push_back("the street office of the task's community");
  if (parties & kAssignee) names.push_back("the responsible organisation");
  if (parties & kSupervisor) names.push_back("a supervisor");
  return absl::StrJoin(names, " or ");
}

// Begins a command: checks the move and the caller, returns the row.
absl::StatusOr<const Transition*> Begin(const Task& task, TaskAction action, const Actor& actor) {
  return CheckAction(task, action, actor);
}

// Ends a command: applies the row's target state and builds the event.
Event Finish(Task& task, const Transition& row, const Actor& actor, absl::Time now,
             absl::string_view reason) {
  Event event;
  event.type = std::string(TaskEventType(row.action));
  event.subject = absl::StrCat("tasks/", task.id);
  event.campaign_id = task.campaign_id;
  event.actor_person_id = actor.person_id;
  event.actor_org_id = actor.org_id;
  event.time = now;
  if (row.from != row.to) {
    event.from_state = std::string(TaskStateName(row.from));
    event.to_state = std::string(TaskStateName(row.to));
  }
  event.reason = std::string(reason);
  event.audience = TaskAudience(task);
  task.state = row.to;
  task.update_time = now;
  return event;
}


}  // namespace

std::vector<std::string> TaskAudience(const Task& task) {
  std::vector<std::string> audience;
  if (!task.street_office_id.empty()) audience.push_back(task.street_office_id);
  if (!task.responsible_org_id.empty() && task.responsible_org_id != task.street_office_id) {
    audience.push_back(task.responsible_org_id);
  }
  return audience;
}

absl::string_view TaskStateName(TaskState state) {
  switch (state) {
    case S::kOpen: return "OPEN";
    case S::kDispatched: return "DISPATCHED";
    case S::kAccepted: return "ACCEPTED";
    case S::kInProgress: return "IN_PROGRESS";
    case S::kSubmitted: return "SUBMITTED";
    case S::kClosed: return "CLOSED";
    case S::kSuspended: return "SUSPENDED";
    case S::kVoided: return "VOIDED";
  }
  return "UNKNOWN";
}

bool ClockRuns(TaskState state) {
  return state == TaskState::kDispatched || state == TaskState::kAccepted ||
         state == TaskState::kInProgress;
}

bool IsTerminal(TaskState state) { return state == S::kClosed || state == S::kVoided; }

absl::string_view TaskActionName(TaskAction action) {
  switch (action) {
    case A::kDispatch: return "dispatch";
    case A::kAcknowledge: return "acknowledge";
    case A::kReturn: return "return";
    case A::kStart: return "start";
    case A::kSubmit: return "submit";
    case A::kVerify: return "verify";
    case A::kReject: return "reject";
    case A::kSuspend: return "suspend";
    case A::kResume: return "resume";
    case A::kVoid: return "void";
    case A::kRequestExtension: return "request_extension";
    case A::kDecideExtension: return "decide_extension";
    case A::kUrge: return "urge";
    case A::kReplyUrge: return "reply_urge";
    case A::kRelease: return "release";
  }
  return "unknown";
}

absl::string_view TaskEventType(TaskAction action) {
  switch (action) {
    case A::kDispatch: return "task.dispatched";
    case A::kAcknowledge: return "task.acknowledged";
    case A::kReturn: return "task.returned";
    case A::kStart: return "task.started";
    case A::kSubmit: return "task.submitted";
    case A::kVerify: return "task.verified";
    case A::kReject: return "task.rejected";
    case A::kSuspend: return "task.suspended";
    case A::kResume: return "task.resumed";
    case A::kVoid: return "task.voided";
    case A::kRequestExtension: return "task.extension_requested";
    case A::kDecideExtension: return "task.extension_decided";
    case A::kUrge: return "task.urged";
    case A::kReplyUrge: return "task.urging_replied";
    case A::kRelease: return "task.released";
  }
  return "task.unknown";
}

absl::string_view PayerName(Payer payer) {
  switch (payer) {
    case Payer::kPropertyCompany: return "property_company";
    case Payer::kOwners: return "owners";
    case Payer::kStreetOffice: return "street_office";
    case Payer::kPublicFinance: return "public_finance";
    case Payer::kOther: return "other";
  }
  return "unknown";
}

absl::string_view TaskSourceName(TaskSource source) {
  switch (source) {
    case TaskSource::kSelfCheck: return "self_check";
    case TaskSource::kInspection: return "inspection";
    case TaskSource::kVolunteerReport: return "volunteer_report";
    case TaskSource::kInfrastructureSurvey: return "infrastructure_survey";
    case TaskSource::kSupervisor: return "supervisor";
    case TaskSource::kLegalCase: return "legal_case";
  }
  return "unknown";
}

absl::Span<const Transition> TransitionTable() { return kTable; }

const Transition* FindTransition(TaskState from, TaskAction action) {
  for (const Transition& row : kTable) {
    if (row.from == from && row.action == action) return &row;
  }
  return nullptr;
}

PartySet PartiesOf(const Actor& actor, const Task& task) {
  PartySet parties = 0;
  if (actor.role == Role::kSupervisor || actor.role == Role::kAdmin) parties |= kSupervisor;
  if (actor.role == Role::kStreetOfficer && !actor.org_id.empty() &&
      actor.org_id == task.street_office_id) {
    parties |= kOffice;
  }
  // Volunteers watch; they never act for the organisation they belong to.
  if (actor.role != Role::kVolunteer && !actor.org_id.empty() &&
      actor.org_id == task.responsible_org_id) {
    parties |= kAssignee;
  }
  return parties;
}

absl::StatusOr<const Transition*> CheckAction(const Task& task, TaskAction action,
                                              const Actor& actor) {
  const Transition* row = FindTransition(task.state, action);
  if (row == nullptr) {
    std::vector<std::string> needs;
    for (const Transition& r : kTable) {
      if (r.action == action) needs.push_back(std::string(TaskStateName(r.from)));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("task '", task.id, "' is in state ", TaskStateName(task.state), "; '",
                     TaskActionName(action), "' needs ", absl::StrJoin(needs, " or ")));
  }
  const PartySet parties = PartiesOf(actor, task);
  if ((parties & row->vetoed) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "person '", actor.person_id, "' belongs to the responsible organisation '",
        task.responsible_org_id, "' of task '", task.id, "', which may not ",
        TaskActionName(action), " its own work; ", PartyNames(row->allowed & ~row->vetoed),
        " must do it"));
  }
  if ((parties & row->allowed) == 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("person '", actor.person_id, "' (", RoleName(actor.role), " of '",
                     actor.org_id, "') may not ", TaskActionName(action), " task '", task.id,
                     "'; only ", PartyNames(row->allowed), " may"));
  }
  return row;
}

bool Task::IsOverdue(absl::Time now) const { return ClockRuns(state) && now > deadline; }

bool Task::IsDueWithin(absl::Time now, absl::Duration within) const {
  return ClockRuns(state) && deadline >= now && deadline < now + within;
}

absl::Status ValidateNewTask(const Task& task) {
  RECTIFY_RETURN_IF_ERROR(Required("campaign_id", task.campaign_id));
  RECTIFY_RETURN_IF_ERROR(Required("community_id", task.community_id));
  RECTIFY_RETURN_IF_ERROR(Required("category", task.category));
  RECTIFY_RETURN_IF_ERROR(Required("title", task.title));
  RECTIFY_RETURN_IF_ERROR(MaxLength("title", task.title, 200));
  RECTIFY_RETURN_IF_ERROR(MaxLength("description", task.description, 4000));
  RECTIFY_RETURN_IF_ERROR(MaxLength("standard_item", task.standard_item, 32));
  if (task.budget.planned_fen < 0 || task.budget.planned_fen > kMaxFen) {
    return absl::InvalidArgumentError(
        absl::StrCat("'budget.planned_fen' is ", task.budget.planned_fen,
                     "; it must be between 0 and ", kMaxFen, " fen"));
  }
  if (task.budget.actual_fen != 0) {
    return absl::InvalidArgumentError(
        "'budget.actual_fen' is set when the work is submitted, not at creation");
  }
  return absl::OkStatus();
}

absl::StatusOr<Event> Dispatch(Task& task, const Actor& actor, const DispatchArgs& args,
                               absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kDispatch, actor));
  RECTIFY_RETURN_IF_ERROR(Required("responsible_org_id", args.responsible_org_id));
  RECTIFY_RETURN_IF_ERROR(Required("responsible_person_id", args.responsible_person_id));
  if (args.deadline <= now) {
    return absl::InvalidArgumentError(
        absl::StrCat("'deadline' ", absl::FormatTime(args.deadline),
                     " is not in the future; a dispatched task needs time to do the work"));
  }
  task.responsible_org_id = args.responsible_org_id;
  task.responsible_person_id = args.responsible_person_id;
  task.deadline = args.deadline;
  task.sla_unit = args.sla_unit;
  task.dispatch_time = now;
  task.acknowledge_time = absl::InfinitePast();
  Event event = Finish(task, *row, actor, now, args.note);
  event.details = {{"responsible_org_id", task.responsible_org_id},
                   {"responsible_person_id", task.responsible_person_id},
                   {"deadline", absl::FormatTime(absl::RFC3339_sec, task.deadline,
                                                 absl::UTCTimeZone())}};
  return event;
}

absl::StatusOr<Event> Acknowledge(Task& task, const Actor& actor, absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kAcknowledge, actor));
  task.acknowledge_time = now;
  return Finish(task, *row, actor, now, "");
}

absl::StatusOr<Event> Return(Task& task, const Actor& actor, absl::string_view reason,
                             absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kReturn, actor));
  RECTIFY_RETURN_IF_ERROR(Required("reason", reason));
  Event event = Finish(task, *row, actor, now, reason);
  event.details = {{"returned_by_org_id", task.responsible_org_id}};
  // Back to the dispatcher, owner unknown again; the clock stops.
  task.responsible_org_id.clear();
  task.responsible_person_id.clear();
  task.deadline = absl::InfiniteFuture();
  task.pending_extension.reset();
  ++task.return_count;
  return event;
}

absl::StatusOr<Event> Start(Task& task, const Actor& actor, absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kStart, actor));
  return Finish(task, *row, actor, now, "");
}

absl::Status ValidateEvidence(const std::vector<Evidence>& evidence) {
  constexpr size_t kMaxEvidence = 50;
  constexpr size_t kMaxText = 2000;
  if (evidence.size() > kMaxEvidence) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'evidence' has ", evidence.size(), " items; at most ", kMaxEvidence, " are allowed"));
  }
  for (size_t i = 0; i < evidence.size(); ++i) {
    const Evidence& e = evidence[i];
    const std::string field = absl::StrCat("evidence[", i, "]");
    RECTIFY_RETURN_IF_ERROR(Required(field + ".uri", e.uri));
    RECTIFY_RETURN_IF_ERROR(MaxLength(field + ".uri", e.uri, kMaxText));
    RECTIFY_RETURN_IF_ERROR(MaxLength(field + ".note", e.note, kMaxText));
    if (!IsSha256Hex(e.sha256)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", field, ".sha256' must be 64 lowercase hex digits (the SHA-256 of the content)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Event> Submit(Task& task, const Actor& actor, SubmitArgs args, absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kSubmit, actor));
  if (args.evidence.empty()) {
    return absl::InvalidArgumentError(
        "'evidence' is empty; a submission needs at least one photo or document (uri and "
        "sha256)");
  }
  RECTIFY_RETURN_IF_ERROR(ValidateEvidence(args.evidence));
  if (args.actual_fen.has_value() && (*args.actual_fen < 0 || *args.actual_fen > kMaxFen)) {
    return absl::InvalidArgumentError(absl::StrCat("'actual_fen' is ", *args.actual_fen,
                                                   "; it must be between 0 and ", kMaxFen));
  }
  for (Evidence& e : args.evidence) {
    e.added_by = actor.person_id;
    e.add_time = now;
    task.evidence.push_back(std::move(e));
  }
  if (args.actual_fen.has_value()) task.budget.actual_fen = *args.actual_fen;
  task.submit_time = now;
  task.pending_extension.reset();
  Event event = Finish(task, *row, actor, now, args.note);
  event.details = {{"evidence_count", absl::StrCat(args.evidence.size())},
                   {"late", now > task.deadline ? "true" : "false"}};
  return event;
}

absl::StatusOr<Event> Verify(Task& task, const Actor& actor, absl::string_view comment,
                             absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kVerify, actor));
  task.close_time = now;
  Event event = Finish(task, *row, actor, now, comment);
  event.details = {{"on_time", task.submit_time <= task.deadline ? "true" : "false"}};
  return event;
}

absl::StatusOr<Event> Reject(Task& task, const Actor& actor, absl::string_view reason,
                             absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kReject, actor));
  RECTIFY_RETURN_IF_ERROR(Required("reason", reason));
  ++task.rework_count;
  Event event = Finish(task, *row, actor, now, reason);
  event.details = {{"rework_count", absl::StrCat(task.rework_count)}};
  return event;
}

absl::StatusOr<Event> Suspend(Task& task, const Actor& actor, const SuspendArgs& args,
                              absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kSuspend, actor));
  RECTIFY_RETURN_IF_ERROR(Required("reason", args.reason));
  if (args.until <= now) {
    return absl::InvalidArgumentError("'until' is not in the future; leave it unset if unknown");
  }
  task.suspended_at = now;
  task.suspended_until = args.until;
  task.pending_extension.reset();
  return Finish(task, *row, actor, now, args.reason);
}

absl::StatusOr<Event> Resume(Task& task, const Actor& actor, absl::Time new_deadline,
                             absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kResume, actor));
  const absl::Duration paused = now - task.suspended_at;
  task.deadline = new_deadline;
  task.suspended_at = absl::InfinitePast();
  task.suspended_until = absl::InfiniteFuture();
  Event event = Finish(task, *row, actor, now, "");
  event.details = {
      {"paused_seconds", absl::StrCat(absl::ToInt64Seconds(paused))},
      {"deadline", absl::FormatTime(absl::RFC3339_sec, new_deadline, absl::UTCTimeZone())}};
  return event;
}

absl::StatusOr<Event> Void(Task& task, const Actor& actor, absl::string_view reason,
                           absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kVoid, actor));
  RECTIFY_RETURN_IF_ERROR(Required("reason", reason));
  task.pending_extension.reset();
  return Finish(task, *row, actor, now, reason);
}

absl::StatusOr<Event> Release(Task& task, const Actor& actor, absl::string_view reason,
                              absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kRelease, actor));
  RECTIFY_RETURN_IF_ERROR(Required("reason", reason));
  Event event = Finish(task, *row, actor, now, reason);
  // The audience (computed in Finish) still names the organisation released.
  event.details = {{"released_org_id", task.responsible_org_id},
                   {"waiting_for_reassignment", "true"}};
  task.responsible_org_id.clear();
  task.responsible_person_id.clear();
  task.deadline = absl::InfiniteFuture();
  task.acknowledge_time = absl::InfinitePast();
  task.pending_extension.reset();
  return event;
}

absl::StatusOr<Event> RequestExtension(Task& task, const Actor& actor, absl::Time new_deadline,
                                       absl::string_view reason, int max_extensions,
                                       absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kRequestExtension, actor));
  if (task.IsOverdue(now)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task '", task.id, "' is already overdue (deadline ",
        absl::FormatTime(absl::RFC3339_sec, task.deadline, absl::UTCTimeZone()),
        "); an extension must be requested before the deadline"));
  }
  if (task.pending_extension.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task '", task.id, "' already has an extension request awaiting a decision"));
  }
  if (task.extension_count >= max_extensions) {
    return absl::FailedPreconditionError(
        absl::StrCat("task '", task.id, "' has had ", task.extension_count,
                     " extensions; the campaign allows at most ", max_extensions));
  }
  RECTIFY_RETURN_IF_ERROR(Required("reason", reason));
  if (new_deadline <= task.deadline) {
    return absl::InvalidArgumentError(
        absl::StrCat("'new_deadline' must be later than the current deadline ",
                     absl::FormatTime(absl::RFC3339_sec, task.deadline, absl::UTCTimeZone())));
  }
  task.pending_extension = ExtensionRequest{new_deadline, std::string(reason), actor.person_id,
                                            now};
  Event event = Finish(task, *row, actor, now, reason);
  event.details = {{"requested_deadline", absl::FormatTime(absl::RFC3339_sec, new_deadline,
                                                           absl::UTCTimeZone())}};
  return event;
}

absl::StatusOr<Event> DecideExtension(Task& task, const Actor& actor,
                                      const ExtensionDecision& decision, absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kDecideExtension, actor));
  if (!task.pending_extension.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("task '", task.id, "' has no extension request awaiting a decision"));
  }
  const absl::Time requested = task.pending_extension->requested_deadline;
  task.pending_extension.reset();
  if (decision.approve) {
    task.deadline = requested;
    ++task.extension_count;
  }
  Event event = Finish(task, *row, actor, now, decision.comment);
  event.details = {
      {"approved", decision.approve ? "true" : "false"},
      {"requested_deadline",
       absl::FormatTime(absl::RFC3339_sec, requested, absl::UTCTimeZone())}};
  return event;
}

absl::StatusOr<Event> Urge(Task& task, const Actor& actor, absl::string_view opinion,
                           absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kUrge, actor));
  RECTIFY_RETURN_IF_ERROR(Required("opinion", opinion));
  RECTIFY_RETURN_IF_ERROR(MaxLength("opinion", opinion, 2000));
  Urging urging;
  urging.by = actor.person_id;
  urging.opinion = std::string(opinion);
  urging.time = now;
  task.urgings.push_back(std::move(urging));
  Event event = Finish(task, *row, actor, now, opinion);
  event.details = {{"urging_number", absl::StrCat(task.urgings.size())}};
  return event;
}

absl::StatusOr<Event> ReplyUrge(Task& task, const Actor& actor, absl::string_view reply,
                                absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(const Transition* row, Begin(task, A::kReplyUrge, actor));
  RECTIFY_RETURN_IF_ERROR(Required("reply", reply));
  RECTIFY_RETURN_IF_ERROR(MaxLength("reply", reply, 2000));
  auto open = std::find_if(task.urgings.rbegin(), task.urgings.rend(),
                           [](const Urging& u) { return u.reply_time == absl::InfinitePast(); });
  if (open == task.urgings.rend()) {
    return absl::FailedPreconditionError(
        absl::StrCat("task '", task.id, "' has no unanswered urging to reply to"));
  }
  open->reply = std::string(reply);
  open->replied_by = actor.person_id;
  open->reply_time = now;
  Event event = Finish(task, *row, actor, now, reply);
  event.details = {
      {"urging_number", absl::StrCat(task.urgings.rend() - open)}};
  return event;
}

}  // namespace rectify::domain
