// Tests for domain/inspection.h: scoring a sheet against a standard (caps,
// the zero floor, clean categories), the checks on deductions, and comparing
// a re-inspection with the one before.
#include "domain/inspection.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kShipped[] = RECTIFY_SOURCE_DIR "/data/standards/civilized-residential-2024.std";

// Three categories of 20; 1.1b is capped at 6 points.
constexpr char kSmall[] =
    "standard small 3 小标准\n"
    "total 100\n"
    "category a 20 甲\n"
    "responsible 各街道办事处\n"
    "service_level publicity\n"
    "item 1.1 甲项\n"
    "rule 1.1a missing_units 1 expect=8 每少1处扣1分\n"
    "rule 1.1b per_occurrence 2 cap=6 每处扣2分，最多扣6分\n"
    "rule 1.1c absent 3 无则扣3分\n"
    "rule 1.1d not_updated 1 every=1m 未更新扣1分\n"
    "category b 20 乙\n"
    "responsible 各街道办事处\n"
    "service_level sanitation\n"
    "item 2.1 乙项\n"
    "rule 2.1a per_square_metre 1 每平方米扣1分\n"
    "rule 2.1b per_occurrence 2 每个扣2分\n"
    "rule 2.1c per_poster 1 每张扣1分\n"
    "category c 20 丙\n"
    "responsible 各街道办事处\n"
    "service_level order\n"
    "item 3.1 丙项\n"
    "rule 3.1a per_occurrence 1 每例扣1分\n";

Standard Small() {
  absl::StatusOr<Standard> standard = Standard::Parse(kSmall, "small.std");
  EXPECT_TRUE(standard.ok()) << standard.status();
  return *standard;
}

Deduction D(std::string rule_id, int count) {
  Deduction d;
  d.rule_id = std::move(rule_id);
  d.count = count;
  return d;
}

Inspection Sheet(std::vector<Deduction> deductions) {
  Inspection inspection;
  inspection.id = "I-1";
  inspection.community_id = "C-1";
  inspection.date = absl::CivilDay(2024, 6, 3);
  inspection.deductions = std::move(deductions);
  return inspection;
}

using Row = std::tuple<std::string, int, int, int>;  // category, points, deducted, score
std::vector<Row> Rows(const Inspection& inspection) {
  std::vector<Row> rows;
  for (const CategoryScore& c : inspection.categories) {
    rows.emplace_back(c.category_id, c.points, c.deducted, c.score);
  }
  return rows;
}

std::vector<int> Points(const Inspection& inspection) {
  std::vector<int> points;
  for (const Deduction& d : inspection.deductions) points.push_back(d.points);
  return points;
}

// --- Scoring ----------------------------------------------------------------

// Computed by hand, deductions deliberately out of the standard's order:
//   2.1a  15 m²       × 1            = 15
//   1.1b   5 cases    × 2 = 10, cap 6 =  6   (the cap bites)
//   2.1b   4 bins     × 2            =  8
//   1.1a   3 missing  × 1            =  3
//   1.1c   absent       3            =  3
//   2.1c   2 posters  × 1            =  2
// a: 6 + 3 + 3      = 12 → 20 − 12 =  8
// b: 15 + 8 + 2     = 25 → 20 − 25 <  0 → 0   (floors at zero; deducted stays 25)
// c: nothing        =  0 → 20             (clean)
// total 8 + 0 + 20 = 28 of 60.
TEST(InspectionScoreTest, SheetHitsACapFloorsACategoryAndKeepsACleanOne) {
  const Standard standard = Small();
  Inspection sheet =
      Sheet({D("2.1a", 15), D("1.1b", 5), D("2.1b", 4), D("1.1a", 3), D("1.1c", 1), D("2.1c", 2)});
  ASSERT_TRUE(Score(standard, sheet).ok());
  EXPECT_THAT(Points(sheet), ElementsAre(15, 6, 8, 3, 3, 2));  // in the sheet's order
  EXPECT_THAT(Rows(sheet),
              ElementsAre(Row{"a", 20, 12, 8}, Row{"b", 20, 25, 0}, Row{"c", 20, 0, 20}));
  EXPECT_EQ(sheet.total, 28);
  EXPECT_EQ(sheet.max_score, 60);
  EXPECT_EQ(sheet.standard_id, "small");
  EXPECT_EQ(sheet.standard_version, "3");
}

