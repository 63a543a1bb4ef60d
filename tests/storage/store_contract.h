// The contract every storage::Store engine must pass, as a value-parameterised
// suite over a factory. An engine's test file instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreFactory{"Sqlite", MakeSqliteStore}),
//                            StoreFactoryName);
//
// The tests themselves are in store_contract_test.cc. This header also holds the
// small builders and matchers the storage tests share.
#ifndef RECTIFY_TESTS_STORAGE_STORE_CONTRACT_H_
#define RECTIFY_TESTS_STORAGE_STORE_CONTRACT_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/directory.h"
#include "domain/inspection.h"
#include "domain/phase.h"
#include "domain/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"

namespace rectify::test {

// Makes a new, empty store each time it is called.
struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<storage::Store>()> make;
};
inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }
inline std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
  }
  storage::Store& store() { return *store_; }

  std::unique_ptr<storage::Store> store_;
};

// --- Matchers for absl::Status and absl::StatusOr<T> ---

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.ok();
}

MATCHER_P(StatusIs, code, "has code " + ::testing::PrintToString(code)) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + ::testing::PrintToString(code) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

// --- Builders: valid, fully populated entities (fields differ from defaults) ---

// 2024-05-01 00:00:00 UTC: the test's "now".
inline absl::Time TestNow() { return absl::FromUnixSeconds(1714521600); }

inline domain::Campaign MakeCampaign(std::string id) {
  domain::Campaign c;
  c.id = std::move(id);
  c.name = "2024年度老旧小区环境整治";
  c.city = "某市";
  c.time_zone = "Asia/Shanghai";
  c.self_check_start = absl::CivilDay(2024, 4, 1);
  c.rectification_start = absl::CivilDay(2024, 5, 1);
  c.final_assault_start = absl::CivilDay(2024, 10, 1);
  c.close_date = absl::CivilDay(2024, 11, 1);
  c.phase = domain::Phase::kRectification;
  c.max_extensions = 3;
  c.standard_id = "civilized-residential";
  c.target_percent = 85;
  c.final_assault_percent = 60;
  c.create_time = TestNow() - absl::Hours(24 * 30);
  c.update_time = TestNow() - absl::Hours(24);
  return c;
}

inline domain::Organisation MakeOrganisation(std::string id, domain::OrgKind kind,
                                             std::string street_office_id = "") {
  domain::Organisation o;
  o.id = std::move(id);
  o.kind = kind;
  o.name = "组织 " + o.id;
  o.head_person_id = "P-head-" + o.id;
  o.street_office_id = std::move(street_office_id);
  o.create_time = TestNow() - absl::Hours(24 * 20);
  return o;
}

inline domain::Person MakePerson(std::string id, std::string organisation_id) {
  domain::Person p;
  p.id = std::move(id);
  p.name = "张三";
  p.organisation_id = std::move(organisation_id);
  p.role = domain::Role::kStreetOfficer;
  p.phone = "+86 138 0000 0000";
  p.create_time = TestNow() - absl::Hours(24 * 10);
  return p;
}

inline domain::Community MakeCommunity(std::string id, std::string street_office_id,
                                       std::string property_company_id = "") {
  domain::Community c;
  c.id = std::move(id);
  c.name = "幸福小区";
  c.address = "幸福路 1 号";
  c.street_office_id = std::move(street_office_id);
  c.property_company_id = std::move(property_company_id);
  c.create_time = TestNow() - absl::Hours(24 * 9);
  return c;
}

// A task in campaign C-1, community M-1 of street office S-1 (see SeedDirectory).
inline domain::Task MakeTask(std::string id) {
  domain::Task t;
  t.id = std::move(id);
  t.campaign_id = "C-1";
  t.community_id = "M-1";
  t.street_office_id = "S-1";
  t.category = "sanitation";
  t.source = domain::TaskSource::kInspection;
  t.title = "楼道堆物";
  t.description = "3号楼楼道堆放杂物";
  t.standard_item = "2.1";
  t.created_by = "P-1";
  t.create_time = TestNow() - absl::Hours(48);
  t.update_time = TestNow() - absl::Hours(47);
  return t;
}

