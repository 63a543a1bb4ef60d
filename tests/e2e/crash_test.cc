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

namespace rectify::test {
namespace {

// A rectify-server child process on a free loopback port.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& dir) : dir_(dir) {}
  ~ServerProcess() { Kill(SIGKILL); }

  // Starts the binary and waits until it has written its port.
  void Start() {
    const std::string port_file = dir_ + "/port";
    unlink(port_file.c_str());
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      const std::string binary = RECTIFY_BINARY_DIR "/bin/rectify-server";
      const std::string db = "--db=" + dir_ + "/rectify.db";
      const std::string port = "--port_file=" + port_file;
      const std::string data = "--data_dir=" RECTIFY_SOURCE_DIR "/data";
      // The test writes as fast as it can as the admin: no rate limit.
      execl(binary.c_str(), binary.c_str(), "--listen=127.0.0.1:0", db.c_str(), port.c_str(),
            data.c_str(), "--rate_limit=0", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 500; ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        port_ = port;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "rectify-server did not start";
  }

  // Sends `signal` and reaps the process; returns its wait status.
  int Kill(int signal) {
    if (pid_ <= 0) return 0;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  std::unique_ptr<client::Client> Connect(const std::string& token) {
    client::ClientOptions options;
    options.address = absl::StrCat("127.0.0.1:", port_);
    options.token = token;
    options.timeout = absl::Seconds(5);
    options.max_attempts = 1;
    auto created = client::Client::Create(options);
    EXPECT_TRUE(created.ok());
    return created.ok() ? *std::move(created) : nullptr;
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  in >> token;
  return token;
}

// The directory a task needs, created as the bootstrap admin.
void SeedMinimalCity(client::Client& admin) {
  v1::CreateOrganisationRequest org;
  org.mutable_organisation()->set_id("so-1");
  org.mutable_organisation()->set_kind(v1::ORG_KIND_STREET_OFFICE);
  org.mutable_organisation()->set_name("幸福路街道");
  ASSERT_TRUE(admin.CreateOrganisation(org).ok());
  v1::CreateCommunityRequest community;
  community.mutable_community()->set_id("cm-1");
  community.mutable_community()->set_name("幸福小区");
  community.mutable_community()->set_street_office_id("so-1");
  ASSERT_TRUE(admin.CreateCommunity(community).ok());
  v1::CreateCampaignRequest campaign;
  campaign.mutable_campaign()->set_id("c1");
  campaign.mutable_campaign()->set_name("整治");
  campaign.mutable_campaign()->set_self_check_start("2026-01-01");
  campaign.mutable_campaign()->set_rectification_start("2026-02-01");
  campaign.mutable_campaign()->set_final_assault_start("2026-10-01");
  campaign.mutable_campaign()->set_close_date("2027-12-01");
  ASSERT_TRUE(admin.CreateCampaign(campaign).ok());
}

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
