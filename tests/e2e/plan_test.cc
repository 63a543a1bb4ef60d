// Work plans and budgets (工作方案/经费预算) through the real server: street
// office so-1 drafts its plan for campaign c1, submits it to the
// property-management centre, whose staff return it with comments; the office
// resubmits a new revision, which is approved, and the history is kept. The
// budget by payer (planned, approved, actual from the office's tasks) is
// checked against figures computed by hand. Who may act; the error codes.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::HasSubstr;

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         ::testing::Value(std::string(arg.status().message()), substring);
}

class PlanTest : public CityTest {
 protected:
  void SetUp() override {
    CityTest::SetUp();
    // The property-management centre and one of its staff (not in the city fixture).
    client::Client& admin = As("admin");
    v1::CreateOrganisationRequest org;
    org.mutable_organisation()->set_id("pmc");
    org.mutable_organisation()->set_kind(v1::ORG_KIND_PROPERTY_CENTRE);
    org.mutable_organisation()->set_name("物管中心");
    ASSERT_TRUE(admin.CreateOrganisation(org).ok());
    v1::CreatePersonRequest person;
    person.mutable_person()->set_id("centre-1");
    person.mutable_person()->set_name("centre-1");
    person.mutable_person()->set_organisation_id("pmc");
    person.mutable_person()->set_role(v1::ROLE_CENTRE_STAFF);
    ASSERT_TRUE(admin.CreatePerson(person).ok());
    v1::IssueTokenRequest token;
    token.set_person_id("centre-1");
    token.set_label("test");
    auto issued = admin.IssueToken(token);
    ASSERT_TRUE(issued.ok()) << issued.status();
    client::ClientOptions options;
    options.address = address();
    options.token = issued->token();
    options.timeout = absl::Seconds(10);
    auto created = client::Client::Create(options);
    ASSERT_TRUE(created.ok()) << created.status();
    centre_ = *std::move(created);
  }

  static void AddItem(v1::SavePlanDraftRequest& req, const std::string& task_id,
                      const std::string& description, int64_t cost_fen, v1::Payer payer) {
    v1::PlanItem* item = req.add_items();
    item->set_task_id(task_id);
    item->set_description(description);
    item->set_person_id("officer-1");
    item->set_cost_fen(cost_fen);
    item->set_payer(payer);
  }

  // The first draft: 3000 + 1500 fen by the owners, 2000 by the property company.
  static v1::SavePlanDraftRequest FirstDraft() {
    v1::SavePlanDraftRequest req;
    req.set_campaign_id("c1");
    AddItem(req, "", "拆除违建车棚", 3'000, v1::PAYER_OWNERS);
    AddItem(req, "", "更换垃圾桶", 2'000, v1::PAYER_PROPERTY_COMPANY);
    AddItem(req, "", "粉刷楼道", 1'500, v1::PAYER_OWNERS);
    return req;
  }

  absl::StatusOr<v1::WorkPlan> Submit(const std::string& who, const std::string& id) {
    v1::SubmitPlanRequest req;
    req.set_plan_id(id);
    return As(who).SubmitPlan(req);
  }

  static v1::DecidePlanRequest Decide(const std::string& id, const std::string& comments = "") {
    v1::DecidePlanRequest req;
    req.set_plan_id(id);
    req.set_comments(comments);
    return req;
  }

  // A task in cm-1 whose payer is `payer`, worked by pc-1 and submitted with
  // `actual_fen`.
  void TaskWithActualCost(v1::Payer payer, int64_t actual_fen) {
    v1::CreateTaskRequest create;
    create.mutable_task()->set_campaign_id("c1");
    create.mutable_task()->set_community_id("cm-1");
    create.mutable_task()->set_category("sanitation");
    create.mutable_task()->set_title("垃圾箱满溢");
    create.mutable_task()->mutable_budget()->set_planned_fen(actual_fen);
    create.mutable_task()->mutable_budget()->set_payer(payer);
    auto task = As("officer-1").CreateTask(create);
    ASSERT_TRUE(task.ok()) << task.status();
    const std::string id = task->id();
    ASSERT_TRUE(As("officer-1").DispatchTask(Dispatch(id, "pc-1")).ok());
    ASSERT_TRUE(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(id)).ok());
    ASSERT_TRUE(As("worker-1").StartTask(ById<v1::StartTaskRequest>(id)).ok());
    v1::SubmitTaskRequest submit = rectify::test::Submit(id);
    submit.set_actual_fen(actual_fen);
    auto submitted = As("worker-1").SubmitTask(submit);
    ASSERT_TRUE(submitted.ok()) << submitted.status();
  }

  std::unique_ptr<client::Client> centre_;
};

TEST_F(PlanTest, SubmittedReturnedWithCommentsResubmittedAndApprovedKeepsItsHistory) {
  auto plan = As("officer-1").SavePlanDraft(FirstDraft());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->state(), v1::PLAN_STATE_DRAFT);
  EXPECT_EQ(plan->street_office_id(), "so-1");
  EXPECT_EQ(plan->items_size(), 3);
  EXPECT_EQ(plan->revisions_size(), 0);

  auto submitted = Submit("officer-1", plan->id());
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::PLAN_STATE_SUBMITTED);
  ASSERT_EQ(submitted->revisions_size(), 1);
  EXPECT_EQ(submitted->revisions(0).submitted_by(), "officer-1");

