// What a caller sees when things go wrong, and the guarantees around writes:
// each error code with a message that names the field or the state, idempotent
// retries, optimistic concurrency, permissions by role and scope, listing with
// filters and pages, and a restart on the same file.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::HasSubstr;

class ApiContractTest : public CityTest {};

// The call fails with `expected` and a message containing `text`.
#define EXPECT_CODE(expr, expected, text)                               \
  do {                                                                  \
    auto status_ = (expr).status();                                     \
    EXPECT_EQ(status_.code(), absl::StatusCode::expected) << status_;   \
    EXPECT_THAT(std::string(status_.message()), HasSubstr(text));       \
  } while (0)

TEST_F(ApiContractTest, MissingTitleIsInvalidArgumentNamingTheField) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("sanitation");
  EXPECT_CODE(As("officer-1").CreateTask(req), kInvalidArgument, "'title'");
}

TEST_F(ApiContractTest, UnknownCategoryIsInvalidArgumentListingTheKnownOnes) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("noise");
  req.mutable_task()->set_title("x");
  EXPECT_CODE(As("officer-1").CreateTask(req), kInvalidArgument, "sanitation");
}

TEST_F(ApiContractTest, TheBureausServiceLevelIsNotATaskCategory) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("enforcement");
  req.mutable_task()->set_title("x");
  EXPECT_CODE(As("officer-1").CreateTask(req), kInvalidArgument,
              "'category': 'enforcement' is the enforcement bureau's service level");
}

TEST_F(ApiContractTest, NegativeBudgetIsInvalidArgument) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("sanitation");
  req.mutable_task()->set_title("x");
  req.mutable_task()->mutable_budget()->set_planned_fen(-100);
  EXPECT_CODE(As("officer-1").CreateTask(req), kInvalidArgument, "budget.planned_fen");
}

TEST_F(ApiContractTest, IllegalMoveIsFailedPreconditionNamingTheState) {
  v1::Task task = TaskIn(v1::TASK_STATE_SUBMITTED);
  EXPECT_CODE(As("worker-1").StartTask(ById<v1::StartTaskRequest>(task.id())),
              kFailedPrecondition,
              absl::StrCat("task '", task.id(), "' is in state SUBMITTED; 'start' needs ACCEPTED"));
}

TEST_F(ApiContractTest, UnknownTaskIsNotFound) {
  v1::GetTaskRequest get;
  get.set_id("T-999");
  EXPECT_CODE(As("sup-1").GetTask(get), kNotFound, "T-999");
  EXPECT_CODE(As("officer-1").DispatchTask(Dispatch("T-999", "pc-1")), kNotFound, "T-999");
}

TEST_F(ApiContractTest, StaleEtagIsAborted) {
  v1::Task task = TaskIn(v1::TASK_STATE_DISPATCHED);
  const std::string old_etag = task.etag();
  ASSERT_TRUE(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(task.id())).ok());
  auto start = ById<v1::StartTaskRequest>(task.id());
  start.set_etag(old_etag);
  EXPECT_CODE(As("worker-1").StartTask(start), kAborted, "read it again");
}

TEST_F(ApiContractTest, NoTokenIsUnauthenticated) {
  client::ClientOptions options;
  options.address = address();
  auto anonymous = client::Client::Create(options);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_CODE((*anonymous)->WhoAmI({}), kUnauthenticated, "Bearer");
  options.token = "rct_not-a-real-token";
  auto stranger = client::Client::Create(options);
  ASSERT_TRUE(stranger.ok());
  EXPECT_CODE((*stranger)->ListTasks({}), kUnauthenticated, "not known");
}

TEST_F(ApiContractTest, ExpiredTokenIsUnauthenticated) {
  v1::IssueTokenRequest req;
  req.set_person_id("worker-1");
  req.mutable_ttl()->set_seconds(3600);
  auto issued = As("admin").IssueToken(req);
  ASSERT_TRUE(issued.ok()) << issued.status();
  client::ClientOptions options;
  options.address = address();
  options.token = issued->token();
  auto client = client::Client::Create(options);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE((*client)->WhoAmI({}).ok());
  clock_.Advance(absl::Hours(2));
  EXPECT_CODE((*client)->WhoAmI({}), kUnauthenticated, "expired");
}

