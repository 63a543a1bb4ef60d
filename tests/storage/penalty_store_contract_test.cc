// The store contract for accountability: penalties (round trip, versions,
// references, filters, newest-first listing) and the record of applied
// escalation steps (once per campaign, step and subject). Part of
// StoreContractTest, so every engine runs it.
#include <string>
#include <vector>

#include "domain/penalty.h"
#include "storage/store.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using domain::Penalty;
using domain::PenaltyKind;
using domain::PenaltyState;
using storage::PenaltyFilter;
using storage::ReadTx;
using storage::WriteTx;
using ::testing::HasSubstr;

Penalty MakePenalty(std::string id, std::string campaign = "C-1", std::string org = "PC-1",
                    PenaltyKind kind = PenaltyKind::kYellowCard) {
  Penalty p;
  p.id = std::move(id);
  p.campaign_id = std::move(campaign);
  p.org_id = std::move(org);
  p.kind = kind;
  p.amount_fen = kind == PenaltyKind::kFine ? 200000 : 0;
  p.reason = "三项任务逾期";
  p.task_ids = {"T-1", "T-2"};
  p.proposed_by = "scheduler";
  p.escalation_step = "yellow_repeat";
  p.propose_time = TestNow();
  p.update_time = TestNow();
  return p;
}

void ExpectPenaltyEq(const Penalty& a, const Penalty& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.amount_fen, b.amount_fen);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.task_ids, b.task_ids);
  EXPECT_EQ(a.proposed_by, b.proposed_by);
  EXPECT_EQ(a.escalation_step, b.escalation_step);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.decided_by, b.decided_by);
  EXPECT_EQ(a.decision_comment, b.decision_comment);
  EXPECT_EQ(a.revoked_by, b.revoked_by);
  EXPECT_EQ(a.revoke_reason, b.revoke_reason);
  EXPECT_EQ(a.propose_time, b.propose_time);
  EXPECT_EQ(a.decide_time, b.decide_time);
  EXPECT_EQ(a.revoke_time, b.revoke_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.version, b.version);
}

absl::StatusOr<Penalty> GetPenalty(storage::Store& store, const std::string& id) {
  return storage::ReadAndReturn<Penalty>(
      store, [&](ReadTx& tx) -> absl::StatusOr<Penalty> { return tx.GetPenalty(id); });
}

absl::StatusOr<std::vector<Penalty>> List(storage::Store& store, const PenaltyFilter& filter,
                                          int limit = 100) {
  return storage::ReadAndReturn<std::vector<Penalty>>(
      store, [&](ReadTx& tx) { return tx.ListPenalties(filter, limit); });
}

std::vector<std::string> Ids(const std::vector<Penalty>& ps) {
  std::vector<std::string> ids;
  for (const Penalty& p : ps) ids.push_back(p.id);
  return ids;
}

TEST_P(StoreContractTest, PenaltyCreateGetSaveRoundTripsEveryField) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  Penalty p = MakePenalty("PN-1", "C-1", "PC-1", PenaltyKind::kFine);
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePenalty(p); }), IsOk());
  EXPECT_EQ(p.version, 1);
  absl::StatusOr<Penalty> got = GetPenalty(store(), "PN-1");
  ASSERT_THAT(got, IsOk());
  ExpectPenaltyEq(*got, p);

  got->state = PenaltyState::kRevoked;
  got->decided_by = "sup-1";
  got->decision_comment = "同意";
  got->decide_time = TestNow() + absl::Hours(1);
  got->revoked_by = "sup-2";
  got->revoke_reason = "申诉成立";
  got->revoke_time = TestNow() + absl::Hours(2);
  got->task_ids.clear();
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePenalty(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<Penalty> again = GetPenalty(store(), "PN-1");
  ASSERT_THAT(again, IsOk());
  ExpectPenaltyEq(*again, *got);
}

