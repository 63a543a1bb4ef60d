// rectify-bench: the performance suite. Starts the echo server (the machine's
// ceiling), the same server in its durable modes (the floor of a write that is
// answered once on disk) and rectify-server on a benchmark database (loaded
// first if missing), drives each scenario closed-loop at each concurrency with
// the gRPC callback API (raw stubs, one call in flight per simulated client), and
// prints a Markdown table: throughput, its ratio to echo, p50/p99/p99.9
// latency, CPU of server and client, the server's peak resident memory.
//
//   rectify-bench --server=build/bin/rectify-server --echo_server=build/bin/bench-echo-server
//       --data_dir=data --db=/tmp/bench.db --tasks=1000000 --out=bench/results.md
//   rectify-bench ... --smoke      # a tiny run of every scenario; checks the figures are sane
//
// The scenario table (Scenarios()) is where a scenario is added.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/stubs/common.h>
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_city.h"
#include "bench/durable_sink.h"
#include "bench/echo.grpc.pb.h"
#include "domain/metrics.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"
#include "rectify/v1/event_service.grpc.pb.h"
#include "rectify/v1/report_service.grpc.pb.h"
#include "rectify/v1/task_service.grpc.pb.h"

extern char** environ;

ABSL_FLAG(std::string, server, "", "the rectify-server binary");
ABSL_FLAG(std::string, echo_server, "", "the bench-echo-server binary");
ABSL_FLAG(std::string, data_dir, "data", "the city's data folder, for rectify-server");
ABSL_FLAG(std::string, db, "", "the benchmark database; loaded with --tasks tasks if missing");
ABSL_FLAG(int64_t, tasks, 1'000'000, "tasks in a newly loaded benchmark database");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5),
          "how long each scenario runs per concurrency");
ABSL_FLAG(std::string, concurrency, "1,8,64,256", "calls in flight, comma-separated");
ABSL_FLAG(std::string, out, "", "also write the Markdown here");
ABSL_FLAG(std::string, work_dir, "/tmp", "where port files and server logs go");
ABSL_FLAG(bool, smoke, false,
          "a tiny run of every scenario; exits non-zero unless every figure is sane");
ABSL_FLAG(std::string, server_flags, "",
          "extra flags for rectify-server, comma-separated (e.g. --write_batch=1)");
ABSL_FLAG(std::string, scenarios, "",
          "run only these scenarios of the table, comma-separated (echo, durable-echo, "
          "transitions, get, overdue, bulletin, drilldown, feed); empty: all");
ABSL_FLAG(std::string, server_prefix, "",
          "run rectify-server under this command, comma-separated (e.g. "
          "valgrind,--tool=callgrind: instruction counts are repeatable on a noisy machine)");
ABSL_FLAG(bool, load_only, false, "load --db and stop");
ABSL_FLAG(bool, bulletin_counts, false,
          "time the monthly bulletin's counts on --db through the storage layer (the month "
          "by month rates as one count per month, as before, and as one series count), check "
          "that both agree, and stop");

