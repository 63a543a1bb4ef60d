// The event feed through the real server: scopes, type filters, following new
// events as they commit, and a subscriber that resumes from its cursor after a
// restart of the server with nothing missed.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class EventFeedTest : public CityTest {
 protected:
  // The backlog after `after_seq`, as `who` sees it.
  std::vector<v1::Event> Backlog(const std::string& who, int64_t after_seq = 0,
                                 std::vector<std::string> types = {}) {
    v1::SubscribeRequest req;
    req.set_after_seq(after_seq);
    for (const std::string& t : types) req.add_types(t);
    std::vector<v1::Event> events;
    absl::Status status = As(who).Subscribe(req, [&](const v1::Event& e) {
      events.push_back(e);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status;
    return events;
  }
};

TEST_F(EventFeedTest, EachSubscriberSeesItsScope) {
  v1::Task mine = TaskIn(v1::TASK_STATE_ACCEPTED);  // cm-1, pc-1
  v1::Task theirs = OpenTask("cm-2");               // so-2
  std::vector<v1::Event> all = Backlog("sup-1");
  std::vector<v1::Event> company = Backlog("worker-1");
  std::vector<v1::Event> other_company = Backlog("worker-2");
  std::vector<v1::Event> office = Backlog("officer-2");

  // The supervisor sees every event, in seq order, with no gaps.
  ASSERT_FALSE(all.empty());
  for (size_t i = 1; i < all.size(); ++i) EXPECT_EQ(all[i].seq(), all[i - 1].seq() + 1);
  // pc-1 sees its task's life from dispatch on, nothing of so-2's.
  std::set<std::string> subjects;
  for (const v1::Event& e : company) subjects.insert(e.subject());
  EXPECT_THAT(subjects, Contains("tasks/" + mine.id()));
  EXPECT_EQ(subjects.count("tasks/" + theirs.id()), 0u);
  EXPECT_TRUE(other_company.empty() ||
              std::none_of(other_company.begin(), other_company.end(), [&](const v1::Event& e) {
                return e.subject() == "tasks/" + mine.id();
              }));
  // so-2 sees its own community's task, not so-1's.
  bool saw_theirs = false;
  for (const v1::Event& e : office) {
    EXPECT_NE(e.subject(), "tasks/" + mine.id());
    saw_theirs |= e.subject() == "tasks/" + theirs.id();
  }
  EXPECT_TRUE(saw_theirs);
}

TEST_F(EventFeedTest, TypesFilterByExactNameOrPrefix) {
  TaskIn(v1::TASK_STATE_IN_PROGRESS);
  std::vector<v1::Event> dispatched = Backlog("sup-1", 0, {"task.dispatched"});
  ASSERT_EQ(dispatched.size(), 1u);
  EXPECT_EQ(dispatched[0].type(), "task.dispatched");
  std::vector<v1::Event> tasks = Backlog("sup-1", 0, {"task."});
  ASSERT_EQ(tasks.size(), 4u);  // created, dispatched, acknowledged, started
  v1::SubscribeRequest bad;
  bad.add_types("");
  EXPECT_EQ(As("sup-1").Subscribe(bad, [](const v1::Event&) { return true; }).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EventFeedTest, AFollowingSubscriberGetsNewEventsAsTheyCommit) {
  const int64_t start = Backlog("sup-1").back().seq();
  absl::Mutex mu;
  std::vector<v1::Event> received;
  std::thread subscriber([&] {
    v1::SubscribeRequest req;
    req.set_after_seq(start);
    req.set_follow(true);
    req.add_types("task.");
    absl::Status status = As("worker-1").Subscribe(req, [&](const v1::Event& e) {
      absl::MutexLock lock(&mu);
      received.push_back(e);
      return e.type() != "task.acknowledged";  // stop after the acknowledgement
    });
    EXPECT_TRUE(status.ok()) << status;
  });
  v1::Task task = OpenTask();
  ASSERT_TRUE(As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1")).ok());
  ASSERT_TRUE(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(task.id())).ok());
  subscriber.join();
  absl::MutexLock lock(&mu);
  // The creation was the street office's alone (no company yet): pc-1 hears
  // from the dispatch on.
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].type(), "task.dispatched");
  EXPECT_EQ(received[1].type(), "task.acknowledged");
  EXPECT_GT(received[0].seq(), start);
}

TEST_F(EventFeedTest, ASubscriberResumesFromItsCursorAfterARestartWithNothingMissed) {
  TaskIn(v1::TASK_STATE_DISPATCHED);
  // The bureau's-style integration: read what there is, remember the cursor.
  std::vector<v1::Event> first = Backlog("sup-1");
  const int64_t cursor = first.back().seq();

  // While it is offline, the server restarts and work goes on.
  Restart();
  v1::Task later = TaskIn(v1::TASK_STATE_CLOSED);

  std::vector<v1::Event> rest = Backlog("sup-1", cursor);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front().seq(), cursor + 1);
  for (size_t i = 1; i < rest.size(); ++i) EXPECT_EQ(rest[i].seq(), rest[i - 1].seq() + 1);
  EXPECT_EQ(rest.back().type(), "task.verified");
  EXPECT_EQ(rest.back().subject(), "tasks/" + later.id());
  // Together they are exactly the whole feed.
  EXPECT_EQ(first.size() + rest.size(), Backlog("sup-1").size());
}

TEST_F(EventFeedTest, AFollowingStreamEndsUnavailableWhenTheServerStops) {
  std::atomic<bool> started{false};
  absl::Status status;
  std::thread subscriber([&] {
    v1::SubscribeRequest req;
    req.set_follow(true);
    status = As("sup-1").Subscribe(req, [&](const v1::Event&) {
      started = true;
      return true;
    });
  });
  while (!started) absl::SleepFor(absl::Milliseconds(5));
  server_->Shutdown(absl::Seconds(5));
  subscriber.join();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("resume after seq"));
}

}  // namespace
}  // namespace rectify::test
