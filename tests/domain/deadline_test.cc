// Tests for domain/deadline.h. Every expected instant is worked out by hand in
// a comment: "Fri 14h" means the counted time Friday contributes.
#include "domain/deadline.h"

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

constexpr char kCalendarDir[] = RECTIFY_SOURCE_DIR "/data/calendars";

// Asia/Shanghai has kept UTC+8 without DST since 1991, so a fixed zone is an
// exact stand-in where the tz database is missing.
absl::TimeZone Shanghai() {
  absl::TimeZone tz;
  if (absl::LoadTimeZone("Asia/Shanghai", &tz)) return tz;
  return absl::FixedTimeZone(8 * 60 * 60);
}

WorkCalendar ShippedCalendar() {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::LoadDirectory(kCalendarDir);
  EXPECT_TRUE(cal.ok()) << cal.status();
  return cal.ok() ? *std::move(cal) : WorkCalendar();
}

WorkCalendar ParseOrDie(const std::string& text) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Parse(text, "test.cal");
  EXPECT_TRUE(cal.ok()) << cal.status();
  return cal.ok() ? *std::move(cal) : WorkCalendar();
}

std::string Local(absl::Time t, absl::TimeZone tz) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %a %Z", t, tz);
}

// Fixture: Asia/Shanghai, either the shipped calendar (holidays of 2024-2026)
// or, for plain-week arithmetic, an empty one (weekends only).
class DeadlineTest : public ::testing::Test {
 protected:
  DeadlineTest()
      : tz_(Shanghai()),
        shipped_(ShippedCalendar()),
        calc_(shipped_, tz_),
        plain_calc_(plain_, tz_) {}

  absl::Time At(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) const {
    return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), tz_);
  }
  std::string L(absl::Time t) const { return Local(t, tz_); }

  absl::TimeZone tz_;
  WorkCalendar shipped_;
  WorkCalendar plain_;
  DeadlineCalculator calc_;
  DeadlineCalculator plain_calc_;
};

constexpr absl::Duration kDay = absl::Hours(24);
constexpr SlaUnit kDays = SlaUnit::kWorkingDays;
constexpr SlaUnit kHours = SlaUnit::kWorkingHours;
constexpr SlaUnit kNatural = SlaUnit::kNaturalHours;

// ---------------------------------------------------------------------------
// Working days across plain weekends (March 2024 has no holiday; 03-04 is a Monday).

TEST_F(DeadlineTest, ThreeWorkingDaysFromMondayEndThursdaySameTime) {
  // Mon 14h + Tue 24h + Wed 24h = 62h; Thu 10h more → Thu 10:00.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4, 10), 3 * kDay, kDays)), L(At(2024, 3, 7, 10)));
}

TEST_F(DeadlineTest, ThreeWorkingDaysFromFridaySkipWeekend) {
  // Fri 8h, Sat/Sun 0, Mon 24h, Tue 24h = 56h; Wed 16h more → Wed 16:00.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 8, 16), 3 * kDay, kDays)), L(At(2024, 3, 13, 16)));
}

TEST_F(DeadlineTest, ThreeWorkingDaysFromSaturdayStartCountingOnMonday) {
  // Sat/Sun 0, Mon + Tue + Wed = 72h → Wed 24:00 = Thu 00:00.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 9, 11), 3 * kDay, kDays)), L(At(2024, 3, 14, 0)));
}

TEST_F(DeadlineTest, OneWorkingDayFromMidnightEndsAtTheNextMidnight) {
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4), kDay, kDays)), L(At(2024, 3, 5)));
  // From Friday 00:00 the next midnight is Saturday's, not Monday's: the
  // deadline is the earliest instant the time is used up.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 8), kDay, kDays)), L(At(2024, 3, 9)));
}

TEST_F(DeadlineTest, ZeroOrNegativeAmountReturnsTheStart) {
  const absl::Time sat = At(2024, 3, 9, 11);
  EXPECT_EQ(plain_calc_.Advance(sat, absl::ZeroDuration(), kDays), sat);
  EXPECT_EQ(plain_calc_.Advance(sat, -kDay, kHours), sat);
  EXPECT_EQ(plain_calc_.Advance(sat, -kDay, kNatural), sat);
}

