// Tests for domain/penalty.h: the penalty state machine, exhaustively, its
// validation and events, and the red-card rule.
#include "domain/penalty.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "domain/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'715'000'000);

Penalty Draft(PenaltyKind kind = PenaltyKind::kNoticeOfCriticism) {
  Penalty p;
  p.id = "PN-1";
  p.campaign_id = "C-1";
  p.org_id = "pc-1";
  p.kind = kind;
  p.amount_fen = kind == PenaltyKind::kFine ? 200000 : 0;
  p.reason = "three tasks overdue";
  p.task_ids = {"T-1"};
  p.proposed_by = "sup-1";
  return p;
}

Penalty In(PenaltyState state) {
  Penalty p = Draft();
  p.state = state;
  return p;
}

absl::StatusOr<Event> Do(Penalty& p, PenaltyAction action) {
  switch (action) {
    case PenaltyAction::kIssue:
      return IssuePenalty(p, "sup-1", "sup", "agreed", kNow);
    case PenaltyAction::kDismiss:
      return DismissPenalty(p, "sup-1", "sup", "not fair", kNow);
    case PenaltyAction::kRevoke:
      return RevokePenalty(p, "sup-1", "sup", "appeal upheld", kNow);
  }
  return absl::InternalError("unreachable");
}

TEST(PenaltyStateMachineTest, EveryStateActionPairIsAllowedExactlyWhenInTheTable) {
  int legal = 0;
  for (PenaltyState state : kAllPenaltyStates) {
    for (PenaltyAction action : kAllPenaltyActions) {
      SCOPED_TRACE(absl::StrCat(PenaltyStateName(state), " x ", PenaltyActionName(action)));
      Penalty p = In(state);
      const PenaltyTransition* row = FindPenaltyTransition(state, action);
      absl::StatusOr<Event> event = Do(p, action);
      if (row == nullptr) {
        EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_THAT(event.status().message(),
                    HasSubstr(absl::StrCat("penalty 'PN-1' is in state ", PenaltyStateName(state),
                                           "; '", PenaltyActionName(action), "' needs ")));
        EXPECT_EQ(p.state, state) << "a refused move must not change the penalty";
      } else {
        ++legal;
        ASSERT_TRUE(event.ok()) << event.status();
        EXPECT_EQ(p.state, row->to);
        EXPECT_EQ(event->type, PenaltyEventType(action));
        EXPECT_EQ(event->subject, "penalties/PN-1");
        EXPECT_EQ(event->campaign_id, "C-1");
        EXPECT_EQ(event->actor_person_id, "sup-1");
        EXPECT_EQ(event->from_state, PenaltyStateName(state));
        EXPECT_EQ(event->to_state, PenaltyStateName(row->to));
        EXPECT_EQ(event->time, kNow);
        EXPECT_EQ(event->audience, std::vector<std::string>{"pc-1"});
        EXPECT_EQ(p.update_time, kNow);
      }
    }
  }
  EXPECT_EQ(legal, 3);
}

TEST(PenaltyStateMachineTest, TableIsProposedToIssuedOrDismissedAndIssuedToRevoked) {
  EXPECT_EQ(FindPenaltyTransition(PenaltyState::kProposed, PenaltyAction::kIssue)->to,
            PenaltyState::kIssued);
  EXPECT_EQ(FindPenaltyTransition(PenaltyState::kProposed, PenaltyAction::kDismiss)->to,
            PenaltyState::kDismissed);
  EXPECT_EQ(FindPenaltyTransition(PenaltyState::kIssued, PenaltyAction::kRevoke)->to,
            PenaltyState::kRevoked);
  EXPECT_EQ(PenaltyTransitionTable().size(), 3u);
}

TEST(PenaltyTest, IssueRecordsWhoAndWhen) {
  Penalty p = In(PenaltyState::kProposed);
  ASSERT_TRUE(IssuePenalty(p, "sup-1", "sup", "agreed", kNow).ok());
  EXPECT_EQ(p.decided_by, "sup-1");
  EXPECT_EQ(p.decision_comment, "agreed");
  EXPECT_EQ(p.decide_time, kNow);
}

