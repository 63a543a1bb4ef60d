// Tests for domain/calendar.h: the file format, its errors, merging, and the
// shipped national calendars in data/calendars.
#include "domain/calendar.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kCalendarDir[] = RECTIFY_SOURCE_DIR "/data/calendars";

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// Parses `text` as "t.cal" and returns the error; fails the test if it parsed.
absl::Status ParseError(const std::string& text) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Parse(text, "t.cal");
  EXPECT_FALSE(cal.ok()) << "parsed unexpectedly:\n" << text;
  return cal.status();
}

MATCHER_P2(IsInvalidArgumentAt, where, what, "") {
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(arg.message(), absl::StrCat(where, ": ")) &&
         absl::StrContains(arg.message(), what);
}

// The windows as "HH:MM-HH:MM" strings, for readable expectations.
std::vector<std::string> Windows(const WorkCalendar& cal) {
  std::vector<std::string> out;
  for (const WorkingWindow& w : cal.working_hours()) out.push_back(FormatWorkingWindow(w));
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A fresh, empty directory under the test's temporary directory.
std::filesystem::path FreshDir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// ---------------------------------------------------------------------------
// Days nobody declared, and the basic format.

TEST(WorkCalendarTest, EmptyCalendarFollowsTheWeek) {
  const WorkCalendar cal;
  // 2024-03-04 is a Monday.
  EXPECT_EQ(cal.KindOf(Day(2024, 3, 4)), DayKind::kWorkday);
  EXPECT_EQ(cal.KindOf(Day(2024, 3, 8)), DayKind::kWorkday);   // Friday
  EXPECT_EQ(cal.KindOf(Day(2024, 3, 9)), DayKind::kWeekend);   // Saturday
  EXPECT_EQ(cal.KindOf(Day(2024, 3, 10)), DayKind::kWeekend);  // Sunday
  EXPECT_TRUE(cal.IsWorkingDay(Day(2024, 3, 4)));
  EXPECT_FALSE(cal.IsWorkingDay(Day(2024, 3, 10)));
  EXPECT_FALSE(cal.Covers(2024));
  EXPECT_EQ(cal.HolidayName(Day(2024, 3, 4)), "");
  EXPECT_EQ(cal.declared_day_count(), 0u);
}

TEST(WorkCalendarTest, EmptyCalendarHasDefaultWorkingHours) {
  const WorkCalendar cal;
  EXPECT_THAT(Windows(cal), ElementsAre("09:00-12:00", "13:30-17:30"));
}

TEST(WorkCalendarTest, ParseDeclaresHolidaysAndMakeupWorkdays) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Parse(
      "year 2024\n"
      "holiday 2024-01-01 元旦\n"
      "holiday 2024-02-10..2024-02-17 春节\n"
      "workday 2024-02-04 春节调休\n",
      "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->KindOf(Day(2024, 1, 1)), DayKind::kHoliday);
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 4)), DayKind::kMakeupWorkday);
  EXPECT_TRUE(cal->IsWorkingDay(Day(2024, 2, 4)));
  EXPECT_FALSE(cal->IsWorkingDay(Day(2024, 1, 1)));
  EXPECT_TRUE(cal->Covers(2024));
  EXPECT_FALSE(cal->Covers(2025));
  EXPECT_THAT(cal->years(), ElementsAre(2024));
  EXPECT_EQ(cal->declared_day_count(), 1u + 8u + 1u);
}

TEST(WorkCalendarTest, RangeIsInclusiveAtBothEnds) {
  absl::StatusOr<WorkCalendar> cal =
      WorkCalendar::Parse("year 2024\nholiday 2024-02-10..2024-02-17 春节\n", "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 9)), DayKind::kWorkday);
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 10)), DayKind::kHoliday);  // a Saturday: declared wins
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 14)), DayKind::kHoliday);
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 17)), DayKind::kHoliday);
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 18)), DayKind::kWeekend);  // Sunday, not declared here
}