TEST_F(DeadlineTest, InfiniteInputsStayInfinite) {
  EXPECT_EQ(plain_calc_.Advance(At(2024, 3, 4), absl::InfiniteDuration(), kDays),
            absl::InfiniteFuture());
  EXPECT_EQ(plain_calc_.Advance(absl::InfiniteFuture(), kDay, kHours), absl::InfiniteFuture());
  EXPECT_EQ(plain_calc_.Counted(At(2024, 3, 4), absl::InfiniteFuture(), kDays),
            absl::InfiniteDuration());
}

TEST_F(DeadlineTest, SubSecondPrecisionIsKept) {
  const absl::Time start = At(2024, 3, 4, 10) + absl::Milliseconds(250);
  EXPECT_EQ(plain_calc_.Advance(start, 3 * kDay, kDays),
            At(2024, 3, 7, 10) + absl::Milliseconds(250));
  EXPECT_EQ(plain_calc_.Advance(start, absl::Microseconds(1), kHours),
            start + absl::Microseconds(1));
}

// ---------------------------------------------------------------------------
// Holidays and make-up workdays (shipped calendar).

TEST_F(DeadlineTest, ThreeWorkingDaysAcrossSpringFestival2024) {
  // Thu 02-08 14h; Fri 02-09 (除夕, worked) 24h = 38h; 02-10..17 holiday;
  // Sun 02-18 make-up 24h = 62h; Mon 02-19 10h → Mon 02-19 10:00.
  EXPECT_EQ(L(calc_.Advance(At(2024, 2, 8, 10), 3 * kDay, kDays)), L(At(2024, 2, 19, 10)));
}

TEST_F(DeadlineTest, MakeupSundayCountsAsAWorkingDay) {
  // Fri 02-02 14h; Sat 02-03 weekend; Sun 02-04 make-up 10h → Sun 02-04 10:00.
  EXPECT_EQ(L(calc_.Advance(At(2024, 2, 2, 10), kDay, kDays)), L(At(2024, 2, 4, 10)));
  // Without the calendar the same Sunday is a weekend: Mon 02-05 10:00.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 2, 2, 10), kDay, kDays)), L(At(2024, 2, 5, 10)));
}

TEST_F(DeadlineTest, StartDuringAHolidayCountsFromTheNextWorkingDay) {
  // Mon 02-12 is 春节; next working day is the make-up Sunday 02-18: one day → Mon 02-19 00:00.
  EXPECT_EQ(L(calc_.Advance(At(2024, 2, 12, 10), kDay, kDays)), L(At(2024, 2, 19)));
}

TEST_F(DeadlineTest, TwoWorkingDaysAcrossNationalDay2024) {
  // Mon 09-30 14h; 10-01..07 holiday; Tue 10-08 24h = 38h; Wed 10-09 10h → Wed 10-09 10:00.
  EXPECT_EQ(L(calc_.Advance(At(2024, 9, 30, 10), 2 * kDay, kDays)), L(At(2024, 10, 9, 10)));
}

TEST_F(DeadlineTest, ThreeWorkingDaysAcrossSpringFestival2025) {
  // Fri 01-24 15h; Sat 01-25 weekend; Sun 01-26 make-up 24h = 39h; Mon 01-27 24h = 63h;
  // 01-28..02-04 holiday; Wed 02-05 9h → Wed 02-05 09:00.
  EXPECT_EQ(L(calc_.Advance(At(2025, 1, 24, 9), 3 * kDay, kDays)), L(At(2025, 2, 5, 9)));
}

TEST_F(DeadlineTest, TwoWorkingDaysAcrossNewYear2026) {
  // Wed 2025-12-31 14h; 2026-01-01..03 holiday; Sun 01-04 make-up 24h = 38h;
  // Mon 01-05 10h → 2026-01-05 10:00.
  EXPECT_EQ(L(calc_.Advance(At(2025, 12, 31, 10), 2 * kDay, kDays)), L(At(2026, 1, 5, 10)));
}

TEST_F(DeadlineTest, ThirtyWorkingDaysAcrossNationalDay2024) {
  // Working days from Mon 09-23: 09-23..27 (5), Sun 09-29 make-up (6), Mon 09-30 (7),
  // 10-01..07 holiday, 10-08..11 (11), Sat 10-12 make-up (12), 10-14..18 (17),
  // 10-21..25 (22), 10-28..11-01 (27), 11-04, 05, 06 (30) → end of Wed 11-06.
  EXPECT_EQ(L(calc_.Advance(At(2024, 9, 23), 30 * kDay, kDays)), L(At(2024, 11, 7)));
}

