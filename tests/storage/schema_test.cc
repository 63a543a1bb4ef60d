// Schema versions and migrations, and the query plans the indexes exist for.
#include "storage/schema.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/inspection.h"
#include "domain/penalty.h"
#include "common/status_macros.h"
#include "domain/volunteer.h"
#include "domain/work_plan.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/inspection_query.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"
#include "storage/task_query.h"
#include "tests/storage/sqlite_testing.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using storage::ReadTx;
using storage::TaskPage;
using storage::TaskQuery;
using storage::WriteTx;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

TEST(SchemaTest, MigrationsAreNumberedOneByOneFromOne) {
  int expected = 1;
  for (const storage::internal::Migration& step : storage::internal::Migrations()) {
    EXPECT_EQ(step.version, expected++);
    EXPECT_NE(std::string(step.sql), "");
  }
  EXPECT_EQ(storage::internal::LatestSchemaVersion(), 14);
}

// What a v1 or v2 build wrote (those versions share these tables): a campaign,
// the street office and community a task needs, a dispatched task one hour
// overdue at TestNow(), and its event. Raw SQL in those versions' columns: the
// engine writes only the latest layout.
void InsertOldRows(RawDb& raw) {
  raw.Exec(R"sql(
    INSERT INTO campaigns (id, name, city, time_zone, self_check_start, rectification_start,
                           final_assault_start, close_date, phase, max_extensions, version,
                           create_time, update_time)
    VALUES ('C-1', '2024年度老旧小区环境整治', '某市', 'Asia/Shanghai', '2024-04-01',
            '2024-05-01', '2024-10-01', '2024-11-01', 3, 3, 2, 1711929600000000, NULL);
    INSERT INTO organisations (id, kind, name, head_person_id, street_office_id, version,
                               create_time)
    VALUES ('S-1', 4, '街道 S-1', 'P-head', NULL, 1, NULL);
    INSERT INTO communities (id, name, address, street_office_id, property_company_id,
                             owners_committee_id, version, create_time)
    VALUES ('M-1', '幸福小区', '幸福路 1 号', 'S-1', NULL, NULL, 1, NULL);
    INSERT INTO tasks (id, campaign_id, community_id, street_office_id, category, source, title,
                       description, standard_item, responsible_org_id, responsible_person_id,
                       budget_planned_fen, budget_actual_fen, budget_payer, evidence, urgings,
                       ext_pending, state, sla_unit, deadline, rework_count, extension_count,
                       return_count, created_by, create_time, version)
    VALUES ('T-1', 'C-1', 'M-1', 'S-1', 'sanitation', 2, '楼道堆物', '3号楼楼道堆放杂物', '2.1',
            NULL, '', 80000, 0, 1, '[]', '[]', 0, 2, 3, 1714518000000000, 0, 0, 0, 'P-1',
            1714348800000000, 1);
    INSERT INTO events (type, subject, campaign_id, actor_person_id, actor_org_id, time,
                        from_state, to_state, reason, details)
    VALUES ('task.created', 'tasks/T-1', 'C-1', 'P-1', 'S-1', 1714348800000000, '', 'OPEN', '',
            '[]');
  )sql");
}

// Every overdue task at TestNow(), first page.
absl::StatusOr<TaskPage> OverdueAtTestNow(ReadTx& tx) {
  TaskQuery query;
  query.filter.overdue = true;
  query.filter.now = TestNow();
  return tx.ListTasks(query);
}

