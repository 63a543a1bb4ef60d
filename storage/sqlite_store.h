// The SQLite engine behind storage::Store: one file, WAL mode, one writer
// connection (writes are serialised) and a small pool of read-only connections
// (each Read sees one committed snapshot, unaffected by concurrent writes).
//
//   storage::SqliteOptions options;
//   options.path = "/var/lib/rectify/rectify.db";
//   RECTIFY_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
//                            storage::OpenSqliteStore(options));
//
// Durability: every Write is BEGIN IMMEDIATE ... COMMIT with synchronous=FULL,
// so when Write returns OK the transaction is on disk and survives a crash or a
// power loss. Thread-safe. Other processes may open the same file; they queue
// for the write lock for up to 5 s (then kUnavailable).
#ifndef RECTIFY_STORAGE_SQLITE_STORE_H_
#define RECTIFY_STORAGE_SQLITE_STORE_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace rectify::storage {

namespace internal {
class Connection;
}  // namespace internal

struct SqliteOptions {
  // The database file; created, with its schema, if it does not exist. Its
  // directory must exist. SQLite keeps `<path>-wal` and `<path>-shm` beside it.
  std::string path;
  // The schema version to bring the file to: -1 for the latest. Tests use an
  // older one to make an old database; a file already newer is left as it is.
  int max_schema_version = -1;
  // Read-only connections in the pool, 1..64: concurrent Reads beyond this wait.
  int read_connections = 4;
};

// Opens (creating and migrating as needed) the database at options.path.
// Returns kInvalidArgument for bad options; kFailedPrecondition if the file's
// schema is newer than this build knows (naming both versions), if it is not a
// rectify database, or if it cannot be opened or written (directory missing,
// permissions); kDataLoss if it is damaged or not a SQLite file; kUnavailable if
// another process holds it locked for too long.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

class SqliteStore final : public Store {
 public:
  // See OpenSqliteStore().
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Waits for nothing: destroy the store only after every Read and Write returned.
  ~SqliteStore() override;

  // `fn` runs on a pooled read-only connection inside one read transaction.
  // It may call Read again (a nested Read gets a connection of its own) and
  // Write (the outer snapshot does not see what that Write commits).
  absl::Status Read(const std::function<absl::Status(ReadTx&)>& fn) override;
  // `fn` runs on the writer connection inside BEGIN IMMEDIATE ... COMMIT; any
  // error from fn, or an exception it throws (rethrown after the rollback),
  // rolls everything back. Calling Write from inside fn returns kInternal
  // (it would deadlock). If SQLite itself aborts the transaction (disk full,
  // I/O error) every later call of the tx fails with that error, and so does
  // Write, even if fn ignores it.
  absl::Status Write(const std::function<absl::Status(WriteTx&)>& fn) override;

 private:
  SqliteStore(std::string path, std::unique_ptr<internal::Connection> writer,
              std::vector<std::unique_ptr<internal::Connection>> readers);

  // A pooled reader (give it back with ReleaseReader), or, for a nested Read
  // that could otherwise wait for itself, a fresh one owned by `temporary`.
  internal::Connection* AcquireReader(std::unique_ptr<internal::Connection>* temporary);
  void ReleaseReader(internal::Connection* reader);

  const std::string path_;

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for
  // ThreadSanitizer, which then cannot see absl::Mutex's ordering and reports
  // false races; with std::mutex the store's concurrency tests run under TSan.
  std::mutex writer_mu_;
  std::unique_ptr<internal::Connection> writer_;  // guarded by writer_mu_
  // The thread inside Write, to refuse a nested Write instead of deadlocking.
  std::atomic<std::thread::id> writer_thread_{};

  // Declared after writer_ so that they close first and the writer, closing
  // last, checkpoints the WAL into the database file.
  std::vector<std::unique_ptr<internal::Connection>> readers_;
  std::mutex readers_mu_;
  std::condition_variable reader_returned_;
  std::vector<internal::Connection*> idle_readers_;  // guarded by readers_mu_
};

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_SQLITE_STORE_H_
