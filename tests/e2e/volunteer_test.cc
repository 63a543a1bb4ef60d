// Volunteers through the real server on the fake clock: the street office
// assigns a volunteer to a community; the volunteer reports a problem (an OPEN
// task for the office, source volunteer_report, with the report linked) and
// checks a submitted task on site; the office's verification records the
// checks since the last submission. Who may do what, the error codes, and
// retries with the same request id.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::HasSubstr;

#define EXPECT_CODE(expr, expected, text)                             \
  do {                                                                \
    auto status_ = (expr).status();                                   \
    EXPECT_EQ(status_.code(), absl::StatusCode::expected) << status_; \
    EXPECT_THAT(std::string(status_.message()), HasSubstr(text));     \
  } while (0)

const std::string kSha(64, 'd');

// An event's detail, or "" when it has none.
std::string Detail(const v1::Event& e, const std::string& key) {
  auto it = e.details().find(key);
  return it == e.details().end() ? "" : it->second;
}

class VolunteerTest : public CityTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CityTest::SetUp());
    // A volunteer team of the other street office, with its volunteer.
    v1::CreateOrganisationRequest org;
    org.mutable_organisation()->set_id("vt-2");
    org.mutable_organisation()->set_kind(v1::ORG_KIND_VOLUNTEER_TEAM);
    org.mutable_organisation()->set_name("青松路志愿者");
    org.mutable_organisation()->set_street_office_id("so-2");
    auto created = As("admin").CreateOrganisation(org);
    ASSERT_TRUE(created.ok()) << created.status();
    v1::CreatePersonRequest person;
    person.mutable_person()->set_id("volunteer-2");
    person.mutable_person()->set_name("volunteer-2");
    person.mutable_person()->set_organisation_id("vt-2");
    person.mutable_person()->set_role(v1::ROLE_VOLUNTEER);
    auto made = As("admin").CreatePerson(person);
    ASSERT_TRUE(made.ok()) << made.status();
    v1::IssueTokenRequest token;
    token.set_person_id("volunteer-2");
    token.set_label("test");
    auto issued = As("admin").IssueToken(token);
    ASSERT_TRUE(issued.ok()) << issued.status();
    client::ClientOptions options;
    options.address = address();
    options.token = issued->token();
    options.timeout = absl::Seconds(10);
    auto client = client::Client::Create(options);
    ASSERT_TRUE(client.ok()) << client.status();
    volunteer2_ = *std::move(client);
  }
  void TearDown() override {
    volunteer2_.reset();
    CityTest::TearDown();
  }

  static v1::AssignVolunteerRequest Assign(const std::string& volunteer = "volunteer-1",
                                           const std::string& community = "cm-1") {
    v1::AssignVolunteerRequest req;
    req.set_campaign_id("c1");
    req.set_volunteer_id(volunteer);
    req.set_community_id(community);
    return req;
  }

  static v1::ReportSupervisionProblemRequest Problem(const std::string& community = "cm-1") {
    v1::ReportSupervisionProblemRequest req;
    req.set_campaign_id("c1");
    req.set_community_id(community);
    req.set_category("order");
    req.set_title("消防通道被占");
    req.set_description("3号楼北侧消防通道停了两辆私家车");
    v1::Evidence* e = req.add_evidence();
    e->set_uri("file:///photos/fire-lane.jpg");
    e->set_sha256(kSha);
    return req;
  }

  static v1::RecordOnSiteCheckRequest Check(const std::string& task_id, v1::OnSiteFinding finding,
                                            const std::string& note = "") {
    v1::RecordOnSiteCheckRequest req;
    req.set_task_id(task_id);
    req.set_finding(finding);
    req.set_note(note);
    return req;
  }

  // volunteer-1 assigned to cm-1 by officer-1.
  void AssignVolunteer1() {
    auto assigned = As("officer-1").AssignVolunteer(Assign());
    ASSERT_TRUE(assigned.ok()) << assigned.status();
  }

  std::vector<v1::SupervisionReport> ReportsOf(const std::string& task_id) {
    v1::ListSupervisionReportsRequest req;
    req.set_task_id(task_id);
    auto list = As("officer-1").ListSupervisionReports(req);
    EXPECT_TRUE(list.ok()) << list.status();
    if (!list.ok()) return {};
    return {list->reports().begin(), list->reports().end()};
  }

  std::unique_ptr<client::Client> volunteer2_;
};