// The old rows read back through the latest engine, unchanged.
void ExpectOldRowsIntact(storage::Store& store) {
  ASSERT_THAT(store.Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<domain::Task> task = tx.GetTask("T-1");
    EXPECT_THAT(task, IsOk());
    if (task.ok()) {
      EXPECT_EQ(task->title, "楼道堆物");
      EXPECT_EQ(task->state, domain::TaskState::kDispatched);
      EXPECT_EQ(task->deadline, TestNow() - absl::Hours(1));
      EXPECT_EQ(task->budget.planned_fen, 80000);
      EXPECT_EQ(task->inspection_id, "");
    }
    absl::StatusOr<TaskPage> page = OverdueAtTestNow(tx);
    EXPECT_THAT(page, IsOk());
    if (page.ok()) {
      EXPECT_EQ(page->total_count, 1);
    }
    absl::StatusOr<std::vector<domain::Event>> events = tx.ListEvents("", 0, 10);
    EXPECT_THAT(events, IsOk());
    if (events.ok()) {
      EXPECT_EQ(events->size(), 1u);
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST(SchemaTest, AVersion1DatabaseIsUpgradedToTheLatestKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v1 = OpenOrDie(path, /*max_schema_version=*/1);
    ASSERT_NE(v1, nullptr);
    // v1 has no requests table: the engine says so rather than crashing.
    EXPECT_THAT(v1->Write([](WriteTx& tx) { return tx.SaveRequest("P-1", "r-1", {}); }),
                Not(IsOk()));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 1);
    EXPECT_FALSE(raw.HasSchemaObject("requests"));
    EXPECT_FALSE(raw.HasSchemaObject("tasks_open_by_deadline"));
    InsertOldRows(raw);
  }

  std::unique_ptr<storage::Store> latest = OpenOrDie(path);
  ASSERT_NE(latest, nullptr);
  ExpectOldRowsIntact(*latest);
  // v2's additions work: requests, and the overdue listing on its index.
  storage::StoredResponse response;
  response.method = "DispatchTask";
  ASSERT_THAT(latest->Write([&](WriteTx& tx) { return tx.SaveRequest("P-1", "r-1", response); }),
              IsOk());
  ASSERT_THAT(latest->Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<std::optional<storage::StoredResponse>> stored = tx.LookupRequest("P-1", "r-1");
    EXPECT_THAT(stored, IsOk());
    if (stored.ok()) {
      EXPECT_TRUE(stored->has_value());
    }
    return absl::OkStatus();
  }),
              IsOk());
  latest.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), storage::internal::LatestSchemaVersion());
  EXPECT_TRUE(raw.HasSchemaObject("requests"));
  EXPECT_TRUE(raw.HasSchemaObject("tasks_open_by_deadline"));
  EXPECT_TRUE(raw.HasSchemaObject("tasks_open_by_campaign_deadline"));
  EXPECT_TRUE(raw.HasSchemaObject("inspections"));
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion2DatabaseIsUpgradedToVersion3KeepingItsDataWithTheNewDefaults) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  storage::StoredResponse response;
  response.method = "DispatchTask";
  response.response = "first answer";
  {
    std::unique_ptr<storage::Store> v2 = OpenOrDie(path, /*max_schema_version=*/2);
    ASSERT_NE(v2, nullptr);
    ASSERT_THAT(v2->Write([&](WriteTx& tx) { return tx.SaveRequest("P-1", "r-1", response); }),
                IsOk());
    // v2 has no inspections: the engine says so rather than crashing.
    EXPECT_THAT(v2->Read([](ReadTx& tx) { return tx.GetInspection("I-1").status(); }), Not(IsOk()));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 2);
    for (const char* v3 : {"inspections", "self_check_lists", "standards"}) {
      EXPECT_FALSE(raw.HasSchemaObject(v3)) << v3;
    }
    InsertOldRows(raw);
  }

  std::unique_ptr<storage::Store> v3 = OpenOrDie(path);
  ASSERT_NE(v3, nullptr);
  // The v3 step itself gave the old rows their defaults (NULL: no standard,
  // no inspection), not the engine reading them.
  EXPECT_EQ(RawDb(path).Query("SELECT standard_id IS NULL, target_percent, final_assault_percent "
                              "FROM campaigns WHERE id = 'C-1'"),
            "1|90|50");
  EXPECT_EQ(RawDb(path).Query("SELECT inspection_id IS NULL FROM tasks WHERE id = 'T-1'"), "1");
  ExpectOldRowsIntact(*v3);
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v3, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  ASSERT_THAT(campaign, IsOk());
  EXPECT_EQ(campaign->name, "2024年度老旧小区环境整治");
  EXPECT_EQ(campaign->final_assault_start, absl::CivilDay(2024, 10, 1));
  EXPECT_EQ(campaign->phase, domain::Phase::kRectification);
  EXPECT_EQ(campaign->max_extensions, 3);
  EXPECT_EQ(campaign->version, 2);
  EXPECT_EQ(campaign->create_time, absl::FromUnixSeconds(1711929600));
  EXPECT_EQ(campaign->update_time, absl::InfinitePast());
  // The new fields take the domain's defaults.
  EXPECT_EQ(campaign->standard_id, "");
  EXPECT_EQ(campaign->target_percent, 90);
  EXPECT_EQ(campaign->final_assault_percent, 50);
  absl::StatusOr<std::optional<storage::StoredResponse>> stored =
      storage::ReadAndReturn<std::optional<storage::StoredResponse>>(
          *v3, [](ReadTx& tx) { return tx.LookupRequest("P-1", "r-1"); });
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->response, "first answer");

  // v3's additions work on the old rows: the campaign is saved with its new
  // fields, an inspection of the old community opens a task, its self-check
  // list and its standard are stored.
  campaign->standard_id = "civilized-residential";
  campaign->target_percent = 95;
  ASSERT_THAT(v3->Write([&](WriteTx& tx) -> absl::Status {
    if (absl::Status s = tx.SaveCampaign(*campaign); !s.ok()) return s;
    domain::Inspection inspection = MakeInspection("I-1", "C-1", "M-1");
    if (absl::Status s = tx.CreateInspection(inspection); !s.ok()) return s;
    absl::StatusOr<domain::Task> task = tx.GetTask("T-1");
    if (!task.ok()) return task.status();
    task->inspection_id = "I-1";
    if (absl::Status s = tx.SaveTask(*task); !s.ok()) return s;
    if (absl::Status s = tx.CreateSelfCheckList(MakeSelfCheckList("C-1", "M-1", {"T-1"}));
        !s.ok()) {
      return s;
    }
    return tx.PutStandard(MakeStandardRecord("civilized-residential", "2024.1"));
  }),
              IsOk());
  absl::StatusOr<domain::Task> task = GetTask(*v3, "T-1");
  ASSERT_THAT(task, IsOk());
  EXPECT_EQ(task->inspection_id, "I-1");
  EXPECT_EQ(task->version, 2);
  v3.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), storage::internal::LatestSchemaVersion());
  // v4: events written before it have an empty audience.
  EXPECT_EQ(raw.Query("SELECT audience FROM events ORDER BY seq LIMIT 1"), "[]");
  for (const char* object :
       {"inspections", "self_check_lists", "standards", "inspections_by_community_date",
        "inspections_by_campaign_kind_date"}) {
    EXPECT_TRUE(raw.HasSchemaObject(object)) << object;
  }
  EXPECT_EQ(raw.Query("SELECT standard_id, target_percent, final_assault_percent FROM campaigns"),
            "civilized-residential|95|50");
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

