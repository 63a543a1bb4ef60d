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
#include "rectify/v1/campaign_service.pb.h"
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

// ---- Sheets and lists as people type them ------------------------------------
// In files, a line is a comment when its first non-blank character is '#'
// ("3#楼" in a note stays text); blank lines are skipped; a UTF-8 BOM and
// CRLF line ends are accepted.

// --deduct: "RULE[xCOUNT][!][:NOTE]". RULE is a rule id ([0-9A-Za-z.], with a
// digit); 'x' (or '×') and a count from 1 to 100000 (default 1); '!' opens a
// task for the deduction; ':' (or '：') starts the note, the rest of the text.
//   "2.2bx2!:3号楼东侧" → rule 2.2b, count 2, open_task, note "3号楼东侧"
// A usage error naming the text and the expected form otherwise.
absl::StatusOr<v1::Deduction> ParseDeductionArg(absl::string_view text);

// A sheet file for "inspections record --file": header lines "campaign C",
// "community M", "kind weekly", "date 2024-05-06", "note TEXT…" (each at
// most once, anywhere), and one deduction per other line:
// "RULE [COUNT] [open] [NOTE…]" (COUNT a whole number, 1 to 100000; "open"
// opens a task; the note is the rest of the line). Returns the inspection it
// describes, fields not given left empty; a usage error "<name>:<line>: …"
// at the first mistake.
absl::StatusOr<v1::Inspection> ParseSheetFile(absl::string_view text, absl::string_view name);

// --item: "CATEGORY|TITLE[|PLANNED_YUAN[|STANDARD_ITEM]]", fields trimmed;
// PLANNED_YUAN may be empty. A usage error otherwise.
absl::StatusOr<v1::SelfCheckItem> ParseSelfCheckItemArg(absl::string_view text);

// A self-check list file: one item per line in ParseSelfCheckItemArg's form.
// A usage error "<name>:<line>: …" at the first mistake.
absl::StatusOr<std::vector<v1::SelfCheckItem>> ParseSelfCheckFile(absl::string_view text,
                                                                  absl::string_view name);

// --item of "plans save": "DESCRIPTION|PERSON|YUAN|PAYER[|TASK]", fields
// trimmed; PAYER as "property_company", "owners", "street_office",
// "public_finance" or "other". A usage error otherwise.
absl::StatusOr<v1::PlanItem> ParsePlanItemArg(absl::string_view text);

// A work plan file: one item per line in ParsePlanItemArg's form.
// A usage error "<name>:<line>: …" at the first mistake.
absl::StatusOr<std::vector<v1::PlanItem>> ParsePlanFile(absl::string_view text,
                                                        absl::string_view name);

// "showing 1–50 of 123 (next page: --page-token XYZ)". `first` is the
// 1-based position of the first row, or 0 when unknown (a later page: the
// API's page tokens are opaque).
std::string PageFooter(int64_t first, int64_t shown, int64_t total,
                       absl::string_view next_page_token);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_COMMANDS_H_
