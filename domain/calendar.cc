#include "domain/calendar.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "domain/text_lines.h"

namespace rectify::domain {
namespace {

const std::vector<WorkingWindow>& DefaultHours() {
  static const auto* const kDefault =
      new std::vector<WorkingWindow>{{9 * 60, 12 * 60}, {13 * 60 + 30, 17 * 60 + 30}};
  return *kDefault;
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

absl::string_view WeekdayName(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return "Monday";
    case absl::Weekday::tuesday:
      return "Tuesday";
    case absl::Weekday::wednesday:
      return "Wednesday";
    case absl::Weekday::thursday:
      return "Thursday";
    case absl::Weekday::friday:
      return "Friday";
    case absl::Weekday::saturday:
      return "Saturday";
    case absl::Weekday::sunday:
      return "Sunday";
  }
  return "?";
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Strict YYYY-MM-DD that names a real day (no normalisation of 2024-02-30).
std::optional<absl::CivilDay> ParseDate(absl::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const absl::string_view y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  const int year = ToInt(y), month = ToInt(m), dom = ToInt(d);
  const absl::CivilDay day(year, month, dom);
  if (day.year() != year || day.month() != month || day.day() != dom) return std::nullopt;
  return day;
}

// Strict HH:MM, 00:00..24:00; returns minutes after midnight.
std::optional<int> ParseClock(absl::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  const absl::string_view h = s.substr(0, 2), m = s.substr(3, 2);
  if (!AllDigits(h) || !AllDigits(m)) return std::nullopt;
  const int hour = ToInt(h), minute = ToInt(m);
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
  return hour * 60 + minute;
}

std::string FormatClock(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

std::string FormatHours(const std::vector<WorkingWindow>& hours) {
  return absl::StrJoin(hours, " ", [](std::string* out, const WorkingWindow& w) {
    absl::StrAppend(out, FormatWorkingWindow(w));
  });
}

}  // namespace

absl::string_view DayKindName(DayKind kind) {
  switch (kind) {
    case DayKind::kWorkday:
      return "workday";
    case DayKind::kWeekend:
      return "weekend";
    case DayKind::kHoliday:
      return "holiday";
    case DayKind::kMakeupWorkday:
      return "make-up workday";
  }
  return "?";
}

std::string FormatWorkingWindow(const WorkingWindow& window) {
  return absl::StrCat(FormatClock(window.start_minute), "-", FormatClock(window.end_minute));
}

WorkCalendar::WorkCalendar() : hours_(DefaultHours()) {}

absl::StatusOr<WorkCalendar> WorkCalendar::Parse(absl::string_view text, absl::string_view source) {
  WorkCalendar cal;
  std::optional<int> year;  // this file's `year`
  int year_line = 0;

  for (const DataLine& line : DataLines(text)) {
    absl::string_view rest = line.text;
    const std::string where = absl::StrCat(source, ":", line.number);
    auto error = [&where](auto&&... parts) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", parts...));
    };
    const absl::string_view keyword = NextToken(&rest);

    if (keyword == "year") {
      const absl::string_view value = NextToken(&rest);
      if (year.has_value()) {
        return error("second 'year' line (the first is at line ", year_line,
                     "); one file holds one year, put other years in their own file");
      }
      if (value.size() != 4 || !AllDigits(value) || !absl::StripAsciiWhitespace(rest).empty()) {
        return error("'year' needs one four-digit year, e.g. 'year 2024'; got '", line.text, "'");
      }
      year = ToInt(value);
      year_line = line.number;
      cal.years_.insert(*year);
      continue;
    }

    if (keyword == "holiday" || keyword == "workday") {
      const bool holiday = keyword == "holiday";
      const absl::string_view dates = NextToken(&rest);
      const std::string name(absl::StripAsciiWhitespace(rest));
      if (!year.has_value()) {
        return error("'", keyword, "' before any 'year' line; start the file with 'year YYYY'");
      }
      if (dates.empty()) {
        return error("'", keyword, "' needs a date or range, e.g. '", keyword, " ", *year,
                     "-10-01..", *year, "-10-07 国庆节'");
      }
      absl::string_view first_text = dates, last_text = dates;
      if (const size_t dots = dates.find(".."); dots != absl::string_view::npos) {
        first_text = dates.substr(0, dots);
        last_text = dates.substr(dots + 2);
      }
      const std::optional<absl::CivilDay> first = ParseDate(first_text);
      if (!first.has_value()) {
        return error("date '", first_text, "' is not a real date; expected YYYY-MM-DD");
      }
      const std::optional<absl::CivilDay> last = ParseDate(last_text);
      if (!last.has_value()) {
        return error("date '", last_text, "' is not a real date; expected YYYY-MM-DD");
      }
      if (*last < *first) {
        return error("range '", dates, "' ends before it starts; write the earlier date first");
      }
      for (absl::CivilDay d : {*first, *last}) {
        if (d.year() != *year) {
          return error("date ", FormatDay(d), " is outside this file's 'year ", *year, "' (line ",
                       year_line, "); put it in the file for ", d.year());
        }
      }
      if (holiday && name.empty()) {
        return error("holiday ", dates, " has no name; write it after the date, e.g. 'holiday ",
                     dates, " 春节'");
      }
      for (absl::CivilDay d = *first; d <= *last; ++d) {
        if (!holiday && !IsWeekend(d)) {
          return error("workday ", FormatDay(d), " is a ", WeekdayName(d),
                       "; a make-up workday (调休) must fall on a Saturday or Sunday "
                       "(weekdays are worked anyway)");
        }
        auto [it, inserted] = cal.days_.try_emplace(
            d, Declared{holiday ? DayKind::kHoliday : DayKind::kMakeupWorkday, name, where});
        if (!inserted) {
          return error(FormatDay(d), " is already declared as ", DayKindName(it->second.kind),
                       " at ", it->second.where, "; declare each day once");
        }
      }
      continue;
    }

    if (keyword == "hours") {
      if (!cal.hours_where_.empty()) {
        return error("second 'hours' line (the first is at ", cal.hours_where_,
                     "); list every window on one line, e.g. 'hours 09:00-12:00 13:30-17:30'");
      }
      std::vector<WorkingWindow> hours;
      for (absl::string_view token = NextToken(&rest); !token.empty(); token = NextToken(&rest)) {
        const size_t dash = token.find('-');
        std::optional<int> start, end;
        if (dash != absl::string_view::npos) {
          start = ParseClock(token.substr(0, dash));
          end = ParseClock(token.substr(dash + 1));
        }
        if (!start.has_value() || !end.has_value()) {
          return error("working window '", token,
                       "' is malformed; expected HH:MM-HH:MM between 00:00 and 24:00, "
                       "e.g. 09:00-12:00");
        }
        if (*start >= *end) {
          return error("working window '", token, "' ends before it starts; expected start < end");
        }
        if (!hours.empty() && *start < hours.back().end_minute) {
          return error("working window '", token, "' overlaps or precedes ",
                       FormatWorkingWindow(hours.back()),
                       "; list windows in time order without overlap");
        }
        hours.push_back({*start, *end});
      }
      if (hours.empty()) {
        return error("'hours' needs at least one window, e.g. 'hours 09:00-12:00 13:30-17:30'");
      }
      cal.hours_ = std::move(hours);
      cal.hours_where_ = where;
      continue;
    }

    return error("unknown keyword '", keyword, "'; expected year, holiday, workday or hours");
  }
  return cal;
}

absl::StatusOr<WorkCalendar> WorkCalendar::LoadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("calendar directory '", dir, "' does not exist or is not a directory"));
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".cal" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot list calendar directory '", dir, "': ", ec.message()));
  }
  if (files.empty()) {
    return absl::NotFoundError(absl::StrCat("calendar directory '", dir,
                                            "' holds no *.cal file; expected e.g. cn-2024.cal"));
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });

  WorkCalendar merged;
  for (const fs::path& file : files) {
    const std::string path = file.string();
    absl::StatusOr<std::string> text = common::ReadFileToString(path, "calendar file");
    if (absl::IsNotFound(text.status())) {  // listed a moment ago: gone or replaced since
      return absl::FailedPreconditionError(text.status().message());
    }
    RECTIFY_RETURN_IF_ERROR(text.status());
    RECTIFY_ASSIGN_OR_RETURN(const WorkCalendar cal, Parse(*text, path));
    RECTIFY_RETURN_IF_ERROR(merged.Merge(cal));
  }
  return merged;
}

