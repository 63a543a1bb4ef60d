// rectify-admin: check, back up (online) and restore (offline) the database.
//
//   rectify-admin check   --db var/rectify.db
//   rectify-admin backup  --db var/rectify.db --out /backups/rectify-0427.db   # server may run
//   rectify-admin restore --backup /backups/rectify-0427.db --db var/rectify.db  # server stopped
//
// Exit status 0 on success; 1 with a message on stderr otherwise; 2 for usage.
#include <cstdio>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "storage/sqlite_maintenance.h"

namespace {

constexpr char kUsage[] =
    "usage:\n"
    "  rectify-admin check   --db FILE\n"
    "  rectify-admin backup  --db FILE --out BACKUP      (online: the server may be running)\n"
    "  rectify-admin restore --backup BACKUP --db FILE   (offline: stop the server first)\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "rectify-admin: %s\n%s", problem.c_str(), kUsage);
  return 2;
}

int Report(const absl::Status& status) {
  if (status.ok()) return 0;
  std::fprintf(stderr, "rectify-admin: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage("name a command");
  const std::string command = argv[1];
  if (command == "help" || command == "--help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) return Usage("unexpected argument '" + arg + "'");
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      flags[arg.substr(2)] = argv[++i];
    } else {
      return Usage("flag '" + arg + "' needs a value");
    }
  }
  auto need = [&](const char* name) -> const std::string* {
    auto it = flags.find(name);
    return it == flags.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (command == "check") {
    if (!need("db")) return Usage("check needs --db");
    auto check = rectify::storage::CheckDatabase(*need("db"));
    if (!check.ok()) return Report(check.status());
    std::printf("ok: schema version %d, %lld pages, %lld tasks, %lld events\n",
                check->schema_version, static_cast<long long>(check->pages),
                static_cast<long long>(check->tasks), static_cast<long long>(check->events));
    return 0;
  }
  if (command == "backup") {
    if (!need("db") || !need("out")) return Usage("backup needs --db and --out");
    const int rc = Report(rectify::storage::BackupDatabase(*need("db"), *need("out")));
    if (rc == 0) std::printf("backed up %s to %s\n", need("db")->c_str(), need("out")->c_str());
    return rc;
  }
  if (command == "restore") {
    if (!need("db") || !need("backup")) return Usage("restore needs --backup and --db");
    const int rc = Report(rectify::storage::RestoreDatabase(*need("backup"), *need("db")));
    if (rc == 0) std::printf("restored %s from %s\n", need("db")->c_str(), need("backup")->c_str());
    return rc;
  }
  return Usage("unknown command '" + command + "'");
}
