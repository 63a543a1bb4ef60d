// The storage::Store contract (store.h), engine-independent: every engine
// instantiates StoreContractTest with its factory (see store_contract.h).
#include "tests/storage/store_contract.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/inspection.h"
#include "domain/phase.h"
#include "domain/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"

namespace rectify::test {
namespace {

using domain::TaskState;
using storage::ReadTx;
using storage::TaskFilter;
using storage::TaskOrder;
using storage::TaskPage;
using storage::TaskQuery;
using storage::WriteTx;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Strings that break naive encodings: quotes, backslashes, control characters,
// a NUL byte, JSON and SQL syntax, and non-ASCII text.
const std::string kAwkward = std::string("引号\"反斜杠\\换行\n制表\t\x01 NUL:") +
                             std::string(1, '\0') + "]}'); DROP TABLE tasks;--";

// --- Field-by-field comparisons (the domain types have no operator==) ---

void ExpectCampaignEq(const domain::Campaign& a, const domain::Campaign& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.city, b.city);
  EXPECT_EQ(a.time_zone, b.time_zone);
  EXPECT_EQ(a.self_check_start, b.self_check_start);
  EXPECT_EQ(a.rectification_start, b.rectification_start);
  EXPECT_EQ(a.final_assault_start, b.final_assault_start);
  EXPECT_EQ(a.close_date, b.close_date);
  EXPECT_EQ(a.phase, b.phase);
  EXPECT_EQ(a.max_extensions, b.max_extensions);
  EXPECT_EQ(a.standard_id, b.standard_id);
  EXPECT_EQ(a.target_percent, b.target_percent);
  EXPECT_EQ(a.final_assault_percent, b.final_assault_percent);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.update_time, b.update_time);
}

void ExpectOrganisationEq(const domain::Organisation& a, const domain::Organisation& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.head_person_id, b.head_person_id);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.create_time, b.create_time);
}

void ExpectPersonEq(const domain::Person& a, const domain::Person& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.organisation_id, b.organisation_id);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.create_time, b.create_time);
}

void ExpectCommunityEq(const domain::Community& a, const domain::Community& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.address, b.address);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.property_company_id, b.property_company_id);
  EXPECT_EQ(a.owners_committee_id, b.owners_committee_id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.create_time, b.create_time);
}

void ExpectTaskEq(const domain::Task& a, const domain::Task& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.standard_item, b.standard_item);
  EXPECT_EQ(a.inspection_id, b.inspection_id);
  EXPECT_EQ(a.responsible_org_id, b.responsible_org_id);
  EXPECT_EQ(a.responsible_person_id, b.responsible_person_id);
  EXPECT_EQ(a.budget.planned_fen, b.budget.planned_fen);
  EXPECT_EQ(a.budget.actual_fen, b.budget.actual_fen);
  EXPECT_EQ(a.budget.payer, b.budget.payer);
  ASSERT_EQ(a.evidence.size(), b.evidence.size());
  for (size_t i = 0; i < a.evidence.size(); ++i) {
    EXPECT_EQ(a.evidence[i].uri, b.evidence[i].uri);
    EXPECT_EQ(a.evidence[i].sha256, b.evidence[i].sha256);
    EXPECT_EQ(a.evidence[i].note, b.evidence[i].note);
    EXPECT_EQ(a.evidence[i].added_by, b.evidence[i].added_by);
    EXPECT_EQ(a.evidence[i].add_time, b.evidence[i].add_time);
  }
  ASSERT_EQ(a.urgings.size(), b.urgings.size());
  for (size_t i = 0; i < a.urgings.size(); ++i) {
    EXPECT_EQ(a.urgings[i].by, b.urgings[i].by);
    EXPECT_EQ(a.urgings[i].opinion, b.urgings[i].opinion);
    EXPECT_EQ(a.urgings[i].time, b.urgings[i].time);
    EXPECT_EQ(a.urgings[i].reply, b.urgings[i].reply);
    EXPECT_EQ(a.urgings[i].replied_by, b.urgings[i].replied_by);
    EXPECT_EQ(a.urgings[i].reply_time, b.urgings[i].reply_time);
  }
  ASSERT_EQ(a.pending_extension.has_value(), b.pending_extension.has_value());
  if (a.pending_extension.has_value()) {
    EXPECT_EQ(a.pending_extension->requested_deadline, b.pending_extension->requested_deadline);
    EXPECT_EQ(a.pending_extension->reason, b.pending_extension->reason);
    EXPECT_EQ(a.pending_extension->requested_by, b.pending_extension->requested_by);
    EXPECT_EQ(a.pending_extension->request_time, b.pending_extension->request_time);
  }
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.sla_unit, b.sla_unit);
  EXPECT_EQ(a.deadline, b.deadline);
  EXPECT_EQ(a.suspended_at, b.suspended_at);
  EXPECT_EQ(a.suspended_until, b.suspended_until);
  EXPECT_EQ(a.rework_count, b.rework_count);
  EXPECT_EQ(a.extension_count, b.extension_count);
  EXPECT_EQ(a.return_count, b.return_count);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.dispatch_time, b.dispatch_time);
  EXPECT_EQ(a.acknowledge_time, b.acknowledge_time);
  EXPECT_EQ(a.submit_time, b.submit_time);
  EXPECT_EQ(a.close_time, b.close_time);
  EXPECT_EQ(a.version, b.version);
}

void ExpectInspectionEq(const domain::Inspection& a, const domain::Inspection& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.inspector_id, b.inspector_id);
  EXPECT_EQ(a.standard_id, b.standard_id);
  EXPECT_EQ(a.standard_version, b.standard_version);
  ASSERT_EQ(a.deductions.size(), b.deductions.size());
  for (size_t i = 0; i < a.deductions.size(); ++i) {
    EXPECT_EQ(a.deductions[i].rule_id, b.deductions[i].rule_id);
    EXPECT_EQ(a.deductions[i].count, b.deductions[i].count);
    EXPECT_EQ(a.deductions[i].note, b.deductions[i].note);
    EXPECT_EQ(a.deductions[i].evidence_uri, b.deductions[i].evidence_uri);
    EXPECT_EQ(a.deductions[i].evidence_sha256, b.deductions[i].evidence_sha256);
    EXPECT_EQ(a.deductions[i].open_task, b.deductions[i].open_task);
    EXPECT_EQ(a.deductions[i].points, b.deductions[i].points);
    EXPECT_EQ(a.deductions[i].task_id, b.deductions[i].task_id);
  }
  ASSERT_EQ(a.categories.size(), b.categories.size());
  for (size_t i = 0; i < a.categories.size(); ++i) {
    EXPECT_EQ(a.categories[i].category_id, b.categories[i].category_id);
    EXPECT_EQ(a.categories[i].points, b.categories[i].points);
    EXPECT_EQ(a.categories[i].deducted, b.categories[i].deducted);
    EXPECT_EQ(a.categories[i].score, b.categories[i].score);
  }
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.max_score, b.max_score);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.create_time, b.create_time);
  EXPECT_EQ(a.version, b.version);
}

void ExpectSelfCheckListEq(const domain::SelfCheckList& a, const domain::SelfCheckList& b) {
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.submitted_by, b.submitted_by);
  EXPECT_EQ(a.submit_time, b.submit_time);
  EXPECT_EQ(a.task_ids, b.task_ids);
}

void ExpectStandardEq(const storage::StandardRecord& a, const storage::StandardRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.load_time, b.load_time);
}

// A task with every field set to something other than its default.
domain::Task MakeFullTask(const std::string& id) {
  domain::Task t = MakeTask(id);
  t.title = kAwkward;
  t.description = "第一行\n第二行";
  t.inspection_id = "I-1";  // must exist: see CreateInspectionI1
  t.responsible_org_id = "PC-1";
  t.responsible_person_id = "P-9";
  t.budget = {123'456, 7'890, domain::Payer::kPublicFinance};
  t.evidence = {{"s3://bucket/a.jpg", std::string(64, 'a'), kAwkward, "P-9", TestNow()},
                {"s3://bucket/b.pdf", std::string(64, 'b'), "", "P-8", absl::InfinitePast()}};
  t.urgings = {
      {"P-1", "尽快处理", TestNow() - absl::Hours(3), kAwkward, "P-9", TestNow() - absl::Hours(2)},
      {"P-1", "again", TestNow() - absl::Hours(1), "", "", absl::InfinitePast()}};
  t.pending_extension = domain::ExtensionRequest{TestNow() + absl::Hours(72), kAwkward, "P-9",
                                                 TestNow() - absl::Minutes(5)};
  t.state = TaskState::kInProgress;
  t.sla_unit = domain::SlaUnit::kWorkingHours;
  t.deadline = TestNow() + absl::Hours(5);
  t.suspended_at = TestNow() - absl::Hours(30);
  t.suspended_until = TestNow() - absl::Hours(20);
  t.rework_count = 2;
  t.extension_count = 1;
  t.return_count = 3;
  t.dispatch_time = TestNow() - absl::Hours(46);
  t.acknowledge_time = TestNow() - absl::Hours(45);
  t.submit_time = TestNow() - absl::Hours(10);
  t.close_time = absl::InfinitePast();
  return t;
}

