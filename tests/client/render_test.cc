#include "client/cli/render.h"

#include "client/cli/time_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

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
