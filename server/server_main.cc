// rectify-server: the one place that wires a concrete store, the city's data
// files, the clock and the gRPC server together.
#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <sys/stat.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "domain/calendar.h"
#include "domain/escalation.h"
#include "domain/metrics.h"
#include "domain/service_level.h"
#include "server/bootstrap.h"
#include "server/clock.h"
#include "server/server.h"
#include "storage/sqlite_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7443",
          "host:port to serve on; loopback by default (port 0 picks a free port)");
ABSL_FLAG(std::string, db, "var/rectify.db", "SQLite database file (created if missing)");
ABSL_FLAG(std::string, time_zone, "Asia/Shanghai",
          "IANA time zone given to campaigns created without one");
ABSL_FLAG(std::string, data_dir, "data",
          "folder with calendars/*.cal, service_levels.txt, escalation.txt, assessment/*.txt and "
          "standards/*.std");
ABSL_FLAG(bool, demo, false, "load the demo city (once) and print its logins");
ABSL_FLAG(std::string, admin_token_file, "",
          "where the first start writes the bootstrap admin token (default: <db>.admin-token)");
ABSL_FLAG(std::string, port_file, "",
          "if set, write the bound port here once serving (for scripts and tests)");
ABSL_FLAG(absl::Duration, scheduler_period, absl::Minutes(1),
          "how often the scheduler moves campaigns along their dates (0: never)");
ABSL_FLAG(std::string, tls_cert, "", "PEM server certificate (chain); with --tls_key: serve TLS only");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA; when set, clients must present a certificate it signed (mutual TLS)");
ABSL_FLAG(double, rate_limit, 50, "calls a second each person may make on average (0: no limit)");
ABSL_FLAG(int32_t, rate_burst, 200, "calls each person may make at once before --rate_limit applies");
ABSL_FLAG(int32_t, max_message_bytes, 4 << 20, "largest request or reply, in bytes");
ABSL_FLAG(int32_t, max_concurrent_streams, 100, "calls at once on one connection");
ABSL_FLAG(int32_t, max_threads, 0,
          "threads serving calls of the synchronous services (all but the task service), all "
          "connections together (0: gRPC's)");
ABSL_FLAG(int32_t, max_pollers, 64,
          "idle threads kept waiting for calls of the synchronous services (all but the task "
          "service); beyond this, a thread ends when its call is done");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Hours(2), "ping a quiet client this often");
ABSL_FLAG(absl::Duration, keepalive_timeout, absl::Seconds(20),
          "drop a client that does not answer a ping within this");
ABSL_FLAG(absl::Duration, min_client_ping_interval, absl::Minutes(1),
          "clients pinging more often than this are disconnected");
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(30),
          "close connections idle this long (0: never)");
ABSL_FLAG(absl::Duration, max_connection_age, absl::ZeroDuration(),
          "close connections this old, gracefully (0: never)");
ABSL_FLAG(int, write_batch, 256,
          "most concurrent writes committed together in one transaction (group commit), "
          "1..256; 1 commits each write on its own");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5),
          "on SIGTERM/SIGINT, how long calls in flight may finish");
ABSL_FLAG(int, max_inflight, 512,
          "calls in flight beyond this are refused at once with RESOURCE_EXHAUSTED (0: no cap)");