// Creates inspection I-1 (C-1, M-1), which MakeFullTask's task names.
absl::Status CreateInspectionI1(storage::Store& store) {
  return store.Write([](WriteTx& tx) {
    domain::Inspection inspection = MakeInspection("I-1");
    return tx.CreateInspection(inspection);
  });
}

// ---------------------------------------------------------------------------
// Directory entities

TEST_P(StoreContractTest, CampaignCreateGetSaveRoundTripsEveryField) {
  domain::Campaign campaign = MakeCampaign("C-1");
  campaign.name = kAwkward;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateCampaign(campaign); }), IsOk());
  EXPECT_EQ(campaign.version, 1);

  absl::StatusOr<domain::Campaign> got = storage::ReadAndReturn<domain::Campaign>(
      store(), [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  ASSERT_THAT(got, IsOk());
  ExpectCampaignEq(*got, campaign);

  got->phase = domain::Phase::kFinalAssault;
  got->close_date = absl::CivilDay(2025, 1, 31);
  got->standard_id = "";  // unset again
  got->target_percent = 100;
  got->final_assault_percent = 1;
  got->update_time = TestNow();
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCampaign(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<std::vector<domain::Campaign>> all =
      storage::ReadAndReturn<std::vector<domain::Campaign>>(
          store(), [](ReadTx& tx) { return tx.ListCampaigns(); });
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 1u);
  ExpectCampaignEq((*all)[0], *got);
}

TEST_P(StoreContractTest, CampaignWithDefaultsRoundTrips) {
  domain::Campaign campaign = MakeCampaign("C-0");
  const domain::Campaign defaults;
  campaign.standard_id = defaults.standard_id;
  campaign.target_percent = defaults.target_percent;
  campaign.final_assault_percent = defaults.final_assault_percent;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateCampaign(campaign); }), IsOk());
  absl::StatusOr<domain::Campaign> got = storage::ReadAndReturn<domain::Campaign>(
      store(), [](ReadTx& tx) { return tx.GetCampaign("C-0"); });
  ASSERT_THAT(got, IsOk());
  ExpectCampaignEq(*got, campaign);
  EXPECT_EQ(got->standard_id, "");
  EXPECT_EQ(got->target_percent, 90);
  EXPECT_EQ(got->final_assault_percent, 50);
}

TEST_P(StoreContractTest, OrganisationCreateGetSaveAndListByKind) {
  domain::Organisation office = MakeOrganisation("S-1", domain::OrgKind::kStreetOffice);
  domain::Organisation team =
      MakeOrganisation("V-1", domain::OrgKind::kVolunteerTeam, /*street_office_id=*/"S-1");
  domain::Organisation company = MakeOrganisation("PC-1", domain::OrgKind::kPropertyCompany);
  company.head_person_id = "";
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    for (domain::Organisation* o : {&office, &team, &company}) {
      if (absl::Status s = tx.CreateOrganisation(*o); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(team.version, 1);

  team.name = "新名字";
  team.head_person_id = "P-7";
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveOrganisation(team); }), IsOk());
  EXPECT_EQ(team.version, 2);

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<domain::Organisation> got = tx.GetOrganisation("V-1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectOrganisationEq(*got, team);
    got = tx.GetOrganisation("PC-1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectOrganisationEq(*got, company);

    absl::StatusOr<std::vector<domain::Organisation>> all = tx.ListOrganisations(std::nullopt);
    EXPECT_THAT(all, IsOk());
    if (all.ok()) {
      std::vector<std::string> ids;
      for (const auto& o : *all) ids.push_back(o.id);
      EXPECT_THAT(ids, ElementsAre("S-1", "V-1", "PC-1"));  // creation order
    }
    absl::StatusOr<std::vector<domain::Organisation>> offices =
        tx.ListOrganisations(domain::OrgKind::kStreetOffice);
    EXPECT_THAT(offices, IsOk());
    if (offices.ok()) {
      EXPECT_EQ(offices->size(), 1u);
      if (!offices->empty()) {
        EXPECT_EQ((*offices)[0].id, "S-1");
      }
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, PersonCreateGetSaveAndListByOrganisation) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());  // P-1 in S-1
  domain::Person a = MakePerson("P-2", "S-2");
  domain::Person b = MakePerson("P-3", "S-1");
  b.name = kAwkward;
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    if (absl::Status s = tx.CreatePerson(a); !s.ok()) return s;
    return tx.CreatePerson(b);
  }),
              IsOk());
  b.role = domain::Role::kSupervisor;
  b.phone = "";
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePerson(b); }), IsOk());
  EXPECT_EQ(b.version, 2);

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<domain::Person> got = tx.GetPerson("P-3");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectPersonEq(*got, b);
    absl::StatusOr<std::vector<domain::Person>> in_s1 = tx.ListPeople("S-1");
    EXPECT_THAT(in_s1, IsOk());
    if (in_s1.ok()) {
      std::vector<std::string> ids;
      for (const auto& p : *in_s1) ids.push_back(p.id);
      EXPECT_THAT(ids, ElementsAre("P-1", "P-3"));
    }
    absl::StatusOr<std::vector<domain::Person>> all = tx.ListPeople("");
    EXPECT_THAT(all, IsOk());
    if (all.ok()) {
      EXPECT_EQ(all->size(), 3u);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, CommunityCreateGetSaveAndListByStreetOffice) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());  // M-1 (S-1), M-2 (S-2), M-3 (S-1)
  absl::StatusOr<domain::Community> m3 = storage::ReadAndReturn<domain::Community>(
      store(), [](ReadTx& tx) { return tx.GetCommunity("M-3"); });
  ASSERT_THAT(m3, IsOk());
  ExpectCommunityEq(*m3, [] {
    domain::Community c = MakeCommunity("M-3", "S-1", "PC-2");
    c.version = 1;
    return c;
  }());

  // The property company's contract is terminated: the reference is cleared.
  m3->property_company_id = "";
  m3->address = kAwkward;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCommunity(*m3); }), IsOk());
  EXPECT_EQ(m3->version, 2);

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<domain::Community> got = tx.GetCommunity("M-3");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectCommunityEq(*got, *m3);
    absl::StatusOr<std::vector<domain::Community>> in_s1 = tx.ListCommunities("S-1");
    EXPECT_THAT(in_s1, IsOk());
    if (in_s1.ok()) {
      std::vector<std::string> ids;
      for (const auto& c : *in_s1) ids.push_back(c.id);
      EXPECT_THAT(ids, ElementsAre("M-1", "M-3"));
    }
    absl::StatusOr<std::vector<domain::Community>> all = tx.ListCommunities("");
    EXPECT_THAT(all, IsOk());
    if (all.ok()) {
      EXPECT_EQ(all->size(), 3u);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

// ---------------------------------------------------------------------------
// Tasks: create, get, save, versions

TEST_P(StoreContractTest, TaskCreateGetSaveRoundTripsEveryField) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(CreateInspectionI1(store()), IsOk());
  domain::Task task = MakeFullTask("T-1");
  ASSERT_THAT(CreateTask(store(), task), IsOk());
  EXPECT_EQ(task.version, 1);
  absl::StatusOr<domain::Task> got = GetTask(store(), "T-1");
  ASSERT_THAT(got, IsOk());
  ExpectTaskEq(*got, task);

  // Change everything that can change, including clearing optional parts.
  got->state = TaskState::kSubmitted;
  got->pending_extension.reset();
  got->evidence.push_back({"s3://bucket/c.jpg", std::string(64, 'c'), "after", "P-9", TestNow()});
  got->urgings.clear();
  got->deadline = absl::InfiniteFuture();
  got->budget.actual_fen = 100'000;
  got->responsible_org_id = "PC-2";
  got->inspection_id = "";
  got->update_time = TestNow();
  got->close_time = TestNow();
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveTask(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<domain::Task> again = GetTask(store(), "T-1");
  ASSERT_THAT(again, IsOk());
  ExpectTaskEq(*again, *got);
}

TEST_P(StoreContractTest, TaskWithDefaultsRoundTrips) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Task task;  // every time unset, no evidence, no responsible org
  task.id = "T-0";
  task.campaign_id = "C-1";
  task.community_id = "M-1";
  ASSERT_THAT(CreateTask(store(), task), IsOk());
  absl::StatusOr<domain::Task> got = GetTask(store(), "T-0");
  ASSERT_THAT(got, IsOk());
  ExpectTaskEq(*got, task);
  EXPECT_EQ(got->deadline, absl::InfiniteFuture());
  EXPECT_EQ(got->create_time, absl::InfinitePast());
  EXPECT_EQ(got->inspection_id, "");
}