absl::Status WorkCalendar::Merge(const WorkCalendar& other) {
  // Check everything first so that a failed merge leaves *this unchanged.
  for (const auto& [day, theirs] : other.days_) {
    auto it = days_.find(day);
    if (it != days_.end() && it->second.kind != theirs.kind) {
      return absl::InvalidArgumentError(
          absl::StrCat(FormatDay(day), " is declared as ", DayKindName(it->second.kind), " at ",
                       it->second.where, " and as ", DayKindName(theirs.kind), " at ", theirs.where,
                       "; keep one of them"));
    }
  }
  const bool take_hours = !other.hours_where_.empty();
  if (take_hours && !hours_where_.empty() && hours_ != other.hours_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "working hours declared twice: '", FormatHours(hours_), "' at ", hours_where_, " and '",
        FormatHours(other.hours_), "' at ", other.hours_where_, "; keep one 'hours' line"));
  }
  for (const auto& [day, theirs] : other.days_) days_.try_emplace(day, theirs);
  years_.insert(other.years_.begin(), other.years_.end());
  if (take_hours && hours_where_.empty()) {
    hours_ = other.hours_;
    hours_where_ = other.hours_where_;
  }
  return absl::OkStatus();
}

DayKind WorkCalendar::KindOf(absl::CivilDay day) const {
  if (auto it = days_.find(day); it != days_.end()) return it->second.kind;
  return IsWeekend(day) ? DayKind::kWeekend : DayKind::kWorkday;
}

bool WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  const DayKind kind = KindOf(day);
  return kind == DayKind::kWorkday || kind == DayKind::kMakeupWorkday;
}

bool WorkCalendar::Covers(int year) const { return years_.count(year) > 0; }

std::string WorkCalendar::HolidayName(absl::CivilDay day) const {
  auto it = days_.find(day);
  if (it == days_.end() || it->second.kind != DayKind::kHoliday) return "";
  return it->second.name;
}

}  // namespace rectify::domain
