// Schema versions and migrations, and the query plans the indexes exist for.
#include "storage/schema.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

TEST(SchemaTest, MigrationsAreNumberedOneByOneFromOne) {
  int expected = 1;
  for (const storage::internal::Migration& step : storage::internal::Migrations()) {
    EXPECT_EQ(step.version, expected++);
    EXPECT_NE(std::string(step.sql), "");
  }
  EXPECT_EQ(storage::internal::LatestSchemaVersion(), 2);
}

TEST(SchemaTest, AVersion1DatabaseIsUpgradedToTheLatestKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  domain::Task task = MakeTask("T-1");
  task.state = domain::TaskState::kDispatched;
  task.deadline = TestNow() - absl::Hours(1);
  {
    std::unique_ptr<storage::Store> v1 = OpenOrDie(path, /*max_schema_version=*/1);
    ASSERT_NE(v1, nullptr);
    ASSERT_THAT(SeedDirectory(*v1), IsOk());
    ASSERT_THAT(v1->Write([&](WriteTx& tx) -> absl::Status {
      if (absl::Status s = tx.CreateTask(task); !s.ok()) return s;
      domain::Event event;
      event.type = "task.created";
      event.subject = "tasks/T-1";
      return tx.AppendEvent(event);
    }),
                IsOk());
    // v1 has no requests table: the engine says so rather than crashing.
    EXPECT_THAT(v1->Write([](WriteTx& tx) { return tx.SaveRequest("P-1", "r-1", {}); }),
                Not(IsOk()));
  }
  {
    RawDb raw(path);
    EXPECT_EQ(raw.UserVersion(), 1);
    EXPECT_FALSE(raw.HasSchemaObject("requests"));
    EXPECT_FALSE(raw.HasSchemaObject("tasks_open_by_deadline"));
  }

  std::unique_ptr<storage::Store> latest = OpenOrDie(path);
  ASSERT_NE(latest, nullptr);
  absl::StatusOr<domain::Task> got = GetTask(*latest, "T-1");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->title, task.title);
  EXPECT_EQ(got->deadline, task.deadline);
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
    TaskQuery query;
    query.filter.overdue = true;
    query.filter.now = TestNow();
    absl::StatusOr<TaskPage> page = tx.ListTasks(query);
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
  latest.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.UserVersion(), storage::internal::LatestSchemaVersion());
  EXPECT_TRUE(raw.HasSchemaObject("requests"));
  EXPECT_TRUE(raw.HasSchemaObject("tasks_open_by_deadline"));
  EXPECT_TRUE(raw.HasSchemaObject("tasks_open_by_campaign_deadline"));
  EXPECT_EQ(raw.Query("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.Query("PRAGMA integrity_check"), "ok");
}

TEST(SchemaTest, ADatabaseAlreadyNewerThanTheRequestedVersionIsLeftAsItIs) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  ASSERT_NE(OpenOrDie(path, /*max_schema_version=*/1), nullptr);
  EXPECT_EQ(RawDb(path).UserVersion(), 2);
}

TEST(SchemaTest, ADatabaseNewerThanThisBuildIsFailedPreconditionNamingBothVersions) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  RawDb(path).Exec("PRAGMA user_version = 7");
  storage::SqliteOptions options;
  options.path = path;
  EXPECT_THAT(
      storage::OpenSqliteStore(options),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("schema version 7"),
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

}  // namespace
}  // namespace rectify::test