TEST_P(StoreContractTest, PenaltyErrorsNameTheProblem) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  EXPECT_THAT(GetPenalty(store(), "PN-9"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("penalty 'PN-9'")));
  Penalty p = MakePenalty("PN-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePenalty(p); }), IsOk());
  Penalty dup = MakePenalty("PN-1");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePenalty(dup); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  Penalty stale = p;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePenalty(p); }), IsOk());
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SavePenalty(stale); }),
              StatusIs(absl::StatusCode::kAborted));
  Penalty orphan = MakePenalty("PN-2", "C-1", "PC-9");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreatePenalty(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("organisation_id 'PC-9'")));
}

TEST_P(StoreContractTest, PenaltiesListNewestFirstAndFilter) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    std::vector<Penalty> all = {
        MakePenalty("PN-1", "C-1", "PC-1", PenaltyKind::kYellowCard),
        MakePenalty("PN-2", "C-1", "PC-2", PenaltyKind::kFine),
        MakePenalty("PN-3", "C-2", "PC-1", PenaltyKind::kYellowCard),
        MakePenalty("PN-4", "C-1", "PC-1", PenaltyKind::kYellowCard),
    };
    all[3].state = PenaltyState::kIssued;
    for (Penalty& p : all) {
      if (absl::Status s = tx.CreatePenalty(p); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_THAT(List(store(), {}), IsOk());
  EXPECT_EQ(Ids(*List(store(), {})), (std::vector<std::string>{"PN-4", "PN-3", "PN-2", "PN-1"}));
  PenaltyFilter c1;
  c1.campaign_id = "C-1";
  EXPECT_EQ(Ids(*List(store(), c1)), (std::vector<std::string>{"PN-4", "PN-2", "PN-1"}));
  PenaltyFilter yellow_pc1 = c1;
  yellow_pc1.org_id = "PC-1";
  yellow_pc1.kind = PenaltyKind::kYellowCard;
  EXPECT_EQ(Ids(*List(store(), yellow_pc1)), (std::vector<std::string>{"PN-4", "PN-1"}));
  yellow_pc1.state = PenaltyState::kIssued;
  EXPECT_EQ(Ids(*List(store(), yellow_pc1)), (std::vector<std::string>{"PN-4"}));
  EXPECT_EQ(storage::ReadAndReturn<int64_t>(
                store(), [&](ReadTx& tx) { return tx.CountPenalties(yellow_pc1); })
                .value(),
            1);
  EXPECT_EQ(Ids(*List(store(), {}, 2)), (std::vector<std::string>{"PN-4", "PN-3"}));
  EXPECT_THAT(List(store(), {}, 0), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreContractTest, EscalationStepIsRecordedOncePerCampaignStepAndSubject) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  auto mark = [&](const std::string& campaign, const std::string& step,
                  const std::string& subject) {
    return storage::WriteAndReturn<bool>(store(), [&](WriteTx& tx) {
      return tx.MarkEscalationApplied(campaign, step, subject, TestNow());
    });
  };
  auto applied = [&](const std::string& campaign, const std::string& step,
                     const std::string& subject) {
    return storage::ReadAndReturn<bool>(
        store(), [&](ReadTx& tx) { return tx.EscalationApplied(campaign, step, subject); });
  };
  EXPECT_FALSE(applied("C-1", "urge", "tasks/T-1").value());
  EXPECT_TRUE(mark("C-1", "urge", "tasks/T-1").value());
  EXPECT_TRUE(applied("C-1", "urge", "tasks/T-1").value());
  EXPECT_FALSE(mark("C-1", "urge", "tasks/T-1").value());
  EXPECT_TRUE(mark("C-1", "remind", "tasks/T-1").value());
  EXPECT_TRUE(mark("C-1", "urge", "tasks/T-2").value());
  EXPECT_TRUE(mark("C-2", "urge", "tasks/T-1").value());
  EXPECT_THAT(mark("C-1", "", "tasks/T-1"), StatusIs(absl::StatusCode::kInvalidArgument));

  // A rolled-back transaction keeps no record.
  EXPECT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    absl::StatusOr<bool> fresh = tx.MarkEscalationApplied("C-1", "fine", "tasks/T-1", TestNow());
    EXPECT_THAT(fresh, IsOk());
    return absl::AbortedError("changed my mind");
  }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_FALSE(applied("C-1", "fine", "tasks/T-1").value());
}

}  // namespace
}  // namespace rectify::test
