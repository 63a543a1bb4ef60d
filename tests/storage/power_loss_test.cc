// Power loss, simulated: a shim SQLite VFS that remembers, for every file, only
// the bytes that were there at its last fsync. "Pulling the plug" drops every
// later write and puts each file back to its synced image (or removes it if it
// was never synced). A killed process keeps the OS page cache; this does not,
// so it checks the engine's durability promise itself: a Write that returned
// OK survives power loss (synchronous=FULL in WAL mode).
#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/sqlite_maintenance.h"
#include "storage/sqlite_store.h"
#include "tests/storage/sqlite_testing.h"

namespace rectify::test {
namespace {

// The shim's state; one power-loss test at a time (the tests register it as
// the default VFS and unregister it before they end).
struct PowerState {
  std::mutex mu;
  bool plug_pulled = false;
  bool fail_syncs = false;                    // fsync reports an I/O error
  std::set<std::string> files;                // every file opened
  std::map<std::string, std::string> synced;  // path → its bytes at the last sync
};
PowerState* g_power = nullptr;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;  // allocated right after this struct
  std::string path;
};

sqlite3_vfs* Real() { return static_cast<sqlite3_vfs*>(sqlite3_vfs_find("unix")); }
sqlite3_file* R(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }
bool Pulled() {
  std::lock_guard<std::mutex> lock(g_power->mu);
  return g_power->plug_pulled;
}

int ShimClose(sqlite3_file* f) {
  int rc = R(f)->pMethods->xClose(R(f));
  reinterpret_cast<ShimFile*>(f)->path.~basic_string();
  return rc;
}
int ShimRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return R(f)->pMethods->xRead(R(f), buf, n, off);
}
int ShimWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (Pulled()) return SQLITE_OK;  // the power is off: the write goes nowhere
  return R(f)->pMethods->xWrite(R(f), buf, n, off);
}
int ShimTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (Pulled()) return SQLITE_OK;
  return R(f)->pMethods->xTruncate(R(f), size);
}
int ShimSync(sqlite3_file* f, int flags) {
  if (Pulled()) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(g_power->mu);
    if (g_power->fail_syncs) return SQLITE_IOERR_FSYNC;
  }
  const int rc = R(f)->pMethods->xSync(R(f), flags);
  if (rc == SQLITE_OK) {
    const std::string& path = reinterpret_cast<ShimFile*>(f)->path;
    std::lock_guard<std::mutex> lock(g_power->mu);
    g_power->synced[path] = ReadAll(path);
  }
  return rc;
}
int ShimFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return R(f)->pMethods->xFileSize(R(f), size);
}
int ShimLock(sqlite3_file* f, int l) { return R(f)->pMethods->xLock(R(f), l); }
int ShimUnlock(sqlite3_file* f, int l) { return R(f)->pMethods->xUnlock(R(f), l); }
int ShimCheckReservedLock(sqlite3_file* f, int* out) {
  return R(f)->pMethods->xCheckReservedLock(R(f), out);
}
int ShimFileControl(sqlite3_file* f, int op, void* arg) {
  return R(f)->pMethods->xFileControl(R(f), op, arg);
}
int ShimSectorSize(sqlite3_file* f) { return R(f)->pMethods->xSectorSize(R(f)); }
int ShimDeviceCharacteristics(sqlite3_file* f) {
  return R(f)->pMethods->xDeviceCharacteristics(R(f));
}
int ShimShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return R(f)->pMethods->xShmMap(R(f), pg, sz, extend, p);
}
int ShimShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return R(f)->pMethods->xShmLock(R(f), offset, n, flags);
}
void ShimShmBarrier(sqlite3_file* f) { R(f)->pMethods->xShmBarrier(R(f)); }
int ShimShmUnmap(sqlite3_file* f, int del) { return R(f)->pMethods->xShmUnmap(R(f), del); }

const sqlite3_io_methods kShimMethods = {
    2,           ShimClose,         ShimRead,     ShimWrite,      ShimTruncate,
    ShimSync,    ShimFileSize,      ShimLock,     ShimUnlock,     ShimCheckReservedLock,
    ShimFileControl, ShimSectorSize, ShimDeviceCharacteristics, ShimShmMap, ShimShmLock,
    ShimShmBarrier, ShimShmUnmap,   nullptr,      nullptr};

int ShimOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  ShimFile* shim = reinterpret_cast<ShimFile*>(f);
  shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
  sqlite3_vfs* real = static_cast<sqlite3_vfs*>(vfs->pAppData);
  const int rc = real->xOpen(real, name, shim->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    shim->base.pMethods = nullptr;
    return rc;
  }
  new (&shim->path) std::string(name == nullptr ? "" : name);
  shim->base.pMethods = &kShimMethods;
  if (name != nullptr) {
    std::lock_guard<std::mutex> lock(g_power->mu);
    g_power->files.insert(name);
  }
  return SQLITE_OK;
}
int ShimDelete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  if (Pulled()) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(g_power->mu);
    g_power->synced.erase(name);
  }
  sqlite3_vfs* real = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return real->xDelete(real, name, sync_dir);
}

