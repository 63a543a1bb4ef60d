// CountMetrics and the metric drill-down (storage/store.h) over a few hundred
// random tasks: every figure equals a plain C++ reading of the definitions in
// domain/metrics.h, and ListTasks with the same metric selection lists exactly
// that many tasks (the drill-down total equals the figure).
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/storage/sqlite_testing.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using domain::Metric;
using domain::TaskState;
using storage::MetricScope;
using storage::MetricUnit;
using storage::ReadTx;

bool Before(absl::Time t, absl::Time bound) { return t != absl::InfinitePast() && t < bound; }

// The definitions, read plainly.
bool InSide(const domain::Task& t, Metric m, bool numerator, const MetricScope& s) {
  if (t.state == TaskState::kVoided || !(t.dispatch_time >= s.from && t.dispatch_time < s.to) ||
      t.dispatch_time == absl::InfinitePast()) {
    return false;
  }
  const bool submitted = Before(t.submit_time, s.as_of);
  const bool closed = Before(t.close_time, s.as_of);
  const bool running = t.state == TaskState::kDispatched || t.state == TaskState::kAccepted ||
                       t.state == TaskState::kInProgress;
  switch (m) {
    case Metric::kDisposal:
      return !numerator || submitted;
    case Metric::kOnTimeDisposal:
      return !numerator || (submitted && t.submit_time <= t.deadline);
    case Metric::kClosure:
    case Metric::kOnTimeClosure:
      if (s.suspended_leave_denominator && t.state == TaskState::kSuspended) return false;
      if (!numerator) return true;
      return closed && (m == Metric::kClosure || t.close_time <= t.deadline);
    case Metric::kRework:
      return submitted && (!numerator || t.rework_count > 0);
    case Metric::kExtension:
      return !numerator || t.extension_count > 0;
    case Metric::kOverduePending:
      return !numerator || (running && t.deadline < s.as_of);
    case Metric::kTimelyAck:
      return !numerator || (t.acknowledge_time != absl::InfinitePast() &&
                            t.acknowledge_time <= t.dispatch_time + s.timely_ack);
    case Metric::kReturn:
      return !numerator || t.return_count > 0;
  }
  return false;
}

TEST(MetricStoreTest, CountsMatchThePlainDefinitionsAndDrillDownsMatchTheCounts) {
  std::unique_ptr<storage::Store> store = MakeSqliteStore();
  ASSERT_THAT(SeedDirectory(*store), IsOk());
  std::mt19937 rnd(7);
  const absl::Time t0 = TestNow() - absl::Hours(24 * 40);
  std::vector<domain::Task> tasks;
  const char* communities[][3] = {{"M-1", "S-1", "PC-1"}, {"M-2", "S-2", "PC-2"},
                                  {"M-3", "S-1", "PC-2"}};
  for (int i = 0; i < 300; ++i) {
    domain::Task t = MakeTask(absl::StrCat("T-", i + 1));
    const auto& c = communities[rnd() % 3];
    t.community_id = c[0];
    t.street_office_id = c[1];
    t.state = static_cast<TaskState>(1 + rnd() % 8);
    if (t.state != TaskState::kOpen || rnd() % 2 == 0) {
      t.responsible_org_id = rnd() % 5 == 0 ? "" : c[2];
      t.dispatch_time = t0 + absl::Hours(rnd() % (24 * 60));
      t.deadline = t.dispatch_time + absl::Hours(72);
      if (rnd() % 4 != 0) t.acknowledge_time = t.dispatch_time + absl::Hours(rnd() % 48);
      if (t.state == TaskState::kSubmitted || t.state == TaskState::kClosed || rnd() % 6 == 0) {
        t.submit_time = t.dispatch_time + absl::Hours(rnd() % 120);
      }
      if (t.state == TaskState::kClosed) t.close_time = t.submit_time + absl::Hours(rnd() % 30);
    }
    t.rework_count = rnd() % 4 == 0 ? 1 : 0;
    t.extension_count = rnd() % 5 == 0 ? 1 : 0;
    t.return_count = rnd() % 6 == 0 ? 1 : 0;
    ASSERT_THAT(CreateTask(*store, t), IsOk());
    tasks.push_back(t);
  }
  for (bool suspended_leave : {true, false}) {
    MetricScope scope;
    scope.from = t0 + absl::Hours(24 * 10);
    scope.to = t0 + absl::Hours(24 * 40);
    scope.as_of = t0 + absl::Hours(24 * 35);
    scope.suspended_leave_denominator = suspended_leave;
    scope.timely_ack = absl::Hours(24);
    for (MetricUnit unit : {MetricUnit::kCity, MetricUnit::kStreetOffice, MetricUnit::kCommunity,
                            MetricUnit::kResponsibleOrg}) {
      storage::TaskFilter filter;
      filter.campaign_id = "C-1";
      auto counts = storage::ReadAndReturn<std::vector<storage::UnitMetricCounts>>(
          *store, [&](ReadTx& tx) { return tx.CountMetrics(filter, unit, scope); });
      ASSERT_THAT(counts, IsOk());
      ASSERT_FALSE(counts->empty());
      for (const storage::UnitMetricCounts& row : *counts) {
        auto unit_of = [&](const domain::Task& t) -> std::string {
          switch (unit) {
            case MetricUnit::kCity: return "";
            case MetricUnit::kStreetOffice: return t.street_office_id;
            case MetricUnit::kCommunity: return t.community_id;
            case MetricUnit::kResponsibleOrg: return t.responsible_org_id;
            case MetricUnit::kCell: return "";
          }
          return "";
        };
        for (Metric m : domain::kAllMetrics) {
          for (bool numerator : {true, false}) {
            int64_t expected = 0;
            for (const domain::Task& t : tasks) {
              if (unit_of(t) == row.unit_id && InSide(t, m, numerator, scope)) ++expected;
            }
            const domain::Ratio& got = row.figures.at(m);
            EXPECT_EQ(numerator ? got.numerator : got.denominator, expected)
                << row.unit_id << " " << domain::MetricName(m) << " " << numerator;
            if (unit == MetricUnit::kResponsibleOrg && row.unit_id.empty()) continue;
            storage::TaskQuery query;
            query.filter.campaign_id = "C-1";
            if (unit == MetricUnit::kStreetOffice) query.filter.street_office_id = row.unit_id;
            if (unit == MetricUnit::kCommunity) query.filter.community_id = row.unit_id;
            if (unit == MetricUnit::kResponsibleOrg) query.filter.responsible_org_id = row.unit_id;
            query.filter.metric = storage::MetricSelection{m, numerator, scope};
            query.page_size = 1000;
            auto page = storage::ReadAndReturn<storage::TaskPage>(
                *store, [&](ReadTx& tx) { return tx.ListTasks(query); });
            ASSERT_THAT(page, IsOk());
            EXPECT_EQ(page->total_count, expected);
            EXPECT_EQ(static_cast<int64_t>(page->tasks.size()), expected);
          }
        }
      }
    }
  }
}