namespace rectify::server {
namespace {

absl::Status WriteSecretFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  out << content << "\n";
  out.close();
  chmod(path.c_str(), S_IRUSR | S_IWUSR);
  return absl::OkStatus();
}

absl::StatusOr<Rules> LoadRules(const std::string& data_dir) {
  Rules rules;
  auto calendar = domain::WorkCalendar::LoadDirectory(data_dir + "/calendars");
  if (!calendar.ok()) return calendar.status();
  rules.calendar = *std::move(calendar);
  auto levels = domain::ServiceLevelTable::LoadFile(data_dir + "/service_levels.txt");
  if (!levels.ok()) return levels.status();
  rules.service_levels = *std::move(levels);
  auto standards = StandardRegistry::LoadDirectory(data_dir + "/standards");
  if (!standards.ok()) return standards.status();
  rules.standards = *std::move(standards);
  auto escalation = domain::EscalationPolicy::LoadFile(data_dir + "/escalation.txt");
  if (!escalation.ok()) return escalation.status();
  rules.escalation = *std::move(escalation);
  auto assessment = domain::AssessmentBook::LoadDirectory(data_dir + "/assessment");
  if (!assessment.ok()) return assessment.status();
  rules.assessment = *std::move(assessment);
  return rules;
}

int Run() {
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  SystemClock clock;
  absl::StatusOr<Rules> rules = LoadRules(absl::GetFlag(FLAGS_data_dir));
  if (!rules.ok()) {
    RECTIFY_LOG(ERROR) << "cannot load the city's rules: " << rules.status().message();
    return 1;
  }
  const int this_year = absl::ToCivilYear(clock.Now(), absl::UTCTimeZone()).year();
  for (int year : {this_year, this_year + 1}) {
    if (!rules->calendar.Covers(year)) {
      RECTIFY_LOG(WARNING) << "the work calendar has no file for " << year
                           << ": weekends only will be skipped; add "
                           << absl::GetFlag(FLAGS_data_dir) << "/calendars/cn-" << year
                           << ".cal (see data/README.md)";
    }
  }

  const std::string db = absl::GetFlag(FLAGS_db);
  storage::SqliteOptions store_options;
  store_options.path = db;
  store_options.max_batch = absl::GetFlag(FLAGS_write_batch);
  auto store = storage::OpenSqliteStore(store_options);
  if (!store.ok()) {
    RECTIFY_LOG(ERROR) << "cannot open " << db << ": " << store.status().message();
    return 1;
  }

  if (absl::Status s = rules->standards.SyncWithStore(**store, clock.Now()); !s.ok()) {
    RECTIFY_LOG(ERROR) << "cannot load the scoring standards: " << s.message();
    return 1;
  }

  auto admin = BootstrapAdmin(**store, clock);
  if (!admin.ok()) {
    RECTIFY_LOG(ERROR) << "bootstrap failed: " << admin.status().message();
    return 1;
  }
  if (admin->has_value()) {
    std::string path = absl::GetFlag(FLAGS_admin_token_file);
    if (path.empty()) path = db + ".admin-token";
    if (absl::Status s = WriteSecretFile(path, **admin); !s.ok()) {
      RECTIFY_LOG(ERROR) << s.message();
      return 1;
    }
    RECTIFY_LOG(INFO) << "first start: the admin token is in " << path
                      << " (shown once; keep it safe)";
  }

  std::vector<DemoLogin> logins;
  if (absl::GetFlag(FLAGS_demo)) {
    auto demo = LoadDemo(**store, clock, *rules);
    if (!demo.ok()) {
      RECTIFY_LOG(ERROR) << "cannot load the demo: " << demo.status().message();
      return 1;
    }
    logins = *std::move(demo);
  }

  ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.default_time_zone = absl::GetFlag(FLAGS_time_zone);
  options.scheduler_period = absl::GetFlag(FLAGS_scheduler_period);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.rate_limit.per_second = absl::GetFlag(FLAGS_rate_limit);
  options.rate_limit.burst = absl::GetFlag(FLAGS_rate_burst);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.max_threads = absl::GetFlag(FLAGS_max_threads);
  options.max_pollers = absl::GetFlag(FLAGS_max_pollers);
  options.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  options.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  options.min_client_ping_interval = absl::GetFlag(FLAGS_min_client_ping_interval);
  options.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_inflight_calls = absl::GetFlag(FLAGS_max_inflight);
  if (options.max_inflight_calls < 0) {
    RECTIFY_LOG(ERROR) << "--max_inflight must be 0 (no cap) or more";
    return 1;
  }
  if (options.max_pollers < 1) {
    RECTIFY_LOG(ERROR) << "--max_pollers must be 1 or more (64 unless told)";
    return 1;
  }
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(options.default_time_zone, &tz)) {
    RECTIFY_LOG(ERROR) << "--time_zone " << options.default_time_zone
                       << " is not a known IANA time zone";
    return 1;
  }
  auto server = RectifyServer::Start(options, **store, clock, *rules);
  if (!server.ok()) {
    RECTIFY_LOG(ERROR) << server.status().message();
    return 1;
  }
  const std::string host = options.listen_address.substr(0, options.listen_address.rfind(':'));
  const std::string address = absl::StrCat(host, ":", (*server)->port());
  RECTIFY_LOG(INFO) << "rectify-server serving on " << address << " (database " << db << ", "
                    << (options.tls_cert_file.empty()         ? "plaintext"
                        : options.tls_client_ca_file.empty() ? "TLS"
                                                              : "mutual TLS")
                    << ")";
  if (!logins.empty()) {
    std::cout << "\nDemo city loaded. Logins (demo only):\n";
    for (const DemoLogin& login : logins) {
      std::cout << "  RECTIFY_TOKEN=" << login.token << "\t" << login.description << "\n";
    }
    std::cout << "\nTry:\n  export RECTIFY_ADDR=" << address << " RECTIFY_TOKEN=demo-supervisor\n"
              << "  rectifyctl tasks list --overdue --order-by deadline\n\n"
              << std::flush;
  }
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file); !port_file.empty()) {
    std::ofstream(port_file) << (*server)->port() << "\n";
  }

  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    RECTIFY_LOG(INFO) << "signal " << signal << ": shutting down";
    (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  });
  (*server)->Wait();
  waiter.join();
  RECTIFY_LOG(INFO) << "stopped";
  return 0;
}

}  // namespace
}  // namespace rectify::server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "rectify-server: the gRPC server for old-community rectification campaigns.\n"
      "  rectify-server --db var/rectify.db --listen 127.0.0.1:7443 [--demo]");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with absl::Mutex deadlock detection on: every
  // lock taken updates a global lock graph (6% of the threads serving calls,
  // BENCHMARKS.md finding 14). Lock-order checking belongs in debugging and
  // ThreadSanitizer runs, not in the serving binary.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Only for a build without tcmalloc (-DRECTIFY_TCMALLOC=OFF), where glibc
  // gives each thread serving calls an arena that keeps the freed memory of
  // any large report it built (BENCHMARKS.md finding 12). Before any thread
  // starts: an arena is chosen per thread on its first malloc.
  mallopt(M_ARENA_MAX, 2);
  return rectify::server::Run();
}
