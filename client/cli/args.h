// The command-line grammar of rectifyctl, as data plus a parser:
//
//   rectifyctl [global flags] <noun> [<verb>] [args] [--flag=value | --flag value | --switch]
//
// Commands are described by CommandSpec (noun, verb, positional arguments,
// flags); the parser checks an argv against them and reports the first
// mistake in words a user can act on. It knows nothing of RPCs.
//
//   absl::StatusOr<Invocation> inv = ParseArgs(GlobalFlags(), Commands(), argv);
//   if (inv->command != nullptr) Run(*inv->command, inv->flags, inv->args);
#ifndef RECTIFY_CLIENT_CLI_ARGS_H_
#define RECTIFY_CLIENT_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::client::cli {

struct FlagSpec {
  enum class Kind {
    kValue,     // --name=V or --name V, at most once
    kRepeated,  // --name=V, any number of times
    kSwitch,    // --name (or --name=true|false)
  };
  std::string name;  // without the dashes
  Kind kind = Kind::kValue;
  std::string value_name;  // "ORG", for usage; unused for switches
  std::string help;
  bool required = false;  // a required flag must be given a non-empty value
};

struct CommandSpec {
  std::string noun;
  std::string verb;                      // "" for a noun that is a command (whoami)
  std::vector<std::string> positionals;  // names of required arguments: {"ID"}
  // Names of optional arguments, after the required ones: {"ID"} for
  // "standards show [ID]". The handler sees only those given.
  std::vector<std::string> optional_positionals;
  std::vector<FlagSpec> flags;
  std::string summary;  // one line
  // Groups of flags of which at most one may be given ("--planned|--planned-fen").
  std::vector<std::vector<std::string>> at_most_one;
  // Groups of flags of which exactly one must be given ("--approve|--deny").
  std::vector<std::vector<std::string>> exactly_one;

  std::string Name() const;  // "tasks dispatch"
};

// Flag values by name. Switches hold "true" or "false"; repeated flags hold
// every value in order.
class FlagValues {
 public:
  bool Has(absl::string_view name) const;
  // The (last) value, or `fallback` if the flag was not given.
  std::string Get(absl::string_view name, absl::string_view fallback = "") const;
  const std::vector<std::string>& GetAll(absl::string_view name) const;
  bool GetSwitch(absl::string_view name) const;
  void Add(absl::string_view name, absl::string_view value);

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

struct Invocation {
  FlagValues globals;
  // The command to run; null when help was asked for.
  const CommandSpec* command = nullptr;
  std::vector<std::string> args;  // the positionals given, in CommandSpec order
  FlagValues flags;
  // When command is null: the help topic. "" for everything, a noun for its
  // commands.
  std::string help_topic;
};

// Parses `argv` (without the program name). Global flags may come before the
// noun or anywhere after it; after the command, the command's own flags win
// over a global flag of the same name. "--" ends the flags. `help`, `-h` and
// `--help` ask for help for what precedes them.
// Returns kInvalidArgument naming the mistake: an unknown command or flag
// (with what is expected), a flag without its value, a value given to a switch,
// a flag given twice, a missing or extra argument, a missing required flag,
// or a broken at-most-one / exactly-one group.
absl::StatusOr<Invocation> ParseArgs(const std::vector<FlagSpec>& globals,
                                     const std::vector<CommandSpec>& commands,
                                     const std::vector<std::string>& argv);

// Usage text: everything when `topic` is "", one noun's commands with their
// flags otherwise. Returns "" for an unknown topic.
std::string Usage(absl::string_view program, const std::vector<FlagSpec>& globals,
                  const std::vector<CommandSpec>& commands, absl::string_view topic);

// The one-line synopsis of a command:
// "tasks dispatch ID --org=ORG [--person=P] …".
std::string Synopsis(const CommandSpec& command);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_ARGS_H_
