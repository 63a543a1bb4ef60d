#include "client/cli/app.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/cli/commands.h"
#include "client/cli/time_format.h"

namespace rectify::client::cli {
namespace {

constexpr char kProgram[] = "rectifyctl";

FlagSpec Global(std::string name, FlagSpec::Kind kind, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), kind, std::move(value_name), std::move(help), false};
}

// "+08:00", "-05:30", "+8" as a fixed offset; nullopt for anything else.
std::optional<absl::TimeZone> FixedOffsetZone(absl::string_view text) {
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  absl::string_view rest = text.substr(1);
  absl::string_view hours = rest.substr(0, rest.find(':'));
  absl::string_view minutes =
      hours.size() < rest.size() ? rest.substr(hours.size() + 1) : absl::string_view("0");
  int h = 0, m = 0;
  if (hours.empty() || hours.size() > 2 || minutes.empty() || minutes.size() > 2 ||
      !absl::SimpleAtoi(hours, &h) || !absl::SimpleAtoi(minutes, &m) || h > 14 || m > 59) {
    return std::nullopt;
  }
  return absl::FixedTimeZone(sign * (h * 3600 + m * 60));
}

// True when `address` stays on this machine, where a token without TLS is
// not exposed to the network.
bool IsLocal(absl::string_view address) {
  if (absl::StartsWith(address, "unix:")) return true;
  absl::ConsumePrefix(&address, "dns:///");
  absl::ConsumePrefix(&address, "ipv4:");
  absl::ConsumePrefix(&address, "ipv6:");
  absl::string_view host = address;
  if (absl::StartsWith(host, "[")) {
    host =
        host.substr(1, host.find(']') == absl::string_view::npos ? host.npos : host.find(']') - 1);
  } else if (const size_t colon = host.rfind(':'); colon != absl::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

bool IsMutating(const CommandSpec& spec) {
  for (const FlagSpec& flag : spec.flags) {
    if (flag.name == "request-id") return true;
  }
  return false;
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlags() {
  using Kind = FlagSpec::Kind;
  static const std::vector<FlagSpec>* const kFlags = new std::vector<FlagSpec>{
      Global("addr", Kind::kValue, "HOST:PORT",
             "server address (env RECTIFY_ADDR; default 127.0.0.1:7443)"),
      Global("token", Kind::kValue, "TOKEN",
             "bearer token (env RECTIFY_TOKEN, preferred: flags show in ps)"),
      Global("output", Kind::kValue, "FORMAT", "table (default), json or csv"),
      Global("timeout", Kind::kValue, "DURATION",
             "deadline of each call, retries included (default 10s)"),
      Global("tls", Kind::kSwitch, "", "use TLS (default: plaintext, for loopback)"),
      Global("ca-cert", Kind::kValue, "FILE",
             "PEM CA certificate to verify the server (implies --tls)"),
      Global("cert", Kind::kValue, "FILE", "PEM client certificate for mutual TLS (implies --tls)"),
      Global("key", Kind::kValue, "FILE", "PEM client key for mutual TLS (implies --tls)"),
      Global("tz", Kind::kValue, "ZONE",
             "zone to show and read times in: IANA name or +08:00 (default UTC+8)"),
  };
  return *kFlags;
}

absl::StatusOr<GlobalOptions> ResolveGlobals(const FlagValues& globals, const EnvLookup& env) {
  GlobalOptions options;
  auto from_env = [&](const char* name) { return env ? env(name) : std::nullopt; };
  if (globals.Has("addr")) {
    options.client.address = globals.Get("addr");
  } else if (auto addr = from_env("RECTIFY_ADDR"); addr.has_value() && !addr->empty()) {
    options.client.address = *addr;
  }
  if (options.client.address.empty()) {
    return absl::InvalidArgumentError("--addr is empty; expected HOST:PORT");
  }
  if (globals.Has("token")) {
    options.client.token = globals.Get("token");
  } else if (auto token = from_env("RECTIFY_TOKEN"); token.has_value()) {
    options.client.token = *token;
  }
  auto format = ParseOutputFormat(globals.Get("output", "table"));
  if (!format.ok()) return format.status();
  options.format = *format;
  if (globals.Has("timeout")) {
    auto timeout = ParseDurationArg(globals.Get("timeout"));
    if (!timeout.ok())
      return absl::InvalidArgumentError(absl::StrCat("--timeout: ", timeout.status().message()));
    options.client.timeout = *timeout;
  }
  options.client.ca_cert_file = globals.Get("ca-cert");
  options.client.client_cert_file = globals.Get("cert");
  options.client.client_key_file = globals.Get("key");
  const bool any_file = !options.client.ca_cert_file.empty() ||
                        !options.client.client_cert_file.empty() ||
                        !options.client.client_key_file.empty();
  // An explicit --tls=false with certificate files stays false, and the client
  // reports the contradiction.
  options.client.use_tls = globals.Has("tls") ? globals.GetSwitch("tls") : any_file;
  options.zone = DefaultDisplayZone();
  if (globals.Has("tz")) {
    const std::string name = globals.Get("tz");
    if (std::optional<absl::TimeZone> fixed = FixedOffsetZone(name); fixed.has_value()) {
      options.zone = *fixed;
    } else if (!absl::LoadTimeZone(name, &options.zone)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tz: unknown time zone '", name,
                       "'; expected an IANA name like Asia/Shanghai or an "
                       "offset like +08:00"));
    }
  }
  return options;
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err,
           const EnvLookup& env) {
  auto usage_error = [&](const absl::Status& status, absl::string_view topic) {
    err << "error: " << status.message() << "\n"
        << "run '" << kProgram << (topic.empty() ? "" : absl::StrCat(" ", topic))
        << " help' for usage.\n";
    return kExitUsage;
  };
  absl::StatusOr<Invocation> invocation = ParseArgs(GlobalFlags(), CommandSpecs(), argv);
  if (!invocation.ok()) {
    // Point at the noun's help when the noun was understood.
    std::string topic;
    for (const CommandSpec& spec : CommandSpecs()) {
      if (absl::StartsWith(invocation.status().message(), spec.noun + ":") ||
          absl::StartsWith(invocation.status().message(), spec.noun + " ")) {
        topic = spec.noun;
      }
    }
    return usage_error(invocation.status(), topic);
  }
  if (invocation->command == nullptr) {
    const std::string text = Usage(kProgram, GlobalFlags(), CommandSpecs(), invocation->help_topic);
    if (text.empty()) {
      return usage_error(absl::InvalidArgumentError(absl::StrCat(
                             "no help for '", invocation->help_topic, "': not a command")),
                         "");
    }
    out << text;
    return kExitOk;
  }
  const CommandSpec& spec = *invocation->command;
  absl::StatusOr<GlobalOptions> globals = ResolveGlobals(invocation->globals, env);
  if (!globals.ok()) return usage_error(globals.status(), "");
  if (!globals->client.use_tls && !globals->client.token.empty() &&
      !IsLocal(globals->client.address)) {
    err << "warning: sending the bearer token without TLS to " << globals->client.address
        << "; use --tls\n";
  }
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(globals->client);
  if (!client.ok()) return usage_error(client.status(), "");

  Context context{**client,
                  *invocation,
                  globals->format,
                  Display{globals->zone, globals->format == OutputFormat::kCsv},
                  out,
                  err,
                  ""};
  const Handler handler = HandlerFor(spec);
  if (handler == nullptr) {  // a spec without a handler is a programming error
    err << "error: INTERNAL: no handler for '" << spec.Name() << "'\n";
    return kExitRpcError;
  }
  const absl::Status status = handler(context);
  if (status.ok()) return kExitOk;
  if (IsUsageError(status)) return usage_error(status, spec.noun);
  err << "error: " << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
  const bool maybe_applied = status.code() == absl::StatusCode::kUnavailable ||
                             status.code() == absl::StatusCode::kDeadlineExceeded ||
                             status.code() == absl::StatusCode::kCancelled ||
                             status.code() == absl::StatusCode::kUnknown;
  if (maybe_applied && IsMutating(spec) && !context.request_id.empty()) {
    err << "hint: the change may or may not have been applied; repeat the command with "
           "--request-id="
        << context.request_id << " to retry it safely.\n";
  }
  return kExitRpcError;
}

}  // namespace rectify::client::cli