TEST_P(StoreContractTest, GetOfAMissingIdIsNotFoundNamingIt) {
  ASSERT_THAT(store().Read([](ReadTx& tx) -> absl::Status {
    EXPECT_THAT(tx.GetCampaign("C-404"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'C-404'")));
    EXPECT_THAT(tx.GetOrganisation("O-404"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'O-404'")));
    EXPECT_THAT(tx.GetPerson("P-404"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("'P-404'")));
    EXPECT_THAT(tx.GetCommunity("M-404"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'M-404'")));
    EXPECT_THAT(tx.GetTask("T-404"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("'T-404'")));
    EXPECT_THAT(tx.GetInspection("I-404"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'I-404'")));
    EXPECT_THAT(tx.GetToken("feedface"), StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, CreatingADuplicateIdIsAlreadyExistsForEveryEntity) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Task task = MakeTask("T-1");
  ASSERT_THAT(CreateTask(store(), task), IsOk());
  ASSERT_THAT(CreateInspectionI1(store()), IsOk());

  domain::Campaign campaign = MakeCampaign("C-1");
  domain::Organisation org = MakeOrganisation("S-1", domain::OrgKind::kStreetOffice);
  domain::Person person = MakePerson("P-1", "S-1");
  domain::Community community = MakeCommunity("M-1", "S-1");
  domain::Task again = MakeTask("T-1");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateCampaign(campaign); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'C-1'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateOrganisation(org); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'S-1'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePerson(person); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'P-1'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateCommunity(community); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'M-1'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateTask(again); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'T-1'")));
  // Even in another campaign and community, and of another kind.
  domain::Inspection inspection = MakeInspection("I-1", "C-2", "M-2");
  inspection.kind = domain::InspectionKind::kFinalEvaluation;
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateInspection(inspection); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'I-1'")));
  absl::StatusOr<domain::Inspection> kept = storage::ReadAndReturn<domain::Inspection>(
      store(), [](ReadTx& tx) { return tx.GetInspection("I-1"); });
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(kept->campaign_id, "C-1");
}

TEST_P(StoreContractTest, SavingAStaleVersionIsAbortedNamingBothVersions) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Task task = MakeTask("T-3");
  ASSERT_THAT(CreateTask(store(), task), IsOk());
  domain::Task mine = task;    // version 1
  domain::Task theirs = task;  // version 1
  theirs.title = "theirs";
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveTask(theirs); }), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveTask(theirs); }), IsOk());
  ASSERT_EQ(theirs.version, 3);

  mine.title = "mine";
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveTask(mine); }),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr("task 'T-3' was changed by someone else (version 3, you had 1)")));
  EXPECT_EQ(mine.version, 1) << "a failed save leaves the version alone";
  absl::StatusOr<domain::Task> got = GetTask(store(), "T-3");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->title, "theirs");
  EXPECT_EQ(got->version, 3);
}

TEST_P(StoreContractTest, StaleSavesOfDirectoryEntitiesAreAborted) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Campaign campaign = MakeCampaign("C-1");  // version 1, as stored
  campaign.version = 1;
  domain::Organisation org = MakeOrganisation("S-1", domain::OrgKind::kStreetOffice);
  org.version = 1;
  domain::Person person = MakePerson("P-1", "S-1");
  person.version = 1;
  domain::Community community = MakeCommunity("M-1", "S-1", "PC-1");
  community.version = 1;
  ASSERT_THAT(CreateInspectionI1(store()), IsOk());
  domain::Inspection inspection = MakeInspection("I-1");
  inspection.version = 1;
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    domain::Campaign c = campaign;
    domain::Organisation o = org;
    domain::Person p = person;
    domain::Community m = community;
    domain::Inspection i = inspection;
    if (absl::Status s = tx.SaveCampaign(c); !s.ok()) return s;
    if (absl::Status s = tx.SaveOrganisation(o); !s.ok()) return s;
    if (absl::Status s = tx.SavePerson(p); !s.ok()) return s;
    if (absl::Status s = tx.SaveInspection(i); !s.ok()) return s;
    return tx.SaveCommunity(m);
  }),
              IsOk());
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCampaign(campaign); }),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 2, you had 1")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveOrganisation(org); }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePerson(person); }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCommunity(community); }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveInspection(inspection); }),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr("inspection 'I-1' was changed by someone else (version 2, you "
                                 "had 1)")));
  EXPECT_EQ(inspection.version, 1) << "a failed save leaves the version alone";
}

TEST_P(StoreContractTest, SavingAMissingRowIsNotFound) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Task task = MakeTask("T-404");
  task.version = 1;
  domain::Campaign campaign = MakeCampaign("C-404");
  domain::Organisation org = MakeOrganisation("O-404", domain::OrgKind::kStreetOffice);
  domain::Person person = MakePerson("P-404", "S-1");
  domain::Community community = MakeCommunity("M-404", "S-1");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveTask(task); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'T-404'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCampaign(campaign); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'C-404'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveOrganisation(org); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'O-404'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePerson(person); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'P-404'")));
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCommunity(community); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'M-404'")));
  domain::Inspection inspection = MakeInspection("I-404");
  inspection.version = 1;
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveInspection(inspection); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'I-404'")));
}

// ---------------------------------------------------------------------------
// Transactions

