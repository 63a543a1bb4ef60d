// Tests for domain/standard.h: the shipped 住宅小区全国文明城市创建标准, the
// format, its look-ups, and every error naming the file, line and field.
#include "domain/standard.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/read_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr char kShipped[] = RECTIFY_SOURCE_DIR "/data/standards/civilized-residential-2024.std";

absl::StatusOr<Standard> LoadShipped() {
  absl::StatusOr<std::string> text = common::ReadFileToString(kShipped, "standard");
  if (!text.ok()) return text.status();
  return Standard::Parse(*text, kShipped);
}

// A small standard that uses every declaration. Line numbers matter to the
// error tests below.
constexpr char kValid[] =
    "# a test standard\n"                                      // 1
    "standard test-std 1.0 测试标准\n"                         // 2
    "total 40\n"                                               // 3
    "\n"                                                       // 4
    "category first 20 第一类\n"                               // 5
    "responsible 各街道办事处\n"                               // 6
    "service_level sanitation\n"                               // 7
    "item 1.1 第一项的文字\n"                                  // 8
    "rule 1.1a missing_units 1 expect=8 每少1处扣1分\n"        // 9
    "rule 1.1b per_occurrence 2 cap=6 每处扣2分  # note\n"     // 10
    "category second 20 第二类\n"                              // 11
    "responsible 各街道办事处\n"                               // 12
    "service_level order\n"                                    // 13
    "assign street_office\n"                                   // 14
    "item 2.1 第二项\n"                                        // 15
    "assign owners_committee\n"                                // 16
    "rule 2.1a absent 1 无扣1分\n"                             // 17
    "rule 2.1b not_updated 1 every=2m 未及时更新扣1分\n"       // 18
    "item 2.2 第三项\n"                                        // 19
    "rule 2.2a per_square_metre 1 以1平方米为单位每处扣1分\n"  // 20
    "rule 2.2b per_poster 1 牛皮癣每张扣1分\n";                // 21

// The first six lines of a standard with one open item (1.1, line 6): error
// cases append from line 7 on.
constexpr char kHead[] =
    "standard s 1 标准\n"         // 1
    "total 100\n"                 // 2
    "category c 20 类\n"          // 3
    "responsible 各街道办事处\n"  // 4
    "service_level order\n"       // 5
    "item 1.1 项\n";              // 6

MATCHER_P2(IsInvalidArgumentAt, where, field, "") {
  *result_listener << "message: " << arg.message();
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(arg.message(), absl::StrCat(where, ": ")) &&
         absl::StrContains(arg.message(), absl::StrCat("field '", field, "'"));
}

absl::Status ParseError(const std::string& text) {
  absl::StatusOr<Standard> standard = Standard::Parse(text, "x.std");
  EXPECT_FALSE(standard.ok()) << "parsed unexpectedly:\n" << text;
  return standard.status();
}

std::vector<std::string> RuleIds(const Item& item) {
  std::vector<std::string> ids;
  for (const Rule& rule : item.rules) ids.push_back(rule.id);
  return ids;
}

// --- The shipped standard ---------------------------------------------------

TEST(StandardShippedTest, LoadsWithThreeCategoriesFourteenItemsAndTwentySixRules) {
  absl::StatusOr<Standard> standard = LoadShipped();
  ASSERT_TRUE(standard.ok()) << standard.status();
  EXPECT_EQ(standard->id(), "civilized-residential");
  EXPECT_EQ(standard->version(), "2024.1");
  EXPECT_EQ(standard->name(), "住宅小区全国文明城市创建标准");
  EXPECT_EQ(standard->total(), 100);
  EXPECT_EQ(standard->max_score(), 60);  // categories 4+ are missing from the seed

  std::vector<std::tuple<std::string, int, std::string, std::string>> categories;
  int items = 0, rules = 0;
  for (const Category& c : standard->categories()) {
    categories.emplace_back(c.id, c.points, c.name, c.service_level);
    EXPECT_EQ(c.responsible, "各街道办事处") << c.id;
    EXPECT_EQ(c.assign, Assignee::kPropertyCompany) << c.id;
    items += static_cast<int>(c.items.size());
    for (const Item& item : c.items) {
      rules += static_cast<int>(item.rules.size());
      EXPECT_FALSE(item.assign.has_value()) << item.id;
      EXPECT_EQ(standard->AssigneeOf(item), Assignee::kPropertyCompany) << item.id;
    }
  }
  EXPECT_THAT(categories, ElementsAre(std::make_tuple("publicity", 20, "查宣传氛围", "publicity"),
                                      std::make_tuple("sanitation", 20, "查环境卫生", "sanitation"),
                                      std::make_tuple("order", 20, "查环境秩序", "order")));
  EXPECT_EQ(items, 14);
  EXPECT_EQ(rules, 26);
}

