// Tests for domain/service_level.h: the table format, its errors, look-ups and
// the shipped data/service_levels.txt.
#include "domain/service_level.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kShippedTable[] = RECTIFY_SOURCE_DIR "/data/service_levels.txt";

MATCHER_P2(IsInvalidArgumentAt, where, what, "") {
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(arg.message(), absl::StrCat(where, ": ")) &&
         absl::StrContains(arg.message(), what);
}

absl::Status ParseError(const std::string& text) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::Parse(text, "sla.txt");
  EXPECT_FALSE(table.ok()) << "parsed unexpectedly:\n" << text;
  return table.status();
}

std::vector<std::string> Categories(const ServiceLevelTable& table) {
  std::vector<std::string> out;
  for (const ServiceLevel& level : table.All()) out.push_back(level.category);
  return out;
}

TEST(ServiceLevelTableTest, ParsesCategoryAmountUnitAndDescription) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::Parse(
      "# category amount unit description\n"
      "safety_hazard  24  natural_hours  安全隐患（私拉电线充电等）\n"
      "sanitation 3 working_days 环境卫生\n"
      "urgent_repair\t8\tworking_hours\t紧急维修\n",
      "sla.txt");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 3u);
  absl::StatusOr<ServiceLevel> hazard = table->Find("safety_hazard");
  ASSERT_TRUE(hazard.ok());
  EXPECT_EQ(*hazard, (ServiceLevel{"safety_hazard", 24, SlaUnit::kNaturalHours,
                                   "安全隐患（私拉电线充电等）"}));
  EXPECT_EQ(table->Find("urgent_repair")->unit, SlaUnit::kWorkingHours);
  EXPECT_EQ(table->Find("sanitation")->amount, 3);
}

TEST(ServiceLevelTableTest, AllIsSortedByCategory) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::Parse(
      "zeta 1 working_days z\nalpha 2 working_days a\nmid_9 3 natural_hours m\n", "sla.txt");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(Categories(*table), ElementsAre("alpha", "mid_9", "zeta"));
}

TEST(ServiceLevelTableTest, DescriptionIsTheRestOfTheLineAndMayBeEmpty) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::Parse(
      "a 1 working_days  two  words  # comment\r\n"
      "b 1 working_days\n",
      "sla.txt");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->Find("a")->description, "two  words");
  EXPECT_EQ(table->Find("b")->description, "");
}

TEST(ServiceLevelTableTest, AmountBoundsAreOneAndTenThousand) {
  absl::StatusOr<ServiceLevelTable> table =
      ServiceLevelTable::Parse("low 1 natural_hours\nhigh 10000 working_days\n", "sla.txt");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->Find("low")->amount, 1);
  EXPECT_EQ(table->Find("high")->amount, ServiceLevelTable::kMaxAmount);
}