TEST_F(DeadlineTest, TenThousandWorkingDaysRoundTrip) {
  // Far beyond the shipped years (weekends only there): must finish quickly and
  // stay exact. 10000 working days ≈ 2000 weeks ≈ 38 years.
  const absl::Time start = At(2024, 3, 4, 10);
  const absl::Time end = calc_.Advance(start, 10000 * kDay, kDays);
  EXPECT_GT(end, At(2062, 1, 1));
  EXPECT_LT(end, At(2063, 1, 1));
  EXPECT_EQ(calc_.Counted(start, end, kDays), 10000 * kDay);
}

// ---------------------------------------------------------------------------
// Working hours: 09:00-12:00 and 13:30-17:30, 7 hours a day.

TEST_F(DeadlineTest, WorkingHoursSkipTheLunchBreak) {
  // Mon 11:00-12:00 1h; 13:30-14:30 1h → Mon 14:30.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4, 11), absl::Hours(2), kHours)),
            L(At(2024, 3, 4, 14, 30)));
}

TEST_F(DeadlineTest, WorkingHoursStartedDuringLunchBeginAtOneThirty) {
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4, 12, 30), absl::Hours(1), kHours)),
            L(At(2024, 3, 4, 14, 30)));
}

TEST_F(DeadlineTest, WorkingHoursContinueNextMorning) {
  // Mon 16:30-17:30 1h; Tue 09:00-10:00 1h → Tue 10:00.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4, 16, 30), absl::Hours(2), kHours)),
            L(At(2024, 3, 5, 10)));
}

TEST_F(DeadlineTest, WorkingHoursEndAtTheEndOfAWindowNotTheStartOfTheNext) {
  // Mon 07:00 → 09:00-12:00 is 3h → Mon 12:00 (not 13:30).
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4, 7), absl::Hours(3), kHours)),
            L(At(2024, 3, 4, 12)));
  // A whole day is 7h: 09:00 + 7h → 17:30 the same day.
  EXPECT_EQ(L(plain_calc_.Advance(At(2024, 3, 4, 9), absl::Hours(7), kHours)),
            L(At(2024, 3, 4, 17, 30)));
}

TEST_F(DeadlineTest, UrgentRepairDispatchedFridayEveningIsDueTuesdayMorning) {
  // urgent_repair: 8 working hours. Fri 20:00 0h; Sat/Sun 0; Mon 3h + 4h = 7h;
  // Tue 09:00-10:00 1h → Tue 03-12 10:00.
  const ServiceLevel repair{"urgent_repair", 8, kHours, "紧急维修"};
  EXPECT_EQ(L(plain_calc_.Deadline(At(2024, 3, 8, 20), repair)), L(At(2024, 3, 12, 10)));
}

TEST_F(DeadlineTest, WorkingHoursSkipHolidaysAndUseMakeupDays) {
  // Fri 2024-02-09 17:00-17:30 0.5h; 02-10..17 holiday; Sun 02-18 make-up
  // 09:00-10:30 1.5h → Sun 02-18 10:30.
  EXPECT_EQ(L(calc_.Advance(At(2024, 2, 9, 17), absl::Hours(2), kHours)),
            L(At(2024, 2, 18, 10, 30)));
}

TEST_F(DeadlineTest, CustomWorkingHoursAreUsed) {
  const WorkCalendar cal = ParseOrDie("hours 08:00-12:00 14:00-18:00\n");
  const DeadlineCalculator calc(cal, tz_);
  // Mon 11:00-12:00 1h; 14:00-16:00 2h → Mon 16:00.
  EXPECT_EQ(L(calc.Advance(At(2024, 3, 4, 11), absl::Hours(3), kHours)), L(At(2024, 3, 4, 16)));
}

// ---------------------------------------------------------------------------
// Natural hours: every hour counts.

TEST_F(DeadlineTest, NaturalHoursIgnoreWeekendsAndHolidays) {
  const ServiceLevel hazard{"safety_hazard", 24, kNatural, "安全隐患"};
  // Fri 20:00 + 24h → Sat 20:00.
  EXPECT_EQ(L(calc_.Deadline(At(2024, 3, 8, 20), hazard)), L(At(2024, 3, 9, 20)));
  // 除夕 2024-02-09 18:00 + 24h → 02-10 (春节) 18:00.
  EXPECT_EQ(L(calc_.Deadline(At(2024, 2, 9, 18), hazard)), L(At(2024, 2, 10, 18)));
}

