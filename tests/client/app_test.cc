// rectifyctl end to end, in-process, against the fake server.
#include "client/cli/app.h"

#include <map>
#include <sstream>

#include "client/cli/commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/fake_server.h"

namespace rectify::client::cli {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
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

}  // namespace
}  // namespace rectify::client::cli