// SeedDirectory for a database opened at a version before 7: campaigns C-1
// and C-2 in raw SQL of the v3..v6 columns (the engine writes only the latest
// layout, whose campaigns have require_letter), the rest through the engine.
void SeedOldDirectory(storage::Store& store, const std::string& path) {
  RawDb(path).Exec(R"sql(
    INSERT INTO campaigns (id, name, city, time_zone, self_check_start, rectification_start,
                           final_assault_start, close_date, phase, max_extensions, version,
                           create_time, update_time)
    VALUES ('C-1', 'C-1', '某市', 'Asia/Shanghai', '2024-04-01', '2024-05-01', '2024-10-01',
            '2024-11-01', 1, 2, 1, NULL, NULL),
           ('C-2', 'C-2', '某市', 'Asia/Shanghai', '2024-04-01', '2024-05-01', '2024-10-01',
            '2024-11-01', 1, 2, 1, NULL, NULL);
  )sql");
  ASSERT_THAT(SeedDirectory(store, /*with_campaigns=*/false), IsOk());
}

// A dispatched task T-1 as versions 3 to 13 store it, in community M-1 of
// SeedOldDirectory. Raw SQL: the engine reads and writes only the latest
// layout (v14 added tasks.clock_running).
void InsertOldTask(const std::string& path) {
  RawDb(path).Exec(R"sql(
    INSERT INTO tasks (id, campaign_id, community_id, street_office_id, category, source, title,
                       description, standard_item, responsible_org_id, responsible_person_id,
                       budget_planned_fen, budget_actual_fen, budget_payer, evidence, urgings,
                       ext_pending, state, sla_unit, deadline, rework_count, extension_count,
                       return_count, created_by, create_time, version)
    SELECT 'T-1', 'C-1', 'M-1', street_office_id, 'sanitation', 2, '楼道堆物', '3号楼楼道堆放杂物',
           '2.1', NULL, '', 80000, 0, 1, '[]', '[]', 0, 2, 3, 1714518000000000, 0, 0, 0, 'P-1',
           1714348800000000, 1
    FROM communities WHERE id = 'M-1';
  )sql");
}

