// The fixture for tests that go through the real server: a SQLite file in a
// temporary folder, a FakeClock, the shipped data/ rules, an in-process
// rectify server on a free loopback port, and a small city seeded through the
// API by its admin. Tests talk to it with the client library, as each person.
//
//   TEST_F(CityTest, Something) {
//     v1::Task task = OpenTask("cm-1");
//     auto change = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
//   }
#ifndef RECTIFY_TESTS_TESTING_CITY_FIXTURE_H_
#define RECTIFY_TESTS_TESTING_CITY_FIXTURE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "server/clock.h"
#include "server/server.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::test {

namespace v1 = ::rectify::v1;

// Monday 2024-05-06 09:00 in Asia/Shanghai: the first working day after the
// May Day holiday; Saturday 2024-05-11 is a make-up working day.
absl::Time CampaignMonday();
absl::TimeZone Shanghai();
// A Time from "2024-05-06 09:00" in Asia/Shanghai.
absl::Time At(const std::string& local);

// A fresh temporary folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The city seeded by CityTest:
//   campaign  c1 (Asia/Shanghai; self-check from 2024-04-01, rectification
//             2024-05-01, final assault 2024-10-01, closes 2024-11-01; the
//             shipped standard civilized-residential; in phase planning)
//   standards civilized-residential (data/standards) and capped-test
//             (tests/testdata/standards: one category with a capped rule)
//   so-1, so-2        street offices;   officer-1 (so-1), officer-2 (so-2)
//   pc-1, pc-2        property companies; worker-1 (head of pc-1), worker-1b, worker-2
//   oc-1              owners' committee of cm-1; member-1
//   vt-1              volunteer team of so-1; volunteer-1
//   sup               supervision office; sup-1 (supervisor)
//   cm-1 (so-1, pc-1, oc-1), cm-2 (so-2, pc-2)
class CityTest : public ::testing::Test {
 protected:
  CityTest();
  ~CityTest() override;
  void SetUp() override;
  void TearDown() override;

  // A client acting as `person_id` (or "admin").
  client::Client& As(const std::string& person_id);
  // The token secret of `person_id`.
  const std::string& TokenOf(const std::string& person_id) const { return tokens_.at(person_id); }
  // Stops the server and closes the store, then opens both again on the same
  // file. Clients made before keep working (they reconnect).
  void Restart();
  // As Restart, serving with `options` (the listen address and scheduler
  // period are the fixture's own). Clients made before keep their settings.
  void RestartWith(const server::ServerOptions& options);
  std::string address() const;

  // Opens a task in `community` as its street officer.
  v1::Task OpenTask(const std::string& community = "cm-1",
                    const std::string& category = "sanitation",
                    const std::string& title = "垃圾箱满溢");
  // Drives a fresh task in cm-1 to `state` along the main path (dispatched to
  // pc-1 by officer-1, worked by worker-1). Returns it as it is then.
  v1::Task TaskIn(v1::TaskState state);

  TempDir dir_;
  std::string db_path_;
  server::FakeClock clock_;
  server::Rules rules_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<server::RectifyServer> server_;
  server::ServerOptions server_options_;
  int port_ = 0;

 private:
  void StartServer();
  void Seed();

  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::unique_ptr<client::Client>> clients_;
};

// Requests, filled the way a caller would.
v1::DispatchTaskRequest Dispatch(const std::string& task_id, const std::string& org,
                                 const std::string& person = "");
v1::SubmitTaskRequest Submit(const std::string& task_id);

template <typename Request>
Request ById(const std::string& task_id) {
  Request request;
  request.set_task_id(task_id);
  return request;
}

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_TESTING_CITY_FIXTURE_H_
