// rectifyctl end to end, in-process, against the fake server.
#include "client/cli/app.h"

#include <fstream>
#include <map>
#include <sstream>

#include "client/cli/commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/fake_server.h"
#include "tests/client/sheet_samples.h"

namespace rectify::client::cli {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kSha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    env_["RECTIFY_ADDR"] = server_.address();
    env_["RECTIFY_TOKEN"] = "env-token";
  }

  // Runs rectifyctl; fills out_ and err_, returns the exit code.
  int Run(std::vector<std::string> argv) {
    std::ostringstream out, err;
    const int code = RunCli(argv, out, err, [this](const std::string& name) {
      auto it = env_.find(name);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
    out_ = out.str();
    err_ = err.str();
    return code;
  }

  static v1::Task Task(const std::string& id, const std::string& title, bool overdue) {
    v1::Task task;
    task.set_id(id);
    task.set_title(title);
    task.set_state(v1::TASK_STATE_DISPATCHED);
    task.set_overdue(overdue);
    task.mutable_budget()->set_planned_fen(123450);
    return task;
  }

  void ThreeTasksInTwoPages() {
    v1::ListTasksResponse page0, page1;
    *page0.add_tasks() = Task("T-1", "楼道堆物", true);
    *page0.add_tasks() = Task("T-2", "bins, overflowing", false);
    page0.set_next_page_token("p1");
    page0.set_total_size(3);
    *page1.add_tasks() = Task("T-3", "高空抛物", false);
    page1.set_total_size(3);
    server_.backend.task_pages = {page0, page1};
  }

  test::FakeServer server_;
  std::map<std::string, std::string> env_;
  std::string out_, err_;
};

TEST_F(AppTest, TokenAndAddressComeFromTheEnvironmentOrFlags) {
  ASSERT_EQ(Run({"whoami"}), kExitOk) << err_;
  ASSERT_EQ(Run({"--token=flag-token", "whoami"}), kExitOk) << err_;
  const auto calls = server_.backend.calls();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[0].authorization, "Bearer env-token");
  EXPECT_EQ(calls[1].authorization, "Bearer flag-token");
}

TEST_F(AppTest, TasksListTableHasAlignedRowsAndAFooter) {
  ThreeTasksInTwoPages();
  ASSERT_EQ(Run({"tasks", "list", "--state=open,dispatched", "--overdue", "--due-within=48h"}),
            kExitOk)
      << err_;
  EXPECT_THAT(out_, HasSubstr("T-1  dispatched  !        "));
  EXPECT_THAT(out_, HasSubstr("楼道堆物"));
  EXPECT_THAT(out_, HasSubstr("¥1,234.50"));
  EXPECT_THAT(out_, HasSubstr("showing 1–2 of 3 (next page: --page-token p1)\n"));
  auto request = server_.backend.LastRequest<v1::ListTasksRequest>("ListTasks");
  ASSERT_NE(request, nullptr);
  EXPECT_THAT(request->states(), ElementsAre(v1::TASK_STATE_OPEN, v1::TASK_STATE_DISPATCHED));
  EXPECT_TRUE(request->overdue());
  EXPECT_EQ(request->due_within().seconds(), 48 * 3600);
}