TEST(SchemaTest, AVersion4DatabaseIsUpgradedToVersion5WithPenaltiesAndEscalations) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v4 = OpenOrDie(path, /*max_schema_version=*/4);
    ASSERT_NE(v4, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v4, path));
    InsertOldTask(path);
    // v4 has no penalties: the engine says so rather than crashing.
    EXPECT_THAT(v4->Read([](ReadTx& tx) { return tx.GetPenalty("PN-1").status(); }),
                Not(IsOk()));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 4);
    for (const char* v5 : {"penalties", "escalations", "penalties_by_org"}) {
      EXPECT_FALSE(raw.HasSchemaObject(v5)) << v5;
    }
  }

  std::unique_ptr<storage::Store> v5 = OpenOrDie(path, /*max_schema_version=*/5);
  ASSERT_NE(v5, nullptr);
  EXPECT_EQ(RawDb(path).Query("SELECT title FROM tasks WHERE id = 'T-1'"), "楼道堆物");
  ASSERT_THAT(v5->Write([&](WriteTx& tx) -> absl::Status {
    domain::Penalty p;
    p.id = "PN-1";
    p.campaign_id = "C-1";
    p.org_id = "PC-1";
    p.kind = domain::PenaltyKind::kSummonsTalk;
    p.reason = "逾期";
    p.proposed_by = "scheduler";
    p.task_ids = {"T-1"};
    if (absl::Status s = tx.CreatePenalty(p); !s.ok()) return s;
    absl::StatusOr<bool> fresh = tx.MarkEscalationApplied("C-1", "urge", "tasks/T-1", TestNow());
    if (!fresh.ok()) return fresh.status();
    EXPECT_TRUE(*fresh);
    return absl::OkStatus();
  }),
              IsOk());
  v5.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 5);
  for (const char* object : {"penalties", "escalations", "penalties_by_org",
                             "penalties_by_campaign"}) {
    EXPECT_TRUE(raw.HasSchemaObject(object)) << object;
  }
  EXPECT_EQ(raw.Query("SELECT id, org_id, kind, state FROM penalties"), "PN-1|PC-1|3|1");
  EXPECT_EQ(raw.Query("SELECT campaign_id, step_id, subject FROM escalations"),
            "C-1|urge|tasks/T-1");
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion5DatabaseIsUpgradedToVersion6WithLegalCasesAndHardProblems) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v5 = OpenOrDie(path, /*max_schema_version=*/5);
    ASSERT_NE(v5, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v5, path));
    InsertOldTask(path);
    ASSERT_THAT(v5->Write([](WriteTx& tx) -> absl::Status {
      return tx.MarkEscalationApplied("C-1", "urge", "tasks/T-1", TestNow()).status();
    }),
                IsOk());
    EXPECT_THAT(v5->Read([](ReadTx& tx) { return tx.GetLegalCase("LC-1").status(); }),
                Not(IsOk()));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 5);
    for (const char* v6 : {"legal_cases", "hard_problems"}) {
      EXPECT_FALSE(raw.HasSchemaObject(v6)) << v6;
    }
  }

  std::unique_ptr<storage::Store> v6 = OpenOrDie(path, /*max_schema_version=*/6);
  ASSERT_NE(v6, nullptr);
  EXPECT_EQ(RawDb(path).Query("SELECT title FROM tasks WHERE id = 'T-1'"), "楼道堆物");
  ASSERT_THAT(v6->Write([&](WriteTx& tx) -> absl::Status {
    domain::LegalCase c;
    c.id = "LC-1";
    c.campaign_id = "C-1";
    c.community_id = "M-1";
    c.street_office_id = "S-1";
    c.task_id = "T-1";
    c.kind = domain::LegalCaseKind::kPrivateCharging;
    c.place = "2号楼";
    c.offender = "2-101";
    if (absl::Status s = tx.CreateLegalCase(c); !s.ok()) return s;
    domain::HardProblem p;
    p.id = "HP-1";
    p.campaign_id = "C-1";
    p.title = "停车难";
    p.reporter_org_id = "S-1";
    if (absl::Status s = tx.CreateHardProblem(p); !s.ok()) return s;
    absl::StatusOr<bool> again = tx.MarkEscalationApplied("C-1", "urge", "tasks/T-1", TestNow());
    if (!again.ok()) return again.status();
    EXPECT_FALSE(*again);  // v5's record survived
    return absl::OkStatus();
  }),
              IsOk());
  v6.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 6);
  for (const char* object : {"legal_cases", "hard_problems", "legal_cases_by_campaign",
                             "legal_cases_by_community", "hard_problems_by_campaign"}) {
    EXPECT_TRUE(raw.HasSchemaObject(object)) << object;
  }
  EXPECT_EQ(raw.Query("SELECT id, community_id, task_id, kind, state FROM legal_cases"),
            "LC-1|M-1|T-1|2|1");
  EXPECT_EQ(raw.Query("SELECT id, reporter_org_id, kind, state FROM hard_problems"),
            "HP-1|S-1|1|1");
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion6DatabaseIsUpgradedToVersion7WithLettersAndRequireLetterOff) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v6 = OpenOrDie(path, /*max_schema_version=*/6);
    ASSERT_NE(v6, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v6, path));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 6);
    EXPECT_FALSE(raw.HasSchemaObject("responsibility_letters"));
  }

  std::unique_ptr<storage::Store> v7 = OpenOrDie(path, /*max_schema_version=*/7);
  ASSERT_NE(v7, nullptr);
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v7, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  ASSERT_THAT(campaign, IsOk());
  EXPECT_FALSE(campaign->require_letter);  // existing campaigns keep dispatching freely
  ASSERT_THAT(v7->Write([&](WriteTx& tx) -> absl::Status {
    domain::ResponsibilityLetter l;
    l.id = "RL-1";
    l.campaign_id = "C-1";
    l.community_id = "M-1";
    l.street_office_id = "S-1";
    l.property_company_id = "PC-1";
    l.indicators = {"指标"};
    l.responsibilities = "责任";
    return tx.CreateLetter(l);
  }),
              IsOk());
  v7.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 7);
  EXPECT_TRUE(raw.HasSchemaObject("letters_by_community"));
  EXPECT_EQ(raw.Query("SELECT id, community_id, state FROM responsibility_letters"), "RL-1|M-1|1");
  EXPECT_EQ(raw.Query("SELECT require_letter FROM campaigns WHERE id = 'C-1'"), "0");
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
}

