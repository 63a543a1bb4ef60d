// The task state machine, exhaustively: every (state, action) pair, allowed or
// refused, and every party for every legal move.
#include "domain/task.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1714500000);  // 2024-04-30T18:00:00Z

const Actor kOfficer{"p-office", "so-1", Role::kStreetOfficer};
const Actor kOtherOfficer{"p-office-2", "so-2", Role::kStreetOfficer};
const Actor kWorker{"p-worker", "pc-1", Role::kPropertyStaff};
const Actor kOtherWorker{"p-worker-2", "pc-2", Role::kPropertyStaff};
const Actor kSupervisor{"p-sup", "sup-1", Role::kSupervisor};
const Actor kVolunteer{"p-vol", "pc-1", Role::kVolunteer};  // even inside the company

Task TaskIn(TaskState state) {
  Task task;
  task.id = "T-1";
  task.campaign_id = "C-1";
  task.community_id = "cm-1";
  task.street_office_id = "so-1";
  task.category = "sanitation";
  task.title = "垃圾箱满溢";
  task.state = state;
  if (state != TaskState::kOpen) {
    task.responsible_org_id = "pc-1";
    task.responsible_person_id = "p-worker";
    task.dispatch_time = kNow - absl::Hours(24);
    task.deadline = kNow + absl::Hours(72);
  }
  if (state == TaskState::kSuspended) task.suspended_at = kNow - absl::Hours(1);
  return task;
}

// Runs `action` with valid arguments.
absl::StatusOr<Event> Do(Task& task, TaskAction action, const Actor& actor) {
  switch (action) {
    case TaskAction::kDispatch:
      return Dispatch(task, actor, {"pc-1", "p-worker", kNow + absl::Hours(72),
                                    SlaUnit::kWorkingDays, "please"},
                      kNow);
    case TaskAction::kAcknowledge: return Acknowledge(task, actor, kNow);
    case TaskAction::kReturn: return Return(task, actor, "not ours", kNow);
    case TaskAction::kStart: return Start(task, actor, kNow);
    case TaskAction::kSubmit: {
      SubmitArgs args;
      args.evidence.push_back({"s3://photos/1.jpg", std::string(64, 'a'), "after", "", kNow});
      args.actual_fen = 12345;
      return Submit(task, actor, std::move(args), kNow);
    }
    case TaskAction::kVerify: return Verify(task, actor, "good", kNow);
    case TaskAction::kReject: return Reject(task, actor, "still dirty", kNow);
    case TaskAction::kSuspend: return Suspend(task, actor, {"waiting for budget"}, kNow);
    case TaskAction::kResume: return Resume(task, actor, kNow + absl::Hours(80), kNow);
    case TaskAction::kVoid: return Void(task, actor, "duplicate", kNow);
    case TaskAction::kRelease: return Release(task, actor, "contract terminated", kNow);
    case TaskAction::kRequestExtension:
      return RequestExtension(task, actor, task.deadline + absl::Hours(48), "rain", 2, kNow);
    case TaskAction::kDecideExtension: {
      task.pending_extension = ExtensionRequest{task.deadline + absl::Hours(48), "rain",
                                                "p-worker", kNow - absl::Hours(1)};
      return DecideExtension(task, actor, {true, "ok"}, kNow);
    }
    case TaskAction::kUrge: return Urge(task, actor, "speed up", kNow);
    case TaskAction::kReplyUrge: {
      Urging urging;
      urging.by = "p-sup";
      urging.opinion = "speed up";
      urging.time = kNow - absl::Hours(2);
      task.urgings.push_back(urging);
      return ReplyUrge(task, actor, "on it", kNow);
    }
  }
  return absl::InternalError("unreachable");
}

// An actor that plays every party allowed for the row and none vetoed.
Actor AllowedActor(const Transition& row) {
  if (row.allowed & kAssignee) return kWorker;
  if (row.allowed & kOffice) return kOfficer;
  return kSupervisor;
}

