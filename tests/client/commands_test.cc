// The words-to-messages helpers of commands.cc: --deduct, sheet files,
// self-check items and files, --evidence.
#include "client/cli/commands.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// The message of a status that must be a usage error.
std::string UsageMessage(const absl::Status& status) {
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(IsUsageError(status)) << status;
  return std::string(status.message());
}

TEST(ParseDeductionArgTest, RuleAlone) {
  absl::StatusOr<v1::Deduction> d = ParseDeductionArg("3.2a");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->rule_id(), "3.2a");
  EXPECT_EQ(d->count(), 1);
  EXPECT_FALSE(d->open_task());
  EXPECT_EQ(d->note(), "");
}

TEST(ParseDeductionArgTest, EveryPart) {
  absl::StatusOr<v1::Deduction> d = ParseDeductionArg("2.2bx2!:3号楼东侧");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->rule_id(), "2.2b");
  EXPECT_EQ(d->count(), 2);
  EXPECT_TRUE(d->open_task());
  EXPECT_EQ(d->note(), "3号楼东侧");
}

TEST(ParseDeductionArgTest, EachPartIsOptional) {
  absl::StatusOr<v1::Deduction> open = ParseDeductionArg("1.1b!");
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(open->rule_id(), "1.1b");
  EXPECT_TRUE(open->open_task());

  absl::StatusOr<v1::Deduction> counted = ParseDeductionArg("2.3ax12");
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->rule_id(), "2.3a");
  EXPECT_EQ(counted->count(), 12);
  EXPECT_FALSE(counted->open_task());

  absl::StatusOr<v1::Deduction> spaced = ParseDeductionArg(" 2.2b x 2 ! ");
  ASSERT_TRUE(spaced.ok()) << spaced.status();
  EXPECT_EQ(spaced->rule_id(), "2.2b");
  EXPECT_EQ(spaced->count(), 2);
  EXPECT_TRUE(spaced->open_task());

  absl::StatusOr<v1::Deduction> noted = ParseDeductionArg("3.4a: 5号楼: 私拉电线 ");
  ASSERT_TRUE(noted.ok()) << noted.status();
  EXPECT_EQ(noted->rule_id(), "3.4a");
  EXPECT_EQ(noted->note(), "5号楼: 私拉电线");  // the note is the rest, colons and all
}

TEST(ParseDeductionArgTest, AcceptsTheSignsAChineseKeyboardTypes) {
  absl::StatusOr<v1::Deduction> d = ParseDeductionArg("2.2b×3！：3#楼");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->rule_id(), "2.2b");
  EXPECT_EQ(d->count(), 3);
  EXPECT_TRUE(d->open_task());
  EXPECT_EQ(d->note(), "3#楼");
}

TEST(ParseDeductionArgTest, BadFormsSayWhatIsWrongAndTheForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no rule id"},
      {":note", "no rule id"},
      {"x2", "no rule id"},
      {"2.2bx", "no count after 'x'"},
      {"2.2bx0", "count '0' is not a whole number from 1 to 100000"},
      {"2.2bx100001", "count '100001'"},
      {"2.2b×two", "count 'two'"},
      {"2.2b!x2", "'!' comes after the count and before the note"},
      {"2.2b 2", "'2.2b 2' is not a rule id"},
      {"abc", "'abc' is not a rule id"},
      {"2.2-b", "'2.2-b' is not a rule id"},
  };
  for (const auto& [text, why] : cases) {
    const std::string message = UsageMessage(ParseDeductionArg(text).status());
    EXPECT_THAT(message, AllOf(HasSubstr(absl::StrCat("invalid deduction '", text, "'")),
                               HasSubstr(why), HasSubstr("expected RULE[xCOUNT][!][:NOTE]")))
        << text;
  }
}

constexpr char kSheet[] =
    "\xEF\xBB\xBF# 团结小区 周检查\r\n"
    "campaign  demo\r\n"
    "community cm-tuanjie\n"
    "kind      weekly\n"
    "date 2024-05-06\n"
    "note 第二周 复查\n"
    "\n"
    "   # an indented comment\n"
    "3.4a\n"
    "2.3a 2 open 2单元楼道堆物\n"
    "2.2b open 3#楼东侧\n"
    "1.1c\t3\t破损\n";

