// rectify-soak: N concurrent clients drive the real server through the client
// library for a set time, each looping create → dispatch → urge → get → list
// → void on its own tasks. Prints throughput and errors by code.
//
//   rectify-soak --addr 127.0.0.1:7443 --token_file var/x.db.admin-token
//       --clients 64 --seconds 600 [--seed_city] [--allow RESOURCE_EXHAUSTED]
//
// Exit status 0 when every call succeeded (or failed only with the --allow'ed
// code); 1 otherwise; 2 for usage. Not a benchmark: bench/ measures speed.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/client.h"
#include "tests/reliability/reliability_city.h"

namespace rectify::test {
namespace {

struct Flags {
  std::string addr = "127.0.0.1:7443", token_file, allow;
  int clients = 64;
  int seconds = 60;
  bool seed_city = false;
};

struct Totals {
  std::atomic<int64_t> ok{0};
  std::mutex mu;
  std::map<std::string, int64_t> errors;  // guarded by mu
  std::string first_error;                // guarded by mu
};

void Count(Totals& totals, const absl::Status& s) {
  if (s.ok()) {
    ++totals.ok;
    return;
  }
  std::lock_guard<std::mutex> lock(totals.mu);
  ++totals.errors[absl::StatusCodeToString(s.code())];
  if (totals.first_error.empty()) totals.first_error = s.ToString();
}

void Client(const Flags& flags, const std::string& token, int id, Totals& totals,
            std::atomic<bool>& stop) {
  client::ClientOptions options;
  options.address = flags.addr;
  options.token = token;
  options.timeout = absl::Seconds(30);
  options.max_attempts = 1;  // every failure is counted, none hidden by a retry
  auto created = client::Client::Create(options);
  if (!created.ok()) {
    Count(totals, created.status());
    return;
  }
  client::Client& c = **created;
  for (int n = 0; !stop.load(); ++n) {
    v1::CreateTaskRequest create;
    create.mutable_task()->set_campaign_id("c1");
    create.mutable_task()->set_community_id("cm-1");
    create.mutable_task()->set_category("sanitation");
    create.mutable_task()->set_title(absl::StrCat("soak ", id, " ", n));
    create.mutable_task()->set_description("3号楼东侧垃圾箱满溢，需清运");
    create.mutable_task()->mutable_budget()->set_planned_fen(12050);
    auto task = c.CreateTask(create);
    Count(totals, task.status());
    if (!task.ok()) continue;
    // Each step needs the one before: stop this round at the first refusal.
    const std::string task_id = task->id();
    auto step = [&](const absl::Status& s) {
      Count(totals, s);
      return s.ok();
    };
    v1::DispatchTaskRequest dispatch;
    dispatch.set_task_id(task_id);
    dispatch.set_responsible_org_id("pc-1");
    if (!step(c.DispatchTask(dispatch).status())) continue;
    v1::UrgeTaskRequest urge;
    urge.set_task_id(task_id);
    urge.set_opinion("请尽快整改");
    if (!step(c.UrgeTask(urge).status())) continue;
    v1::GetTaskRequest get;
    get.set_id(task_id);
    if (!step(c.GetTask(get).status())) continue;
    v1::ListTasksRequest list;
    list.set_page_size(20);
    list.set_order_by("create_time desc");
    if (!step(c.ListTasks(list).status())) continue;
    v1::VoidTaskRequest void_task;
    void_task.set_task_id(task_id);
    void_task.set_reason("soak");
    step(c.VoidTask(void_task).status());
  }
}

int Run(const Flags& flags) {
  std::string token;
  std::ifstream(flags.token_file) >> token;
  if (token.empty()) {
    std::fprintf(stderr, "rectify-soak: no token in '%s'\n", flags.token_file.c_str());
    return 2;
  }
  if (flags.seed_city) {
    client::ClientOptions options;
    options.address = flags.addr;
    options.token = token;
    auto admin = client::Client::Create(options);
    if (!admin.ok() || !SeedReliabilityCity(**admin)) return 2;
  }
  Totals totals;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < flags.clients; ++i) {
    threads.emplace_back(Client, std::cref(flags), token, i, std::ref(totals), std::ref(stop));
  }
  int64_t last_ok = 0;
  for (int s = 1; s <= flags.seconds; ++s) {
    std::this_thread::sleep_for(start + std::chrono::seconds(s) - std::chrono::steady_clock::now());
    if (s % 30 == 0 || s == flags.seconds) {
      const int64_t ok = totals.ok.load();
      std::printf("soak: %4d s  %8lld calls ok  (%lld/s)\n", s, static_cast<long long>(ok),
                  static_cast<long long>((ok - last_ok) / (s % 30 == 0 ? 30 : s % 30)));
      std::fflush(stdout);
      last_ok = ok;
    }
  }
  stop = true;
  for (std::thread& t : threads) t.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t errors = 0, disallowed = 0;
  std::string by_code;
  for (const auto& [code, count] : totals.errors) {
    errors += count;
    if (code != flags.allow) disallowed += count;
    absl::StrAppend(&by_code, " ", code, "=", count);
  }
  std::printf("soak: %d clients, %.0f s, %lld calls ok (%.0f/s), %lld errors%s\n", flags.clients,
              secs, static_cast<long long>(totals.ok.load()), totals.ok.load() / secs,
              static_cast<long long>(errors), by_code.c_str());
  if (!totals.first_error.empty()) std::printf("soak: first error: %s\n", totals.first_error.c_str());
  return disallowed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rectify::test

int main(int argc, char** argv) {
  rectify::test::Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    bool ok = true;
    if (arg == "--seed_city") {
      flags.seed_city = true;
      continue;
    }
    if (i + 1 >= argc) ok = false;
    else if (arg == "--addr") flags.addr = argv[++i];
    else if (arg == "--token_file") flags.token_file = argv[++i];
    else if (arg == "--allow") flags.allow = argv[++i];
    else if (arg == "--clients") ok = absl::SimpleAtoi(argv[++i], &flags.clients);
    else if (arg == "--seconds") ok = absl::SimpleAtoi(argv[++i], &flags.seconds);
    else ok = false;
    if (!ok || flags.clients < 1 || flags.seconds < 1) {
      std::fprintf(stderr,
                   "usage: rectify-soak --addr HOST:PORT --token_file FILE [--clients N] "
                   "[--seconds S] [--seed_city] [--allow CODE]\n");
      return 2;
    }
  }
  return rectify::test::Run(flags);
}
