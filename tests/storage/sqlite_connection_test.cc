// The one mapping from SQLite errors to absl::Status, and the statement cache.
#include "storage/sqlite_connection.h"

#include <sqlite3.h>

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite_testing.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using storage::internal::Connection;
using storage::internal::SqliteStatus;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(SqliteStatusTest, EachSqliteErrorMapsToTheCodeItsCallerCanActOn) {
  struct Case {
    int code;
    int extended;
    absl::StatusCode want;
  };
  const Case cases[] = {
      {SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_UNIQUE, absl::StatusCode::kAlreadyExists},
      {SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_PRIMARYKEY, absl::StatusCode::kAlreadyExists},
      {SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_FOREIGNKEY, absl::StatusCode::kFailedPrecondition},
      {SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_NOTNULL, absl::StatusCode::kInternal},
      {SQLITE_BUSY, SQLITE_BUSY, absl::StatusCode::kUnavailable},
      {SQLITE_LOCKED, SQLITE_LOCKED, absl::StatusCode::kUnavailable},
      {SQLITE_IOERR, SQLITE_IOERR_FSYNC, absl::StatusCode::kUnavailable},
      {SQLITE_FULL, SQLITE_FULL, absl::StatusCode::kResourceExhausted},
      {SQLITE_CORRUPT, SQLITE_CORRUPT, absl::StatusCode::kDataLoss},
      {SQLITE_NOTADB, SQLITE_NOTADB, absl::StatusCode::kDataLoss},
      {SQLITE_CANTOPEN, SQLITE_CANTOPEN, absl::StatusCode::kFailedPrecondition},
      {SQLITE_READONLY, SQLITE_READONLY, absl::StatusCode::kFailedPrecondition},
      {SQLITE_MISUSE, SQLITE_MISUSE, absl::StatusCode::kInternal},
      {-1, -1, absl::StatusCode::kInternal},  // SQLiteCpp's own errors
  };
  for (const Case& c : cases) {
    EXPECT_THAT(SqliteStatus(c.code, c.extended, "raw message", "save task 'T-3'"),
                StatusIs(c.want, AllOf(HasSubstr("save task 'T-3'"), HasSubstr("raw message"))))
        << c.extended;
  }
  EXPECT_THAT(SqliteStatus(SQLITE_FULL, SQLITE_FULL, "", "x"),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("disk is full")));
}

TEST(ConnectionTest, StatementsAreReusedAndANestedUseGetsItsOwn) {
  TempDir dir;
  Connection conn(dir.File("c.db"), Connection::Mode::kReadWrite);
  conn.db().exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);");
  const std::string sql = "SELECT x FROM t WHERE x >= ? ORDER BY x";
  SQLite::Statement* first = nullptr;
  {
    Connection::Lease outer = conn.Prepare(sql);
    first = &*outer;
    outer->bind(1, 2);
    ASSERT_TRUE(outer->executeStep());
    {
      // Same SQL while the outer one is mid-iteration: a separate statement.
      Connection::Lease inner = conn.Prepare(sql);
      EXPECT_NE(&*inner, first);
      inner->bind(1, 1);
      ASSERT_TRUE(inner->executeStep());
      EXPECT_EQ(inner->getColumn(0).getInt(), 1);
    }
    EXPECT_EQ(outer->getColumn(0).getInt(), 2);
  }
  Connection::Lease again = conn.Prepare(sql);
  EXPECT_EQ(&*again, first) << "the cached statement is reused";
  // Bindings were cleared: x >= NULL matches nothing.
  EXPECT_FALSE(again->executeStep());
}

}  // namespace
}  // namespace rectify::test