TEST(ParseSheetFileTest, HeaderAndDeductions) {
  absl::StatusOr<v1::Inspection> sheet = ParseSheetFile(kSheet, "week.sheet");
  ASSERT_TRUE(sheet.ok()) << sheet.status();
  EXPECT_EQ(sheet->campaign_id(), "demo");
  EXPECT_EQ(sheet->community_id(), "cm-tuanjie");
  EXPECT_EQ(sheet->kind(), v1::INSPECTION_KIND_WEEKLY);
  EXPECT_EQ(sheet->date(), "2024-05-06");
  EXPECT_EQ(sheet->note(), "第二周 复查");
  ASSERT_THAT(sheet->deductions(), SizeIs(4));
  const v1::Deduction& plain = sheet->deductions(0);
  EXPECT_EQ(plain.rule_id(), "3.4a");
  EXPECT_EQ(plain.count(), 1);
  EXPECT_FALSE(plain.open_task());
  EXPECT_EQ(plain.note(), "");
  const v1::Deduction& full = sheet->deductions(1);
  EXPECT_EQ(full.rule_id(), "2.3a");
  EXPECT_EQ(full.count(), 2);
  EXPECT_TRUE(full.open_task());
  EXPECT_EQ(full.note(), "2单元楼道堆物");
  const v1::Deduction& no_count = sheet->deductions(2);
  EXPECT_EQ(no_count.count(), 1);
  EXPECT_TRUE(no_count.open_task());
  EXPECT_EQ(no_count.note(), "3#楼东侧");  // '#' inside a line is text
  const v1::Deduction& tabs = sheet->deductions(3);
  EXPECT_EQ(tabs.rule_id(), "1.1c");
  EXPECT_EQ(tabs.count(), 3);
  EXPECT_EQ(tabs.note(), "破损");
}

TEST(ParseSheetFileTest, EverythingIsOptional) {
  absl::StatusOr<v1::Inspection> empty = ParseSheetFile("# nothing\n\n", "empty.sheet");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->campaign_id(), "");
  EXPECT_EQ(empty->kind(), v1::INSPECTION_KIND_UNSPECIFIED);
  EXPECT_THAT(empty->deductions(), SizeIs(0));
}

TEST(ParseSheetFileTest, EachMistakeNamesTheFileAndLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"kind weekly\nkind final_evaluation\n", "s.sheet:2: 'kind' given twice (first on line 1)"},
      {"# c\nkind monthly\n", "s.sheet:2: kind: 'monthly' is not a valid InspectionKind"},
      {"date 2024-02-30\n", "s.sheet:1: date: "},
      {"campaign\n", "s.sheet:1: 'campaign' needs a value"},
      {"community cm-a cm-b\n", "s.sheet:1: 'community' takes one word; 'cm-b' is extra"},
      {"3.4a\nkinds weekly\n", "s.sheet:2: 'kinds' is neither a header"},
      {"2.3a 0\n", "s.sheet:1: rule 2.3a: count '0' is not a whole number from 1 to 100000"},
      {"2.3a 2x\n", "s.sheet:1: rule 2.3a: count '2x'"},
      {"\n\n2.3a-b 2\n", "s.sheet:3: '2.3a-b' is neither a header"},
  };
  for (const auto& [text, expected] : cases) {
    EXPECT_THAT(UsageMessage(ParseSheetFile(text, "s.sheet").status()), HasSubstr(expected))
        << text;
  }
}

TEST(ParseSelfCheckItemArgTest, TwoToFourFields) {
  absl::StatusOr<v1::SelfCheckItem> full =
      ParseSelfCheckItemArg(" sanitation | 3号楼垃圾箱破损 | 800.5 | 2.2 ");
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->category(), "sanitation");
  EXPECT_EQ(full->title(), "3号楼垃圾箱破损");
  EXPECT_EQ(full->budget().planned_fen(), 80050);
  EXPECT_EQ(full->standard_item(), "2.2");

  absl::StatusOr<v1::SelfCheckItem> minimal = ParseSelfCheckItemArg("order|乱停车");
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_FALSE(minimal->has_budget());
  EXPECT_EQ(minimal->standard_item(), "");

  absl::StatusOr<v1::SelfCheckItem> no_cost = ParseSelfCheckItemArg("order|乱停车||3.2");
  ASSERT_TRUE(no_cost.ok()) << no_cost.status();
  EXPECT_FALSE(no_cost->has_budget());
  EXPECT_EQ(no_cost->standard_item(), "3.2");
}

