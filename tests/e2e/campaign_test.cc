// Phases, inspections, self-check lists and readiness through the real server:
// gates that refuse and are forced, the scheduler on the campaign's dates,
// sheets scored by hand, a deduction that opens a task which, once closed,
// lets the re-inspection score higher.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

v1::Deduction Deduct(const std::string& rule, int count = 1, bool open_task = false,
                     const std::string& note = "") {
  v1::Deduction d;
  d.set_rule_id(rule);
  d.set_count(count);
  d.set_open_task(open_task);
  d.set_note(note);
  return d;
}

class CampaignTest : public CityTest {
 protected:
  absl::StatusOr<v1::AdvancePhaseResponse> Advance(const std::string& campaign = "c1",
                                                   bool force = false,
                                                   const std::string& reason = "",
                                                   const std::string& who = "sup-1") {
    v1::AdvancePhaseRequest req;
    req.set_campaign_id(campaign);
    req.set_force(force);
    req.set_reason(reason);
    return As(who).AdvancePhase(req);
  }

  // Brings c1 to rectification, forcing past the self-check gate.
  void ToRectification() {
    ASSERT_TRUE(Advance().ok());
    auto forced = Advance("c1", true, "test set-up");
    ASSERT_TRUE(forced.ok()) << forced.status();
    ASSERT_EQ(forced->campaign().phase(), v1::PHASE_RECTIFICATION);
  }

  absl::StatusOr<v1::Inspection> Inspect(const std::string& community,
                                         std::vector<v1::Deduction> deductions,
                                         v1::InspectionKind kind = v1::INSPECTION_KIND_WEEKLY,
                                         const std::string& who = "sup-1",
                                         const std::string& campaign = "c1") {
    v1::RecordInspectionRequest req;
    req.mutable_inspection()->set_campaign_id(campaign);
    req.mutable_inspection()->set_community_id(community);
    req.mutable_inspection()->set_kind(kind);
    for (v1::Deduction& d : deductions) *req.mutable_inspection()->add_deductions() = d;
    return As(who).RecordInspection(req);
  }

  absl::StatusOr<v1::SubmitSelfCheckListResponse> SelfCheck(const std::string& community,
                                                            const std::string& who,
                                                            int items) {
    v1::SubmitSelfCheckListRequest req;
    req.set_campaign_id("c1");
    req.set_community_id(community);
    for (int i = 0; i < items; ++i) {
      v1::SelfCheckItem* item = req.add_items();
      item->set_title(absl::StrCat("自查问题 ", i + 1));
      item->set_category("sanitation");
      item->set_standard_item("2.1");
      item->mutable_budget()->set_planned_fen(10000 * (i + 1));
    }
    return As(who).SubmitSelfCheckList(req);
  }
};

int ScoreOf(const v1::Inspection& i, const std::string& category) {
  for (const v1::CategoryScore& c : i.categories()) {
    if (c.category_id() == category) return c.score();
  }
  ADD_FAILURE() << "no category " << category;
  return -1;
}