// ---------------------------------------------------------------------------
// Deadline() with service levels.

TEST_F(DeadlineTest, DeadlineConvertsWorkingDaysToTwentyFourHoursEach) {
  const ServiceLevel sanitation{"sanitation", 3, kDays, "环境卫生"};
  EXPECT_EQ(AllowedTime(sanitation), absl::Hours(72));
  EXPECT_EQ(AllowedTime(ServiceLevel{"x", 8, kHours, ""}), absl::Hours(8));
  EXPECT_EQ(AllowedTime(ServiceLevel{"x", 24, kNatural, ""}), absl::Hours(24));
  // Same as ThreeWorkingDaysAcrossSpringFestival2024.
  EXPECT_EQ(L(calc_.Deadline(At(2024, 2, 8, 10), sanitation)), L(At(2024, 2, 19, 10)));
}

TEST_F(DeadlineTest, TwentyWorkingDaysForInfrastructureAcrossLabourDay2024) {
  // Working days from Mon 2024-04-15 10:00 (counting each as "one more"): 04-15 is day 0 at
  // 10:00. Days ending at 10:00: 04-16 (1), 17 (2), 18 (3), 19 (4), 22 (5), 23 (6), 24 (7),
  // 25 (8), 26 (9), Sun 04-28 make-up (10), 29 (11), 30 (12), 05-01..05 holiday,
  // 05-06 (13), 07 (14), 08 (15), 09 (16), 10 (17), Sat 05-11 make-up (18), 13 (19),
  // 14 (20) → Tue 05-14 10:00.
  const ServiceLevel infra{"infrastructure", 20, kDays, "基础设施和房屋本体"};
  EXPECT_EQ(L(calc_.Deadline(At(2024, 4, 15, 10), infra)), L(At(2024, 5, 14, 10)));
}

// ---------------------------------------------------------------------------
// Counted.

TEST_F(DeadlineTest, CountedIsZeroWhenToIsNotAfterFrom) {
  EXPECT_EQ(calc_.Counted(At(2024, 3, 7), At(2024, 3, 4), kDays), absl::ZeroDuration());
  EXPECT_EQ(calc_.Counted(At(2024, 3, 4), At(2024, 3, 4), kHours), absl::ZeroDuration());
  EXPECT_EQ(calc_.Counted(At(2024, 3, 7), At(2024, 3, 4), kNatural), absl::ZeroDuration());
}

TEST_F(DeadlineTest, CountedOverAWeekendOrHolidayIsZero) {
  EXPECT_EQ(calc_.Counted(At(2024, 3, 9, 8), At(2024, 3, 10, 20), kDays), absl::ZeroDuration());
  EXPECT_EQ(calc_.Counted(At(2024, 10, 1), At(2024, 10, 8), kDays), absl::ZeroDuration());
  EXPECT_EQ(calc_.Counted(At(2024, 10, 1), At(2024, 10, 8), kNatural), 7 * kDay);
}

TEST_F(DeadlineTest, CountedMeasuresWorkingTime) {
  // Mon 10:00 → Thu 10:00: 14 + 24 + 24 + 10 = 72h.
  EXPECT_EQ(calc_.Counted(At(2024, 3, 4, 10), At(2024, 3, 7, 10), kDays), absl::Hours(72));
  // Spring Festival: 02-08 10:00 → 02-19 10:00 is 3 working days.
  EXPECT_EQ(calc_.Counted(At(2024, 2, 8, 10), At(2024, 2, 19, 10), kDays), absl::Hours(72));
  // Mon 08:00 → 18:00: the two windows, 7h.
  EXPECT_EQ(calc_.Counted(At(2024, 3, 4, 8), At(2024, 3, 4, 18), kHours), absl::Hours(7));
  // Mon 10:00 → Mon 14:00: 10:00-12:00 and 13:30-14:00 = 2.5h.
  EXPECT_EQ(calc_.Counted(At(2024, 3, 4, 10), At(2024, 3, 4, 14), kHours), absl::Minutes(150));
  // Whole working week of March 2024: 5 × 7h.
  EXPECT_EQ(calc_.Counted(At(2024, 3, 4), At(2024, 3, 11), kHours), absl::Hours(35));
}

