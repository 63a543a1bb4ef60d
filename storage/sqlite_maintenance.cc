#include "storage/sqlite_maintenance.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/schema.h"
#include "storage/sqlite_connection.h"

namespace rectify::storage {
namespace {

using internal::SqliteStatus;

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string Dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

absl::Status ErrnoStatus(int err, const std::string& what) {
  const std::string message = absl::StrCat(what, ": ", std::strerror(err));
  if (err == ENOSPC || err == EDQUOT) {
    return absl::ResourceExhaustedError(absl::StrCat(message, "; free space and try again"));
  }
  if (err == ENOENT) return absl::NotFoundError(message);
  return absl::UnavailableError(message);
}

// fsync of a file or a directory (so that a rename is durable).
absl::Status Sync(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return ErrnoStatus(errno, absl::StrCat("open '", path, "' to sync it"));
  const int rc = fsync(fd);
  const int err = errno;
  close(fd);
  if (rc != 0) return ErrnoStatus(err, absl::StrCat("sync '", path, "'"));
  return absl::OkStatus();
}

absl::Status Copy(const std::string& from, const std::string& to) {
  const int in = open(from.c_str(), O_RDONLY);
  if (in < 0) return ErrnoStatus(errno, absl::StrCat("open '", from, "'"));
  absl::Cleanup close_in = [in] { close(in); };
  const int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (out < 0) return ErrnoStatus(errno, absl::StrCat("create '", to, "'"));
  absl::Cleanup close_out = [out] { close(out); };
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t n = read(in, buffer.data(), buffer.size());
    if (n < 0) return ErrnoStatus(errno, absl::StrCat("read '", from, "'"));
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = write(out, buffer.data() + done, n - done);
      if (w < 0) return ErrnoStatus(errno, absl::StrCat("write '", to, "'"));
      done += w;
    }
  }
  if (fsync(out) != 0) return ErrnoStatus(errno, absl::StrCat("sync '", to, "'"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DatabaseCheck> CheckDatabase(const std::string& path) {
  if (!Exists(path)) return absl::NotFoundError(absl::StrCat("database '", path, "' does not exist"));
  const std::string what = absl::StrCat("check database '", path, "'");
  DatabaseCheck check;
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
    std::vector<std::string> problems;
    {
      SQLite::Statement integrity(db, "PRAGMA integrity_check(20)");
      while (integrity.executeStep()) {
        const std::string row = integrity.getColumn(0).getString();
        if (row != "ok") problems.push_back(row);
      }
    }
    {
      SQLite::Statement fk(db, "PRAGMA foreign_key_check");
      while (fk.executeStep() && problems.size() < 20) {
        problems.push_back(absl::StrCat("row ", fk.getColumn(1).getInt64(), " of ",
                                        fk.getColumn(0).getString(), " refers to a missing row of ",
                                        fk.getColumn(2).getString()));
      }
    }
    if (!problems.empty()) {
      return absl::DataLossError(absl::StrCat(what, ": ", absl::StrJoin(problems, "; ")));
    }
    check.schema_version = db.execAndGet("PRAGMA user_version").getInt();
    check.pages = db.execAndGet("PRAGMA page_count").getInt64();
    if (check.schema_version < 1 || !db.tableExists("tasks")) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, ": it is not a rectify database (schema version ",
                       check.schema_version, ")"));
    }
    if (check.schema_version > internal::LatestSchemaVersion()) {
      return absl::FailedPreconditionError(absl::StrCat(
          what, ": its schema version ", check.schema_version, " is newer than this build's ",
          internal::LatestSchemaVersion(), "; use a newer rectify"));
    }
    check.tasks = db.execAndGet("SELECT count(*) FROM tasks").getInt64();
    check.events = db.execAndGet("SELECT count(*) FROM events").getInt64();
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, what);
  }
  return check;
}

