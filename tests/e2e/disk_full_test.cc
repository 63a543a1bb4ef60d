// A full disk under the real binary: a write that cannot be stored gets
// RESOURCE_EXHAUSTED, nothing of it is kept, and writes succeed again once
// space returns, without a restart. Runs on a small tmpfs mounted for the test
// (needs root; skipped, saying why, where mounting is not permitted).
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "storage/sqlite_maintenance.h"
#include "tests/testing/city_fixture.h"
#include "tests/testing/server_process.h"

namespace rectify::test {
namespace {

class SmallDisk {
 public:
  explicit SmallDisk(std::string path) : path_(std::move(path)) {
    mkdir(path_.c_str(), 0700);
    mounted_ = mount("tmpfs", path_.c_str(), "tmpfs", 0, "size=3m,mode=0700") == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

v1::CreateTaskRequest BigTask(const std::string& id) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_id(id);
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("sanitation");
  req.mutable_task()->set_title("big");
  req.mutable_task()->set_description(std::string(3000, 'x'));
  return req;
}

TEST(DiskFullTest, FullDiskIsResourceExhaustedNothingHalfWrittenAndRecovers) {
  TempDir dir;
  const std::string mnt = dir.path() + "/small";
  SmallDisk disk(mnt);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a 3 MB tmpfs here: " << disk.error();
  // Ballast taking a third of the disk, removed later to give space back.
  const std::string ballast = mnt + "/ballast";
  {
    std::ofstream out(ballast, std::ios::binary);
    out << std::string(1 << 20, 'b');
  }
  {
    ServerProcess server(mnt);
    ASSERT_NO_FATAL_FAILURE(server.Start());
    const std::string token = ReadToken(server.db_path() + ".admin-token");
    auto client = server.Connect(token);
    ASSERT_NO_FATAL_FAILURE(SeedMinimalCity(*client));

    int stored = 0;
    absl::Status failure;
    std::string failed_id;
    for (int i = 0; i < 5000; ++i) {
      const std::string id = absl::StrCat("F-", i);
      auto task = client->CreateTask(BigTask(id));
      if (!task.ok()) {
        failure = task.status();
        failed_id = id;
        break;
      }
      ++stored;
    }
    ASSERT_FALSE(failure.ok()) << "the disk never filled";
    EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
    EXPECT_TRUE(absl::StrContains(failure.message(), "disk is full")) << failure;
    ASSERT_GT(stored, 10);

    // Nothing of the failed write was kept; reads still work.
    v1::GetTaskRequest get;
    get.set_id(failed_id);
    EXPECT_EQ(client->GetTask(get).status().code(), absl::StatusCode::kNotFound);
    v1::ListTasksRequest list;
    auto listed = client->ListTasks(list);
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->total_size(), stored);

    // Space returns: the same server takes writes again.
    ASSERT_EQ(unlink(ballast.c_str()), 0);
    auto again = client->CreateTask(BigTask(failed_id));
    EXPECT_TRUE(again.ok()) << again.status();
    auto more = client->CreateTask(BigTask("F-after"));
    EXPECT_TRUE(more.ok()) << more.status();
    listed = client->ListTasks(list);
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->total_size(), stored + 2);
    server.Kill(SIGTERM);
  }
  auto check = storage::CheckDatabase(mnt + "/rectify.db");
  EXPECT_TRUE(check.ok()) << check.status();
}

}  // namespace
}  // namespace rectify::test