TEST_F(DeadlineTest, OverdueByWorkingDays) {
  // Due Wed 03-06 10:00, now Mon 03-11 16:00: Wed 14h + Thu 24 + Fri 24 + Mon 16 = 78h.
  EXPECT_EQ(calc_.Counted(At(2024, 3, 6, 10), At(2024, 3, 11, 16), kDays), absl::Hours(78));
}

// ---------------------------------------------------------------------------
// ResumeDeadline: the clock pauses while a task is suspended (挂账).

TEST_F(DeadlineTest, SuspendedMondayWithTwoDaysLeftResumedNextMondayGetsTwoMoreDays) {
  // Dispatched Fri 03-01 10:00, 3 working days: Fri 14h + Mon 24 + Tue 24 = 62h,
  // Wed 10h → due Wed 03-06 10:00.
  const absl::Time due = calc_.Advance(At(2024, 3, 1, 10), 3 * kDay, kDays);
  ASSERT_EQ(L(due), L(At(2024, 3, 6, 10)));
  // Suspended Mon 03-04 10:00: Mon 14h + Tue 24h + Wed 10h = 48h = 2 working days left.
  ASSERT_EQ(calc_.Counted(At(2024, 3, 4, 10), due, kDays), 2 * kDay);
  // Resumed Mon 03-11 10:00: + 2 working days → Wed 03-13 10:00.
  EXPECT_EQ(L(calc_.ResumeDeadline(due, At(2024, 3, 4, 10), At(2024, 3, 11, 10), kDays)),
            L(At(2024, 3, 13, 10)));
}

TEST_F(DeadlineTest, ResumedOnAWeekendCountsFromMonday) {
  // 48h left (as above); resumed Sat 03-09 15:00 → Mon + Tue → Wed 03-13 00:00.
  EXPECT_EQ(
      L(calc_.ResumeDeadline(At(2024, 3, 6, 10), At(2024, 3, 4, 10), At(2024, 3, 9, 15), kDays)),
      L(At(2024, 3, 13)));
}

TEST_F(DeadlineTest, ResumedAcrossSpringFestivalSkipsIt) {
  // Due Tue 2024-02-06 17:00; suspended Mon 02-05 17:00: 7h + 17h = 24h left.
  // Resumed Thu 02-08 17:00: Thu 7h; Fri 02-09 17h → Fri 02-09 17:00.
  EXPECT_EQ(
      L(calc_.ResumeDeadline(At(2024, 2, 6, 17), At(2024, 2, 5, 17), At(2024, 2, 8, 17), kDays)),
      L(At(2024, 2, 9, 17)));
  // Resumed Fri 02-09 17:00 instead: Fri 7h; 春节; Sun 02-18 make-up 17h → 02-18 17:00.
  EXPECT_EQ(
      L(calc_.ResumeDeadline(At(2024, 2, 6, 17), At(2024, 2, 5, 17), At(2024, 2, 9, 17), kDays)),
      L(At(2024, 2, 18, 17)));
}

TEST_F(DeadlineTest, ResumeKeepsWorkingHoursLeft) {
  // Due Tue 03-05 11:00 (working hours); suspended Mon 03-04 16:30:
  // Mon 1h + Tue 2h = 3h left. Resumed Wed 03-06 11:30: 0.5h + 13:30-16:00 2.5h → Wed 16:00.
  EXPECT_EQ(L(calc_.ResumeDeadline(At(2024, 3, 5, 11), At(2024, 3, 4, 16, 30),
                                   At(2024, 3, 6, 11, 30), kHours)),
            L(At(2024, 3, 6, 16)));
}

TEST_F(DeadlineTest, ResumeOfNaturalHoursShiftsByThePause) {
  // 5h left at suspension; resumed two days later → resumed + 5h.
  const absl::Time suspended = At(2024, 3, 8, 20);
  const absl::Time resumed = At(2024, 3, 10, 9);
  EXPECT_EQ(calc_.ResumeDeadline(suspended + absl::Hours(5), suspended, resumed, kNatural),
            resumed + absl::Hours(5));
}

