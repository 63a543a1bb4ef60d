#include "client/cli/args.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/text_table.h"

namespace rectify::client::cli {
namespace {

using Kind = FlagSpec::Kind;

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags, absl::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::string FlagForm(const FlagSpec& flag) {
  if (flag.kind == Kind::kSwitch) return absl::StrCat("--", flag.name);
  return absl::StrCat("--", flag.name, "=", flag.value_name.empty() ? "VALUE" : flag.value_name);
}

std::string FlagList(const std::vector<FlagSpec>& flags) {
  std::vector<std::string> names;
  for (const FlagSpec& flag : flags) names.push_back("--" + flag.name);
  return absl::StrJoin(names, ", ");
}

std::vector<std::string> Nouns(const std::vector<CommandSpec>& commands) {
  std::vector<std::string> nouns;
  for (const CommandSpec& c : commands) {
    if (std::find(nouns.begin(), nouns.end(), c.noun) == nouns.end()) nouns.push_back(c.noun);
  }
  return nouns;
}

std::vector<std::string> Verbs(const std::vector<CommandSpec>& commands, absl::string_view noun) {
  std::vector<std::string> verbs;
  for (const CommandSpec& c : commands) {
    if (c.noun == noun) verbs.push_back(c.verb);
  }
  return verbs;
}

const CommandSpec* FindCommand(const std::vector<CommandSpec>& commands, absl::string_view noun,
                               absl::string_view verb) {
  for (const CommandSpec& c : commands) {
    if (c.noun == noun && c.verb == verb) return &c;
  }
  return nullptr;
}

absl::Status Usage(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(where.empty() ? std::string(what)
                                                  : absl::StrCat(where, ": ", what));
}

absl::StatusOr<std::string> ParseSwitch(absl::string_view where, const FlagSpec& flag,
                                        absl::string_view value) {
  if (value == "true" || value == "1" || value == "yes") return std::string("true");
  if (value == "false" || value == "0" || value == "no") return std::string("false");
  return Usage(where, absl::StrCat("--", flag.name, " is a switch and takes no value (got '", value,
                                   "'); write --", flag.name, " or --", flag.name, "=false"));
}

std::string GroupForm(const std::vector<FlagSpec>& flags, const std::vector<std::string>& group) {
  std::vector<std::string> forms;
  for (const std::string& name : group) {
    const FlagSpec* flag = FindFlag(flags, name);
    forms.push_back(flag != nullptr ? FlagForm(*flag) : "--" + name);
  }
  return absl::StrJoin(forms, "|");
}

std::string GroupNames(const std::vector<std::string>& group) {
  std::vector<std::string> names;
  for (const std::string& name : group) names.push_back("--" + name);
  return absl::StrJoin(names, ", ");
}

absl::Status CheckCommand(const CommandSpec& command, const Invocation& inv) {
  const std::string where = command.Name();
  if (inv.args.size() < command.positionals.size()) {
    return Usage(where, absl::StrCat("missing ", command.positionals[inv.args.size()],
                                     "; usage: ", Synopsis(command)));
  }
  const size_t most = command.positionals.size() + command.optional_positionals.size();
  if (inv.args.size() > most) {
    return Usage(where, absl::StrCat("unexpected argument '", inv.args[most],
                                     "'; usage: ", Synopsis(command)));
  }
  for (const FlagSpec& flag : command.flags) {
    if (flag.required && inv.flags.Get(flag.name).empty()) {
      return Usage(where, absl::StrCat("missing required flag ", FlagForm(flag),
                                       flag.help.empty() ? "" : " (" + flag.help + ")"));
    }
  }
  auto count_given = [&](const std::vector<std::string>& group) {
    return std::count_if(group.begin(), group.end(), [&](const std::string& name) {
      const FlagSpec* flag = FindFlag(command.flags, name);
      if (flag != nullptr && flag->kind == Kind::kSwitch) return inv.flags.GetSwitch(name);
      return inv.flags.Has(name);
    });
  };
  for (const auto& group : command.at_most_one) {
    if (count_given(group) > 1) {
      return Usage(where, absl::StrCat("give at most one of ", GroupNames(group)));
    }
  }
  for (const auto& group : command.exactly_one) {
    if (count_given(group) != 1) {
      return Usage(where, absl::StrCat("give exactly one of ", GroupNames(group)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string CommandSpec::Name() const {
  return verb.empty() ? noun : absl::StrCat(noun, " ", verb);
}

bool FlagValues::Has(absl::string_view name) const { return values_.find(name) != values_.end(); }

std::string FlagValues::Get(absl::string_view name, absl::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second.back();
}

const std::vector<std::string>& FlagValues::GetAll(absl::string_view name) const {
  static const std::vector<std::string>* const kNone = new std::vector<std::string>();
  auto it = values_.find(name);
  return it == values_.end() ? *kNone : it->second;
}

bool FlagValues::GetSwitch(absl::string_view name) const { return Get(name) == "true"; }

void FlagValues::Add(absl::string_view name, absl::string_view value) {
  values_[std::string(name)].emplace_back(value);
}

absl::StatusOr<Invocation> ParseArgs(const std::vector<FlagSpec>& globals,
                                     const std::vector<CommandSpec>& commands,
                                     const std::vector<std::string>& argv) {
  Invocation inv;
  std::string noun;
  bool flags_done = false;
  auto help = [&](std::string topic) {
    inv.command = nullptr;
    inv.help_topic = std::move(topic);
    return inv;
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& token = argv[i];
    const std::string where = inv.command != nullptr ? inv.command->Name() : noun;
    if (!flags_done && token == "--") {
      flags_done = true;
      continue;
    }
    if (!flags_done && (token == "-h" || token == "--help")) return help(noun);
    if (!flags_done && token.size() > 1 && token[0] == '-') {
      if (token[1] != '-') {
        return Usage(where, absl::StrCat("unknown flag '", token, "'; flags are spelled --name"));
      }
      const size_t eq = token.find('=');
      const std::string name = token.substr(2, eq == std::string::npos ? eq : eq - 2);
      std::optional<std::string> value;
      if (eq != std::string::npos) value = token.substr(eq + 1);

      const FlagSpec* flag = nullptr;
      FlagValues* target = &inv.flags;
      if (inv.command != nullptr) flag = FindFlag(inv.command->flags, name);
      if (flag == nullptr) {
        flag = FindFlag(globals, name);
        target = &inv.globals;
      }
      if (flag == nullptr) {
        if (inv.command != nullptr) {
          return Usage(
              where,
              absl::StrCat("unknown flag --", name, "; expected ",
                           inv.command->flags.empty() ? "no flags" : FlagList(inv.command->flags),
                           " or a global flag (", FlagList(globals), ")"));
        }
        if (!noun.empty()) {
          return Usage(where, absl::StrCat("unknown flag --", name,
                                           "; a command's flags come after its verb: ", noun,
                                           " <verb> --flag"));
        }
        return Usage("", absl::StrCat("unknown global flag --", name, "; expected one of ",
                                      FlagList(globals)));
      }
      if (flag->kind == Kind::kSwitch) {
        if (value.has_value()) {
          absl::StatusOr<std::string> on = ParseSwitch(where, *flag, *value);
          if (!on.ok()) return on.status();
          value = *on;
        } else {
          value = "true";
        }
      } else if (!value.has_value()) {
        if (i + 1 >= argv.size() || absl::StartsWith(argv[i + 1], "--")) {
          return Usage(where, absl::StrCat("flag --", name, " needs a value: ", FlagForm(*flag)));
        }
        value = argv[++i];
      }
      if (flag->kind != Kind::kRepeated && target->Has(name)) {
        return Usage(where, absl::StrCat("flag --", name, " given twice"));
      }
      target->Add(name, *value);
      continue;
    }
    // A word: noun, verb, then the command's arguments.
    if (noun.empty()) {
      if (token == "help") {
        return help(i + 1 < argv.size() ? argv[i + 1] : "");
      }
      const std::vector<std::string> nouns = Nouns(commands);
      if (std::find(nouns.begin(), nouns.end(), token) == nouns.end()) {
        return Usage("", absl::StrCat("unknown command '", token, "'; expected one of ",
                                      absl::StrJoin(nouns, ", "), " or help"));
      }
      noun = token;
      inv.command = FindCommand(commands, noun, "");
      continue;
    }
    if (inv.command == nullptr) {
      if (token == "help") return help(noun);
      inv.command = FindCommand(commands, noun, token);
      if (inv.command == nullptr) {
        return Usage(noun, absl::StrCat("unknown command '", token, "'; expected one of ",
                                        absl::StrJoin(Verbs(commands, noun), ", "), " or help"));
      }
      continue;
    }
    if (token == "help" && inv.args.empty() && !flags_done) return help(noun);
    inv.args.push_back(token);
  }
  if (noun.empty()) {
    return Usage("", absl::StrCat("no command given; expected one of ",
                                  absl::StrJoin(Nouns(commands), ", "), " or help"));
  }
  if (inv.command == nullptr) {
    return Usage(noun, absl::StrCat("missing command; expected one of ",
                                    absl::StrJoin(Verbs(commands, noun), ", "), " or help"));
  }
  if (absl::Status status = CheckCommand(*inv.command, inv); !status.ok()) return status;
  return inv;
}

std::string Synopsis(const CommandSpec& command) {
  std::vector<std::string> parts = {command.Name()};
  for (const std::string& positional : command.positionals) parts.push_back(positional);
  for (const std::string& positional : command.optional_positionals) {
    parts.push_back(absl::StrCat("[", positional, "]"));
  }
  auto group_of = [](const std::vector<std::vector<std::string>>& groups,
                     const std::string& name) -> const std::vector<std::string>* {
    for (const auto& group : groups) {
      if (std::find(group.begin(), group.end(), name) != group.end()) return &group;
    }
    return nullptr;
  };
  auto form = [](const FlagSpec& flag) {
    return flag.kind == Kind::kRepeated ? FlagForm(flag) + "..." : FlagForm(flag);
  };
  // Required flags, then exactly-one groups, then optional flags (an
  // at-most-one group where its first flag is), each in declaration order.
  for (const FlagSpec& flag : command.flags) {
    if (flag.required) parts.push_back(form(flag));
  }
  for (const auto& group : command.exactly_one) {
    parts.push_back(absl::StrCat("(", GroupForm(command.flags, group), ")"));
  }
  std::set<const std::vector<std::string>*> shown;
  for (const FlagSpec& flag : command.flags) {
    if (flag.required || group_of(command.exactly_one, flag.name) != nullptr) continue;
    if (const auto* group = group_of(command.at_most_one, flag.name); group != nullptr) {
      if (shown.insert(group).second) {
        parts.push_back(absl::StrCat("[", GroupForm(command.flags, *group), "]"));
      }
      continue;
    }
    parts.push_back(absl::StrCat("[", form(flag), "]"));
  }
  return absl::StrJoin(parts, " ");
}

std::string Usage(absl::string_view program, const std::vector<FlagSpec>& globals,
                  const std::vector<CommandSpec>& commands, absl::string_view topic) {
  auto flag_lines = [](const std::vector<FlagSpec>& flags, int indent) {
    Table table;
    for (const FlagSpec& flag : flags) {
      std::string form = FlagForm(flag);
      if (flag.kind == Kind::kRepeated) form += " (repeatable)";
      std::string help = flag.help;
      if (flag.required) help = help.empty() ? "required" : help + " (required)";
      table.rows.push_back({std::string(indent, ' ') + form, help});
    }
    return RenderTable(table, 1000);
  };
  std::string out;
  if (topic.empty()) {
    absl::StrAppend(&out, "usage: ", program,
                    " [global flags] <noun> <verb> [args] [--flag=value | --flag value]\n\n",
                    "commands (", program, " <noun> help shows their flags):\n");
    Table table;
    for (const CommandSpec& c : commands) {
      std::string form = c.Name();
      for (const std::string& positional : c.positionals) absl::StrAppend(&form, " ", positional);
      for (const std::string& positional : c.optional_positionals) {
        absl::StrAppend(&form, " [", positional, "]");
      }
      table.rows.push_back({"  " + form, c.summary});
    }
    absl::StrAppend(&out, RenderTable(table, 1000), "\nglobal flags:\n", flag_lines(globals, 2),
                    "\nGlobal flags may also follow the command, unless it has a flag of the "
                    "same name.\nexit status: 0 ok, 1 the server returned an error, 2 usage "
                    "error.\n");
    return out;
  }
  bool any = false;
  for (const CommandSpec& c : commands) {
    if (c.noun != topic) continue;
    if (!any) absl::StrAppend(&out, "usage: ", program, " [global flags] ", topic, " <verb> …\n");
    any = true;
    absl::StrAppend(&out, "\n  ", program, " ", Synopsis(c), "\n      ", c.summary, "\n");
    if (!c.flags.empty()) absl::StrAppend(&out, flag_lines(c.flags, 6));
  }
  if (!any) return "";
  absl::StrAppend(&out, "\nThe global flags: ", program, " help.\n");
  return out;
}

}  // namespace rectify::client::cli
