// Group commit in the SQLite engine: concurrent Writes share one transaction
// (one fsync) yet each keeps its own all-or-nothing result, runs in call
// order, sees the writes queued before it, and is acknowledged only once its
// batch is on disk.
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"
#include "tests/storage/sqlite_testing.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using storage::ReadTx;
using storage::SqliteStore;
using storage::WriteTx;
using ::testing::HasSubstr;

std::unique_ptr<SqliteStore> OpenSqlite(const std::string& path) {
  storage::SqliteOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Waits (up to 10 s) until `n` Writes are queued behind the one running.
bool WaitUntilQueued(SqliteStore& store, int64_t n) {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (store.write_stats().waiting < n) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

// Holds the writer thread inside one Write until Release(), so that the
// Writes started meanwhile queue up and run together in the next batch.
class WriterBlocker {
 public:
  explicit WriterBlocker(SqliteStore& store) : store_(store) {
    thread_ = std::thread([this] {
      status_ = store_.Write([this](WriteTx&) -> absl::Status {
        std::unique_lock<std::mutex> lock(mu_);
        inside_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return released_; });
        return absl::OkStatus();
      });
    });
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return inside_; });
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  const absl::Status& status() const { return status_; }

 private:
  SqliteStore& store_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool inside_ = false;
  bool released_ = false;
  absl::Status status_;
};

absl::Status CreateTaskWithEvent(WriteTx& tx, const std::string& id, int64_t* seq = nullptr) {
  domain::Task task = MakeTask(id);
  if (absl::Status s = tx.CreateTask(task); !s.ok()) return s;
  domain::Event event;
  event.type = "task.created";
  event.subject = "tasks/" + id;
  if (absl::Status s = tx.AppendEvent(event); !s.ok()) return s;
  if (seq != nullptr) *seq = event.seq;
  return absl::OkStatus();
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

bool TaskExists(storage::Store& store, const std::string& id) {
  bool exists = false;
  EXPECT_THAT(store.Read([&](ReadTx& tx) -> absl::Status {
    exists = tx.GetTask(id).ok();
    return absl::OkStatus();
  }),
              IsOk());
  return exists;
}

TEST(GroupCommitTest, AFailingClosureRollsBackOnlyItsOwnWritesInTheBatch) {
  TempDir dir;
  std::unique_ptr<SqliteStore> store = OpenSqlite(dir.File("rectify.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(SeedDirectory(*store), IsOk());

  WriterBlocker blocker(*store);
  const SqliteStore::WriteStats before = store->write_stats();
  absl::Status ok_first, failing, ok_last;
  bool threw = false;
  std::vector<std::thread> callers;
  callers.reserve(4);  // no reallocation (and no GCC 12 -O3 false -Warray-bounds)
  // Started one at a time so that the queue holds them in this order.
  callers.emplace_back([&] {
    ok_first = store->Write([](WriteTx& tx) { return CreateTaskWithEvent(tx, "T-ok-1"); });
  });
  ASSERT_TRUE(WaitUntilQueued(*store, 1));
  callers.emplace_back([&] {
    failing = store->Write([](WriteTx& tx) -> absl::Status {
      if (absl::Status s = CreateTaskWithEvent(tx, "T-failing"); !s.ok()) return s;
      return absl::FailedPreconditionError("task 'T-failing' is in state OPEN; changed my mind");
    });
  });
  ASSERT_TRUE(WaitUntilQueued(*store, 2));
  callers.emplace_back([&] {
    try {
      store
          ->Write([](WriteTx& tx) -> absl::Status {
            if (absl::Status s = CreateTaskWithEvent(tx, "T-throwing"); !s.ok()) return s;
            throw std::runtime_error("boom");
          })
          .IgnoreError();
    } catch (const std::runtime_error&) {
      threw = true;
    }
  });
  ASSERT_TRUE(WaitUntilQueued(*store, 3));
  callers.emplace_back([&] {
    ok_last = store->Write([](WriteTx& tx) { return CreateTaskWithEvent(tx, "T-ok-2"); });
  });
  ASSERT_TRUE(WaitUntilQueued(*store, 4));
  blocker.Release();
  for (std::thread& t : callers) t.join();

  EXPECT_THAT(blocker.status(), IsOk());
  EXPECT_THAT(ok_first, IsOk());
  EXPECT_THAT(failing, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("T-failing")));
  EXPECT_TRUE(threw) << "the exception was not rethrown to its caller";
  EXPECT_THAT(ok_last, IsOk());
  EXPECT_TRUE(TaskExists(*store, "T-ok-1"));
  EXPECT_FALSE(TaskExists(*store, "T-failing"));
  EXPECT_FALSE(TaskExists(*store, "T-throwing"));
  EXPECT_TRUE(TaskExists(*store, "T-ok-2"));
  // The four shared one transaction (the blocker had its own).
  const SqliteStore::WriteStats after = store->write_stats();
  EXPECT_EQ(after.writes - before.writes, 5);
  EXPECT_EQ(after.transactions - before.transactions, 2);
}

TEST(GroupCommitTest, ClosuresRunInCallOrderAndSeeTheWritesBeforeThem) {
  TempDir dir;
  std::unique_ptr<SqliteStore> store = OpenSqlite(dir.File("rectify.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(SeedDirectory(*store), IsOk());

  WriterBlocker blocker(*store);
  // Two callers retry the same request: the second must find the first's
  // answer, as it would had they committed one after the other.
  constexpr int kCallers = 6;
  std::vector<int64_t> seqs(kCallers, 0);
  std::vector<std::string> answers(kCallers);
  std::vector<absl::Status> results(kCallers);
  std::vector<std::thread> callers;
  callers.reserve(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      results[i] = store->Write([&, i](WriteTx& tx) -> absl::Status {
        absl::StatusOr<std::optional<storage::StoredResponse>> seen =
            tx.LookupRequest("P-1", "req-1");
        if (!seen.ok()) return seen.status();
        if (seen->has_value()) {
          answers[i] = (*seen)->response;
          return absl::OkStatus();
        }
        if (absl::Status s = CreateTaskWithEvent(tx, absl::StrCat("T-", i), &seqs[i]); !s.ok()) {
          return s;
        }
        answers[i] = absl::StrCat("created T-", i);
        storage::StoredResponse response{"CreateTask", "fp", answers[i]};
        return tx.SaveRequest("P-1", "req-1", response);
      });
    });
    ASSERT_TRUE(WaitUntilQueued(*store, i + 1));
  }
  blocker.Release();
  for (std::thread& t : callers) t.join();
  for (int i = 0; i < kCallers; ++i) {
    EXPECT_THAT(results[i], IsOk()) << i;
    EXPECT_EQ(answers[i], "created T-0") << "caller " << i << " did not see the first answer";
  }
  EXPECT_GT(seqs[0], 0);
  EXPECT_FALSE(TaskExists(*store, "T-1"));

  // Events of one batch get their seqs in call order.
  WriterBlocker again(*store);
  std::vector<std::thread> writers;
  std::vector<int64_t> order(4, 0);
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&, i] {
      EXPECT_THAT(store->Write([&, i](WriteTx& tx) {
        return CreateTaskWithEvent(tx, absl::StrCat("O-", i), &order[i]);
      }),
                  IsOk());
    });
    ASSERT_TRUE(WaitUntilQueued(*store, i + 1));
  }
  again.Release();
  for (std::thread& t : writers) t.join();
  for (int i = 1; i < 4; ++i) EXPECT_EQ(order[i], order[i - 1] + 1) << i;
}

