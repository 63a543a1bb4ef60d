// How ListTasks becomes SQL, and its opaque page tokens. Pure: no database.
//
// Paging is by keyset, never by OFFSET: a page token holds the sort key and the
// hidden row id of the last row returned, so the next page starts strictly after
// it. Rows inserted meanwhile therefore neither duplicate nor shift rows already
// seen, and a page costs the same at the end of a million rows as at the start.
//
//   RECTIFY_ASSIGN_OR_RETURN(TaskListPlan plan, PlanTaskList(query, "id, title"));
//   // run plan.count_sql and plan.page_sql with their args; then for the last row:
//   next_token = MakePageToken(plan.listing_hash, {sort_key, row_id});
//
// The SQL names columns of the `tasks` table of schema.cc: the generated sort
// keys create_key, deadline_key and update_key, and row_id.
#ifndef RECTIFY_STORAGE_TASK_QUERY_H_
#define RECTIFY_STORAGE_TASK_QUERY_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/store.h"

namespace rectify::storage::internal {

// A value bound to a `?` in order.
using SqlArg = std::variant<int64_t, std::string>;

// Where a page ended: the last row's sort key and row id.
struct PageCursor {
  int64_t sort_key = 0;
  int64_t row_id = 0;
};

struct TaskListPlan {
  // SELECT COUNT(*) over the filter alone.
  std::string count_sql;
  std::vector<SqlArg> count_args;
  // SELECT <columns>, <sort key>, row_id ... LIMIT page_size + 1: one row more
  // than the page, to learn whether another page follows. The sort key and the
  // row id are the last two result columns.
  std::string page_sql;
  std::vector<SqlArg> page_args;
  // Identifies the filter and order; page tokens carry it.
  uint64_t listing_hash = 0;
};

// Checks the query and builds its SQL; `columns` is the select list for the
// task itself. Returns kInvalidArgument naming the field: page_size outside
// 1..1000, an unknown order, overdue/due_within without `now` or with a
// negative due_within, a page_token that is garbled or was made for another
// filter or order.
//
// Semantics beyond store.h:
// - `now` is not part of the listing's identity: each page is evaluated at the
//   `now` the caller passes (keyset paging still neither repeats nor skips).
// - With both `overdue` and `due_within` set, the tasks selected are those
//   overdue OR due within (deadline < now + due_within): the only reading that
//   is not always empty.
// - Unset times order as the absl::Time they stand for: a task without a
//   deadline (InfiniteFuture) sorts last by kDeadline and first by
//   kDeadlineDesc, which is the exact reverse; ties are broken by creation
//   order (row_id), reversed in the descending orders.
// - A row whose sort key changes between pages (kUpdateTimeDesc, deadlines)
//   moves: it may be seen twice or not at all, as with any keyset cursor.
absl::StatusOr<TaskListPlan> PlanTaskList(const TaskQuery& query, absl::string_view columns);

// A condition over the columns of `tasks` with its `?` arguments in order.
struct SqlTerm {
  std::string sql;
  std::vector<SqlArg> args;
};

// The one definition of each metric's numerator and denominator (see
// domain/metrics.h), used both to count (PlanMetricCount) and to list the
// tasks behind a figure (PlanTaskList with filter.metric): so a drill-down's
// total equals its figure by construction. Every side implies the period's
// dispatched set D (not voided, dispatched in [from, to)); `with_dispatched`
// false leaves D out, for a query whose WHERE clause already restricts to it.
// `as_of_sql`, when not empty, is an SQL expression compared with instead of
// binding scope.as_of: a series counts several periods in one statement, each
// task row against its own period's as_of (PlanMetricSeries).
SqlTerm MetricTerm(domain::Metric metric, bool numerator, const MetricScope& scope,
                   bool with_dispatched = true, absl::string_view as_of_sql = {});

struct MetricCountPlan {
  // kCity: SELECT '', then numerator and denominator of each of
  // domain::kAllMetrics in order (one row, or none without a dispatched task).
  // Other units (per_task): SELECT the unit (kCell: street office, community,
  // responsible organisation) and MetricBits for each task of D, unordered and
  // ungrouped: the caller sums by unit. SQLite has no hash aggregate, and
  // its GROUP BY sorted every task of the month with every column the sums
  // read (BENCHMARKS.md, finding 8).
  std::string sql;
  std::vector<SqlArg> args;
  bool per_task = false;
};
// Bit 2k of MetricBits is the numerator of domain::kAllMetrics[k], bit 2k+1
// its denominator: the same order as the sums.
inline constexpr int kMetricBits = 18;
// kInvalidArgument if the filter sets anything but campaign, street office,
// community, responsible organisation and category.
absl::StatusOr<MetricCountPlan> PlanMetricCount(const TaskFilter& filter, MetricUnit unit,
                                                const MetricScope& scope);
inline constexpr size_t kMaxSeriesPeriods = 120;

struct MetricSeriesPlan {
  // WITH periods(...) AS (VALUES ...) SELECT the period's index in the list,
  // then numerator and denominator of each of domain::kAllMetrics in order,
  // GROUP BY the period ORDER BY it. Periods without a dispatched task are
  // absent.
  std::string sql;
  std::vector<SqlArg> args;
};
// City-wide figures of several periods in one statement: the periods' bounds
// and as_of are a VALUES table joined on dispatch_time (so the calendar, time
// zone and month boundaries stay in the caller), the sums are MetricTerm's as
// in PlanMetricCount. kInvalidArgument as PlanMetricCount, and if there are
// no periods or more than kMaxSeriesPeriods, or they differ in
// suspended_leave_denominator or timely_ack.
absl::StatusOr<MetricSeriesPlan> PlanMetricSeries(const TaskFilter& filter,
                                                  const std::vector<MetricScope>& periods);
// The filter's plain equality fields (campaign, street office, community,
// responsible organisation, category) as a condition; "1" when none.
SqlTerm PlainTaskTerms(const TaskFilter& filter);

// A stable (across processes and builds) hash of everything in the filter
// except `now`, and of the order. States are a set: their order is ignored.
uint64_t ListingHash(const TaskFilter& filter, TaskOrder order);

// Opaque, URL-safe.
std::string MakePageToken(uint64_t listing_hash, const PageCursor& cursor);
// kInvalidArgument naming `page_token` if the token is garbled or was made for
// another listing.
absl::StatusOr<PageCursor> ParsePageToken(absl::string_view token, uint64_t listing_hash);

}  // namespace rectify::storage::internal

#endif  // RECTIFY_STORAGE_TASK_QUERY_H_
