// A task's whole life through the real server, driven by the client library as
// the people who would do each step: dispatch, return, rework, extension,
// suspension, void; deadlines from the service levels and the calendar.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/convert.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

class TaskLifecycleTest : public CityTest {};

TEST_F(TaskLifecycleTest, WholeLifeWithReturnReworkExtensionAndSuspension) {
  v1::Task task = OpenTask("cm-1", "sanitation", "3号楼垃圾箱满溢");
  const std::string id = task.id();
  EXPECT_EQ(task.state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(task.street_office_id(), "so-1");
  EXPECT_EQ(task.budget().planned_fen(), 50000);

  // Dispatched to the wrong company, which returns it.
  auto change = As("officer-1").DispatchTask(Dispatch(id, "pc-2"));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->task().responsible_person_id(), "worker-2");  // the head, by default
  auto ret = ById<v1::ReturnTaskRequest>(id);
  ret.set_reason("not our community");
  change = As("worker-2").ReturnTask(ret);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->task().state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(change->task().return_count(), 1);
  EXPECT_EQ(change->event().type(), "task.returned");

  // Dispatched right: sanitation is 3 working days. Monday 09:00 → Thursday 09:00.
  change = As("officer-1").DispatchTask(Dispatch(id, "pc-1", "worker-1b"));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(FromTs(change->task().deadline()), At("2024-05-09 09:00"));
  EXPECT_EQ(change->task().responsible_head_person_id(), "worker-1");
  EXPECT_EQ(change->task().sla_unit(), v1::SLA_UNIT_WORKING_DAYS);

  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(As("worker-1b").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(id)).ok());
  ASSERT_TRUE(As("worker-1b").StartTask(ById<v1::StartTaskRequest>(id)).ok());

  // An extension of two days, approved.
  auto ext = ById<v1::RequestExtensionRequest>(id);
  server::ToProto(At("2024-05-11 09:00"), ext.mutable_new_deadline());
  ext.set_reason("waiting for new bins");
  change = As("worker-1b").RequestExtension(ext);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_TRUE(change->task().has_pending_extension());
  auto decide = ById<v1::DecideExtensionRequest>(id);
  decide.set_approve(true);
  change = As("officer-1").DecideExtension(decide);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(FromTs(change->task().deadline()), At("2024-05-11 09:00"));
  EXPECT_EQ(change->task().extension_count(), 1);

  // Suspended Wednesday 10:00 for a week; the clock pauses.
  clock_.Set(At("2024-05-08 10:00"));
  auto suspend = ById<v1::SuspendTaskRequest>(id);
  suspend.set_reason("budget approval");
  ASSERT_TRUE(As("officer-1").SuspendTask(suspend).ok());
  clock_.Set(At("2024-05-15 10:00"));  // past the old deadline, but paused
  auto listed = As("sup-1").ListTasks([] {
    v1::ListTasksRequest r;
    r.set_overdue(true);
    return r;
  }());
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total_size(), 0);
  change = As("officer-1").ResumeTask(ById<v1::ResumeTaskRequest>(id));
  ASSERT_TRUE(change.ok()) << change.status();
  // Left at suspension: Wed 10:00 → Sat 09:00 (Saturday 05-11 is a make-up
  // working day): 71 working-day hours. From Wed 05-15 10:00: Thu, Fri, and
  // Mon 05-20 09:00 (the weekend of 05-18/19 skipped).
  EXPECT_EQ(FromTs(change->task().deadline()), At("2024-05-20 09:00"));

  // Submitted, rejected (rework), submitted again, verified.
  clock_.Advance(absl::Hours(2));
  change = As("worker-1b").SubmitTask(Submit(id));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->task().budget().actual_fen(), 42000);
  auto reject = ById<v1::RejectTaskRequest>(id);
  reject.set_reason("bins still overflowing");
  change = As("officer-1").RejectTask(reject);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->task().state(), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_EQ(change->task().rework_count(), 1);
  ASSERT_TRUE(As("worker-1b").SubmitTask(Submit(id)).ok());
  change = As("officer-1").VerifyTask(ById<v1::VerifyTaskRequest>(id));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->task().state(), v1::TASK_STATE_CLOSED);
  EXPECT_EQ(change->event().details().at("on_time"), "true");
  EXPECT_EQ(change->task().evidence_size(), 2);

  // The whole history, in order, with who did what.
  v1::GetTaskRequest get;
  get.set_id(id);
  get.set_include_history(true);
  auto full = As("sup-1").GetTask(get);
  ASSERT_TRUE(full.ok()) << full.status();
  std::vector<std::string> types;
  for (const v1::Event& e : full->history()) types.push_back(e.type());
  EXPECT_THAT(types,
              ElementsAre("task.created", "task.dispatched", "task.returned", "task.dispatched",
                          "task.acknowledged", "task.started", "task.extension_requested",
                          "task.extension_decided", "task.suspended", "task.resumed",
                          "task.submitted", "task.rejected", "task.submitted", "task.verified"));
  EXPECT_EQ(full->history(2).actor_person_id(), "worker-2");
  EXPECT_EQ(full->history(2).reason(), "not our community");
  for (int i = 1; i < full->history_size(); ++i) {
    EXPECT_GT(full->history(i).seq(), full->history(i - 1).seq());
  }
}

