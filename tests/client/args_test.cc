// The argument parser, on small hand-made specs and on rectifyctl's own.
#include "client/cli/args.h"

#include <map>

#include "client/cli/app.h"
#include "client/cli/commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

absl::StatusOr<Invocation> Parse(std::vector<std::string> argv) {
  return ParseArgs(GlobalFlags(), CommandSpecs(), argv);
}

std::string ErrorOf(std::vector<std::string> argv) {
  absl::StatusOr<Invocation> inv = Parse(std::move(argv));
  EXPECT_FALSE(inv.ok());
  if (inv.ok()) return "";
  EXPECT_EQ(inv.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(inv.status().message());
}

TEST(ParseArgsTest, NounVerbArgsAndBothFlagForms) {
  auto inv = Parse(
      {"tasks", "dispatch", "T-1", "--org=O-1", "--person", "P-9", "--note", "请尽快", "--etag="});
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->Name(), "tasks dispatch");
  EXPECT_THAT(inv->args, ElementsAre("T-1"));
  EXPECT_EQ(inv->flags.Get("org"), "O-1");
  EXPECT_EQ(inv->flags.Get("person"), "P-9");
  EXPECT_EQ(inv->flags.Get("note"), "请尽快");
  EXPECT_TRUE(inv->flags.Has("etag"));
  EXPECT_EQ(inv->flags.Get("etag"), "");
  EXPECT_FALSE(inv->flags.Has("deadline"));
}

