// The store contract for work plans (round trip of every field including the
// items and the revisions with their comments, versions, references, filters,
// newest-first listing). Part of StoreContractTest, so every engine runs it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/work_plan.h"
#include "storage/store.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using domain::Payer;
using domain::PlanItem;
using domain::PlanRevision;
using domain::PlanState;
using domain::WorkPlan;
using storage::PlanFilter;
using storage::ReadTx;
using storage::WriteTx;
using ::testing::HasSubstr;

WorkPlan MakePlan(std::string id, std::string campaign = "C-1", std::string office = "S-1") {
  WorkPlan p;
  p.id = std::move(id);
  p.campaign_id = std::move(campaign);
  p.street_office_id = std::move(office);
  p.items = {{"T-1", "拆除违建 \"车棚\"", "P-1", 120'000, Payer::kOwners},
             {"", "公益广告", "P-2", 0, Payer::kStreetOffice}};
  p.update_time = TestNow();
  return p;
}

void ExpectItemsEq(const std::vector<PlanItem>& a, const std::vector<PlanItem>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].task_id, b[i].task_id);
    EXPECT_EQ(a[i].description, b[i].description);
    EXPECT_EQ(a[i].person_id, b[i].person_id);
    EXPECT_EQ(a[i].cost_fen, b[i].cost_fen);
    EXPECT_EQ(a[i].payer, b[i].payer);
  }
}

void ExpectPlanEq(const WorkPlan& a, const WorkPlan& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.state, b.state);
  ExpectItemsEq(a.items, b.items);
  ASSERT_EQ(a.revisions.size(), b.revisions.size());
  for (size_t i = 0; i < a.revisions.size(); ++i) {
    const PlanRevision& x = a.revisions[i];
    const PlanRevision& y = b.revisions[i];
    EXPECT_EQ(x.number, y.number);
    ExpectItemsEq(x.items, y.items);
    EXPECT_EQ(x.submitted_by, y.submitted_by);
    EXPECT_EQ(x.submit_time, y.submit_time);
    EXPECT_EQ(x.decision, y.decision);
    EXPECT_EQ(x.decided_by, y.decided_by);
    EXPECT_EQ(x.comments, y.comments);
    EXPECT_EQ(x.decide_time, y.decide_time);
  }
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.version, b.version);
}

absl::StatusOr<WorkPlan> GetPlan(storage::Store& store, const std::string& id) {
  return storage::ReadAndReturn<WorkPlan>(
      store, [&](ReadTx& tx) -> absl::StatusOr<WorkPlan> { return tx.GetPlan(id); });
}

std::vector<std::string> PlanIds(storage::Store& store, const PlanFilter& filter) {
  absl::StatusOr<std::vector<WorkPlan>> plans = storage::ReadAndReturn<std::vector<WorkPlan>>(
      store, [&](ReadTx& tx) { return tx.ListPlans(filter, 100); });
  EXPECT_THAT(plans, IsOk());
  std::vector<std::string> ids;
  if (plans.ok()) {
    for (const WorkPlan& p : *plans) ids.push_back(p.id);
  }
  return ids;
}

TEST_P(StoreContractTest, PlanCreateGetSaveRoundTripsEveryFieldAndTheHistory) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  WorkPlan p = MakePlan("WP-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePlan(p); }), IsOk());
  EXPECT_EQ(p.version, 1);
  absl::StatusOr<WorkPlan> got = GetPlan(store(), "WP-1");
  ASSERT_THAT(got, IsOk());
  ExpectPlanEq(*got, p);

  // Submitted, returned with comments, resubmitted: both revisions are kept.
  ASSERT_THAT(domain::ApplyPlanAction(*got, domain::PlanAction::kSubmit,
                                      domain::PlanParty::kStreetOffice, "P-1", "", TestNow()),
              IsOk());
  ASSERT_THAT(domain::ApplyPlanAction(*got, domain::PlanAction::kReturn, domain::PlanParty::kCentre,
                                      "P-9", "补充 \"费用\" 明细", TestNow() + absl::Hours(1)),
              IsOk());
  got->items.push_back({"T-2", "垃圾分类", "P-1", 5'000, Payer::kPropertyCompany});
  ASSERT_THAT(domain::ApplyPlanAction(*got, domain::PlanAction::kResubmit,
                                      domain::PlanParty::kStreetOffice, "P-1", "",
                                      TestNow() + absl::Hours(2)),
              IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePlan(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<WorkPlan> again = GetPlan(store(), "WP-1");
  ASSERT_THAT(again, IsOk());
  ExpectPlanEq(*again, *got);
  ASSERT_EQ(again->revisions.size(), 2u);
  EXPECT_EQ(again->revisions[0].decision, PlanState::kReturned);
  EXPECT_EQ(again->revisions[0].comments, "补充 \"费用\" 明细");
  EXPECT_EQ(again->revisions[1].decision, PlanState::kSubmitted);
  EXPECT_EQ(again->revisions[1].decide_time, absl::InfinitePast());
  EXPECT_EQ(again->state, PlanState::kSubmitted);
}

TEST_P(StoreContractTest, PlanErrorsNameTheProblem) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  EXPECT_THAT(GetPlan(store(), "WP-9"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("work plan 'WP-9'")));
  WorkPlan p = MakePlan("WP-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePlan(p); }), IsOk());
  WorkPlan dup = MakePlan("WP-1");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePlan(dup); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  WorkPlan stale = p;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePlan(p); }), IsOk());
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePlan(stale); }),
              StatusIs(absl::StatusCode::kAborted));
  WorkPlan orphan = MakePlan("WP-2", "C-1", "S-404");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePlan(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("S-404")));
  WorkPlan no_campaign = MakePlan("WP-3", "C-404");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePlan(no_campaign); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("C-404")));
}

