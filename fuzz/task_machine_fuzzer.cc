// Fuzz target: random sequences of commands by random actors on one task,
// through the domain's state machine (domain/task.h), with the invariants
// checked after every step:
//   - the task is in exactly one known state, and a terminal one never moves;
//   - a command that succeeds matches a row of the table (from, action → to)
//     and records one event whose from/to states are the move made;
//   - a command that fails changes nothing;
//   - the counters match the events (rework = rejections, returns, urgings,
//     granted extensions) and money is never negative nor beyond kMaxFen.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "domain/task.h"
#include "fuzz/fuzz_input.h"

namespace rectify::fuzz {
namespace {

using domain::TaskAction;
using domain::TaskState;

[[noreturn]] void Broken(const char* invariant, const domain::Task& task, TaskAction action) {
  std::fprintf(stderr, "invariant broken: %s (task %s, state %s, after %s)\n", invariant,
               task.id.c_str(), std::string(domain::TaskStateName(task.state)).c_str(),
               std::string(domain::TaskActionName(action)).c_str());
  std::abort();
}

bool KnownState(TaskState s) {
  int n = 0;
  for (TaskState known : domain::kAllTaskStates) n += (known == s);
  return n == 1;
}

domain::Actor ActorFor(FuzzInput& in) {
  switch (in.Pick(5)) {
    case 0: return {"officer-1", "so-1", domain::Role::kStreetOfficer};
    case 1: return {"worker-1", "pc-1", domain::Role::kPropertyStaff};
    case 2: return {"sup-1", "sup", domain::Role::kSupervisor};
    case 3: return {"worker-2", "pc-2", domain::Role::kPropertyStaff};
    default: return {"vol-1", "vt-1", domain::Role::kVolunteer};
  }
}

std::string Hex64(FuzzInput& in) {
  if (in.Pick(4) == 0) return in.String(70);  // sometimes not a hash at all
  static const char kHex[] = "0123456789abcdef";
  std::string s(64, '0');
  for (char& c : s) c = kHex[in.Pick(16)];
  return s;
}

}  // namespace
}  // namespace rectify::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rectify;
  using namespace rectify::fuzz;
  FuzzInput in(data, size);
  domain::Task task;
  task.id = "T-1";
  task.campaign_id = "c1";
  task.community_id = "cm-1";
  task.street_office_id = "so-1";
  task.category = "sanitation";
  task.title = "垃圾箱满溢";
  task.budget.planned_fen = in.Int64() % (domain::kMaxFen + 1);
  if (task.budget.planned_fen < 0) task.budget.planned_fen = -task.budget.planned_fen;
  if (!domain::ValidateNewTask(task).ok()) return 0;

  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  int events = 0, rejects = 0, returns = 0, urges = 0, granted = 0;
  for (int step = 0; step < 64 && !in.empty(); ++step) {
    now += absl::Minutes(1 + in.Pick(600));
    const domain::Actor actor = ActorFor(in);
    const TaskAction action = domain::kAllTaskActions[in.Pick(std::size(domain::kAllTaskActions))];
    const domain::Task before = task;
    absl::StatusOr<domain::Event> event;
    bool approve = false;
    switch (action) {
      case TaskAction::kDispatch: {
        domain::DispatchArgs args;
        args.responsible_org_id = in.Pick(2) ? "pc-1" : "pc-2";
        args.responsible_person_id = args.responsible_org_id == "pc-1" ? "worker-1" : "worker-2";
        args.deadline = now + absl::Hours(static_cast<int64_t>(in.Pick(200)) - 20);
        event = domain::Dispatch(task, actor, args, now);
        break;
      }
      case TaskAction::kAcknowledge: event = domain::Acknowledge(task, actor, now); break;
      case TaskAction::kReturn: event = domain::Return(task, actor, in.String(20), now); break;
      case TaskAction::kStart: event = domain::Start(task, actor, now); break;
      case TaskAction::kSubmit: {
        domain::SubmitArgs args;
        for (size_t i = in.Pick(3); i > 0; --i) {
          domain::Evidence e;
          e.uri = in.Pick(4) ? "https://photos.example/a.jpg" : in.String(30);
          e.sha256 = Hex64(in);
          args.evidence.push_back(e);
        }
        if (in.Pick(2)) args.actual_fen = in.Int64() >> in.Pick(64);
        event = domain::Submit(task, actor, args, now);
        break;
      }
      case TaskAction::kVerify: event = domain::Verify(task, actor, in.String(10), now); break;
      case TaskAction::kReject: event = domain::Reject(task, actor, in.String(20), now); break;
      case TaskAction::kSuspend: {
        domain::SuspendArgs args;
        args.reason = in.String(20);
        if (in.Pick(2)) args.until = now + absl::Hours(static_cast<int64_t>(in.Pick(100)) - 10);
        event = domain::Suspend(task, actor, args, now);
        break;
      }
      case TaskAction::kResume:
        event = domain::Resume(task, actor, now + absl::Hours(in.Pick(100)), now);
        break;
      case TaskAction::kVoid: event = domain::Void(task, actor, in.String(20), now); break;
      case TaskAction::kRelease: event = domain::Release(task, actor, in.String(20), now); break;
      case TaskAction::kRequestExtension:
        event = domain::RequestExtension(
            task, actor, now + absl::Hours(static_cast<int64_t>(in.Pick(300)) - 50),
            in.String(20), static_cast<int>(in.Pick(4)), now);
        break;
      case TaskAction::kDecideExtension: {
        domain::ExtensionDecision decision;
        decision.approve = approve = in.Pick(2);
        decision.comment = in.String(10);
        event = domain::DecideExtension(task, actor, decision, now);
        break;
      }
      case TaskAction::kUrge: event = domain::Urge(task, actor, in.String(20), now); break;
      case TaskAction::kReplyUrge: event = domain::ReplyUrge(task, actor, in.String(20), now); break;
    }

    if (!KnownState(task.state)) Broken("the task is in exactly one known state", task, action);
    const domain::Transition* row = domain::FindTransition(before.state, action);
    if (event.ok()) {
      ++events;
      if (row == nullptr) Broken("a move outside the table succeeded", task, action);
      if (domain::IsTerminal(before.state)) Broken("a terminal task moved", task, action);
      if (task.state != row->to) Broken("the task is not in the row's target state", task, action);
      if (event->type != domain::TaskEventType(action)) Broken("the event type", task, action);
      if (row->to != row->from &&
          (event->from_state != domain::TaskStateName(before.state) ||
           event->to_state != domain::TaskStateName(task.state))) {
        Broken("the event's from/to states are not the move made", task, action);
      }
      if (action == TaskAction::kReject) ++rejects;
      if (action == TaskAction::kReturn) ++returns;
      if (action == TaskAction::kUrge) ++urges;
      if (action == TaskAction::kDecideExtension && approve) ++granted;
    } else {
      if (task.state != before.state || task.urgings.size() != before.urgings.size() ||
          task.budget.actual_fen != before.budget.actual_fen ||
          task.evidence.size() != before.evidence.size() || task.deadline != before.deadline) {
        Broken("a refused command changed the task", task, action);
      }
      if (row == nullptr && event.status().code() != absl::StatusCode::kFailedPrecondition) {
        Broken("an illegal move is not FAILED_PRECONDITION", task, action);
      }
    }
    if (task.rework_count != rejects) Broken("rework_count != rejections", task, action);
    if (task.return_count != returns) Broken("return_count != returns", task, action);
    if (static_cast<int>(task.urgings.size()) != urges) Broken("urgings != urge events", task, action);
    if (task.extension_count != granted) Broken("extension_count != granted", task, action);
    if (task.budget.planned_fen < 0 || task.budget.actual_fen < 0 ||
        task.budget.actual_fen > domain::kMaxFen) {
      Broken("money is negative or beyond kMaxFen", task, action);
    }
  }
  (void)events;
  return 0;
}