namespace rectify::bench {
namespace {

namespace v1 = ::rectify::v1;

// ---------------------------------------------------------------------------
// Processes.

struct ProcessSample {
  double cpu_seconds = 0;  // user + system
  int64_t rss_kb = 0;
  int64_t peak_rss_kb = 0;  // VmHWM
};

ProcessSample Sample(pid_t pid) {
  ProcessSample s;
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(stat, line);
  // Fields after the ")" that ends the command name: state is field 3;
  // utime and stime are fields 14 and 15.
  const size_t close = line.rfind(')');
  if (close != std::string::npos) {
    std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
    int64_t utime = 0, stime = 0;
    if (fields.size() > 13 && absl::SimpleAtoi(fields[11], &utime) &&
        absl::SimpleAtoi(fields[12], &stime)) {
      s.cpu_seconds = static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
    }
  }
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  while (std::getline(status, line)) {
    int64_t kb = 0;
    std::vector<std::string> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() < 2 || !absl::SimpleAtoi(parts[1], &kb)) continue;
    if (parts[0] == "VmRSS:") s.rss_kb = kb;
    if (parts[0] == "VmHWM:") s.peak_rss_kb = kb;
  }
  return s;
}

double SelfCpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

class Child {
 public:
  // Starts `argv` with its output in `log`, and waits (up to `timeout`) until
  // it writes its port to `port_file`. The time that took is startup().
  static absl::StatusOr<std::unique_ptr<Child>> Start(std::vector<std::string> argv,
                                                      const std::string& port_file,
                                                      const std::string& log,
                                                      absl::Duration timeout) {
    unlink(port_file.c_str());
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = 0;
    const absl::Time start = absl::Now();
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return absl::FailedPreconditionError(absl::StrCat("cannot start ", argv[0]));
    auto child = std::unique_ptr<Child>(new Child(pid));
    while (absl::Now() - start < timeout) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        child->startup_ = absl::Now() - start;
        child->port_ = port;
        return child;
      }
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        child->pid_ = 0;
        return absl::FailedPreconditionError(
            absl::StrCat(argv[0], " exited before serving; see ", log));
      }
      absl::SleepFor(absl::Milliseconds(2));
    }
    return absl::DeadlineExceededError(absl::StrCat(argv[0], " did not serve in time; see ", log));
  }
  ~Child() {
    if (pid_ == 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  absl::Duration startup() const { return startup_; }

 private:
  explicit Child(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  int port_ = 0;
  absl::Duration startup_;
};

// ---------------------------------------------------------------------------
// Closed-loop runs.

struct Row {
  std::string scenario;
  int concurrency = 0;
  int64_t calls = 0;
  int64_t errors = 0;
  double per_second = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  double server_cpu = 0;  // cores busy on average (1.0 = one core)
  double client_cpu = 0;
  int64_t server_peak_kb = 0;
  double vs_echo = 0;  // filled in when an echo figure exists
  std::string unit = "calls/s";
  std::string note;
  std::string problem;  // what makes the row's figures wrong; the smoke fails on it
};

// Issues one call for client `worker`, calling `done(ok)` when it ends.
using Issue = std::function<void(int worker, std::function<void(bool)> done)>;

class ClosedLoop {
 public:
  ClosedLoop(int concurrency, Issue issue)
      : issue_(std::move(issue)), latencies_(concurrency), errors_(concurrency, 0),
        active_(concurrency) {}

  // Runs for `duration`; fills the figures of `row`.
  void Run(absl::Duration duration, pid_t server, Row& row) {
    const ProcessSample before = Sample(server);
    const double client_before = SelfCpuSeconds();
    const absl::Time start = absl::Now();
    for (int w = 0; w < static_cast<int>(latencies_.size()); ++w) Next(w);
    absl::SleepFor(duration);
    stop_.store(true);
    {
      std::unique_lock<std::mutex> lock(mu_);
      idle_.wait(lock, [this] { return active_ == 0; });
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    const ProcessSample after = Sample(server);
    std::vector<int64_t> all;
    for (const auto& l : latencies_) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    row.concurrency = static_cast<int>(latencies_.size());
    row.calls = static_cast<int64_t>(all.size());
    for (int64_t e : errors_) row.errors += e;
    row.per_second = static_cast<double>(row.calls - row.errors) / seconds;
    auto pct = [&](double p) {
      if (all.empty()) return 0.0;
      size_t i = static_cast<size_t>(p * static_cast<double>(all.size() - 1) + 0.5);
      return static_cast<double>(all[std::min(i, all.size() - 1)]) / 1000.0;
    };
    row.p50_ms = pct(0.50);
    row.p99_ms = pct(0.99);
    row.p999_ms = pct(0.999);
    row.server_cpu = (after.cpu_seconds - before.cpu_seconds) / seconds;
    row.client_cpu = (SelfCpuSeconds() - client_before) / seconds;
    row.server_peak_kb = after.peak_rss_kb;
  }

 private:
  void Next(int w) {
    const absl::Time t0 = absl::Now();
    issue_(w, [this, w, t0](bool ok) {
      latencies_[w].push_back(absl::ToInt64Microseconds(absl::Now() - t0));
      if (!ok) ++errors_[w];
      // A worker whose calls all fail stops early rather than spinning.
      if (!stop_.load() && errors_[w] < 1000) {
        Next(w);
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (--active_ == 0) idle_.notify_all();
    });
  }

  Issue issue_;
  std::vector<std::vector<int64_t>> latencies_;  // microseconds, one vector per worker
  std::vector<int64_t> errors_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable idle_;
  int active_;  // guarded by mu_
};

// The first error message seen, for the report.
class FirstError {
 public:
  void Note(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!message_.empty()) return;
    message_ = absl::StrCat(static_cast<int>(status.error_code()), ": ", status.error_message());
  }
  std::string Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(message_);
  }

 private:
  std::mutex mu_;
  std::string message_;
};

std::unique_ptr<grpc::ClientContext> ContextAs(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

std::shared_ptr<grpc::Channel> Connect(int port) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 << 20);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(), args);
}

// ---------------------------------------------------------------------------
// Scenarios.

struct Context {
  absl::Duration duration;
  std::vector<int> concurrency;
  int64_t tasks = 0;
  pid_t server_pid = 0;
  std::shared_ptr<grpc::Channel> channel;  // to rectify-server
  std::atomic<int64_t> next_id{0};         // for task ids and request ids made here
  std::string run_tag;                     // keeps ids of different runs apart
};

Row EchoRow(const std::string& scenario, int concurrency, const Context& ctx, pid_t echo_pid,
            int echo_port) {
  auto stub = Echo::NewStub(Connect(echo_port));
  struct Slot {
    std::unique_ptr<grpc::ClientContext> ctx;
    EchoRequest req;
    EchoResponse resp;
  };
  std::vector<Slot> slots(concurrency);
  for (Slot& s : slots) s.req.set_payload(std::string(64, 'x'));
  ClosedLoop loop(concurrency, [&](int w, std::function<void(bool)> done) {
    Slot& s = slots[w];
    s.ctx = std::make_unique<grpc::ClientContext>();
    stub->async()->Echo(s.ctx.get(), &s.req, &s.resp,
                        [done](grpc::Status status) { done(status.ok()); });
  });
  Row row;
  row.scenario = scenario;
  loop.Run(ctx.duration, echo_pid, row);
  return row;
}