TEST(SchemaTest, ADatabaseAlreadyNewerThanTheRequestedVersionIsLeftAsItIs) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  ASSERT_NE(OpenOrDie(path, /*max_schema_version=*/1), nullptr);
  EXPECT_EQ(RawDb(path).UserVersion(), storage::internal::LatestSchemaVersion());
}

TEST(SchemaTest, ADatabaseNewerThanThisBuildIsFailedPreconditionNamingBothVersions) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  const int newer = storage::internal::LatestSchemaVersion() + 1;
  RawDb(path).Exec(absl::StrCat("PRAGMA user_version = ", newer));
  storage::SqliteOptions options;
  options.path = path;
  EXPECT_THAT(
      storage::OpenSqliteStore(options),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr(absl::StrCat("schema version ", newer)),
                     HasSubstr(absl::StrCat("up to ", storage::internal::LatestSchemaVersion())))));
}

TEST(SchemaTest, AnotherApplicationsDatabaseIsFailedPrecondition) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x); PRAGMA user_version = 1;", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  storage::SqliteOptions options;
  options.path = path;
  EXPECT_THAT(storage::OpenSqliteStore(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a rectify database")));
}

// The reason for v2: overdue and due-soon lists must not walk every closed task.
TEST(SchemaTest, OverdueListingsUseThePartialIndexes) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  RawDb raw(path);
  auto plan = [&](const TaskQuery& query) {
    absl::StatusOr<storage::internal::TaskListPlan> p =
        storage::internal::PlanTaskList(query, "id");
    EXPECT_THAT(p, IsOk());
    return p.ok() ? raw.Query("EXPLAIN QUERY PLAN " + p->page_sql) : std::string();
  };
  TaskQuery query;
  query.filter.overdue = true;
  query.filter.now = TestNow();
  query.order = storage::TaskOrder::kDeadline;
  EXPECT_THAT(plan(query), HasSubstr("tasks_open_by_deadline"));

  query.filter.campaign_id = "C-1";
  EXPECT_THAT(plan(query), HasSubstr("tasks_open_by_campaign_deadline"));

  query.filter.overdue = false;
  query.filter.due_within = absl::Hours(24);
  EXPECT_THAT(plan(query), HasSubstr("tasks_open_by_campaign_deadline"));

  // A later page seeks into the same index.
  query.page_token = storage::internal::MakePageToken(
      storage::internal::ListingHash(query.filter, query.order), {1, 2});
  EXPECT_THAT(plan(query), HasSubstr("tasks_open_by_campaign_deadline"));
}

TEST(SchemaTest, OverduePagesOfOneOfficeOrgOrCommunityUseTheirOwnIndexes) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  RawDb raw(path);
  auto plans = [&](const TaskQuery& query) {
    absl::StatusOr<storage::internal::TaskListPlan> p =
        storage::internal::PlanTaskList(query, "id");
    EXPECT_THAT(p, IsOk());
    if (!p.ok()) return std::string();
    return raw.Query("EXPLAIN QUERY PLAN " + p->page_sql) + "\n" +
           raw.Query("EXPLAIN QUERY PLAN " + p->count_sql);
  };
  TaskQuery query;
  query.filter.campaign_id = "C-1";
  query.filter.overdue = true;
  query.filter.now = TestNow();
  query.order = storage::TaskOrder::kDeadline;
  TaskQuery office = query;
  office.filter.street_office_id = "S-1";
  std::string plan = plans(office);
  EXPECT_THAT(plan, HasSubstr("tasks_open_by_office_deadline"));
  EXPECT_THAT(plan, Not(HasSubstr("tasks_by_campaign_state")));
  EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE")));  // no sort
  TaskQuery org = query;
  org.filter.responsible_org_id = "PC-1";
  EXPECT_THAT(plans(org), HasSubstr("tasks_open_by_org_deadline"));
  TaskQuery community = query;
  community.filter.community_id = "M-1";
  community.filter.overdue = false;
  community.filter.due_within = absl::Hours(24);
  EXPECT_THAT(plans(community), HasSubstr("tasks_open_by_community_deadline"));
}