TEST(StandardShippedTest, RulesAreTheSeedsDeductionsItemByItem) {
  absl::StatusOr<Standard> standard = LoadShipped();
  ASSERT_TRUE(standard.ok()) << standard.status();
  struct Expected {
    const char* id;
    RuleKind kind;
    int points, expect;
    const char* every;
    const char* text;
  };
  using K = RuleKind;
  const std::vector<Expected> expected = {
      {"1.1a", K::kMissingUnits, 1, 8, "", "每少1处扣1分"},
      {"1.1b", K::kAbsent, 1, 0, "", "无垃圾分类公益广告扣1分"},
      {"1.1c", K::kPerOccurrence, 1, 0, "", "陈旧或破损每处扣1分"},
      {"1.2a", K::kAbsent, 2, 0, "", "无宣传橱窗扣2分"},
      {"1.2b", K::kNotUpdated, 1, 0, "", "内容未及时更新扣1分"},
      {"1.3a", K::kAbsent, 1, 0, "", "未在显著位置设置市民公约或社区居民公约扣1分"},
      {"1.3b", K::kAbsent, 1, 0, "", "社区居民公约无垃圾分类内容扣1分"},
      {"1.4a", K::kAbsent, 1, 0, "", "未在小区主要道路或主要绿地设置提示标志扣1分"},
      {"1.4b", K::kAbsent, 1, 0, "", "未设置提示语扣1分"},
      {"1.5a", K::kAbsent, 1, 0, "", "无宣传橱窗扣1分"},
      {"1.5b", K::kNotUpdated, 1, 0, "2m", "内容未及时更新扣1分"},
      {"2.1a", K::kPerSquareMetre, 1, 0, "",
       "以1平方米为单位，发现卫生死角、垃圾、乱堆放、痰迹等每处扣1分"},
      {"2.1b", K::kPerOccurrence, 1, 0, "", "发现乱扔垃圾、随地吐痰、车窗抛物等行为每例扣1分"},
      {"2.1c", K::kPerOccurrence, 1, 0, "", "乱晾晒每处扣1分"},
      {"2.1d", K::kPerPoster, 1, 0, "", "牛皮癣每张扣1分"},
      {"2.2a", K::kPerOccurrence, 1, 0, "", "垃圾未分类收集每个扣1分"},
      {"2.2b", K::kPerOccurrence, 2, 0, "", "垃圾箱满溢每个扣2分"},
      {"2.2c", K::kPerOccurrence, 1, 0, "", "污损每个扣1分"},
      {"2.3a", K::kPerSquareMetre, 1, 0, "", "以1平方米为单位，发现乱堆放、乱扔垃圾等每处扣1分"},
      {"2.3b", K::kPerPoster, 1, 0, "", "发现牛皮癣每张扣1分"},
      {"2.4a", K::kPerOccurrence, 1, 0, "", "不符合要求每例扣1分"},
      {"3.1a", K::kPerOccurrence, 1, 0, "", "不符合要求每例扣1分"},
      {"3.2a", K::kPerOccurrence, 1, 0, "", "不符合要求每例扣1分"},
      {"3.3a", K::kPerOccurrence, 1, 0, "", "不符合要求每例扣1分"},
      {"3.4a", K::kPerOccurrence, 1, 0, "", "不符合要求每例扣1分"},
      {"3.5a", K::kPerOccurrence, 1, 0, "", "不符合要求每例扣1分"},
  };
  std::vector<std::string> all_ids;
  for (const Category& c : standard->categories()) {
    for (const Item& item : c.items) {
      for (const Rule& rule : item.rules) all_ids.push_back(rule.id);
    }
  }
  std::vector<std::string> expected_ids;
  for (const Expected& e : expected) expected_ids.push_back(e.id);
  EXPECT_THAT(all_ids, ElementsAreArray(expected_ids));
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.id);
    const Rule* rule = standard->FindRule(e.id);
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->kind, e.kind);
    EXPECT_EQ(rule->points, e.points);
    EXPECT_EQ(rule->expect, e.expect);
    EXPECT_EQ(rule->every, e.every);
    EXPECT_EQ(rule->cap, 0);  // the seed caps no rule; categories floor at zero
    EXPECT_EQ(rule->text, e.text);
  }
}