TEST_F(AppTest, TasksListNextPageAndAll) {
  ThreeTasksInTwoPages();
  ASSERT_EQ(Run({"tasks", "list", "--page-token", "p1"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("showing 1 of 3\n"));
  ASSERT_EQ(Run({"tasks", "list", "--all"}), kExitOk) << err_;
  EXPECT_THAT(out_, AllOf(HasSubstr("T-1"), HasSubstr("T-2"), HasSubstr("T-3")));
  EXPECT_THAT(out_, HasSubstr("showing 1–3 of 3\n"));
  auto request = server_.backend.LastRequest<v1::ListTasksRequest>("ListTasks");
  EXPECT_EQ(request->page_size(), 1000);
}

TEST_F(AppTest, TasksListCsvIsRfc4180WithPlainMoney) {
  ThreeTasksInTwoPages();
  ASSERT_EQ(Run({"tasks", "list", "--output=csv"}), kExitOk) << err_;
  EXPECT_THAT(out_, StartsWith("ID,STATE,OVERDUE,CATEGORY,TITLE,COMMUNITY,RESPONSIBLE,DEADLINE,"
                               "PLANNED\r\n"));
  EXPECT_THAT(out_, HasSubstr("T-1,dispatched,true,,楼道堆物,,,,1234.50\r\n"));
  EXPECT_THAT(out_, HasSubstr("T-2,dispatched,false,,\"bins, overflowing\",,,,1234.50\r\n"));
  EXPECT_THAT(out_, Not(HasSubstr("showing")));  // the footer goes to stderr
  EXPECT_THAT(err_, HasSubstr("showing 1–2 of 3"));
}

TEST_F(AppTest, JsonKeepsProtoFieldNames) {
  server_.backend.whoami.mutable_person()->set_organisation_id("O-1");
  ASSERT_EQ(Run({"whoami", "--output", "json"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("\"organisation_id\": \"O-1\""));
}

TEST_F(AppTest, TasksCreateSendsExactFen) {
  ASSERT_EQ(Run({"tasks", "create", "--campaign=C-1", "--community=M-1", "--category=sanitation",
                 "--title=楼道堆物", "--planned", "1234.5", "--payer=owners", "--source",
                 "volunteer_report", "--item=2.1", "--request-id=abc"}),
            kExitOk)
      << err_;
  auto request = server_.backend.LastRequest<v1::CreateTaskRequest>("CreateTask");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->request_id(), "abc");
  EXPECT_EQ(request->task().budget().planned_fen(), 123450);
  EXPECT_EQ(request->task().budget().payer(), v1::PAYER_OWNERS);
  EXPECT_EQ(request->task().source(), v1::TASK_SOURCE_VOLUNTEER_REPORT);
  EXPECT_EQ(request->task().standard_item(), "2.1");
  EXPECT_THAT(out_, HasSubstr("budget.planned:"));
  EXPECT_THAT(out_, HasSubstr("¥1,234.50"));
}

TEST_F(AppTest, BadArgumentsAreUsageErrorsAndCallNothing) {
  EXPECT_EQ(Run({"tasks", "create", "--campaign=C", "--community=M", "--category=x", "--title=t",
                 "--planned=1.234"}),
            kExitUsage);
  EXPECT_THAT(err_, AllOf(HasSubstr("error: --planned: invalid amount '1.234'"),
                          HasSubstr("run 'rectifyctl tasks help'")));
  EXPECT_EQ(Run({"tasks", "list", "--state=finished"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("--state: 'finished' is not a valid TaskState"));
  EXPECT_EQ(Run({"tasks", "submit", "T-1", "--evidence=photo.jpg"}), kExitUsage);
  EXPECT_EQ(Run({"tasks", "dispatch", "T-1", "--org=O", "--deadline=soon"}), kExitUsage);
  EXPECT_EQ(Run({"tasks", "list", "--page-size=0"}), kExitUsage);
  EXPECT_EQ(Run({"--output=yaml", "whoami"}), kExitUsage);
  EXPECT_EQ(Run({"--tz=Mars/Olympus", "whoami"}), kExitUsage);
  EXPECT_EQ(Run({"tasks", "frob"}), kExitUsage);
  EXPECT_THAT(server_.backend.calls(), IsEmpty());
}

TEST_F(AppTest, RpcErrorPrintsCodeAndMessage) {
  server_.backend.FailNext(
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                   "task 'T-1' is in state SUBMITTED; 'start' needs ACCEPTED"));
  EXPECT_EQ(Run({"tasks", "start", "T-1"}), kExitRpcError);
  EXPECT_EQ(err_,
            "error: FAILED_PRECONDITION: task 'T-1' is in state SUBMITTED; 'start' needs "
            "ACCEPTED\n");
  EXPECT_EQ(out_, "");
}

TEST_F(AppTest, UnavailableMutationSuggestsTheSameRequestId) {
  server_.backend.FailNext(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"), 10);
  EXPECT_EQ(Run({"tasks", "ack", "T-1"}), kExitRpcError);
  const auto calls = server_.backend.calls();
  ASSERT_THAT(calls, SizeIs(3));  // the library retried
  EXPECT_THAT(calls[0].request_id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_THAT(err_, HasSubstr("error: UNAVAILABLE: down\n"));
  EXPECT_THAT(err_, HasSubstr("--request-id=" + calls[0].request_id));
}

TEST_F(AppTest, LifecycleCommandsBuildTheirRequests) {
  server_.backend.task = Task("T-1", "x", false);
  ASSERT_EQ(
      Run({"tasks", "dispatch", "T-1", "--org=O-7", "--deadline=2024-05-10T18:00", "--etag=e1"}),
      kExitOk)
      << err_;
  auto dispatch = server_.backend.LastRequest<v1::DispatchTaskRequest>("DispatchTask");
  ASSERT_NE(dispatch, nullptr);
  EXPECT_EQ(dispatch->task_id(), "T-1");
  EXPECT_EQ(dispatch->etag(), "e1");
  EXPECT_EQ(dispatch->responsible_org_id(), "O-7");
  EXPECT_EQ(dispatch->deadline().seconds(), 1715335200);  // read in UTC+8
  EXPECT_THAT(out_, HasSubstr("dispatched → dispatched"));
  EXPECT_THAT(out_, HasSubstr("task.dispatched #7"));

  ASSERT_EQ(Run({"tasks", "submit", "T-1", "--evidence", std::string("s3://b/a#1.jpg#") + kSha,
                 "--evidence", std::string("https://x/y.pdf#") + kSha, "--actual-fen=1230"}),
            kExitOk)
      << err_;
  auto submit = server_.backend.LastRequest<v1::SubmitTaskRequest>("SubmitTask");
  ASSERT_NE(submit, nullptr);
  ASSERT_EQ(submit->evidence_size(), 2);
  EXPECT_EQ(submit->evidence(0).uri(), "s3://b/a#1.jpg");  // split at the last '#'
  EXPECT_EQ(submit->evidence(0).sha256(), kSha);
  EXPECT_TRUE(submit->has_actual_fen());
  EXPECT_EQ(submit->actual_fen(), 1230);

  ASSERT_EQ(Run({"tasks", "decide-extension", "T-1", "--deny", "--comment=no"}), kExitOk) << err_;
  auto decide = server_.backend.LastRequest<v1::DecideExtensionRequest>("DecideExtension");
  ASSERT_NE(decide, nullptr);
  EXPECT_FALSE(decide->approve());
  EXPECT_EQ(decide->comment(), "no");
}

TEST_F(AppTest, EveryLifecycleCommandSendsTaskEtagRequestIdAndItsText) {
  server_.backend.task = Task("T-9", "x", false);
  struct Case {
    std::vector<std::string> argv;  // after "tasks"
    std::string method;
    std::string text_field;  // set to "words" by the command's text flag; "" if none
  };
  const Case cases[] = {
      {{"ack"}, "AcknowledgeTask", ""},
      {{"return", "--reason=words"}, "ReturnTask", "reason"},
      {{"start"}, "StartTask", ""},
      {{"verify", "--comment=words"}, "VerifyTask", "comment"},
      {{"reject", "--reason=words"}, "RejectTask", "reason"},
      {{"suspend", "--reason=words", "--until=2024-05-10T18:00"}, "SuspendTask", "reason"},
      {{"resume"}, "ResumeTask", ""},
      {{"void", "--reason=words"}, "VoidTask", "reason"},
      {{"extend", "--reason=words", "--until=2024-05-10T18:00"}, "RequestExtension", "reason"},
      {{"urge", "--opinion=words"}, "UrgeTask", "opinion"},
      {{"reply-urge", "--reply=words"}, "ReplyUrging", "reply"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {"tasks", c.argv[0], "T-9", "--etag=e3"};
    argv.insert(argv.end(), c.argv.begin() + 1, c.argv.end());
    ASSERT_EQ(Run(argv), kExitOk) << c.method << ": " << err_;
    const std::vector<test::RecordedCall> calls = server_.backend.calls();
    ASSERT_FALSE(calls.empty());
    const test::RecordedCall& call = calls.back();
    EXPECT_EQ(call.method, c.method);
    EXPECT_THAT(call.request_id, MatchesRegex("[0-9a-f]{32}")) << c.method;
    const google::protobuf::Message& request = *call.request;
    auto text = [&request](const std::string& name) {
      const google::protobuf::FieldDescriptor* field =
          request.GetDescriptor()->FindFieldByName(name);
      return field == nullptr ? "<no field " + name + ">"
                              : request.GetReflection()->GetString(request, field);
    };
    EXPECT_EQ(text("task_id"), "T-9") << c.method;
    EXPECT_EQ(text("etag"), "e3") << c.method;
    if (!c.text_field.empty()) {
      EXPECT_EQ(text(c.text_field), "words") << c.method;
    }
    EXPECT_THAT(out_, HasSubstr("task:")) << c.method;
  }
  auto suspend = server_.backend.LastRequest<v1::SuspendTaskRequest>("SuspendTask");
  ASSERT_NE(suspend, nullptr);
  EXPECT_EQ(suspend->until().seconds(), 1715335200);  // read in UTC+8
  auto extend = server_.backend.LastRequest<v1::RequestExtensionRequest>("RequestExtension");
  ASSERT_NE(extend, nullptr);
  EXPECT_EQ(extend->new_deadline().seconds(), 1715335200);
}

TEST_F(AppTest, GetCommandsAskForTheIdAndShowTheResource) {
  const std::pair<const char*, const char*> cases[] = {{"campaigns", "GetCampaign"},
                                                       {"orgs", "GetOrganisation"},
                                                       {"people", "GetPerson"},
                                                       {"communities", "GetCommunity"}};
  for (const auto& [noun, method] : cases) {
    ASSERT_EQ(Run({noun, "get", "X-5"}), kExitOk) << method << ": " << err_;
    const std::vector<test::RecordedCall> calls = server_.backend.calls();
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back().method, method);
    const google::protobuf::Message& request = *calls.back().request;
    EXPECT_EQ(
        request.GetReflection()->GetString(request, request.GetDescriptor()->FindFieldByName("id")),
        "X-5")
        << method;
    EXPECT_THAT(out_, HasSubstr("X-5")) << method;
  }
}

TEST_F(AppTest, SubmitWithoutActualLeavesItUnset) {
  ASSERT_EQ(Run({"tasks", "submit", "T-1", std::string("--evidence=u#") + kSha}), kExitOk) << err_;
  auto submit = server_.backend.LastRequest<v1::SubmitTaskRequest>("SubmitTask");
  ASSERT_NE(submit, nullptr);
  EXPECT_FALSE(submit->has_actual_fen());
}

TEST_F(AppTest, OrgsSetHeadSendsAMaskedUpdate) {
  ASSERT_EQ(Run({"orgs", "set-head", "O-1", "--head=P-2", "--etag=e9"}), kExitOk) << err_;
  auto update = server_.backend.LastRequest<v1::UpdateOrganisationRequest>("UpdateOrganisation");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->organisation().id(), "O-1");
  EXPECT_EQ(update->organisation().head_person_id(), "P-2");
  EXPECT_EQ(update->organisation().etag(), "e9");
  EXPECT_THAT(update->update_mask().paths(), ElementsAre("head_person_id"));
}

TEST_F(AppTest, TasksGetWithHistoryShowsAnEventTable) {
  server_.backend.task = Task("T-1", "楼道堆物", true);
  v1::Event* event = server_.backend.task.add_history();
  event->set_seq(1);
  event->set_type("task.created");
  event->set_to_state("TASK_STATE_OPEN");
  ASSERT_EQ(Run({"--tz=UTC", "tasks", "get", "T-1", "--history"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("title:"));
  EXPECT_THAT(out_, HasSubstr("\nhistory:\nSEQ"));
  EXPECT_THAT(out_, HasSubstr("task.created"));
  auto get = server_.backend.LastRequest<v1::GetTaskRequest>("GetTask");
  EXPECT_TRUE(get->include_history());
}

TEST_F(AppTest, TokensIssueParsesTtl) {
  ASSERT_EQ(Run({"tokens", "issue", "--person=P-1", "--ttl=30d", "--label=ci"}), kExitOk) << err_;
  auto issue = server_.backend.LastRequest<v1::IssueTokenRequest>("IssueToken");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->ttl().seconds(), 30 * 24 * 3600);
  EXPECT_THAT(out_, HasSubstr("secret-token"));
  EXPECT_THAT(out_, HasSubstr("never"));
}

TEST_F(AppTest, HelpGoesToStdoutWithExitZero) {
  EXPECT_EQ(Run({"help"}), kExitOk);
  EXPECT_THAT(out_, HasSubstr("usage: rectifyctl"));
  EXPECT_EQ(Run({"tasks", "help"}), kExitOk);
  EXPECT_THAT(out_, HasSubstr("tasks reply-urge ID --reply=TEXT"));
  EXPECT_EQ(Run({"help", "nope"}), kExitUsage);
}

TEST_F(AppTest, WarnsWhenATokenWouldCrossTheNetworkInPlaintext) {
  // Nothing listens there; the warning comes before the call.
  EXPECT_EQ(Run({"--addr=192.0.2.1:7443", "--timeout=50ms", "whoami"}), kExitRpcError);
  EXPECT_THAT(err_, HasSubstr("warning: sending the bearer token without TLS"));
  EXPECT_EQ(Run({"whoami"}), kExitOk);
  EXPECT_THAT(err_, Not(HasSubstr("warning")));
}

// ---- Standards, inspections, campaigns, self-check lists -----------------------

// Writes `text` to a fresh file under the test's temporary directory.
std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::vector<std::string> Methods(const test::FakeBackend& backend) {
  std::vector<std::string> methods;
  for (const test::RecordedCall& call : backend.calls()) methods.push_back(call.method);
  return methods;
}

class SheetAppTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    server_.backend.standard = test::SampleStandard();
    server_.backend.inspection = test::SampleInspection();
  }
};

TEST_F(SheetAppTest, StandardsShowDefaultsToTheOnlyStandardLoaded) {
  v1::Standard older = test::SampleStandard();
  older.set_version("2023.1");
  *server_.backend.standards.add_standards() = older;
  *server_.backend.standards.add_standards() = test::SampleStandard();
  ASSERT_EQ(Run({"standards", "list"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("civilized-residential  2023.1"));
  ASSERT_EQ(Run({"standards", "show", "--version=2023.1"}), kExitOk) << err_;
  auto get = server_.backend.LastRequest<v1::GetStandardRequest>("GetStandard");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->id(), "civilized-residential");  // two versions, one standard
  EXPECT_EQ(get->version(), "2023.1");
  EXPECT_EQ(out_, test::RenderedSampleStandard());
}

TEST_F(SheetAppTest, StandardsShowWithSeveralStandardsAsksWhich) {
  v1::Standard other = test::SampleStandard();
  other.set_id("street-2024");
  *server_.backend.standards.add_standards() = test::SampleStandard();
  *server_.backend.standards.add_standards() = other;
  EXPECT_EQ(Run({"standards", "show"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("the server has 2 standards (civilized-residential, street-2024); "
                              "say which: standards show ID"));
  EXPECT_THAT(Methods(server_.backend), ElementsAre("ListStandards"));

  ASSERT_EQ(Run({"--output=csv", "standards", "show", "street-2024"}), kExitOk) << err_;
  EXPECT_THAT(out_, StartsWith("CATEGORY,CATEGORY NAME,CATEGORY POINTS,RESPONSIBLE,ITEM,"));
  EXPECT_EQ(server_.backend.LastRequest<v1::GetStandardRequest>("GetStandard")->id(),
            "street-2024");
}

TEST_F(SheetAppTest, InspectionsRecordSendsTheSheetAndPrintsItScored) {
  ASSERT_EQ(Run({"inspections", "record", "--campaign=demo", "--community=cm-xingfu",
                 "--kind=weekly", "--date=2024-05-06", "--deduct", "2.2bx2!:3号楼东侧",
                 "--deduct=3.2a", "--note=第二周复查", "--request-id=r-1"}),
            kExitOk)
      << err_;
  auto record = server_.backend.LastRequest<v1::RecordInspectionRequest>("RecordInspection");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->request_id(), "r-1");
  const v1::Inspection& sheet = record->inspection();
  EXPECT_EQ(sheet.campaign_id(), "demo");
  EXPECT_EQ(sheet.community_id(), "cm-xingfu");
  EXPECT_EQ(sheet.kind(), v1::INSPECTION_KIND_WEEKLY);
  EXPECT_EQ(sheet.date(), "2024-05-06");
  EXPECT_EQ(sheet.note(), "第二周复查");
  ASSERT_THAT(sheet.deductions(), SizeIs(2));
  EXPECT_EQ(sheet.deductions(0).rule_id(), "2.2b");
  EXPECT_EQ(sheet.deductions(0).count(), 2);
  EXPECT_TRUE(sheet.deductions(0).open_task());
  EXPECT_EQ(sheet.deductions(0).note(), "3号楼东侧");
  EXPECT_EQ(sheet.deductions(1).rule_id(), "3.2a");
  EXPECT_FALSE(sheet.deductions(1).open_task());
  // The rules' texts come from the standard the sheet was scored against.
  EXPECT_THAT(Methods(server_.backend), ElementsAre("RecordInspection", "GetStandard"));
  auto get = server_.backend.LastRequest<v1::GetStandardRequest>("GetStandard");
  EXPECT_EQ(get->id(), "civilized-residential");
  EXPECT_EQ(get->version(), "2024.1");
  EXPECT_EQ(out_, test::RenderedSampleSheet());
}

TEST_F(SheetAppTest, InspectionsRecordFromAFileWithFlagsOverridingItsHeader) {
  const std::string path = WriteTempFile("week.sheet",
                                         "# 幸福小区 周检查\n"
                                         "campaign demo\n"
                                         "community cm-xingfu\n"
                                         "kind weekly\n"
                                         "date 2024-05-01\n"
                                         "note from the file\n"
                                         "2.2b 2 open 3号楼东侧\n"
                                         "3.2a\n");
  ASSERT_EQ(Run({"inspections", "record", "--file", path, "--community=cm-tuanjie",
                 "--date=2024-05-06", "--deduct=1.1b!"}),
            kExitOk)
      << err_;
  auto record = server_.backend.LastRequest<v1::RecordInspectionRequest>("RecordInspection");
  ASSERT_NE(record, nullptr);
  EXPECT_THAT(record->request_id(), MatchesRegex("[0-9a-f]{32}"));
  const v1::Inspection& sheet = record->inspection();
  EXPECT_EQ(sheet.campaign_id(), "demo");
  EXPECT_EQ(sheet.community_id(), "cm-tuanjie");
  EXPECT_EQ(sheet.kind(), v1::INSPECTION_KIND_WEEKLY);
  EXPECT_EQ(sheet.date(), "2024-05-06");
  EXPECT_EQ(sheet.note(), "from the file");
  ASSERT_THAT(sheet.deductions(), SizeIs(3));  // the file's, then the flag's
  EXPECT_EQ(sheet.deductions(0).rule_id(), "2.2b");
  EXPECT_EQ(sheet.deductions(0).count(), 2);
  EXPECT_TRUE(sheet.deductions(0).open_task());
  EXPECT_EQ(sheet.deductions(1).rule_id(), "3.2a");
  EXPECT_EQ(sheet.deductions(2).rule_id(), "1.1b");
  EXPECT_TRUE(sheet.deductions(2).open_task());
}

TEST_F(SheetAppTest, InspectionsRecordMistakesAreUsageErrorsThatCallNothing) {
  const std::string bad = WriteTempFile("bad.sheet", "campaign demo\nkind weekly\n2.2b 0\n");
  const std::string full = WriteTempFile("full.sheet", "campaign demo\ncommunity c\nkind weekly\n");
  const std::vector<std::string> base = {"inspections", "record", "--campaign=demo",
                                         "--community=cm-xingfu"};
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const Case cases[] = {
      {{"--kind=weekly", "--deduct=2.2b!x2"},
       "--deduct: invalid deduction '2.2b!x2': '!' comes after the count"},
      {{"--kind=weekly", "--deduct=2.2bx0"}, "--deduct: invalid deduction '2.2bx0': count '0'"},
      {{"--kind=monthly"}, "--kind: 'monthly' is not a valid InspectionKind"},
      {{"--kind=weekly", "--date=2024-13-01"}, "--date: "},
      {{}, "missing --kind (or a 'kind' line in --file)"},
      {{"--file", bad}, "--file: " + bad + ":3: rule 2.2b: count '0'"},
      {{"--file", ::testing::TempDir() + "none.sheet"}, "--file: sheet file '"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = base;
    argv.insert(argv.end(), c.extra.begin(), c.extra.end());
    EXPECT_EQ(Run(argv), kExitUsage) << c.message;
    EXPECT_THAT(err_, AllOf(HasSubstr("error: " + c.message),
                            HasSubstr("run 'rectifyctl inspections help'")));
  }
  EXPECT_EQ(Run({"inspections", "record", "--file", full, "--community="}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("missing --community"));
  EXPECT_THAT(server_.backend.calls(), IsEmpty());
}

TEST_F(SheetAppTest, InspectionsRecordRefusedByTheServerIsAnRpcError) {
  server_.backend.FailNext(grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      "'deductions[0].rule_id' is '9.9z', which is not a rule of standard civilized-residential"));
  EXPECT_EQ(Run({"inspections", "record", "--campaign=demo", "--community=cm-xingfu",
                 "--kind=weekly", "--deduct=9.9z"}),
            kExitRpcError);
  EXPECT_THAT(err_, StartsWith("error: INVALID_ARGUMENT: 'deductions[0].rule_id' is '9.9z'"));
  EXPECT_EQ(out_, "");
}

TEST_F(SheetAppTest, InspectionsGetPrintsTheSheetEvenWithoutItsStandard) {
  ASSERT_EQ(Run({"inspections", "get", "I-4"}), kExitOk) << err_;
  EXPECT_EQ(server_.backend.LastRequest<v1::GetInspectionRequest>("GetInspection")->id(), "I-4");
  EXPECT_EQ(out_, test::RenderedSampleSheet());

  server_.backend.FailNextCallOf(
      "GetStandard", grpc::Status(grpc::StatusCode::NOT_FOUND, "no standard 'x' version 1"));
  ASSERT_EQ(Run({"inspections", "get", "I-4"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("  2.2b     ×2  −4  task T-12  3号楼东侧\n"));
  EXPECT_THAT(err_, HasSubstr("warning: cannot fetch standard civilized-residential@2024.1 "
                              "(NOT_FOUND: no standard 'x' version 1); the rules' texts are left "
                              "out\n"));
}

TEST_F(SheetAppTest, InspectionsGetAsJsonAndCsv) {
  ASSERT_EQ(Run({"--output=json", "inspections", "get", "I-4"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("\"previous_inspection_id\": \"I-3\""));
  EXPECT_THAT(Methods(server_.backend), ElementsAre("GetInspection"));  // JSON needs no texts

  ASSERT_EQ(Run({"--output=csv", "inspections", "get", "I-4"}), kExitOk) << err_;
  EXPECT_EQ(out_,
            "INSPECTION,COMMUNITY,DATE,CATEGORY,RULE,TEXT,COUNT,POINTS,TASK,NOTE\r\n"
            "I-4,cm-xingfu,2024-05-06,sanitation,2.2b,垃圾箱满溢每个扣2分,2,4,T-12,3号楼东侧\r\n"
            "I-4,cm-xingfu,2024-05-06,order,3.2a,不符合要求每例扣1分,1,1,,\r\n"
            "I-4,cm-xingfu,2024-05-06,sanitation,2.1a,以1平方米为单位，每处扣1分,12,5,,北门\r\n");
}

TEST_F(SheetAppTest, InspectionsListFiltersAndSaysWhenThereMayBeMore) {
  *server_.backend.inspections.add_inspections() = test::SampleInspection();
  ASSERT_EQ(Run({"inspections", "list", "--campaign=demo", "--community=cm-xingfu", "--kind=weekly",
                 "--page-size=1"}),
            kExitOk)
      << err_;
  auto list = server_.backend.LastRequest<v1::ListInspectionsRequest>("ListInspections");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->campaign_id(), "demo");
  EXPECT_EQ(list->community_id(), "cm-xingfu");
  EXPECT_EQ(list->kind(), v1::INSPECTION_KIND_WEEKLY);
  EXPECT_EQ(list->page_size(), 1);
  EXPECT_EQ(out_,
            "ID   DATE        COMMUNITY  KIND    SCORE  DEDUCTIONS\n"
            "I-4  2024-05-06  cm-xingfu  weekly  50/60  3\n"
            "showing 1, newest first (there may be more: --page-size up to 1000)\n");
  ASSERT_EQ(Run({"--output=csv", "inspections", "list"}), kExitOk) << err_;
  EXPECT_EQ(out_,
            "ID,DATE,COMMUNITY,KIND,TOTAL,MAX,DEDUCTIONS\r\n"
            "I-4,2024-05-06,cm-xingfu,weekly,50,60,3\r\n");
  EXPECT_EQ(err_, "showing 1, newest first\n");
}

TEST_F(AppTest, CampaignsAdvanceForcedShowsWhatWasOverridden) {
  v1::AdvancePhaseResponse& answer = server_.backend.advance;
  answer.mutable_campaign()->set_id("demo");
  answer.mutable_campaign()->set_phase(v1::PHASE_FINAL_ASSAULT);
  answer.mutable_campaign()->set_etag("4");
  answer.mutable_event()->set_seq(126);
  answer.mutable_event()->set_type("campaign.phase_advanced");
  answer.mutable_event()->set_from_state("RECTIFICATION");
  answer.mutable_event()->set_reason("市里要求提前攻坚");
  answer.add_overridden("no inspection during rectification: cm-talimu");
  answer.add_overridden("2 communities have no self-check list");
  ASSERT_EQ(Run({"campaigns", "advance", "demo", "--to=final_assault", "--force",
                 "--reason=市里要求提前攻坚", "--etag=3"}),
            kExitOk)
      << err_;
  auto request = server_.backend.LastRequest<v1::AdvancePhaseRequest>("AdvancePhase");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->campaign_id(), "demo");
  EXPECT_EQ(request->to_phase(), v1::PHASE_FINAL_ASSAULT);
  EXPECT_TRUE(request->force());
  EXPECT_EQ(request->reason(), "市里要求提前攻坚");
  EXPECT_EQ(request->etag(), "3");
  EXPECT_THAT(request->request_id(), MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(out_,
            "campaign:    demo\n"
            "phase:       rectification → final_assault\n"
            "event:       campaign.phase_advanced #126\n"
            "etag:        4\n"
            "forced:      yes\n"
            "reason:      市里要求提前攻坚\n"
            "overridden:  no inspection during rectification: cm-talimu\n"
            "             2 communities have no self-check list\n");

  EXPECT_EQ(Run({"campaigns", "advance", "demo", "--force"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("error: --force needs --reason"));
  EXPECT_EQ(Run({"campaigns", "advance", "demo", "--to=later"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("--to: 'later' is not a valid Phase"));
  EXPECT_THAT(server_.backend.calls(), SizeIs(1));
}

TEST_F(AppTest, CampaignsGateShowsShortfallsOrThatItPasses) {
  server_.backend.gate.set_phase(v1::PHASE_RECTIFICATION);
  server_.backend.gate.set_next_phase(v1::PHASE_FINAL_ASSAULT);
  server_.backend.gate.set_phase_by_date(v1::PHASE_FINAL_ASSAULT);
  server_.backend.gate.add_shortfalls("no inspection during rectification: cm-talimu");
  server_.backend.gate.add_shortfalls("open tasks: 3");
  ASSERT_EQ(Run({"campaigns", "gate", "demo"}), kExitOk) << err_;
  EXPECT_EQ(server_.backend.LastRequest<v1::GetPhaseGateRequest>("GetPhaseGate")->campaign_id(),
            "demo");
  EXPECT_EQ(out_,
            "campaign:       demo\n"
            "phase:          rectification\n"
            "next phase:     final_assault\n"
            "phase by date:  final_assault\n"
            "gate:           blocked\n"
            "shortfalls:     no inspection during rectification: cm-talimu\n"
            "                open tasks: 3\n");

  server_.backend.gate.clear_shortfalls();
  ASSERT_EQ(Run({"campaigns", "gate", "demo"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("gate:           passes\n"));
  EXPECT_THAT(out_, Not(HasSubstr("shortfalls")));

  server_.backend.gate.set_phase(v1::PHASE_CLOSED);
  server_.backend.gate.clear_next_phase();
  ASSERT_EQ(Run({"campaigns", "gate", "demo"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("next phase:     — (closed)\n"));
}

TEST_F(AppTest, CampaignsReadinessTableAndFooter) {
  *server_.backend.readiness.mutable_communities() = test::SampleReadiness();
  server_.backend.readiness.set_ready_count(1);
  server_.backend.readiness.set_total_count(3);
  ASSERT_EQ(Run({"campaigns", "readiness", "demo", "--street-office=so-xingfu", "--not-ready"}),
            kExitOk)
      << err_;
  auto request = server_.backend.LastRequest<v1::GetReadinessRequest>("GetReadiness");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->campaign_id(), "demo");
  EXPECT_EQ(request->street_office_id(), "so-xingfu");
  EXPECT_TRUE(request->not_ready_only());
  EXPECT_THAT(out_, StartsWith("COMMUNITY  NAME        STATUS     OPEN  OVERDUE  LAST SCORE  "
                               "TARGET  REASONS\n"));
  EXPECT_THAT(out_, HasSubstr("cm-talimu  塔里木小区  NOT READY  0     0        —           54  "
                              "    never inspected\n"));
  EXPECT_THAT(out_, EndsWith("\nready: 1 of 3\n"));

  ASSERT_EQ(Run({"--output=csv", "campaigns", "readiness", "demo"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("cm-huyang,胡杨小区,true,0,0,60,60,54,\r\n"));
  EXPECT_EQ(err_, "ready: 1 of 3\n");
  EXPECT_FALSE(
      server_.backend.LastRequest<v1::GetReadinessRequest>("GetReadiness")->not_ready_only());
}

TEST_F(AppTest, SelfCheckSubmitTakesItemsFromTheFileThenFlags) {
  v1::SubmitSelfCheckListResponse& answer = server_.backend.self_check;
  answer.mutable_list()->set_campaign_id("demo");
  answer.mutable_list()->set_community_id("cm-xingfu");
  answer.mutable_list()->set_submitted_by("zhang-wei");
  answer.mutable_list()->add_task_ids("T-20");
  answer.mutable_list()->add_task_ids("T-21");
  *answer.add_tasks() = Task("T-20", "垃圾箱破损", false);
  *answer.add_tasks() = Task("T-21", "消防通道堆物", false);
  const std::string path =
      WriteTempFile("list.txt", "# 幸福小区自查\nsanitation|垃圾箱破损|800|2.2\n");
  ASSERT_EQ(Run({"selfcheck", "submit", "--campaign=demo", "--community=cm-xingfu", "--file", path,
                 "--item", "order|消防通道堆物"}),
            kExitOk)
      << err_;
  auto request = server_.backend.LastRequest<v1::SubmitSelfCheckListRequest>("SubmitSelfCheckList");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->campaign_id(), "demo");
  EXPECT_EQ(request->community_id(), "cm-xingfu");
  EXPECT_THAT(request->request_id(), MatchesRegex("[0-9a-f]{32}"));
  ASSERT_THAT(request->items(), SizeIs(2));
  EXPECT_EQ(request->items(0).title(), "垃圾箱破损");
  EXPECT_EQ(request->items(0).budget().planned_fen(), 80000);
  EXPECT_EQ(request->items(0).standard_item(), "2.2");
  EXPECT_EQ(request->items(1).category(), "order");
  EXPECT_THAT(out_, HasSubstr("tasks:         T-20, T-21\n"));
  EXPECT_THAT(out_, HasSubstr("\ntasks opened:\nID    STATE"));
  EXPECT_THAT(out_, HasSubstr("T-21  dispatched"));
}

TEST_F(AppTest, SelfCheckSubmitAnEmptyListMustBeMeant) {
  EXPECT_EQ(Run({"selfcheck", "submit", "--campaign=demo", "--community=cm-xingfu"}), kExitUsage);
  EXPECT_THAT(err_, HasSubstr("no items: give --item or --file, or --nothing-found"));
  EXPECT_EQ(
      Run({"selfcheck", "submit", "--campaign=demo", "--community=cm-xingfu", "--item=sanitation"}),
      kExitUsage);
  EXPECT_THAT(err_, HasSubstr("--item: invalid item 'sanitation': no '|'"));
  EXPECT_EQ(Run({"selfcheck", "submit", "--campaign=demo", "--community=cm-xingfu", "--item=a|b",
                 "--nothing-found"}),
            kExitUsage);
  EXPECT_THAT(server_.backend.calls(), IsEmpty());

  ASSERT_EQ(
      Run({"selfcheck", "submit", "--campaign=demo", "--community=cm-xingfu", "--nothing-found"}),
      kExitOk)
      << err_;
  auto request = server_.backend.LastRequest<v1::SubmitSelfCheckListRequest>("SubmitSelfCheckList");
  ASSERT_NE(request, nullptr);
  EXPECT_THAT(request->items(), IsEmpty());
  EXPECT_THAT(out_, HasSubstr("none (nothing found)"));
}

TEST_F(AppTest, SelfCheckGetShowsTheList) {
  v1::SelfCheckList& list = *server_.backend.self_check.mutable_list();
  list.set_campaign_id("demo");
  list.set_community_id("cm-xingfu");
  list.set_submitted_by("zhang-wei");
  list.mutable_submit_time()->set_seconds(1715335200);
  list.add_task_ids("T-20");
  ASSERT_EQ(Run({"selfcheck", "get", "--campaign=demo", "--community=cm-xingfu"}), kExitOk) << err_;
  auto request = server_.backend.LastRequest<v1::GetSelfCheckListRequest>("GetSelfCheckList");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->campaign_id(), "demo");
  EXPECT_EQ(request->community_id(), "cm-xingfu");
  EXPECT_EQ(out_,
            "campaign:      demo\n"
            "community:     cm-xingfu\n"
            "submitted_by:  zhang-wei\n"
            "submit_time:   2024-05-10T18:00:00+08:00\n"
            "tasks:         T-20\n");
}

TEST_F(AppTest, HelpForTheNewNouns) {
  ASSERT_EQ(Run({"inspections", "help"}), kExitOk);
  EXPECT_THAT(out_, HasSubstr("[--deduct=RULE[xCOUNT][!][:NOTE]...]"));
  EXPECT_THAT(out_, HasSubstr("csv: one row per deduction"));
  ASSERT_EQ(Run({"campaigns", "help"}), kExitOk);
  EXPECT_THAT(out_, HasSubstr("campaigns readiness ID [--street-office=ORG] [--not-ready]"));
  ASSERT_EQ(Run({"selfcheck", "help"}), kExitOk);
  ASSERT_EQ(Run({"standards", "help"}), kExitOk);
  EXPECT_THAT(out_, HasSubstr("standards show [ID] [--version=VERSION]"));
}

}  // namespace
}  // namespace rectify::client::cli
