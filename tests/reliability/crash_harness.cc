// rectify-crash-harness: kills the real server with SIGKILL at random moments
// while concurrent clients write, restarts it, and checks that every
// acknowledged write (and its event) is there and the store is consistent.
//
//   rectify-crash-harness --server build/bin/rectify-server --data_dir data
//       --rounds 50 --seed 7 [--writers 8] [--min_ms 100] [--max_ms 1500] [--keep DIR]
//
// Each round: start the server, run --writers threads that create tasks and
// move them (dispatch, urge, void) with request ids, recording every
// acknowledged write; SIGKILL the server after a random delay; restart it; then
//   - every acknowledged create is there, every acknowledged transition's
//     event is in its task's history with the same type and seq;
//   - every task's history is a chain (each event's from_state is the previous
//     to_state) ending in the task's state;
//   - a retry of an acknowledged request id returns the first answer;
//   - the file passes PRAGMA integrity_check and foreign_key_check.
// Exit status 0 when nothing was lost; 1 with "LOST" lines when something was;
// 2 when the harness could not run. With RECTIFY_FAILPOINT set in the
// environment (see storage/failpoint.h) the server is deliberately broken and
// the harness must report losses.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/client.h"
#include "storage/sqlite_maintenance.h"
#include "tests/reliability/reliability_city.h"

namespace rectify::test {
namespace {

struct Flags {
  std::string server, data_dir, keep;
  int rounds = 3;
  int writers = 8;
  int min_ms = 100, max_ms = 1500;
  uint64_t seed = 1;
};

// A write the server acknowledged.
struct Ack {
  std::string task_id;
  std::string event_type;  // "task.created" for a create
  int64_t seq = 0;         // the event's seq (0 for a create: the reply has none)
  std::string request_id;
  std::string method;  // for the idempotency retry: "dispatch", "urge", "void"
};

std::string StateName(v1::TaskState state) {
  std::string name = v1::TaskState_Name(state);
  return name.substr(std::string("TASK_STATE_").size());
}

bool Terminal(v1::TaskState s) {
  return s == v1::TASK_STATE_VOIDED || s == v1::TASK_STATE_CLOSED;
}

bool ServerGone(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable ||
         s.code() == absl::StatusCode::kDeadlineExceeded ||
         s.code() == absl::StatusCode::kCancelled;
}

class Server {
 public:
  Server(std::string binary, std::string data_dir, std::string dir)
      : binary_(std::move(binary)), data_dir_(std::move(data_dir)), dir_(std::move(dir)) {}
  ~Server() { Kill(SIGKILL); }

