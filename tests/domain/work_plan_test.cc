// The work plan's state machine: submitted, returned with comments,
// resubmitted as a new revision, approved; history kept; who may do what;
// item checks; costs by payer.
#include "domain/work_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1714521600);

WorkPlan Plan() {
  WorkPlan p;
  p.id = "WP-1";
  p.campaign_id = "c1";
  p.street_office_id = "so-1";
  p.items = {{"T-1", "更换垃圾桶", "worker-1", 120000, Payer::kPropertyCompany},
             {"", "公益广告", "officer-1", 30000, Payer::kStreetOffice}};
  return p;
}

TEST(WorkPlanTest, SubmitReturnResubmitApproveKeepsEveryRevision) {
  WorkPlan p = Plan();
  ASSERT_TRUE(ApplyPlanAction(p, PlanAction::kSubmit, PlanParty::kStreetOffice, "officer-1", "",
                              kNow)
                  .ok());
  EXPECT_EQ(p.state, PlanState::kSubmitted);
  ASSERT_TRUE(ApplyPlanAction(p, PlanAction::kReturn, PlanParty::kCentre, "centre-1",
                              "预算过高", kNow + absl::Hours(1))
                  .ok());
  EXPECT_EQ(p.state, PlanState::kReturned);
  std::vector<PlanItem> cheaper = p.items;
  cheaper[0].cost_fen = 80000;
  ASSERT_TRUE(EditPlan(p, cheaper, kNow + absl::Hours(2)).ok());
  ASSERT_TRUE(ApplyPlanAction(p, PlanAction::kResubmit, PlanParty::kStreetOffice, "officer-1", "",
                              kNow + absl::Hours(3))
                  .ok());
  ASSERT_TRUE(ApplyPlanAction(p, PlanAction::kApprove, PlanParty::kCentre, "centre-1", "同意",
                              kNow + absl::Hours(4))
                  .ok());
  EXPECT_EQ(p.state, PlanState::kApproved);
  ASSERT_EQ(p.revisions.size(), 2u);
  EXPECT_EQ(p.revisions[0].number, 1);
  EXPECT_EQ(p.revisions[0].decision, PlanState::kReturned);
  EXPECT_EQ(p.revisions[0].comments, "预算过高");
  EXPECT_EQ(p.revisions[0].items[0].cost_fen, 120000);
  EXPECT_EQ(p.revisions[1].number, 2);
  EXPECT_EQ(p.revisions[1].decision, PlanState::kApproved);
  EXPECT_EQ(p.revisions[1].items[0].cost_fen, 80000);
  std::map<Payer, int64_t> by_payer = CostByPayer(p.revisions[1].items);
  EXPECT_EQ(by_payer[Payer::kPropertyCompany], 80000);
  EXPECT_EQ(by_payer[Payer::kStreetOffice], 30000);
}

TEST(WorkPlanTest, RefusalsNameTheStateThePartyOrTheField) {
  WorkPlan p = Plan();
  absl::Status s =
      ApplyPlanAction(p, PlanAction::kApprove, PlanParty::kCentre, "centre-1", "", kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("is in state DRAFT; 'approve' needs SUBMITTED"));
  EXPECT_EQ(ApplyPlanAction(p, PlanAction::kSubmit, PlanParty::kCentre, "centre-1", "", kNow)
                .code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(ApplyPlanAction(p, PlanAction::kSubmit, PlanParty::kStreetOffice, "o", "", kNow)
                  .ok());
  EXPECT_EQ(EditPlan(p, p.items, kNow).code(), absl::StatusCode::kFailedPrecondition);
  s = ApplyPlanAction(p, PlanAction::kReturn, PlanParty::kCentre, "centre-1", " ", kNow);
  EXPECT_THAT(s.message(), HasSubstr("'comments'"));

  WorkPlan bad = Plan();
  bad.items[1].cost_fen = -1;
  EXPECT_THAT(ValidatePlanItems(bad.items).message(), HasSubstr("'items[1].cost_fen'"));
  bad = Plan();
  bad.items.clear();
  EXPECT_THAT(
      ApplyPlanAction(bad, PlanAction::kSubmit, PlanParty::kStreetOffice, "o", "", kNow).message(),
      HasSubstr("'items'"));
}

}  // namespace
}  // namespace rectify::domain
