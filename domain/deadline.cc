#include "domain/deadline.h"

#include <algorithm>
#include <cstdint>

namespace rectify::domain {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

// Calls `f(start, end)` for each counted stretch of local `day`, in order, as
// offsets from its midnight, until `f` returns true. Returns whether it did.
// Natural hours never get here.
template <typename F>
bool ForEachStretch(const WorkCalendar& calendar, absl::CivilDay day, SlaUnit unit, F f) {
  if (!calendar.IsWorkingDay(day)) return false;
  if (unit == SlaUnit::kWorkingDays) return f(absl::ZeroDuration(), kDay);
  for (const WorkingWindow& w : calendar.working_hours()) {
    if (f(absl::Minutes(w.start_minute), absl::Minutes(w.end_minute))) return true;
  }
  return false;
}

}  // namespace

absl::Duration AllowedTime(const ServiceLevel& level) {
  return level.unit == SlaUnit::kWorkingDays ? kDay * level.amount : absl::Hours(level.amount);
}

DeadlineCalculator::DeadlineCalculator(const WorkCalendar& calendar, absl::TimeZone tz)
    : calendar_(calendar), tz_(tz) {}

DeadlineCalculator::Local DeadlineCalculator::ToLocal(absl::Time t) const {
  const absl::TimeZone::CivilInfo info = tz_.At(t);
  const absl::CivilDay day(info.cs);
  return Local{day, absl::Seconds(info.cs - absl::CivilSecond(day)) + info.subsecond};
}

absl::Time DeadlineCalculator::FromLocal(absl::CivilDay day, absl::Duration offset) const {
  absl::Duration subsecond;
  const int64_t seconds = absl::IDivDuration(offset, absl::Seconds(1), &subsecond);
  // .pre: a time in a DST gap lands after it, one in a repeated hour on its first pass.
  return tz_.At(absl::CivilSecond(day) + seconds).pre + subsecond;
}

absl::Time DeadlineCalculator::Advance(absl::Time start, absl::Duration amount,
                                       SlaUnit unit) const {
  if (amount <= absl::ZeroDuration()) return start;
  if (start == absl::InfiniteFuture() || start == absl::InfinitePast()) return start;
  if (amount == absl::InfiniteDuration()) return absl::InfiniteFuture();
  if (unit == SlaUnit::kNaturalHours) return start + amount;

  const Local local = ToLocal(start);
  absl::CivilDay day = local.day;
  absl::Duration from = local.offset;  // counting starts here within `day`
  absl::Duration remaining = amount;
  absl::Duration result;
  // Uses up `remaining` along one stretch; true once it is all used.
  auto consume = [&](absl::Duration s, absl::Duration e) {
    if (e <= from) return false;
    const absl::Duration begin = std::max(s, from);
    if (e - begin >= remaining) {  // >=: end at a stretch's end, not the next one's start
      result = begin + remaining;
      return true;
    }
    remaining -= e - begin;
    return false;
  };
  // Terminates: every undeclared Monday-Friday is a working day with at least
  // one non-empty stretch, and only finitely many days are declared.
  while (!ForEachStretch(calendar_, day, unit, consume)) {
    ++day;
    from = absl::ZeroDuration();
  }
  // max: in a DST repeated hour the wall clock can map to before `start`.
  return std::max(start, FromLocal(day, result));
}

absl::Duration DeadlineCalculator::Counted(absl::Time from, absl::Time to, SlaUnit unit) const {
  if (to <= from) return absl::ZeroDuration();
  if (unit == SlaUnit::kNaturalHours) return to - from;
  if (to == absl::InfiniteFuture() || from == absl::InfinitePast()) {
    return absl::InfiniteDuration();
  }

  const Local a = ToLocal(from);
  const Local b = ToLocal(to);
  absl::Duration total;
  for (absl::CivilDay day = a.day; day <= b.day; ++day) {
    const absl::Duration lo = day == a.day ? a.offset : absl::ZeroDuration();
    const absl::Duration hi = day == b.day ? b.offset : kDay;
    ForEachStretch(calendar_, day, unit, [&](absl::Duration s, absl::Duration e) {
      // Empty when a DST fall-back makes `to`'s wall clock read earlier than `from`'s.
      const absl::Duration begin = std::max(s, lo), end = std::min(e, hi);
      if (end > begin) total += end - begin;
      return false;
    });
  }
  return total;
}

absl::Time DeadlineCalculator::Deadline(absl::Time start, const ServiceLevel& level) const {
  return Advance(start, AllowedTime(level), level.unit);
}

absl::Time DeadlineCalculator::ResumeDeadline(absl::Time deadline, absl::Time suspended_at,
                                              absl::Time resumed_at, SlaUnit unit) const {
  if (suspended_at >= deadline) return deadline;
  const absl::Duration left = Counted(suspended_at, deadline, unit);
  return Advance(std::max(resumed_at, suspended_at), left, unit);
}

}  // namespace rectify::domain