TEST_P(StoreContractTest, WriteWhoseFnFailsLeavesNothingBehind) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  absl::Status status = store().Write([](WriteTx& tx) -> absl::Status {
    domain::Task task = MakeTask("T-1");
    if (absl::Status s = tx.CreateTask(task); !s.ok()) return s;
    domain::Event event;
    event.type = "task.created";
    event.subject = "tasks/T-1";
    if (absl::Status s = tx.AppendEvent(event); !s.ok()) return s;
    if (absl::StatusOr<int64_t> n = tx.NextSequence("tasks"); !n.ok()) return n.status();
    domain::Person person = MakePerson("P-new", "S-1");
    if (absl::Status s = tx.CreatePerson(person); !s.ok()) return s;
    domain::Inspection inspection = MakeInspection("I-1");
    if (absl::Status s = tx.CreateInspection(inspection); !s.ok()) return s;
    if (absl::Status s = tx.CreateSelfCheckList(MakeSelfCheckList("C-1", "M-1", {"T-1"}));
        !s.ok()) {
      return s;
    }
    if (absl::Status s = tx.PutStandard(MakeStandardRecord("std", "1")); !s.ok()) return s;
    return absl::FailedPreconditionError("the command changed its mind");
  });
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("changed its mind")));

  EXPECT_THAT(GetTask(store(), "T-1"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(store().Read([](ReadTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Event>> events = tx.ListEvents("", 0, 100);
    EXPECT_THAT(events, IsOk());
    if (events.ok()) {
      EXPECT_THAT(*events, IsEmpty());
    }
    EXPECT_THAT(tx.GetPerson("P-new"), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(tx.GetInspection("I-1"), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(tx.GetSelfCheckList("C-1", "M-1"), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(tx.GetStandard("std", "1"), StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }),
              IsOk());
  absl::StatusOr<int64_t> next = storage::WriteAndReturn<int64_t>(
      store(), [](WriteTx& tx) { return tx.NextSequence("tasks"); });
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(*next, 1) << "the sequence advance was rolled back too";
}

TEST_P(StoreContractTest, AWriteSeesItsOwnUncommittedChanges) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([](WriteTx& tx) -> absl::Status {
    domain::Task task = MakeTask("T-1");
    if (absl::Status s = tx.CreateTask(task); !s.ok()) return s;
    absl::StatusOr<domain::Task> got = tx.GetTask("T-1");
    EXPECT_THAT(got, IsOk());
    TaskQuery query;
    absl::StatusOr<TaskPage> page = tx.ListTasks(query);
    EXPECT_THAT(page, IsOk());
    if (page.ok()) {
      EXPECT_EQ(page->total_count, 1);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, AFailedCallInsideAWriteCanBeHandledAndTheRestCommits) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Task first = MakeTask("T-1");
  ASSERT_THAT(CreateTask(store(), first), IsOk());
  ASSERT_THAT(store().Write([](WriteTx& tx) -> absl::Status {
    domain::Task duplicate = MakeTask("T-1");
    EXPECT_THAT(tx.CreateTask(duplicate), StatusIs(absl::StatusCode::kAlreadyExists));
    domain::Task other = MakeTask("T-2");
    return tx.CreateTask(other);
  }),
              IsOk());
  EXPECT_THAT(GetTask(store(), "T-2"), IsOk());
}

// ---------------------------------------------------------------------------
// Events, sequences, tokens, requests

domain::Event MakeEvent(const std::string& subject, const std::string& type) {
  domain::Event e;
  e.type = type;
  e.subject = subject;
  e.campaign_id = "C-1";
  e.actor_person_id = "P-1";
  e.actor_org_id = "S-1";
  e.time = TestNow();
  e.from_state = "OPEN";
  e.to_state = "DISPATCHED";
  e.reason = kAwkward;
  e.details = {{"deadline", "2024-05-03T18:00:00+08:00"},
               {kAwkward, kAwkward},
               {"dup", "1"},
               {"dup", "2"},
               {"", ""}};
  e.audience = {"S-1", "pc-1", kAwkward};
  return e;
}

TEST_P(StoreContractTest, EventsAreAppendedInOrderWithIncreasingSeq) {
  std::vector<domain::Event> appended;
  for (int round = 0; round < 3; ++round) {
    ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
      for (const char* subject : {"tasks/T-1", "tasks/T-2"}) {
        domain::Event e = MakeEvent(subject, absl::StrCat("task.round", round));
        if (absl::Status s = tx.AppendEvent(e); !s.ok()) return s;
        appended.push_back(e);
      }
      return absl::OkStatus();
    }),
                IsOk());
  }
  for (size_t i = 1; i < appended.size(); ++i) {
    EXPECT_GT(appended[i].seq, appended[i - 1].seq);
  }
  EXPECT_GT(appended[0].seq, 0);

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Event>> all = tx.ListEvents("", 0, 100);
    EXPECT_THAT(all, IsOk());
    if (!all.ok()) return absl::OkStatus();
    EXPECT_EQ(all->size(), appended.size());
    for (size_t i = 0; i < all->size() && i < appended.size(); ++i) {
      const domain::Event& got = (*all)[i];
      const domain::Event& want = appended[i];
      EXPECT_EQ(got.seq, want.seq);
      EXPECT_EQ(got.type, want.type);
      EXPECT_EQ(got.subject, want.subject);
      EXPECT_EQ(got.campaign_id, want.campaign_id);
      EXPECT_EQ(got.actor_person_id, want.actor_person_id);
      EXPECT_EQ(got.actor_org_id, want.actor_org_id);
      EXPECT_EQ(got.time, want.time);
      EXPECT_EQ(got.from_state, want.from_state);
      EXPECT_EQ(got.to_state, want.to_state);
      EXPECT_EQ(got.reason, want.reason);
      EXPECT_EQ(got.details, want.details);
      EXPECT_EQ(got.audience, want.audience);
    }

    absl::StatusOr<std::vector<domain::Event>> t2 = tx.ListEvents("tasks/T-2", 0, 100);
    EXPECT_THAT(t2, IsOk());
    if (t2.ok()) {
      EXPECT_EQ(t2->size(), 3u);
      for (const auto& e : *t2) EXPECT_EQ(e.subject, "tasks/T-2");
    }
    // Resuming after a seq, at most `limit` at a time.
    absl::StatusOr<std::vector<domain::Event>> after = tx.ListEvents("", appended[1].seq, 2);
    EXPECT_THAT(after, IsOk());
    if (after.ok() && after->size() == 2u) {
      EXPECT_EQ((*after)[0].seq, appended[2].seq);
      EXPECT_EQ((*after)[1].seq, appended[3].seq);
    } else {
      ADD_FAILURE() << "expected two events after seq " << appended[1].seq;
    }
    absl::StatusOr<std::vector<domain::Event>> none =
        tx.ListEvents("tasks/T-1", appended.back().seq, 10);
    EXPECT_THAT(none, IsOk());
    if (none.ok()) {
      EXPECT_THAT(*none, IsEmpty());
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, NextSequenceCountsFromOnePerName) {
  std::vector<int64_t> tasks, events;
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
      absl::StatusOr<int64_t> t = tx.NextSequence("tasks");
      if (!t.ok()) return t.status();
      tasks.push_back(*t);
      if (i == 2) {
        absl::StatusOr<int64_t> e = tx.NextSequence("campaigns");
        if (!e.ok()) return e.status();
        events.push_back(*e);
      }
      return absl::OkStatus();
    }),
                IsOk());
  }
  EXPECT_THAT(tasks, ElementsAre(1, 2, 3));
  EXPECT_THAT(events, ElementsAre(1));
}

TEST_P(StoreContractTest, TokensArePutReadCountedAndRevoked) {
  storage::TokenRecord token;
  token.token_hash = std::string(64, 'f');
  token.person_id = "P-1";
  token.label = "ops laptop";
  token.create_time = TestNow();
  token.expire_time = TestNow() + absl::Hours(24 * 90);
  storage::TokenRecord forever = token;
  forever.token_hash = std::string(64, 'e');
  forever.expire_time = absl::InfiniteFuture();
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    if (absl::Status s = tx.PutToken(token); !s.ok()) return s;
    return tx.PutToken(forever);
  }),
              IsOk());

  token.revoked = true;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.PutToken(token); }), IsOk());

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<storage::TokenRecord> got = tx.GetToken(token.token_hash);
    EXPECT_THAT(got, IsOk());
    if (got.ok()) {
      EXPECT_EQ(got->token_hash, token.token_hash);
      EXPECT_EQ(got->person_id, "P-1");
      EXPECT_EQ(got->label, "ops laptop");
      EXPECT_EQ(got->create_time, token.create_time);
      EXPECT_EQ(got->expire_time, token.expire_time);
      EXPECT_TRUE(got->revoked);
    }
    absl::StatusOr<storage::TokenRecord> other = tx.GetToken(forever.token_hash);
    EXPECT_THAT(other, IsOk());
    if (other.ok()) {
      EXPECT_EQ(other->expire_time, absl::InfiniteFuture());
      EXPECT_FALSE(other->revoked);
    }
    absl::StatusOr<int64_t> count = tx.CountTokens();
    EXPECT_THAT(count, IsOk());
    if (count.ok()) {
      EXPECT_EQ(*count, 2);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, RequestsAreSavedOnceAndLookedUpByPrincipalAndId) {
  storage::StoredResponse response;
  response.method = "DispatchTask";
  response.fingerprint = "sha256:abc";
  response.response = std::string("\x08\x96\x01\x00\xff binary", 12);
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveRequest("P-1", "req-1", response); }),
              IsOk());

  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveRequest("P-1", "req-1", response); }),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("req-1")));
  // Another principal's request id is its own.
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveRequest("P-2", "req-1", {}); }),
              IsOk());

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<storage::StoredResponse>> got = tx.LookupRequest("P-1", "req-1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) {
      EXPECT_TRUE(got->has_value());
      if (got->has_value()) {
        EXPECT_EQ((*got)->method, "DispatchTask");
        EXPECT_EQ((*got)->fingerprint, "sha256:abc");
        EXPECT_EQ((*got)->response, response.response);
      }
    }
    absl::StatusOr<std::optional<storage::StoredResponse>> empty = tx.LookupRequest("P-2", "req-1");
    EXPECT_THAT(empty, IsOk());
    if (empty.ok() && empty->has_value()) {
      EXPECT_EQ((*empty)->response, "");
    }
    absl::StatusOr<std::optional<storage::StoredResponse>> missing =
        tx.LookupRequest("P-1", "req-2");
    EXPECT_THAT(missing, IsOk());
    if (missing.ok()) {
      EXPECT_FALSE(missing->has_value());
    }
    return absl::OkStatus();
  }),
              IsOk());
}

// ---------------------------------------------------------------------------
// ListTasks

bool ReferenceClockRuns(TaskState s) {
  return s == TaskState::kDispatched || s == TaskState::kAccepted || s == TaskState::kInProgress;
}

// The reference semantics of TaskFilter (store.h), written independently.
bool Matches(const TaskFilter& f, const domain::Task& t) {
  if (!f.campaign_id.empty() && t.campaign_id != f.campaign_id) return false;
  if (!f.street_office_id.empty() && t.street_office_id != f.street_office_id) return false;
  if (!f.community_id.empty() && t.community_id != f.community_id) return false;
  if (!f.responsible_org_id.empty() && t.responsible_org_id != f.responsible_org_id) return false;
  if (!f.category.empty() && t.category != f.category) return false;
  if (!f.states.empty() && std::find(f.states.begin(), f.states.end(), t.state) == f.states.end()) {
    return false;
  }
  if (f.overdue || f.due_within.has_value()) {
    const bool overdue = ReferenceClockRuns(t.state) && t.deadline < f.now;
    const bool due = f.due_within.has_value() && ReferenceClockRuns(t.state) &&
                     f.now <= t.deadline && t.deadline < f.now + *f.due_within;
    if (f.overdue && f.due_within.has_value()) return overdue || due;
    return f.overdue ? overdue : due;
  }
  return true;
}

