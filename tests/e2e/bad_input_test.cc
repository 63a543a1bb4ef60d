// The bad-input catalogue (docs/bad-input.md): each class of bad input sent
// through the real server gets its code and a message naming the field. One
// test per row of the table; keep the two in step.
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         ::testing::Value(std::string(arg.status().message()), substring);
}

class BadInputTest : public CityTest {
 protected:
  // A valid request to open a task in cm-1; tests spoil one field.
  v1::CreateTaskRequest NewTask() {
    v1::CreateTaskRequest req;
    req.mutable_task()->set_campaign_id("c1");
    req.mutable_task()->set_community_id("cm-1");
    req.mutable_task()->set_category("sanitation");
    req.mutable_task()->set_title("垃圾箱满溢");
    req.mutable_task()->mutable_budget()->set_planned_fen(50000);
    req.mutable_task()->mutable_budget()->set_payer(v1::PAYER_PROPERTY_COMPANY);
    return req;
  }
  absl::StatusOr<v1::Task> Create(const v1::CreateTaskRequest& req) {
    return As("officer-1").CreateTask(req);
  }
  v1::CreateCampaignRequest NewCampaign() {
    v1::CreateCampaignRequest req;
    v1::Campaign* c = req.mutable_campaign();
    c->set_id("c-bad");
    c->set_name("test");
    c->set_city("阿拉尔市");
    c->set_time_zone("Asia/Shanghai");
    c->set_self_check_start("2024-04-01");
    c->set_rectification_start("2024-05-01");
    c->set_final_assault_start("2024-10-01");
    c->set_close_date("2024-11-01");
    c->set_standard_id("civilized-residential");
    return req;
  }
};

TEST_F(BadInputTest, MissingFieldIsInvalidArgumentNamingIt) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->clear_title();
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("title")));
}

TEST_F(BadInputTest, MissingIdIsInvalidArgumentNamingIt) {
  EXPECT_THAT(As("officer-1").GetTask({}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("id")));
}

TEST_F(BadInputTest, UnknownEnumValueIsInvalidArgumentNamingTheField) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->mutable_budget()->set_payer(static_cast<v1::Payer>(42));
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("payer")));
  v1::ListTasksRequest list;
  list.add_states(static_cast<v1::TaskState>(99));
  EXPECT_THAT(As("officer-1").ListTasks(list),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("state")));
}

TEST_F(BadInputTest, ImpossibleDateIsInvalidArgumentNamingTheField) {
  v1::CreateCampaignRequest req = NewCampaign();
  req.mutable_campaign()->set_self_check_start("2024-02-30");
  EXPECT_THAT(As("sup-1").CreateCampaign(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("self_check_start")));
}

TEST_F(BadInputTest, OutOfRangeTimestampIsInvalidArgumentNamingTheField) {
  const v1::Task task = OpenTask();
  v1::DispatchTaskRequest req = Dispatch(task.id(), "pc-1");
  req.mutable_deadline()->set_seconds(int64_t{1} << 50);
  EXPECT_THAT(As("officer-1").DispatchTask(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deadline")));
}

TEST_F(BadInputTest, NegativeMoneyIsInvalidArgumentNamingTheField) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->mutable_budget()->set_planned_fen(-1);
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("planned_fen")));
}

TEST_F(BadInputTest, HugeMoneyIsInvalidArgumentNamingTheField) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->mutable_budget()->set_planned_fen(domain::kMaxFen + 1);
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("planned_fen")));
}

TEST_F(BadInputTest, UnknownIdIsNotFoundNamingIt) {
  v1::GetTaskRequest req;
  req.set_id("T-999999");
  EXPECT_THAT(As("officer-1").GetTask(req),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("T-999999")));
}

TEST_F(BadInputTest, UnknownReferenceIsNotFoundNamingIt) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->set_community_id("cm-nowhere");
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kNotFound, HasSubstr("cm-nowhere")));
}

TEST_F(BadInputTest, InvalidUtf8IsInvalidArgumentNamingTheRequest) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->set_title("bad \xff\xfe text");
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument,
                                    AllOf(HasSubstr("CreateTask"), HasSubstr("UTF-8"))));
}

TEST_F(BadInputTest, OversizedStringIsInvalidArgumentNamingTheField) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->set_title(std::string(10'000, 'x'));
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument,
                                    AllOf(HasSubstr("title"), HasSubstr("bytes"))));
}

TEST_F(BadInputTest, OversizedPageIsInvalidArgumentNamingPageSize) {
  v1::ListTasksRequest req;
  req.set_page_size(5000);
  EXPECT_THAT(As("officer-1").ListTasks(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  req.set_page_size(-1);
  EXPECT_THAT(As("officer-1").ListTasks(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST_F(BadInputTest, MalformedPageTokenIsInvalidArgumentNamingIt) {
  v1::ListTasksRequest req;
  req.set_page_token("not-a-token");
  EXPECT_THAT(As("officer-1").ListTasks(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(BadInputTest, OversizedMessageIsResourceExhausted) {
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->set_description(std::string(5 << 20, 'x'));
  EXPECT_EQ(Create(req).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(BadInputTest, SqlLookingTextIsStoredVerbatimAndHarmless) {
  const std::string title = "x'); DROP TABLE tasks; --";
  v1::CreateTaskRequest req = NewTask();
  req.mutable_task()->set_title(title);
  auto created = Create(req);
  ASSERT_TRUE(created.ok()) << created.status();
  v1::GetTaskRequest get;
  get.set_id(created->id());
  auto read = As("officer-1").GetTask(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->title(), title);
  get.set_id("' OR '1'='1");
  EXPECT_EQ(As("officer-1").GetTask(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BadInputTest, ReplayedRequestIdWithADifferentBodyIsInvalidArgument) {
  v1::CreateTaskRequest req = NewTask();
  req.set_request_id("replay-1");
  ASSERT_TRUE(Create(req).ok());
  req.mutable_task()->set_title("another title");
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument,
                                    AllOf(HasSubstr("request_id"), HasSubstr("replay-1"))));
}

TEST_F(BadInputTest, OverlongRequestIdIsInvalidArgumentNamingIt) {
  v1::CreateTaskRequest req = NewTask();
  req.set_request_id(std::string(200, 'r'));
  EXPECT_THAT(Create(req), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
}

}  // namespace
}  // namespace rectify::test
