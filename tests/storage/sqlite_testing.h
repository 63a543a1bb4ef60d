// Helpers for the SQLite engine's tests: temporary directories, a store that
// deletes its directory, and a raw look at the file through the sqlite3 C API
// (to check what the engine itself does not expose: schema objects, plans).
#ifndef RECTIFY_TESTS_STORAGE_SQLITE_TESTING_H_
#define RECTIFY_TESTS_STORAGE_SQLITE_TESTING_H_

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"

namespace rectify::test {

// A fresh directory under ::testing::TempDir(), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "rectify-store-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A store that owns the temporary directory its file lives in.
class TempDirStore final : public storage::Store {
 public:
  TempDirStore(std::unique_ptr<TempDir> dir, std::unique_ptr<storage::Store> inner)
      : dir_(std::move(dir)), inner_(std::move(inner)) {}
  ~TempDirStore() override { inner_.reset(); }  // close before the directory goes

  absl::Status Read(const std::function<absl::Status(storage::ReadTx&)>& fn) override {
    return inner_->Read(fn);
  }
  absl::Status Write(const std::function<absl::Status(storage::WriteTx&)>& fn) override {
    return inner_->Write(fn);
  }
  void WriteAsync(std::function<absl::Status(storage::WriteTx&)> fn,
                  std::function<void(absl::Status)> done) override {
    inner_->WriteAsync(std::move(fn), std::move(done));
  }
  std::optional<uint64_t> IdentityGeneration() const override {
    return inner_->IdentityGeneration();
  }

 private:
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<storage::Store> inner_;
};

// The contract suite's factory: a new SQLite store in its own directory.
inline std::unique_ptr<storage::Store> MakeSqliteStore() {
  auto dir = std::make_unique<TempDir>();
  storage::SqliteOptions options;
  options.path = dir->File("rectify.db");
  absl::StatusOr<std::unique_ptr<storage::Store>> store = storage::OpenSqliteStore(options);
  if (!store.ok()) {
    ADD_FAILURE() << "OpenSqliteStore: " << store.status();
    return nullptr;
  }
  return std::make_unique<TempDirStore>(std::move(dir), *std::move(store));
}

inline std::unique_ptr<storage::Store> OpenOrDie(const std::string& path,
                                                 int max_schema_version = -1) {
  storage::SqliteOptions options;
  options.path = path;
  options.max_schema_version = max_schema_version;
  absl::StatusOr<std::unique_ptr<storage::Store>> store = storage::OpenSqliteStore(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Raw SQL on the file, outside the engine. Each call opens its own connection.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error ? error : "?");
    }
    sqlite3_free(error);
  }

  // Runs `sql`; returns SQLite's error message, or "" if it succeeded.
  std::string TryExec(const std::string& sql) {
    char* error = nullptr;
    std::string message;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      message = error ? error : "?";
    }
    sqlite3_free(error);
    return message;
  }

  // The rows of `sql`, each row's columns joined by '|', rows by '\n'.
  std::string Query(const std::string& sql) {
    std::string out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      if (!out.empty()) out += "\n";
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i > 0) out += "|";
        const unsigned char* text = sqlite3_column_text(stmt, i);
        out += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
    }
    sqlite3_finalize(stmt);
    return out;
  }

  int UserVersion() { return std::stoi(Query("PRAGMA user_version")); }
  bool HasSchemaObject(const std::string& name) {
    return Query(absl::StrCat("SELECT COUNT(*) FROM sqlite_master WHERE name = '", name, "'")) ==
           "1";
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_STORAGE_SQLITE_TESTING_H_
