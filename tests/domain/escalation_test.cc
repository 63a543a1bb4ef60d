// Tests for domain/escalation.h: the policy format, its errors (file:line and
// field), the shipped data/escalation.txt, and when a step's trigger holds.
#include "domain/escalation.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/deadline.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

absl::Status ParseError(const std::string& text) {
  absl::StatusOr<EscalationPolicy> policy = EscalationPolicy::Parse(text, "esc.txt");
  EXPECT_FALSE(policy.ok()) << "parsed unexpectedly:\n" << text;
  return policy.status();
}

TEST(EscalationPolicyTest, ParsesEveryTriggerAndAction) {
  absl::StatusOr<EscalationPolicy> policy = EscalationPolicy::Parse(
      "# comment\n"
      "red_after_yellow 2\n"
      "step a due_within 24 hours remind\n"
      "step b overdue 0 hours urge   # at all\n"
      "step c overdue 3 working_days propose notice_of_criticism\n"
      "step d overdue 8 working_hours propose fine 200000\n"
      "step e repeat 3 overdue_tasks per_org propose yellow_card\n",
      "esc.txt");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->red_after_yellow(), 2);
  ASSERT_EQ(policy->steps().size(), 5u);
  const auto& s = policy->steps();
  EXPECT_EQ(s[0].id, "a");
  EXPECT_EQ(s[0].trigger, TriggerKind::kDueWithin);
  EXPECT_EQ(s[0].amount, 24);
  EXPECT_EQ(s[0].action, EscalationActionKind::kRemind);
  EXPECT_EQ(s[0].line, 3);
  EXPECT_EQ(s[1].trigger, TriggerKind::kOverdue);
  EXPECT_EQ(s[1].amount, 0);
  EXPECT_EQ(s[1].action, EscalationActionKind::kUrge);
  EXPECT_EQ(s[2].unit, SlaUnit::kWorkingDays);
  EXPECT_EQ(s[2].penalty_kind, PenaltyKind::kNoticeOfCriticism);
  EXPECT_EQ(s[3].unit, SlaUnit::kWorkingHours);
  EXPECT_EQ(s[3].penalty_kind, PenaltyKind::kFine);
  EXPECT_EQ(s[3].amount_fen, 200000);
  EXPECT_EQ(s[4].trigger, TriggerKind::kRepeat);
  EXPECT_FALSE(s[4].IsPerTask());
  EXPECT_EQ(s[4].penalty_kind, PenaltyKind::kYellowCard);
  EXPECT_EQ(policy->MaxDueWithin(), absl::Hours(24));
}

TEST(EscalationPolicyTest, ShippedFileMatchesTheDefault) {
  absl::StatusOr<EscalationPolicy> shipped =
      EscalationPolicy::LoadFile(RECTIFY_SOURCE_DIR "/data/escalation.txt");
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  const EscalationPolicy def = EscalationPolicy::Default();
  ASSERT_EQ(shipped->steps().size(), 5u);
  ASSERT_EQ(def.steps().size(), shipped->steps().size());
  for (size_t i = 0; i < def.steps().size(); ++i) {
    const EscalationStep& a = def.steps()[i];
    const EscalationStep& b = shipped->steps()[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.trigger, b.trigger);
    EXPECT_EQ(a.amount, b.amount);
    EXPECT_EQ(a.unit, b.unit);
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.penalty_kind, b.penalty_kind);
    EXPECT_EQ(a.amount_fen, b.amount_fen);
  }
  EXPECT_EQ(shipped->red_after_yellow(), 3);
}

TEST(EscalationPolicyTest, RedAfterYellowMayBeSetPerCampaign) {
  absl::StatusOr<EscalationPolicy> policy =
      EscalationPolicy::Parse("red_after_yellow 4\nred_after_yellow 2 campaign c1\n", "esc.txt");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->red_after_yellow(), 4);
  EXPECT_EQ(policy->RedAfterYellow("c1"), 2);
  EXPECT_EQ(policy->RedAfterYellow("c2"), 4);
  EXPECT_EQ(EscalationPolicy::Default().RedAfterYellow("c1"), 3);
}

