// Legal cases (涉法问题) and hard/hot problems through the real server on the
// fake clock: a case from the property company's notice to the enforcement
// bureau's close, with the bureau following the event feed on its own token
// (seeing the escalation and nothing of other communities' tasks); the
// bureau's overdue case marked once across passes and a restart; who may take
// which step; the error codes; a hard problem reported and answered.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         std::string(arg.status().message()).find(substring) != std::string::npos;
}

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

const std::string kSha(64, 'c');

class LegalTest : public CityTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CityTest::SetUp());
    client::Client& admin = As("admin");
    auto org = [&](const std::string& id, v1::OrgKind kind, const std::string& name) {
      v1::CreateOrganisationRequest req;
      req.mutable_organisation()->set_id(id);
      req.mutable_organisation()->set_kind(kind);
      req.mutable_organisation()->set_name(name);
      auto created = admin.CreateOrganisation(req);
      ASSERT_TRUE(created.ok()) << created.status();
    };
    org("eb-1", v1::ORG_KIND_ENFORCEMENT_BUREAU, "城市管理综合执法局");
    org("cco-1", v1::ORG_KIND_CITY_OFFICE, "师市创城办");
    ASSERT_NO_FATAL_FAILURE(Person("enforcer-1", "eb-1", v1::ROLE_ENFORCEMENT_OFFICER));
    ASSERT_NO_FATAL_FAILURE(Person("city-1", "cco-1", v1::ROLE_SUPERVISOR));
  }

  void TearDown() override {
    own_clients_.clear();
    CityTest::TearDown();
  }

  // Creates a person with a token and a client of their own (CityTest's
  // As() knows only the seeded people).
  void Person(const std::string& id, const std::string& org_id, v1::Role role) {
    v1::CreatePersonRequest req;
    req.mutable_person()->set_id(id);
    req.mutable_person()->set_name(id);
    req.mutable_person()->set_organisation_id(org_id);
    req.mutable_person()->set_role(role);
    auto created = As("admin").CreatePerson(req);
    ASSERT_TRUE(created.ok()) << created.status();
    v1::IssueTokenRequest token;
    token.set_person_id(id);
    token.set_label("test");
    auto issued = As("admin").IssueToken(token);
    ASSERT_TRUE(issued.ok()) << issued.status();
    client::ClientOptions options;
    options.address = address();
    options.token = issued->token();
    options.timeout = absl::Seconds(10);
    auto client = client::Client::Create(options);
    ASSERT_TRUE(client.ok()) << client.status();
    own_clients_[id] = *std::move(client);
  }

  client::Client& Who(const std::string& id) {
    auto it = own_clients_.find(id);
    return it != own_clients_.end() ? *it->second : As(id);
  }

  static v1::OpenCaseRequest Open(const std::string& community = "cm-1") {
    v1::OpenCaseRequest req;
    req.set_campaign_id("c1");
    req.set_community_id(community);
    req.set_kind(v1::LEGAL_CASE_KIND_ILLEGAL_CONSTRUCTION);
    req.set_place("3号楼北侧绿地");
    req.set_offender("3-201 业主");
    req.set_description("私搭彩钢棚约12平方米");
    req.set_note("书面通知限期拆除");
    v1::Evidence* e = req.add_evidence();
    e->set_uri("file:///photos/notice.jpg");
    e->set_sha256(kSha);
    return req;
  }

  static v1::LegalStepRequest StepReq(const std::string& id, const std::string& note = "") {
    v1::LegalStepRequest req;
    req.set_case_id(id);
    req.set_note(note);
    return req;
  }

  // A case in cm-1 opened and worked by worker-1 up to REPORTED.
  v1::LegalCase Reported() {
    auto opened = Who("worker-1").OpenCase(Open());
    EXPECT_TRUE(opened.ok()) << opened.status();
    const std::string id = opened->id();
    EXPECT_TRUE(Who("worker-1").DissuadeCase(StepReq(id, "上门劝阻")).ok());
    EXPECT_TRUE(Who("worker-1").StopCase(StepReq(id, "现场制止")).ok());
    auto reported = Who("worker-1").ReportCase(StepReq(id, "上报街道"));
    EXPECT_TRUE(reported.ok()) << reported.status();
    return *reported;
  }

  v1::LegalCase Escalated() {
    v1::LegalCase c = Reported();
    auto escalated = Who("officer-1").EscalateCase(StepReq(c.id(), "业主拒不执行整改"));
    EXPECT_TRUE(escalated.ok()) << escalated.status();
    return *escalated;
  }

  std::vector<v1::Event> Backlog(const std::string& who, std::vector<std::string> types = {}) {
    v1::SubscribeRequest req;
    for (const std::string& t : types) req.add_types(t);
    std::vector<v1::Event> events;
    absl::Status status = Who(who).Subscribe(req, [&](const v1::Event& e) {
      events.push_back(e);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status;
    return events;
  }

  void Pass() {
    absl::StatusOr<int> pass = server_->scheduler().RunOnce();
    ASSERT_TRUE(pass.ok()) << pass.status();
  }

  std::map<std::string, std::unique_ptr<client::Client>> own_clients_;
};

TEST_F(LegalTest, ACaseGoesFromNoticeToTheBureausCloseAndTheBureauFollowsIt) {
  // Tasks the bureau must never see: one in cm-1, one in cm-2.
  OpenTask("cm-1");
  OpenTask("cm-2");

  v1::LegalCase c = Reported();
  EXPECT_EQ(c.state(), v1::LEGAL_CASE_STATE_REPORTED);
  EXPECT_EQ(c.street_office_id(), "so-1");
  EXPECT_EQ(c.property_company_id(), "pc-1");

  // The bureau follows the feed from now on, on its own token.
  absl::Mutex mu;
  std::vector<v1::Event> followed;
  std::thread bureau([&] {
    v1::SubscribeRequest req;
    req.set_follow(true);
    req.add_types("legal_case.");
    req.add_types("task.");
    absl::Status status = Who("enforcer-1").Subscribe(req, [&](const v1::Event& e) {
      absl::MutexLock lock(&mu);
      followed.push_back(e);
      return e.type() != "legal_case.escalated";
    });
    EXPECT_TRUE(status.ok()) << status;
  });
  auto escalated = Who("officer-1").EscalateCase(StepReq(c.id(), "业主拒不执行整改"));
  ASSERT_TRUE(escalated.ok()) << escalated.status();
  bureau.join();
  {
    absl::MutexLock lock(&mu);
    ASSERT_EQ(followed.size(), 1u);  // nothing before: no task, no earlier step of the case
    EXPECT_EQ(followed[0].type(), "legal_case.escalated");
    EXPECT_EQ(followed[0].subject(), absl::StrCat("legal_cases/", c.id()));
  }
  EXPECT_EQ(escalated->state(), v1::LEGAL_CASE_STATE_ESCALATED);
  EXPECT_THAT(escalated->bureau_organisation_ids(), ElementsAre("eb-1"));
  // 5 working days from Monday 09:00 (data/service_levels.txt 'enforcement').
  EXPECT_GE(FromTs(escalated->deadline()), clock_.Now() + absl::Hours(5 * 24));
  EXPECT_FALSE(escalated->overdue());

  auto acknowledged = Who("enforcer-1").AcknowledgeCase(StepReq(c.id()));
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status();
  clock_.Set(clock_.Now() + absl::Hours(2));
  for (const char* action : {"现场勘查，下达限期拆除通知书", "组织强制拆除"}) {
    auto acted = Who("enforcer-1").RecordBureauAction(StepReq(c.id(), action));
    ASSERT_TRUE(acted.ok()) << acted.status();
    EXPECT_EQ(acted->state(), v1::LEGAL_CASE_STATE_ACKNOWLEDGED);
  }
  v1::CloseCaseRequest close;
  close.set_case_id(c.id());
  close.set_result(v1::LEGAL_RESULT_RESOLVED);
  close.set_result_text("违建已拆除");
  auto closed = Who("enforcer-1").CloseCase(close);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state(), v1::LEGAL_CASE_STATE_CLOSED);
  EXPECT_EQ(closed->result(), v1::LEGAL_RESULT_RESOLVED);
  EXPECT_EQ(closed->result_text(), "违建已拆除");

  std::vector<v1::LegalAction> actions;
  for (const v1::LegalStep& s : closed->steps()) actions.push_back(s.action());
  EXPECT_THAT(actions,
              ElementsAre(v1::LEGAL_ACTION_NOTIFY, v1::LEGAL_ACTION_DISSUADE, v1::LEGAL_ACTION_STOP,
                          v1::LEGAL_ACTION_REPORT, v1::LEGAL_ACTION_ESCALATE,
                          v1::LEGAL_ACTION_ACKNOWLEDGE, v1::LEGAL_ACTION_RECORD_ACTION,
                          v1::LEGAL_ACTION_RECORD_ACTION, v1::LEGAL_ACTION_CLOSE));
  EXPECT_EQ(closed->steps(0).actor_person_id(), "worker-1");
  EXPECT_EQ(closed->steps(0).evidence(0).sha256(), kSha);
  EXPECT_EQ(closed->steps(4).actor_person_id(), "officer-1");
  EXPECT_EQ(closed->steps(8).actor_organisation_id(), "eb-1");

  // The bureau's whole backlog: this case from its escalation on, nothing else.
  std::vector<std::string> types;
  for (const v1::Event& e : Backlog("enforcer-1", {"legal_case.", "task."})) {
    EXPECT_EQ(e.subject(), absl::StrCat("legal_cases/", c.id())) << e.type();
    types.push_back(e.type());
  }
  EXPECT_THAT(types, ElementsAre("legal_case.escalated", "legal_case.acknowledged",
                                 "legal_case.action_recorded", "legal_case.action_recorded",
                                 "legal_case.closed"));
  // The company and the street office saw the whole ladder.
  EXPECT_EQ(Backlog("worker-1", {"legal_case."}).size(), 9u);
  EXPECT_EQ(Backlog("officer-1", {"legal_case."}).size(), 9u);
  EXPECT_TRUE(Backlog("worker-2", {"legal_case."}).empty());
}