TEST_F(ApiContractTest, WhoAmIResolvesTheToken) {
  auto me = As("worker-1").WhoAmI({});
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->person().id(), "worker-1");
  EXPECT_EQ(me->person().role(), v1::ROLE_PROPERTY_STAFF);
  EXPECT_EQ(me->organisation().id(), "pc-1");
  EXPECT_EQ(me->organisation().head_person_id(), "worker-1");
}

TEST_F(ApiContractTest, PropertyCompanyCannotVerifyItsOwnWork) {
  v1::Task task = TaskIn(v1::TASK_STATE_SUBMITTED);
  EXPECT_CODE(As("worker-1").VerifyTask(ById<v1::VerifyTaskRequest>(task.id())),
              kPermissionDenied, "street office");
}

TEST_F(ApiContractTest, VolunteerCannotDispatchButCanReport) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("order");
  req.mutable_task()->set_title("消防通道被占");
  // Only where the street office has assigned them.
  EXPECT_CODE(As("volunteer-1").CreateTask(req), kPermissionDenied,
              "not assigned to it in campaign 'c1'");
  v1::AssignVolunteerRequest assign;
  assign.set_campaign_id("c1");
  assign.set_volunteer_id("volunteer-1");
  assign.set_community_id("cm-1");
  ASSERT_TRUE(As("officer-1").AssignVolunteer(assign).ok());
  auto reported = As("volunteer-1").CreateTask(req);
  ASSERT_TRUE(reported.ok()) << reported.status();
  EXPECT_EQ(reported->source(), v1::TASK_SOURCE_VOLUNTEER_REPORT);
  EXPECT_CODE(As("volunteer-1").DispatchTask(Dispatch(reported->id(), "pc-1")), kPermissionDenied,
              "volunteer");
}

TEST_F(ApiContractTest, StreetOfficeActsOnlyInItsOwnCommunities) {
  v1::Task task = OpenTask("cm-2");  // so-2's community
  EXPECT_CODE(As("officer-1").DispatchTask(Dispatch(task.id(), "pc-2")), kPermissionDenied,
              "street office");
  v1::GetTaskRequest get;
  get.set_id(task.id());
  EXPECT_CODE(As("officer-1").GetTask(get), kPermissionDenied, "so-2");
  v1::ListTasksRequest list;
  list.set_street_office_id("so-2");
  EXPECT_CODE(As("officer-1").ListTasks(list), kPermissionDenied, "so-2");
  v1::CreateTaskRequest create;
  create.mutable_task()->set_campaign_id("c1");
  create.mutable_task()->set_community_id("cm-2");
  create.mutable_task()->set_category("order");
  create.mutable_task()->set_title("x");
  EXPECT_CODE(As("officer-1").CreateTask(create), kPermissionDenied, "cm-2");
}

TEST_F(ApiContractTest, OnlyAdminsChangeTheDirectory) {
  v1::CreateOrganisationRequest req;
  req.mutable_organisation()->set_kind(v1::ORG_KIND_PROPERTY_COMPANY);
  req.mutable_organisation()->set_name("新物业");
  EXPECT_CODE(As("sup-1").CreateOrganisation(req), kPermissionDenied, "admin");
  v1::IssueTokenRequest token;
  token.set_person_id("worker-1");
  EXPECT_CODE(As("officer-1").IssueToken(token), kPermissionDenied, "admin");
}