TEST(ParseArgsTest, NounWithoutVerb) {
  auto inv = Parse({"whoami"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->Name(), "whoami");
}

TEST(ParseArgsTest, GlobalFlagsBeforeAndAfterTheCommand) {
  auto inv = Parse(
      {"--addr", "10.0.0.1:7443", "--output=json", "tasks", "get", "T-1", "--timeout=3s", "--tls"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->globals.Get("addr"), "10.0.0.1:7443");
  EXPECT_EQ(inv->globals.Get("output"), "json");
  EXPECT_EQ(inv->globals.Get("timeout"), "3s");
  EXPECT_TRUE(inv->globals.GetSwitch("tls"));
  EXPECT_FALSE(inv->flags.Has("timeout"));
}

TEST(ParseArgsTest, CommandFlagShadowsTheGlobalOfTheSameName) {
  auto inv = Parse({"--tz", "+08:00", "campaigns", "create", "--tz", "Asia/Shanghai", "--name=n",
                    "--city=c", "--self-check-start=2024-04-01", "--rectification-start=2024-05-01",
                    "--final-assault-start=2024-10-01", "--close-date=2024-11-01"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->globals.Get("tz"), "+08:00");
  EXPECT_EQ(inv->flags.Get("tz"), "Asia/Shanghai");
}

TEST(ParseArgsTest, UnknownFlagSaysWhatIsExpected) {
  EXPECT_THAT(ErrorOf({"tasks", "dispatch", "T-1", "--org=O", "--frob=1"}),
              AllOf(HasSubstr("tasks dispatch"), HasSubstr("unknown flag --frob"),
                    HasSubstr("--org"), HasSubstr("--deadline"), HasSubstr("--addr")));
  EXPECT_THAT(ErrorOf({"--frob", "whoami"}),
              AllOf(HasSubstr("unknown global flag --frob"), HasSubstr("--addr")));
  // A command flag before its verb is not known yet.
  EXPECT_THAT(ErrorOf({"tasks", "--org=O", "dispatch", "T-1"}), HasSubstr("come after its verb"));
  EXPECT_THAT(ErrorOf({"tasks", "list", "-x"}), HasSubstr("spelled --name"));
}

TEST(ParseArgsTest, MissingValue) {
  EXPECT_THAT(ErrorOf({"tasks", "dispatch", "T-1", "--org"}),
              AllOf(HasSubstr("--org needs a value"), HasSubstr("--org=ORG")));
  // The next word is a flag, not the value.
  EXPECT_THAT(ErrorOf({"tasks", "dispatch", "T-1", "--org", "--person=P"}),
              HasSubstr("--org needs a value"));
  EXPECT_THAT(ErrorOf({"--addr"}), HasSubstr("--addr needs a value"));
}

TEST(ParseArgsTest, MissingRequiredFlag) {
  EXPECT_THAT(ErrorOf({"tasks", "dispatch", "T-1"}),
              AllOf(HasSubstr("tasks dispatch: missing required flag --org=ORG"),
                    HasSubstr("responsible organisation")));
  // An empty value does not count.
  EXPECT_THAT(ErrorOf({"tasks", "dispatch", "T-1", "--org="}),
              HasSubstr("missing required flag --org"));
  EXPECT_THAT(ErrorOf({"tasks", "submit", "T-1"}), HasSubstr("--evidence"));
}

TEST(ParseArgsTest, MissingOrExtraArgument) {
  EXPECT_THAT(ErrorOf({"tasks", "get"}),
              AllOf(HasSubstr("tasks get: missing ID"), HasSubstr("usage: tasks get ID")));
  EXPECT_THAT(ErrorOf({"tasks", "get", "T-1", "T-2"}), HasSubstr("unexpected argument 'T-2'"));
  EXPECT_THAT(ErrorOf({"whoami", "me"}), HasSubstr("unexpected argument 'me'"));
}

TEST(ParseArgsTest, OptionalArgument) {
  auto without = Parse({"standards", "show"});
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_THAT(without->args, IsEmpty());
  auto with = Parse({"standards", "show", "civilized-residential", "--version=2024.1"});
  ASSERT_TRUE(with.ok()) << with.status();
  EXPECT_THAT(with->args, ElementsAre("civilized-residential"));
  EXPECT_THAT(ErrorOf({"standards", "show", "a", "b"}),
              AllOf(HasSubstr("unexpected argument 'b'"),
                    HasSubstr("usage: standards show [ID] [--version=VERSION]")));
}

TEST(ParseArgsTest, UnknownOrMissingCommand) {
  EXPECT_THAT(ErrorOf({"taks", "list"}),
              AllOf(HasSubstr("unknown command 'taks'"), HasSubstr("tasks"), HasSubstr("orgs")));
  EXPECT_THAT(ErrorOf({"tasks", "frob"}),
              AllOf(HasSubstr("unknown command 'frob'"), HasSubstr("dispatch"),
                    HasSubstr("decide-extension")));
  EXPECT_THAT(ErrorOf({"tasks"}), AllOf(HasSubstr("missing command"), HasSubstr("list")));
  EXPECT_THAT(ErrorOf({}), HasSubstr("no command given"));
  EXPECT_THAT(ErrorOf({"--output=json"}), HasSubstr("no command given"));
}

TEST(ParseArgsTest, FlagGivenTwice) {
  EXPECT_THAT(ErrorOf({"tasks", "dispatch", "T-1", "--org=A", "--org=B"}),
              HasSubstr("--org given twice"));
}

TEST(ParseArgsTest, RepeatedFlagsKeepEveryValueInOrder) {
  auto inv = Parse({"tasks", "list", "--state=open,dispatched", "--state", "closed"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_THAT(inv->flags.GetAll("state"), ElementsAre("open,dispatched", "closed"));
  EXPECT_THAT(inv->flags.GetAll("category"), IsEmpty());
}

TEST(ParseArgsTest, Switches) {
  auto inv = Parse({"tasks", "list", "--overdue", "--all=false"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->flags.GetSwitch("overdue"));
  EXPECT_FALSE(inv->flags.GetSwitch("all"));
  EXPECT_THAT(ErrorOf({"tasks", "list", "--overdue=maybe"}),
              AllOf(HasSubstr("--overdue is a switch"), HasSubstr("maybe")));
  // A switch does not swallow the next word.
  inv = Parse({"tasks", "get", "--history", "T-1"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_THAT(inv->args, ElementsAre("T-1"));
}

TEST(ParseArgsTest, ExclusiveGroups) {
  EXPECT_THAT(ErrorOf({"tasks", "create", "--campaign=C", "--community=M", "--category=x",
                       "--title=t", "--planned=1", "--planned-fen=100"}),
              HasSubstr("at most one of --planned, --planned-fen"));
  EXPECT_THAT(ErrorOf({"tasks", "decide-extension", "T-1"}),
              HasSubstr("exactly one of --approve, --deny"));
  EXPECT_THAT(ErrorOf({"tasks", "decide-extension", "T-1", "--approve", "--deny"}),
              HasSubstr("exactly one of --approve, --deny"));
  EXPECT_TRUE(Parse({"tasks", "decide-extension", "T-1", "--deny"}).ok());
  // --approve=false is not giving --approve.
  EXPECT_TRUE(Parse({"tasks", "decide-extension", "T-1", "--approve=false", "--deny"}).ok());
}

TEST(ParseArgsTest, DoubleDashEndsFlags) {
  auto inv = Parse({"tasks", "get", "--", "--odd-id"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_THAT(inv->args, ElementsAre("--odd-id"));
}

TEST(ParseArgsTest, ValuesMayStartWithASingleDash) {
  auto inv = Parse({"tasks", "reject", "T-1", "--reason", "-still dirty-"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->flags.Get("reason"), "-still dirty-");
}

TEST(ParseArgsTest, HelpForms) {
  for (const auto& [argv, topic] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"help"}, ""},
           {{"--help"}, ""},
           {{"-h"}, ""},
           {{"help", "tasks"}, "tasks"},
           {{"tasks", "help"}, "tasks"},
           {{"tasks", "dispatch", "--help"}, "tasks"},
           {{"tasks", "dispatch", "help"}, "tasks"},
           {{"--output=json", "orgs", "-h"}, "orgs"}}) {
    auto inv = Parse(argv);
    ASSERT_TRUE(inv.ok()) << inv.status();
    EXPECT_EQ(inv->command, nullptr);
    EXPECT_EQ(inv->help_topic, topic);
  }
}

TEST(UsageTest, EverythingOrOneNoun) {
  const std::string all = Usage("rectifyctl", GlobalFlags(), CommandSpecs(), "");
  for (const char* text :
       {"usage: rectifyctl [global flags] <noun> <verb>", "whoami", "campaigns create",
        "orgs set-head ID", "tasks decide-extension ID", "tokens issue", "--addr=HOST:PORT",
        "RECTIFY_TOKEN", "--tz=ZONE", "standards show [ID]", "inspections get ID",
        "campaigns readiness ID", "selfcheck submit"}) {
    EXPECT_THAT(all, HasSubstr(text));
  }
  const std::string tasks = Usage("rectifyctl", GlobalFlags(), CommandSpecs(), "tasks");
  EXPECT_THAT(tasks, HasSubstr("rectifyctl tasks dispatch ID --org=ORG [--person=PERSON]"));
  EXPECT_THAT(tasks, HasSubstr("in_progress"));
  EXPECT_THAT(tasks, Not(HasSubstr("orgs set-head")));
  EXPECT_EQ(Usage("rectifyctl", GlobalFlags(), CommandSpecs(), "nope"), "");
}

TEST(SynopsisTest, RequiredThenGroupsThenOptional) {
  const CommandSpec* decide = nullptr;
  const CommandSpec* create = nullptr;
  for (const CommandSpec& spec : CommandSpecs()) {
    if (spec.Name() == "tasks decide-extension") decide = &spec;
    if (spec.Name() == "tasks create") create = &spec;
  }
  ASSERT_NE(decide, nullptr);
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(Synopsis(*decide),
            "tasks decide-extension ID (--approve|--deny) [--comment=TEXT] [--etag=ETAG] "
            "[--request-id=ID]");
  EXPECT_THAT(Synopsis(*create),
              HasSubstr("--title=TITLE [--description=TEXT] [--source=SOURCE] [--item=ITEM] "
                        "[--planned=YUAN|--planned-fen=FEN] [--payer=PAYER]"));
}

TEST(SynopsisTest, NewCommandsAsDocumented) {
  std::map<std::string, std::string> synopses;
  for (const CommandSpec& spec : CommandSpecs()) synopses[spec.Name()] = Synopsis(spec);
  EXPECT_EQ(synopses["inspections record"],
            "inspections record [--campaign=ID] [--community=ID] [--kind=KIND] [--date=DATE] "
            "[--deduct=RULE[xCOUNT][!][:NOTE]...] [--note=TEXT] [--file=SHEET] "
            "[--request-id=ID]");
  EXPECT_EQ(synopses["campaigns advance"],
            "campaigns advance ID [--to=PHASE] [--force] [--reason=TEXT] [--etag=ETAG] "
            "[--request-id=ID]");
  EXPECT_EQ(synopses["selfcheck submit"],
            "selfcheck submit --campaign=ID --community=ID "
            "[--item=CATEGORY|TITLE[|PLANNED_YUAN[|STANDARD_ITEM]]...] [--file=FILE] "
            "[--nothing-found] [--request-id=ID]");
}

TEST(ParseArgsTest, WorksOnAnySpec) {
  std::vector<FlagSpec> globals = {{"v", FlagSpec::Kind::kSwitch, "", "verbose", false}};
  std::vector<CommandSpec> commands(1);
  commands[0].noun = "greet";
  commands[0].positionals = {"NAME"};
  commands[0].flags = {{"times", FlagSpec::Kind::kValue, "N", "", true}};
  auto inv = ParseArgs(globals, commands, {"greet", "ada", "--times=2", "--v"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_THAT(inv->args, ElementsAre("ada"));
  EXPECT_EQ(inv->flags.Get("times"), "2");
  EXPECT_TRUE(inv->globals.GetSwitch("v"));
  EXPECT_FALSE(ParseArgs(globals, commands, {"greet", "ada"}).ok());
}

}  // namespace
}  // namespace rectify::client::cli