TEST(StandardShippedTest, ItemTextsAreTheSeedsWordsWithoutTheirDeductions) {
  absl::StatusOr<Standard> standard = LoadShipped();
  ASSERT_TRUE(standard.ok()) << standard.status();
  EXPECT_EQ(standard->FindItem("1.1")->text,
            "小区内随机步行200米，能看到8处公益广告，有原创公益广告；必须有垃圾分类公益广告、"
            "精神文明创建内容，如有陈旧或破损及时更换；");
  EXPECT_EQ(standard->FindItem("1.3")->text,
            "社区办公场所、社区便民服务中心和住宅小区每一个出入口显著位置设置市民公约、"
            "社区居民公约（必须有垃圾分类内容）；");
  EXPECT_EQ(standard->FindItem("2.4")->text, "无饲养家禽，无敞放宠物。");
  EXPECT_EQ(standard->FindItem("3.5")->text, "规划非机动车、摩托车停车位。");
}

// --- The format and look-ups ------------------------------------------------

TEST(StandardParseTest, ValidFileParsesEveryDeclaration) {
  absl::StatusOr<Standard> standard = Standard::Parse(kValid, "x.std");
  ASSERT_TRUE(standard.ok()) << standard.status();
  EXPECT_EQ(standard->id(), "test-std");
  EXPECT_EQ(standard->version(), "1.0");
  EXPECT_EQ(standard->name(), "测试标准");
  EXPECT_EQ(standard->total(), 40);
  EXPECT_EQ(standard->max_score(), 40);
  ASSERT_EQ(standard->categories().size(), 2u);
  const Category& second = standard->categories()[1];
  EXPECT_EQ(second.points, 20);
  EXPECT_EQ(second.name, "第二类");
  EXPECT_EQ(second.service_level, "order");
  EXPECT_EQ(second.assign, Assignee::kStreetOffice);
  EXPECT_THAT(RuleIds(second.items[0]), ElementsAre("2.1a", "2.1b"));

  const Rule* capped = standard->FindRule("1.1b");
  ASSERT_NE(capped, nullptr);
  EXPECT_EQ(capped->cap, 6);
  EXPECT_EQ(capped->points, 2);
  EXPECT_EQ(capped->text, "每处扣2分");  // the comment is not part of it
  EXPECT_EQ(standard->FindRule("2.1b")->every, "2m");
  EXPECT_EQ(standard->FindRule("2.2a")->kind, RuleKind::kPerSquareMetre);
  EXPECT_EQ(standard->FindRule("2.2b")->kind, RuleKind::kPerPoster);
}

TEST(StandardParseTest, WindowsLineEndsAndCommentsAreIgnored) {
  std::string text = kValid;
  absl::StrReplaceAll({{"\n", "\r\n"}}, &text);
  absl::StatusOr<Standard> standard = Standard::Parse(text, "x.std");
  ASSERT_TRUE(standard.ok()) << standard.status();
  EXPECT_EQ(standard->FindItem("1.1")->text, "第一项的文字");
  EXPECT_EQ(standard->FindRule("2.2b")->text, "牛皮癣每张扣1分");
}

