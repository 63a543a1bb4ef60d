#include "storage/sqlite_connection.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/sqlite_vfs.h"

namespace rectify::storage::internal {

absl::Status SqliteStatus(int code, int extended_code, absl::string_view sqlite_message,
                          absl::string_view what) {
  const std::string detail = absl::StrCat(" (sqlite: ", sqlite_message, ")");
  switch (code & 0xFF) {
    case SQLITE_CONSTRAINT:
      switch (extended_code) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_UNIQUE:
          return absl::AlreadyExistsError(
              absl::StrCat(what, ": it already exists; use another id", detail));
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return absl::FailedPreconditionError(
              absl::StrCat(what, ": it refers to something that does not exist", detail));
        default:
          return absl::InternalError(
              absl::StrCat(what, ": a database constraint was violated", detail));
      }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(absl::StrCat(
          what, ": the database is busy with another writer; try again shortly", detail));
    case SQLITE_IOERR:
      return absl::UnavailableError(absl::StrCat(
          what, ": the disk reported an I/O error; try again, and check the disk", detail));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat(what, ": the disk is full; free space and try again", detail));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(absl::StrCat(
          what, ": the database file is damaged or is not a database; restore a backup", detail));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return absl::FailedPreconditionError(absl::StrCat(
          what,
          ": the database file cannot be opened or written; check that its directory exists "
          "and that the server may write there",
          detail));
    default:
      return absl::InternalError(absl::StrCat(what, ": unexpected database error", detail));
  }
}

absl::Status SqliteStatus(const SQLite::Exception& e, absl::string_view what) {
  return SqliteStatus(e.getErrorCode(), e.getExtendedErrorCode(), e.what(), what);
}

bool Connection::ConfigureSqliteOnce() {
  static const bool configured = [] {
    // No memory statistics: with them every sqlite3_malloc and free takes a
    // process-wide mutex, ~5% of the writer thread's time (BENCHMARKS.md,
    // finding 16). Nothing here reads them. SQLITE_MISUSE (SQLite already
    // initialised by someone else) only means the statistics stay on.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  return configured;
}

Connection::Connection(const std::string& path, Mode mode, int busy_timeout_ms)
    : db_(path.c_str(),
          // NOMUTEX: a connection is used by one thread at a time (the writer
          // thread, or the one that leased it from the pool), so SQLite's
          // per-call mutex would only cost a lock and an unlock per API call.
          SQLite::OPEN_NOMUTEX | (mode != Mode::kReadOnly
                                      ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
                                      : SQLite::OPEN_READONLY),
          busy_timeout_ms,
          // Gathers each commit's WAL writes into one; safe only because this
          // mode syncs every commit (sqlite_vfs.h). nullptr: SQLite's default.
          mode == Mode::kReadWrite ? CoalescingVfsName() : nullptr) {
  if (mode != Mode::kReadOnly) {
    // WAL lets readers keep a snapshot while one writer commits. It is a
    // property of the file; journal_mode returns the mode actually in force.
    const std::string journal = db_.execAndGet("PRAGMA journal_mode = WAL").getString();
    if (journal != "wal") {
      throw SQLite::Exception("cannot switch the database to WAL mode (it stays in '" + journal +
                                  "' mode); is it on a network file system?",
                              SQLITE_CANTOPEN);
    }
    // FULL: in WAL mode every commit is fsynced before it returns, so an
    // acknowledged write survives power loss (NORMAL would only survive a crash).
    db_.exec(mode == Mode::kBulkLoad ? "PRAGMA synchronous = OFF" : "PRAGMA synchronous = FULL");
    if (mode == Mode::kBulkLoad) db_.exec("PRAGMA cache_size = -262144");  // 256 MiB
    db_.exec("PRAGMA foreign_keys = ON");
  }
  // Keep query plans and temporary b-trees in memory; never trust SQL in the schema.
  db_.exec("PRAGMA temp_store = MEMORY");
  db_.exec("PRAGMA trusted_schema = OFF");
}

Connection::Lease::Lease(SQLite::Statement* stmt, bool* in_use,
                         std::unique_ptr<SQLite::Statement> owned)
    : stmt_(stmt), in_use_(in_use), owned_(std::move(owned)) {}

Connection::Lease::Lease(Lease&& other) noexcept
    : stmt_(other.stmt_), in_use_(other.in_use_), owned_(std::move(other.owned_)) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Connection::Lease::~Lease() {
  if (stmt_ == nullptr) return;
  // Resetting ends the statement's implicit read transaction; without it an
  // idle cached SELECT would pin an old WAL snapshot and stop checkpoints.
  stmt_->tryReset();
  try {
    stmt_->clearBindings();  // cannot fail: sqlite3_clear_bindings always returns SQLITE_OK
  } catch (const SQLite::Exception&) {
  }
  if (in_use_ != nullptr) *in_use_ = false;
}

Connection::Lease Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end() && cache_.size() < kMaxCachedStatements) {
    auto entry = std::make_unique<Entry>();
    entry->stmt = std::make_unique<SQLite::Statement>(db_, sql);
    it = cache_.emplace(sql, std::move(entry)).first;
  }
  if (it == cache_.end() || it->second->in_use) {
    auto owned = std::make_unique<SQLite::Statement>(db_, sql);
    SQLite::Statement* raw = owned.get();
    return Lease(raw, nullptr, std::move(owned));
  }
  Entry& entry = *it->second;
  entry.stmt->tryReset();
  entry.stmt->clearBindings();
  entry.in_use = true;
  return Lease(entry.stmt.get(), &entry.in_use, nullptr);
}

}  // namespace rectify::storage::internal