TEST_F(TaskLifecycleTest, VoidEndsTheTaskAndNothingMovesAfter) {
  v1::Task task = TaskIn(v1::TASK_STATE_ACCEPTED);
  auto req = ById<v1::VoidTaskRequest>(task.id());
  req.set_reason("duplicate of another task");
  auto change = As("officer-1").VoidTask(req);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->task().state(), v1::TASK_STATE_VOIDED);
  auto start = As("worker-1").StartTask(ById<v1::StartTaskRequest>(task.id()));
  EXPECT_EQ(start.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(start.status().message(), HasSubstr("is in state VOIDED"));
}

TEST_F(TaskLifecycleTest, WorkingHoursSkipLunchAndNight) {
  v1::Task task = OpenTask("cm-1", "urgent_repair", "水管爆裂");
  clock_.Set(At("2024-05-06 16:00"));
  auto change = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  ASSERT_TRUE(change.ok()) << change.status();
  // 8 working hours: 16:00-17:30 (1.5h), Tue 09:00-12:00 (3h), 13:30-17:00 (3.5h).
  EXPECT_EQ(FromTs(change->task().deadline()), At("2024-05-07 17:00"));
}

TEST_F(TaskLifecycleTest, NaturalHoursRunThroughTheWeekend) {
  v1::Task task = OpenTask("cm-1", "safety_hazard", "私拉电线充电");
  clock_.Set(At("2024-05-10 20:00"));  // Friday evening
  auto change = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(FromTs(change->task().deadline()), At("2024-05-11 20:00"));
}

TEST_F(TaskLifecycleTest, OverdueIsDerivedFromTheClock) {
  v1::Task task = TaskIn(v1::TASK_STATE_IN_PROGRESS);  // due Thursday 09:00
  v1::GetTaskRequest get;
  get.set_id(task.id());
  EXPECT_FALSE(As("sup-1").GetTask(get)->overdue());
  clock_.Set(At("2024-05-09 09:01"));
  EXPECT_TRUE(As("sup-1").GetTask(get)->overdue());
  // An extension is refused once overdue.
  auto ext = ById<v1::RequestExtensionRequest>(task.id());
  server::ToProto(At("2024-05-20 09:00"), ext.mutable_new_deadline());
  ext.set_reason("late");
  auto refused = As("worker-1").RequestExtension(ext);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("overdue"));
}

TEST_F(TaskLifecycleTest, UrgingAndReplyAreRecorded) {
  v1::Task task = TaskIn(v1::TASK_STATE_DISPATCHED);
  auto urge = ById<v1::UrgeTaskRequest>(task.id());
  urge.set_opinion("请今天签收");
  ASSERT_TRUE(As("sup-1").UrgeTask(urge).ok());
  auto reply = ById<v1::ReplyUrgingRequest>(task.id());
  reply.set_reply("已安排");
  auto change = As("worker-1").ReplyUrging(reply);
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->task().urgings_size(), 1);
  EXPECT_EQ(change->task().urgings(0).by(), "sup-1");
  EXPECT_EQ(change->task().urgings(0).reply(), "已安排");
  EXPECT_EQ(change->task().urgings(0).replied_by(), "worker-1");
}

}  // namespace
}  // namespace rectify::test
