// rectifyctl as a function: parse the arguments, resolve the global flags
// (with RECTIFY_ADDR / RECTIFY_TOKEN from the environment), connect, run the
// command and print. main() only forwards to RunCli, so tests can run the
// whole CLI in-process.
#ifndef RECTIFY_CLIENT_CLI_APP_H_
#define RECTIFY_CLIENT_CLI_APP_H_

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/cli/args.h"
#include "client/cli/render.h"
#include "client/client.h"

namespace rectify::client::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRpcError = 1;  // the server (or the transport) said no
inline constexpr int kExitUsage = 2;     // the arguments were wrong

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// --addr, --token, --output, --timeout, --tls, --ca-cert, --cert, --key, --tz.
const std::vector<FlagSpec>& GlobalFlags();

struct GlobalOptions {
  ClientOptions client;
  OutputFormat format = OutputFormat::kTable;
  absl::TimeZone zone;  // display zone for instants
};

// Applies flags over the environment over the defaults. Returns
// kInvalidArgument for a bad --output, --timeout or --tz. The certificate
// flags imply --tls.
absl::StatusOr<GlobalOptions> ResolveGlobals(const FlagValues& globals, const EnvLookup& env);

// Runs rectifyctl with `argv` (without the program name). Writes results to
// `out`, diagnostics to `err`; returns the exit code (kExit*).
int RunCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err,
           const EnvLookup& env);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_APP_H_