// A weekly inspection against the shipped standard, by hand:
//   1.1a  2 of 8 公益广告 missing × 1 =  2
//   1.2b  橱窗 not updated            =  1
//   1.5b  健康教育栏 not updated       =  1
//   2.1d 12 牛皮癣 × 1                = 12
//   2.2b  3 overflowing bins × 2      =  6
//   2.3a  5 m² in stairwells × 1      =  5
// publicity 2 + 1 + 1 = 4 → 16; sanitation 12 + 6 + 5 = 23 → 0; order clean → 20.
// total 36 of 60 (the seed's three categories).
TEST(InspectionScoreTest, ShippedStandardWeeklySheetScoresByHand) {
  absl::StatusOr<std::string> text = common::ReadFileToString(kShipped, "standard");
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<Standard> standard = Standard::Parse(*text, kShipped);
  ASSERT_TRUE(standard.ok()) << standard.status();
  Inspection sheet =
      Sheet({D("2.2b", 3), D("1.1a", 2), D("2.1d", 12), D("1.2b", 1), D("2.3a", 5), D("1.5b", 1)});
  ASSERT_TRUE(Score(*standard, sheet).ok());
  EXPECT_THAT(Points(sheet), ElementsAre(6, 2, 12, 1, 5, 1));
  EXPECT_THAT(Rows(sheet), ElementsAre(Row{"publicity", 20, 4, 16}, Row{"sanitation", 20, 23, 0},
                                       Row{"order", 20, 0, 20}));
  EXPECT_EQ(sheet.total, 36);
  EXPECT_EQ(sheet.max_score, 60);
  EXPECT_EQ(sheet.standard_id, "civilized-residential");
  EXPECT_EQ(sheet.standard_version, "2024.1");
}

TEST(InspectionScoreTest, SheetWithoutDeductionsScoresFullMarksInEveryCategory) {
  Inspection sheet = Sheet({});
  ASSERT_TRUE(Score(Small(), sheet).ok());
  EXPECT_THAT(Rows(sheet),
              ElementsAre(Row{"a", 20, 0, 20}, Row{"b", 20, 0, 20}, Row{"c", 20, 0, 20}));
  EXPECT_EQ(sheet.total, 60);
  EXPECT_EQ(sheet.max_score, 60);
}

TEST(InspectionScoreTest, ScoringTwiceReplacesTheScoresRatherThanAddingToThem) {
  const Standard standard = Small();
  Inspection sheet = Sheet({D("3.1a", 4)});
  ASSERT_TRUE(Score(standard, sheet).ok());
  sheet.deductions[0].count = 1;
  ASSERT_TRUE(Score(standard, sheet).ok());
  EXPECT_THAT(Rows(sheet),
              ElementsAre(Row{"a", 20, 0, 20}, Row{"b", 20, 0, 20}, Row{"c", 20, 1, 19}));
  EXPECT_EQ(sheet.deductions[0].points, 1);
  EXPECT_EQ(sheet.total, 59);
}

TEST(InspectionScoreTest, MissingUnitsUpToExpectAndFlagsOfOneAreAccepted) {
  Inspection sheet = Sheet({D("1.1a", 8), D("1.1d", 1)});
  ASSERT_TRUE(Score(Small(), sheet).ok());
  EXPECT_THAT(Points(sheet), ElementsAre(8, 1));
  EXPECT_EQ(sheet.categories[0].score, 11);
}

// --- Refused deductions -----------------------------------------------------

absl::Status ScoreError(std::vector<Deduction> deductions) {
  Inspection sheet = Sheet(std::move(deductions));
  const absl::Status status = Score(Small(), sheet);
  EXPECT_FALSE(status.ok());
  // Nothing was filled in.
  EXPECT_THAT(sheet.categories, IsEmpty());
  EXPECT_EQ(sheet.total, 0);
  EXPECT_EQ(sheet.standard_id, "");
  for (const Deduction& d : sheet.deductions) EXPECT_EQ(d.points, 0);
  return status;
}

MATCHER_P(IsInvalidArgumentNaming, field, "") {
  *result_listener << "message: " << arg.message();
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         absl::StrContains(arg.message(), absl::StrCat("'", field, "'"));
}

TEST(InspectionScoreTest, UnknownRuleIsInvalidArgumentNamingTheDeduction) {
  const absl::Status status = ScoreError({D("1.1a", 1), D("9.9z", 1)});
  EXPECT_THAT(status, IsInvalidArgumentNaming("deductions[1].rule_id"));
  EXPECT_THAT(status.message(), HasSubstr("'9.9z'"));
  EXPECT_THAT(status.message(), HasSubstr("small 3"));
}

TEST(InspectionScoreTest, SameRuleTwiceIsInvalidArgumentNamingBothDeductions) {
  const absl::Status status = ScoreError({D("2.1a", 3), D("3.1a", 1), D("2.1a", 2)});
  EXPECT_THAT(status, IsInvalidArgumentNaming("deductions[2].rule_id"));
  EXPECT_THAT(status.message(), HasSubstr("already deducted at deductions[0]"));
}