TEST(StandardLookupTest, FindsByIdAndReturnsNullForUnknownIds) {
  absl::StatusOr<Standard> standard = Standard::Parse(kValid, "x.std");
  ASSERT_TRUE(standard.ok()) << standard.status();
  ASSERT_NE(standard->FindCategory("second"), nullptr);
  EXPECT_EQ(standard->FindCategory("second")->name, "第二类");
  EXPECT_EQ(standard->FindCategory("third"), nullptr);
  EXPECT_EQ(standard->FindItem("2.2")->text, "第三项");
  EXPECT_EQ(standard->FindItem("9.9"), nullptr);
  EXPECT_EQ(standard->FindRule("2.1a")->kind, RuleKind::kAbsent);
  EXPECT_EQ(standard->FindRule("2.1"), nullptr);  // an item id is not a rule id
}

TEST(StandardLookupTest, ItemOfAndCategoryOfFollowARuleUpTheSheet) {
  absl::StatusOr<Standard> standard = Standard::Parse(kValid, "x.std");
  ASSERT_TRUE(standard.ok()) << standard.status();
  const Rule* rule = standard->FindRule("2.2b");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(standard->ItemOf(*rule).id, "2.2");
  EXPECT_EQ(standard->CategoryOf(standard->ItemOf(*rule)).id, "second");
  const Rule copy = *rule;  // a copy works too: rule ids are unique
  EXPECT_EQ(standard->ItemOf(copy).id, "2.2");
}

TEST(StandardLookupTest, AssigneeOfIsTheItemsOwnElseItsCategorys) {
  absl::StatusOr<Standard> standard = Standard::Parse(kValid, "x.std");
  ASSERT_TRUE(standard.ok()) << standard.status();
  // first: no assign line, so the default.
  EXPECT_EQ(standard->AssigneeOf(*standard->FindItem("1.1")), Assignee::kPropertyCompany);
  // 2.1 overrides its category.
  EXPECT_EQ(standard->FindItem("2.1")->assign, Assignee::kOwnersCommittee);
  EXPECT_EQ(standard->AssigneeOf(*standard->FindItem("2.1")), Assignee::kOwnersCommittee);
  // 2.2 takes the category's street_office.
  EXPECT_EQ(standard->AssigneeOf(*standard->FindItem("2.2")), Assignee::kStreetOffice);
}

TEST(StandardNamesTest, KindAndAssigneeNamesAreTheFileWords) {
  EXPECT_EQ(RuleKindName(RuleKind::kMissingUnits), "missing_units");
  EXPECT_EQ(RuleKindName(RuleKind::kPerOccurrence), "per_occurrence");
  EXPECT_EQ(RuleKindName(RuleKind::kPerSquareMetre), "per_square_metre");
  EXPECT_EQ(RuleKindName(RuleKind::kPerPoster), "per_poster");
  EXPECT_EQ(RuleKindName(RuleKind::kAbsent), "absent");
  EXPECT_EQ(RuleKindName(RuleKind::kNotUpdated), "not_updated");
  EXPECT_EQ(AssigneeName(Assignee::kPropertyCompany), "property_company");
  EXPECT_EQ(AssigneeName(Assignee::kStreetOffice), "street_office");
  EXPECT_EQ(AssigneeName(Assignee::kOwnersCommittee), "owners_committee");
}

// --- Errors ---------------------------------------------------------------

TEST(StandardErrorTest, MessageNamesFileLineRuleAndFieldAndSaysWhatIsRight) {
  EXPECT_EQ(ParseError(absl::StrCat(kHead, "rule 1.1a missing_units 1 每少1处扣1分\n")).message(),
            "x.std:7: a missing_units rule without expect= (rule 1.1a of item 1.1, field "
            "'expect'); give the number expected, e.g. 'missing_units 1 expect=8 每少1处扣1分'");
}

struct BadCase {
  const char* what;
  std::string text;
  int line;
  const char* field;
  const char* mentions;  // part of the message: the id, or what would be right
};