TEST(PenaltyTest, RevokeWithoutReasonIsInvalidArgumentNamingReason) {
  Penalty p = In(PenaltyState::kIssued);
  absl::StatusOr<Event> event = RevokePenalty(p, "sup-1", "sup", "  ", kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(event.status().message(), HasSubstr("'reason'"));
  EXPECT_EQ(p.state, PenaltyState::kIssued);
}

TEST(PenaltyTest, RevokeRecordsReason) {
  Penalty p = In(PenaltyState::kIssued);
  absl::StatusOr<Event> event = RevokePenalty(p, "sup-2", "sup", "appeal upheld", kNow);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(p.revoked_by, "sup-2");
  EXPECT_EQ(p.revoke_reason, "appeal upheld");
  EXPECT_EQ(event->reason, "appeal upheld");
}

TEST(PenaltyTest, ProposeValidatesAndStartsProposed) {
  Penalty p = Draft(PenaltyKind::kFine);
  p.state = PenaltyState::kIssued;
  absl::StatusOr<Event> event = ProposePenalty(p, "sup-1", "sup", kNow);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(p.state, PenaltyState::kProposed);
  EXPECT_EQ(event->type, "penalty.proposed");
  EXPECT_EQ(event->to_state, "PROPOSED");
  EXPECT_EQ(event->Detail("amount_fen"), "200000");
  EXPECT_EQ(event->Detail("kind"), "fine");
  EXPECT_EQ(p.propose_time, kNow);
}

TEST(PenaltyValidationTest, EachMissingFieldIsNamed) {
  struct Case {
    const char* field;
    void (*spoil)(Penalty&);
  };
  const Case cases[] = {
      {"'campaign_id'", [](Penalty& p) { p.campaign_id.clear(); }},
      {"'organisation_id'", [](Penalty& p) { p.org_id.clear(); }},
      {"'reason'", [](Penalty& p) { p.reason.clear(); }},
      {"'proposed_by'", [](Penalty& p) { p.proposed_by.clear(); }},
      {"'task_ids[0]'", [](Penalty& p) { p.task_ids = {""}; }},
      {"'amount_fen'", [](Penalty& p) { p.amount_fen = 5; }},  // not a fine
  };
  for (const Case& c : cases) {
    Penalty p = Draft();
    c.spoil(p);
    absl::Status status = ValidateNewPenalty(p);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field));
  }
}

TEST(PenaltyValidationTest, FineNeedsAPositiveAmount) {
  for (int64_t amount : {int64_t{0}, int64_t{-1}, kMaxFen + 1}) {
    Penalty p = Draft(PenaltyKind::kFine);
    p.amount_fen = amount;
    absl::Status status = ValidateNewPenalty(p);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << amount;
    EXPECT_THAT(status.message(), HasSubstr("'amount_fen'"));
  }
  Penalty ok = Draft(PenaltyKind::kFine);
  ok.amount_fen = 1;
  EXPECT_TRUE(ValidateNewPenalty(ok).ok());
}

TEST(PenaltyKindTest, NamesRoundTripAndUnknownListsThem) {
  for (PenaltyKind kind : kAllPenaltyKinds) {
    absl::StatusOr<PenaltyKind> parsed = ParsePenaltyKind(PenaltyKindName(kind));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, kind);
  }
  absl::StatusOr<PenaltyKind> bad = ParsePenaltyKind("spanking");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("yellow_card"));
}

TEST(RedCardTest, EveryNthYellowEarnsARed) {
  EXPECT_FALSE(EarnsRedCard(0, 3));
  EXPECT_FALSE(EarnsRedCard(1, 3));
  EXPECT_FALSE(EarnsRedCard(2, 3));
  EXPECT_TRUE(EarnsRedCard(3, 3));
  EXPECT_FALSE(EarnsRedCard(4, 3));
  EXPECT_TRUE(EarnsRedCard(6, 3));
  EXPECT_TRUE(EarnsRedCard(1, 1));
  EXPECT_FALSE(EarnsRedCard(3, 0));
}

}  // namespace
}  // namespace rectify::domain
