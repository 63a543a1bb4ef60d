// One SQLite connection with its prepared-statement cache, and the one place
// where SQLite's errors become absl::Status. Internal to the SQLite engine.
//
//   Connection conn(path, Connection::Mode::kReadWrite);   // throws SQLite::Exception
//   {
//     Connection::Lease stmt = conn.Prepare("SELECT name FROM people WHERE id = ?");
//     stmt->bind(1, id);
//     if (stmt->executeStep()) name = stmt->getColumn(0).getString();
//   }  // the statement is reset here, so it holds no snapshot or lock
//
// Thread-compatible: one thread at a time (the store's pool and mutex see to it).
#ifndef RECTIFY_STORAGE_SQLITE_CONNECTION_H_
#define RECTIFY_STORAGE_SQLITE_CONNECTION_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rectify::storage::internal {

// Maps a SQLite result code to a status whose message starts with `what` (the
// operation, e.g. "create task 'T-3'") and explains the failure in plain words:
//   UNIQUE / PRIMARY KEY constraint → kAlreadyExists
//   FOREIGN KEY constraint          → kFailedPrecondition
//   BUSY, LOCKED, IOERR             → kUnavailable (retry)
//   FULL                            → kResourceExhausted
//   CORRUPT, NOTADB                 → kDataLoss
//   CANTOPEN, PERM, READONLY, AUTH  → kFailedPrecondition (fix the file or directory)
//   anything else                   → kInternal
absl::Status SqliteStatus(int code, int extended_code, absl::string_view sqlite_message,
                          absl::string_view what);
absl::Status SqliteStatus(const SQLite::Exception& e, absl::string_view what);

class Connection {
 public:
  enum class Mode {
    // WAL, synchronous=FULL, foreign_keys=ON; creates the file if needed.
    kReadWrite,
    // Read-only; sees the last commit when its transaction starts (WAL snapshot).
    kReadOnly,
    // Like kReadWrite but synchronous=OFF and a large page cache: for loading
    // benchmark databases (storage/bulk_load.h). Not durable until closed.
    kBulkLoad,
  };

  // Opens and configures the connection. Throws SQLite::Exception.
  Connection(const std::string& path, Mode mode, int busy_timeout_ms = 5000);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLite::Database& db() { return db_; }

  // A prepared statement on loan: reset and with no bindings when handed out,
  // reset again when the lease ends.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    SQLite::Statement* operator->() { return stmt_; }
    SQLite::Statement& operator*() { return *stmt_; }

   private:
    friend class Connection;
    Lease(SQLite::Statement* stmt, bool* in_use, std::unique_ptr<SQLite::Statement> owned);
    SQLite::Statement* stmt_;
    bool* in_use_;                              // the cache entry's flag, or nullptr
    std::unique_ptr<SQLite::Statement> owned_;  // a statement outside the cache
  };

  // Prepares `sql` once per connection and lends it out. A statement already
  // on loan (a nested use of the same SQL) or beyond the cache's capacity is
  // prepared afresh for this lease alone. Throws SQLite::Exception.
  Lease Prepare(const std::string& sql);

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> stmt;
    bool in_use = false;
  };
  static constexpr size_t kMaxCachedStatements = 256;

  // Process-wide SQLite settings, applied once before the first connection
  // opens (SQLite takes them only before it initialises); always true.
  static bool ConfigureSqliteOnce();

  [[maybe_unused]] const bool configured_ = ConfigureSqliteOnce();  // before db_ opens
  SQLite::Database db_;
  // Entries are boxed so that a lease's `in_use` pointer survives rehashing.
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> cache_;
};

}  // namespace rectify::storage::internal

#endif  // RECTIFY_STORAGE_SQLITE_CONNECTION_H_
