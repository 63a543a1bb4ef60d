// The SQLite engine behind storage::Store: one file, WAL mode, one writer
// connection (writes are serialised) and a small pool of read-only connections
// (each Read sees one committed snapshot, unaffected by concurrent writes).
//
//   storage::SqliteOptions options;
//   options.path = "/var/lib/rectify/rectify.db";
//   RECTIFY_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
//                            storage::OpenSqliteStore(options));
//
// Durability: when Write returns OK its changes are committed with
// synchronous=FULL, so they are on disk and survive a crash or a power loss.
// Thread-safe. Other processes may open the same file; they queue for the
// write lock for up to 5 s (then kUnavailable).
//
// Group commit: concurrent Writes are queued to one writer thread, which runs
// the closures waiting at that moment (up to kMaxBatch) one after another in
// one transaction, each inside its own SAVEPOINT, commits once (one fsync for
// the whole batch) and only then wakes each caller with its own result:
//
//   callers ──Write(fn)──► queue ──► writer thread:
//                                      BEGIN IMMEDIATE
//                                        SAVEPOINT w; fn1; RELEASE w          (OK)
//                                        SAVEPOINT w; fn2; ROLLBACK TO w; ... (fn2 failed)
//                                        SAVEPOINT w; fn3; RELEASE w          (OK)
//                                      COMMIT ──► wake fn1 OK, fn2 its error, fn3 OK
//
// Each Write keeps its all-or-nothing meaning: a failing closure undoes only
// its own savepoint. A closure sees what earlier closures of its batch wrote
// (as if they had committed just before it): request ids and event seqs stay
// in call order. If COMMIT fails, every closure that succeeded gets that error
// and nothing of the batch is kept. If SQLite rolls the whole transaction back
// by itself (disk full, I/O error), every closure already run in it gets that
// error, and the closures after it run in a fresh transaction.
//
// WriteAsync(fn, done) joins the same queue and batches; instead of waking a
// caller, the writer hands the batch's finished WriteAsyncs to a completion
// thread with one wake-up, and that thread calls each `done` (a server answers
// its calls from there, so no thread waits per call).
//
// Checkpoints: SQLite would copy the WAL back into the database file inside
// the COMMIT that crosses 1,000 WAL pages, on the writer thread, while the
// batch's callers wait. Here a checkpoint thread with its own connection does
// that copying (PASSIVE: it never blocks the writer or readers), woken when a
// commit leaves SqliteOptions::checkpoint_pages or more in the WAL (4,000,
// 16 MB: a page written again and again is copied once per round rather than
// once per 1,000 pages). Under steady writes a background checkpoint never
// quite catches up with the WAL's end, and SQLite restarts the WAL from its
// beginning only once everything in it has been copied; so from four times
// checkpoint_pages the checkpoint thread stands aside and the writer thread,
// between batches and after waking their callers, copies what is left, and
// the next transaction restarts the WAL.
#ifndef RECTIFY_STORAGE_SQLITE_STORE_H_
#define RECTIFY_STORAGE_SQLITE_STORE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

struct sqlite3;

namespace rectify::storage {

namespace internal {
class Connection;
}  // namespace internal

struct SqliteOptions {
  // The database file; created, with its schema, if it does not exist. Its
  // directory must exist. SQLite keeps `<path>-wal` and `<path>-shm` beside it.
  std::string path;
  // The schema version to bring the file to: -1 for the latest. Tests use an
  // older one to make an old database; a file already newer is left as it is.
  int max_schema_version = -1;
  // Read-only connections in the pool, 1..64: concurrent Reads beyond this wait.
  int read_connections = 4;
  // Commits are not fsynced (synchronous=OFF): only for storage/bulk_load.h,
  // which builds benchmark databases. Never in the server.
  bool bulk_load = false;
  // The most Writes one transaction commits together, 1..SqliteStore::kMaxBatch.
  // 1 turns group commit off (one transaction and one fsync per Write).
  int max_batch = 256;
  // WAL pages after a commit that wake the checkpoint thread (>= 1); at four
  // times as many the writer finishes the checkpoint itself (see SqliteStore).
  int checkpoint_pages = 4000;
  // The writer connection's page cache, in MiB (0: SQLite's default, 2 MiB).
  // Every transition reads index pages all over a large file; at SQLite's
  // default they are read again and again through the kernel, ~6 reads a
  // transition, ~12% of the writer thread (BENCHMARKS.md, finding 17).
  int writer_cache_mib = 32;
};

// Opens (creating and migrating as needed) the database at options.path.
// Returns kInvalidArgument for bad options; kFailedPrecondition if the file's
// schema is newer than this build knows (naming both versions), if it is not a
// rectify database, or if it cannot be opened or written (directory missing,
// permissions); kDataLoss if it is damaged or not a SQLite file; kUnavailable if
// another process holds it locked for too long.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

class SqliteStore final : public Store {
 public:
  // See OpenSqliteStore().
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Destroy the store only after every Read and Write returned. WriteAsyncs
  // already queued are still run, and their `done` called, before it returns.
  ~SqliteStore() override;

