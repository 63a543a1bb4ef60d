#include "client/cli/render.h"

#include "client/cli/time_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/sheet_samples.h"

namespace rectify::client::cli {
namespace {

using test::AddDeduction;
using test::AddScore;
using test::SampleInspection;
using test::SampleReadiness;
using test::SampleStandard;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

v1::Task SampleTask() {
  v1::Task task;
  task.set_id("T-42");
  task.set_title("楼道堆物清理");
  task.set_state(v1::TASK_STATE_IN_PROGRESS);
  task.set_source(v1::TASK_SOURCE_SELF_CHECK);
  task.set_overdue(true);
  task.mutable_budget()->set_planned_fen(123450);
  task.mutable_budget()->set_payer(v1::PAYER_PROPERTY_COMPANY);
  task.mutable_deadline()->set_seconds(1715335200);
  v1::Evidence* evidence = task.add_evidence();
  evidence->set_uri("https://files.example/p1.jpg");
  v1::Event* event = task.add_history();
  event->set_seq(1);
  (*event->mutable_details())["b"] = "2";
  (*event->mutable_details())["a"] = "1";
  return task;
}

TEST(FlattenTest, ShowsFieldsTheWayPeopleReadThem) {
  const Display display{DefaultDisplayZone(), false};
  const KeyValues pairs = Flatten(SampleTask(), display);
  EXPECT_THAT(pairs, Contains(Pair("id", "T-42")));
  EXPECT_THAT(pairs, Contains(Pair("state", "in_progress")));
  EXPECT_THAT(pairs, Contains(Pair("source", "self_check")));
  EXPECT_THAT(pairs, Contains(Pair("overdue", "true")));
  EXPECT_THAT(pairs, Contains(Pair("budget.planned", "¥1,234.50")));
  EXPECT_THAT(pairs, Contains(Pair("budget.actual", "¥0.00")));
  EXPECT_THAT(pairs, Contains(Pair("budget.payer", "property_company")));
  EXPECT_THAT(pairs, Contains(Pair("deadline", "2024-05-10T18:00:00+08:00")));
  EXPECT_THAT(pairs, Contains(Pair("evidence[0].uri", "https://files.example/p1.jpg")));
  EXPECT_THAT(pairs, Contains(Pair("history[0].details.a", "1")));
  EXPECT_THAT(pairs, Contains(Pair("sla_unit", "")));
  // Unset messages are left out.
  for (const auto& [key, value] : pairs) {
    EXPECT_THAT(key, Not(HasSubstr("pending_extension")));
    EXPECT_NE(key, "create_time");
  }
}

TEST(FlattenTest, MapEntriesAreSortedAndSkipWorks) {
  const Display display{absl::UTCTimeZone(), true};
  const KeyValues pairs = Flatten(SampleTask(), display, {"history", "evidence"});
  EXPECT_THAT(pairs, Contains(Pair("budget.planned", "1234.50")));  // CSV: plain yuan
  EXPECT_THAT(pairs, Contains(Pair("deadline", "2024-05-10T10:00:00+00:00")));
  for (const auto& [key, value] : pairs) EXPECT_THAT(key, Not(HasSubstr("history")));

  const KeyValues event = Flatten(SampleTask().history(0), display);
  std::vector<std::string> keys;
  for (const auto& [key, value] : event) {
    if (key.rfind("details.", 0) == 0) keys.push_back(key);
  }
  EXPECT_THAT(keys, ElementsAre("details.a", "details.b"));
}

TEST(TaskTableTest, OneRowPerTaskWithOverdueMarker) {
  google::protobuf::RepeatedPtrField<v1::Task> tasks;
  *tasks.Add() = SampleTask();
  v1::Task* fresh = tasks.Add();
  fresh->set_id("T-43");
  fresh->set_state(v1::TASK_STATE_OPEN);

  const Table table = TaskTable(tasks, Display{DefaultDisplayZone(), false});
  EXPECT_THAT(table.header, ElementsAre("ID", "STATE", "OVERDUE", "CATEGORY", "TITLE", "COMMUNITY",
                                        "RESPONSIBLE", "DEADLINE", "PLANNED"));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_THAT(table.rows[0], ElementsAre("T-42", "in_progress", "!", "", "楼道堆物清理", "", "",
                                         "2024-05-10T18:00:00+08:00", "¥1,234.50"));
  EXPECT_THAT(table.rows[1], ElementsAre("T-43", "open", "", "", "", "", "", "", ""));

  const Table csv = TaskTable(tasks, Display{DefaultDisplayZone(), true});
  EXPECT_EQ(csv.rows[0][2], "true");
  EXPECT_EQ(csv.rows[0][8], "1234.50");
  EXPECT_EQ(csv.rows[1][2], "false");
}

TEST(EventTableTest, StatesShownAsEnumNames) {
  google::protobuf::RepeatedPtrField<v1::Event> events;
  v1::Event* event = events.Add();
  event->set_seq(3);
  event->set_type("task.dispatched");
  event->set_from_state("TASK_STATE_OPEN");
  event->set_to_state("dispatched");
  const Table table = EventTable(events, Display{DefaultDisplayZone(), false});
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_THAT(table.rows[0], ElementsAre("3", "", "task.dispatched", "", "open", "dispatched", ""));
}

// ---- The standard, sheets, readiness ------------------------------------------

// Columns line up by display width: a CJK character takes two columns.
TEST(InspectionSheetTest, GoldenWithTheStandard) {
  const v1::Standard standard = SampleStandard();
  EXPECT_EQ(RenderInspectionSheet(SampleInspection(), &standard), test::RenderedSampleSheet());
}

// Without the standard (a version no longer loaded): no texts, and a
// deduction the server did not place goes last.
TEST(InspectionSheetTest, GoldenWithoutTheStandard) {
  EXPECT_EQ(RenderInspectionSheet(SampleInspection(), nullptr),
            "inspection:  I-4\n"
            "community:   cm-xingfu\n"
            "kind:        weekly\n"
            "date:        2024-05-06\n"
            "inspector:   wang-jianguo\n"
            "standard:    civilized-residential@2024.1\n"
            "note:        第二周复查\n"
            "\n"
            "查宣传氛围  20/20\n"
            "查环境卫生  11/20  (−9)\n"
            "  2.2b     ×2  −4  task T-12  3号楼东侧\n"
            "  2.1a    ×12  −5             北门\n"
            "查环境秩序  19/20  (−1)\n"
            "other deductions\n"
            "  3.2a     ×1  −1\n"
            "\n"
            "total 50 / 60\n"
            "previous: I-3 (55) → now 50; cleared: 1.1b; persisting: 3.2a; new: 2.2b, 2.1a\n");
}

TEST(InspectionSheetTest, FirstInspectionHasNoComparisonAndFloorsAtZero) {
  v1::Inspection i;
  i.set_id("I-1");
  i.set_kind(v1::INSPECTION_KIND_SELF_CHECK);
  AddDeduction(&i, "2.2b", 13, 26, "sanitation");
  AddScore(&i, "sanitation", "查环境卫生", 26);
  i.set_total(0);
  i.set_max_score(20);
  const std::string sheet = RenderInspectionSheet(i, nullptr);
  EXPECT_THAT(sheet, HasSubstr("kind:        self_check\n"));
  EXPECT_THAT(sheet, HasSubstr("查环境卫生  0/20  (−26)\n"));
  EXPECT_THAT(sheet, HasSubstr("\ntotal 0 / 20\n"));
  EXPECT_THAT(sheet, Not(HasSubstr("previous")));
  EXPECT_EQ(ComparisonLine(i), "");
}

TEST(ComparisonLineTest, EmptyListsShowADash) {
  v1::Inspection i;
  i.set_previous_inspection_id("I-3");
  i.set_previous_total(55);
  i.set_total(59);
  i.add_cleared_rule_ids("2.2b");
  i.add_persisting_rule_ids("3.2a");
  EXPECT_EQ(ComparisonLine(i),
            "previous: I-3 (55) → now 59; cleared: 2.2b; persisting: 3.2a; new: —");
}

TEST(DeductionTableTest, OneRowPerDeductionWithPlainNumbers) {
  const v1::Standard standard = SampleStandard();
  const Table table =
      DeductionTable(SampleInspection(), &standard, Display{DefaultDisplayZone(), true});
  EXPECT_THAT(table.header, ElementsAre("INSPECTION", "COMMUNITY", "DATE", "CATEGORY", "RULE",
                                        "TEXT", "COUNT", "POINTS", "TASK", "NOTE"));
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_THAT(table.rows[0], ElementsAre("I-4", "cm-xingfu", "2024-05-06", "sanitation", "2.2b",
                                         "垃圾箱满溢每个扣2分", "2", "4", "T-12", "3号楼东侧"));
  EXPECT_EQ(table.rows[1][3], "order");  // placed by the standard
}

TEST(StandardTest, GoldenSheetAsAnInspectorReadsIt) {
  EXPECT_EQ(RenderStandard(SampleStandard()), test::RenderedSampleStandard());
}

TEST(StandardTest, FullMarksWhenComplete) {
  v1::Standard s = SampleStandard();
  s.set_max_score(100);
  EXPECT_THAT(RenderStandard(s), HasSubstr("\nfull marks 100\n"));
}

TEST(StandardTest, RuleTableHasOneRowPerRule) {
  const Table table = StandardRuleTable(SampleStandard(), Display{DefaultDisplayZone(), true});
  ASSERT_EQ(table.rows.size(), 6u);
  EXPECT_THAT(table.rows[0], ElementsAre("publicity", "查宣传氛围", "20", "各街道办事处", "1.1",
                                         "小区内随机步行200米，能看到8处公益广告；", "1.1a",
                                         "missing_units", "1", "8", "", "", "每少1处扣1分"));
  EXPECT_EQ(table.rows[2][11], "2m");
  EXPECT_EQ(table.rows[3][10], "5");
}

TEST(InspectionTableTest, ScoreForPeopleTotalAndMaxForSpreadsheets) {
  google::protobuf::RepeatedPtrField<v1::Inspection> list;
  *list.Add() = SampleInspection();
  const Table table = InspectionTable(list, Display{DefaultDisplayZone(), false});
  EXPECT_THAT(table.header, ElementsAre("ID", "DATE", "COMMUNITY", "KIND", "SCORE", "DEDUCTIONS"));
  EXPECT_THAT(table.rows[0], ElementsAre("I-4", "2024-05-06", "cm-xingfu", "weekly", "50/60", "3"));
  const Table csv = InspectionTable(list, Display{DefaultDisplayZone(), true});
  EXPECT_THAT(csv.header,
              ElementsAre("ID", "DATE", "COMMUNITY", "KIND", "TOTAL", "MAX", "DEDUCTIONS"));
  EXPECT_THAT(csv.rows[0],
              ElementsAre("I-4", "2024-05-06", "cm-xingfu", "weekly", "50", "60", "3"));
}

TEST(ReadinessTableTest, GoldenWithFurtherReasonsOnRowsOfTheirOwn) {
  EXPECT_EQ(RenderTable(ReadinessTable(SampleReadiness(), Display{DefaultDisplayZone(), false})),
            "COMMUNITY  NAME        STATUS     OPEN  OVERDUE  LAST SCORE  TARGET  REASONS\n"
            "cm-xingfu  幸福小区    NOT READY  2     1        59/60       54      open tasks: 2 (1 "
            "overdue)\n"
            "                                                                     deductions not "
            "cleared: 3.2a\n"
            "cm-talimu  塔里木小区  NOT READY  0     0        —           54      never inspected\n"
            "cm-huyang  胡杨小区    READY      0     0        60/60       54\n");
  EXPECT_EQ(ReadinessFooter(1, 3), "ready: 1 of 3");
}

TEST(ReadinessTableTest, CsvHasOneRowPerCommunity) {
  const Table csv = ReadinessTable(SampleReadiness(), Display{DefaultDisplayZone(), true});
  EXPECT_THAT(csv.header, ElementsAre("COMMUNITY", "NAME", "READY", "OPEN", "OVERDUE", "LAST SCORE",
                                      "MAX SCORE", "TARGET", "REASONS"));
  ASSERT_EQ(csv.rows.size(), 3u);
  EXPECT_THAT(csv.rows[0], ElementsAre("cm-xingfu", "幸福小区", "false", "2", "1", "59", "60", "54",
                                       "open tasks: 2 (1 overdue); deductions not cleared: 3.2a"));
  EXPECT_THAT(csv.rows[1], ElementsAre("cm-talimu", "塔里木小区", "false", "0", "0", "", "", "54",
                                       "never inspected"));
  EXPECT_EQ(csv.rows[2][2], "true");
}

TEST(ToJsonTest, PreservesProtoFieldNames) {
  v1::Task task;
  task.set_campaign_id("C-1");
  task.set_state(v1::TASK_STATE_OPEN);
  absl::StatusOr<std::string> json = ToJson(task);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"campaign_id\": \"C-1\""));
  EXPECT_THAT(*json, HasSubstr("\"state\": \"TASK_STATE_OPEN\""));
}

TEST(ParseOutputFormatTest, ThreeFormats) {
  EXPECT_EQ(*ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_THAT(ParseOutputFormat("yaml").status().message(), HasSubstr("table, json or csv"));
}

}  // namespace
}  // namespace rectify::client::cli
