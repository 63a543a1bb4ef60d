// Online backup while the real server writes, and an offline restore, through
// the rectify-admin tool.
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "storage/sqlite_maintenance.h"
#include "tests/testing/city_fixture.h"
#include "tests/testing/server_process.h"

namespace rectify::test {
namespace {

int RunAdmin(const std::string& args) {
  const std::string command =
      absl::StrCat(RECTIFY_BINARY_DIR "/bin/rectify-admin ", args, " 2>&1");
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(BackupTest, BackupWhileWritingHoldsEveryEarlierWriteAndRestores) {
  TempDir dir;
  ServerProcess server(dir.path(), {"--shutdown_grace=1s"});
  ASSERT_NO_FATAL_FAILURE(server.Start());
  const std::string token = ReadToken(server.db_path() + ".admin-token");
  auto admin = server.Connect(token);
  ASSERT_NO_FATAL_FAILURE(SeedMinimalCity(*admin));

  std::mutex mu;
  std::vector<std::string> acknowledged;  // guarded by mu
  std::atomic<int> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      auto client = server.Connect(token);
      for (int i = 0; !stop.load(); ++i) {
        v1::CreateTaskRequest req;
        req.mutable_task()->set_campaign_id("c1");
        req.mutable_task()->set_community_id("cm-1");
        req.mutable_task()->set_category("sanitation");
        req.mutable_task()->set_title(absl::StrCat("writer ", w, " task ", i));
        auto task = client->CreateTask(req);
        if (!task.ok()) {
          ++errors;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(task->id());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<std::string> before;
  {
    std::lock_guard<std::mutex> lock(mu);
    before = acknowledged;
  }
  const std::string backup = dir.path() + "/backup.db";
  EXPECT_EQ(RunAdmin(absl::StrCat("backup --db ", server.db_path(), " --out ", backup)), 0);
  size_t after_backup;
  {
    std::lock_guard<std::mutex> lock(mu);
    after_backup = acknowledged.size();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(errors.load(), 0) << "writes failed while the backup ran";
  ASSERT_GT(before.size(), 10u) << "too few writes before the backup to prove anything";
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_GT(acknowledged.size(), after_backup) << "writes did not go on after the backup";
  }

  auto check = storage::CheckDatabase(backup);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_GE(check->tasks, static_cast<int64_t>(before.size()));
  // A second backup to the same file is refused rather than overwriting it.
  EXPECT_NE(RunAdmin(absl::StrCat("backup --db ", server.db_path(), " --out ", backup)), 0);

  ASSERT_EQ(server.Kill(SIGTERM), 0);
  ASSERT_EQ(RunAdmin(absl::StrCat("restore --backup ", backup, " --db ", server.db_path())), 0);
  ASSERT_NO_FATAL_FAILURE(server.Start());
  auto restored = server.Connect(token);
  for (const std::string& id : before) {
    v1::GetTaskRequest get;
    get.set_id(id);
    auto task = restored->GetTask(get);
    EXPECT_TRUE(task.ok()) << id << " was acknowledged before the backup but is not restored: "
                           << task.status();
  }
  v1::ListTasksRequest list;
  auto listed = restored->ListTasks(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->total_size(), check->tasks) << "the restored server serves the backup";
  EXPECT_EQ(server.Kill(SIGTERM), 0);
  auto after = storage::CheckDatabase(server.db_path());
  EXPECT_TRUE(after.ok()) << after.status();
}

TEST(BackupTest, RestoreRefusesADamagedBackupAndLeavesTheDatabase) {
  TempDir dir;
  ServerProcess server(dir.path());
  ASSERT_NO_FATAL_FAILURE(server.Start());
  ASSERT_EQ(server.Kill(SIGTERM), 0);
  const std::string bad = dir.path() + "/bad.db";
  ASSERT_EQ(std::system(absl::StrCat("head -c 8192 /dev/urandom > ", bad).c_str()), 0);
  EXPECT_NE(RunAdmin(absl::StrCat("restore --backup ", bad, " --db ", server.db_path())), 0);
  auto check = storage::CheckDatabase(server.db_path());
  EXPECT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(storage::CheckDatabase(bad).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace rectify::test