// Each simulated client takes fresh tasks through their life: create, then
// dispatch, acknowledge, start, submit, verify; six durable commands, each
// with its event and its request id.
Row TransitionsRow(int concurrency, Context& ctx) {
  auto stub = v1::TaskService::NewStub(ctx.channel);
  FirstError first_error;
  struct Client {
    int office = 1;
    int step = 0;
    std::string task_id;
    std::unique_ptr<grpc::ClientContext> call;
    v1::CreateTaskRequest create;
    v1::DispatchTaskRequest dispatch;
    v1::AcknowledgeTaskRequest acknowledge;
    v1::StartTaskRequest start;
    v1::SubmitTaskRequest submit;
    v1::VerifyTaskRequest verify;
    v1::Task task;
    v1::TaskChange change;
  };
  std::vector<Client> clients(concurrency);
  for (int w = 0; w < concurrency; ++w) clients[w].office = w % kStreetOffices + 1;
  ClosedLoop loop(concurrency, [&](int w, std::function<void(bool)> done) {
    Client& c = clients[w];
    const std::string request_id = absl::StrCat(ctx.run_tag, "-", ctx.next_id.fetch_add(1));
    auto finish = [&c, &first_error, done](grpc::Status status) {
      if (status.ok()) {
        c.step = (c.step + 1) % 6;
      } else {
        first_error.Note(status);
        c.step = 0;  // leave this task; start a fresh one
      }
      done(status.ok());
    };
    switch (c.step) {
      case 0: {
        c.call = ContextAs(OfficerToken(c.office));
        c.task_id = absl::StrCat("L-", request_id);
        c.create.set_request_id(request_id);
        v1::Task* t = c.create.mutable_task();
        t->set_id(c.task_id);
        t->set_campaign_id(kCampaign);
        // Community k of this office: k = office + 20 * j.
        t->set_community_id(absl::StrFormat("cm-%03d", c.office + kStreetOffices * (w % 10)));
        t->set_category("sanitation");
        t->set_title("楼道堆物");
        t->set_description("基准测试：3号楼楼道堆放杂物");
        stub->async()->CreateTask(c.call.get(), &c.create, &c.task, finish);
        break;
      }
      case 1:
        c.call = ContextAs(OfficerToken(c.office));
        c.dispatch.set_task_id(c.task_id);
        c.dispatch.set_request_id(request_id);
        c.dispatch.set_responsible_org_id(CompanyId(c.office));
        stub->async()->DispatchTask(c.call.get(), &c.dispatch, &c.change, finish);
        break;
      case 2:
        c.call = ContextAs(WorkerToken(c.office));
        c.acknowledge.set_task_id(c.task_id);
        c.acknowledge.set_request_id(request_id);
        stub->async()->AcknowledgeTask(c.call.get(), &c.acknowledge, &c.change, finish);
        break;
      case 3:
        c.call = ContextAs(WorkerToken(c.office));
        c.start.set_task_id(c.task_id);
        c.start.set_request_id(request_id);
        stub->async()->StartTask(c.call.get(), &c.start, &c.change, finish);
        break;
      case 4: {
        c.call = ContextAs(WorkerToken(c.office));
        c.submit.Clear();
        c.submit.set_task_id(c.task_id);
        c.submit.set_request_id(request_id);
        v1::Evidence* e = c.submit.add_evidence();
        e->set_uri("s3://evidence/after.jpg");
        e->set_sha256(std::string(64, 'e'));
        c.submit.set_actual_fen(42000);
        stub->async()->SubmitTask(c.call.get(), &c.submit, &c.change, finish);
        break;
      }
      default:
        c.call = ContextAs(OfficerToken(c.office));
        c.verify.set_task_id(c.task_id);
        c.verify.set_request_id(request_id);
        c.verify.set_comment("已核查");
        stub->async()->VerifyTask(c.call.get(), &c.verify, &c.change, finish);
        break;
    }
  });
  Row row;
  row.scenario = "durable transitions";
  loop.Run(ctx.duration, ctx.server_pid, row);
  row.note = first_error.Take();
  return row;
}

Row GetTaskRow(int concurrency, Context& ctx) {
  auto stub = v1::TaskService::NewStub(ctx.channel);
  FirstError first_error;
  struct Slot {
    std::unique_ptr<grpc::ClientContext> call;
    v1::GetTaskRequest req;
    v1::Task resp;
    std::mt19937_64 rng;
  };
  std::vector<Slot> slots(concurrency);
  for (int w = 0; w < concurrency; ++w) slots[w].rng.seed(w + 1);
  ClosedLoop loop(concurrency, [&](int w, std::function<void(bool)> done) {
    Slot& s = slots[w];
    s.call = ContextAs(kSupervisorToken);
    s.req.set_id(absl::StrFormat("B-%07d", static_cast<int64_t>(s.rng() % ctx.tasks)));
    stub->async()->GetTask(s.call.get(), &s.req, &s.resp, [&first_error, done](grpc::Status st) {
      if (!st.ok()) first_error.Note(st);
      done(st.ok());
    });
  });
  Row row;
  row.scenario = "get a task";
  loop.Run(ctx.duration, ctx.server_pid, row);
  row.note = first_error.Take();
  return row;
}