TEST(TaskStateMachineTest, EveryStateActionPairIsAllowedExactlyWhenInTheTable) {
  for (TaskState state : kAllTaskStates) {
    for (TaskAction action : kAllTaskActions) {
      SCOPED_TRACE(absl::StrCat(TaskStateName(state), " x ", TaskActionName(action)));
      Task task = TaskIn(state);
      const Transition* row = FindTransition(state, action);
      const Actor actor = row ? AllowedActor(*row) : kSupervisor;
      absl::StatusOr<Event> event = Do(task, action, actor);
      if (row == nullptr) {
        EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_THAT(event.status().message(),
                    HasSubstr(absl::StrCat("is in state ", TaskStateName(state))));
        EXPECT_EQ(task.state, state) << "a refused move must not change the task";
      } else {
        ASSERT_TRUE(event.ok()) << event.status();
        EXPECT_EQ(task.state, row->to);
        EXPECT_EQ(event->type, TaskEventType(action));
        EXPECT_EQ(event->subject, "tasks/T-1");
        EXPECT_EQ(event->actor_person_id, actor.person_id);
        EXPECT_EQ(event->time, kNow);
        if (row->from != row->to) {
          EXPECT_EQ(event->from_state, TaskStateName(state));
          EXPECT_EQ(event->to_state, TaskStateName(row->to));
        } else {
          EXPECT_EQ(event->from_state, "");
        }
      }
    }
  }
}

TEST(TaskStateMachineTest, EveryLegalMoveAdmitsExactlyItsParties) {
  const Actor actors[] = {kOfficer, kOtherOfficer, kWorker, kOtherWorker, kSupervisor, kVolunteer};
  for (const Transition& row : TransitionTable()) {
    for (const Actor& actor : actors) {
      SCOPED_TRACE(absl::StrCat(TaskStateName(row.from), " x ", TaskActionName(row.action),
                                " by ", actor.person_id));
      Task task = TaskIn(row.from);
      const PartySet parties = PartiesOf(actor, task);
      const bool may = (parties & row.allowed) != 0 && (parties & row.vetoed) == 0;
      absl::StatusOr<Event> event = Do(task, row.action, actor);
      if (may) {
        EXPECT_TRUE(event.ok()) << event.status();
      } else {
        EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied);
        EXPECT_EQ(task.state, row.from);
      }
    }
  }
}

TEST(TaskStateMachineTest, TableHasNoDuplicatePairsAndTerminalStatesHaveNoExits) {
  for (const Transition& a : TransitionTable()) {
    EXPECT_FALSE(IsTerminal(a.from)) << TaskStateName(a.from);
    int same = 0;
    for (const Transition& b : TransitionTable()) same += (a.from == b.from && a.action == b.action);
    EXPECT_EQ(same, 1);
  }
}