TEST(WorkCalendarTest, SingleDayRangeIsAccepted) {
  absl::StatusOr<WorkCalendar> cal =
      WorkCalendar::Parse("year 2024\nholiday 2024-06-10..2024-06-10 端午节\n", "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->declared_day_count(), 1u);
}

TEST(WorkCalendarTest, HolidayNameIsTheRestOfTheLineForHolidaysOnly) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Parse(
      "year 2025\n"
      "holiday 2025-10-01..2025-10-08 国庆节、中秋节 (merged)\n"
      "workday 2025-09-28 国庆节调休\n"
      "workday 2025-10-11\n",
      "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->HolidayName(Day(2025, 10, 6)), "国庆节、中秋节 (merged)");
  EXPECT_EQ(cal->HolidayName(Day(2025, 9, 28)), "");  // a make-up workday is no holiday
  EXPECT_EQ(cal->HolidayName(Day(2025, 10, 11)), "");
  EXPECT_EQ(cal->HolidayName(Day(2025, 10, 9)), "");
}

TEST(WorkCalendarTest, CommentsBlankLinesAndCrLfAreIgnored) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Parse(
      "# header comment\r\n"
      "\r\n"
      "   \t\r\n"
      "year 2024   # trailing comment\r\n"
      "  holiday   2024-01-01\t元旦  # indented, tabs, comment\r\n"
      "workday 2024-02-04",  // no final newline
      "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->HolidayName(Day(2024, 1, 1)), "元旦");
  EXPECT_EQ(cal->KindOf(Day(2024, 2, 4)), DayKind::kMakeupWorkday);
}

TEST(WorkCalendarTest, EmptyTextIsAnEmptyCalendar) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Parse("# nothing yet\n", "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->declared_day_count(), 0u);
  EXPECT_FALSE(cal->Covers(2024));
}

TEST(WorkCalendarTest, HoursReplaceTheDefault) {
  absl::StatusOr<WorkCalendar> cal =
      WorkCalendar::Parse("hours 08:30-12:00 14:00-18:00 19:00-24:00\n", "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_THAT(Windows(*cal), ElementsAre("08:30-12:00", "14:00-18:00", "19:00-24:00"));
  EXPECT_EQ(cal->working_hours()[0].start_minute, 8 * 60 + 30);
  EXPECT_EQ(cal->working_hours()[2].end_minute, 24 * 60);
}

TEST(WorkCalendarTest, AdjacentWindowsAreAccepted) {
  absl::StatusOr<WorkCalendar> cal =
      WorkCalendar::Parse("hours 00:00-12:00 12:00-24:00\n", "t.cal");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->working_hours().size(), 2u);
}

TEST(WorkCalendarTest, FormatWorkingWindowIsHhMm) {
  EXPECT_EQ(FormatWorkingWindow({9 * 60, 12 * 60}), "09:00-12:00");
  EXPECT_EQ(FormatWorkingWindow({13 * 60 + 30, 24 * 60}), "13:30-24:00");
}

TEST(WorkCalendarTest, DayKindNamesAreReadable) {
  EXPECT_EQ(DayKindName(DayKind::kWorkday), "workday");
  EXPECT_EQ(DayKindName(DayKind::kWeekend), "weekend");
  EXPECT_EQ(DayKindName(DayKind::kHoliday), "holiday");
  EXPECT_EQ(DayKindName(DayKind::kMakeupWorkday), "make-up workday");
}

// ---------------------------------------------------------------------------
// Parse errors: each names file:line, the field, and what would be right.

TEST(WorkCalendarParseErrorTest, UnknownKeywordNamesLineAndKeywords) {
  EXPECT_THAT(ParseError("year 2024\n\nholidy 2024-01-01 元旦\n"),
              IsInvalidArgumentAt("t.cal:3", "unknown keyword 'holidy'; expected year, holiday"));
}

TEST(WorkCalendarParseErrorTest, ImpossibleDateIsRejected) {
  EXPECT_THAT(
      ParseError("year 2024\nholiday 2024-02-30 x\n"),
      IsInvalidArgumentAt("t.cal:2", "'2024-02-30' is not a real date; expected YYYY-MM-DD"));
  EXPECT_THAT(ParseError("year 2023\nholiday 2023-02-29 x\n"),
              IsInvalidArgumentAt("t.cal:2", "'2023-02-29' is not a real date"));
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-13-01 x\n"),
              IsInvalidArgumentAt("t.cal:2", "'2024-13-01'"));
}

TEST(WorkCalendarParseErrorTest, LeapDayIsAccepted) {
  EXPECT_TRUE(WorkCalendar::Parse("year 2024\nholiday 2024-02-29 x\n", "t.cal").ok());
}