// The reason for v3's two indexes: the latest inspection of a community (the
// readiness report, for every community) and "has this community had a weekly
// inspection" (the phase gates) read only the rows they return.
TEST(SchemaTest, InspectionListingsUseTheirIndexesAndNeedNoSort) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  RawDb raw(path);
  auto plan = [&](const storage::InspectionFilter& filter) {
    absl::StatusOr<storage::internal::InspectionListPlan> p =
        storage::internal::PlanInspectionList(filter, 1, "id");
    EXPECT_THAT(p, IsOk());
    return p.ok() ? raw.Query("EXPLAIN QUERY PLAN " + p->sql) : std::string();
  };
  storage::InspectionFilter filter;
  filter.community_id = "M-1";
  EXPECT_THAT(plan(filter),
              AllOf(HasSubstr("inspections_by_community_date"), Not(HasSubstr("TEMP B-TREE"))));
  filter.from = absl::CivilDay(2024, 5, 1);
  filter.to = absl::CivilDay(2024, 6, 1);
  EXPECT_THAT(plan(filter),
              AllOf(HasSubstr("inspections_by_community_date"), Not(HasSubstr("TEMP B-TREE"))));

  storage::InspectionFilter gate;
  gate.campaign_id = "C-1";
  gate.kind = domain::InspectionKind::kWeekly;
  EXPECT_THAT(plan(gate),
              AllOf(HasSubstr("inspections_by_campaign_kind_date"), Not(HasSubstr("TEMP B-TREE"))));
  gate.from = absl::CivilDay(2024, 5, 1);
  EXPECT_THAT(plan(gate),
              AllOf(HasSubstr("inspections_by_campaign_kind_date"), Not(HasSubstr("TEMP B-TREE"))));
  // With both keys either index finds the few rows of one community.
  gate.community_id = "M-1";
  EXPECT_THAT(plan(gate), HasSubstr("USING INDEX inspections_by_"));
}