TEST_F(LegalTest, TheBureausOverdueCaseIsMarkedOnceAcrossPassesAndARestart) {
  v1::LegalCase c = Escalated();
  const absl::Time deadline = FromTs(c.deadline());
  Pass();
  EXPECT_TRUE(Backlog("sup-1", {"legal_case.overdue"}).empty());

  clock_.Set(deadline + absl::Hours(1));
  Pass();
  Pass();
  ASSERT_EQ(Backlog("sup-1", {"legal_case.overdue"}).size(), 1u);
  Restart();
  Pass();
  std::vector<v1::Event> overdue = Backlog("enforcer-1", {"legal_case.overdue"});
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].subject(), absl::StrCat("legal_cases/", c.id()));
  EXPECT_EQ(Backlog("sup-1", {"legal_case.overdue"}).size(), 1u);
  EXPECT_TRUE(Backlog("worker-1", {"legal_case.overdue"}).empty());

  v1::GetCaseRequest get;
  get.set_case_id(c.id());
  auto now = Who("enforcer-1").GetCase(get);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_TRUE(now->overdue());
  // Acknowledging late is still allowed; the overdue mark stays single.
  ASSERT_TRUE(Who("enforcer-1").AcknowledgeCase(StepReq(c.id())).ok());
  Pass();
  EXPECT_EQ(Backlog("sup-1", {"legal_case.overdue"}).size(), 1u);
}