TEST(ParseSelfCheckItemArgTest, BadForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"sanitation", "no '|' between the category and the title"},
      {"|title", "no category"},
      {"sanitation| ", "no title"},
      {"a|b|1|2.2|x", "more than four fields"},
      {"a|b|1.234", "planned cost: invalid amount '1.234'"},
      {"a|b|-5", "planned cost"},
  };
  for (const auto& [text, why] : cases) {
    EXPECT_THAT(UsageMessage(ParseSelfCheckItemArg(text).status()),
                AllOf(HasSubstr(absl::StrCat("invalid item '", text, "'")), HasSubstr(why),
                      HasSubstr("expected CATEGORY|TITLE[|PLANNED_YUAN[|STANDARD_ITEM]]")))
        << text;
  }
}

TEST(ParseSelfCheckFileTest, OneItemPerLineAndMistakesByLine) {
  absl::StatusOr<std::vector<v1::SelfCheckItem>> items = ParseSelfCheckFile(
      "# 幸福小区自查\nsanitation|垃圾箱破损|800|2.2\r\n\norder|消防通道堆物\n", "list.txt");
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_THAT(*items, SizeIs(2));
  EXPECT_EQ((*items)[0].budget().planned_fen(), 80000);
  EXPECT_EQ((*items)[1].title(), "消防通道堆物");

  EXPECT_THAT(UsageMessage(ParseSelfCheckFile("order|a\n# c\norder\n", "list.txt").status()),
              HasSubstr("list.txt:3: invalid item 'order': no '|'"));
}

TEST(ParseEvidenceArgTest, SplitsAtTheLastHash) {
  const std::string sha(64, 'A');
  absl::StatusOr<v1::Evidence> e = ParseEvidenceArg("s3://b/a#1.jpg#" + sha);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->uri(), "s3://b/a#1.jpg");
  EXPECT_EQ(e->sha256(), std::string(64, 'a'));
  EXPECT_THAT(UsageMessage(ParseEvidenceArg("photo.jpg").status()), HasSubstr("no '#'"));
}

TEST(ParsePlanItemArgTest, FourOrFiveFields) {
  absl::StatusOr<v1::PlanItem> full =
      ParsePlanItemArg(" 更换3号楼垃圾箱 | zhang-wei | 800.5 | property_company | T-3 ");
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->description(), "更换3号楼垃圾箱");
  EXPECT_EQ(full->person_id(), "zhang-wei");
  EXPECT_EQ(full->cost_fen(), 80050);
  EXPECT_EQ(full->payer(), v1::PAYER_PROPERTY_COMPANY);
  EXPECT_EQ(full->task_id(), "T-3");

  absl::StatusOr<v1::PlanItem> no_task = ParsePlanItemArg("清理楼道|li-min|0|street-office");
  ASSERT_TRUE(no_task.ok()) << no_task.status();
  EXPECT_EQ(no_task->cost_fen(), 0);
  EXPECT_EQ(no_task->payer(), v1::PAYER_STREET_OFFICE);
  EXPECT_EQ(no_task->task_id(), "");
}

TEST(ParsePlanItemArgTest, BadForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"a|b|1", "fewer than four fields"},
      {"a|b|1|owners|T-1|x", "more than five fields"},
      {" |b|1|owners", "no description"},
      {"a| |1|owners", "no person"},
      {"a|b|1.234|owners", "cost: invalid amount '1.234'"},
      {"a|b|-5|owners", "cost"},
      {"a|b|5|landlord", "payer"},
  };
  for (const auto& [text, why] : cases) {
    EXPECT_THAT(UsageMessage(ParsePlanItemArg(text).status()),
                AllOf(HasSubstr(absl::StrCat("invalid plan item '", text, "'")), HasSubstr(why),
                      HasSubstr("expected DESCRIPTION|PERSON|YUAN|PAYER[|TASK]")))
        << text;
  }
}

TEST(ParsePlanFileTest, NamesTheLineOfTheFirstMistake) {
  absl::StatusOr<std::vector<v1::PlanItem>> items =
      ParsePlanFile("# 幸福路街道\n更换垃圾箱|zhang-wei|800|property_company\n\n清理|li-min|300|street_office\n",
                    "plan.txt");
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[1].cost_fen(), 30000);
  EXPECT_THAT(UsageMessage(ParsePlanFile("a|b|1|owners\na|b|1\n", "plan.txt").status()),
              HasSubstr("plan.txt:2: invalid plan item 'a|b|1'"));
}

}  // namespace
}  // namespace rectify::client::cli