void ExpectErrors(const std::vector<BadCase>& cases) {
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.what);
    const absl::Status status = ParseError(c.text);
    EXPECT_THAT(status, IsInvalidArgumentAt(absl::StrCat("x.std:", c.line), c.field));
    EXPECT_THAT(status.message(), HasSubstr(c.mentions));
  }
}

std::string Head(absl::string_view lines) { return absl::StrCat(kHead, lines); }

TEST(StandardErrorTest, RuleErrorsNameTheRuleAndField) {
  ExpectErrors({
      {"unknown kind", Head("rule 1.1a per_thing 1 每处扣1分\n"), 7, "kind", "per_occurrence"},
      {"missing kind", Head("rule 1.1a\n"), 7, "kind", "rule 1.1a"},
      {"missing expect", Head("rule 1.1a missing_units 1 每少1处扣1分\n"), 7, "expect", "expect=8"},
      {"expect zero", Head("rule 1.1a missing_units 1 expect=0 每少1处扣1分\n"), 7, "expect",
       "from 1 to"},
      {"expect on another kind", Head("rule 1.1a per_occurrence 1 expect=3 每处扣1分\n"), 7,
       "expect", "only missing_units"},
      {"points zero", Head("rule 1.1a absent 0 无扣分\n"), 7, "points", "from 1 to 100"},
      {"points above 100", Head("rule 1.1a absent 101 无扣分\n"), 7, "points", "from 1 to 100"},
      {"points not a number", Head("rule 1.1a absent x 无扣分\n"), 7, "points", "rule 1.1a"},
      {"cap below points", Head("rule 1.1a per_occurrence 2 cap=1 每处扣2分\n"), 7, "cap",
       "at least"},
      {"cap on a flag", Head("rule 1.1a absent 1 cap=1 无扣1分\n"), 7, "cap", "once"},
      {"every on another kind", Head("rule 1.1a absent 1 every=2m 无扣1分\n"), 7, "every",
       "only not_updated"},
      {"every without unit", Head("rule 1.1a not_updated 1 every=2 未更新扣1分\n"), 7, "every",
       "every=2m"},
      {"unknown key", Head("rule 1.1a per_occurrence 1 limit=3 每处扣1分\n"), 7, "limit",
       "expect=, cap= and every="},
      {"key twice", Head("rule 1.1a per_occurrence 1 cap=3 cap=4 每处扣1分\n"), 7, "cap", "twice"},
      {"no text", Head("rule 1.1a per_occurrence 1 cap=3\n"), 7, "text", "rule 1.1a"},
      {"bad rule id", Head("rule 1.1/a per_occurrence 1 每处扣1分\n"), 7, "id", "1.1a"},
  });
}

TEST(StandardErrorTest, StructureErrorsNameTheMissingPart) {
  ExpectErrors({
      {"rule before any item",
       "standard s 1 标准\ntotal 100\ncategory c 20 类\nresponsible 街\nservice_level order\n"
       "rule 1.1a absent 1 无扣1分\n",
       6, "item", "rule 1.1a"},
      {"item before any category", "standard s 1 标准\ntotal 100\nitem 1.1 项\n", 3, "category",
       "item 1.1"},
      {"item without rules, followed by an item", Head("item 1.2 项\nrule 1.2a absent 1 无\n"), 6,
       "rule", "item 1.1"},
      {"item without rules at the end", Head(""), 6, "rule", "item 1.1"},
      {"category without items",
       "standard s 1 标准\ntotal 100\ncategory c 20 类\nresponsible 街\nservice_level order\n", 3,
       "item", "category c"},
      {"category without responsible",
       "standard s 1 标准\ntotal 100\ncategory c 20 类\nservice_level order\n"
       "item 1.1 项\nrule 1.1a absent 1 无\n",
       3, "responsible", "responsible 各街道办事处"},
      {"category without service_level, found when the next category starts",
       "standard s 1 标准\ntotal 100\ncategory c 20 类\nresponsible 街\n"
       "item 1.1 项\nrule 1.1a absent 1 无\ncategory d 20 类\n",
       3, "service_level", "category c"},
      {"responsible empty", "standard s 1 标准\ntotal 100\ncategory c 20 类\nresponsible\n", 4,
       "responsible", "各街道办事处"},
      {"responsible before any category", "standard s 1 标准\nresponsible 街\n", 2, "responsible",
       "category"},
      {"second responsible", Head("responsible 别的\n"), 7, "responsible", "line 4"},
      {"second service_level", Head("service_level sanitation\n"), 7, "service_level", "line 5"},
      {"bad service_level",
       "standard s 1 标准\ntotal 100\ncategory c 20 类\nservice_level 环境卫生\n", 4,
       "service_level", "service_levels.txt"},
      {"unknown assignee", Head("assign 物业\n"), 7, "assign", "property_company"},
      {"second assign on an item", Head("assign street_office\nassign owners_committee\n"), 8,
       "assign", "item 1.1"},
      {"no category at all", "standard s 1 标准\ntotal 100\n", 1, "category", "standard s"},
      {"unknown declaration", Head("score 1.1 5\n"), 7, "keyword", "score"},
  });
}