TEST_F(VolunteerTest, AnAssignedVolunteersProblemIsAnOpenTaskForTheOfficeWithTheReportLinked) {
  auto assigned = As("officer-1").AssignVolunteer(Assign());
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_TRUE(assigned->active());
  EXPECT_EQ(assigned->street_office_id(), "so-1");
  EXPECT_EQ(assigned->assigned_by(), "officer-1");

  auto reported = As("volunteer-1").ReportProblem(Problem());
  ASSERT_TRUE(reported.ok()) << reported.status();
  const v1::Task& task = reported->task();
  EXPECT_EQ(task.state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(task.source(), v1::TASK_SOURCE_VOLUNTEER_REPORT);
  EXPECT_EQ(task.street_office_id(), "so-1");
  EXPECT_EQ(reported->report().kind(), v1::SUPERVISION_REPORT_KIND_PROBLEM);
  EXPECT_EQ(reported->report().task_id(), task.id());
  EXPECT_EQ(reported->report().note(), "3号楼北侧消防通道停了两辆私家车");
  ASSERT_EQ(reported->report().evidence_size(), 1);
  EXPECT_EQ(reported->report().evidence(0).added_by(), "volunteer-1");

  // The office finds it among its open tasks, and the report linked to it.
  v1::ListTasksRequest open;
  open.add_states(v1::TASK_STATE_OPEN);
  auto tasks = As("officer-1").ListTasks(open);
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  ASSERT_EQ(tasks->tasks_size(), 1);
  EXPECT_EQ(tasks->tasks(0).id(), task.id());
  std::vector<v1::SupervisionReport> reports = ReportsOf(task.id());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].id(), reported->report().id());
  EXPECT_EQ(reports[0].volunteer_id(), "volunteer-1");

  // The office can dispatch it like any other task.
  auto dispatched = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  EXPECT_TRUE(dispatched.ok()) << dispatched.status();

  // The volunteer sees their assignment; another office does not.
  auto mine = As("volunteer-1").ListAssignments(v1::ListAssignmentsRequest());
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->assignments_size(), 1);
  EXPECT_EQ(mine->assignments(0).community_id(), "cm-1");
  auto theirs = As("officer-2").ListAssignments(v1::ListAssignmentsRequest());
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  EXPECT_EQ(theirs->assignments_size(), 0);
}

