#include "storage/sqlite_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rectify::storage::internal {
namespace {

// A commit of a full batch (256 transitions) is ~1,500 frames, ~6 MiB; past
// this the buffer goes out early rather than growing without bound (a bulk
// transaction or a migration can write hundreds of MiB).
constexpr size_t kMaxBuffered = size_t{4} << 20;

std::atomic<int64_t> writes_asked{0};
std::atomic<int64_t> writes_issued{0};

// Writes that continue one another, not yet handed to the kernel.
struct Pending {
  std::string bytes;
  sqlite3_int64 offset = 0;  // where bytes[0] goes in the file

  sqlite3_int64 end() const { return offset + static_cast<sqlite3_int64>(bytes.size()); }
  bool Overlaps(sqlite3_int64 begin, int amount) const {
    return !bytes.empty() && begin < end() && offset < begin + amount;
  }
};

// A WAL opened through this VFS. The base VFS's own file object follows it in
// the same allocation (sqlite3_vfs::szOsFile covers both).
struct WalFile {
  sqlite3_file base;  // first: SQLite sees a WalFile as an sqlite3_file
  sqlite3_file* real;
  Pending* pending;
};

WalFile* AsWal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return AsWal(file)->real; }
sqlite3_vfs* BaseVfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

// SQLite's unix VFS writes at most 128 KiB - 1 bytes a call (it masks the
// size with 0x1ffff), so the buffer goes out in pieces of 124 KiB: 30 frames.
constexpr int kMaxWrite = 0x1f000;

// Hands the buffered bytes to the kernel. The buffer is emptied even when a
// write fails: SQLite abandons the transaction on the error, and the bytes
// must not reach the file later behind its back.
int Flush(WalFile* wal) {
  Pending& pending = *wal->pending;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < pending.bytes.size() && rc == SQLITE_OK;) {
    const int piece = static_cast<int>(std::min(pending.bytes.size() - done, size_t{kMaxWrite}));
    rc = wal->real->pMethods->xWrite(wal->real, pending.bytes.data() + done, piece,
                                     pending.offset + static_cast<sqlite3_int64>(done));
    writes_issued.fetch_add(1, std::memory_order_relaxed);
    done += static_cast<size_t>(piece);
  }
  pending.bytes.clear();
  return rc;
}

int WalClose(sqlite3_file* file) {
  WalFile* wal = AsWal(file);
  const int flushed = Flush(wal);
  const int closed = wal->real->pMethods->xClose(wal->real);
  delete wal->pending;
  wal->pending = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int WalRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile* wal = AsWal(file);
  if (wal->pending->Overlaps(offset, amount)) {
    if (const int rc = Flush(wal); rc != SQLITE_OK) return rc;
  }
  return wal->real->pMethods->xRead(wal->real, out, amount, offset);
}

int WalWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  writes_asked.fetch_add(1, std::memory_order_relaxed);
  WalFile* wal = AsWal(file);
  Pending& pending = *wal->pending;
  if (!pending.bytes.empty() && offset != pending.end()) {
    // Elsewhere in the file (a frame rewritten in place, the header of a
    // restarted log): what is buffered goes first, so the order of writes to
    // any byte stays SQLite's.
    if (const int rc = Flush(wal); rc != SQLITE_OK) return rc;
  }
  if (pending.bytes.empty()) pending.offset = offset;
  try {
    pending.bytes.append(static_cast<const char*>(data), static_cast<size_t>(amount));
  } catch (const std::bad_alloc&) {
    Flush(wal);
    return SQLITE_NOMEM;
  }
  if (pending.bytes.size() >= kMaxBuffered) return Flush(wal);
  return SQLITE_OK;
}

int WalTruncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = Flush(AsWal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int WalSync(sqlite3_file* file, int flags) {
  if (const int rc = Flush(AsWal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int WalFileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = Flush(AsWal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

// The rest go straight through to the base VFS's file.
int WalLock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}
int WalUnlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int WalCheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int WalFileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int WalSectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int WalDeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
// A WAL is never memory-mapped or given shared memory (the database file is);
// these exist because the method table's version requires them.
int WalShmMap(sqlite3_file*, int, int, int, void volatile**) { return SQLITE_IOERR_SHMMAP; }
int WalShmLock(sqlite3_file*, int, int, int) { return SQLITE_IOERR_SHMLOCK; }
void WalShmBarrier(sqlite3_file*) {}
int WalShmUnmap(sqlite3_file*, int) { return SQLITE_OK; }
int WalFetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;  // "no mapping": SQLite reads with xRead instead
  return SQLITE_OK;
}
int WalUnfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kWalMethods = {
    3,
    WalClose,
    WalRead,
    WalWrite,
    WalTruncate,
    WalSync,
    WalFileSize,
    WalLock,
    WalUnlock,
    WalCheckReservedLock,
    WalFileControl,
    WalSectorSize,
    WalDeviceCharacteristics,
    WalShmMap,
    WalShmLock,
    WalShmBarrier,
    WalShmUnmap,
    WalFetch,
    WalUnfetch,
};

// Any file but a WAL is the base VFS's own file, opened in place: its calls
// cost nothing extra. A WAL gets the methods above around it.
int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = BaseVfs(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, file, flags, out_flags);
  WalFile* wal = AsWal(file);
  wal->base.pMethods = nullptr;  // until it is open: SQLite then never calls WalClose
  wal->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(WalFile));
  wal->real->pMethods = nullptr;
  wal->pending = nullptr;
  int rc = base->xOpen(base, name, wal->real, flags, out_flags);
  if (rc == SQLITE_OK) {
    wal->pending = new (std::nothrow) Pending;
    if (wal->pending == nullptr) rc = SQLITE_NOMEM;
  }
  if (rc != SQLITE_OK) {
    if (wal->real->pMethods != nullptr) wal->real->pMethods->xClose(wal->real);
    return rc;
  }
  wal->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return BaseVfs(vfs)->xDelete(BaseVfs(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return BaseVfs(vfs)->xAccess(BaseVfs(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return BaseVfs(vfs)->xFullPathname(BaseVfs(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return BaseVfs(vfs)->xDlOpen(BaseVfs(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  BaseVfs(vfs)->xDlError(BaseVfs(vfs), size, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return BaseVfs(vfs)->xDlSym(BaseVfs(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { BaseVfs(vfs)->xDlClose(BaseVfs(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return BaseVfs(vfs)->xRandomness(BaseVfs(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int microseconds) {
  return BaseVfs(vfs)->xSleep(BaseVfs(vfs), microseconds);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return BaseVfs(vfs)->xCurrentTime(BaseVfs(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return BaseVfs(vfs)->xGetLastError(BaseVfs(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return BaseVfs(vfs)->xCurrentTimeInt64(BaseVfs(vfs), out);
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return BaseVfs(vfs)->xSetSystemCall(BaseVfs(vfs), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return BaseVfs(vfs)->xGetSystemCall(BaseVfs(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return BaseVfs(vfs)->xNextSystemCall(BaseVfs(vfs), name);
}

// One wrapper per base VFS, registered on first use and kept for the process:
// SQLite holds on to registered VFS objects.
struct Wrapper {
  sqlite3_vfs vfs;
  std::string name;
};

sqlite3_vfs* NewWrapperOver(sqlite3_vfs* base, std::string name) {
  auto* wrapper = new Wrapper;
  wrapper->name = std::move(name);
  sqlite3_vfs& vfs = wrapper->vfs;
  std::memset(&vfs, 0, sizeof(vfs));
  vfs.iVersion = 3;
  vfs.szOsFile = static_cast<int>(sizeof(WalFile)) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = wrapper->name.c_str();
  vfs.pAppData = base;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  vfs.xSetSystemCall = SetSystemCall;
  vfs.xGetSystemCall = GetSystemCall;
  vfs.xNextSystemCall = NextSystemCall;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) {
    delete wrapper;
    return nullptr;
  }
  return &vfs;
}

}  // namespace

const char* CoalescingVfsName() {
  // Over whatever VFS is the default now (the platform's; a test's shim that
  // simulates power loss while it is registered), so that the durability
  // tests see exactly what the server writes.
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  // The forwarders above call methods of a version-3 VFS (the system-call ones).
  if (base == nullptr || base->iVersion < 3 || base->xOpen == Open) return nullptr;
  static std::mutex mu;
  static auto* wrappers = new std::map<sqlite3_vfs*, sqlite3_vfs*>;
  std::lock_guard<std::mutex> lock(mu);
  sqlite3_vfs*& wrapper = (*wrappers)[base];
  if (wrapper == nullptr) {
    wrapper = NewWrapperOver(
        base, absl::StrCat("rectify-coalescing-wal-", wrappers->size(), "-", base->zName));
  }
  return wrapper == nullptr ? nullptr : wrapper->zName;
}

CoalescingVfsCounts CoalescingVfsCountsNow() {
  return {writes_asked.load(std::memory_order_relaxed),
          writes_issued.load(std::memory_order_relaxed)};
}

}  // namespace rectify::storage::internal