TEST_F(CampaignTest, GatesRefuseNamingWhatIsMissingAndCanBeForcedWithAReason) {
  auto entered = Advance();
  ASSERT_TRUE(entered.ok()) << entered.status();
  EXPECT_EQ(entered->campaign().phase(), v1::PHASE_SELF_CHECK);

  auto refused = Advance();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("self-check list (整治清单) not submitted: cm-1, cm-2"));

  // The company of cm-1 submits its list: two tasks open at once.
  auto list = SelfCheck("cm-1", "worker-1", 2);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->tasks_size(), 2);
  EXPECT_EQ(list->tasks(0).state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(list->tasks(0).source(), v1::TASK_SOURCE_SELF_CHECK);
  EXPECT_EQ(list->list().task_ids_size(), 2);
  // Once per community.
  EXPECT_EQ(SelfCheck("cm-1", "worker-1", 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Not another company's community.
  EXPECT_EQ(SelfCheck("cm-2", "worker-1", 1).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::GetPhaseGateRequest gate;
  gate.set_campaign_id("c1");
  auto g = As("officer-1").GetPhaseGate(gate);
  ASSERT_TRUE(g.ok());
  EXPECT_THAT(g->shortfalls(), ElementsAre("self-check list (整治清单) not submitted: cm-2"));

  EXPECT_EQ(Advance("c1", true, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Advance("c1", true, "cm-2 has no company", "officer-1").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto forced = Advance("c1", true, "cm-2 的物业合同正在更换，先行整改");
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(forced->campaign().phase(), v1::PHASE_RECTIFICATION);
  EXPECT_EQ(forced->event().details().at("forced"), "true");
  EXPECT_THAT(forced->event().details().at("overridden"), HasSubstr("cm-2"));
  EXPECT_EQ(forced->event().reason(), "cm-2 的物业合同正在更换，先行整改");
}

TEST_F(CampaignTest, EachPhaseAllowsOnlyItsOwnWork) {
  ASSERT_TRUE(Advance().ok());  // self-check
  auto weekly = Inspect("cm-1", {});
  EXPECT_EQ(weekly.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(weekly.status().message()), HasSubstr("self_check"));
  EXPECT_TRUE(Inspect("cm-1", {Deduct("2.2b")}, v1::INSPECTION_KIND_SELF_CHECK, "worker-1").ok());

  ASSERT_TRUE(Advance("c1", true, "move on").ok());  // rectification
  EXPECT_EQ(SelfCheck("cm-2", "worker-2", 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto final_eval = Inspect("cm-1", {}, v1::INSPECTION_KIND_FINAL_EVALUATION);
  EXPECT_EQ(final_eval.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(final_eval.status().message()), HasSubstr("final_assault"));
  EXPECT_TRUE(Inspect("cm-1", {}).ok());
  // Weekly inspections are the supervising office's.
  EXPECT_EQ(Inspect("cm-1", {}, v1::INSPECTION_KIND_WEEKLY, "officer-1").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CampaignTest, SchedulerFollowsTheDatesAndReportsABlockedGateOnce) {
  // Monday 2024-05-06: by its dates c1 should be in rectification.
  auto moved = server_->scheduler().RunOnce();
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 1);  // planning → self-check; then blocked
  EXPECT_EQ(*server_->scheduler().RunOnce(), 0);
  v1::GetCampaignRequest get;
  get.set_id("c1");
  EXPECT_EQ(As("sup-1").GetCampaign(get)->phase(), v1::PHASE_SELF_CHECK);

  ASSERT_TRUE(SelfCheck("cm-1", "worker-1", 1).ok());
  ASSERT_TRUE(SelfCheck("cm-2", "worker-2", 0).ok());  // nothing found is a list too
  EXPECT_EQ(*server_->scheduler().RunOnce(), 1);
  EXPECT_EQ(As("sup-1").GetCampaign(get)->phase(), v1::PHASE_RECTIFICATION);
  // Nothing more until 2024-10-01.
  EXPECT_EQ(*server_->scheduler().RunOnce(), 0);
}

TEST_F(CampaignTest, SheetScoredByHandHitsTheZeroFloor) {
  ASSERT_NO_FATAL_FAILURE(ToRectification());
  // 宣传氛围 (20): 8 + 1 + 5 + 2 + 1 + 1 + 1 + 1 + 1 = 21 deducted → 0, not -1.
  // 环境卫生 (20): 2.2b 3 overflowing bins × 2 = 6, 2.1d 2 posters × 1 = 2 → 12.
  // 环境秩序 (20): nothing → 20.               Total: 32 of 60.
  auto sheet = Inspect("cm-1", {Deduct("1.1a", 8), Deduct("1.1b"), Deduct("1.1c", 5),
                                Deduct("1.2a"), Deduct("1.3a"), Deduct("1.3b"), Deduct("1.4a"),
                                Deduct("1.4b"), Deduct("1.5a"), Deduct("2.2b", 3),
                                Deduct("2.1d", 2)});
  ASSERT_TRUE(sheet.ok()) << sheet.status();
  EXPECT_EQ(ScoreOf(*sheet, "publicity"), 0);
  EXPECT_EQ(sheet->categories(0).deducted(), 21);
  EXPECT_EQ(ScoreOf(*sheet, "sanitation"), 12);
  EXPECT_EQ(ScoreOf(*sheet, "order"), 20);
  EXPECT_EQ(sheet->total(), 32);
  EXPECT_EQ(sheet->max_score(), 60);
  EXPECT_EQ(sheet->standard_id(), "civilized-residential");
  EXPECT_EQ(sheet->standard_version(), "2024.1");
  EXPECT_EQ(sheet->deductions(9).points(), 6);
  EXPECT_EQ(sheet->deductions(9).item_id(), "2.2");
  EXPECT_EQ(sheet->categories(1).name(), "查环境卫生");
}

TEST_F(CampaignTest, DeductionsThatDoNotFitTheirRuleAreRefusedNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(ToRectification());
  auto too_many = Inspect("cm-1", {Deduct("2.2b"), Deduct("1.1a", 9)});
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(too_many.status().message()), HasSubstr("deductions[1].count"));
  auto flag_twice = Inspect("cm-1", {Deduct("1.2a", 2)});
  EXPECT_THAT(std::string(flag_twice.status().message()), HasSubstr("deductions[0].count"));
  auto unknown = Inspect("cm-1", {Deduct("9.9z")});
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("deductions[0].rule_id"));
  v1::ListInspectionsRequest list;
  list.set_campaign_id("c1");
  EXPECT_EQ(As("sup-1").ListInspections(list)->inspections_size(), 0);  // nothing half-written
}

TEST_F(CampaignTest, ARuleCapLimitsWhatItDeducts) {
  v1::CreateCampaignRequest req;
  req.mutable_campaign()->set_id("c2");
  req.mutable_campaign()->set_name("capped");
  req.mutable_campaign()->set_self_check_start("2024-04-01");
  req.mutable_campaign()->set_rectification_start("2024-05-01");
  req.mutable_campaign()->set_final_assault_start("2024-10-01");
  req.mutable_campaign()->set_close_date("2024-11-01");
  req.mutable_campaign()->set_standard_id("capped-test");
  ASSERT_TRUE(As("sup-1").CreateCampaign(req).ok());
  ASSERT_TRUE(Advance("c2").ok());
  ASSERT_TRUE(Advance("c2", true, "test").ok());
  // 整洁 (10): 9.1a 4 posters × 2 = 8, capped at 5; 9.1b 2 × 3 = 6 → 11 → 0.
  auto sheet = Inspect("cm-1", {Deduct("9.1a", 4), Deduct("9.1b", 2)},
                       v1::INSPECTION_KIND_WEEKLY, "sup-1", "c2");
  ASSERT_TRUE(sheet.ok()) << sheet.status();
  EXPECT_EQ(sheet->deductions(0).points(), 5);
  EXPECT_EQ(sheet->deductions(1).points(), 6);
  EXPECT_EQ(sheet->categories(0).deducted(), 11);
  EXPECT_EQ(sheet->total(), 0);
  // 9.1a alone: capped at 5 → 5.
  auto lighter = Inspect("cm-2", {Deduct("9.1a", 4)}, v1::INSPECTION_KIND_WEEKLY, "sup-1", "c2");
  ASSERT_TRUE(lighter.ok());
  EXPECT_EQ(lighter->total(), 5);
}

TEST_F(CampaignTest, ADeductionOpensATaskAndTheReinspectionAfterItClosesScoresHigher) {
  ASSERT_NO_FATAL_FAILURE(ToRectification());
  auto first = Inspect("cm-1", {Deduct("2.2b", 2, true, "3号楼东侧"), Deduct("3.2a")});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->total(), 55);  // 60 - 4 - 1
  const std::string task_id = first->deductions(0).task_id();
  ASSERT_FALSE(task_id.empty());
  EXPECT_TRUE(first->deductions(1).task_id().empty());

  v1::GetTaskRequest get;
  get.set_id(task_id);
  auto task = As("worker-1").GetTask(get);
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->state(), v1::TASK_STATE_DISPATCHED);
  EXPECT_EQ(task->responsible_org_id(), "pc-1");
  EXPECT_EQ(task->responsible_person_id(), "worker-1");
  EXPECT_EQ(task->category(), "sanitation");
  EXPECT_EQ(task->standard_item(), "2.2");
  EXPECT_EQ(task->inspection_id(), first->id());
  EXPECT_EQ(task->source(), v1::TASK_SOURCE_INSPECTION);
  EXPECT_THAT(task->title(), HasSubstr("垃圾箱满溢"));
  EXPECT_EQ(FromTs(task->deadline()), At("2024-05-09 09:00"));  // 3 working days

  // The company fixes it, the street office verifies.
  ASSERT_TRUE(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(task_id)).ok());
  ASSERT_TRUE(As("worker-1").StartTask(ById<v1::StartTaskRequest>(task_id)).ok());
  ASSERT_TRUE(As("worker-1").SubmitTask(Submit(task_id)).ok());
  ASSERT_TRUE(As("officer-1").VerifyTask(ById<v1::VerifyTaskRequest>(task_id)).ok());

  clock_.Advance(absl::Hours(24 * 7));
  auto second = Inspect("cm-1", {Deduct("3.2a")});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->total(), 59);
  EXPECT_GT(second->total(), first->total());
  EXPECT_EQ(second->previous_inspection_id(), first->id());
  EXPECT_EQ(second->previous_total(), 55);
  EXPECT_THAT(second->cleared_rule_ids(), ElementsAre("2.2b"));
  EXPECT_THAT(second->persisting_rule_ids(), ElementsAre("3.2a"));
  EXPECT_TRUE(second->new_rule_ids().empty());
  // Read back later, the comparison is the same.
  v1::GetInspectionRequest again;
  again.set_id(second->id());
  auto read = As("officer-1").GetInspection(again);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->cleared_rule_ids(), ElementsAre("2.2b"));
}