// Ids of `tasks` (in creation order) that match, in `order`; ties by creation.
std::vector<std::string> Expected(const std::vector<domain::Task>& tasks, const TaskFilter& f,
                                  TaskOrder order) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (Matches(f, tasks[i])) idx.push_back(i);
  }
  auto key = [&](size_t i) {
    switch (order) {
      case TaskOrder::kCreateTime:
      case TaskOrder::kCreateTimeDesc:
        return tasks[i].create_time;
      case TaskOrder::kDeadline:
      case TaskOrder::kDeadlineDesc:
        return tasks[i].deadline;
      case TaskOrder::kUpdateTimeDesc:
        return tasks[i].update_time;
    }
    return absl::InfinitePast();
  };
  const bool desc = order == TaskOrder::kCreateTimeDesc || order == TaskOrder::kDeadlineDesc ||
                    order == TaskOrder::kUpdateTimeDesc;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (key(a) != key(b)) return desc ? key(a) > key(b) : key(a) < key(b);
    return desc ? a > b : a < b;
  });
  std::vector<std::string> ids;
  for (size_t i : idx) ids.push_back(tasks[i].id);
  return ids;
}

// Pages through a listing; checks that every page reports `expected_total`.
struct Listing {
  std::vector<std::string> ids;
  int pages = 0;
};

absl::StatusOr<Listing> ListAll(storage::Store& store, TaskQuery query, int64_t expected_total) {
  Listing listing;
  while (true) {
    absl::StatusOr<TaskPage> page =
        storage::ReadAndReturn<TaskPage>(store, [&](ReadTx& tx) { return tx.ListTasks(query); });
    if (!page.ok()) return page.status();
    ++listing.pages;
    EXPECT_EQ(page->total_count, expected_total) << "on page " << listing.pages;
    EXPECT_LE(static_cast<int>(page->tasks.size()), query.page_size);
    for (const domain::Task& t : page->tasks) listing.ids.push_back(t.id);
    if (page->next_page_token.empty()) break;
    EXPECT_EQ(static_cast<int>(page->tasks.size()), query.page_size)
        << "only the last page may be short";
    query.page_token = page->next_page_token;
    if (listing.pages > 1000) return absl::InternalError("paging does not end");
  }
  return listing;
}

constexpr TaskOrder kAllOrders[] = {TaskOrder::kCreateTime, TaskOrder::kCreateTimeDesc,
                                    TaskOrder::kDeadline, TaskOrder::kDeadlineDesc,
                                    TaskOrder::kUpdateTimeDesc};

// A varied set: both campaigns, three communities in two street offices, two
// responsible companies and none, three categories, every state, deadlines
// around TestNow() (with ties, and none), create and update times with ties
// (and one unset).
std::vector<domain::Task> ListingTasks() {
  const char* communities[] = {"M-1", "M-2", "M-3"};
  const char* offices[] = {"S-1", "S-2", "S-1"};
  const char* categories[] = {"sanitation", "order", "publicity"};
  std::vector<domain::Task> tasks;
  for (int i = 0; i < 48; ++i) {
    domain::Task t = MakeTask(absl::StrCat("T-", i));
    t.campaign_id = i % 5 == 4 ? "C-2" : "C-1";
    t.community_id = communities[i % 3];
    t.street_office_id = offices[i % 3];
    t.responsible_org_id = i % 4 == 0 ? "" : (i % 4 == 1 ? "PC-1" : "PC-2");
    t.category = categories[(i / 3) % 3];
    t.state = domain::kAllTaskStates[i % 8];
    t.deadline = i % 7 == 0 ? absl::InfiniteFuture() : TestNow() + absl::Hours((i % 9) - 4);
    t.create_time = TestNow() - absl::Hours(100) + absl::Minutes((i * 7) % 20);
    t.update_time = TestNow() - absl::Hours(10) + absl::Minutes((i * 5) % 13);
    if (i == 41) {
      t.create_time = absl::InfinitePast();
      t.update_time = absl::InfinitePast();
    }
    tasks.push_back(std::move(t));
  }
  return tasks;
}