TEST(GroupCommitTest, EveryCallerIsWokenAndManyShareACommit) {
  TempDir dir;
  std::unique_ptr<SqliteStore> store = OpenSqlite(dir.File("rectify.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(SeedDirectory(*store), IsOk());
  const SqliteStore::WriteStats before = store->write_stats();
  constexpr int kThreads = 32;
  constexpr int kEach = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int64_t last_seq = 0;
      for (int i = 0; i < kEach; ++i) {
        int64_t seq = 0;
        absl::Status s = store->Write([&](WriteTx& tx) {
          return CreateTaskWithEvent(tx, absl::StrCat("W-", t, "-", i), &seq);
        });
        EXPECT_THAT(s, IsOk());
        // One caller's writes are committed in the order it made them.
        EXPECT_GT(seq, last_seq);
        last_seq = seq;
        if (s.ok()) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  const SqliteStore::WriteStats after = store->write_stats();
  EXPECT_EQ(after.writes - before.writes, kThreads * kEach);
  EXPECT_LT(after.transactions - before.transactions, kThreads * kEach)
      << "no two writes shared a commit";
  int64_t events = 0;
  ASSERT_THAT(store->Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Event>> all = tx.ListEvents("", 0, 10000);
    if (!all.ok()) return all.status();
    events = static_cast<int64_t>(all->size());
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(events, kThreads * kEach);
}

// Eight writer threads in a child process; the parent kills it with SIGKILL
// mid-stream. Every write acknowledged (Write returned OK) must be there with
// its event; the batch in flight may be lost, but never half of one write.
TEST(GroupCommitTest, AKilledProcessLosesOnlyUnacknowledgedWrites) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  {
    std::unique_ptr<storage::Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(SeedDirectory(*store), IsOk());
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    storage::SqliteOptions options;
    options.path = path;
    absl::StatusOr<std::unique_ptr<storage::Store>> store = storage::OpenSqliteStore(options);
    if (!store.ok()) _exit(2);
    std::mutex pipe_mu;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0;; ++i) {
          const std::string id = absl::StrCat("K-", t, "-", i);
          absl::Status status =
              (*store)->Write([&](WriteTx& tx) { return CreateTaskWithEvent(tx, id); });
          if (!status.ok()) _exit(3);
          const std::string line = id + "\n";
          std::lock_guard<std::mutex> lock(pipe_mu);
          if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
            _exit(4);
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    _exit(5);
  }
  close(fds[1]);
  constexpr int kKillAfter = 300;
  std::string received;
  int lines = 0;
  bool killed = false;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
    for (ssize_t i = 0; i < n; ++i) lines += buffer[i] == '\n';
    if (!killed && lines >= kKillAfter) {
      ASSERT_EQ(kill(pid, SIGKILL), 0);
      killed = true;
    }
  }
  close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(killed) << "the child stopped early; exit status "
                      << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  std::vector<std::string> acknowledged;
  for (absl::string_view line : absl::StrSplit(received, '\n', absl::SkipEmpty())) {
    acknowledged.emplace_back(line);
  }
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kKillAfter));
  EXPECT_EQ(RawDb(path).Query("PRAGMA integrity_check"), "ok");
  std::unique_ptr<storage::Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->Read([&](ReadTx& tx) -> absl::Status {
    for (const std::string& id : acknowledged) {
      EXPECT_THAT(tx.GetTask(id), IsOk()) << id << " was acknowledged but is missing";
    }
    // No write is half there: every stored task has its one event.
    absl::StatusOr<std::vector<domain::Event>> events = tx.ListEvents("", 0, 1000000);
    if (!events.ok()) return events.status();
    for (const domain::Event& e : *events) {
      EXPECT_THAT(tx.GetTask(e.subject.substr(6)), IsOk()) << e.subject;
    }
    EXPECT_GE(events->size(), acknowledged.size());
    return absl::OkStatus();
  }),
              IsOk());
}