TEST(TaskStateMachineTest, ResponsibleStreetOfficeCannotVerifyItsOwnWork) {
  Task task = TaskIn(TaskState::kSubmitted);
  task.responsible_org_id = "so-1";  // the street office fixes it itself
  absl::StatusOr<Event> event = Verify(task, kOfficer, "", kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(event.status().message(), HasSubstr("its own work"));
  EXPECT_TRUE(Verify(task, kSupervisor, "", kNow).ok());
}

TEST(TaskStateMachineTest, PropertyCompanyVerifyingIsRefusedWithWhoMay) {
  Task task = TaskIn(TaskState::kSubmitted);
  absl::StatusOr<Event> event = Verify(task, kWorker, "", kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(event.status().message(), HasSubstr("street office"));
}

TEST(TaskStateMachineTest, WrongStateMessageNamesCurrentAndNeededStates) {
  Task task = TaskIn(TaskState::kSubmitted);
  absl::StatusOr<Event> event = Start(task, kWorker, kNow);
  EXPECT_EQ(event.status().message(), "task 'T-1' is in state SUBMITTED; 'start' needs ACCEPTED");
}

TEST(TaskTest, DispatchSetsOwnerAndDeadline) {
  Task task = TaskIn(TaskState::kOpen);
  ASSERT_TRUE(Dispatch(task, kOfficer, {"pc-1", "p-worker", kNow + absl::Hours(5),
                                        SlaUnit::kWorkingHours, ""},
                       kNow)
                  .ok());
  EXPECT_EQ(task.responsible_org_id, "pc-1");
  EXPECT_EQ(task.deadline, kNow + absl::Hours(5));
  EXPECT_EQ(task.sla_unit, SlaUnit::kWorkingHours);
  EXPECT_EQ(task.dispatch_time, kNow);
}

TEST(TaskTest, DispatchWithoutOrganisationIsInvalidArgumentNamingField) {
  Task task = TaskIn(TaskState::kOpen);
  absl::StatusOr<Event> event =
      Dispatch(task, kOfficer, {"", "p", kNow + absl::Hours(5), SlaUnit::kWorkingDays, ""}, kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(event.status().message(), HasSubstr("responsible_org_id"));
  EXPECT_EQ(task.state, TaskState::kOpen);
}

TEST(TaskTest, DispatchWithPastDeadlineIsRefused) {
  Task task = TaskIn(TaskState::kOpen);
  absl::StatusOr<Event> event = Dispatch(
      task, kOfficer, {"pc-1", "p", kNow - absl::Hours(1), SlaUnit::kWorkingDays, ""}, kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(event.status().message(), HasSubstr("deadline"));
}

TEST(TaskTest, ReturnClearsOwnerAndCounts) {
  Task task = TaskIn(TaskState::kAccepted);
  ASSERT_TRUE(Return(task, kWorker, "not our community", kNow).ok());
  EXPECT_EQ(task.state, TaskState::kOpen);
  EXPECT_EQ(task.responsible_org_id, "");
  EXPECT_EQ(task.return_count, 1);
  EXPECT_FALSE(task.IsOverdue(kNow + absl::Hours(1000)));
}

TEST(TaskTest, ReturnWithoutReasonIsInvalid) {
  Task task = TaskIn(TaskState::kDispatched);
  EXPECT_EQ(Return(task, kWorker, "  ", kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TaskTest, SubmitNeedsEvidenceWithRealHash) {
  Task task = TaskIn(TaskState::kInProgress);
  EXPECT_THAT(Submit(task, kWorker, {}, kNow).status().message(), HasSubstr("evidence"));
  SubmitArgs bad;
  bad.evidence.push_back({"photo.jpg", "xyz", "", "", kNow});
  absl::StatusOr<Event> event = Submit(task, kWorker, bad, kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(event.status().message(), HasSubstr("evidence[0].sha256"));
  EXPECT_EQ(task.state, TaskState::kInProgress);
  EXPECT_TRUE(task.evidence.empty());
}

TEST(TaskTest, SubmitRefusesNegativeMoney) {
  Task task = TaskIn(TaskState::kInProgress);
  SubmitArgs args;
  args.evidence.push_back({"p.jpg", std::string(64, 'b'), "", "", kNow});
  args.actual_fen = -1;
  EXPECT_THAT(Submit(task, kWorker, args, kNow).status().message(), HasSubstr("actual_fen"));
}

TEST(TaskTest, RejectCountsReworkAndReturnsToInProgress) {
  Task task = TaskIn(TaskState::kSubmitted);
  ASSERT_TRUE(Reject(task, kOfficer, "bins still full", kNow).ok());
  ASSERT_TRUE(Submit(task, kWorker,
                     {{{"p.jpg", std::string(64, 'c'), "", "", kNow}}, std::nullopt, ""}, kNow)
                  .ok());
  ASSERT_TRUE(Reject(task, kOfficer, "again", kNow).ok());
  EXPECT_EQ(task.rework_count, 2);
  EXPECT_EQ(task.state, TaskState::kInProgress);
}

TEST(TaskTest, OverdueOnlyWhileTheClockRuns) {
  Task task = TaskIn(TaskState::kInProgress);
  const absl::Time late = task.deadline + absl::Seconds(1);
  EXPECT_TRUE(task.IsOverdue(late));
  EXPECT_FALSE(task.IsOverdue(task.deadline));
  for (TaskState stopped : {TaskState::kSubmitted, TaskState::kSuspended, TaskState::kClosed,
                            TaskState::kVoided, TaskState::kOpen}) {
    task.state = stopped;
    EXPECT_FALSE(task.IsOverdue(late)) << TaskStateName(stopped);
  }
}

TEST(TaskTest, DueWithinIsAHalfOpenWindowFromNow) {
  Task task = TaskIn(TaskState::kAccepted);  // deadline = now + 72h
  EXPECT_TRUE(task.IsDueWithin(kNow, absl::Hours(73)));
  EXPECT_FALSE(task.IsDueWithin(kNow, absl::Hours(72)));
  EXPECT_FALSE(task.IsDueWithin(kNow + absl::Hours(80), absl::Hours(100)));
}

TEST(TaskTest, ExtensionRefusedOnceOverdue) {
  Task task = TaskIn(TaskState::kInProgress);
  const absl::Time late = task.deadline + absl::Minutes(1);
  absl::StatusOr<Event> event =
      RequestExtension(task, kWorker, task.deadline + absl::Hours(24), "rain", 2, late);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(event.status().message(), HasSubstr("overdue"));
}

TEST(TaskTest, ExtensionsAreCapped) {
  Task task = TaskIn(TaskState::kInProgress);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(
        RequestExtension(task, kWorker, task.deadline + absl::Hours(24), "rain", 2, kNow).ok());
    ASSERT_TRUE(DecideExtension(task, kOfficer, {true, ""}, kNow).ok());
  }
  EXPECT_EQ(task.extension_count, 2);
  absl::StatusOr<Event> third =
      RequestExtension(task, kWorker, task.deadline + absl::Hours(24), "rain", 2, kNow);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(third.status().message(), HasSubstr("at most 2"));
}

TEST(TaskTest, DeniedExtensionKeepsDeadlineAndAllowsAnotherRequest) {
  Task task = TaskIn(TaskState::kInProgress);
  const absl::Time deadline = task.deadline;
  ASSERT_TRUE(RequestExtension(task, kWorker, deadline + absl::Hours(24), "rain", 2, kNow).ok());
  EXPECT_EQ(RequestExtension(task, kWorker, deadline + absl::Hours(48), "more", 2, kNow)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(DecideExtension(task, kOfficer, {false, "no"}, kNow).ok());
  EXPECT_EQ(task.deadline, deadline);
  EXPECT_EQ(task.extension_count, 0);
  EXPECT_FALSE(task.pending_extension.has_value());
  EXPECT_EQ(DecideExtension(task, kOfficer, {true, ""}, kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(TaskTest, ExtensionMustMoveTheDeadlineLater) {
  Task task = TaskIn(TaskState::kInProgress);
  EXPECT_THAT(RequestExtension(task, kWorker, task.deadline, "x", 2, kNow).status().message(),
              HasSubstr("new_deadline"));
}

TEST(TaskTest, SuspendAndResumeTakesTheNewDeadline) {
  Task task = TaskIn(TaskState::kInProgress);
  ASSERT_TRUE(Suspend(task, kOfficer, {"awaiting budget", kNow + absl::Hours(48)}, kNow).ok());
  EXPECT_EQ(task.suspended_at, kNow);
  EXPECT_FALSE(task.IsOverdue(kNow + absl::Hours(1000)));
  absl::StatusOr<Event> event =
      Resume(task, kOfficer, kNow + absl::Hours(200), kNow + absl::Hours(100));
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(task.deadline, kNow + absl::Hours(200));
  EXPECT_EQ(event->Detail("paused_seconds"), "360000");
}

TEST(TaskTest, UrgeAndReplyPairUp) {
  Task task = TaskIn(TaskState::kInProgress);
  EXPECT_EQ(ReplyUrge(task, kWorker, "?", kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Urge(task, kSupervisor, "overdue soon", kNow).ok());
  ASSERT_TRUE(ReplyUrge(task, kWorker, "tomorrow", kNow + absl::Hours(1)).ok());
  ASSERT_EQ(task.urgings.size(), 1u);
  EXPECT_EQ(task.urgings[0].reply, "tomorrow");
  EXPECT_EQ(task.urgings[0].replied_by, "p-worker");
}

TEST(TaskTest, VolunteerCannotDispatch) {
  Task task = TaskIn(TaskState::kOpen);
  absl::StatusOr<Event> event = Do(task, TaskAction::kDispatch, kVolunteer);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(event.status().message(), HasSubstr("volunteer"));
}

TEST(TaskTest, ValidateNewTaskNamesTheField) {
  Task task = TaskIn(TaskState::kOpen);
  EXPECT_TRUE(ValidateNewTask(task).ok());
  task.title = "";
  EXPECT_THAT(ValidateNewTask(task).message(), HasSubstr("'title'"));
  task = TaskIn(TaskState::kOpen);
  task.budget.planned_fen = -5;
  EXPECT_THAT(ValidateNewTask(task).message(), HasSubstr("budget.planned_fen"));
}

}  // namespace
}  // namespace rectify::domain