TEST(StandardErrorTest, HeaderAndTotalErrorsNameTheField) {
  ExpectErrors({
      {"standard not first", "total 100\nstandard s 1 标准\n", 1, "standard",
       "begin the file with"},
      {"second standard", "standard s 1 标准\nstandard t 1 标准\n", 2, "standard", "line 1"},
      {"bad standard id", "standard S_1 1 标准\n", 1, "id", "civilized-residential"},
      {"bad version", "standard s 1/2 标准\n", 1, "version", "2024.1"},
      {"no name", "standard s 1\n", 1, "name", "standard s"},
      {"missing total",
       "standard s 1 标准\ncategory c 20 类\nresponsible 街\nservice_level order\n"
       "item 1.1 项\nrule 1.1a absent 1 无\n",
       1, "total", "total 100"},
      {"total zero", "standard s 1 标准\ntotal 0\n", 2, "total", "from 1 to"},
      {"total with extra words", "standard s 1 标准\ntotal 100 分\n", 2, "total", "'分'"},
      {"second total", "standard s 1 标准\ntotal 100\ntotal 90\n", 3, "total", "line 2"},
      {"category points over the total",
       "standard s 1 标准\ntotal 30\n"
       "category a 20 甲\nresponsible 街\nservice_level order\nitem 1.1 项\nrule 1.1a absent 1 无\n"
       "category b 20 乙\nresponsible 街\nservice_level order\nitem 2.1 项\nrule 2.1a absent 1 "
       "无\n",
       8, "points", "40 points, more than the total of 30"},
      {"category points zero", Head("rule 1.1a absent 1 无\ncategory d 0 类\n"), 8, "points",
       "from 1 to"},
      {"bad category id", Head("rule 1.1a absent 1 无\ncategory Publicity 20 类\n"), 8, "id",
       "lower-case"},
      {"category without a name", Head("rule 1.1a absent 1 无\ncategory d 20\n"), 8, "name",
       "category d"},
  });
}

TEST(StandardErrorTest, DuplicateIdsAreRefusedNamingTheFirstLine) {
  ExpectErrors({
      {"duplicate rule", Head("rule 1.1a absent 1 无\nitem 1.2 项\nrule 1.1a absent 1 无\n"), 9,
       "id", "rule '1.1a' is already declared at line 7"},
      {"duplicate item", Head("rule 1.1a absent 1 无\nitem 1.1 项\n"), 8, "id",
       "item '1.1' is already declared at line 6"},
      {"duplicate category", Head("rule 1.1a absent 1 无\ncategory c 10 类\n"), 8, "id",
       "category 'c' is already declared at line 3"},
  });
}

TEST(StandardErrorTest, EmptyFileSaysAStandardIsExpected) {
  const absl::Status status = ParseError("# nothing here\n\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("x.std: the file declares no standard"));
}

}  // namespace
}  // namespace rectify::domain