absl::Status BackupDatabase(const std::string& db_path, const std::string& out_path) {
  if (!Exists(db_path)) {
    return absl::NotFoundError(absl::StrCat("database '", db_path, "' does not exist"));
  }
  if (Exists(out_path)) {
    return absl::AlreadyExistsError(
        absl::StrCat("backup '", out_path, "' already exists; name a new file"));
  }
  const std::string tmp = out_path + ".tmp";
  std::remove(tmp.c_str());
  const std::string what = absl::StrCat("back up '", db_path, "' to '", tmp, "'");
  try {
    SQLite::Database source(db_path, SQLite::OPEN_READONLY, 5000);
    SQLite::Database dest(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
    sqlite3_backup* backup = sqlite3_backup_init(dest.getHandle(), "main", source.getHandle(), "main");
    if (backup == nullptr) {
      const int code = sqlite3_errcode(dest.getHandle());
      return SqliteStatus(code, sqlite3_extended_errcode(dest.getHandle()),
                          sqlite3_errmsg(dest.getHandle()), what);
    }
    // All pages in one step: one read snapshot of the source, which in WAL
    // mode does not block the writer; stepping in pieces would restart
    // whenever another connection commits.
    int rc = sqlite3_backup_step(backup, -1);
    while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      sqlite3_sleep(50);
      rc = sqlite3_backup_step(backup, -1);
    }
    const int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      std::remove(tmp.c_str());
      return SqliteStatus(rc, rc, sqlite3_errstr(rc), what);
    }
    if (finish != SQLITE_OK) {
      std::remove(tmp.c_str());
      return SqliteStatus(finish, sqlite3_extended_errcode(dest.getHandle()),
                          sqlite3_errmsg(dest.getHandle()), what);
    }
    // A self-contained file: no -wal beside it.
    dest.exec("PRAGMA journal_mode = DELETE");
  } catch (const SQLite::Exception& e) {
    std::remove(tmp.c_str());
    return SqliteStatus(e, what);
  }
  chmod(tmp.c_str(), 0600);  // it holds token hashes and personal data
  absl::Status synced = Sync(tmp);
  if (synced.ok()) {
    absl::StatusOr<DatabaseCheck> check = CheckDatabase(tmp);
    if (!check.ok()) synced = check.status();
  }
  if (synced.ok() && std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    synced = ErrnoStatus(errno, absl::StrCat("rename '", tmp, "' to '", out_path, "'"));
  }
  if (!synced.ok()) {
    std::remove(tmp.c_str());
    return synced;
  }
  return Sync(Dir(out_path));
}

absl::Status RestoreDatabase(const std::string& backup_path, const std::string& db_path) {
  absl::StatusOr<DatabaseCheck> check = CheckDatabase(backup_path);
  if (!check.ok()) return check.status();
  if (Exists(db_path)) {
    // Refuse while a server holds the live file: taking the write lock with
    // BEGIN IMMEDIATE fails if another process is writing.
    try {
      SQLite::Database live(db_path, SQLite::OPEN_READWRITE, 0);
      live.exec("BEGIN IMMEDIATE");
      live.exec("ROLLBACK");
    } catch (const SQLite::Exception& e) {
      return absl::FailedPreconditionError(absl::StrCat(
          "restore over '", db_path,
          "': the database is in use or unreadable; stop the server first (sqlite: ", e.what(),
          ")"));
    }
  }
  const std::string tmp = db_path + ".restore.tmp";
  absl::Status copied = Copy(backup_path, tmp);
  if (!copied.ok()) {
    std::remove(tmp.c_str());
    return copied;
  }
  std::remove((db_path + "-wal").c_str());
  std::remove((db_path + "-shm").c_str());
  if (std::rename(tmp.c_str(), db_path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    return ErrnoStatus(err, absl::StrCat("rename '", tmp, "' to '", db_path, "'"));
  }
  return Sync(Dir(db_path));
}

}  // namespace rectify::storage