TEST_F(LegalTest, EachPartyTakesOnlyItsOwnSteps) {
  // The bureau cannot notify (open) a case.
  EXPECT_THAT(Who("enforcer-1").OpenCase(Open()),
              StatusIs(absl::StatusCode::kPermissionDenied, "'notify'"));
  // Nor can another community's company, or a volunteer.
  EXPECT_THAT(Who("worker-2").OpenCase(Open("cm-1")),
              StatusIs(absl::StatusCode::kPermissionDenied, "community 'cm-1'"));
  EXPECT_THAT(Who("volunteer-1").OpenCase(Open("cm-1")),
              StatusIs(absl::StatusCode::kPermissionDenied, "volunteer"));

  auto opened = Who("worker-1").OpenCase(Open());
  ASSERT_TRUE(opened.ok()) << opened.status();
  const std::string id = opened->id();
  EXPECT_THAT(Who("enforcer-1").DissuadeCase(StepReq(id)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "'dissuade' is for the property company; the enforcement bureau may not"));
  EXPECT_THAT(Who("worker-2").DissuadeCase(StepReq(id)),
              StatusIs(absl::StatusCode::kPermissionDenied, "may not act on legal case"));
  v1::GetCaseRequest get;
  get.set_case_id(id);
  EXPECT_THAT(Who("enforcer-1").GetCase(get),
              StatusIs(absl::StatusCode::kPermissionDenied, "may not see legal case"));

  v1::LegalCase c = Escalated();
  EXPECT_THAT(Who("worker-1").AcknowledgeCase(StepReq(c.id())),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "'acknowledge' is for the enforcement bureau; the property company may "
                       "not"));
  EXPECT_THAT(Who("officer-1").AcknowledgeCase(StepReq(c.id())),
              StatusIs(absl::StatusCode::kPermissionDenied, "'acknowledge'"));
  auto reported = Reported();
  EXPECT_THAT(Who("worker-1").EscalateCase(StepReq(reported.id(), "拒不整改")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "'escalate' is for the street office; the property company may not"));
  // A supervisor may escalate, as the street office.
  EXPECT_TRUE(Who("sup-1").EscalateCase(StepReq(reported.id(), "拒不整改")).ok());

  // The bureau lists only what reached it.
  v1::ListCasesRequest list;
  list.set_campaign_id("c1");
  auto bureau = Who("enforcer-1").ListCases(list);
  ASSERT_TRUE(bureau.ok()) << bureau.status();
  std::set<std::string> ids;
  for (const v1::LegalCase& k : bureau->cases()) ids.insert(k.id());
  EXPECT_EQ(ids, (std::set<std::string>{c.id(), reported.id()}));
  auto all = Who("sup-1").ListCases(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->cases_size(), 3);
  list.set_escalated_only(true);
  EXPECT_EQ(Who("sup-1").ListCases(list)->cases_size(), 2);
  list.set_escalated_only(false);
  list.set_state(v1::LEGAL_CASE_STATE_NOTIFIED);
  EXPECT_EQ(Who("sup-1").ListCases(list)->cases_size(), 1);
}

