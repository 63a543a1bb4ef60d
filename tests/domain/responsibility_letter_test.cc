// The responsibility letter's state machine: drafting checks, signing party by
// party, the last signature making it SIGNED, and what each step refuses.
#include "domain/responsibility_letter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1714521600);  // 2024-05-01 08:00 +08

ResponsibilityLetter Letter() {
  ResponsibilityLetter l;
  l.id = "RL-1";
  l.campaign_id = "c1";
  l.community_id = "cm-1";
  l.street_office_id = "so-1";
  l.owners_committee_id = "oc-1";
  l.property_company_id = "pc-1";
  l.indicators = {"公益广告8处"};
  l.responsibilities = "保洁";
  l.term_start = absl::CivilDay(2024, 5, 1);
  l.term_end = absl::CivilDay(2024, 10, 31);
  return l;
}

TEST(ResponsibilityLetterTest, TableHasOneSignTransitionFromDrafted) {
  ASSERT_EQ(LetterTransitionTable().size(), 1u);
  EXPECT_NE(FindLetterTransition(LetterState::kDrafted, LetterAction::kSign), nullptr);
  EXPECT_EQ(FindLetterTransition(LetterState::kSigned, LetterAction::kSign), nullptr);
}

TEST(ResponsibilityLetterTest, DraftThenSignByEveryPartyEndsSigned) {
  ResponsibilityLetter l = Letter();
  absl::StatusOr<Event> drafted = DraftLetter(l, "officer-1", "so-1", kNow);
  ASSERT_TRUE(drafted.ok()) << drafted.status();
  EXPECT_EQ(drafted->type, "letter.drafted");
  EXPECT_EQ(drafted->subject, "letters/RL-1");
  EXPECT_THAT(drafted->audience, ElementsAre("so-1", "oc-1", "pc-1"));
  EXPECT_THAT(MissingSignatures(l), ElementsAre("so-1", "oc-1", "pc-1"));

  absl::StatusOr<Event> e = SignLetter(l, "pc-1", "worker-1", kNow + absl::Hours(1));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->type, "letter.signature_added");
  EXPECT_EQ(l.state, LetterState::kDrafted);
  ASSERT_TRUE(SignLetter(l, "so-1", "officer-1", kNow + absl::Hours(2)).ok());
  e = SignLetter(l, "oc-1", "member-1", kNow + absl::Hours(3));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->type, "letter.signed");
  EXPECT_EQ(e->from_state, "DRAFTED");
  EXPECT_EQ(e->to_state, "SIGNED");
  EXPECT_EQ(l.state, LetterState::kSigned);
  EXPECT_EQ(l.sign_time, kNow + absl::Hours(3));
  EXPECT_TRUE(MissingSignatures(l).empty());
}

TEST(ResponsibilityLetterTest, AMissingCommitteeNeedNotSign) {
  ResponsibilityLetter l = Letter();
  l.owners_committee_id.clear();
  ASSERT_TRUE(DraftLetter(l, "officer-1", "so-1", kNow).ok());
  ASSERT_TRUE(SignLetter(l, "so-1", "officer-1", kNow).ok());
  ASSERT_TRUE(SignLetter(l, "pc-1", "worker-1", kNow).ok());
  EXPECT_EQ(l.state, LetterState::kSigned);
}

TEST(ResponsibilityLetterTest, RefusalsNameTheFieldOrState) {
  ResponsibilityLetter l = Letter();
  l.indicators = {"ok", " "};
  EXPECT_THAT(DraftLetter(l, "p", "so-1", kNow).status().message(), HasSubstr("'indicators'"));
  l = Letter();
  l.term_end = absl::CivilDay(2024, 4, 1);
  EXPECT_EQ(DraftLetter(l, "p", "so-1", kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  l = Letter();
  ASSERT_TRUE(DraftLetter(l, "p", "so-1", kNow).ok());
  EXPECT_EQ(SignLetter(l, "pc-2", "worker-2", kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(SignLetter(l, "pc-1", "worker-1", kNow).ok());
  EXPECT_THAT(SignLetter(l, "pc-1", "worker-1b", kNow).status().message(),
              HasSubstr("already signed"));
  ASSERT_TRUE(SignLetter(l, "so-1", "p", kNow).ok());
  ASSERT_TRUE(SignLetter(l, "oc-1", "m", kNow).ok());
  absl::Status late = SignLetter(l, "oc-1", "m", kNow).status();
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.message(), HasSubstr("is in state SIGNED; 'sign' needs DRAFTED"));
}

}  // namespace
}  // namespace rectify::domain