// Creates the directory and ListingTasks() (in creation order), and returns them.
std::vector<domain::Task> SeedListing(storage::Store& store) {
  std::vector<domain::Task> tasks = ListingTasks();
  EXPECT_THAT(SeedDirectory(store), IsOk());
  EXPECT_THAT(store.Write([&](WriteTx& tx) -> absl::Status {
    for (domain::Task& t : tasks) {
      if (absl::Status s = tx.CreateTask(t); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  return tasks;
}

TEST_P(StoreContractTest, ListTasksEachFilterSelectsExactlyTheMatchingTasks) {
  const std::vector<domain::Task> tasks = SeedListing(store());
  struct Case {
    const char* name;
    TaskFilter filter;
  };
  std::vector<Case> cases;
  cases.push_back({"none", {}});
  {
    TaskFilter f;
    f.campaign_id = "C-2";
    cases.push_back({"campaign", f});
  }
  {
    TaskFilter f;
    f.street_office_id = "S-2";
    cases.push_back({"street office", f});
  }
  {
    TaskFilter f;
    f.community_id = "M-3";
    cases.push_back({"community", f});
  }
  {
    TaskFilter f;
    f.responsible_org_id = "PC-1";
    cases.push_back({"responsible org", f});
  }
  {
    TaskFilter f;
    f.category = "order";
    cases.push_back({"category", f});
  }
  {
    TaskFilter f;
    f.states = {TaskState::kInProgress};
    cases.push_back({"one state", f});
  }
  {
    TaskFilter f;
    f.states = {TaskState::kClosed, TaskState::kOpen, TaskState::kVoided};
    cases.push_back({"several states", f});
  }
  {
    TaskFilter f;
    f.overdue = true;
    f.now = TestNow();
    cases.push_back({"overdue", f});
  }
  {
    TaskFilter f;
    f.due_within = absl::Hours(3);
    f.now = TestNow();
    cases.push_back({"due within", f});
  }
  {
    TaskFilter f;
    f.overdue = true;
    f.due_within = absl::Hours(2);
    f.now = TestNow();
    cases.push_back({"overdue or due within", f});
  }
  {
    TaskFilter f;
    f.campaign_id = "C-1";
    f.street_office_id = "S-1";
    f.category = "sanitation";
    f.states = {TaskState::kDispatched, TaskState::kAccepted, TaskState::kInProgress,
                TaskState::kOpen};
    cases.push_back({"combined", f});
  }
  {
    TaskFilter f;
    f.campaign_id = "C-1";
    f.overdue = true;
    f.now = TestNow();
    f.community_id = "M-1";
    cases.push_back({"campaign, community, overdue", f});
  }
  {
    TaskFilter f;
    f.campaign_id = "C-404";
    cases.push_back({"nothing matches", f});
  }

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> want = Expected(tasks, c.filter, TaskOrder::kCreateTime);
    if (std::string(c.name) != "nothing matches") {
      ASSERT_FALSE(want.empty()) << "the data set should exercise this filter";
      ASSERT_LT(want.size(), tasks.size() + (std::string(c.name) == "none" ? 1 : 0));
    }
    TaskQuery query;
    query.filter = c.filter;
    query.page_size = 1000;
    absl::StatusOr<Listing> got = ListAll(store(), query, static_cast<int64_t>(want.size()));
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(got->ids, want);
    EXPECT_EQ(got->pages, 1);
  }
}

TEST_P(StoreContractTest, ListTasksEachOrderSortsWithTiesBrokenByCreation) {
  const std::vector<domain::Task> tasks = SeedListing(store());
  for (TaskOrder order : kAllOrders) {
    SCOPED_TRACE(static_cast<int>(order));
    TaskQuery query;
    query.order = order;
    query.page_size = 1000;
    absl::StatusOr<Listing> got = ListAll(store(), query, static_cast<int64_t>(tasks.size()));
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(got->ids, Expected(tasks, {}, order));
  }
}

TEST_P(StoreContractTest, ListTasksPagingThroughAllPagesEqualsTheFullSortedList) {
  const std::vector<domain::Task> tasks = SeedListing(store());
  TaskFilter overdue_in_c1;
  overdue_in_c1.campaign_id = "C-1";
  overdue_in_c1.overdue = true;
  overdue_in_c1.due_within = absl::Hours(3);
  overdue_in_c1.now = TestNow();
  for (const TaskFilter& filter : {TaskFilter{}, overdue_in_c1}) {
    for (TaskOrder order : kAllOrders) {
      for (int page_size : {1, 4, 7, 48}) {
        SCOPED_TRACE(absl::StrCat("order ", static_cast<int>(order), ", page size ", page_size,
                                  ", filtered ", !filter.campaign_id.empty()));
        std::vector<std::string> want = Expected(tasks, filter, order);
        TaskQuery query;
        query.filter = filter;
        query.order = order;
        query.page_size = page_size;
        absl::StatusOr<Listing> got = ListAll(store(), query, static_cast<int64_t>(want.size()));
        ASSERT_THAT(got, IsOk());
        EXPECT_EQ(got->ids, want);
        const int pages =
            std::max<int>(1, static_cast<int>((want.size() + page_size - 1) / page_size));
        EXPECT_EQ(got->pages, pages);
      }
    }
  }
}

TEST_P(StoreContractTest, ListTasksInsertingBetweenPagesNeitherDuplicatesNorSkipsEarlierRows) {
  const std::vector<domain::Task> tasks = SeedListing(store());
  TaskQuery query;
  query.filter.campaign_id = "C-1";
  query.page_size = 5;
  const std::vector<std::string> before = Expected(tasks, query.filter, TaskOrder::kCreateTime);

  std::vector<std::string> seen;
  int inserted = 0;
  while (true) {
    absl::StatusOr<TaskPage> page =
        storage::ReadAndReturn<TaskPage>(store(), [&](ReadTx& tx) { return tx.ListTasks(query); });
    ASSERT_THAT(page, IsOk());
    for (const domain::Task& t : page->tasks) seen.push_back(t.id);
    // After each page: one task older than everything, one newer.
    domain::Task older = MakeTask(absl::StrCat("N-old-", inserted));
    older.create_time = TestNow() - absl::Hours(1000);
    domain::Task newer = MakeTask(absl::StrCat("N-new-", inserted));
    newer.create_time = TestNow() + absl::Hours(inserted);
    ++inserted;
    ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
      if (absl::Status s = tx.CreateTask(older); !s.ok()) return s;
      return tx.CreateTask(newer);
    }),
                IsOk());
    if (page->next_page_token.empty()) break;
    query.page_token = page->next_page_token;
  }

  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a row was returned twice";
  std::vector<std::string> original;
  for (const std::string& id : seen) {
    if (id.rfind("N-", 0) != 0) original.push_back(id);
  }
  EXPECT_EQ(original, before) << "an earlier row was skipped or moved";
  for (const std::string& id : seen) {
    EXPECT_EQ(id.rfind("N-old-", 0), std::string::npos) << id << " sorts before the cursor";
  }
  EXPECT_NE(std::find(seen.begin(), seen.end(), "N-new-0"), seen.end())
      << "rows inserted after the cursor show up on later pages";
}

TEST_P(StoreContractTest, ListTasksAPageTokenIsRejectedWithAnotherFilterOrOrderOrWhenGarbled) {
  SeedListing(store());
  TaskQuery query;
  query.filter.campaign_id = "C-1";
  query.page_size = 3;
  absl::StatusOr<TaskPage> first =
      storage::ReadAndReturn<TaskPage>(store(), [&](ReadTx& tx) { return tx.ListTasks(query); });
  ASSERT_THAT(first, IsOk());
  ASSERT_FALSE(first->next_page_token.empty());
  const std::string token = first->next_page_token;

  auto list = [&](TaskQuery q) {
    return storage::ReadAndReturn<TaskPage>(store(), [&](ReadTx& tx) { return tx.ListTasks(q); });
  };
  TaskQuery other_filter = query;
  other_filter.filter.campaign_id = "C-2";
  other_filter.page_token = token;
  EXPECT_THAT(list(other_filter),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));

  TaskQuery other_order = query;
  other_order.order = TaskOrder::kDeadline;
  other_order.page_token = token;
  EXPECT_THAT(list(other_order),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));

  TaskQuery more_states = query;
  more_states.filter.states = {TaskState::kOpen};
  more_states.page_token = token;
  EXPECT_THAT(list(more_states),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));

  for (std::string garbled : {std::string("not a token!"), token.substr(0, token.size() / 2),
                              token + "AAAA", std::string("")}) {
    if (garbled.empty()) {
      garbled = token;
      garbled[garbled.size() / 2] = garbled[garbled.size() / 2] == 'A' ? 'B' : 'A';
    }
    TaskQuery bad = query;
    bad.page_token = garbled;
    EXPECT_THAT(list(bad), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")))
        << garbled;
  }

  // The page size may change between pages.
  TaskQuery bigger = query;
  bigger.page_size = 100;
  bigger.page_token = token;
  absl::StatusOr<TaskPage> rest = list(bigger);
  ASSERT_THAT(rest, IsOk());
  EXPECT_EQ(rest->tasks.size() + first->tasks.size(), static_cast<size_t>(first->total_count));
}

TEST_P(StoreContractTest, ListTasksBadQueriesAreInvalidArgumentNamingTheField) {
  SeedListing(store());
  auto list = [&](TaskQuery q) {
    return storage::ReadAndReturn<TaskPage>(store(), [&](ReadTx& tx) { return tx.ListTasks(q); });
  };
  TaskQuery no_now;
  no_now.filter.overdue = true;
  EXPECT_THAT(list(no_now), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
  TaskQuery negative;
  negative.filter.due_within = absl::Hours(-1);
  negative.filter.now = TestNow();
  EXPECT_THAT(list(negative),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("due_within")));
  TaskQuery zero;
  zero.page_size = 0;
  EXPECT_THAT(list(zero), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

// Overdue and due-within follow `now`, not the wall clock, and count only
// tasks whose clock runs.
TEST_P(StoreContractTest, OverdueAndDueWithinAreRelativeToNow) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  struct Row {
    const char* id;
    TaskState state;
    absl::Duration deadline_from_now;  // absl::InfiniteDuration(): no deadline
  };
  const Row rows[] = {
      {"late-dispatched", TaskState::kDispatched, -absl::Hours(1)},
      {"late-accepted", TaskState::kAccepted, -absl::Hours(30)},
      {"due-now", TaskState::kInProgress, absl::ZeroDuration()},
      {"due-2h", TaskState::kAccepted, absl::Hours(2)},
      {"due-30h", TaskState::kInProgress, absl::Hours(30)},
      {"late-but-submitted", TaskState::kSubmitted, -absl::Hours(5)},
      {"late-but-suspended", TaskState::kSuspended, -absl::Hours(5)},
      {"late-but-closed", TaskState::kClosed, -absl::Hours(5)},
      {"open-no-deadline", TaskState::kOpen, absl::InfiniteDuration()},
      {"dispatched-no-deadline", TaskState::kDispatched, absl::InfiniteDuration()},
  };
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    for (const Row& row : rows) {
      domain::Task t = MakeTask(row.id);
      t.state = row.state;
      t.deadline = row.deadline_from_now == absl::InfiniteDuration()
                       ? absl::InfiniteFuture()
                       : TestNow() + row.deadline_from_now;
      if (absl::Status s = tx.CreateTask(t); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());

  auto ids = [&](TaskFilter filter) {
    TaskQuery query;
    query.filter = std::move(filter);
    query.order = TaskOrder::kDeadline;
    absl::StatusOr<TaskPage> page =
        storage::ReadAndReturn<TaskPage>(store(), [&](ReadTx& tx) { return tx.ListTasks(query); });
    std::vector<std::string> out;
    EXPECT_THAT(page, IsOk());
    if (page.ok()) {
      for (const auto& t : page->tasks) out.push_back(t.id);
      EXPECT_EQ(page->total_count, static_cast<int64_t>(out.size()));
    }
    return out;
  };
  TaskFilter overdue;
  overdue.overdue = true;
  overdue.now = TestNow();
  EXPECT_THAT(ids(overdue), ElementsAre("late-accepted", "late-dispatched"));

  TaskFilter due;
  due.due_within = absl::Hours(24);
  due.now = TestNow();
  EXPECT_THAT(ids(due), ElementsAre("due-now", "due-2h"));

  TaskFilter both = due;
  both.overdue = true;
  EXPECT_THAT(ids(both), ElementsAre("late-accepted", "late-dispatched", "due-now", "due-2h"));

  // Three hours later, more is overdue and the window has moved.
  overdue.now = TestNow() + absl::Hours(3);
  EXPECT_THAT(ids(overdue), ElementsAre("late-accepted", "late-dispatched", "due-now", "due-2h"));
  due.now = TestNow() + absl::Hours(3);
  EXPECT_THAT(ids(due), IsEmpty());
  due.due_within = absl::Hours(28);
  EXPECT_THAT(ids(due), ElementsAre("due-30h"));
  // A day and a half earlier, nothing was overdue yet.
  overdue.now = TestNow() - absl::Hours(36);
  EXPECT_THAT(ids(overdue), IsEmpty());
}

// ---------------------------------------------------------------------------
// Inspections

TEST_P(StoreContractTest, InspectionCreateGetSaveRoundTripsEveryField) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Inspection inspection = MakeInspection("I-1", "C-2", "M-3", absl::CivilDay(2024, 10, 8));
  inspection.kind = domain::InspectionKind::kFinalEvaluation;
  inspection.note = kAwkward;
  // Every field of a deduction away from its default, and awkward text in each string.
  inspection.deductions.push_back({kAwkward, 12, "楼道内\n堆物：「纸箱」、'旧家具' \\ 共12平方米",
                                   kAwkward, std::string(64, 'f'), true, 10, kAwkward});
  inspection.categories.push_back({kAwkward, 1000, 1200, 0});
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateInspection(inspection); }), IsOk());
  EXPECT_EQ(inspection.version, 1);

  auto get = [&](const std::string& id) {
    return storage::ReadAndReturn<domain::Inspection>(
        store(), [&](ReadTx& tx) { return tx.GetInspection(id); });
  };
  absl::StatusOr<domain::Inspection> got = get("I-1");
  ASSERT_THAT(got, IsOk());
  ExpectInspectionEq(*got, inspection);

  // What the server does next: open a task for the deduction that asks for
  // one, naming the inspection, and record the task's id in the deduction.
  domain::Task task = MakeTask("T-1");
  task.campaign_id = "C-2";
  task.community_id = "M-3";
  task.inspection_id = "I-1";
  got->deductions[0].task_id = "T-1";
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    if (absl::Status s = tx.CreateTask(task); !s.ok()) return s;
    return tx.SaveInspection(*got);
  }),
              IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<domain::Inspection> again = get("I-1");
  ASSERT_THAT(again, IsOk());
  ExpectInspectionEq(*again, *got);
  EXPECT_EQ(again->deductions[0].task_id, "T-1");
  EXPECT_EQ(again->deductions[0].note, "东门公益广告缺3处");
  absl::StatusOr<domain::Task> opened = GetTask(store(), "T-1");
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(opened->inspection_id, "I-1");

  absl::StatusOr<std::vector<domain::Inspection>> listed =
      storage::ReadAndReturn<std::vector<domain::Inspection>>(
          store(), [](ReadTx& tx) { return tx.ListInspections({}, 10); });
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  ExpectInspectionEq((*listed)[0], *got);
}