TEST_F(LegalTest, ARetryWithTheSameRequestIdReturnsTheFirstAnswer) {
  v1::OpenCaseRequest req = Open();
  req.set_request_id("open-1");
  auto first = Who("worker-1").OpenCase(req);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Who("worker-1").OpenCase(req);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  v1::LegalStepRequest step = StepReq(first->id(), "劝阻");
  step.set_request_id("dissuade-1");
  ASSERT_TRUE(Who("worker-1").DissuadeCase(step).ok());
  auto twice = Who("worker-1").DissuadeCase(step);
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ(twice->steps_size(), 2);
  v1::ListCasesRequest list;
  list.set_campaign_id("c1");
  EXPECT_EQ(Who("sup-1").ListCases(list)->cases_size(), 1);
}

TEST_F(LegalTest, AnOffenderWhoCompliesIsResolvedBeforeEscalation) {
  auto opened = Who("worker-1").OpenCase(Open());
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_TRUE(Who("worker-1").DissuadeCase(StepReq(opened->id(), "劝阻")).ok());
  auto resolved = Who("officer-1").ResolveCase(StepReq(opened->id(), "业主已自行拆除"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state(), v1::LEGAL_CASE_STATE_RESOLVED);
  EXPECT_THAT(Who("worker-1").StopCase(StepReq(opened->id())),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "is in state RESOLVED; 'stop' needs DISSUADED"));
}