TEST_F(DeadlineTest, ResumeOfATaskOverdueWhenSuspendedKeepsItsDeadline) {
  const absl::Time due = At(2024, 3, 6, 10);
  EXPECT_EQ(calc_.ResumeDeadline(due, At(2024, 3, 7, 10), At(2024, 3, 14, 10), kDays), due);
  EXPECT_EQ(calc_.ResumeDeadline(due, due, At(2024, 3, 14, 10), kDays), due);
}

TEST_F(DeadlineTest, ResumeBeforeSuspensionIsNoPause) {
  const absl::Time due = At(2024, 3, 6, 10);
  EXPECT_EQ(calc_.ResumeDeadline(due, At(2024, 3, 4, 10), At(2024, 3, 1, 10), kDays), due);
  EXPECT_EQ(calc_.ResumeDeadline(due, At(2024, 3, 4, 10), At(2024, 3, 4, 10), kDays), due);
}

// ---------------------------------------------------------------------------
// Properties over many random instants (fixed seed: reproducible).

class DeadlinePropertyTest : public DeadlineTest, public ::testing::WithParamInterface<SlaUnit> {
 protected:
  // A random instant from 2023-12-01 to 2026-12-31 (covering the shipped years
  // and their edges), with random nanoseconds.
  absl::Time RandomInstant() {
    const int64_t lo = absl::ToUnixSeconds(At(2023, 12, 1));
    const int64_t hi = absl::ToUnixSeconds(At(2026, 12, 31));
    return absl::FromUnixSeconds(std::uniform_int_distribution<int64_t>(lo, hi)(rng_)) +
           absl::Nanoseconds(std::uniform_int_distribution<int64_t>(0, 999'999'999)(rng_));
  }
  absl::Duration RandomDuration(absl::Duration max) {
    return absl::Nanoseconds(
        std::uniform_int_distribution<int64_t>(1, absl::ToInt64Nanoseconds(max))(rng_));
  }
  absl::Duration MaxAmount() const {
    switch (GetParam()) {
      case SlaUnit::kWorkingDays:
        return 30 * kDay;
      case SlaUnit::kWorkingHours:
        return absl::Hours(200);
      case SlaUnit::kNaturalHours:
        return absl::Hours(1000);
    }
    return kDay;
  }

  std::mt19937_64 rng_{20240208};
};

TEST_P(DeadlinePropertyTest, CountedUndoesAdvanceAndAdvanceIsAdditive) {
  const SlaUnit unit = GetParam();
  for (int i = 0; i < 2000; ++i) {
    const absl::Time a = RandomInstant();
    const absl::Duration amount = RandomDuration(MaxAmount());
    const absl::Time b = calc_.Advance(a, amount, unit);
    ASSERT_GT(b, a) << L(a);
    ASSERT_EQ(calc_.Counted(a, b, unit), amount) << L(a) << " + " << amount << " → " << L(b);
    // Advancing in two steps lands in the same place.
    const absl::Duration part = RandomDuration(amount);
    ASSERT_EQ(calc_.Advance(calc_.Advance(a, part, unit), amount - part, unit), b)
        << L(a) << " + " << part << " + " << (amount - part);
    // b is the earliest such instant: a nanosecond earlier is not enough.
    ASSERT_LT(calc_.Counted(a, b - absl::Nanoseconds(1), unit), amount) << L(a);
  }
}

TEST_P(DeadlinePropertyTest, AdvanceUndoesCountedInsideCountedTime) {
  const SlaUnit unit = GetParam();
  int checked = 0;
  for (int i = 0; i < 4000; ++i) {
    const absl::Time a = RandomInstant();
    const absl::Time b = a + RandomDuration(60 * kDay);
    // Only b inside counted time: the nanosecond before it is counted.
    if (calc_.Counted(b - absl::Nanoseconds(1), b, unit) == absl::ZeroDuration()) continue;
    ++checked;
    const absl::Duration counted = calc_.Counted(a, b, unit);
    ASSERT_EQ(calc_.Advance(a, counted, unit), b) << L(a) << " → " << L(b) << " = " << counted;
    // Counted is additive over a split point.
    const absl::Time c = a + RandomDuration(b - a);
    ASSERT_EQ(calc_.Counted(a, c, unit) + calc_.Counted(c, b, unit), counted) << L(c);
  }
  // Working hours are ~20% of the week, so at least several hundred samples qualify.
  EXPECT_GT(checked, 500);
}

