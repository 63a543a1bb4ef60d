// Deadline arithmetic: turns a start instant and a service level into a
// deadline in the campaign's time zone, measures counted time between two
// instants (for "overdue by N working days") and re-advances a deadline after
// a suspension (挂账) paused the clock. Never reads the clock: instants are passed in.
//
//   DeadlineCalculator calc(calendar, campaign_tz);  // e.g. Asia/Shanghai
//   absl::Time due = calc.Deadline(dispatched_at, level);  // 3 working_days → …
//   absl::Duration late = calc.Counted(due, now, SlaUnit::kWorkingDays);
//   due = calc.ResumeDeadline(due, suspended_at, resumed_at, level.unit);
//
// Counted time, per unit:
//   kNaturalHours  every instant (absolute time; a DST day has 23 or 25 hours);
//   kWorkingHours  local wall-clock time inside the calendar's working windows
//                  of working days (09:00-12:00 and 13:30-17:30 by default);
//   kWorkingDays   local wall-clock time on working days: each working day
//                  counts exactly 24 hours, even a 23- or 25-hour DST day, so
//                  "N working days" always ends at the same local time of day.
// Working units are counted on the local wall clock and converted back to an
// instant with the time zone: a result that falls in a DST gap moves forward
// by the gap; one in a repeated hour takes the earlier instant.
//
// Examples, 3 working days, no holidays: from Monday 10:00 → Thursday 10:00;
// from Friday 16:00 → Wednesday 16:00; from Saturday 11:00 → Thursday 00:00
// (Wednesday 24:00), since counting starts on the next working day.
#ifndef RECTIFY_DOMAIN_DEADLINE_H_
#define RECTIFY_DOMAIN_DEADLINE_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/calendar.h"
#include "domain/service_level.h"

namespace rectify::domain {

// The counted time a service level allows: amount hours for the hour units,
// amount × 24 hours for kWorkingDays.
absl::Duration AllowedTime(const ServiceLevel& level);

// Stateless beyond its inputs; thread-compatible (const methods may run
// concurrently as long as the calendar is not mutated).
class DeadlineCalculator {
 public:
  // Keeps a reference to `calendar`, which must outlive this object.
  DeadlineCalculator(const WorkCalendar& calendar, absl::TimeZone tz);

  // The earliest instant at which `amount` of counted time has elapsed since
  // `start`. A non-positive amount returns `start`; an infinite amount or
  // start returns absl::InfiniteFuture() (or `start` if it is infinite).
  // Walks day by day: O(calendar days spanned), e.g. ~42 steps for 30
  // working days, each a hash lookup.
  absl::Time Advance(absl::Time start, absl::Duration amount, SlaUnit unit) const;

  // Counted time in [from, to); zero if to <= from. For every `b` inside
  // counted time (not at the very start of a counted stretch) and every
  // a <= b: Advance(a, Counted(a, b, u), u) == b.
  absl::Duration Counted(absl::Time from, absl::Time to, SlaUnit unit) const;

  // Advance(start, AllowedTime(level), level.unit).
  absl::Time Deadline(absl::Time start, const ServiceLevel& level) const;

  // The clock paused from `suspended_at` to `resumed_at`: the counted time
  // that was left at `suspended_at` before `deadline` is re-advanced from
  // `resumed_at`. Returns the new deadline. A task already overdue when
  // suspended keeps its `deadline` (a pause forgives nothing); a
  // `resumed_at` earlier than `suspended_at` is treated as `suspended_at`.
  absl::Time ResumeDeadline(absl::Time deadline, absl::Time suspended_at, absl::Time resumed_at,
                            SlaUnit unit) const;

  const absl::TimeZone& time_zone() const { return tz_; }

 private:
  // A local wall-clock time: a civil day and the time since its midnight,
  // in [0, 24h), sub-second precision kept.
  struct Local {
    absl::CivilDay day;
    absl::Duration offset;
  };

  Local ToLocal(absl::Time t) const;
  // `offset` may be 24h (the next day's midnight).
  absl::Time FromLocal(absl::CivilDay day, absl::Duration offset) const;

  const WorkCalendar& calendar_;
  absl::TimeZone tz_;
};

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_DEADLINE_H_