TEST_F(VolunteerTest, AnUnassignedVolunteerIsRefusedNamingTheCommunityAndWhoAssigns) {
  EXPECT_CODE(As("volunteer-1").ReportProblem(Problem()), kPermissionDenied,
              "community 'cm-1'");
  EXPECT_CODE(As("volunteer-1").ReportProblem(Problem()), kPermissionDenied,
              "assigned to a community by its street office ('so-1')");
  // Once the assignment ends, reporting stops too.
  auto assigned = As("officer-1").AssignVolunteer(Assign());
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  ASSERT_TRUE(As("volunteer-1").ReportProblem(Problem()).ok());
  v1::EndAssignmentRequest end;
  end.set_assignment_id(assigned->id());
  end.set_etag(assigned->etag());
  auto ended = As("officer-1").EndAssignment(end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_FALSE(ended->active());
  EXPECT_EQ(ended->ended_by(), "officer-1");
  EXPECT_CODE(As("volunteer-1").ReportProblem(Problem()), kPermissionDenied, "not assigned");
  EXPECT_CODE(As("officer-1").EndAssignment(end), kAborted, "has changed");  // the old etag
  end.clear_etag();
  EXPECT_CODE(As("officer-1").EndAssignment(end), kFailedPrecondition, "ended already");
  // Nobody else files supervision reports.
  EXPECT_CODE(As("officer-1").ReportProblem(Problem()), kPermissionDenied, "only a volunteer");
  // Nor may a volunteer assign.
  EXPECT_CODE(As("volunteer-1").AssignVolunteer(Assign()), kPermissionDenied,
              "street office 'so-1'");
}

TEST_F(VolunteerTest, AVolunteerOfAnotherStreetOfficeIsRefused) {
  // so-1 cannot take so-2's volunteer, nor so-2 assign in so-1's community.
  EXPECT_CODE(As("officer-1").AssignVolunteer(Assign("volunteer-2")), kInvalidArgument,
              "'volunteer_id'");
  EXPECT_CODE(As("officer-2").AssignVolunteer(Assign("volunteer-2")), kPermissionDenied,
              "street office 'so-1'");
  EXPECT_CODE(As("officer-1").AssignVolunteer(Assign("worker-1")), kInvalidArgument,
              "is not a volunteer");
  EXPECT_CODE(volunteer2_->ReportProblem(Problem("cm-1")), kPermissionDenied, "cm-1");
  // In its own office the volunteer is fine once assigned.
  auto assigned = As("officer-2").AssignVolunteer(Assign("volunteer-2", "cm-2"));
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_TRUE(volunteer2_->ReportProblem(Problem("cm-2")).ok());
  EXPECT_CODE(volunteer2_->ReportProblem(Problem("cm-1")), kPermissionDenied, "cm-1");
  EXPECT_CODE(As("officer-2").AssignVolunteer(Assign("volunteer-2", "cm-2")), kAlreadyExists,
              "already assigned");
}

TEST_F(VolunteerTest, AnOnSiteCheckOfATaskNotSubmittedNamesItsState) {
  ASSERT_NO_FATAL_FAILURE(AssignVolunteer1());
  v1::Task task = TaskIn(v1::TASK_STATE_IN_PROGRESS);
  EXPECT_CODE(As("volunteer-1").RecordOnSiteCheck(Check(task.id(), v1::ON_SITE_FINDING_FIXED)),
              kFailedPrecondition, "is in state IN_PROGRESS; an on-site check needs SUBMITTED");
  EXPECT_TRUE(ReportsOf(task.id()).empty());
  v1::Task submitted = TaskIn(v1::TASK_STATE_SUBMITTED);
  EXPECT_CODE(As("volunteer-1").RecordOnSiteCheck(Check(submitted.id(),
                                                        v1::ON_SITE_FINDING_UNSPECIFIED)),
              kInvalidArgument, "'finding'");
  EXPECT_CODE(As("volunteer-1").RecordOnSiteCheck(Check(submitted.id(),
                                                        v1::ON_SITE_FINDING_NOT_FIXED)),
              kInvalidArgument, "'note'");
  EXPECT_CODE(volunteer2_->RecordOnSiteCheck(Check(submitted.id(), v1::ON_SITE_FINDING_FIXED)),
              kPermissionDenied, "cm-1");
  EXPECT_CODE(As("volunteer-1").RecordOnSiteCheck(Check("T-404", v1::ON_SITE_FINDING_FIXED)),
              kNotFound, "T-404");
}

TEST_F(VolunteerTest, TheVerificationRecordsTheChecksSinceTheLastSubmission) {
  ASSERT_NO_FATAL_FAILURE(AssignVolunteer1());
  v1::Task task = TaskIn(v1::TASK_STATE_SUBMITTED);
  clock_.Advance(absl::Hours(2));
  auto not_fixed = As("volunteer-1").RecordOnSiteCheck(
      Check(task.id(), v1::ON_SITE_FINDING_NOT_FIXED, "楼道仍有杂物"));
  ASSERT_TRUE(not_fixed.ok()) << not_fixed.status();
  EXPECT_EQ(not_fixed->kind(), v1::SUPERVISION_REPORT_KIND_ONSITE_CHECK);

  // The office rejects: the rejection names the check.
  clock_.Advance(absl::Hours(1));
  auto reject = ById<v1::RejectTaskRequest>(task.id());
  reject.set_reason("志愿者现场核查未整改");
  auto rejected = As("officer-1").RejectTask(reject);
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(Detail(rejected->event(), "onsite_checks"),
            absl::StrCat(not_fixed->id(), ":NOT_FIXED"));

  // Reworked and submitted again: only the new round's check counts.
  clock_.Advance(absl::Hours(20));
  ASSERT_TRUE(As("worker-1").SubmitTask(Submit(task.id())).ok());
  clock_.Advance(absl::Hours(2));
  auto fixed = As("volunteer-1").RecordOnSiteCheck(Check(task.id(), v1::ON_SITE_FINDING_FIXED));
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  auto verified = As("officer-1").VerifyTask(ById<v1::VerifyTaskRequest>(task.id()));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->event().type(), "task.verified");
  EXPECT_EQ(Detail(verified->event(), "onsite_checks"),
            absl::StrCat(fixed->id(), ":FIXED"));

  // GetTask's history shows the checks and the verification that names them.
  v1::GetTaskRequest get;
  get.set_id(task.id());
  get.set_include_history(true);
  auto got = As("officer-1").GetTask(get);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> checks;
  std::string verified_with;
  for (const v1::Event& e : got->history()) {
    if (e.type() == "task.checked_on_site") checks.push_back(Detail(e, "finding"));
    if (e.type() == "task.verified") verified_with = Detail(e, "onsite_checks");
  }
  EXPECT_EQ(checks, (std::vector<std::string>{"NOT_FIXED", "FIXED"}));
  EXPECT_EQ(verified_with, absl::StrCat(fixed->id(), ":FIXED"));

  // A verification with no check records none.
  v1::Task unchecked = TaskIn(v1::TASK_STATE_CLOSED);
  v1::ListTaskEventsRequest events;
  events.set_task_id(unchecked.id());
  auto history = As("officer-1").ListTaskEvents(events);
  ASSERT_TRUE(history.ok()) << history.status();
  for (const v1::Event& e : history->events()) {
    EXPECT_EQ(e.details().count("onsite_checks"), 0u) << e.type();
  }
}