TEST_F(LegalTest, EveryErrorNamesItsFieldOrState) {
  auto missing = [](auto spoil) {
    v1::OpenCaseRequest req = Open();
    spoil(req);
    return req;
  };
  EXPECT_THAT(Who("worker-1").OpenCase(missing([](v1::OpenCaseRequest& r) { r.clear_place(); })),
              StatusIs(absl::StatusCode::kInvalidArgument, "'place'"));
  EXPECT_THAT(Who("worker-1").OpenCase(missing([](v1::OpenCaseRequest& r) { r.clear_offender(); })),
              StatusIs(absl::StatusCode::kInvalidArgument, "'offender'"));
  EXPECT_THAT(Who("worker-1").OpenCase(missing([](v1::OpenCaseRequest& r) { r.clear_kind(); })),
              StatusIs(absl::StatusCode::kInvalidArgument, "'kind'"));
  EXPECT_THAT(Who("worker-1").OpenCase(missing([](v1::OpenCaseRequest& r) {
    r.mutable_evidence(0)->set_sha256("nothex");
  })),
              StatusIs(absl::StatusCode::kInvalidArgument, "'evidence[0].sha256'"));
  EXPECT_THAT(
      Who("worker-1").OpenCase(missing([](v1::OpenCaseRequest& r) { r.set_community_id("cm-9"); })),
      StatusIs(absl::StatusCode::kNotFound, "community 'cm-9'"));
  EXPECT_THAT(
      Who("worker-1").OpenCase(missing([](v1::OpenCaseRequest& r) { r.set_campaign_id("c9"); })),
      StatusIs(absl::StatusCode::kNotFound, "campaign 'c9'"));
  const v1::Task other = OpenTask("cm-2");
  EXPECT_THAT(
      Who("worker-1").OpenCase(missing([&](v1::OpenCaseRequest& r) { r.set_task_id(other.id()); })),
      StatusIs(absl::StatusCode::kInvalidArgument, "'task_id'"));

  auto opened = Who("worker-1").OpenCase(Open());
  ASSERT_TRUE(opened.ok()) << opened.status();
  const std::string id = opened->id();
  EXPECT_THAT(Who("officer-1").EscalateCase(StepReq(id, "拒不整改")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("legal case '", id,
                                    "' is in state NOTIFIED; 'escalate' needs REPORTED")));
  v1::LegalStepRequest stale = StepReq(id);
  stale.set_etag("99");
  EXPECT_THAT(Who("worker-1").DissuadeCase(stale), StatusIs(absl::StatusCode::kAborted, "etag"));
  v1::GetCaseRequest get;
  get.set_case_id("LC-404");
  EXPECT_THAT(Who("sup-1").GetCase(get),
              StatusIs(absl::StatusCode::kNotFound, "legal case 'LC-404'"));
  v1::ListCasesRequest list;
  list.set_page_size(5000);
  EXPECT_THAT(Who("sup-1").ListCases(list),
              StatusIs(absl::StatusCode::kInvalidArgument, "'page_size'"));

  v1::LegalCase reported = Reported();
  EXPECT_THAT(Who("officer-1").EscalateCase(StepReq(reported.id())),
              StatusIs(absl::StatusCode::kInvalidArgument, "'note'"));
  v1::LegalCase c = Escalated();
  EXPECT_THAT(Who("enforcer-1").RecordBureauAction(StepReq(c.id())),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "is in state ESCALATED; 'record_action' needs ACKNOWLEDGED"));
  ASSERT_TRUE(Who("enforcer-1").AcknowledgeCase(StepReq(c.id())).ok());
  EXPECT_THAT(Who("enforcer-1").RecordBureauAction(StepReq(c.id())),
              StatusIs(absl::StatusCode::kInvalidArgument, "'note'"));
  v1::CloseCaseRequest close;
  close.set_case_id(c.id());
  close.set_result_text("已处理");
  EXPECT_THAT(Who("enforcer-1").CloseCase(close),
              StatusIs(absl::StatusCode::kInvalidArgument, "'result'"));
  close.set_result(v1::LEGAL_RESULT_NOT_RESOLVED);
  close.clear_result_text();
  EXPECT_THAT(Who("enforcer-1").CloseCase(close),
              StatusIs(absl::StatusCode::kInvalidArgument, "'result_text'"));
}