  // `fn` runs on a pooled read-only connection inside one read transaction.
  // It may call Read again (a nested Read gets a connection of its own) and
  // Write (the outer snapshot does not see what that Write commits).
  absl::Status Read(const std::function<absl::Status(ReadTx&)>& fn) override;
  // `fn` runs on the writer thread, inside its own savepoint of a batch
  // transaction (see above); Write returns once the batch is committed. Any
  // error from fn, or an exception it throws (rethrown here after the
  // rollback), rolls fn's changes back. Calling Write from inside fn returns
  // kInternal (it would deadlock). If SQLite itself aborts the transaction
  // (disk full, I/O error) every later call of the tx fails with that error,
  // and so does Write, even if fn ignores it.
  absl::Status Write(const std::function<absl::Status(WriteTx&)>& fn) override;
  // Queued and batched like Write. `done` runs on the store's completion
  // thread (`rectify-done`), never on the writer's, once the batch has
  // committed; an exception from fn reaches it as kInternal. The writer hands
  // a whole batch's results over with one wake-up, and the completion thread
  // calls each `done` in turn, so a slow one delays the others, not the writes.
  void WriteAsync(std::function<absl::Status(WriteTx&)> fn,
                  std::function<void(absl::Status)> done) override;
  // Counts the batches that wrote tokens, people or organisations (committed
  // or not); moves on before their callers are woken.
  std::optional<uint64_t> IdentityGeneration() const override { return identity_generation_; }

  // The most closures one transaction runs (SqliteOptions::max_batch at most).
  static constexpr int kMaxBatch = 256;

  // What the writer thread has done so far, for tests and benchmarks.
  struct WriteStats {
    int64_t transactions = 0;  // BEGIN ... COMMIT/ROLLBACK, one fsync each when committed
    int64_t writes = 0;        // closures run
    int64_t waiting = 0;       // Writes queued now, not yet taken by the writer thread
    int64_t checkpoints = 0;   // by the checkpoint thread
    int64_t writer_checkpoints = 0;  // finished by the writer thread (see above)
  };
  WriteStats write_stats();

 private:
  SqliteStore(std::string path, int max_batch, int checkpoint_pages,
              std::unique_ptr<internal::Connection> writer,
              std::unique_ptr<internal::Connection> checkpointer,
              std::vector<std::unique_ptr<internal::Connection>> readers);

  // A pooled reader (give it back with ReleaseReader), or, for a nested Read
  // that could otherwise wait for itself, a fresh one owned by `temporary`.
  internal::Connection* AcquireReader(std::unique_ptr<internal::Connection>* temporary);
  void ReleaseReader(internal::Connection* reader);

  // One write waiting in the queue. A Write's lives on its caller's stack and
  // wakes it; a WriteAsync's is owned by the store from the queue to `then`.
  struct PendingWrite {
    const std::function<absl::Status(WriteTx&)>* fn;
    absl::Status status;
    std::exception_ptr exception;
    bool done = false;                               // guarded by queue_mu_
    std::condition_variable woken;                   // notified under queue_mu_ once done
    std::function<absl::Status(WriteTx&)> owned_fn;  // WriteAsync's closure
    std::function<void(absl::Status)> then;          // set for WriteAsync only
  };

  // The writer thread: takes batches off the queue until the store closes.
  void WriterLoop();
  // Runs `batch` in as few transactions as it can and sets each one's result.
  // Returns the number of transactions it began.
  int64_t RunBatch(const std::vector<PendingWrite*>& batch);

  // The completion thread: calls the `then` of finished WriteAsyncs.
  void CompletionLoop();

  // SQLite's WAL hook on the writer connection: after each commit, with the
  // pages now in the WAL.
  static int OnWalCommit(void* store, sqlite3* db, const char* name, int pages);
  // The checkpoint thread (only when the store has a checkpointer connection).
  void CheckpointLoop();

  const std::string path_;
  const size_t max_batch_;
  const int checkpoint_pages_;

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for
  // ThreadSanitizer, which then cannot see absl::Mutex's ordering and reports
  // false races; with std::mutex the store's concurrency tests run under TSan.
  std::unique_ptr<internal::Connection> writer_;  // used by the writer thread only
  std::mutex queue_mu_;
  std::condition_variable queue_changed_;
  std::deque<PendingWrite*> queue_;  // guarded by queue_mu_
  bool closing_ = false;             // guarded by queue_mu_
  WriteStats stats_;                 // guarded by queue_mu_ (but `waiting`, read from queue_)
  std::thread writer_thread_;        // started last in the constructor

  // Finished WriteAsyncs, handed from the writer to the completion thread.
  std::mutex completion_mu_;
  std::condition_variable completions_ready_;
  std::vector<std::unique_ptr<PendingWrite>> completions_;  // guarded by completion_mu_
  bool completion_closing_ = false;                         // guarded by completion_mu_
  std::thread completion_thread_;
  std::atomic<int> wal_pages_{0};  // in the WAL after the last commit
  std::atomic<uint64_t> identity_generation_{0};

  // The checkpoint thread's own connection (null for a bulk load, which keeps
  // SQLite's automatic checkpoints) and its wake-up.
  std::unique_ptr<internal::Connection> checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_due_ = false;      // guarded by checkpoint_mu_
  bool checkpoint_closing_ = false;  // guarded by checkpoint_mu_
  std::thread checkpoint_thread_;

  // Declared after writer_ so that they close first and the writer, closing
  // last, checkpoints the WAL into the database file.
  std::vector<std::unique_ptr<internal::Connection>> readers_;
  std::mutex readers_mu_;
  std::condition_variable reader_returned_;
  std::vector<internal::Connection*> idle_readers_;  // guarded by readers_mu_
};

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_SQLITE_STORE_H_