// The overdue page a street office looks at: its overdue tasks in the
// campaign, most overdue first, 100 to a page, as its officer.
Row OverduePageRow(int concurrency, Context& ctx) {
  auto stub = v1::TaskService::NewStub(ctx.channel);
  FirstError first_error;
  std::atomic<int64_t> rows{0};
  struct Slot {
    int office = 1;
    std::unique_ptr<grpc::ClientContext> call;
    v1::ListTasksRequest req;
    v1::ListTasksResponse resp;
  };
  std::vector<Slot> slots(concurrency);
  for (int w = 0; w < concurrency; ++w) slots[w].office = w % kStreetOffices + 1;
  ClosedLoop loop(concurrency, [&](int w, std::function<void(bool)> done) {
    Slot& s = slots[w];
    s.office = s.office % kStreetOffices + 1;
    s.call = ContextAs(OfficerToken(s.office));
    s.req.set_campaign_id(kCampaign);
    s.req.set_street_office_id(OfficeId(s.office));
    s.req.set_overdue(true);
    s.req.set_order_by("deadline");
    s.req.set_page_size(100);
    stub->async()->ListTasks(s.call.get(), &s.req, &s.resp,
                             [&s, &rows, &first_error, done](grpc::Status st) {
                               if (!st.ok()) first_error.Note(st);
                               rows += s.resp.tasks_size();
                               done(st.ok());
                             });
  });
  Row row;
  row.scenario = "overdue page (100 rows)";
  loop.Run(ctx.duration, ctx.server_pid, row);
  row.note = first_error.Take();
  if (row.note.empty() && row.calls > 0) {
    row.note = absl::StrFormat("%.0f rows per page", static_cast<double>(rows) / row.calls);
  }
  return row;
}

// Server CPU per call, from the row's figures: steadier than latency when
// other work shares the cores.
double CpuMsPerCall(const Row& row) {
  return row.per_second > 0 ? row.server_cpu * 1000 / row.per_second : 0;
}

// The month a report asks for: the one holding most of the loaded tasks'
// dispatch times (bench_city.cc dispatches them 30 to 5 days before the load),
// in the campaign's zone (Asia/Shanghai, UTC+8 all year).
std::string ReportMonth() {
  const absl::CivilDay day =
      absl::ToCivilDay(absl::Now() - absl::Hours(24 * 15), absl::FixedTimeZone(8 * 3600));
  return absl::FormatCivilTime(absl::CivilMonth(day));
}

// The monthly bulletin of that month, as the supervisor: every unit kind's
// figures, the rankings, budget, penalties, red and black lists, and the rates
// month by month since the campaign began.
Row MonthlyBulletinRow(int concurrency, Context& ctx) {
  auto stub = v1::ReportService::NewStub(ctx.channel);
  FirstError first_error;
  std::atomic<int64_t> dispatched{0};
  std::atomic<int> trend_months{0};
  struct Slot {
    std::unique_ptr<grpc::ClientContext> call;
    v1::GetMonthlyBulletinRequest req;
    v1::MonthlyBulletin resp;
  };
  std::vector<Slot> slots(concurrency);
  const std::string month = ReportMonth();
  ClosedLoop loop(concurrency, [&](int w, std::function<void(bool)> done) {
    Slot& s = slots[w];
    s.call = ContextAs(kSupervisorToken);
    s.req.set_campaign_id(kCampaign);
    s.req.set_month(month);
    stub->async()->GetMonthlyBulletin(
        s.call.get(), &s.req, &s.resp,
        [&s, &first_error, &dispatched, &trend_months, done](grpc::Status st) {
          if (!st.ok()) {
            first_error.Note(st);
          } else if (s.resp.city().units_size() > 0 &&
                     s.resp.city().units(0).figures_size() > 0) {
            dispatched = s.resp.city().units(0).figures(0).denominator();  // disposal: D
            trend_months = s.resp.trend_size();
          }
          done(st.ok());
        });
  });
  Row row;
  row.scenario = "monthly bulletin";
  loop.Run(ctx.duration, ctx.server_pid, row);
  row.note = first_error.Take();
  if (row.note.empty()) {
    row.note = absl::StrFormat(
        "%s: %d tasks dispatched in the month; %d months of rates; server CPU %.0f ms a call",
        month, dispatched.load(), trend_months.load(), CpuMsPerCall(row));
  }
  return row;
}

// A street office's officer opens the office's figures for the month
// (GetMetrics, its communities) and then the tasks behind one of them
// (DrillDown of the office's overdue-pending numerator, first page of 50):
// one call here is that pair, one after the other.
Row DrillDownRow(int concurrency, Context& ctx) {
  auto stub = v1::ReportService::NewStub(ctx.channel);
  FirstError first_error;
  std::atomic<int64_t> rows{0};
  struct Slot {
    int office = 1;
    std::unique_ptr<grpc::ClientContext> call;
    v1::GetMetricsRequest metrics;
    v1::MetricsReport report;
    v1::DrillDownRequest drill;
    v1::DrillDownResponse page;
  };
  std::vector<Slot> slots(concurrency);
  for (int w = 0; w < concurrency; ++w) slots[w].office = w % kStreetOffices + 1;
  const std::string month = ReportMonth();
  ClosedLoop loop(concurrency, [&](int w, std::function<void(bool)> done) {
    Slot& s = slots[w];
    s.office = s.office % kStreetOffices + 1;
    s.call = ContextAs(OfficerToken(s.office));
    s.metrics.set_campaign_id(kCampaign);
    s.metrics.set_unit(v1::REPORT_UNIT_COMMUNITY);
    s.metrics.mutable_period()->set_month(month);
    s.metrics.set_street_office_id(OfficeId(s.office));
    stub->async()->GetMetrics(
        s.call.get(), &s.metrics, &s.report,
        [&s, &stub, &rows, &first_error, month, done](grpc::Status st) {
          if (!st.ok()) {
            first_error.Note(st);
            done(false);
            return;
          }
          s.call = ContextAs(OfficerToken(s.office));
          s.drill.set_campaign_id(kCampaign);
          s.drill.set_unit(v1::REPORT_UNIT_STREET_OFFICE);
          s.drill.set_unit_id(OfficeId(s.office));
          s.drill.mutable_period()->set_month(month);
          s.drill.set_metric("overdue_pending");
          s.drill.set_page_size(50);
          stub->async()->DrillDown(s.call.get(), &s.drill, &s.page,
                                   [&s, &rows, &first_error, done](grpc::Status st2) {
                                     if (!st2.ok()) first_error.Note(st2);
                                     rows += s.page.tasks_size();
                                     done(st2.ok());
                                   });
        });
  });
  Row row;
  row.scenario = "metrics drill-down (GetMetrics + DrillDown)";
  loop.Run(ctx.duration, ctx.server_pid, row);
  row.note = first_error.Take();
  if (row.note.empty() && row.calls > 0) {
    row.note = absl::StrFormat("%s, %.0f tasks on the first page; server CPU %.0f ms a call",
                               month, static_cast<double>(rows) / row.calls, CpuMsPerCall(row));
  }
  return row;
}