TEST_P(StoreContractTest, ListPlansFiltersAndListsNewestFirst) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    WorkPlan a = MakePlan("WP-1");
    WorkPlan b = MakePlan("WP-2", "C-1", "S-2");
    WorkPlan c = MakePlan("WP-3", "C-2", "S-1");
    c.state = PlanState::kApproved;
    for (WorkPlan* p : {&a, &b, &c}) {
      if (absl::Status s = tx.CreatePlan(*p); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(PlanIds(store(), {}), (std::vector<std::string>{"WP-3", "WP-2", "WP-1"}));
  EXPECT_EQ(PlanIds(store(), {"C-1", "", std::nullopt}),
            (std::vector<std::string>{"WP-2", "WP-1"}));
  EXPECT_EQ(PlanIds(store(), {"", "S-1", std::nullopt}),
            (std::vector<std::string>{"WP-3", "WP-1"}));
  EXPECT_EQ(PlanIds(store(), {"", "", PlanState::kApproved}),
            (std::vector<std::string>{"WP-3"}));
  EXPECT_EQ(PlanIds(store(), {"C-2", "S-2", std::nullopt}), std::vector<std::string>{});
  EXPECT_THAT(storage::ReadAndReturn<std::vector<WorkPlan>>(
                  store(), [](ReadTx& tx) { return tx.ListPlans({}, 0); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreContractTest, SumActualCostByPayerCountsTheOfficesCommunitiesInTheCampaign) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    auto add = [&](const char* id, const char* campaign, const char* community,
                   const char* office, int64_t actual, Payer payer) {
      domain::Task t = MakeTask(id);
      t.campaign_id = campaign;
      t.community_id = community;
      t.street_office_id = office;
      t.budget.planned_fen = actual + 1;
      t.budget.actual_fen = actual;
      t.budget.payer = payer;
      return tx.CreateTask(t);
    };
    for (absl::Status s : {add("T-1", "C-1", "M-1", "S-1", 1'000, Payer::kOwners),
                           add("T-2", "C-1", "M-3", "S-1", 2'500, Payer::kOwners),
                           add("T-3", "C-1", "M-1", "S-1", 700, Payer::kPropertyCompany),
                           add("T-4", "C-1", "M-2", "S-2", 9'000, Payer::kOwners),
                           add("T-5", "C-2", "M-1", "S-1", 4'000, Payer::kOwners)}) {
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  using Sums = std::map<Payer, int64_t>;
  auto sums = [&](const char* campaign, const char* office) {
    return storage::ReadAndReturn<Sums>(
        store(), [&](ReadTx& tx) { return tx.SumActualCostByPayer(campaign, office); });
  };
  absl::StatusOr<Sums> s1 = sums("C-1", "S-1");
  ASSERT_THAT(s1, IsOk());
  EXPECT_EQ(*s1, (Sums{{Payer::kPropertyCompany, 700}, {Payer::kOwners, 3'500}}));
  absl::StatusOr<Sums> s2 = sums("C-1", "S-2");
  ASSERT_THAT(s2, IsOk());
  EXPECT_EQ(*s2, (Sums{{Payer::kOwners, 9'000}}));
  absl::StatusOr<Sums> none = sums("C-404", "S-1");
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace rectify::test