INSTANTIATE_TEST_SUITE_P(AllUnits, DeadlinePropertyTest,
                         ::testing::Values(SlaUnit::kWorkingDays, SlaUnit::kWorkingHours,
                                           SlaUnit::kNaturalHours),
                         [](const ::testing::TestParamInfo<SlaUnit>& info) {
                           return std::string(SlaUnitName(info.param));
                         });

// ---------------------------------------------------------------------------
// DST, in a zone that has it. America/New_York, 2024: clocks jump 02:00 EST →
// 03:00 EDT on Sun 03-10 and fall back 02:00 EDT → 01:00 EST on Sun 11-03.

TEST(DeadlineDstTest, NewYorkWorkingTimeFollowsTheWallClockAcrossDst) {
  absl::TimeZone ny;
  if (!absl::LoadTimeZone("America/New_York", &ny)) GTEST_SKIP() << "no tz database";
  auto at = [&ny](int y, int mo, int d, int h, int mi = 0) {
    return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), ny);
  };
  auto l = [&ny](absl::Time t) { return Local(t, ny); };

  // Plain weekends: the jump happens on Sunday, which is not counted.
  const WorkCalendar plain;
  const DeadlineCalculator plain_calc(plain, ny);
  // Fri 03-08 10:00 EST + 1 working day: Fri 14h, Mon 10h → Mon 03-11 10:00 EDT,
  // only 71 real hours later.
  const absl::Time fri = at(2024, 3, 8, 10);
  const absl::Time mon = plain_calc.Advance(fri, kDay, kDays);
  EXPECT_EQ(l(mon), "2024-03-11 10:00:00 Mon EDT");
  EXPECT_EQ(mon - fri, absl::Hours(71));
  EXPECT_EQ(plain_calc.Counted(fri, mon, kDays), kDay);
  // Fri 16:30 EST + 2 working hours: Fri 1h, Mon 09:00-10:00 → Mon 10:00 EDT.
  EXPECT_EQ(l(plain_calc.Advance(at(2024, 3, 8, 16, 30), absl::Hours(2), kHours)),
            "2024-03-11 10:00:00 Mon EDT");
  // Natural hours are real hours: Sat 12:00 EST + 24h → Sun 13:00 EDT.
  EXPECT_EQ(l(plain_calc.Advance(at(2024, 3, 9, 12), kDay, kNatural)),
            "2024-03-10 13:00:00 Sun EDT");

  // With both DST Sundays worked, each still counts as exactly one 24-hour working day.
  const WorkCalendar worked =
      ParseOrDie("year 2024\nworkday 2024-03-10 dst\nworkday 2024-11-03 dst\n");
  const DeadlineCalculator calc(worked, ny);
  // Sat 03-09 12:00 EST + 1 working day: Sat 0, Sun (23 real hours) → Mon 00:00 EDT.
  const absl::Time spring = calc.Advance(at(2024, 3, 9, 12), kDay, kDays);
  EXPECT_EQ(l(spring), "2024-03-11 00:00:00 Mon EDT");
  EXPECT_EQ(spring - at(2024, 3, 9, 12), absl::Hours(12 + 23));
  EXPECT_EQ(calc.Counted(at(2024, 3, 10, 0), at(2024, 3, 11, 0), kDays), kDay);
  // A deadline that falls in the skipped hour moves forward by the gap:
  // Sun 00:00 EST + 2.5h → 02:30 does not exist → 03:30 EDT (2.5 real hours later).
  const absl::Time in_gap = calc.Advance(at(2024, 3, 10, 0), absl::Minutes(150), kDays);
  EXPECT_EQ(l(in_gap), "2024-03-10 03:30:00 Sun EDT");
  EXPECT_EQ(in_gap - at(2024, 3, 10, 0), absl::Minutes(150));
  // Sat 11-02 12:00 EDT + 1 working day: Sun (25 real hours) → Mon 11-04 00:00 EST.
  const absl::Time autumn = calc.Advance(at(2024, 11, 2, 12), kDay, kDays);
  EXPECT_EQ(l(autumn), "2024-11-04 00:00:00 Mon EST");
  EXPECT_EQ(autumn - at(2024, 11, 2, 12), absl::Hours(12 + 25));
  EXPECT_EQ(calc.Counted(at(2024, 11, 3, 0), at(2024, 11, 4, 0), kDays), kDay);
}

}  // namespace
}  // namespace rectify::domain