// What the callback API builds on: WriteAsync queues like Write, shares the
// batch, and answers each write with its own result, from a thread that is
// neither the caller's nor the writer's, once the batch is committed.
TEST(GroupCommitTest, WriteAsyncAnswersEachWriteAfterItsBatchCommits) {
  TempDir dir;
  std::unique_ptr<SqliteStore> store = OpenSqlite(dir.File("rectify.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(SeedDirectory(*store), IsOk());
  const SqliteStore::WriteStats before = store->write_stats();

  struct Answer {
    absl::Status status;
    std::thread::id thread;
    bool visible = false;  // the task could be read when the answer came
  };
  std::mutex mu;
  std::condition_variable answered;
  std::vector<std::optional<Answer>> answers(4);
  std::thread::id writer;
  auto record = [&](int i, const std::string& id) {
    return [&, i, id](absl::Status status) {
      Answer answer{status, std::this_thread::get_id(), TaskExists(*store, id)};
      std::lock_guard<std::mutex> lock(mu);
      answers[i] = answer;
      answered.notify_all();
    };
  };
  {
    WriterBlocker blocker(*store);
    store->WriteAsync(
        [&](WriteTx& tx) {
          writer = std::this_thread::get_id();
          return CreateTaskWithEvent(tx, "A-0");
        },
        record(0, "A-0"));
    store->WriteAsync(
        [](WriteTx& tx) -> absl::Status {
          if (absl::Status s = CreateTaskWithEvent(tx, "A-1"); !s.ok()) return s;
          return absl::FailedPreconditionError("task 'A-1' is in state OPEN; changed my mind");
        },
        record(1, "A-1"));
    store->WriteAsync(
        [](WriteTx& tx) -> absl::Status {
          if (absl::Status s = CreateTaskWithEvent(tx, "A-2"); !s.ok()) return s;
          throw std::runtime_error("disk on fire");
        },
        record(2, "A-2"));
    store->WriteAsync([](WriteTx& tx) { return CreateTaskWithEvent(tx, "A-3"); },
                      record(3, "A-3"));
    ASSERT_TRUE(WaitUntilQueued(*store, 4));
    // Nothing is answered while the batch has not even begun.
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& a : answers) EXPECT_FALSE(a.has_value());
    }
    blocker.Release();
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(answered.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& a : answers) {
        if (!a.has_value()) return false;
      }
      return true;
    }));
  }
  EXPECT_THAT(answers[0]->status, IsOk());
  EXPECT_TRUE(answers[0]->visible) << "answered before its commit";
  EXPECT_THAT(answers[1]->status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(answers[1]->visible);
  EXPECT_THAT(answers[2]->status,
              StatusIs(absl::StatusCode::kInternal, HasSubstr("disk on fire")));
  EXPECT_FALSE(answers[2]->visible);
  EXPECT_THAT(answers[3]->status, IsOk());
  EXPECT_TRUE(answers[3]->visible);
  for (const auto& a : answers) {
    EXPECT_NE(a->thread, std::this_thread::get_id());
    EXPECT_NE(a->thread, writer) << "answered on the writer thread";
  }
  const SqliteStore::WriteStats after = store->write_stats();
  EXPECT_EQ(after.writes - before.writes, 5);  // the blocker and the four
  EXPECT_EQ(after.transactions - before.transactions, 2) << "the four shared one commit";
}