TEST(SchemaTest, AVersion7DatabaseIsUpgradedToVersion8WithWorkPlans) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v7 = OpenOrDie(path, /*max_schema_version=*/7);
    ASSERT_NE(v7, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v7, path));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 7);
    EXPECT_FALSE(raw.HasSchemaObject("work_plans"));
  }

  std::unique_ptr<storage::Store> v8 = OpenOrDie(path, /*max_schema_version=*/8);
  ASSERT_NE(v8, nullptr);
  ASSERT_THAT(v8->Write([&](WriteTx& tx) -> absl::Status {
    domain::WorkPlan p;
    p.id = "WP-1";
    p.campaign_id = "C-1";
    p.street_office_id = "S-1";
    p.items = {{"T-1", "拆除违建", "P-1", 12'000, domain::Payer::kOwners}};
    return tx.CreatePlan(p);
  }),
              IsOk());
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v8, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  EXPECT_THAT(campaign, IsOk());  // v7's data survived
  v8.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 8);
  EXPECT_TRUE(raw.HasSchemaObject("work_plans_by_office"));
  EXPECT_EQ(raw.Query("SELECT id, street_office_id, state FROM work_plans"), "WP-1|S-1|1");
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion8DatabaseIsUpgradedToVersion9WithVolunteers) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v8 = OpenOrDie(path, /*max_schema_version=*/8);
    ASSERT_NE(v8, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v8, path));
    InsertOldTask(path);
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 8);
    EXPECT_FALSE(raw.HasSchemaObject("volunteer_assignments"));
    EXPECT_FALSE(raw.HasSchemaObject("supervision_reports"));
  }

  std::unique_ptr<storage::Store> v9 = OpenOrDie(path, /*max_schema_version=*/9);
  ASSERT_NE(v9, nullptr);
  ASSERT_THAT(v9->Write([&](WriteTx& tx) -> absl::Status {
    domain::Organisation team = MakeOrganisation("VT-1", domain::OrgKind::kVolunteerTeam, "S-1");
    RECTIFY_RETURN_IF_ERROR(tx.CreateOrganisation(team));
    domain::Person v = MakePerson("V-1", "VT-1");
    v.role = domain::Role::kVolunteer;
    RECTIFY_RETURN_IF_ERROR(tx.CreatePerson(v));
    domain::VolunteerAssignment a;
    a.id = "VA-1";
    a.campaign_id = "C-1";
    a.volunteer_id = "V-1";
    a.volunteer_org_id = "VT-1";
    a.community_id = "M-1";
    a.street_office_id = "S-1";
    a.assigned_by = "P-1";
    a.assign_time = TestNow();
    RECTIFY_RETURN_IF_ERROR(tx.CreateAssignment(a));
    domain::SupervisionReport r;
    r.id = "SR-1";
    r.kind = domain::ReportKind::kOnSiteCheck;
    r.campaign_id = "C-1";
    r.community_id = "M-1";
    r.street_office_id = "S-1";
    r.task_id = "T-1";  // v8's task
    r.volunteer_id = "V-1";
    r.volunteer_org_id = "VT-1";
    r.time = TestNow();
    r.finding = domain::CheckFinding::kFixed;
    return tx.CreateSupervisionReport(r);
  }),
              IsOk());
  v9.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 9);
  EXPECT_TRUE(raw.HasSchemaObject("volunteer_assignments_active"));
  EXPECT_TRUE(raw.HasSchemaObject("supervision_reports_by_task"));
  EXPECT_EQ(raw.Query("SELECT id, volunteer_id, community_id FROM volunteer_assignments"),
            "VA-1|V-1|M-1");
  EXPECT_EQ(raw.Query("SELECT id, kind, task_id, finding FROM supervision_reports"),
            "SR-1|2|T-1|1");
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion9DatabaseIsUpgradedToVersion10WithAnAppendOnlyAuditTrail) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v9 = OpenOrDie(path, /*max_schema_version=*/9);
    ASSERT_NE(v9, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v9, path));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 9);
    EXPECT_FALSE(raw.HasSchemaObject("audit"));
  }

  std::unique_ptr<storage::Store> v10 = OpenOrDie(path, /*max_schema_version=*/10);
  ASSERT_NE(v10, nullptr);
  storage::AuditRecord record;
  record.time = absl::FromUnixSeconds(1'700'000'000);
  record.principal = "P-1";
  record.method = "DispatchTask";
  ASSERT_THAT(v10->Write([&](WriteTx& tx) { return tx.AppendAudit(record); }), IsOk());
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v10, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  EXPECT_THAT(campaign, IsOk());  // earlier data survived
  v10.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 10);
  EXPECT_TRUE(raw.HasSchemaObject("audit_no_update"));
  EXPECT_TRUE(raw.HasSchemaObject("audit_no_delete"));
  EXPECT_EQ(raw.Query("SELECT principal, method, code FROM audit"), "P-1|DispatchTask|0");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion10DatabaseIsUpgradedToVersion11WithTheMetricIndexes) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v10 = OpenOrDie(path, /*max_schema_version=*/10);
    ASSERT_NE(v10, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v10, path));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 10);
    EXPECT_FALSE(raw.HasSchemaObject("tasks_by_campaign_dispatch"));
  }
  std::unique_ptr<storage::Store> v11 = OpenOrDie(path, /*max_schema_version=*/11);
  ASSERT_NE(v11, nullptr);
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v11, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  EXPECT_THAT(campaign, IsOk());  // earlier data survived
  v11.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 11);
  EXPECT_TRUE(raw.HasSchemaObject("tasks_by_campaign_dispatch"));
  EXPECT_TRUE(raw.HasSchemaObject("escalations_by_subject"));
  // A month's metrics of a campaign seek into the new index rather than scan.
  EXPECT_THAT(raw.Query("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM tasks WHERE campaign_id = 'C-1' "
                        "AND state != 8 AND dispatch_time >= 0 AND dispatch_time < 10"),
              HasSubstr("tasks_by_campaign_dispatch"));
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion11DatabaseIsUpgradedToVersion12WithTheOpenTaskIndexes) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v11 = OpenOrDie(path, /*max_schema_version=*/11);
    ASSERT_NE(v11, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v11, path));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 11);
    EXPECT_FALSE(raw.HasSchemaObject("tasks_open_by_office_deadline"));
  }
  std::unique_ptr<storage::Store> v12 = OpenOrDie(path, /*max_schema_version=*/12);
  ASSERT_NE(v12, nullptr);
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v12, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  EXPECT_THAT(campaign, IsOk());  // earlier data survived
  v12.reset();
  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 12);
  for (const char* index : {"tasks_open_by_office_deadline", "tasks_open_by_org_deadline",
                            "tasks_open_by_community_deadline"}) {
    EXPECT_TRUE(raw.HasSchemaObject(index)) << index;
  }
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion12DatabaseIsUpgradedToVersion13WithTheBudgetIndex) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v12 = OpenOrDie(path, /*max_schema_version=*/12);
    ASSERT_NE(v12, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v12, path));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 12);
    EXPECT_FALSE(raw.HasSchemaObject("tasks_by_campaign_payer"));
  }
  std::unique_ptr<storage::Store> v13 = OpenOrDie(path, /*max_schema_version=*/13);
  ASSERT_NE(v13, nullptr);
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      *v13, [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  EXPECT_THAT(campaign, IsOk());  // earlier data survived
  v13.reset();
  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 13);
  // The bulletin's budget by payer walks the index alone, in payer order.
  const std::string plan = raw.Query(
      "EXPLAIN QUERY PLAN SELECT budget_payer, COUNT(*), SUM(budget_planned_fen), "
      "SUM(budget_actual_fen) FROM tasks WHERE campaign_id = 'C-1' AND state != 8 "
      "GROUP BY budget_payer");
  EXPECT_THAT(plan, HasSubstr("COVERING INDEX tasks_by_campaign_payer"));
  EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE")));
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, AVersion13DatabaseIsUpgradedToVersion14WithOpenTaskIndexesOnAStoredFlag) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> v13 = OpenOrDie(path, /*max_schema_version=*/13);
    ASSERT_NE(v13, nullptr);
    ASSERT_NO_FATAL_FAILURE(SeedOldDirectory(*v13, path));
    InsertOldTask(path);  // T-1, dispatched: its clock runs
    // One task in every other state, each with a passed deadline.
    RawDb raw(path);
    for (int state : {1, 3, 4, 5, 6, 7, 8}) {
      raw.Exec(absl::StrCat(
          "INSERT INTO tasks (id, campaign_id, community_id, street_office_id, category, source, "
          "title, description, standard_item, responsible_person_id, budget_planned_fen, "
          "budget_actual_fen, budget_payer, evidence, urgings, ext_pending, state, sla_unit, "
          "deadline, rework_count, extension_count, return_count, created_by, create_time, "
          "version) SELECT 'T-S", state, "', campaign_id, community_id, street_office_id, "
          "category, source, title, description, standard_item, '', 0, 0, 1, '[]', '[]', 0, ",
          state, ", sla_unit, deadline, 0, 0, 0, created_by, create_time, 1 FROM tasks "
          "WHERE id = 'T-1'"));
    }
    EXPECT_EQ(raw.UserVersion(), 13);
    EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM pragma_table_info('tasks') "
                        "WHERE name = 'clock_running'"),
              "0");
  }
  std::unique_ptr<storage::Store> v14 = OpenOrDie(path, /*max_schema_version=*/14);
  ASSERT_NE(v14, nullptr);
  // Overdue means dispatched, accepted or in progress, as before the upgrade.
  ASSERT_THAT(v14->Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<TaskPage> page = OverdueAtTestNow(tx);
    EXPECT_THAT(page, IsOk());
    if (page.ok()) {
      std::vector<std::string> ids;
      for (const domain::Task& t : page->tasks) ids.push_back(t.id);
      EXPECT_THAT(ids, UnorderedElementsAre("T-1", "T-S3", "T-S4"));
      EXPECT_EQ(page->total_count, 3);
    }
    return absl::OkStatus();
  }),
              IsOk());
  // The flag follows the state as the engine saves a task: submitting T-1
  // stops its clock.
  ASSERT_THAT(v14->Write([&](WriteTx& tx) -> absl::Status {
    absl::StatusOr<domain::Task> task = tx.GetTask("T-1");
    if (!task.ok()) return task.status();
    task->state = domain::TaskState::kSubmitted;
    return tx.SaveTask(*task);
  }),
              IsOk());
  v14.reset();
  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), 14);
  EXPECT_EQ(raw.Query("SELECT group_concat(id || '=' || clock_running, ' ') FROM "
                      "(SELECT id, clock_running FROM tasks ORDER BY id)"),
            "T-1=0 T-S1=0 T-S3=1 T-S4=1 T-S5=0 T-S6=0 T-S7=0 T-S8=0");
  // The open-task indexes are keyed on the flag, not on the state: moving
  // between two states whose clock runs (accept, start) leaves them alone.
  for (const char* index : {"tasks_open_by_deadline", "tasks_open_by_campaign_deadline",
                            "tasks_open_by_office_deadline", "tasks_open_by_org_deadline",
                            "tasks_open_by_community_deadline"}) {
    EXPECT_THAT(raw.Query(absl::StrCat("SELECT sql FROM sqlite_master WHERE name = '", index,
                                       "'")),
                AllOf(HasSubstr("WHERE clock_running = 1"), Not(HasSubstr("state"))))
        << index;
  }
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace rectify::test