// Registers the shim as the default VFS for its lifetime.
class PowerLossVfs {
 public:
  PowerLossVfs() {
    g_power = &state_;
    sqlite3_vfs* real = Real();
    vfs_ = *real;
    vfs_.zName = "power-loss";
    vfs_.pAppData = real;
    vfs_.szOsFile = static_cast<int>(sizeof(ShimFile)) + real->szOsFile;
    vfs_.xOpen = ShimOpen;
    vfs_.xDelete = ShimDelete;
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  }
  ~PowerLossVfs() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(Real(), /*makeDflt=*/1);
    g_power = nullptr;
  }

  // From now on nothing reaches the disk.
  void PullThePlug() {
    std::lock_guard<std::mutex> lock(state_.mu);
    state_.plug_pulled = true;
  }
  void FailSyncs(bool fail) {
    std::lock_guard<std::mutex> lock(state_.mu);
    state_.fail_syncs = fail;
  }
  // After every connection is closed: each file is what its last sync left
  // (the shared-memory index, never durable, is gone).
  void RestoreSyncedImages() {
    std::lock_guard<std::mutex> lock(state_.mu);
    for (const std::string& path : state_.files) {
      auto it = state_.synced.find(path);
      if (it == state_.synced.end()) {
        std::filesystem::remove(path);
      } else {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << it->second;
      }
      std::filesystem::remove(path + "-shm");
    }
  }

 private:
  PowerState state_;
  sqlite3_vfs vfs_;
};

TEST(PowerLossTest, EveryAcknowledgedWriteSurvivesPowerLoss) {
  TempDir dir;
  const std::string path = dir.path() + "/power.db";
  int64_t acknowledged = 0;
  {
    PowerLossVfs vfs;
    {
      storage::SqliteOptions options;
      options.path = path;
      auto store = storage::OpenSqliteStore(options);
      ASSERT_TRUE(store.ok()) << store.status();
      for (int i = 0; i < 200; ++i) {
        absl::Status written = (*store)->Write([](storage::WriteTx& tx) -> absl::Status {
          return tx.NextSequence("power").status();
        });
        ASSERT_TRUE(written.ok()) << written;
        ++acknowledged;
      }
      vfs.PullThePlug();
      // One more write in flight when the power goes: it may or may not stay.
      (void)(*store)->Write([](storage::WriteTx& tx) -> absl::Status {
        return tx.NextSequence("power").status();
      });
    }  // the close (and its checkpoint) happens after the power is gone
    vfs.RestoreSyncedImages();
  }
  auto check = storage::CheckDatabase(path);
  ASSERT_TRUE(check.ok()) << check.status();
  storage::SqliteOptions options;
  options.path = path;
  auto store = storage::OpenSqliteStore(options);
  ASSERT_TRUE(store.ok()) << store.status();
  int64_t next = 0;
  ASSERT_TRUE((*store)
                  ->Write([&](storage::WriteTx& tx) -> absl::Status {
                    auto n = tx.NextSequence("power");
                    if (n.ok()) next = *n;
                    return n.status();
                  })
                  .ok());
  EXPECT_GE(next, acknowledged + 1) << "acknowledged writes were lost";
  EXPECT_LE(next, acknowledged + 2);
}

// An fsync that fails (the disk reports an I/O error) is UNAVAILABLE, nothing
// of that write stays, and writes succeed again once the disk does.
TEST(PowerLossTest, AFailedSyncIsUnavailableAndNothingOfTheWriteStays) {
  TempDir dir;
  PowerLossVfs vfs;
  storage::SqliteOptions options;
  options.path = dir.path() + "/ioerr.db";
  auto store = storage::OpenSqliteStore(options);
  ASSERT_TRUE(store.ok()) << store.status();
  auto next = [&]() -> absl::StatusOr<int64_t> {
    int64_t value = 0;
    absl::Status s = (*store)->Write([&](storage::WriteTx& tx) -> absl::Status {
      auto n = tx.NextSequence("io");
      if (n.ok()) value = *n;
      return n.status();
    });
    if (!s.ok()) return s;
    return value;
  };
  ASSERT_EQ(next().value_or(-1), 1);
  vfs.FailSyncs(true);
  absl::StatusOr<int64_t> failed = next();
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_NE(failed.status().message().find("I/O error"), absl::string_view::npos)
      << failed.status();
  vfs.FailSyncs(false);
  EXPECT_EQ(next().value_or(-1), 2) << "the write whose sync failed stayed";
}

// The simulation can fail: without fsync (synchronous=OFF) commits that
// returned are lost when the power goes.
TEST(PowerLossTest, WithoutSyncCommittedRowsAreLost) {
  TempDir dir;
  const std::string path = dir.path() + "/nosync.db";
  constexpr int kRows = 100;
  {
    PowerLossVfs vfs;
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                           "CREATE TABLE t (x INTEGER);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr), SQLITE_OK);
    for (int i = 0; i < kRows; ++i) {
      const std::string sql = absl::StrCat("INSERT INTO t VALUES (", i, ")");
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    }
    vfs.PullThePlug();
    sqlite3_close(db);
    vfs.RestoreSyncedImages();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  int rows = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    rows = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_LT(rows, kRows) << "the power-loss VFS lost nothing: it cannot catch a durability bug";
}

}  // namespace
}  // namespace rectify::test