TEST_P(StoreContractTest, InspectionWithDefaultsRoundTrips) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  domain::Inspection inspection;  // a clean sheet: no deductions, no scores, no times
  inspection.id = "I-0";
  inspection.campaign_id = "C-1";
  inspection.community_id = "M-1";
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateInspection(inspection); }), IsOk());
  absl::StatusOr<domain::Inspection> got = storage::ReadAndReturn<domain::Inspection>(
      store(), [](ReadTx& tx) { return tx.GetInspection("I-0"); });
  ASSERT_THAT(got, IsOk());
  ExpectInspectionEq(*got, inspection);
  EXPECT_THAT(got->deductions, IsEmpty());
  EXPECT_EQ(got->create_time, absl::InfinitePast());
  EXPECT_EQ(got->version, 1);
}

// The reference semantics of InspectionFilter (store.h), written independently.
bool Matches(const storage::InspectionFilter& f, const domain::Inspection& i) {
  if (!f.campaign_id.empty() && i.campaign_id != f.campaign_id) return false;
  if (!f.community_id.empty() && i.community_id != f.community_id) return false;
  if (f.kind.has_value() && i.kind != *f.kind) return false;
  if (f.from.has_value() && i.date < *f.from) return false;
  if (f.to.has_value() && i.date >= *f.to) return false;
  return true;
}

// Ids of `all` (in creation order) that match, newest first: date, then
// create_time, then creation order, each descending.
std::vector<std::string> ExpectedInspectionIds(const std::vector<domain::Inspection>& all,
                                               const storage::InspectionFilter& filter,
                                               size_t limit) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < all.size(); ++i) {
    if (Matches(filter, all[i])) idx.push_back(i);
  }
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (all[a].date != all[b].date) return all[a].date > all[b].date;
    if (all[a].create_time != all[b].create_time) return all[a].create_time > all[b].create_time;
    return a > b;
  });
  std::vector<std::string> ids;
  for (size_t i = 0; i < idx.size() && i < limit; ++i) ids.push_back(all[idx[i]].id);
  return ids;
}