// A scored weekly inspection of `community_id` in `campaign_id` (see
// SeedDirectory): two deductions, the second of which opened no task yet, and
// three category scores.
inline domain::Inspection MakeInspection(std::string id, std::string campaign_id = "C-1",
                                         std::string community_id = "M-1",
                                         absl::CivilDay date = absl::CivilDay(2024, 5, 6)) {
  domain::Inspection i;
  i.id = std::move(id);
  i.campaign_id = std::move(campaign_id);
  i.community_id = std::move(community_id);
  i.kind = domain::InspectionKind::kWeekly;
  i.date = date;
  i.inspector_id = "P-1";
  i.standard_id = "civilized-residential";
  i.standard_version = "2024.1";
  i.deductions = {
      {"1.1a", 3, "东门公益广告缺3处", "s3://bucket/i/1.jpg", std::string(64, 'a'), true, 3, ""},
      {"2.2b", 2, "垃圾箱满溢，两处", "", "", false, 4, ""}};
  i.categories = {{"publicity", 20, 3, 17}, {"sanitation", 30, 4, 26}, {"safety", 10, 0, 10}};
  i.total = 53;
  i.max_score = 60;
  i.note = "复查时带上物业经理";
  i.create_time = TestNow() + absl::Hours(24 * 5);
  return i;
}

inline domain::SelfCheckList MakeSelfCheckList(std::string campaign_id, std::string community_id,
                                               std::vector<std::string> task_ids = {}) {
  domain::SelfCheckList l;
  l.campaign_id = std::move(campaign_id);
  l.community_id = std::move(community_id);
  l.submitted_by = "P-1";
  l.submit_time = TestNow() - absl::Hours(24 * 20);
  l.task_ids = std::move(task_ids);
  return l;
}

inline storage::StandardRecord MakeStandardRecord(std::string id, std::string version) {
  storage::StandardRecord s;
  s.id = std::move(id);
  s.version = std::move(version);
  s.text = "standard " + s.id + " " + s.version + " 住宅小区全国文明城市创建标准\ntotal 100\n";
  s.load_time = TestNow() - absl::Hours(24 * 40);
  return s;
}

// Creates what MakeTask's tasks refer to: campaigns C-1 and C-2, street offices
// S-1 and S-2, property companies PC-1 and PC-2, person P-1 of S-1, communities
// M-1 (S-1, PC-1), M-2 (S-2, PC-2), M-3 (S-1, PC-2). Without `with_campaigns`
// the caller has stored C-1 and C-2 (e.g. in an older schema's columns).
inline absl::Status SeedDirectory(storage::Store& store, bool with_campaigns = true) {
  return store.Write([with_campaigns](storage::WriteTx& tx) -> absl::Status {
    for (const char* id : {"C-1", "C-2"}) {
      if (!with_campaigns) break;
      domain::Campaign c = MakeCampaign(id);
      if (absl::Status s = tx.CreateCampaign(c); !s.ok()) return s;
    }
    for (const char* id : {"S-1", "S-2"}) {
      domain::Organisation o = MakeOrganisation(id, domain::OrgKind::kStreetOffice);
      if (absl::Status s = tx.CreateOrganisation(o); !s.ok()) return s;
    }
    for (const char* id : {"PC-1", "PC-2"}) {
      domain::Organisation o = MakeOrganisation(id, domain::OrgKind::kPropertyCompany);
      if (absl::Status s = tx.CreateOrganisation(o); !s.ok()) return s;
    }
    domain::Person p = MakePerson("P-1", "S-1");
    if (absl::Status s = tx.CreatePerson(p); !s.ok()) return s;
    domain::Community m1 = MakeCommunity("M-1", "S-1", "PC-1");
    domain::Community m2 = MakeCommunity("M-2", "S-2", "PC-2");
    domain::Community m3 = MakeCommunity("M-3", "S-1", "PC-2");
    for (domain::Community* m : {&m1, &m2, &m3}) {
      if (absl::Status s = tx.CreateCommunity(*m); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

// Creates one task in its own transaction.
inline absl::Status CreateTask(storage::Store& store, domain::Task& task) {
  return store.Write([&](storage::WriteTx& tx) { return tx.CreateTask(task); });
}

inline absl::StatusOr<domain::Task> GetTask(storage::Store& store, const std::string& id) {
  return storage::ReadAndReturn<domain::Task>(store,
                                              [&](storage::ReadTx& tx) { return tx.GetTask(id); });
}

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_STORAGE_STORE_CONTRACT_H_