TEST(WorkCalendarParseErrorTest, MalformedDateIsRejected) {
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-2-4 x\n"),
              IsInvalidArgumentAt("t.cal:2", "'2024-2-4' is not a real date; expected YYYY-MM-DD"));
  EXPECT_THAT(ParseError("year 2024\nholiday 2024/02/04 x\n"),
              IsInvalidArgumentAt("t.cal:2", "'2024/02/04'"));
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-02-10..2024-02-1x x\n"),
              IsInvalidArgumentAt("t.cal:2", "'2024-02-1x'"));
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-02-10.. x\n"),
              IsInvalidArgumentAt("t.cal:2", "is not a real date"));
}

TEST(WorkCalendarParseErrorTest, MissingDateIsRejected) {
  EXPECT_THAT(ParseError("year 2024\nworkday\n"),
              IsInvalidArgumentAt("t.cal:2", "'workday' needs a date or range"));
}

TEST(WorkCalendarParseErrorTest, ReversedRangeSaysToWriteTheEarlierDateFirst) {
  EXPECT_THAT(
      ParseError("year 2024\nholiday 2024-02-17..2024-02-10 春节\n"),
      IsInvalidArgumentAt("t.cal:2", "ends before it starts; write the earlier date first"));
}

TEST(WorkCalendarParseErrorTest, DateOutsideTheFilesYearNamesBothYears) {
  EXPECT_THAT(ParseError("year 2024\nholiday 2023-12-30..2024-01-01 元旦\n"),
              IsInvalidArgumentAt("t.cal:2",
                                  "2023-12-30 is outside this file's 'year 2024' (line 1); "
                                  "put it in the file for 2023"));
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-12-31..2025-01-01 x\n"),
              IsInvalidArgumentAt("t.cal:2", "2025-01-01 is outside"));
}

TEST(WorkCalendarParseErrorTest, DayBeforeAnyYearLineIsRejected) {
  EXPECT_THAT(ParseError("holiday 2024-01-01 元旦\nyear 2024\n"),
              IsInvalidArgumentAt("t.cal:1", "'holiday' before any 'year' line"));
}

TEST(WorkCalendarParseErrorTest, SecondYearLineIsRejected) {
  EXPECT_THAT(ParseError("year 2024\nyear 2025\n"),
              IsInvalidArgumentAt("t.cal:2", "second 'year' line (the first is at line 1)"));
}

TEST(WorkCalendarParseErrorTest, MalformedYearIsRejected) {
  EXPECT_THAT(ParseError("year 24\n"), IsInvalidArgumentAt("t.cal:1", "four-digit year"));
  EXPECT_THAT(ParseError("year\n"), IsInvalidArgumentAt("t.cal:1", "four-digit year"));
  EXPECT_THAT(ParseError("year 2024 2025\n"), IsInvalidArgumentAt("t.cal:1", "four-digit year"));
}

TEST(WorkCalendarParseErrorTest, WorkdayOnAWeekdaySaysItMustBeAWeekend) {
  // 2024-02-05 is a Monday.
  EXPECT_THAT(ParseError("year 2024\nworkday 2024-02-05 x\n"),
              IsInvalidArgumentAt("t.cal:2",
                                  "workday 2024-02-05 is a Monday; a make-up workday "
                                  "(调休) must fall on a Saturday or Sunday"));
  // A range that runs from a Sunday into the week fails on its first weekday.
  EXPECT_THAT(ParseError("year 2024\nworkday 2024-02-04..2024-02-06\n"),
              IsInvalidArgumentAt("t.cal:2", "2024-02-05 is a Monday"));
}

TEST(WorkCalendarParseErrorTest, DayDeclaredTwiceNamesTheFirstPlace) {
  EXPECT_THAT(
      ParseError("year 2024\n"
                 "holiday 2024-02-10..2024-02-17 春节\n"
                 "workday 2024-02-17 x\n"),
      IsInvalidArgumentAt("t.cal:3", "2024-02-17 is already declared as holiday at t.cal:2"));
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-01-01 a\nholiday 2024-01-01 a\n"),
              IsInvalidArgumentAt("t.cal:3", "declare each day once"));
}

TEST(WorkCalendarParseErrorTest, HolidayWithoutNameIsRejected) {
  EXPECT_THAT(ParseError("year 2024\nholiday 2024-01-01   # 元旦\n"),
              IsInvalidArgumentAt("t.cal:2", "holiday 2024-01-01 has no name"));
}