TEST_F(ApiContractTest, RetryWithSameRequestIdReturnsTheFirstAnswerAndCreatesNothing) {
  v1::CreateTaskRequest req;
  req.set_request_id("retry-1");
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id("cm-1");
  req.mutable_task()->set_category("sanitation");
  req.mutable_task()->set_title("楼道乱堆放");
  auto first = As("officer-1").CreateTask(req);
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Minutes(5));
  auto second = As("officer-1").CreateTask(req);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->SerializeAsString(), first->SerializeAsString());
  auto all = As("sup-1").ListTasks({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total_size(), 1);

  // The same id with another body is refused, naming request_id.
  req.mutable_task()->set_title("something else");
  EXPECT_CODE(As("officer-1").CreateTask(req), kInvalidArgument, "request_id");
}

TEST_F(ApiContractTest, RetriedTransitionDoesNotApplyTwice) {
  v1::Task task = TaskIn(v1::TASK_STATE_SUBMITTED);
  auto reject = ById<v1::RejectTaskRequest>(task.id());
  reject.set_request_id("reject-once");
  reject.set_reason("not clean");
  auto first = As("officer-1").RejectTask(reject);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = As("officer-1").RejectTask(reject);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->task().rework_count(), 1);
  v1::GetTaskRequest get;
  get.set_id(task.id());
  EXPECT_EQ(As("sup-1").GetTask(get)->rework_count(), 1);
}

TEST_F(ApiContractTest, ListFiltersOrdersAndPagesWithExactTotals) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(absl::Minutes(1));
    ids.push_back(OpenTask("cm-1", "sanitation", absl::StrCat("task ", i)).id());
  }
  OpenTask("cm-2", "order", "elsewhere");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(As("officer-1").DispatchTask(Dispatch(ids[i], "pc-1")).ok());
  }
  v1::ListTasksRequest req;
  req.set_street_office_id("so-1");
  req.set_page_size(3);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    auto page = As("sup-1").ListTasks(req);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), 7);
    for (const v1::Task& t : page->tasks()) seen.push_back(t.id());
    req.set_page_token(page->next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, ids);  // oldest first by default

  v1::ListTasksRequest dispatched;
  dispatched.add_states(v1::TASK_STATE_DISPATCHED);
  EXPECT_EQ(As("sup-1").ListTasks(dispatched)->total_size(), 3);

  // Overdue after the deadline passes; worst first.
  clock_.Advance(absl::Hours(24 * 10));
  v1::ListTasksRequest overdue;
  overdue.set_overdue(true);
  overdue.set_order_by("deadline");
  auto late = As("sup-1").ListTasks(overdue);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->total_size(), 3);
  EXPECT_EQ(late->tasks(0).id(), ids[0]);
  EXPECT_TRUE(late->tasks(0).overdue());

  v1::ListTasksRequest bad;
  bad.set_order_by("title");
  EXPECT_CODE(As("sup-1").ListTasks(bad), kInvalidArgument, "order_by");
}

TEST_F(ApiContractTest, PropertyStaffSeeOnlyTheirOwnTasks) {
  TaskIn(v1::TASK_STATE_DISPATCHED);  // to pc-1
  OpenTask("cm-1");                   // open: nobody's yet
  auto mine = As("worker-1").ListTasks({});
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->total_size(), 1);
  EXPECT_EQ(As("worker-2").ListTasks({})->total_size(), 0);
}

TEST_F(ApiContractTest, EverythingIsThereAfterARestart) {
  v1::Task closed = TaskIn(v1::TASK_STATE_CLOSED);
  v1::Task open = OpenTask("cm-2");
  Restart();
  v1::GetTaskRequest get;
  get.set_id(closed.id());
  get.set_include_history(true);
  auto after = As("sup-1").GetTask(get);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->state(), v1::TASK_STATE_CLOSED);
  EXPECT_EQ(after->history_size(), 6);
  EXPECT_EQ(after->etag(), closed.etag());
  auto list = As("sup-1").ListTasks({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total_size(), 2);
  // And it keeps working: ids continue, nothing is reused.
  v1::Task next = OpenTask("cm-1");
  EXPECT_NE(next.id(), open.id());
  EXPECT_NE(next.id(), closed.id());
}

}  // namespace
}  // namespace rectify::test
