// Tests for domain/metrics.h: rates with zero denominators, the assessment
// score's arithmetic (better-low metrics, weights, missing figures), ranking
// ties, red/black lists, and the rules file (errors name file:line and field;
// the shipped data/assessment/default.txt equals the built-in rules).
#include "domain/metrics.h"

#include <string>

#include "common/read_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Ids(const std::vector<RankedUnit>& units) {
  std::vector<std::string> out;
  for (const RankedUnit& u : units) out.push_back(u.unit_id);
  return out;
}
std::vector<int> Ranks(const std::vector<RankedUnit>& units) {
  std::vector<int> out;
  for (const RankedUnit& u : units) out.push_back(u.rank);
  return out;
}

TEST(RatioTest, AZeroDenominatorHasNoRateNotZeroPercent) {
  EXPECT_FALSE((Ratio{0, 0}.Rate().has_value()));
  EXPECT_DOUBLE_EQ(*(Ratio{3, 4}.Rate()), 0.75);
  EXPECT_DOUBLE_EQ(*(Ratio{0, 5}.Rate()), 0.0);
}

TEST(MetricNamesTest, EveryMetricRoundTripsAndUnknownNamesAreRefusedListingTheKnownOnes) {
  for (Metric m : kAllMetrics) {
    ASSERT_TRUE(ParseMetric(MetricName(m)).ok());
    EXPECT_EQ(*ParseMetric(MetricName(m)), m);
    EXPECT_NE(MetricChinese(m), "?");
  }
  EXPECT_THAT(ParseMetric("speed").status().message(), HasSubstr("on_time_closure"));
  EXPECT_FALSE(HigherIsBetter(Metric::kRework));
  EXPECT_TRUE(HigherIsBetter(Metric::kTimelyAck));
}

TEST(AssessmentScoreTest, WeighsRatesAndCountsBetterLowMetricsAsOneMinusRate) {
  AssessmentRules rules;
  rules.weights = {{Metric::kClosure, 3}, {Metric::kRework, 1}};
  // closure 1/2 = 0.5; rework 1/4 -> goodness 0.75: (3*0.5 + 1*0.75) / 4 = 0.5625
  MetricFigures figures = {{Metric::kClosure, {1, 2}}, {Metric::kRework, {1, 4}}};
  ASSERT_TRUE(AssessmentScore(figures, rules).has_value());
  EXPECT_DOUBLE_EQ(*AssessmentScore(figures, rules), 56.25);
}

TEST(AssessmentScoreTest, MetricsWithoutAFigureLeaveTheMeanAndNoFigureAtAllIsNoScore) {
  AssessmentRules rules;
  rules.weights = {{Metric::kClosure, 3}, {Metric::kRework, 1}, {Metric::kReturn, 0}};
  MetricFigures figures = {{Metric::kClosure, {1, 2}}, {Metric::kRework, {0, 0}},
                           {Metric::kReturn, {5, 5}}};
  EXPECT_DOUBLE_EQ(*AssessmentScore(figures, rules), 50.0);  // rework has no figure, return weight 0
  MetricFigures empty = {{Metric::kClosure, {0, 0}}};
  EXPECT_FALSE(AssessmentScore(empty, rules).has_value());
  EXPECT_FALSE(AssessmentScore({}, rules).has_value());
}

TEST(RankTest, BestFirstTiesShareTheBetterRankByIdAndUnscoredComeLastUnranked) {
  std::vector<RankedUnit> ranked =
      Rank({{"c", 80.0}, {"a", 90.0}, {"z", std::nullopt}, {"b", 80.0}, {"d", 70.0}});
  EXPECT_THAT(Ids(ranked), ElementsAre("a", "b", "c", "d", "z"));
  EXPECT_THAT(Ranks(ranked), ElementsAre(1, 2, 2, 4, 0));
  EXPECT_TRUE(Rank({}).empty());
}