TEST_F(CampaignTest, ReadinessNamesWhatKeepsEachCommunityBack) {
  ASSERT_NO_FATAL_FAILURE(ToRectification());
  // cm-1: one open task, and 3.2a found a week ago is still there; 2.2b was
  // cleared.
  OpenTask("cm-1");
  ASSERT_TRUE(Inspect("cm-1", {Deduct("3.2a"), Deduct("2.2b")}).ok());
  clock_.Advance(absl::Hours(24 * 7));
  ASSERT_TRUE(Inspect("cm-1", {Deduct("3.2a")}).ok());
  // cm-2: never inspected.
  v1::GetReadinessRequest req;
  req.set_campaign_id("c1");
  auto readiness = As("sup-1").GetReadiness(req);
  ASSERT_TRUE(readiness.ok()) << readiness.status();
  EXPECT_EQ(readiness->total_count(), 2);
  EXPECT_EQ(readiness->ready_count(), 0);
  ASSERT_EQ(readiness->communities_size(), 2);
  const v1::CommunityReadiness& cm1 = readiness->communities(0);
  EXPECT_EQ(cm1.community_id(), "cm-1");
  EXPECT_EQ(cm1.open_tasks(), 1);
  EXPECT_EQ(cm1.last_score(), 59);
  EXPECT_EQ(cm1.target_score(), 54);  // 90% of 60
  EXPECT_THAT(cm1.uncleared_rule_ids(), ElementsAre("3.2a"));
  EXPECT_THAT(cm1.reasons(), ElementsAre(HasSubstr("open tasks: 1"), HasSubstr("3.2a")));
  EXPECT_THAT(readiness->communities(1).reasons(), ElementsAre("never inspected"));

  // A street officer sees only her own communities.
  auto mine = As("officer-1").GetReadiness(req);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total_count(), 1);
  EXPECT_EQ(As("worker-1").GetReadiness(req).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CampaignTest, ACommunityAboveTargetWithNothingLeftOverIsReady) {
  ASSERT_NO_FATAL_FAILURE(ToRectification());
  ASSERT_TRUE(Inspect("cm-1", {Deduct("2.2b")}).ok());
  clock_.Advance(absl::Hours(24 * 7));
  // 3.2a is new, 2.2b is gone: 59 of 60 is above the target, nothing persists.
  ASSERT_TRUE(Inspect("cm-1", {Deduct("3.2a")}).ok());
  v1::GetReadinessRequest req;
  req.set_campaign_id("c1");
  req.set_not_ready_only(true);
  auto readiness = As("sup-1").GetReadiness(req);
  ASSERT_TRUE(readiness.ok());
  EXPECT_EQ(readiness->ready_count(), 1);
  ASSERT_EQ(readiness->communities_size(), 1);  // cm-1 is ready and left out
  EXPECT_EQ(readiness->communities(0).community_id(), "cm-2");
}

TEST_F(CampaignTest, TheFinalAssaultShortensServiceLevels) {
  ASSERT_NO_FATAL_FAILURE(ToRectification());
  ASSERT_TRUE(Advance("c1", true, "skip to the final assault").ok());
  v1::Task task = OpenTask("cm-1", "sanitation");
  auto change = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  ASSERT_TRUE(change.ok()) << change.status();
  // 3 working days at 50%, rounded up: 2. Monday 09:00 → Wednesday 09:00.
  EXPECT_EQ(FromTs(change->task().deadline()), At("2024-05-08 09:00"));
  EXPECT_TRUE(Inspect("cm-1", {}, v1::INSPECTION_KIND_FINAL_EVALUATION).ok());
}

}  // namespace
}  // namespace rectify::test