TEST_F(LegalTest, AHardProblemIsReportedToTheCityOfficeAndAnswered) {
  v1::ReportProblemRequest report;
  report.set_campaign_id("c1");
  report.set_kind(v1::HARD_PROBLEM_KIND_HOT);
  report.set_title("老旧小区停车难");
  report.set_description("幸福小区车位缺口约80个，居民反映强烈");
  EXPECT_THAT(Who("worker-1").ReportProblem(report),
              StatusIs(absl::StatusCode::kPermissionDenied, "street officers and supervisors"));
  v1::ReportProblemRequest untitled = report;
  untitled.clear_title();
  EXPECT_THAT(Who("officer-1").ReportProblem(untitled),
              StatusIs(absl::StatusCode::kInvalidArgument, "'title'"));
  v1::ReportProblemRequest kindless = report;
  kindless.clear_kind();
  EXPECT_THAT(Who("officer-1").ReportProblem(kindless),
              StatusIs(absl::StatusCode::kInvalidArgument, "'kind'"));

  auto reported = Who("officer-1").ReportProblem(report);
  ASSERT_TRUE(reported.ok()) << reported.status();
  EXPECT_EQ(reported->state(), v1::HARD_PROBLEM_STATE_REPORTED);
  EXPECT_EQ(reported->reporter_organisation_id(), "so-1");

  v1::AnswerProblemRequest answer;
  answer.set_problem_id(reported->id());
  answer.set_answer("协调规划局在小区东侧新建立体停车场");
  EXPECT_THAT(Who("officer-1").AnswerProblem(answer),
              StatusIs(absl::StatusCode::kPermissionDenied, "city office"));
  EXPECT_THAT(Who("sup-1").AnswerProblem(answer),
              StatusIs(absl::StatusCode::kPermissionDenied, "city office"));
  v1::AnswerProblemRequest empty = answer;
  empty.clear_answer();
  EXPECT_THAT(Who("city-1").AnswerProblem(empty),
              StatusIs(absl::StatusCode::kInvalidArgument, "'answer'"));
  auto answered = Who("city-1").AnswerProblem(answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->state(), v1::HARD_PROBLEM_STATE_ANSWERED);
  EXPECT_EQ(answered->answered_by(), "city-1");
  EXPECT_THAT(Who("city-1").AnswerProblem(answer),
              StatusIs(absl::StatusCode::kFailedPrecondition, "is in state ANSWERED"));

  std::vector<std::string> seen;
  for (const v1::Event& e : Backlog("officer-1", {"hard_problem."})) seen.push_back(e.type());
  EXPECT_THAT(seen, ElementsAre("hard_problem.reported", "hard_problem.answered"));
  EXPECT_TRUE(Backlog("officer-2", {"hard_problem."}).empty());
  v1::GetProblemRequest get;
  get.set_problem_id(reported->id());
  EXPECT_THAT(Who("officer-2").GetProblem(get),
              StatusIs(absl::StatusCode::kPermissionDenied, "may not see hard problem"));
  EXPECT_TRUE(Who("officer-1").GetProblem(get).ok());
  v1::ListProblemsRequest list;
  list.set_campaign_id("c1");
  list.set_state(v1::HARD_PROBLEM_STATE_ANSWERED);
  auto listed = Who("city-1").ListProblems(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->problems_size(), 1);
  EXPECT_EQ(listed->problems(0).answer(), "协调规划局在小区东侧新建立体停车场");
}

}  // namespace
}  // namespace rectify::test