  auto returned = centre_->ReturnPlan(Decide(plan->id(), "车棚费用请列明细"));
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::PLAN_STATE_RETURNED);

  v1::SavePlanDraftRequest edit = FirstDraft();
  edit.set_plan_id(plan->id());
  edit.set_etag(returned->etag());
  AddItem(edit, "", "车棚拆除垃圾清运", 500, v1::PAYER_STREET_OFFICE);
  auto edited = As("officer-1").SavePlanDraft(edit);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->state(), v1::PLAN_STATE_RETURNED);
  auto resubmitted = Submit("officer-1", plan->id());
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.status();
  EXPECT_EQ(resubmitted->state(), v1::PLAN_STATE_SUBMITTED);
  auto approved = centre_->ApprovePlan(Decide(plan->id(), "同意"));
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::PLAN_STATE_APPROVED);

  v1::GetPlanRequest get;
  get.set_plan_id(plan->id());
  auto read = As("sup-1").GetPlan(get);  // supervisors read
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->revisions_size(), 2);
  EXPECT_EQ(read->revisions(0).number(), 1);
  EXPECT_EQ(read->revisions(0).items_size(), 3);
  EXPECT_EQ(read->revisions(0).decision(), v1::PLAN_STATE_RETURNED);
  EXPECT_EQ(read->revisions(0).decided_by(), "centre-1");
  EXPECT_EQ(read->revisions(0).comments(), "车棚费用请列明细");
  EXPECT_TRUE(read->revisions(0).has_decide_time());
  EXPECT_EQ(read->revisions(1).number(), 2);
  EXPECT_EQ(read->revisions(1).items_size(), 4);
  EXPECT_EQ(read->revisions(1).decision(), v1::PLAN_STATE_APPROVED);
  EXPECT_EQ(read->revisions(1).comments(), "同意");

  v1::ListPlansRequest list;
  list.set_campaign_id("c1");
  list.set_state(v1::PLAN_STATE_APPROVED);
  auto listed = centre_->ListPlans(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->plans_size(), 1);
  EXPECT_EQ(listed->plans(0).id(), plan->id());
  auto hidden = As("officer-2").ListPlans(list);  // another office sees none of it
  ASSERT_TRUE(hidden.ok()) << hidden.status();
  EXPECT_EQ(hidden->plans_size(), 0);

  EXPECT_THAT(centre_->ReturnPlan(Decide(plan->id(), "再改")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in state APPROVED")));
}

TEST_F(PlanTest, BudgetByPayerIsPlannedApprovedAndActual) {
  auto plan = As("officer-1").SavePlanDraft(FirstDraft());
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_TRUE(Submit("officer-1", plan->id()).ok());
  ASSERT_TRUE(centre_->ApprovePlan(Decide(plan->id())).ok());
  ASSERT_NO_FATAL_FAILURE(TaskWithActualCost(v1::PAYER_OWNERS, 1'200));
  ASSERT_NO_FATAL_FAILURE(TaskWithActualCost(v1::PAYER_OWNERS, 800));
  ASSERT_NO_FATAL_FAILURE(TaskWithActualCost(v1::PAYER_PROPERTY_COMPANY, 2'500));

  v1::GetBudgetRequest req;
  req.set_campaign_id("c1");
  req.set_street_office_id("so-1");
  auto budget = centre_->GetBudget(req);
  ASSERT_TRUE(budget.ok()) << budget.status();
  EXPECT_EQ(budget->plan_id(), plan->id());
  EXPECT_EQ(budget->plan_state(), v1::PLAN_STATE_APPROVED);
  // By hand: owners 3000 + 1500 planned and approved, 1200 + 800 spent;
  // property company 2000 planned and approved, 2500 spent.
  ASSERT_EQ(budget->payers_size(), 2);
  EXPECT_EQ(budget->payers(0).payer(), v1::PAYER_PROPERTY_COMPANY);
  EXPECT_EQ(budget->payers(0).planned_fen(), 2'000);
  EXPECT_EQ(budget->payers(0).approved_fen(), 2'000);
  EXPECT_EQ(budget->payers(0).actual_fen(), 2'500);
  EXPECT_EQ(budget->payers(1).payer(), v1::PAYER_OWNERS);
  EXPECT_EQ(budget->payers(1).planned_fen(), 4'500);
  EXPECT_EQ(budget->payers(1).approved_fen(), 4'500);
  EXPECT_EQ(budget->payers(1).actual_fen(), 2'000);

  req.set_street_office_id("so-2");  // so-2 has neither a plan nor these tasks
  auto other = As("sup-1").GetBudget(req);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->plan_id(), "");
  EXPECT_EQ(other->payers_size(), 0);
}

TEST_F(PlanTest, OnlyTheOfficesOfficersSubmitAndOnlyCentreStaffDecide) {
  auto plan = As("officer-1").SavePlanDraft(FirstDraft());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Submit("worker-1", plan->id()),  // a property company
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("its street officers")));
  EXPECT_THAT(Submit("officer-2", plan->id()),  // another street office
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("so-1")));
  ASSERT_TRUE(Submit("officer-1", plan->id()).ok());
  EXPECT_THAT(As("officer-1").ApprovePlan(Decide(plan->id())),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("CENTRE_STAFF")));
  EXPECT_THAT(As("sup-1").ReturnPlan(Decide(plan->id(), "no")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("CENTRE_STAFF")));
  v1::GetPlanRequest get;
  get.set_plan_id(plan->id());
  EXPECT_THAT(As("worker-1").GetPlan(get),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("may not see")));
}

TEST_F(PlanTest, ErrorCodesNameTheFieldOrTheState) {
  v1::SavePlanDraftRequest bad = FirstDraft();
  bad.mutable_items(1)->set_cost_fen(-1);
  EXPECT_THAT(As("officer-1").SavePlanDraft(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("items[1].cost_fen")));
  bad = FirstDraft();
  bad.mutable_items(2)->set_payer(v1::PAYER_UNSPECIFIED);
  EXPECT_THAT(As("officer-1").SavePlanDraft(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("items[2].payer")));
  v1::SavePlanDraftRequest empty;
  empty.set_campaign_id("c1");
  auto plan = As("officer-1").SavePlanDraft(empty);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(As("officer-1").SavePlanDraft(FirstDraft()),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(plan->id())));
  EXPECT_THAT(Submit("officer-1", plan->id()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'items'")));
  EXPECT_THAT(centre_->ApprovePlan(Decide(plan->id())),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is in state DRAFT; 'approve' needs SUBMITTED")));
  v1::SavePlanDraftRequest fill = FirstDraft();
  fill.set_plan_id(plan->id());
  ASSERT_TRUE(As("officer-1").SavePlanDraft(fill).ok());
  ASSERT_TRUE(Submit("officer-1", plan->id()).ok());
  EXPECT_THAT(centre_->ReturnPlan(Decide(plan->id(), "  ")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'comments'")));
  v1::SavePlanDraftRequest late = FirstDraft();
  late.set_plan_id(plan->id());
  EXPECT_THAT(As("officer-1").SavePlanDraft(late),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in state SUBMITTED")));
  v1::SubmitPlanRequest stale;
  stale.set_plan_id(plan->id());
  stale.set_etag("1");
  EXPECT_THAT(As("officer-1").SubmitPlan(stale),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("etag")));
  v1::GetPlanRequest missing;
  missing.set_plan_id("WP-404");
  EXPECT_THAT(As("officer-1").GetPlan(missing),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("WP-404")));
}

}  // namespace
}  // namespace rectify::test
