// Offline and online care of a rectify SQLite file: an integrity check, an
// online backup (SQLite's backup API, safe while the server writes), and an
// offline restore. Used by the `rectify-admin` tool and the reliability tests.
//
//   RECTIFY_ASSIGN_OR_RETURN(storage::DatabaseCheck check, storage::CheckDatabase(path));
//   RECTIFY_RETURN_IF_ERROR(storage::BackupDatabase(live_path, "/backups/rectify-0427.db"));
//   RECTIFY_RETURN_IF_ERROR(storage::RestoreDatabase("/backups/rectify-0427.db", path));
#ifndef RECTIFY_STORAGE_SQLITE_MAINTENANCE_H_
#define RECTIFY_STORAGE_SQLITE_MAINTENANCE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rectify::storage {

struct DatabaseCheck {
  int schema_version = 0;  // PRAGMA user_version
  int64_t pages = 0;       // PRAGMA page_count
  int64_t tasks = 0;       // rows in tasks
  int64_t events = 0;      // rows in events
};

// Opens `path` read-only (never creating it) and runs PRAGMA integrity_check and
// PRAGMA foreign_key_check. Returns kNotFound if the file does not exist;
// kDataLoss naming the first problems if either check fails or the file is not
// a database; kFailedPrecondition if it is not a rectify database or its schema
// is newer than this build knows.
absl::StatusOr<DatabaseCheck> CheckDatabase(const std::string& path);

// Copies the database at `db_path` to `out_path` with SQLite's online backup
// API: one read snapshot, so writers (this or another process) go on meanwhile
// and the copy holds exactly the transactions committed when it began. Writes
// `<out_path>.tmp`, syncs it, checks it (CheckDatabase) and renames it into place.
// Returns kAlreadyExists if out_path exists; kNotFound if db_path does not; the
// mapped SQLite error otherwise (kResourceExhausted when the disk is full).
absl::Status BackupDatabase(const std::string& db_path, const std::string& out_path);

// Offline: checks `backup_path` (CheckDatabase), then copies it over `db_path`,
// removing db_path's -wal and -shm files. The server must be stopped; the copy
// is written beside db_path and renamed, so a crash leaves the old file or the
// new one. Returns CheckDatabase's errors for a bad backup; kFailedPrecondition
// if another process has db_path open for writing.
absl::Status RestoreDatabase(const std::string& backup_path, const std::string& db_path);

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_SQLITE_MAINTENANCE_H_