TEST(ServiceLevelTableTest, FindUnknownCategoryIsNotFoundListingKnownOnes) {
  absl::StatusOr<ServiceLevelTable> table =
      ServiceLevelTable::Parse("order 5 working_days\nlegal 10 working_days\n", "sla.txt");
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<ServiceLevel> level = table->Find("noise");
  EXPECT_EQ(level.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(level.status().message(),
              HasSubstr("no service level for category 'noise'; known categories: legal, order"));
}

TEST(ServiceLevelTableTest, UnitNamesRoundTrip) {
  for (SlaUnit unit : {SlaUnit::kNaturalHours, SlaUnit::kWorkingHours, SlaUnit::kWorkingDays}) {
    absl::StatusOr<SlaUnit> parsed = ParseSlaUnit(SlaUnitName(unit));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, unit);
  }
  EXPECT_EQ(SlaUnitName(SlaUnit::kWorkingDays), "working_days");
  EXPECT_EQ(ParseSlaUnit("days").status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------
// Errors name file:line, the field, and what would be right.

TEST(ServiceLevelParseErrorTest, MissingFieldsShowTheExpectedShape) {
  EXPECT_THAT(ParseError("# header\nsanitation 3\n"),
              IsInvalidArgumentAt("sla.txt:2", "expected 'category amount unit description'"));
}

TEST(ServiceLevelParseErrorTest, CategoryOutsideLowerSnakeCaseIsRejected) {
  for (const char* bad : {"Sanitation", "safety-hazard", "卫生", "a.b"}) {
    EXPECT_THAT(ParseError(absl::StrCat(bad, " 3 working_days x\n")),
                IsInvalidArgumentAt("sla.txt:1", absl::StrCat("category '", bad,
                                                              "' may use only lower-case letters")))
        << bad;
  }
}

TEST(ServiceLevelParseErrorTest, RepeatedCategoryNamesTheFirstLine) {
  EXPECT_THAT(ParseError("order 5 working_days\n\norder 3 working_days\n"),
              IsInvalidArgumentAt("sla.txt:3", "category 'order' is already declared at line 1"));
}

TEST(ServiceLevelParseErrorTest, AmountMustBeAWholeNumberFromOneToTenThousand) {
  for (const char* bad : {"0", "-1", "+5", "2.5", "10001", "99999", "100000", "five", "1e3"}) {
    EXPECT_THAT(ParseError(absl::StrCat("order ", bad, " working_days x\n")),
                IsInvalidArgumentAt("sla.txt:1", absl::StrCat("amount '", bad,
                                                              "' of category 'order' must be "
                                                              "a whole number from 1 to 10000")))
        << bad;
  }
}

TEST(ServiceLevelParseErrorTest, UnknownUnitListsTheThreeUnits) {
  EXPECT_THAT(ParseError("order 5 calendar_days x\n"),
              IsInvalidArgumentAt("sla.txt:1",
                                  "category 'order': unknown unit 'calendar_days'; "
                                  "expected natural_hours, working_hours or "
                                  "working_days"));
}

TEST(ServiceLevelParseErrorTest, EmptyTableIsRejected) {
  EXPECT_THAT(ParseError("# only comments\n\n"),
              IsInvalidArgumentAt("sla.txt", "no service level declared"));
}

// ---------------------------------------------------------------------------
// Files.

TEST(ServiceLevelLoadTest, MissingFileIsNotFound) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::LoadFile("/nonexistent/sla.txt");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(table.status().message(), HasSubstr("/nonexistent/sla.txt"));
}

TEST(ServiceLevelLoadTest, DirectoryIsNotFound) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::LoadFile(RECTIFY_SOURCE_DIR "/data");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(table.status().message(),
              HasSubstr("service-level file '" RECTIFY_SOURCE_DIR "/data'"));
}

TEST(ServiceLevelLoadTest, ShippedTableHasTheNineCategoriesAndTheBureausLevel) {
  absl::StatusOr<ServiceLevelTable> table = ServiceLevelTable::LoadFile(kShippedTable);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(Categories(*table),
              ElementsAre("enforcement", "garbage_sorting", "general", "infrastructure", "legal",
                          "order", "publicity", "safety_hazard", "sanitation", "urgent_repair"));
  EXPECT_EQ(
      *table->Find("safety_hazard"),
      (ServiceLevel{"safety_hazard", 24, SlaUnit::kNaturalHours, "安全隐患（私拉电线充电等）"}));
  EXPECT_EQ(*table->Find("sanitation"),
            (ServiceLevel{"sanitation", 3, SlaUnit::kWorkingDays, "环境卫生"}));
  EXPECT_EQ(*table->Find("infrastructure"),
            (ServiceLevel{"infrastructure", 20, SlaUnit::kWorkingDays, "基础设施和房屋本体"}));
  EXPECT_EQ(*table->Find("urgent_repair"),
            (ServiceLevel{"urgent_repair", 8, SlaUnit::kWorkingHours, "紧急维修"}));
  EXPECT_EQ(table->Find("garbage_sorting")->amount, 2);
  EXPECT_EQ(table->Find("legal")->amount, 10);
  EXPECT_EQ(table->Find("publicity")->amount, 5);
  EXPECT_EQ(table->Find("order")->amount, 5);
  EXPECT_EQ(table->Find("general")->amount, 5);
}

}  // namespace
}  // namespace rectify::domain