TEST(WorkCalendarParseErrorTest, MalformedHoursAreRejected) {
  for (const char* bad : {"9:00-12:00", "09:00", "09:00-25:00", "09:60-12:00", "24:30-24:45",
                          "09:00_12:00", "ab:cd-12:00"}) {
    EXPECT_THAT(
        ParseError(absl::StrCat("hours ", bad, "\n")),
        IsInvalidArgumentAt("t.cal:1", absl::StrCat("working window '", bad,
                                                    "' is malformed; expected HH:MM-HH:MM")))
        << bad;
  }
}

TEST(WorkCalendarParseErrorTest, EmptyOrReversedWindowIsRejected) {
  EXPECT_THAT(ParseError("hours 12:00-09:00\n"),
              IsInvalidArgumentAt("t.cal:1", "'12:00-09:00' ends before it starts"));
  EXPECT_THAT(ParseError("hours 09:00-09:00\n"),
              IsInvalidArgumentAt("t.cal:1", "'09:00-09:00' ends before it starts"));
}

TEST(WorkCalendarParseErrorTest, OverlappingOrUnorderedWindowsAreRejected) {
  EXPECT_THAT(ParseError("hours 09:00-12:30 12:00-17:00\n"),
              IsInvalidArgumentAt("t.cal:1", "'12:00-17:00' overlaps or precedes 09:00-12:30"));
  EXPECT_THAT(ParseError("hours 13:30-17:30 09:00-12:00\n"),
              IsInvalidArgumentAt("t.cal:1", "list windows in time order without overlap"));
}

TEST(WorkCalendarParseErrorTest, HoursWithoutWindowsOrTwiceAreRejected) {
  EXPECT_THAT(ParseError("hours\n"), IsInvalidArgumentAt("t.cal:1", "at least one window"));
  EXPECT_THAT(ParseError("hours 09:00-12:00\n\nhours 13:00-17:00\n"),
              IsInvalidArgumentAt("t.cal:3", "second 'hours' line (the first is at t.cal:1)"));
}

TEST(WorkCalendarParseErrorTest, SourceIsUsedVerbatim) {
  absl::StatusOr<WorkCalendar> cal =
      WorkCalendar::Parse("year 2024\nholiday 2024-02-30 x\n", "data/calendars/cn-2024.cal");
  EXPECT_THAT(cal.status(), IsInvalidArgumentAt("data/calendars/cn-2024.cal:2", "2024-02-30"));
}

// ---------------------------------------------------------------------------
// Merge.

TEST(WorkCalendarMergeTest, DisjointCalendarsUnite) {
  absl::StatusOr<WorkCalendar> a = WorkCalendar::Parse("year 2024\nholiday 2024-01-01 元旦\n", "a");
  absl::StatusOr<WorkCalendar> b = WorkCalendar::Parse("year 2025\nholiday 2025-01-01 元旦\n", "b");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->Merge(*b).ok());
  EXPECT_EQ(a->KindOf(Day(2024, 1, 1)), DayKind::kHoliday);
  EXPECT_EQ(a->KindOf(Day(2025, 1, 1)), DayKind::kHoliday);
  EXPECT_THAT(a->years(), ElementsAre(2024, 2025));
  EXPECT_TRUE(a->Covers(2025));
}

