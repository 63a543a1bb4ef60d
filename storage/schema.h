// The SQLite schema as an ordered list of migrations. `PRAGMA user_version`
// holds the version a database is at; opening it applies the missing steps in
// order, each in its own transaction, so a crash mid-upgrade leaves the
// database at the last completed version.
//
//   v1  base tables: directory, tasks, events, sequences, tokens; list indexes
//   v2  partial indexes on clock-running tasks by deadline (fast overdue and
//       due-soon lists at a million tasks); the requests table (idempotent retries)
//   v3  campaign phases: inspections, self_check_lists, standards tables;
//       campaigns.standard_id/target_percent/final_assault_percent and
//       tasks.inspection_id columns
//   v4  events.audience (who must hear of each event)
//   v5  penalties; escalations (steps applied, UNIQUE per campaign, step, subject)
//
// Rules for adding a version: append a step, never edit a released one; a step
// must work on any database at the previous version.
#ifndef RECTIFY_STORAGE_SCHEMA_H_
#define RECTIFY_STORAGE_SCHEMA_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace rectify::storage::internal {

struct Migration {
  int version;              // the version this step produces: 1, 2, ...
  const char* description;  // for error messages and logs
  const char* sql;          // one or more statements
};

// All steps, in order; Migrations()[i].version == i + 1.
absl::Span<const Migration> Migrations();
// The newest version this build knows.
int LatestSchemaVersion();

// Brings the database open on `db` (a read-write connection) to
// `target_version` (1..LatestSchemaVersion()); a database already at or beyond
// it is left alone. `path` is only for messages. Returns kFailedPrecondition,
// naming both versions, if the database is newer than this build knows or is
// not a rectify database; a mapped SQLite error if a step fails (that step is
// rolled back; earlier steps stay).
absl::Status MigrateSchema(SQLite::Database& db, const std::string& path, int target_version);

// The version `db` is at (0 for a new, empty file).
absl::StatusOr<int> SchemaVersion(SQLite::Database& db);

}  // namespace rectify::storage::internal

#endif  // RECTIFY_STORAGE_SCHEMA_H_