// One subscriber reads the feed from the start (the loaded tasks' events and
// what the writers add) while durable transitions go on at concurrency 8.
Row EventFeedRow(Context& ctx) {
  auto stub = v1::EventService::NewStub(ctx.channel);
  std::atomic<int64_t> received{0};
  std::atomic<bool> stop{false};
  grpc::ClientContext call;
  call.AddMetadata("authorization", absl::StrCat("Bearer ", kSupervisorToken));
  std::string error;
  const absl::Time start = absl::Now();
  std::thread reader([&] {
    v1::SubscribeRequest req;
    req.set_follow(true);
    std::unique_ptr<grpc::ClientReader<v1::Event>> stream = stub->Subscribe(&call, req);
    v1::Event event;
    while (stream->Read(&event)) {
      received.fetch_add(1, std::memory_order_relaxed);
      if (stop.load(std::memory_order_relaxed)) break;
    }
    call.TryCancel();
    grpc::Status status = stream->Finish();
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      error = status.error_message();
    }
  });
  Row writers = TransitionsRow(8, ctx);
  const int64_t got = received.load();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  stop.store(true);
  call.TryCancel();
  reader.join();
  Row row;
  row.scenario = "event feed, one subscriber";
  row.concurrency = 1;
  row.unit = "events/s";
  row.calls = got;
  row.per_second = static_cast<double>(got) / seconds;
  row.server_cpu = writers.server_cpu;
  row.client_cpu = writers.client_cpu;
  row.server_peak_kb = writers.server_peak_kb;
  row.note = error.empty()
                 ? absl::StrFormat("while 8 writers made %.0f transitions/s", writers.per_second)
                 : error;
  return row;
}

// The scenario table. A scenario runs at each concurrency unless `once`, up
// to `max_concurrency` (0: every one asked for; a call of ~1 s at 256 in
// flight would take minutes to drain). Add a scenario here; `run` is empty
// for one not built yet.
struct Scenario {
  const char* name;
  bool once;
  std::function<Row(int concurrency, Context& ctx)> run;
  const char* missing;  // why `run` is empty
  int max_concurrency = 0;
};

std::vector<Scenario> Scenarios() {
  return {
      {"transitions", false, TransitionsRow, ""},
      {"get", false, GetTaskRow, ""},
      {"overdue", false, OverduePageRow, ""},
      // Issue 5, at 1,000,000 tasks over 200 communities and 20 street offices.
      {"bulletin", false, MonthlyBulletinRow, "", 8},
      {"drilldown", false, DrillDownRow, "", 64},
      {"feed", true, [](int, Context& ctx) { return EventFeedRow(ctx); }, ""},
  };
}

// ---------------------------------------------------------------------------
// The report.

std::string Markdown(const std::vector<Row>& rows) {
  std::string out =
      "| scenario | in flight | throughput | vs echo | p50 ms | p99 ms | p99.9 ms | errors | "
      "server CPU | client CPU | server peak RSS | note |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const Row& r : rows) {
    const bool calls = r.unit == "calls/s";
    auto ms = [calls](double v) { return calls ? absl::StrFormat("%.3f", v) : std::string(); };
    absl::StrAppendFormat(
        &out, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.scenario,
        r.concurrency > 0 ? absl::StrCat(r.concurrency) : "",
        r.unit.empty() ? "not built" : absl::StrFormat("%.0f %s", r.per_second, r.unit),
        r.vs_echo > 0 ? absl::StrFormat("%.0f%%", r.vs_echo * 100) : "", ms(r.p50_ms),
        ms(r.p99_ms), ms(r.p999_ms), calls ? absl::StrCat(r.errors) : "",
        r.server_cpu > 0 ? absl::StrFormat("%.2f", r.server_cpu) : "",
        r.client_cpu > 0 ? absl::StrFormat("%.2f", r.client_cpu) : "",
        r.server_peak_kb > 0 ? absl::StrFormat("%.0f MB", r.server_peak_kb / 1024.0) : "", r.note);
  }
  return out;
}

std::string MachineSection() {
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname u;
  uname(&u);
  return absl::StrFormat(
      "- machine: %s, %d cores online (client and servers share them), Linux %s\n"
      "- compiler: g++ %s; gRPC %s; protobuf %d\n",
      cpu, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)), u.release, __VERSION__,
      grpc::Version(), GOOGLE_PROTOBUF_VERSION);
}

