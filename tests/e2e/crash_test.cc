// Durability through the real binary: writes acknowledged to a client survive
// `kill -9` of the server, and a graceful SIGTERM stops it cleanly.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"
#include "tests/testing/server_process.h"

namespace rectify::test {
namespace {

TEST(CrashTest, AcknowledgedWritesSurviveKillNine) {
  TempDir dir;
  ServerProcess server(dir.path());
  ASSERT_NO_FATAL_FAILURE(server.Start());
  const std::string token = ReadToken(dir.path() + "/rectify.db.admin-token");
  ASSERT_FALSE(token.empty());
  auto admin = server.Connect(token);
  ASSERT_NO_FATAL_FAILURE(SeedMinimalCity(*admin));

  // Four writers create tasks as fast as they can; the server is killed
  // mid-stream. Every task whose creation was acknowledged must be there.
  constexpr int kWriters = 4;
  std::vector<std::vector<std::string>> acknowledged(kWriters);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto client = server.Connect(token);
      for (int i = 0; !stop.load(); ++i) {
        v1::CreateTaskRequest req;
        req.mutable_task()->set_campaign_id("c1");
        req.mutable_task()->set_community_id("cm-1");
        req.mutable_task()->set_category("sanitation");
        req.mutable_task()->set_title(absl::StrCat("writer ", w, " task ", i));
        auto task = client->CreateTask(req);
        if (!task.ok()) break;  // the server is gone
        acknowledged[w].push_back(task->id());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const int status = server.Kill(SIGKILL);
  stop = true;
  for (std::thread& t : writers) t.join();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  size_t total = 0;
  for (const auto& ids : acknowledged) total += ids.size();
  ASSERT_GT(total, 10u) << "too few writes to prove anything";

  ASSERT_NO_FATAL_FAILURE(server.Start());
  auto after = server.Connect(token);
  for (const auto& ids : acknowledged) {
    for (const std::string& id : ids) {
      v1::GetTaskRequest get;
      get.set_id(id);
      auto task = after->GetTask(get);
      EXPECT_TRUE(task.ok()) << id << " was acknowledged but is gone: " << task.status();
    }
  }
  v1::ListTasksRequest list;
  auto listed = after->ListTasks(list);
  ASSERT_TRUE(listed.ok());
  // At most the in-flight creations (one per writer) may have committed
  // without their acknowledgement arriving.
  EXPECT_GE(listed->total_size(), static_cast<int64_t>(total));
  EXPECT_LE(listed->total_size(), static_cast<int64_t>(total + kWriters));
}

TEST(CrashTest, SigtermShutsDownGracefullyAndTheDataStays) {
  TempDir dir;
  ServerProcess server(dir.path());
  ASSERT_NO_FATAL_FAILURE(server.Start());
  const std::string token = ReadToken(dir.path() + "/rectify.db.admin-token");
  auto admin = server.Connect(token);
  ASSERT_NO_FATAL_FAILURE(SeedMinimalCity(*admin));
  const int status = server.Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ASSERT_NO_FATAL_FAILURE(server.Start());
  auto again = server.Connect(token);
  v1::GetCampaignRequest get;
  get.set_id("c1");
  EXPECT_TRUE(again->GetCampaign(get).ok());
}

}  // namespace
}  // namespace rectify::test