// Two campaigns, three communities, every kind; dates with ties, create times
// with ties (and one unset), created in an order that is not the listing's.
std::vector<domain::Inspection> ListingInspections() {
  using K = domain::InspectionKind;
  struct Row {
    const char* id;
    const char* campaign;
    const char* community;
    K kind;
    absl::CivilDay date;
    int create_hour;  // after TestNow(); -1: unset
  };
  const Row rows[] = {
      {"I-a", "C-1", "M-1", K::kWeekly, absl::CivilDay(2024, 5, 13), 10},
      {"I-b", "C-1", "M-1", K::kWeekly, absl::CivilDay(2024, 5, 6), 20},
      {"I-c", "C-1", "M-2", K::kWeekly, absl::CivilDay(2024, 5, 13), 30},
      {"I-d", "C-1", "M-1", K::kSelfCheck, absl::CivilDay(2024, 4, 10), 5},
      {"I-e", "C-1", "M-1", K::kFinalEvaluation, absl::CivilDay(2024, 10, 20), 40},
      {"I-f", "C-1", "M-3", K::kWeekly, absl::CivilDay(2024, 5, 13), 10},  // ties I-a
      {"I-g", "C-1", "M-1", K::kWeekly, absl::CivilDay(2024, 5, 13), 50},  // same day, later
      {"I-h", "C-2", "M-1", K::kWeekly, absl::CivilDay(2024, 5, 13), 60},
      {"I-i", "C-2", "M-2", K::kSelfCheck, absl::CivilDay(2024, 4, 1), 1},
      {"I-j", "C-1", "M-1", K::kWeekly, absl::CivilDay(2024, 5, 13), -1},  // no create time
      {"I-k", "C-1", "M-1", K::kWeekly, absl::CivilDay(2024, 5, 13), 10},  // ties I-a, after it
      {"I-l", "C-1", "M-2", K::kWeekly, absl::CivilDay(2024, 5, 20), 0},
  };
  std::vector<domain::Inspection> out;
  for (const Row& row : rows) {
    domain::Inspection i = MakeInspection(row.id, row.campaign, row.community, row.date);
    i.kind = row.kind;
    i.create_time =
        row.create_hour < 0 ? absl::InfinitePast() : TestNow() + absl::Hours(row.create_hour);
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<domain::Inspection> SeedInspections(storage::Store& store) {
  EXPECT_THAT(SeedDirectory(store), IsOk());
  std::vector<domain::Inspection> all = ListingInspections();
  EXPECT_THAT(store.Write([&](WriteTx& tx) -> absl::Status {
    for (domain::Inspection& i : all) {
      if (absl::Status s = tx.CreateInspection(i); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  return all;
}

TEST_P(StoreContractTest, ListInspectionsEachFilterSelectsTheMatchingOnesNewestFirst) {
  const std::vector<domain::Inspection> all = SeedInspections(store());
  auto list = [&](const storage::InspectionFilter& filter, int limit) {
    absl::StatusOr<std::vector<domain::Inspection>> got =
        storage::ReadAndReturn<std::vector<domain::Inspection>>(
            store(), [&](ReadTx& tx) { return tx.ListInspections(filter, limit); });
    std::vector<std::string> ids;
    EXPECT_THAT(got, IsOk());
    if (got.ok()) {
      for (const auto& i : *got) ids.push_back(i.id);
    }
    return ids;
  };

  // The order, spelled out once: by date; on 2024-05-13 by create time (I-h
  // 60h, I-g 50h, I-c 30h, then I-a, I-f and I-k all at 10h: the later created
  // first), the one without a create time last.
  EXPECT_THAT(list({}, 1000), ElementsAre("I-e", "I-l", "I-h", "I-g", "I-c", "I-k", "I-f", "I-a",
                                          "I-j", "I-b", "I-d", "I-i"));

  std::vector<storage::InspectionFilter> filters;
  filters.emplace_back();
  auto add = [&](auto change) {
    storage::InspectionFilter f;
    change(f);
    filters.push_back(f);
  };
  add([](auto& f) { f.campaign_id = "C-1"; });
  add([](auto& f) { f.campaign_id = "C-2"; });
  add([](auto& f) { f.campaign_id = "C-404"; });
  add([](auto& f) { f.community_id = "M-1"; });
  add([](auto& f) { f.community_id = "M-2"; });
  add([](auto& f) { f.kind = domain::InspectionKind::kWeekly; });
  add([](auto& f) { f.kind = domain::InspectionKind::kSelfCheck; });
  add([](auto& f) { f.kind = domain::InspectionKind::kFinalEvaluation; });
  add([](auto& f) { f.from = absl::CivilDay(2024, 5, 13); });  // inclusive
  add([](auto& f) { f.to = absl::CivilDay(2024, 5, 13); });    // exclusive
  add([](auto& f) {
    f.from = absl::CivilDay(2024, 5, 6);
    f.to = absl::CivilDay(2024, 5, 14);
  });
  add([](auto& f) {
    f.from = absl::CivilDay(2024, 5, 13);
    f.to = absl::CivilDay(2024, 5, 13);  // an empty range
  });
  add([](auto& f) {
    f.campaign_id = "C-1";
    f.community_id = "M-1";
    f.kind = domain::InspectionKind::kWeekly;
  });
  add([](auto& f) {
    f.campaign_id = "C-1";
    f.kind = domain::InspectionKind::kWeekly;
    f.from = absl::CivilDay(2024, 5, 7);
    f.to = absl::CivilDay(2024, 10, 1);
  });
  add([](auto& f) {
    f.community_id = "M-2";
    f.to = absl::CivilDay(2024, 5, 14);
  });

  for (size_t n = 0; n < filters.size(); ++n) {
    SCOPED_TRACE(absl::StrCat("filter #", n));
    const storage::InspectionFilter& f = filters[n];
    EXPECT_EQ(list(f, 1000), ExpectedInspectionIds(all, f, 1000));
    EXPECT_EQ(list(f, 2), ExpectedInspectionIds(all, f, 2)) << "the newest two";
    EXPECT_EQ(list(f, 1), ExpectedInspectionIds(all, f, 1)) << "the newest";
  }
}

TEST_P(StoreContractTest, ListInspectionsLimitOutsideOneToAThousandIsInvalidArgument) {
  SeedInspections(store());
  ASSERT_THAT(store().Read([](ReadTx& tx) -> absl::Status {
    for (int bad : {0, -1, 1001, std::numeric_limits<int>::min()}) {
      EXPECT_THAT(tx.ListInspections({}, bad),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")))
          << bad;
    }
    absl::StatusOr<std::vector<domain::Inspection>> one = tx.ListInspections({}, 1);
    EXPECT_THAT(one, IsOk());
    if (one.ok()) {
      EXPECT_EQ(one->size(), 1u);
    }
    absl::StatusOr<std::vector<domain::Inspection>> most = tx.ListInspections({}, 1000);
    EXPECT_THAT(most, IsOk());
    if (most.ok()) {
      EXPECT_EQ(most->size(), ListingInspections().size());
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, AWriteListsTheInspectionsItCreated) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([](WriteTx& tx) -> absl::Status {
    domain::Inspection inspection = MakeInspection("I-1");
    if (absl::Status s = tx.CreateInspection(inspection); !s.ok()) return s;
    storage::InspectionFilter filter;
    filter.community_id = "M-1";
    absl::StatusOr<std::vector<domain::Inspection>> got = tx.ListInspections(filter, 1);
    EXPECT_THAT(got, IsOk());
    if (got.ok()) {
      EXPECT_EQ(got->size(), 1u);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

// ---------------------------------------------------------------------------
// Self-check lists

TEST_P(StoreContractTest, SelfCheckListsAreCreatedOncePerCommunityAndCampaign) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  const domain::SelfCheckList m3 = MakeSelfCheckList("C-1", "M-3");  // nothing to fix
  const domain::SelfCheckList m1 = MakeSelfCheckList("C-1", "M-1", {"T-7", "T-3", kAwkward});
  domain::SelfCheckList other_campaign = MakeSelfCheckList("C-2", "M-1", {"T-9"});
  other_campaign.submitted_by = kAwkward;
  other_campaign.submit_time = absl::InfinitePast();
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    for (const domain::SelfCheckList& l : {m3, m1, other_campaign}) {
      if (absl::Status s = tx.CreateSelfCheckList(l); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());

  domain::SelfCheckList again = MakeSelfCheckList("C-1", "M-1", {"T-8"});
  again.submitted_by = "P-2";
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateSelfCheckList(again); }),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       ::testing::AllOf(HasSubstr("'M-1'"), HasSubstr("'C-1'"))));

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<domain::SelfCheckList> got = tx.GetSelfCheckList("C-1", "M-1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectSelfCheckListEq(*got, m1);  // the first one stays
    got = tx.GetSelfCheckList("C-2", "M-1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectSelfCheckListEq(*got, other_campaign);
    got = tx.GetSelfCheckList("C-1", "M-3");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectSelfCheckListEq(*got, m3);

    EXPECT_THAT(tx.GetSelfCheckList("C-1", "M-2"),
                StatusIs(absl::StatusCode::kNotFound,
                         ::testing::AllOf(HasSubstr("'M-2'"), HasSubstr("'C-1'"))));
    EXPECT_THAT(tx.GetSelfCheckList("C-404", "M-1"), StatusIs(absl::StatusCode::kNotFound));

    absl::StatusOr<std::vector<domain::SelfCheckList>> c1 = tx.ListSelfCheckLists("C-1");
    EXPECT_THAT(c1, IsOk());
    if (c1.ok()) {
      std::vector<std::string> communities;
      for (const auto& l : *c1) communities.push_back(l.community_id);
      EXPECT_THAT(communities, ElementsAre("M-3", "M-1"));  // submission order
      if (c1->size() == 2u) ExpectSelfCheckListEq((*c1)[1], m1);
    }
    absl::StatusOr<std::vector<domain::SelfCheckList>> none = tx.ListSelfCheckLists("C-404");
    EXPECT_THAT(none, IsOk());
    if (none.ok()) {
      EXPECT_THAT(*none, IsEmpty());
    }
    return absl::OkStatus();
  }),
              IsOk());
}

// ---------------------------------------------------------------------------
// Standards

TEST_P(StoreContractTest, StandardsArePutOnceAndListedInTheOrderTheyWereStored) {
  storage::StandardRecord a1 = MakeStandardRecord("civilized-residential", "2024.1");
  a1.text = kAwkward + "\n# 住宅小区全国文明城市创建标准\n";
  storage::StandardRecord b1 = MakeStandardRecord("street-front", "1");
  b1.load_time = absl::InfinitePast();
  storage::StandardRecord a2 = MakeStandardRecord("civilized-residential", "2024.2");
  // Stored last though its clock read earlier (set back): still the newest.
  a2.load_time = a1.load_time - absl::Hours(1);
  for (const storage::StandardRecord* s : {&a1, &b1, &a2}) {
    ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.PutStandard(*s); }), IsOk());
  }

  storage::StandardRecord changed = a1;
  changed.text = "edited in place";
  EXPECT_THAT(
      store().Write([&](WriteTx& tx) { return tx.PutStandard(changed); }),
      StatusIs(absl::StatusCode::kAlreadyExists,
               ::testing::AllOf(HasSubstr("'civilized-residential'"), HasSubstr("'2024.1'"))));

  ASSERT_THAT(store().Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<storage::StandardRecord> got = tx.GetStandard("civilized-residential", "2024.1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectStandardEq(*got, a1);  // unchanged
    got = tx.GetStandard("street-front", "1");
    EXPECT_THAT(got, IsOk());
    if (got.ok()) ExpectStandardEq(*got, b1);

    EXPECT_THAT(tx.GetStandard("civilized-residential", "2024.3"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'2024.3'")));
    EXPECT_THAT(tx.GetStandard("no-such-standard", "2024.1"),
                StatusIs(absl::StatusCode::kNotFound, HasSubstr("'no-such-standard'")));

    absl::StatusOr<std::vector<storage::StandardRecord>> all = tx.ListStandards();
    EXPECT_THAT(all, IsOk());
    if (all.ok()) {
      std::vector<std::string> versions;
      for (const auto& s : *all) versions.push_back(s.id + " " + s.version);
      EXPECT_THAT(versions, ElementsAre("civilized-residential 2024.1", "street-front 1",
                                        "civilized-residential 2024.2"));
      if (all->size() == 3u) ExpectStandardEq((*all)[2], a2);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_P(StoreContractTest, NoStandardsListsEmpty) {
  absl::StatusOr<std::vector<storage::StandardRecord>> all =
      storage::ReadAndReturn<std::vector<storage::StandardRecord>>(
          store(), [](ReadTx& tx) { return tx.ListStandards(); });
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, IsEmpty());
}

}  // namespace

}  // namespace rectify::test