TEST(MetricStoreTest, CellsSumToEveryUnitKind) {
  std::unique_ptr<storage::Store> store = MakeSqliteStore();
  ASSERT_THAT(SeedDirectory(*store), IsOk());
  const char* cells[][3] = {{"M-1", "S-1", "PC-1"}, {"M-3", "S-1", "PC-2"}, {"M-2", "S-2", "PC-2"},
                            {"M-1", "S-1", ""}};
  for (int i = 0; i < 12; ++i) {
    domain::Task t = MakeTask(absl::StrCat("T-", i + 1));
    t.community_id = cells[i % 4][0];
    t.street_office_id = cells[i % 4][1];
    t.responsible_org_id = cells[i % 4][2];
    t.state = i % 3 == 0 ? TaskState::kClosed : TaskState::kInProgress;
    t.dispatch_time = TestNow() - absl::Hours(10 + i);
    t.deadline = t.dispatch_time + absl::Hours(5);
    if (t.state == TaskState::kClosed) t.close_time = t.submit_time = t.dispatch_time + absl::Hours(1);
    ASSERT_THAT(CreateTask(*store, t), IsOk());
  }
  MetricScope scope;
  scope.from = TestNow() - absl::Hours(100);
  scope.to = TestNow();
  scope.as_of = TestNow();
  storage::TaskFilter filter;
  filter.campaign_id = "C-1";
  auto count = [&](MetricUnit unit) {
    auto counted = storage::ReadAndReturn<std::vector<storage::UnitMetricCounts>>(
        *store, [&](ReadTx& tx) { return tx.CountMetrics(filter, unit, scope); });
    EXPECT_THAT(counted, IsOk());
    return counted.ok() ? *counted : std::vector<storage::UnitMetricCounts>();
  };
  std::vector<storage::UnitMetricCounts> by_cell = count(MetricUnit::kCell);
  ASSERT_EQ(by_cell.size(), 4u);
  std::map<std::string, domain::MetricFigures> offices;
  for (const auto& c : by_cell) domain::AddFigures(offices[c.street_office_id], c.figures);
  for (const auto& o : count(MetricUnit::kStreetOffice)) {
    EXPECT_EQ(offices[o.unit_id], o.figures) << o.unit_id;
  }
  EXPECT_EQ(offices["S-1"].at(Metric::kClosure), (domain::Ratio{3, 9}));
  EXPECT_EQ(offices["S-1"].at(Metric::kOverduePending), (domain::Ratio{6, 9}));
}

TEST(MetricStoreTest, CountMetricsRefusesListFiltersAndAnEmptyPeriod) {
  std::unique_ptr<storage::Store> store = MakeSqliteStore();
  MetricScope scope;
  scope.from = TestNow() - absl::Hours(24);
  scope.to = TestNow();
  scope.as_of = TestNow();
  storage::TaskFilter filter;
  filter.states = {TaskState::kClosed};
  auto counted = storage::ReadAndReturn<std::vector<storage::UnitMetricCounts>>(
      *store, [&](ReadTx& tx) { return tx.CountMetrics(filter, MetricUnit::kCity, scope); });
  EXPECT_THAT(counted, StatusIs(absl::StatusCode::kInvalidArgument));
  filter.states.clear();
  scope.to = scope.from;
  counted = storage::ReadAndReturn<std::vector<storage::UnitMetricCounts>>(
      *store, [&](ReadTx& tx) { return tx.CountMetrics(filter, MetricUnit::kCity, scope); });
  EXPECT_THAT(counted, StatusIs(absl::StatusCode::kInvalidArgument));
}

