// A SQLite VFS that gathers each commit's writes to the write-ahead log into
// one system call. Internal to the SQLite engine.
//
// SQLite appends a commit to the WAL one frame at a time, and each frame as two
// pwrites (its 24-byte header, then the page): a transition committed alone
// writes ~21 frames, so ~42 system calls before its one fdatasync, each paying
// the kernel's per-call and per-page bookkeeping again (BENCHMARKS.md,
// finding 18). This VFS wraps the default one; on a WAL file it holds writes
// that continue one another in a buffer and hands them to the kernel together
// (in pieces of 124 KiB, the most SQLite's unix VFS writes at once) when
// SQLite syncs the file, reads, sizes or truncates it, writes elsewhere in it,
// closes it, or the buffer passes 4 MiB. Every other file, and every other
// call, goes straight through.
//
// Safe only where SQLite syncs the WAL at every commit (synchronous=FULL, as
// Connection::Mode::kReadWrite sets): SQLite syncs the frames before it
// publishes the commit in the WAL index, so no other connection can look for
// a frame still in the buffer. With synchronous=OFF or NORMAL a commit is
// published without a sync, and another connection could read a frame that
// is not yet in the file. A crash loses only what was never synced, and SQLite
// already discards a WAL's unsynced tail on recovery by its checksums.
#ifndef RECTIFY_STORAGE_SQLITE_VFS_H_
#define RECTIFY_STORAGE_SQLITE_VFS_H_

#include <cstdint>

namespace rectify::storage::internal {

// The name of the VFS over the current default VFS, for sqlite3_open_v2
// (SQLite::Database's `vfs` argument): the platform's, or a test's shim while
// it is the default. Registers it on first use; thread-safe. nullptr if it
// cannot (a default VFS older than version 3, or SQLite out of memory): then
// use SQLite's default, correct and only slower.
const char* CoalescingVfsName();

// Counts since the process started, over every WAL opened through the VFS.
struct CoalescingVfsCounts {
  int64_t writes_asked = 0;   // xWrite calls SQLite made
  int64_t writes_issued = 0;  // pwrites the VFS made for them
};
CoalescingVfsCounts CoalescingVfsCountsNow();

}  // namespace rectify::storage::internal

#endif  // RECTIFY_STORAGE_SQLITE_VFS_H_
