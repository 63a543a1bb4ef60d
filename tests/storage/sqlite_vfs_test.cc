// The coalescing VFS (storage/sqlite_vfs.h): a commit's WAL frames reach the
// kernel in one write, and nothing SQLite reads back (its own connection, a
// reader on another connection, a checkpoint, recovery) ever misses a byte.
#include "storage/sqlite_vfs.h"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"
#include "tests/storage/sqlite_testing.h"

namespace rectify::test {
namespace {

using storage::internal::CoalescingVfsCounts;
using storage::internal::CoalescingVfsCountsNow;
using storage::internal::Connection;

// Inserts rows [first, first + count) of 3,000-byte blobs: about one page each.
void InsertRows(Connection& conn, int first, int count) {
  SQLite::Statement insert(conn.db(), "INSERT INTO t (id, body) VALUES (?, zeroblob(3000))");
  for (int i = first; i < first + count; ++i) {
    insert.bind(1, i);
    insert.exec();
    insert.reset();
  }
}

int64_t Count(Connection& conn, const std::string& where = "1") {
  return conn.db().execAndGet(absl::StrCat("SELECT count(*) FROM t WHERE ", where)).getInt64();
}

CoalescingVfsCounts Since(const CoalescingVfsCounts& before) {
  const CoalescingVfsCounts now = CoalescingVfsCountsNow();
  return {now.writes_asked - before.writes_asked, now.writes_issued - before.writes_issued};
}

class CoalescingVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(storage::internal::CoalescingVfsName(), nullptr);
    writer_ = std::make_unique<Connection>(dir_.File("v.db"), Connection::Mode::kReadWrite);
    writer_->db().exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
    reader_ = std::make_unique<Connection>(dir_.File("v.db"), Connection::Mode::kReadOnly);
  }

  TempDir dir_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> reader_;  // SQLite's default VFS, its own file handles
};

TEST_F(CoalescingVfsTest, ACommitReachesTheWalInTwoWritesAndAnotherConnectionReadsIt) {
  const CoalescingVfsCounts before = CoalescingVfsCountsNow();
  writer_->db().exec("BEGIN");
  InsertRows(*writer_, 0, 40);
  writer_->db().exec("COMMIT");
  const CoalescingVfsCounts used = Since(before);
  // 40 pages and their b-tree: two xWrites a frame (header, page). ~170 KB
  // of frames go out as two pieces of at most 124 KiB.
  EXPECT_GE(used.writes_asked, 80);
  EXPECT_LE(used.writes_issued, 2) << used.writes_asked << " writes asked";
  EXPECT_EQ(Count(*reader_), 40);
  EXPECT_EQ(reader_->db().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST_F(CoalescingVfsTest, ATransactionLargerThanTheBufferGoesOutInPieces) {
  const CoalescingVfsCounts before = CoalescingVfsCountsNow();
  writer_->db().exec("BEGIN");
  InsertRows(*writer_, 0, 3000);  // ~12 MiB of frames
  writer_->db().exec("COMMIT");
  const CoalescingVfsCounts used = Since(before);
  EXPECT_GE(used.writes_issued, 3);
  EXPECT_LE(used.writes_issued, used.writes_asked / 50);  // 30 frames a write
  EXPECT_EQ(Count(*reader_), 3000);
  EXPECT_EQ(reader_->db().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// With a tiny page cache SQLite spills pages to the WAL in the middle of a
// transaction, then writes the same pages again: it overwrites their frames in
// place and reads frames back to recompute checksums. The buffer must give way
// to both, in SQLite's order.
TEST_F(CoalescingVfsTest, FramesRewrittenAndReadBackInOneTransactionKeepTheirLastContents) {
  writer_->db().exec("PRAGMA cache_size = 5");
  writer_->db().exec("BEGIN");
  InsertRows(*writer_, 0, 300);
  writer_->db().exec("UPDATE t SET body = zeroblob(2000) WHERE id % 3 = 0");
  writer_->db().exec("DELETE FROM t WHERE id % 7 = 0");
  writer_->db().exec("COMMIT");
  EXPECT_EQ(Count(*writer_), 300 - 43);
  EXPECT_EQ(Count(*reader_), 300 - 43);
  EXPECT_EQ(Count(*reader_, "length(body) = 2000"), 100 - 15);
  EXPECT_EQ(reader_->db().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// After a checkpoint resets the log, SQLite writes its header and frames from
// the start of the file again: a write before the buffered ones.
TEST_F(CoalescingVfsTest, TheLogRestartedByACheckpointIsWrittenFromItsStartAgain) {
  for (int round = 0; round < 4; ++round) {
    writer_->db().exec("BEGIN");
    InsertRows(*writer_, round * 50, 50);
    writer_->db().exec("COMMIT");
    writer_->db().exec(round % 2 == 0 ? "PRAGMA wal_checkpoint(RESTART)"
                                      : "PRAGMA wal_checkpoint(TRUNCATE)");
    EXPECT_EQ(Count(*reader_), (round + 1) * 50);
  }
  reader_.reset();
  writer_.reset();  // the last close checkpoints the log into the database
  Connection again(dir_.File("v.db"), Connection::Mode::kReadOnly);
  EXPECT_EQ(Count(again), 200);
  EXPECT_EQ(again.db().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// A rolled-back transaction leaves nothing, and the next commit is whole.
TEST_F(CoalescingVfsTest, ARollbackLeavesNothingAndTheNextCommitIsWhole) {
  writer_->db().exec("PRAGMA cache_size = 5");  // so that the rollback has spilled frames
  writer_->db().exec("BEGIN");
  InsertRows(*writer_, 0, 200);
  writer_->db().exec("ROLLBACK");
  writer_->db().exec("BEGIN");
  InsertRows(*writer_, 1000, 10);
  writer_->db().exec("COMMIT");
  EXPECT_EQ(Count(*reader_), 10);
  EXPECT_EQ(Count(*reader_, "id < 1000"), 0);
  EXPECT_EQ(reader_->db().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// The store's writer goes through the VFS; a bulk load, which never syncs
// (synchronous=OFF), must not: there a buffered frame could be published to
// other connections before it is in the file.
TEST(CoalescingVfsStoreTest, TheWriterUsesItAndABulkLoadDoesNot) {
  TempDir dir;
  // What three committed writes cost through the VFS, in a store opened so.
  auto three_writes = [&dir](bool bulk_load) {
    storage::SqliteOptions options;
    options.path = dir.File(bulk_load ? "bulk.db" : "server.db");
    options.bulk_load = bulk_load;
    auto store = storage::OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.status();
    const CoalescingVfsCounts before = CoalescingVfsCountsNow();
    for (int i = 0; store.ok() && i < 3; ++i) {
      absl::Status written = (*store)->Write(
          [](storage::WriteTx& tx) -> absl::Status { return tx.NextSequence("vfs").status(); });
      EXPECT_TRUE(written.ok()) << written;
    }
    return Since(before);
  };
  EXPECT_EQ(three_writes(/*bulk_load=*/true).writes_asked, 0);
  const CoalescingVfsCounts used = three_writes(/*bulk_load=*/false);
  EXPECT_GE(used.writes_asked, 3 * 2);  // each commit: a frame at least, two writes a frame
  EXPECT_LE(used.writes_issued, used.writes_asked / 2);
}

}  // namespace
}  // namespace rectify::test
