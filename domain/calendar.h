// The work calendar: which days are worked (weekends, public holidays and the
// make-up workdays 调休 of the State Council's yearly notices) and the working
// hours of a working day. Loaded from data files that a city can edit.
//
//   RECTIFY_ASSIGN_OR_RETURN(WorkCalendar cal,
//                            WorkCalendar::LoadDirectory("data/calendars"));
//   cal.IsWorkingDay(absl::CivilDay(2024, 2, 18));  // true: a Sunday worked for 春节
//   cal.HolidayName(absl::CivilDay(2024, 2, 12));   // "春节"
//
// File format (line-based, UTF-8; `#` starts a comment, blank lines are ignored):
//
//   year 2024                                  # the year this file's days belong to
//   holiday 2024-01-01 元旦                     # a day off, with its name
//   holiday 2024-02-10..2024-02-17 春节         # an inclusive range
//   workday 2024-02-04 春节调休                  # a Saturday or Sunday that is worked
//   hours 09:00-12:00 13:30-17:30              # working windows, [start, end)
//
// Days nobody declared follow the week: Saturday and Sunday are weekends, the
// rest are workdays. A year no file covers therefore silently counts every
// weekday as worked; Covers() lets callers warn about that.
#ifndef RECTIFY_DOMAIN_CALENDAR_H_
#define RECTIFY_DOMAIN_CALENDAR_H_

#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace rectify::domain {

enum class DayKind {
  kWorkday,        // an ordinary Monday-Friday
  kWeekend,        // Saturday or Sunday, not declared otherwise
  kHoliday,        // a declared public holiday (may fall on a weekend)
  kMakeupWorkday,  // 调休: a declared Saturday or Sunday that is worked
};

// "workday", "weekend", "holiday" or "make-up workday".
absl::string_view DayKindName(DayKind kind);

// One working window of a working day, in minutes after local midnight:
// [start_minute, end_minute), 0 <= start < end <= 1440.
struct WorkingWindow {
  int start_minute;
  int end_minute;

  friend bool operator==(const WorkingWindow& a, const WorkingWindow& b) {
    return a.start_minute == b.start_minute && a.end_minute == b.end_minute;
  }
  friend bool operator!=(const WorkingWindow& a, const WorkingWindow& b) { return !(a == b); }
};

// "09:00-12:00".
std::string FormatWorkingWindow(const WorkingWindow& window);

// A set of declared days plus working hours. Immutable once built, except for
// Merge(); cheap to copy for the sizes involved (a few dozen days a year).
// Thread-compatible: const methods may be called concurrently.
class WorkCalendar {
 public:
  // A calendar with no declared days (Saturday and Sunday are weekends) and
  // the default working hours 09:00-12:00, 13:30-17:30.
  WorkCalendar();

  // Parses one file's text. `source` (e.g. the file path) prefixes every error.
  // Returns kInvalidArgument "<source>:<line>: <what is wrong>; <what would be
  // right>" for: an unknown keyword, a malformed or unreal date, a range that
  // ends before it starts, a day outside the file's `year`, a holiday or
  // workday before any `year` line, a second `year` or `hours` line, a
  // `workday` that is not a Saturday or Sunday, a day declared twice, a
  // holiday without a name, or malformed, unordered or overlapping hours.
  static absl::StatusOr<WorkCalendar> Parse(absl::string_view text, absl::string_view source);

  // Parses every regular file named *.cal in `dir`, in name order, and merges
  // them. Returns kNotFound if `dir` is missing, not a directory or holds no
  // *.cal file; kFailedPrecondition if a file cannot be read; otherwise the
  // first error of Parse() or Merge().
  static absl::StatusOr<WorkCalendar> LoadDirectory(const std::string& dir);

  // Adds `other`'s days, years and hours to this calendar. A day declared by
  // both with the same kind keeps this calendar's name. Returns
  // kInvalidArgument naming the day and both places if the kinds differ, or
  // if both declare different working hours; on error this calendar is
  // unchanged.
  absl::Status Merge(const WorkCalendar& other);

  // Declared days win; otherwise Saturday/Sunday → kWeekend, else kWorkday.
  DayKind KindOf(absl::CivilDay day) const;

  // True for kWorkday and kMakeupWorkday.
  bool IsWorkingDay(absl::CivilDay day) const;

  // True if some merged file declared `year <year>`.
  bool Covers(int year) const;

  // The declared years, ascending.
  std::vector<int> years() const { return {years_.begin(), years_.end()}; }

  // The working windows of every working day, ordered and non-overlapping;
  // the default 09:00-12:00, 13:30-17:30 unless a file declared `hours`.
  const std::vector<WorkingWindow>& working_hours() const { return hours_; }

  // The declared name of a holiday ("春节"); "" if `day` is not a holiday.
  std::string HolidayName(absl::CivilDay day) const;

  // The number of declared days (holidays plus make-up workdays).
  size_t declared_day_count() const { return days_.size(); }

 private:
  struct Declared {
    DayKind kind;
    std::string name;   // may be empty for make-up workdays
    std::string where;  // "<source>:<line>", for error messages
  };

  absl::flat_hash_map<absl::CivilDay, Declared> days_;
  std::set<int> years_;
  std::vector<WorkingWindow> hours_;
  std::string hours_where_;  // empty while hours_ is the default
};

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_CALENDAR_H_