TEST(EscalationPolicyTest, MissingFileIsNotFound) {
  EXPECT_EQ(EscalationPolicy::LoadFile("/nonexistent/escalation.txt").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(EscalationParseErrorTest, ErrorsNameFileLineAndField) {
  struct Case {
    std::string text;
    std::string where;
    std::string what;
  };
  const Case cases[] = {
      {"step Bad overdue 0 hours urge", "esc.txt:1: ", "'id'"},
      {"\nstep a soon 3 hours remind", "esc.txt:2: ", "'trigger'"},
      {"step a due_within x hours remind", "esc.txt:1: ", "'due_within'"},
      {"step a due_within 0 hours remind", "esc.txt:1: ", "'due_within'"},
      {"step a due_within 3 days remind", "esc.txt:1: ", "'due_within unit'"},
      {"step a overdue 3 weeks urge", "esc.txt:1: ", "'overdue unit'"},
      {"step a overdue -1 hours urge", "esc.txt:1: ", "'overdue'"},
      {"step a repeat 3 tasks per_org propose yellow_card", "esc.txt:1: ", "'repeat what'"},
      {"step a repeat 3 overdue_tasks per_street propose yellow_card",
       "esc.txt:1: ", "'repeat scope'"},
      {"step a repeat 3 overdue_tasks per_org urge", "esc.txt:1: ", "can only propose"},
      {"step a overdue 0 hours shout", "esc.txt:1: ", "'action'"},
      {"step a overdue 0 hours propose spanking", "esc.txt:1: ", "'penalty kind'"},
      {"step a overdue 0 hours propose fine", "esc.txt:1: ", "'amount_fen'"},
      {"step a overdue 0 hours propose fine 0", "esc.txt:1: ", "'amount_fen'"},
      {"step a overdue 0 hours urge now", "esc.txt:1: ", "unexpected 'now'"},
      {"step a overdue 0 hours urge\nstep a overdue 1 hours urge", "esc.txt:2: ", "unique"},
      {"red_after_yellow 0", "esc.txt:1: ", "'red_after_yellow'"},
      {"red_after_yellow 3\nred_after_yellow 3", "esc.txt:2: ", "twice"},
      {"red_after_yellow 2 campaign c1\nred_after_yellow 4 campaign c1",
       "esc.txt:2: ", "twice for campaign 'c1'"},
      {"red_after_yellow 2 for c1", "esc.txt:1: ", "'red_after_yellow scope'"},
      {"red_after_yellow 2 campaign", "esc.txt:1: ", "'campaign' is missing"},
      {"escalate everything", "esc.txt:1: ", "unknown statement 'escalate'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::Status status = ParseError(c.text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), StartsWith(c.where));
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.what));
  }
}

class TriggerTest : public ::testing::Test {
 protected:
  TriggerTest() : tz_(absl::UTCTimeZone()), calc_(calendar_, tz_) {
    task_.state = TaskState::kInProgress;
    // Monday 2024-05-13 09:00 UTC.
    task_.deadline = absl::FromCivil(absl::CivilSecond(2024, 5, 13, 9, 0, 0), tz_);
  }
  EscalationStep Step(const std::string& line) {
    absl::StatusOr<EscalationPolicy> p = EscalationPolicy::Parse(line, "t");
    EXPECT_TRUE(p.ok()) << p.status();
    return p->steps().at(0);
  }
  bool Holds(const EscalationStep& step, absl::CivilSecond local) {
    return TaskStepHolds(step, task_, absl::FromCivil(local, tz_), calc_);
  }

  WorkCalendar calendar_;
  absl::TimeZone tz_;
  DeadlineCalculator calc_;
  Task task_;
};

TEST_F(TriggerTest, DueWithinHoldsOnlyInsideTheWindowWhileTheClockRuns) {
  const EscalationStep step = Step("step s due_within 24 hours remind");
  EXPECT_FALSE(Holds(step, absl::CivilSecond(2024, 5, 12, 8, 0, 0)));
  EXPECT_TRUE(Holds(step, absl::CivilSecond(2024, 5, 12, 10, 0, 0)));
  EXPECT_FALSE(Holds(step, absl::CivilSecond(2024, 5, 13, 10, 0, 0)));  // overdue now
  task_.state = TaskState::kSubmitted;
  EXPECT_FALSE(Holds(step, absl::CivilSecond(2024, 5, 12, 10, 0, 0)));
}

TEST_F(TriggerTest, OverdueCountsWorkingDaysOnTheCalendar) {
  const EscalationStep at_all = Step("step s overdue 0 hours urge");
  const EscalationStep three = Step("step s overdue 3 working_days urge");
  EXPECT_FALSE(Holds(at_all, absl::CivilSecond(2024, 5, 13, 9, 0, 0)));
  EXPECT_TRUE(Holds(at_all, absl::CivilSecond(2024, 5, 13, 9, 0, 1)));
  // Monday 09:00 + 3 working days = Thursday 09:00.
  EXPECT_FALSE(Holds(three, absl::CivilSecond(2024, 5, 16, 8, 59, 0)));
  EXPECT_TRUE(Holds(three, absl::CivilSecond(2024, 5, 16, 9, 0, 0)));
  task_.state = TaskState::kSuspended;
  EXPECT_FALSE(Holds(three, absl::CivilSecond(2024, 5, 20, 9, 0, 0)));
}

TEST_F(TriggerTest, OverdueOverAWeekendSkipsIt) {
  // Friday 09:00 deadline: 3 working days later is Wednesday 09:00, not Monday.
  task_.deadline = absl::FromCivil(absl::CivilSecond(2024, 5, 17, 9, 0, 0), tz_);
  const EscalationStep three = Step("step s overdue 3 working_days urge");
  EXPECT_FALSE(Holds(three, absl::CivilSecond(2024, 5, 20, 9, 0, 0)));
  EXPECT_TRUE(Holds(three, absl::CivilSecond(2024, 5, 22, 9, 0, 0)));
}

TEST_F(TriggerTest, RepeatStepsNeverHoldForATask) {
  EXPECT_FALSE(Holds(Step("step s repeat 1 overdue_tasks per_org propose yellow_card"),
                     absl::CivilSecond(2024, 6, 1, 0, 0, 0)));
}

}  // namespace
}  // namespace rectify::domain