// Sanity for --smoke: something ran, and the percentiles are in order.
std::vector<std::string> Check(const std::vector<Row>& rows) {
  std::vector<std::string> problems;
  for (const Row& r : rows) {
    if (!r.note.empty() && r.note.find("add after the merge") != std::string::npos) continue;
    const std::string who = absl::StrCat(r.scenario, " at ", r.concurrency);
    if (!r.problem.empty()) problems.push_back(absl::StrCat(who, ": ", r.problem));
    if (r.per_second <= 0) problems.push_back(absl::StrCat(who, ": no throughput"));
    if (r.unit == "calls/s") {
      if (r.errors > 0) problems.push_back(absl::StrCat(who, ": ", r.errors, " errors: ", r.note));
      if (!(r.p50_ms > 0 && r.p50_ms <= r.p99_ms && r.p99_ms <= r.p999_ms)) {
        problems.push_back(absl::StrCat(who, ": percentiles out of order"));
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The bulletin's counts, through the storage layer alone (BENCHMARKS.md,
// finding 8): no gRPC, no server, so that a noisy machine disturbs them less.

storage::MetricScope MonthScope(absl::CivilMonth m, absl::TimeZone tz, absl::Time now) {
  storage::MetricScope s;
  s.from = absl::FromCivil(absl::CivilDay(m), tz);
  s.to = absl::FromCivil(absl::CivilDay(m + 1), tz);
  s.as_of = std::min(now, s.to);
  s.suspended_leave_denominator = true;
  s.timely_ack = absl::Hours(24);
  return s;
}

int BulletinCounts(const std::string& db) {
  storage::SqliteOptions options;
  options.path = db;
  absl::StatusOr<std::unique_ptr<storage::Store>> store = storage::OpenSqliteStore(options);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  const absl::TimeZone tz = absl::FixedTimeZone(8 * 3600);  // the campaign's Asia/Shanghai
  const absl::Time now = absl::Now();
  const absl::CivilMonth this_month(absl::ToCivilDay(now, tz));
  absl::StatusOr<domain::Campaign> campaign = storage::ReadAndReturn<domain::Campaign>(
      **store, [](storage::ReadTx& tx) { return tx.GetCampaign(kCampaign); });
  if (!campaign.ok()) {
    std::cerr << campaign.status() << "\n";
    return 1;
  }
  std::vector<storage::MetricScope> earlier;
  for (absl::CivilMonth m(campaign->self_check_start); m < this_month; ++m) {
    earlier.push_back(MonthScope(m, tz, now));
  }
  const storage::MetricScope month = MonthScope(this_month, tz, now);
  storage::TaskFilter filter;
  filter.campaign_id = kCampaign;

  std::vector<domain::MetricFigures> by_month, series;
  domain::MetricFigures cells_sum;
  // Best of 3, wall and CPU (this process is single-threaded here): on a busy
  // machine the CPU time is the steadier figure.
  auto time = [](const std::function<absl::Status()>& fn, double* best) {
    *best = 1e18;
    double best_cpu = 1e18;
    for (int i = 0; i < 3; ++i) {
      const absl::Time start = absl::Now();
      const double cpu_start = SelfCpuSeconds();
      absl::Status st = fn();
      if (!st.ok()) return st;
      *best = std::min(*best, absl::ToDoubleMilliseconds(absl::Now() - start));
      best_cpu = std::min(best_cpu, (SelfCpuSeconds() - cpu_start) * 1000);
    }
    std::cout << absl::StrFormat("  (%.1f ms wall, %.1f ms CPU)\n", *best, best_cpu);
    return absl::OkStatus();
  };
  double before_ms = 0, series_ms = 0, cells_ms = 0;
  absl::Status st = time(
      [&] {
        return (*store)->Read([&](storage::ReadTx& tx) -> absl::Status {
          by_month.clear();
          std::vector<storage::MetricScope> all = earlier;
          all.push_back(month);
          for (const storage::MetricScope& m : all) {
            absl::StatusOr<std::vector<storage::UnitMetricCounts>> c =
                tx.CountMetrics(filter, storage::MetricUnit::kCity, m);
            if (!c.ok()) return c.status();
            by_month.push_back(c->empty() ? domain::MetricFigures() : c->front().figures);
          }
          return absl::OkStatus();
        });
      },
      &before_ms);
  if (st.ok() && !earlier.empty()) {
    st = time(
        [&] {
          return (*store)->Read([&](storage::ReadTx& tx) -> absl::Status {
            absl::StatusOr<std::vector<domain::MetricFigures>> s =
                tx.CountMetricSeries(filter, earlier);
            if (!s.ok()) return s.status();
            series = *std::move(s);
            return absl::OkStatus();
          });
        },
        &series_ms);
  }
  if (st.ok()) {
    st = time(
        [&] {
          return (*store)->Read([&](storage::ReadTx& tx) -> absl::Status {
            absl::StatusOr<std::vector<storage::UnitMetricCounts>> c =
                tx.CountMetrics(filter, storage::MetricUnit::kCell, month);
            if (!c.ok()) return c.status();
            cells_sum.clear();
            for (const storage::UnitMetricCounts& cell : *c) {
              domain::AddFigures(cells_sum, cell.figures);
            }
            return absl::OkStatus();
          });
        },
        &cells_ms);
  }
  double budget_ms = 0;
  if (st.ok()) {
    st = time(
        [&] {
          return (*store)->Read([&](storage::ReadTx& tx) -> absl::Status {
            return tx.SumBudgetByPayer(filter).status();
          });
        },
        &budget_ms);
  }
  if (!st.ok()) {
    std::cerr << st << "\n";
    return 1;
  }
  series.push_back(cells_sum);  // the month itself: the sum of its cells
  const bool same = series == by_month;
  const auto disposal = cells_sum.find(domain::Metric::kDisposal);
  const int64_t dispatched = disposal == cells_sum.end() ? 0 : disposal->second.denominator;
  std::cout << absl::StrFormat(
      "bulletin counts on %s, %d earlier months + %s (%d tasks dispatched in it), best of 3:\n"
      "  before: one count per month (%d counts)      %9.1f ms\n"
      "  after:  one series count of earlier months   %9.1f ms\n"
      "  both:   the month's cells (every unit kind)  %9.1f ms\n"
      "  both:   the campaign's budget by payer       %9.1f ms\n"
      "  bulletin's reads: one count per month %.1f ms, one series %.1f ms; figures %s\n",
      db, earlier.size(), absl::FormatCivilTime(this_month),
      dispatched, by_month.size(), before_ms, series_ms, cells_ms,
      budget_ms, before_ms + cells_ms + budget_ms, series_ms + cells_ms + budget_ms, same ? "identical" : "DIFFER");
  return same ? 0 : 1;
}

int Main() {
  Context ctx;
  ctx.duration = absl::GetFlag(FLAGS_duration);
  for (absl::string_view c : absl::StrSplit(absl::GetFlag(FLAGS_concurrency), ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(c, &n) || n < 1 || n > 4096) {
      std::cerr << "--concurrency: '" << c << "' is not a number of calls in flight (1..4096)\n";
      return 2;
    }
    ctx.concurrency.push_back(n);
  }
  ctx.tasks = absl::GetFlag(FLAGS_tasks);
  ctx.run_tag = absl::StrCat(absl::ToUnixSeconds(absl::Now()), "-", getpid());
  const std::string db = absl::GetFlag(FLAGS_db);
  const std::string work = absl::GetFlag(FLAGS_work_dir);
  if (db.empty()) {
    std::cerr << "--db is required: the benchmark database (loaded if missing)\n";
    return 2;
  }

  std::string report = "## Machine and versions\n\n" + MachineSection();
  if (absl::GetFlag(FLAGS_smoke)) {  // always a fresh, tiny database
    for (const char* suffix : {"", "-wal", "-shm", ".admin-token"}) unlink((db + suffix).c_str());
  }
  struct stat st;
  if (stat(db.c_str(), &st) != 0) {
    std::cerr << "loading " << ctx.tasks << " tasks into " << db << " ...\n";
    absl::StatusOr<BenchLoadStats> load = LoadBenchCity(db, ctx.tasks, absl::Now());
    if (!load.ok()) {
      std::cerr << "load failed: " << load.status() << "\n";
      return 1;
    }
    report += absl::StrFormat("- loader: %d tasks and %d events in %.1f s (%.0f tasks/s)\n",
                              load->tasks, load->events, absl::ToDoubleSeconds(load->took),
                              load->tasks / absl::ToDoubleSeconds(load->took));
  } else {
    // The task count of an existing file is what --tasks says.
    report += absl::StrFormat("- database: %s, loaded before (%d tasks)\n", db, ctx.tasks);
  }
  if (absl::GetFlag(FLAGS_load_only)) {
    std::cout << report;
    return 0;
  }
  if (absl::GetFlag(FLAGS_bulletin_counts)) return BulletinCounts(db);

  std::vector<Row> rows;
  // The ceiling, then the floors of a durable write (bench/echo_server.cc):
  // echo that answers only once the payload is on disk, in a plain file and
  // as a SQLite row. Each is a ratio of the plain echo, as rectify's rows are.
  std::vector<double> echo(ctx.concurrency.size(), 0);
  const std::vector<std::string> only =
      absl::StrSplit(absl::GetFlag(FLAGS_scenarios), ',', absl::SkipEmpty());
  auto wanted = [&only](absl::string_view name) {
    return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
  };
  struct EchoKind {
    const char* name;     // in --scenarios
    const char* row;      // in the table
    const char* durable;  // bench-echo-server --durable
  };
  for (const EchoKind& kind :
       {EchoKind{"echo", "echo (ceiling)", ""},
        EchoKind{"durable-echo", "durable echo: file append + fdatasync", "file"},
        EchoKind{"durable-echo", "durable echo: one SQLite row, WAL, synchronous=FULL",
                 "sqlite"}}) {
    if (!wanted(kind.name)) continue;
    const std::string port_file = absl::StrCat(work, "/bench-echo.port");
    const std::string durable_path = absl::StrCat(work, "/bench-durable-echo.", kind.durable);
    std::vector<std::string> argv = {absl::GetFlag(FLAGS_echo_server), "--listen=127.0.0.1:0",
                                     absl::StrCat("--port_file=", port_file)};
    if (*kind.durable != '\0') {
      argv.push_back(absl::StrCat("--durable=", kind.durable));
      argv.push_back(absl::StrCat("--durable_path=", durable_path));
    }
    absl::StatusOr<std::unique_ptr<Child>> echo_server =
        Child::Start(argv, port_file, work + "/bench-echo.log", absl::Seconds(10));
    if (!echo_server.ok()) {
      std::cerr << echo_server.status() << "\n";
      return 1;
    }
    for (size_t i = 0; i < ctx.concurrency.size(); ++i) {
      Row row = EchoRow(kind.row, ctx.concurrency[i], ctx, (*echo_server)->pid(),
                        (*echo_server)->port());
      if (*kind.durable == '\0') {
        echo[i] = row.per_second;
      } else if (echo[i] > 0) {
        row.vs_echo = row.per_second / echo[i];
      }
      std::cerr << row.scenario << " @" << row.concurrency << ": " << row.per_second << "/s\n";
      rows.push_back(std::move(row));
    }
    if (*kind.durable == '\0') continue;
    // Every call a durable server answered must be on disk once it has stopped.
    int64_t answered = 0;
    for (size_t i = rows.size() - ctx.concurrency.size(); i < rows.size(); ++i) {
      answered += rows[i].calls - rows[i].errors;
    }
    echo_server->reset();
    absl::StatusOr<int64_t> on_disk = CountDurablePayloads(kind.durable, durable_path);
    Row& last = rows.back();
    if (!on_disk.ok()) {
      last.problem = std::string(on_disk.status().message());
    } else {
      last.note = absl::StrFormat("%d calls answered in all, %d payloads on disk once stopped",
                                  answered, *on_disk);
      if (*on_disk != answered) last.problem = last.note;
    }
  }

  // The scheduler is off: the loaded tasks have no escalation records, so its
  // first pass would escalate every overdue task at once while we measure.
  // The per-person rate limit is off: a few bench people make every call.
  std::vector<std::string> server_argv = {
      absl::GetFlag(FLAGS_server), absl::StrCat("--db=", db), "--listen=127.0.0.1:0",
      absl::StrCat("--port_file=", work, "/bench-server.port"),
      absl::StrCat("--data_dir=", absl::GetFlag(FLAGS_data_dir)), "--scheduler_period=0",
      "--rate_limit=0"};
  for (absl::string_view f : absl::StrSplit(absl::GetFlag(FLAGS_server_flags), ',',
                                            absl::SkipEmpty())) {
    server_argv.emplace_back(f);
  }
  std::vector<std::string> prefix =
      absl::StrSplit(absl::GetFlag(FLAGS_server_prefix), ',', absl::SkipEmpty());
  if (!prefix.empty()) server_argv.insert(server_argv.begin(), prefix.begin(), prefix.end());
  const auto flags_begin = server_argv.begin() + 1 + static_cast<std::ptrdiff_t>(prefix.size());
  report += absl::StrCat("- rectify-server flags: ",
                         absl::StrJoin(flags_begin, server_argv.end(), " "), "\n");
  auto start_server = [&] {
    return Child::Start(server_argv, work + "/bench-server.port", work + "/bench-server.log",
                        absl::Minutes(5));
  };
  // The first start may migrate the file (once per schema version); the
  // second is what a restart costs.
  absl::StatusOr<std::unique_ptr<Child>> server = start_server();
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  const absl::Duration first_start = (*server)->startup();
  server->reset();
  server = start_server();
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  ctx.server_pid = (*server)->pid();
  ctx.channel = Connect((*server)->port());
  const ProcessSample at_start = Sample(ctx.server_pid);
  {
    Row row;
    row.scenario = absl::StrFormat("start-up with %d tasks on disk", ctx.tasks);
    row.unit = "ms to serve";
    row.per_second = absl::ToDoubleMilliseconds((*server)->startup());
    row.server_peak_kb = at_start.peak_rss_kb;
    row.note = absl::StrFormat("resident %.0f MB once serving; the first start took %.0f ms",
                               at_start.rss_kb / 1024.0, absl::ToDoubleMilliseconds(first_start));
    rows.push_back(row);
  }

  for (const Scenario& scenario : Scenarios()) {
    if (!wanted(scenario.name)) continue;
    if (!scenario.run) {
      Row row;
      row.scenario = scenario.name;
      row.unit = "";
      row.note = scenario.missing;
      rows.push_back(row);
      continue;
    }
    for (size_t i = 0; i < ctx.concurrency.size(); ++i) {
      if (scenario.max_concurrency > 0 && ctx.concurrency[i] > scenario.max_concurrency) continue;
      Row row = scenario.run(ctx.concurrency[i], ctx);
      if (row.unit == "calls/s" && row.concurrency == ctx.concurrency[i] && echo[i] > 0) {
        row.vs_echo = row.per_second / echo[i];
      }
      std::cerr << row.scenario << " @" << row.concurrency << ": " << row.per_second << " "
                << row.unit << " (" << row.calls << " calls) " << row.note << "\n";
      rows.push_back(row);
      if (scenario.once) break;
    }
  }
  const ProcessSample at_end = Sample(ctx.server_pid);
  {
    Row row;
    row.scenario = "server resident memory";
    row.unit = "MB now";
    row.per_second = at_end.rss_kb / 1024.0;
    row.server_peak_kb = at_end.peak_rss_kb;
    row.note = "after every scenario; peak is VmHWM";
    rows.push_back(row);
  }
  server->reset();  // stops the server

  report += absl::StrFormat(
      "- method: closed loop, gRPC callback API on raw stubs over loopback, one call in flight "
      "per simulated client; %s per scenario and concurrency; CPU is cores busy on average "
      "(from /proc); latency is per call, end to end\n\n## Results\n\n",
      absl::FormatDuration(ctx.duration));
  report += Markdown(rows);
  std::cout << report;
  if (const std::string out = absl::GetFlag(FLAGS_out); !out.empty()) {
    std::ofstream(out) << report;
  }
  if (absl::GetFlag(FLAGS_smoke)) {
    std::vector<std::string> problems = Check(rows);
    for (const std::string& p : problems) std::cerr << "smoke: " << p << "\n";
    if (!problems.empty()) return 1;
    std::cerr << "smoke: every figure is sane\n";
  }
  return 0;
}

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return rectify::bench::Main();
}