// CountMetricSeries (the bulletin's rates month by month): several periods in
// one statement, each with its own as_of; every figure equals the plain
// definitions and CountMetrics of that period alone. A period without a
// dispatched task has empty figures.
TEST(MetricStoreTest, SeriesCountsEachPeriodAsItsOwnCount) {
  std::unique_ptr<storage::Store> store = MakeSqliteStore();
  ASSERT_THAT(SeedDirectory(*store), IsOk());
  std::mt19937 rnd(11);
  const absl::Time t0 = TestNow() - absl::Hours(24 * 40);
  std::vector<domain::Task> tasks;
  for (int i = 0; i < 200; ++i) {
    domain::Task t = MakeTask(absl::StrCat("T-", i + 1));
    t.community_id = i % 2 == 0 ? "M-1" : "M-2";
    t.street_office_id = i % 2 == 0 ? "S-1" : "S-2";
    t.responsible_org_id = i % 2 == 0 ? "PC-1" : "PC-2";
    t.state = static_cast<TaskState>(2 + rnd() % 7);
    t.dispatch_time = t0 + absl::Hours(rnd() % (24 * 45));
    t.deadline = t.dispatch_time + absl::Hours(72 + rnd() % 200);
    if (rnd() % 4 != 0) t.acknowledge_time = t.dispatch_time + absl::Hours(rnd() % 48);
    if (t.state == TaskState::kSubmitted || t.state == TaskState::kClosed || rnd() % 6 == 0) {
      t.submit_time = t.dispatch_time + absl::Hours(rnd() % 400);
    }
    if (t.state == TaskState::kClosed) t.close_time = t.submit_time + absl::Hours(rnd() % 300);
    t.rework_count = rnd() % 4 == 0 ? 1 : 0;
    t.extension_count = rnd() % 5 == 0 ? 1 : 0;
    t.return_count = rnd() % 6 == 0 ? 1 : 0;
    ASSERT_THAT(CreateTask(*store, t), IsOk());
    tasks.push_back(t);
  }
  // Four periods of 15 days from t0 - 15 days (before any dispatch: empty);
  // "now" falls inside the last, so its as_of is earlier than its end.
  const absl::Time now = t0 + absl::Hours(24 * 40);
  std::vector<MetricScope> periods;
  for (int k = -1; k < 3; ++k) {
    MetricScope p;
    p.from = t0 + absl::Hours(24 * 15 * k);
    p.to = p.from + absl::Hours(24 * 15);
    p.as_of = std::min(now, p.to);
    p.suspended_leave_denominator = true;
    p.timely_ack = absl::Hours(24);
    periods.push_back(p);
  }
  storage::TaskFilter filter;
  filter.campaign_id = "C-1";
  auto series = storage::ReadAndReturn<std::vector<domain::MetricFigures>>(
      *store, [&](ReadTx& tx) { return tx.CountMetricSeries(filter, periods); });
  ASSERT_THAT(series, IsOk());
  ASSERT_EQ(series->size(), periods.size());
  EXPECT_TRUE(series->front().empty());
  for (size_t i = 1; i < periods.size(); ++i) {
    auto alone = storage::ReadAndReturn<std::vector<storage::UnitMetricCounts>>(
        *store, [&](ReadTx& tx) { return tx.CountMetrics(filter, MetricUnit::kCity, periods[i]); });
    ASSERT_THAT(alone, IsOk());
    ASSERT_EQ(alone->size(), 1u);
    EXPECT_EQ((*series)[i], alone->front().figures) << "period " << i;
    for (Metric m : domain::kAllMetrics) {
      for (bool numerator : {true, false}) {
        int64_t expected = 0;
        for (const domain::Task& t : tasks) expected += InSide(t, m, numerator, periods[i]) ? 1 : 0;
        const domain::Ratio& got = (*series)[i].at(m);
        EXPECT_EQ(numerator ? got.numerator : got.denominator, expected)
            << "period " << i << " " << domain::MetricName(m) << " " << numerator;
      }
    }
  }
  EXPECT_GT((*series)[3].at(Metric::kDisposal).denominator, 0);

  // Refused: no periods; periods under different rules; an empty period.
  auto refused = [&](std::vector<MetricScope> bad) {
    return storage::ReadAndReturn<std::vector<domain::MetricFigures>>(
               *store, [&](ReadTx& tx) { return tx.CountMetricSeries(filter, bad); })
        .status();
  };
  EXPECT_THAT(refused({}), StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<MetricScope> mixed = periods;
  mixed[2].suspended_leave_denominator = false;
  EXPECT_THAT(refused(mixed), StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<MetricScope> empty = periods;
  empty[1].to = empty[1].from;
  EXPECT_THAT(refused(empty), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace rectify::test
