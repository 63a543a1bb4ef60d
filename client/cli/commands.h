// The commands of rectifyctl: each one's grammar (a CommandSpec) and its
// handler, which builds the request from the arguments, calls the Client and
// prints the answer. No business rules: the server decides; the handlers only
// translate between words and messages.
#ifndef RECTIFY_CLIENT_CLI_COMMANDS_H_
#define RECTIFY_CLIENT_CLI_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli/args.h"
#include "client/cli/render.h"
#include "client/client.h"
#include "rectify/v1/resources.pb.h"

namespace rectify::client::cli {

// What a handler works with.
struct Context {
  Client& client;
  const Invocation& invocation;
  OutputFormat format;
  Display display;
  std::ostream& out;
  std::ostream& err;
  // The request_id a mutating command sent (given or generated), so that a
  // failed call can be repeated safely with --request-id.
  std::string request_id;
};

// Returns the RPC's status unchanged, or a usage error (IsUsageError) for an
// argument the handler could not read.
using Handler = absl::Status (*)(Context& context);

struct Command {
  CommandSpec spec;
  Handler run;
};

// Every command, in the order the usage text lists them.
const std::vector<Command>& Commands();
// Their specs, for ParseArgs; the pointers stay valid for the program's life.
const std::vector<CommandSpec>& CommandSpecs();
// The handler of a spec from CommandSpecs(); null for any other.
Handler HandlerFor(const CommandSpec& spec);

// A kInvalidArgument status marked as the user's mistake (exit code 2), as
// opposed to the same code coming back from the server (exit code 1).
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

// "URI#SHA256": the hash after the last '#', 64 hex digits (lowercased).
// A usage error otherwise.
absl::StatusOr<v1::Evidence> ParseEvidenceArg(absl::string_view text);

// "showing 1–50 of 123 (next page: --page-token XYZ)". `first` is the
// 1-based position of the first row, or 0 when unknown (a later page: the
// API's page tokens are opaque).
std::string PageFooter(int64_t first, int64_t shown, int64_t total,
                       absl::string_view next_page_token);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_COMMANDS_H_