TEST_F(VolunteerTest, RetriesWithTheSameRequestIdDoNotDuplicate) {
  v1::AssignVolunteerRequest assign = Assign();
  assign.set_request_id("assign-1");
  auto first = As("officer-1").AssignVolunteer(assign);
  auto second = As("officer-1").AssignVolunteer(assign);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->id(), second->id());

  v1::ReportSupervisionProblemRequest problem = Problem();
  problem.set_request_id("problem-1");
  auto r1 = As("volunteer-1").ReportProblem(problem);
  auto r2 = As("volunteer-1").ReportProblem(problem);
  ASSERT_TRUE(r1.ok()) << r1.status();
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(r1->report().id(), r2->report().id());
  EXPECT_EQ(r1->task().id(), r2->task().id());
  auto tasks = As("officer-1").ListTasks(v1::ListTasksRequest());
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  EXPECT_EQ(tasks->tasks_size(), 1);

  v1::Task submitted = TaskIn(v1::TASK_STATE_SUBMITTED);
  v1::RecordOnSiteCheckRequest check = Check(submitted.id(), v1::ON_SITE_FINDING_FIXED);
  check.set_request_id("check-1");
  auto c1 = As("volunteer-1").RecordOnSiteCheck(check);
  auto c2 = As("volunteer-1").RecordOnSiteCheck(check);
  ASSERT_TRUE(c1.ok()) << c1.status();
  ASSERT_TRUE(c2.ok()) << c2.status();
  EXPECT_EQ(c1->id(), c2->id());
  EXPECT_EQ(ReportsOf(submitted.id()).size(), 1u);
  v1::ListTaskEventsRequest events;
  events.set_task_id(submitted.id());
  auto history = As("officer-1").ListTaskEvents(events);
  ASSERT_TRUE(history.ok()) << history.status();
  int checks = 0;
  for (const v1::Event& e : history->events()) checks += e.type() == "task.checked_on_site";
  EXPECT_EQ(checks, 1);
}

}  // namespace
}  // namespace rectify::test