  bool Start() {
    const std::string port_file = dir_ + "/port";
    unlink(port_file.c_str());
    pid_ = fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      const std::string db = "--db=" + db_path();
      const std::string port = "--port_file=" + port_file;
      const std::string data = "--data_dir=" + data_dir_;
      const std::string log = dir_ + "/server.log";
      if (freopen(log.c_str(), "a", stderr) == nullptr) _exit(126);
      execl(binary_.c_str(), binary_.c_str(), "--listen=127.0.0.1:0", db.c_str(), port.c_str(),
            data.c_str(), "--scheduler_period=0", "--rate_limit=0", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 1500; ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        port_ = port;
        return true;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // Sends `signal` (if the process still runs) and reaps it; returns the wait status.
  int Kill(int signal) {
    if (pid_ <= 0) return 0;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  std::unique_ptr<client::Client> Connect(const std::string& token) const {
    client::ClientOptions options;
    options.address = absl::StrCat("127.0.0.1:", port_);
    options.token = token;
    options.timeout = absl::Seconds(10);
    options.max_attempts = 1;
    auto created = client::Client::Create(options);
    return created.ok() ? *std::move(created) : nullptr;
  }

  std::string db_path() const { return dir_ + "/rectify.db"; }

 private:
  std::string binary_, data_dir_, dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// What the harness believes about the tasks it wrote: state per task.
struct Model {
  std::mutex mu;
  std::map<std::string, v1::TaskState> tasks;  // guarded by mu
  std::vector<Ack> acks;                       // guarded by mu; losses are dropped
  int64_t acknowledged = 0;                    // guarded by mu; every ack ever
  std::map<std::string, int> errors;           // code name → count; guarded by mu
};

// One writer: creates tasks and moves its own tasks until the server goes away.
void Writer(const Server& server, const std::string& token, int id, uint64_t seed, Model& model,
            std::atomic<bool>& stop) {
  auto client = server.Connect(token);
  if (client == nullptr) return;
  std::mt19937_64 rng(seed);
  std::vector<std::string> mine;
  {
    std::lock_guard<std::mutex> lock(model.mu);
    for (const auto& [task_id, state] : model.tasks) {
      if (!Terminal(state) && std::hash<std::string>()(task_id) % 64 == static_cast<size_t>(id)) {
        mine.push_back(task_id);
      }
    }
  }
  for (int n = 0; !stop.load(); ++n) {
    const std::string request_id = absl::StrCat("w", id, "-", seed, "-", n);
    absl::Status status;
    if (mine.empty() || rng() % 10 < 3) {
      v1::CreateTaskRequest req;
      req.set_request_id(request_id);
      // Ids chosen by the client, routed to this writer by their hash.
      std::string task_id;
      do {
        task_id = absl::StrCat("X", seed % 100000, "-", id, "-", n, "-", rng() % 1000);
      } while (std::hash<std::string>()(task_id) % 64 != static_cast<size_t>(id));
      req.mutable_task()->set_id(task_id);
      req.mutable_task()->set_campaign_id("c1");
      req.mutable_task()->set_community_id("cm-1");
      req.mutable_task()->set_category("sanitation");
      req.mutable_task()->set_title(absl::StrCat("writer ", id, " task ", n));
      auto task = client->CreateTask(req);
      status = task.status();
      if (task.ok()) {
        std::lock_guard<std::mutex> lock(model.mu);
        model.tasks[task->id()] = task->state();
        model.acks.push_back({task->id(), "task.created", 0, request_id, "create"});
        ++model.acknowledged;
        mine.push_back(task->id());
      }
    } else {
      const size_t pick = rng() % mine.size();
      const std::string task_id = mine[pick];
      v1::TaskState state;
      {
        std::lock_guard<std::mutex> lock(model.mu);
        state = model.tasks[task_id];
      }
      absl::StatusOr<v1::TaskChange> change;
      std::string method;
      if (state == v1::TASK_STATE_OPEN) {
        v1::DispatchTaskRequest req;
        req.set_task_id(task_id);
        req.set_request_id(request_id);
        req.set_responsible_org_id("pc-1");
        method = "dispatch";
        change = client->DispatchTask(req);
      } else if (rng() % 10 < 7) {
        v1::UrgeTaskRequest req;
        req.set_task_id(task_id);
        req.set_request_id(request_id);
        req.set_opinion("请尽快整改");
        method = "urge";
        change = client->UrgeTask(req);
      } else {
        v1::VoidTaskRequest req;
        req.set_task_id(task_id);
        req.set_request_id(request_id);
        req.set_reason("重复上报");
        method = "void";
        change = client->VoidTask(req);
      }
      status = change.status();
      if (change.ok()) {
        std::lock_guard<std::mutex> lock(model.mu);
        model.tasks[task_id] = change->task().state();
        model.acks.push_back({task_id, change->event().type(), change->event().seq(), request_id,
                              method});
        ++model.acknowledged;
        if (Terminal(change->task().state())) mine.erase(mine.begin() + pick);
      }
    }
    if (!status.ok()) {
      {
        std::lock_guard<std::mutex> lock(model.mu);
        ++model.errors[absl::StatusCodeToString(status.code())];
      }
      if (ServerGone(status)) return;
    }
  }
}

// Checks the restarted server against the model; prints and counts losses.
// Brings the model's states up to date with the server (an unacknowledged
// write in flight at the kill may have committed).
int Verify(client::Client& client, Model& model, int round) {
  int lost = 0;
  auto report = [&](const std::string& what) {
    ++lost;
    std::printf("LOST acknowledged write (round %d): %s\n", round, what.c_str());
  };
  std::map<std::string, std::vector<v1::Event>> histories;
  std::lock_guard<std::mutex> lock(model.mu);
  std::vector<std::string> gone;
  for (auto& [task_id, believed] : model.tasks) {
    v1::GetTaskRequest get;
    get.set_id(task_id);
    auto task = client.GetTask(get);
    if (!task.ok()) {
      report(absl::StrCat("task ", task_id, ": ", task.status().ToString()));
      gone.push_back(task_id);
      continue;
    }
    std::vector<v1::Event>& events = histories[task_id];
    v1::ListTaskEventsRequest list;
    list.set_task_id(task_id);
    list.set_page_size(1000);
    for (;;) {
      auto page = client.ListTaskEvents(list);
      if (!page.ok()) {
        report(absl::StrCat("history of ", task_id, ": ", page.status().ToString()));
        break;
      }
      events.insert(events.end(), page->events().begin(), page->events().end());
      if (page->next_page_token().empty()) break;
      list.set_page_token(page->next_page_token());
    }
    // The history is a chain ending in the task's state.
    std::string state;
    for (const v1::Event& e : events) {
      if (e.to_state().empty()) continue;
      if (!e.from_state().empty() && e.from_state() != state) {
        report(absl::StrCat("task ", task_id, ": event ", e.seq(), " moves from ", e.from_state(),
                            " but the task was ", state));
      }
      state = e.to_state();
    }
    if (state != StateName(task->state())) {
      report(absl::StrCat("task ", task_id, " is ", StateName(task->state()),
                          " but its history ends in '", state, "'"));
    }
    believed = task->state();
  }
  for (const std::string& task_id : gone) model.tasks.erase(task_id);
  std::vector<Ack> kept;  // a loss is reported once, then forgotten
  for (const Ack& ack : model.acks) {
    const auto& events = histories[ack.task_id];
    bool found = false;
    for (const v1::Event& e : events) {
      if (e.type() == ack.event_type && (ack.seq == 0 || e.seq() == ack.seq)) found = true;
    }
    if (found) {
      kept.push_back(ack);
    } else {
      report(absl::StrCat(ack.method, " of task ", ack.task_id, " (request ", ack.request_id,
                          ", event ", ack.event_type, " seq ", ack.seq, ") is not in its history"));
    }
  }
  model.acks.swap(kept);
  // A retry of the last acknowledged transition gets the first answer, not a second event.
  for (auto it = model.acks.rbegin(); it != model.acks.rend(); ++it) {
    if (it->method != "urge") continue;
    v1::UrgeTaskRequest req;
    req.set_task_id(it->task_id);
    req.set_request_id(it->request_id);
    req.set_opinion("请尽快整改");
    auto again = client.UrgeTask(req);
    if (!again.ok() || again->event().seq() != it->seq) {
      report(absl::StrCat("retry of request ", it->request_id, " did not return event ", it->seq,
                          ": ", again.ok() ? absl::StrCat("event ", again->event().seq())
                                           : again.status().ToString()));
    }
    break;
  }
  return lost;
}

int Run(const Flags& flags) {
  std::string dir = flags.keep;
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
  } else {
    char tmpl[] = "/tmp/rectify-crash-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return 2;
    dir = tmpl;
  }
  // The files go with the run unless --keep named a directory.
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ec;
      if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
  } remove_dir{flags.keep.empty() ? dir : std::string()};
  Server server(flags.server, flags.data_dir, dir);
  if (!server.Start()) {
    std::fprintf(stderr, "the server did not start; see %s/server.log\n", dir.c_str());
    return 2;
  }
  std::string token;
  std::ifstream(server.db_path() + ".admin-token") >> token;
  {
    auto admin = server.Connect(token);
    if (token.empty() || admin == nullptr || !SeedReliabilityCity(*admin)) {
      std::fprintf(stderr, "could not seed the city\n");
      return 2;
    }
  }
  std::mt19937_64 rng(flags.seed);
  Model model;
  int lost = 0;
  int64_t kills = 0, self_crashes = 0;
  for (int round = 1; round <= flags.rounds; ++round) {
    const int64_t acks_before = model.acknowledged;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < flags.writers; ++w) {
      writers.emplace_back(Writer, std::cref(server), token, w, rng(), std::ref(model),
                           std::ref(stop));
    }
    const int delay = flags.min_ms + static_cast<int>(rng() % (flags.max_ms - flags.min_ms + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    const int status = server.Kill(SIGKILL);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++kills;
    } else {
      ++self_crashes;  // it died before the kill (a failpoint's abort)
    }
    stop = true;
    for (std::thread& t : writers) t.join();
    if (!server.Start()) {
      std::printf("LOST the database (round %d): the server does not start again; see %s\n",
                  round, dir.c_str());
      return 1;
    }
    auto check = storage::CheckDatabase(server.db_path());
    if (!check.ok()) {
      std::printf("LOST consistency (round %d): %s\n", round, check.status().ToString().c_str());
      ++lost;
    }
    auto client = server.Connect(token);
    if (client == nullptr) return 2;
    const int round_lost = Verify(*client, model, round);
    lost += round_lost;
    std::printf("round %d: killed after %d ms; %lld writes acknowledged this round, %lld in all; "
                "%zu tasks; %s\n",
                round, delay, static_cast<long long>(model.acknowledged - acks_before),
                static_cast<long long>(model.acknowledged),
                model.tasks.size(), round_lost == 0 ? "all there" : "LOSSES");
    std::fflush(stdout);
  }
  server.Kill(SIGTERM);
  std::string errors;
  for (const auto& [code, count] : model.errors) absl::StrAppend(&errors, " ", code, "=", count);
  std::printf("crash harness: %d rounds, %lld kills (+%lld crashed by themselves), %lld "
              "acknowledged writes checked, %d lost; refused or cut off writes:%s\n",
              flags.rounds, static_cast<long long>(kills), static_cast<long long>(self_crashes),
              static_cast<long long>(model.acknowledged), lost, errors.empty() ? " none" : errors.c_str());
  if (lost > 0 && flags.keep.empty()) {
    std::printf("crash harness: rerun with --keep DIR to keep the database and server log\n");
  }
  return lost == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rectify::test

int main(int argc, char** argv) {
  rectify::test::Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq), value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    bool ok = true;
    if (name == "--server") flags.server = value;
    else if (name == "--data_dir") flags.data_dir = value;
    else if (name == "--keep") flags.keep = value;
    else if (name == "--rounds") ok = absl::SimpleAtoi(value, &flags.rounds);
    else if (name == "--writers") ok = absl::SimpleAtoi(value, &flags.writers);
    else if (name == "--min_ms") ok = absl::SimpleAtoi(value, &flags.min_ms);
    else if (name == "--max_ms") ok = absl::SimpleAtoi(value, &flags.max_ms);
    else if (name == "--seed") ok = absl::SimpleAtoi(value, &flags.seed);
    else ok = false;
    if (!ok) {
      std::fprintf(stderr, "rectify-crash-harness: bad flag '%s'\n", arg.c_str());
      return 2;
    }
  }
  if (flags.server.empty() || flags.data_dir.empty() || flags.rounds < 1 || flags.writers < 1 ||
      flags.writers > 64 || flags.min_ms < 0 || flags.max_ms < flags.min_ms) {
    std::fprintf(stderr,
                 "usage: rectify-crash-harness --server BIN --data_dir DIR [--rounds N] "
                 "[--seed S] [--writers 1..64] [--min_ms A --max_ms B] [--keep DIR]\n");
    return 2;
  }
  std::printf("crash harness: seed %llu, %d rounds, %d writers\n",
              static_cast<unsigned long long>(flags.seed), flags.rounds, flags.writers);
  return rectify::test::Run(flags);
}
