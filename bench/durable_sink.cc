#include "bench/durable_sink.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "storage/sqlite_vfs.h"

namespace rectify::bench {
namespace {

class FileSink final : public DurableSink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  ~FileSink() override { close(fd_); }

  bool Write(const std::vector<const std::string*>& payloads) override {
    buffer_.clear();
    for (const std::string* p : payloads) {
      if (p->find('\n') != std::string::npos) return false;  // would count as two
      buffer_.append(*p).push_back('\n');
    }
    size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return fdatasync(fd_) == 0;
  }

 private:
  int fd_;
  std::string buffer_;
};

class SqliteSink final : public DurableSink {
 public:
  explicit SqliteSink(sqlite3* db) : db_(db) {}
  ~SqliteSink() override {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }

  bool Prepare() {
    return Exec("PRAGMA journal_mode = WAL") && Exec("PRAGMA synchronous = FULL") &&
           Exec("CREATE TABLE calls (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)") &&
           sqlite3_prepare_v2(db_, "INSERT INTO calls (payload) VALUES (?)", -1, &insert_,
                              nullptr) == SQLITE_OK;
  }

  bool Write(const std::vector<const std::string*>& payloads) override {
    if (!Exec("BEGIN")) return false;
    for (const std::string* p : payloads) {
      sqlite3_bind_blob(insert_, 1, p->data(), static_cast<int>(p->size()), SQLITE_STATIC);
      const int rc = sqlite3_step(insert_);
      sqlite3_reset(insert_);
      if (rc != SQLITE_DONE) {
        Exec("ROLLBACK");
        return false;
      }
    }
    return Exec("COMMIT");
  }

 private:
  bool Exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
};

absl::Status UnknownKind(absl::string_view kind) {
  return absl::InvalidArgumentError(
      absl::StrCat("durable kind '", kind, "' is neither 'file' nor 'sqlite'"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<DurableSink>> OpenDurableSink(absl::string_view kind,
                                                             const std::string& path) {
  if (kind == "file") {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot open ", path, " to append"));
    return std::make_unique<FileSink>(fd);
  }
  if (kind != "sqlite") return UnknownKind(kind);
  for (const char* suffix : {"", "-wal", "-shm"}) unlink((path + suffix).c_str());
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 storage::internal::CoalescingVfsName());
  auto sink = std::make_unique<SqliteSink>(db);  // closes db, even a failed one
  if (rc != SQLITE_OK || !sink->Prepare()) {
    return absl::UnavailableError(
        absl::StrCat("cannot start the database ", path, ": ", sqlite3_errmsg(db)));
  }
  return sink;
}

absl::StatusOr<int64_t> CountDurablePayloads(absl::string_view kind, const std::string& path) {
  if (kind == "file") {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(path, " is missing"));
    int64_t lines = 0;
    std::string chunk(1 << 20, '\0');
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      lines += std::count(chunk.begin(), chunk.begin() + in.gcount(), '\n');
    }
    return lines;
  }
  if (kind != "sqlite") return UnknownKind(kind);
  sqlite3* db = nullptr;
  sqlite3_stmt* count = nullptr;
  int64_t rows = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM calls", -1, &count, nullptr) == SQLITE_OK &&
      sqlite3_step(count) == SQLITE_ROW) {
    rows = sqlite3_column_int64(count, 0);
  }
  const std::string error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_finalize(count);
  sqlite3_close(db);
  if (rows < 0) {
    return absl::InternalError(absl::StrCat("cannot count the rows of ", path, ": ", error));
  }
  return rows;
}

}  // namespace rectify::bench