TEST(WorkCalendarMergeTest, SameDayWithSameKindIsAcceptedAndKeepsTheFirstName) {
  absl::StatusOr<WorkCalendar> a = WorkCalendar::Parse("year 2024\nholiday 2024-01-01 元旦\n", "a");
  absl::StatusOr<WorkCalendar> b =
      WorkCalendar::Parse("year 2024\nholiday 2024-01-01 New Year\n", "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->Merge(*b).ok());
  EXPECT_EQ(a->HolidayName(Day(2024, 1, 1)), "元旦");
}

TEST(WorkCalendarMergeTest, ConflictingDayNamesTheDayAndBothPlacesAndChangesNothing) {
  absl::StatusOr<WorkCalendar> a = WorkCalendar::Parse(
      "year 2024\nholiday 2024-01-01 元旦\nholiday 2024-02-18 x\n", "national.cal");
  absl::StatusOr<WorkCalendar> b = WorkCalendar::Parse(
      "year 2024\nholiday 2024-05-20 local\n\nworkday 2024-02-18 y\n", "city.cal");
  ASSERT_TRUE(a.ok() && b.ok());
  const absl::Status merged = a->Merge(*b);
  EXPECT_EQ(merged.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(merged.message(), HasSubstr("2024-02-18 is declared as holiday at national.cal:3 "
                                          "and as make-up workday at city.cal:4"));
  EXPECT_EQ(a->KindOf(Day(2024, 5, 20)), DayKind::kWorkday);  // unchanged
  EXPECT_EQ(a->declared_day_count(), 2u);
}

TEST(WorkCalendarMergeTest, HoursAreTakenFromTheCalendarThatDeclaresThem) {
  absl::StatusOr<WorkCalendar> days = WorkCalendar::Parse("year 2024\n", "a");
  absl::StatusOr<WorkCalendar> hours = WorkCalendar::Parse("hours 08:00-16:00\n", "b");
  ASSERT_TRUE(days.ok() && hours.ok());
  ASSERT_TRUE(days->Merge(*hours).ok());
  EXPECT_THAT(Windows(*days), ElementsAre("08:00-16:00"));
  // Merging a calendar with default hours back in keeps the declared ones.
  ASSERT_TRUE(days->Merge(WorkCalendar()).ok());
  EXPECT_THAT(Windows(*days), ElementsAre("08:00-16:00"));
}

TEST(WorkCalendarMergeTest, DifferentDeclaredHoursConflict) {
  absl::StatusOr<WorkCalendar> a = WorkCalendar::Parse("hours 08:00-16:00\n", "a.cal");
  absl::StatusOr<WorkCalendar> b = WorkCalendar::Parse("# x\nhours 09:00-17:00\n", "b.cal");
  absl::StatusOr<WorkCalendar> same = WorkCalendar::Parse("hours 08:00-16:00\n", "c.cal");
  ASSERT_TRUE(a.ok() && b.ok() && same.ok());
  EXPECT_TRUE(a->Merge(*same).ok());
  const absl::Status merged = a->Merge(*b);
  EXPECT_EQ(merged.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(merged.message(),
              AllOf(HasSubstr("'08:00-16:00' at a.cal:1"), HasSubstr("'09:00-17:00' at b.cal:2")));
}

// ---------------------------------------------------------------------------
// LoadDirectory.

TEST(WorkCalendarLoadTest, MissingDirectoryIsNotFound) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::LoadDirectory("/nonexistent/calendars");
  EXPECT_EQ(cal.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(cal.status().message(), HasSubstr("/nonexistent/calendars"));
}

TEST(WorkCalendarLoadTest, DirectoryWithoutCalFilesIsNotFound) {
  const std::filesystem::path dir = FreshDir("calendar_no_cal_files");
  WriteFile(dir / "README.md", "not a calendar\n");
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::LoadDirectory(dir.string());
  EXPECT_EQ(cal.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(cal.status().message(), HasSubstr("no *.cal file"));
}

TEST(WorkCalendarLoadTest, MergesEveryCalFileAndIgnoresOthers) {
  const std::filesystem::path dir = FreshDir("calendar_merge");
  WriteFile(dir / "b-2025.cal", "year 2025\nholiday 2025-01-01 元旦\n");
  WriteFile(dir / "a-2024.cal", "year 2024\nholiday 2024-01-01 元旦\n");
  WriteFile(dir / "hours.cal", "hours 08:00-12:00\n");
  WriteFile(dir / "notes.txt", "holiday whatever\n");  // not *.cal: never parsed
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::LoadDirectory(dir.string());
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_THAT(cal->years(), ElementsAre(2024, 2025));
  EXPECT_EQ(cal->KindOf(Day(2025, 1, 1)), DayKind::kHoliday);
  EXPECT_THAT(Windows(*cal), ElementsAre("08:00-12:00"));
}

TEST(WorkCalendarLoadTest, ErrorNamesTheFilePathAndLine) {
  const std::filesystem::path dir = FreshDir("calendar_bad_file");
  WriteFile(dir / "cn-2024.cal", "year 2024\nholiday 2024-01-01 元旦\n");
  WriteFile(dir / "cn-2027.cal", "year 2027\n# comment\nworkday 2027-01-04 x\n");  // a Monday
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::LoadDirectory(dir.string());
  EXPECT_THAT(cal.status(),
              IsInvalidArgumentAt((dir / "cn-2027.cal").string() + ":3", "2027-01-04 is a Monday"));
}

TEST(WorkCalendarLoadTest, ConflictBetweenFilesNamesBothFiles) {
  const std::filesystem::path dir = FreshDir("calendar_conflict");
  WriteFile(dir / "a.cal", "year 2024\nholiday 2024-02-18 x\n");
  WriteFile(dir / "b.cal", "year 2024\nworkday 2024-02-18 y\n");
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::LoadDirectory(dir.string());
  EXPECT_EQ(cal.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(cal.status().message(),
              AllOf(HasSubstr("2024-02-18"), HasSubstr("a.cal:2"), HasSubstr("b.cal:2")));
}

// ---------------------------------------------------------------------------
// The shipped national calendars (国务院办公厅 notices).

class ShippedCalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cal = WorkCalendar::LoadDirectory(kCalendarDir);
    ASSERT_TRUE(cal.ok()) << cal.status();
    calendar_ = new WorkCalendar(*std::move(cal));
  }
  static void TearDownTestSuite() {
    delete calendar_;
    calendar_ = nullptr;
  }
  static const WorkCalendar& cal() { return *calendar_; }

  static int CountInYear(int year, DayKind kind) {
    int n = 0;
    for (absl::CivilDay d = Day(year, 1, 1); d.year() == year; ++d) n += cal().KindOf(d) == kind;
    return n;
  }
  static int WorkingDaysInYear(int year) {
    int n = 0;
    for (absl::CivilDay d = Day(year, 1, 1); d.year() == year; ++d) n += cal().IsWorkingDay(d);
    return n;
  }

  static WorkCalendar* calendar_;
};
WorkCalendar* ShippedCalendarTest::calendar_ = nullptr;

TEST_F(ShippedCalendarTest, EachFileParsesOnItsOwn) {
  for (const char* file : {"cn-2024.cal", "cn-2025.cal", "cn-2026.cal", "working-hours.cal"}) {
    const std::string path = absl::StrCat(kCalendarDir, "/", file);
    const std::string text = ReadFile(path);
    ASSERT_FALSE(text.empty()) << path;
    absl::StatusOr<WorkCalendar> one = WorkCalendar::Parse(text, path);
    EXPECT_TRUE(one.ok()) << one.status();
  }
}

TEST_F(ShippedCalendarTest, CoversExactly2024To2026) {
  EXPECT_THAT(cal().years(), ElementsAre(2024, 2025, 2026));
  EXPECT_FALSE(cal().Covers(2023));
  EXPECT_FALSE(cal().Covers(2027));
}

TEST_F(ShippedCalendarTest, WorkingHoursAreNineToFiveThirtyWithLunch) {
  EXPECT_THAT(Windows(cal()), ElementsAre("09:00-12:00", "13:30-17:30"));
}

TEST_F(ShippedCalendarTest, DaysNamedInTheBrief) {
  EXPECT_EQ(cal().KindOf(Day(2024, 2, 4)), DayKind::kMakeupWorkday);  // Sunday worked, 春节
  EXPECT_EQ(cal().KindOf(Day(2024, 2, 12)), DayKind::kHoliday);
  EXPECT_EQ(cal().HolidayName(Day(2024, 2, 12)), "春节");
  EXPECT_EQ(cal().KindOf(Day(2025, 1, 26)), DayKind::kMakeupWorkday);
  EXPECT_EQ(cal().KindOf(Day(2026, 2, 23)), DayKind::kHoliday);  // 正月初七, a Monday
  EXPECT_EQ(cal().HolidayName(Day(2026, 2, 23)), "春节");
}

TEST_F(ShippedCalendarTest, NewYearAndDragonBoatOf2024JoinPlainWeekends) {
  EXPECT_EQ(cal().HolidayName(Day(2024, 1, 1)), "元旦");
  EXPECT_EQ(cal().KindOf(Day(2023, 12, 31)), DayKind::kWeekend);  // 2023 is not shipped
  EXPECT_EQ(cal().HolidayName(Day(2024, 6, 10)), "端午节");
  EXPECT_EQ(cal().KindOf(Day(2024, 6, 8)), DayKind::kWeekend);
  EXPECT_EQ(cal().KindOf(Day(2024, 2, 9)), DayKind::kWorkday);  // 除夕 2024 is worked
}

// Every make-up workday of the three notices, and nothing else.
TEST_F(ShippedCalendarTest, MakeupWorkdaysAreExactlyThoseOfTheNotices) {
  const std::vector<absl::CivilDay> expected = {
      // 2024: 国办发明电〔2023〕7号
      Day(2024, 2, 4), Day(2024, 2, 18), Day(2024, 4, 7), Day(2024, 4, 28), Day(2024, 5, 11),
      Day(2024, 9, 14), Day(2024, 9, 29), Day(2024, 10, 12),
      // 2025: 国办发明电〔2024〕12号
      Day(2025, 1, 26), Day(2025, 2, 8), Day(2025, 4, 27), Day(2025, 9, 28), Day(2025, 10, 11),
      // 2026
      Day(2026, 1, 4), Day(2026, 2, 14), Day(2026, 2, 28), Day(2026, 5, 9), Day(2026, 9, 20),
      Day(2026, 10, 10)};
  std::vector<absl::CivilDay> found;
  for (absl::CivilDay d = Day(2024, 1, 1); d < Day(2027, 1, 1); ++d) {
    if (cal().KindOf(d) == DayKind::kMakeupWorkday) found.push_back(d);
  }
  EXPECT_EQ(found, expected);
}

TEST_F(ShippedCalendarTest, HolidayCountsMatchTheNotices) {
  // 2024: 1 + 8 + 3 + 5 + 1 + 3 + 7; 2025: 1 + 8 + 3 + 5 + 3 + 8; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7.
  EXPECT_EQ(CountInYear(2024, DayKind::kHoliday), 28);
  EXPECT_EQ(CountInYear(2025, DayKind::kHoliday), 28);
  EXPECT_EQ(CountInYear(2026, DayKind::kHoliday), 33);
}

// An independent check: make-up days exactly compensate the bridged days, so a
// year's working days are its weekdays minus its statutory holidays (11 days
// until 2024, 13 from 2025). Each of these years has 104 weekend days.
TEST_F(ShippedCalendarTest, WorkingDaysPerYearAreWeekdaysMinusStatutoryHolidays) {
  EXPECT_EQ(WorkingDaysInYear(2024), 366 - 104 - 11);  // 251
  EXPECT_EQ(WorkingDaysInYear(2025), 365 - 104 - 13);  // 248
  EXPECT_EQ(WorkingDaysInYear(2026), 365 - 104 - 13);  // 248
}

TEST_F(ShippedCalendarTest, HolidayRangesOfEachYear) {
  struct Range {
    absl::CivilDay first, last;
    const char* name;
  };
  const Range ranges[] = {
      {Day(2024, 2, 10), Day(2024, 2, 17), "春节"},
      {Day(2024, 4, 4), Day(2024, 4, 6), "清明节"},
      {Day(2024, 5, 1), Day(2024, 5, 5), "劳动节"},
      {Day(2024, 9, 15), Day(2024, 9, 17), "中秋节"},
      {Day(2024, 10, 1), Day(2024, 10, 7), "国庆节"},
      {Day(2025, 1, 1), Day(2025, 1, 1), "元旦"},
      {Day(2025, 1, 28), Day(2025, 2, 4), "春节"},
      {Day(2025, 4, 4), Day(2025, 4, 6), "清明节"},
      {Day(2025, 5, 1), Day(2025, 5, 5), "劳动节"},
      {Day(2025, 5, 31), Day(2025, 6, 2), "端午节"},
      {Day(2025, 10, 1), Day(2025, 10, 8), "国庆节、中秋节"},
      {Day(2026, 1, 1), Day(2026, 1, 3), "元旦"},
      {Day(2026, 2, 15), Day(2026, 2, 23), "春节"},
      {Day(2026, 4, 4), Day(2026, 4, 6), "清明节"},
      {Day(2026, 5, 1), Day(2026, 5, 5), "劳动节"},
      {Day(2026, 6, 19), Day(2026, 6, 21), "端午节"},
      {Day(2026, 9, 25), Day(2026, 9, 27), "中秋节"},
      {Day(2026, 10, 1), Day(2026, 10, 7), "国庆节"},
  };
  for (const Range& r : ranges) {
    EXPECT_NE(cal().KindOf(r.first - 1), DayKind::kHoliday) << r.name << " " << r.first;
    EXPECT_NE(cal().KindOf(r.last + 1), DayKind::kHoliday) << r.name << " " << r.last;
    for (absl::CivilDay d = r.first; d <= r.last; ++d) {
      EXPECT_EQ(cal().HolidayName(d), r.name) << d;
    }
  }
}

}  // namespace
}  // namespace rectify::domain