TEST(InspectionScoreTest, CountThatDoesNotFitTheRuleIsInvalidArgumentNamingCount) {
  struct Case {
    const char* what;
    Deduction deduction;
    const char* right;
  };
  for (const Case& c : std::vector<Case>{
           {"zero cases", D("3.1a", 0), "from 1 to"},
           {"negative square metres", D("2.1a", -2), "square metres"},
           {"absurdly many posters", D("2.1c", 10001), "from 1 to 10000"},
           {"more missing than expected", D("1.1a", 9), "from 1 to 8"},
           {"no missing units", D("1.1a", 0), "from 1 to 8"},
           {"absent counted twice", D("1.1c", 2), "must be 1"},
           {"not updated counted zero", D("1.1d", 0), "must be 1"},
       }) {
    SCOPED_TRACE(c.what);
    const absl::Status status = ScoreError({D("2.1b", 1), c.deduction});
    EXPECT_THAT(status, IsInvalidArgumentNaming("deductions[1].count"));
    EXPECT_THAT(status.message(), HasSubstr(c.right));
  }
}

TEST(InspectionScoreTest, BadEvidenceIsInvalidArgumentNamingTheEvidenceField) {
  Deduction upper = D("3.1a", 1);
  upper.evidence_uri = "file:///photos/1.jpg";
  upper.evidence_sha256 = std::string(64, 'A');
  EXPECT_THAT(ScoreError({upper}), IsInvalidArgumentNaming("deductions[0].evidence_sha256"));

  Deduction short_hash = upper;
  short_hash.evidence_sha256 = "abc123";
  EXPECT_THAT(ScoreError({short_hash}), IsInvalidArgumentNaming("deductions[0].evidence_sha256"));

  Deduction hash_without_uri = D("3.1a", 1);
  hash_without_uri.evidence_sha256 = std::string(64, 'e');
  EXPECT_THAT(ScoreError({hash_without_uri}),
              IsInvalidArgumentNaming("deductions[0].evidence_uri"));

  Deduction long_uri = D("3.1a", 1);
  long_uri.evidence_uri = std::string(2001, 'u');
  EXPECT_THAT(ScoreError({long_uri}), IsInvalidArgumentNaming("deductions[0].evidence_uri"));
}

TEST(InspectionScoreTest, EvidenceIsOptionalAndAUriWithAHashIsAccepted) {
  Deduction with_photo = D("3.1a", 1);
  with_photo.evidence_uri = "file:///photos/1.jpg";
  with_photo.evidence_sha256 = std::string(64, 'e');
  Deduction uri_only = D("2.1a", 1);
  uri_only.evidence_uri = "file:///photos/2.jpg";
  Inspection sheet = Sheet({with_photo, uri_only, D("1.1a", 1)});
  EXPECT_TRUE(Score(Small(), sheet).ok());
}

// --- Re-inspection ------------------------------------------------------------

TEST(InspectionCompareTest, SplitsRulesIntoClearedPersistingAndAdded) {
  const Inspection before = Sheet({D("1.1a", 2), D("2.2b", 3), D("3.1a", 1)});
  const Inspection after = Sheet({D("2.1d", 4), D("2.2b", 1), D("1.1a", 2)});
  const DeductionDiff diff = CompareDeductions(before, after);
  EXPECT_THAT(diff.cleared, ElementsAre("3.1a"));
  EXPECT_THAT(diff.persisting, ElementsAre("1.1a", "2.2b"));  // in `before`'s order
  EXPECT_THAT(diff.added, ElementsAre("2.1d"));
}

TEST(InspectionCompareTest, CleanReinspectionClearsEverything) {
  const DeductionDiff diff = CompareDeductions(Sheet({D("1.1a", 2), D("2.2b", 3)}), Sheet({}));
  EXPECT_THAT(diff.cleared, ElementsAre("1.1a", "2.2b"));
  EXPECT_THAT(diff.persisting, IsEmpty());
  EXPECT_THAT(diff.added, IsEmpty());
}

TEST(InspectionCompareTest, RuleListedTwiceOnAnUnscoredSheetIsReportedOnce) {
  const DeductionDiff diff = CompareDeductions(Sheet({D("1.1a", 1), D("1.1a", 2)}),
                                               Sheet({D("1.1a", 1), D("2.1a", 1), D("2.1a", 1)}));
  EXPECT_THAT(diff.cleared, IsEmpty());
  EXPECT_THAT(diff.persisting, ElementsAre("1.1a"));
  EXPECT_THAT(diff.added, ElementsAre("2.1a"));
}

TEST(InspectionKindTest, NamesAreStable) {
  EXPECT_EQ(InspectionKindName(InspectionKind::kSelfCheck), "self_check");
  EXPECT_EQ(InspectionKindName(InspectionKind::kWeekly), "weekly");
  EXPECT_EQ(InspectionKindName(InspectionKind::kFinalEvaluation), "final_evaluation");
}

}  // namespace
}  // namespace rectify::domain
