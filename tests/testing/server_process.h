// A rectify-server child process on a free loopback port, for tests that need
// the real binary (kill -9, disk full, backup while it runs). Header-only.
//
//   ServerProcess server(dir.path());
//   ASSERT_NO_FATAL_FAILURE(server.Start());
//   auto admin = server.Connect(ReadToken(server.db_path() + ".admin-token"));
#ifndef RECTIFY_TESTS_TESTING_SERVER_PROCESS_H_
#define RECTIFY_TESTS_TESTING_SERVER_PROCESS_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "gtest/gtest.h"

namespace rectify::test {

class ServerProcess {
 public:
  // The database is `<db_dir>/rectify.db`; `extra_flags` go to the binary.
  explicit ServerProcess(std::string db_dir, std::vector<std::string> extra_flags = {})
      : dir_(std::move(db_dir)), extra_(std::move(extra_flags)) {}
  ~ServerProcess() { Kill(SIGKILL); }

  // Starts the binary and waits until it has written its port.
  void Start() {
    const std::string port_file = dir_ + "/port";
    unlink(port_file.c_str());
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      std::vector<std::string> args = {RECTIFY_BINARY_DIR "/bin/rectify-server",
                                       "--listen=127.0.0.1:0", "--db=" + db_path(),
                                       "--port_file=" + port_file,
                                       "--data_dir=" RECTIFY_SOURCE_DIR "/data",
                                       // Tests write as fast as they can: no rate limit.
                                       "--rate_limit=0"};
      args.insert(args.end(), extra_.begin(), extra_.end());
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
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

  std::unique_ptr<client::Client> Connect(const std::string& token,
                                          absl::Duration timeout = absl::Seconds(5)) {
    client::ClientOptions options;
    options.address = address();
    options.token = token;
    options.timeout = timeout;
    options.max_attempts = 1;
    auto created = client::Client::Create(options);
    EXPECT_TRUE(created.ok());
    return created.ok() ? *std::move(created) : nullptr;
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  std::string db_path() const { return dir_ + "/rectify.db"; }

 private:
  std::string dir_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  int port_ = 0;
};

inline std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  in >> token;
  return token;
}

// The directory a task needs, created as the bootstrap admin.
inline void SeedMinimalCity(client::Client& admin) {
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

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_TESTING_SERVER_PROCESS_H_