TEST(GroupCommitTest, WriteAsyncsQueuedBeforeTheStoreClosesAreStillAnswered) {
  TempDir dir;
  const std::string path = dir.File("rectify.db");
  std::unique_ptr<SqliteStore> store = OpenSqlite(path);
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(SeedDirectory(*store), IsOk());
  std::atomic<int> ok{0};
  for (int i = 0; i < 50; ++i) {
    store->WriteAsync([i](WriteTx& tx) { return CreateTaskWithEvent(tx, absl::StrCat("C-", i)); },
                      [&ok](absl::Status status) {
                        if (status.ok()) ++ok;
                      });
  }
  store.reset();
  EXPECT_EQ(ok.load(), 50);
  std::unique_ptr<SqliteStore> reopened = OpenSqlite(path);
  ASSERT_NE(reopened, nullptr);
  EXPECT_TRUE(TaskExists(*reopened, "C-0"));
  EXPECT_TRUE(TaskExists(*reopened, "C-49"));
}

TEST(GroupCommitTest, MaxBatchOneCommitsEachWriteOnItsOwn) {
  TempDir dir;
  storage::SqliteOptions options;
  options.path = dir.File("rectify.db");
  options.max_batch = 1;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  ASSERT_THAT(store.status(), IsOk());
  ASSERT_THAT(SeedDirectory(**store), IsOk());
  WriterBlocker blocker(**store);
  const SqliteStore::WriteStats before = (*store)->write_stats();
  std::vector<std::thread> callers;
  callers.reserve(3);
  for (int i = 0; i < 3; ++i) {
    callers.emplace_back([&, i] {
      EXPECT_THAT((*store)->Write([i](WriteTx& tx) {
        return CreateTaskWithEvent(tx, absl::StrCat("S-", i));
      }),
                  IsOk());
    });
    ASSERT_TRUE(WaitUntilQueued(**store, i + 1));
  }
  blocker.Release();
  for (std::thread& t : callers) t.join();
  const SqliteStore::WriteStats after = (*store)->write_stats();
  EXPECT_EQ(after.transactions - before.transactions, 4);  // the blocker's and one each
}

// The WAL is copied back by the checkpoint thread, and restarted from its
// beginning, while writes go on: it does not grow with the writes.
TEST(GroupCommitTest, TheWalIsCheckpointedAndRestartedWhileWritesGoOn) {
  TempDir dir;
  storage::SqliteOptions options;
  options.path = dir.File("rectify.db");
  options.checkpoint_pages = 8;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  ASSERT_THAT(store.status(), IsOk());
  ASSERT_THAT(SeedDirectory(**store), IsOk());
  constexpr int kWrites = 300;  // a few WAL pages each: ~1,000 pages without checkpoints
  for (int i = 0; i < kWrites; ++i) {
    ASSERT_THAT((*store)->Write([i](WriteTx& tx) {
      return CreateTaskWithEvent(tx, absl::StrCat("W-", i));
    }),
                IsOk());
  }
  const SqliteStore::WriteStats stats = (*store)->write_stats();
  EXPECT_GT(stats.checkpoints + stats.writer_checkpoints, 0);
  // Restarted WALs are overwritten from the start, so the file's size is the
  // most the WAL ever held: a few times checkpoint_pages (more while a
  // descheduled checkpoint thread holds the checkpoint lock on a busy
  // machine), against ~19 MB for these writes when it is never restarted.
  const int64_t wal_bytes = FileSize(options.path + "-wal");
  EXPECT_LT(wal_bytes, 512 * 4096) << "the WAL was never restarted";
  for (int i = 0; i < kWrites; i += 50) EXPECT_TRUE(TaskExists(**store, absl::StrCat("W-", i)));
}

}  // namespace
}  // namespace rectify::test