TEST(RedBlackTest, TopAndBottomNWithTiesKeptAndNoUnitOnBothLists) {
  std::vector<RankedUnit> ranked =
      Rank({{"a", 90.0}, {"b", 80.0}, {"c", 80.0}, {"d", 60.0}, {"e", 50.0}, {"x", std::nullopt}});
  RedBlackLists lists = RedBlack(ranked, 2);
  EXPECT_THAT(Ids(lists.red), ElementsAre("a", "b", "c"));  // b and c tie for 2nd
  EXPECT_THAT(Ids(lists.black), ElementsAre("e", "d"));     // worst first; x has no score

  // Fewer units than 2n: the black list leaves out those on the red list.
  RedBlackLists few = RedBlack(Rank({{"a", 90.0}, {"b", 10.0}}), 3);
  EXPECT_THAT(Ids(few.red), ElementsAre("a", "b"));
  EXPECT_TRUE(few.black.empty());

  // Everyone tied: all on the red list.
  RedBlackLists tied = RedBlack(Rank({{"a", 50.0}, {"b", 50.0}, {"c", 50.0}}), 1);
  EXPECT_THAT(Ids(tied.red), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(tied.black.empty());
}

TEST(AssessmentRulesTest, ParsesEveryStatement) {
  absl::StatusOr<AssessmentRules> rules = AssessmentRules::Parse(
      "# comment\nweight closure 40\nweight rework 10\nsuspended_leave_denominator no\n"
      "timely_ack_hours 12\nlist_size 5\n",
      "a.txt");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->weights.at(Metric::kClosure), 40);
  EXPECT_EQ(rules->weights.at(Metric::kRework), 10);
  EXPECT_EQ(rules->weights.count(Metric::kDisposal), 0u);
  EXPECT_FALSE(rules->suspended_leave_denominator);
  EXPECT_EQ(rules->timely_ack_hours, 12);
  EXPECT_EQ(rules->list_size, 5);
}

TEST(AssessmentRulesTest, ErrorsNameFileLineAndField) {
  auto error = [](const std::string& text) {
    absl::StatusOr<AssessmentRules> r = AssessmentRules::Parse(text, "a.txt");
    EXPECT_FALSE(r.ok()) << text;
    return std::string(r.status().message());
  };
  EXPECT_THAT(error("\nweight speed 3\n"), HasSubstr("a.txt:2: 'metric'"));
  EXPECT_THAT(error("weight closure 101\n"), HasSubstr("a.txt:1: 'weight' is '101'"));
  EXPECT_THAT(error("weight closure 1\nweight closure 2\n"), HasSubstr("a.txt:2: 'weight closure' is given twice"));
  EXPECT_THAT(error("suspended_leave_denominator maybe\n"), HasSubstr("expected yes or no"));
  EXPECT_THAT(error("list_size 0\n"), HasSubstr("'list_size'"));
  EXPECT_THAT(error("list_size 3 4\n"), HasSubstr("unexpected words"));
  EXPECT_THAT(error("colour red\n"), HasSubstr("unknown statement 'colour'"));
}

TEST(AssessmentRulesTest, TheShippedDefaultFileEqualsTheBuiltInRules) {
  absl::StatusOr<std::string> text =
      common::ReadFileToString(RECTIFY_SOURCE_DIR "/data/assessment/default.txt");
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<AssessmentRules> shipped = AssessmentRules::Parse(*text, "default.txt");
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  const AssessmentRules builtin = AssessmentRules::Default();
  EXPECT_EQ(shipped->weights, builtin.weights);
  EXPECT_EQ(shipped->suspended_leave_denominator, builtin.suspended_leave_denominator);
  EXPECT_EQ(shipped->timely_ack_hours, builtin.timely_ack_hours);
  EXPECT_EQ(shipped->list_size, builtin.list_size);
  EXPECT_EQ(builtin.weights.size(), 9u);
}

TEST(AssessmentBookTest, ACampaignsOwnFileElseDefaultElseBuiltIn) {
  AssessmentBook book;
  EXPECT_EQ(book.For("c1").list_size, AssessmentRules::Default().list_size);
  AssessmentRules def;
  def.list_size = 7;
  book.Set("default", def);
  AssessmentRules own;
  own.list_size = 2;
  book.Set("c1", own);
  EXPECT_EQ(book.For("c1").list_size, 2);
  EXPECT_EQ(book.For("c2").list_size, 7);
  absl::StatusOr<AssessmentBook> missing = AssessmentBook::LoadDirectory("/nonexistent/dir");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->For("x").list_size, 3);
}

}  // namespace
}  // namespace rectify::domain
