#include "storage/task_query.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "domain/task.h"

namespace rectify::storage::internal {
namespace {

constexpr int kMaxPageSize = 1000;
constexpr unsigned char kTokenFormat = 1;
constexpr size_t kTokenSize = 1 + 8 + 8 + 8 + 8;  // format, listing hash, key, row id, check

// FNV-1a, 64 bit: stable everywhere, unlike absl::Hash (seeded per process),
// and enough to tell listings apart and catch damaged tokens. Not a MAC: a
// forged token can only ask for a page of a listing the caller may already list.
uint64_t Fnv1a(absl::string_view bytes, uint64_t hash = 14695981039346656037ull) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t GetU64(absl::string_view in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

uint64_t TokenCheck(absl::string_view body) { return Fnv1a(body, Fnv1a("rectify page token")); }

void AppendField(std::string* out, absl::string_view value) {
  absl::StrAppend(out, value.size(), ":", value, ";");  // length-prefixed: unambiguous
}

struct OrderSpec {
  const char* key;  // a generated column of `tasks`
  bool descending;
};

bool SpecOf(TaskOrder order, OrderSpec* spec) {
  switch (order) {
    case TaskOrder::kCreateTime:
      *spec = {"create_key", false};
      return true;
    case TaskOrder::kCreateTimeDesc:
      *spec = {"create_key", true};
      return true;
    case TaskOrder::kDeadline:
      *spec = {"deadline_key", false};
      return true;
    case TaskOrder::kDeadlineDesc:
      *spec = {"deadline_key", true};
      return true;
    case TaskOrder::kUpdateTimeDesc:
      *spec = {"update_key", true};
      return true;
  }
  return false;
}

// The tasks whose clock runs (domain::ClockRuns), for the task lists: the
// text must stay the WHERE clause of the open-task partial indexes
// (tasks_open_by_*, schema.cc v14) for SQLite to use them; schema_test checks
// the query plans.
std::string ClockRunningTerm() { return "clock_running = 1"; }

// The same tasks by their state, for the metric counts and drill-downs:
// those walk tasks_by_campaign_dispatch, which holds `state` but not
// `clock_running`, so this term is answered from the index alone. Written as
// an IN list on purpose: with `state BETWEEN 2 AND 4` SQLite's estimates
// (the file has no statistics) made it page an office's overdue drill-down
// through tasks_by_campaign_state, 165 -> 449 ms a GetMetrics + DrillDown.
std::string ClockRunningStateTerm() {
  return absl::StrCat("state IN (", static_cast<int>(domain::TaskState::kDispatched), ", ",
                      static_cast<int>(domain::TaskState::kAccepted), ", ",
                      static_cast<int>(domain::TaskState::kInProgress), ")");
}

void AppendTerm(std::vector<std::string>* terms, std::vector<SqlArg>* args, SqlTerm term) {
  terms->push_back(std::move(term.sql));
  for (SqlArg& a : term.args) args->push_back(std::move(a));
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }  // saturates at the infinities

// D: the tasks a period's figures are about, dispatched in [from, to) and not
// voided; the bounds are bound values, or (a metric series) SQL expressions.
std::string DispatchedBetween(absl::string_view from, absl::string_view to) {
  return absl::StrCat("state != ", static_cast<int>(domain::TaskState::kVoided),
                      " AND dispatch_time >= ", from, " AND dispatch_time < ", to);
}
SqlTerm DispatchedIn(const MetricScope& scope) {
  return {DispatchedBetween("?", "?"), {Micros(scope.from), Micros(scope.to)}};
}

// What a metric count may filter on.
absl::Status CheckMetricFilter(const TaskFilter& filter) {
  if (!filter.states.empty() || filter.overdue || filter.due_within.has_value() ||
      filter.min_overdue > absl::ZeroDuration() || filter.min_escalation_level > 0 ||
      filter.metric.has_value()) {
    return absl::InvalidArgumentError(
        "metrics count over campaign, street office, community, responsible organisation and "
        "category only; states, overdue, due_within, days overdue, escalation level and metric "
        "must be unset");
  }
  return absl::OkStatus();
}

// The 18 sums of a count, numerator then denominator of each metric in order,
// over rows already restricted to D; their arguments are appended to `args`.
std::string MetricSums(const MetricScope& scope, absl::string_view as_of_sql,
                       std::vector<SqlArg>* args) {
  std::vector<std::string> sums;
  for (domain::Metric m : domain::kAllMetrics) {
    for (bool numerator : {true, false}) {
      SqlTerm term = MetricTerm(m, numerator, scope, /*with_dispatched=*/false, as_of_sql);
      sums.push_back(absl::StrCat("SUM(CASE WHEN ", term.sql, " THEN 1 ELSE 0 END)"));
      for (SqlArg& a : term.args) args->push_back(std::move(a));
    }
  }
  return absl::StrJoin(sums, ", ");
}

// The same 18 conditions as one integer per task: bit i is the i-th sum's.
std::string MetricBits(const MetricScope& scope, std::vector<SqlArg>* args) {
  std::vector<std::string> bits;
  for (domain::Metric m : domain::kAllMetrics) {
    for (bool numerator : {true, false}) {
      SqlTerm term = MetricTerm(m, numerator, scope, /*with_dispatched=*/false);
      bits.push_back(absl::StrCat("(CASE WHEN ", term.sql, " THEN ", int64_t{1} << bits.size(),
                                  " ELSE 0 END)"));
      for (SqlArg& a : term.args) args->push_back(std::move(a));
    }
  }
  return absl::StrJoin(bits, " | ");
}

}  // namespace

SqlTerm MetricTerm(domain::Metric metric, bool numerator, const MetricScope& scope,
                   bool with_dispatched, absl::string_view as_of_sql) {
  using domain::Metric;
  SqlTerm t;
  if (with_dispatched) {
    t = DispatchedIn(scope);
  } else {
    t.sql = "1";
  }
  auto add = [&t](absl::string_view sql, std::vector<SqlArg> args = {}) {
    absl::StrAppend(&t.sql, " AND ", sql);
    for (SqlArg& a : args) t.args.push_back(std::move(a));
  };
  // "column before as_of": the scope's as_of bound, or the series' expression.
  auto before = [&](absl::string_view column) {
    if (as_of_sql.empty()) {
      add(absl::StrCat(column, " < ?"), {Micros(scope.as_of)});
    } else {
      add(absl::StrCat(column, " < ", as_of_sql));
    }
  };
  auto submitted = [&] {
    add("submit_time IS NOT NULL");
    before("submit_time");
  };
  auto closed = [&] {
    add("close_time IS NOT NULL");
    before("close_time");
  };
  switch (metric) {
    case Metric::kDisposal:
      if (numerator) submitted();
      break;
    case Metric::kOnTimeDisposal:
      if (numerator) {
        submitted();
        add("submit_time <= deadline");
      }
      break;
    case Metric::kClosure:
    case Metric::kOnTimeClosure:
      if (scope.suspended_leave_denominator) {
        add(absl::StrCat("state != ", static_cast<int>(domain::TaskState::kSuspended)));
      }
      if (numerator) {
        closed();
        if (metric == Metric::kOnTimeClosure) add("close_time <= deadline");
      }
      break;
    case Metric::kRework:
      submitted();
      if (numerator) add("rework_count > 0");
      break;
    case Metric::kExtension:
      if (numerator) add("extension_count > 0");
      break;
    case Metric::kOverduePending:
      if (numerator) {
        add(ClockRunningStateTerm());
        before("deadline");  // no deadline (NULL): never overdue
      }
      break;
    case Metric::kTimelyAck:
      if (numerator) {
        add("acknowledge_time IS NOT NULL AND acknowledge_time <= dispatch_time + ?",
            {absl::ToInt64Microseconds(scope.timely_ack)});
      }
      break;
    case Metric::kReturn:
      if (numerator) add("return_count > 0");
      break;
  }
  t.sql = absl::StrCat("(", t.sql, ")");
  return t;
}

SqlTerm PlainTaskTerms(const TaskFilter& f) {
  std::vector<std::string> terms;
  SqlTerm out;
  auto equals = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    terms.push_back(absl::StrCat(column, " = ?"));
    out.args.emplace_back(value);
  };
  equals("campaign_id", f.campaign_id);
  equals("street_office_id", f.street_office_id);
  equals("community_id", f.community_id);
  equals("responsible_org_id", f.responsible_org_id);
  equals("category", f.category);
  out.sql = terms.empty() ? "1" : absl::StrJoin(terms, " AND ");
  return out;
}

absl::StatusOr<MetricCountPlan> PlanMetricCount(const TaskFilter& filter, MetricUnit unit,
                                                const MetricScope& scope) {
  RECTIFY_RETURN_IF_ERROR(CheckMetricFilter(filter));
  if (scope.from >= scope.to) {
    return absl::InvalidArgumentError("the metrics period is empty: 'from' must be before 'to'");
  }
  std::vector<std::string> columns;
  switch (unit) {
    case MetricUnit::kCity:
      columns = {"''"};
      break;
    case MetricUnit::kStreetOffice:
      columns = {"street_office_id"};
      break;
    case MetricUnit::kCommunity:
      columns = {"community_id"};
      break;
    case MetricUnit::kResponsibleOrg:
      columns = {"responsible_org_id"};
      break;
    case MetricUnit::kCell:
      columns = {"street_office_id", "community_id", "responsible_org_id"};
      break;
  }
  std::vector<std::string> selected;
  for (const std::string& c : columns) selected.push_back(absl::StrCat("IFNULL(", c, ", '')"));
  MetricCountPlan plan;
  plan.per_task = unit != MetricUnit::kCity;
  // The WHERE clause below restricts the rows to D once for all 18 sums.
  const std::string sums = plan.per_task ? MetricBits(scope, &plan.args)
                                         : MetricSums(scope, /*as_of_sql=*/"", &plan.args);
  SqlTerm plain = PlainTaskTerms(filter);
  SqlTerm dispatched = DispatchedIn(scope);
  for (SqlArg& a : plain.args) plan.args.push_back(std::move(a));
  for (SqlArg& a : dispatched.args) plan.args.push_back(std::move(a));
  plan.sql = absl::StrCat("SELECT ", absl::StrJoin(selected, ", "), ", ", sums,
                          " FROM tasks WHERE ", plain.sql, " AND ", dispatched.sql);
  if (!plan.per_task) absl::StrAppend(&plan.sql, " GROUP BY ", absl::StrJoin(columns, ", "));
  return plan;
}

absl::StatusOr<MetricSeriesPlan> PlanMetricSeries(const TaskFilter& filter,
                                                  const std::vector<MetricScope>& periods) {
  RECTIFY_RETURN_IF_ERROR(CheckMetricFilter(filter));
  if (periods.empty() || periods.size() > kMaxSeriesPeriods) {
    return absl::InvalidArgumentError(absl::StrCat("a metric series has ", periods.size(),
                                                   " periods; it must have 1..",
                                                   kMaxSeriesPeriods));
  }
  const MetricScope& rules = periods.front();
  for (const MetricScope& p : periods) {
    if (p.from >= p.to) {
      return absl::InvalidArgumentError(
          "a period of the metric series is empty: 'from' must be before 'to'");
    }
    if (p.suspended_leave_denominator != rules.suspended_leave_denominator ||
        p.timely_ack != rules.timely_ack) {
      return absl::InvalidArgumentError(
          "the periods of a metric series must share the assessment rules (suspended tasks, "
          "timely acknowledgement)");
    }
  }
  // The periods are a small table; each task dispatched in one joins it, and
  // its sums compare with that period's as_of. The periods come first, so
  // that each walks its own range of tasks_by_campaign_dispatch (schema v11).
  MetricSeriesPlan plan;
  std::vector<std::string> rows;
  for (size_t i = 0; i < periods.size(); ++i) {
    rows.push_back("(?, ?, ?, ?)");
    plan.args.emplace_back(static_cast<int64_t>(i));
    plan.args.emplace_back(Micros(periods[i].from));
    plan.args.emplace_back(Micros(periods[i].to));
    plan.args.emplace_back(Micros(periods[i].as_of));
  }
  const std::string sums = MetricSums(rules, "period_as_of", &plan.args);
  SqlTerm plain = PlainTaskTerms(filter);
  for (SqlArg& a : plain.args) plan.args.push_back(std::move(a));
  plan.sql = absl::StrCat(
      "WITH periods(period_index, period_from, period_to, period_as_of) AS (VALUES ",
      absl::StrJoin(rows, ", "), ") SELECT period_index, ", sums,
      " FROM periods CROSS JOIN tasks WHERE ", plain.sql, " AND ",
      DispatchedBetween("period_from", "period_to"),
      " GROUP BY period_index ORDER BY period_index");
  return plan;
}

uint64_t ListingHash(const TaskFilter& filter, TaskOrder order) {
  std::string canonical = "tasks/v1;";
  AppendField(&canonical, filter.campaign_id);
  AppendField(&canonical, filter.street_office_id);
  AppendField(&canonical, filter.community_id);
  AppendField(&canonical, filter.responsible_org_id);
  AppendField(&canonical, filter.category);
  std::vector<int> states;
  for (domain::TaskState s : filter.states) states.push_back(static_cast<int>(s));
  std::sort(states.begin(), states.end());
  states.erase(std::unique(states.begin(), states.end()), states.end());
  AppendField(&canonical, absl::StrJoin(states, ","));
  AppendField(&canonical, filter.overdue ? "overdue" : "");
  AppendField(&canonical, filter.due_within.has_value() ? absl::FormatDuration(*filter.due_within)
                                                        : std::string());
  AppendField(&canonical, absl::StrCat(static_cast<int>(order)));
  // Fields added later enter only when set, so that earlier tokens stay valid.
  if (filter.min_overdue > absl::ZeroDuration()) {
    AppendField(&canonical, absl::StrCat("overdue>=", absl::FormatDuration(filter.min_overdue)));
  }
  if (filter.min_escalation_level > 0) {
    AppendField(&canonical, absl::StrCat("escalation>=", filter.min_escalation_level));
  }
  if (filter.metric.has_value()) {
    const MetricSelection& m = *filter.metric;  // as_of, like now, is per page
    AppendField(&canonical,
                absl::StrCat("metric=", static_cast<int>(m.metric), m.numerator ? "/num" : "/den",
                             ",", Micros(m.scope.from), ",", Micros(m.scope.to), ",",
                             m.scope.suspended_leave_denominator ? 1 : 0, ",",
                             absl::ToInt64Microseconds(m.scope.timely_ack)));
  }
  return Fnv1a(canonical);
}

std::string MakePageToken(uint64_t listing_hash, const PageCursor& cursor) {
  std::string raw;
  raw.push_back(static_cast<char>(kTokenFormat));
  PutU64(&raw, listing_hash);
  PutU64(&raw, static_cast<uint64_t>(cursor.sort_key));
  PutU64(&raw, static_cast<uint64_t>(cursor.row_id));
  PutU64(&raw, TokenCheck(raw));
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PageCursor> ParsePageToken(absl::string_view token, uint64_t listing_hash) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() != kTokenSize ||
      static_cast<unsigned char>(raw[0]) != kTokenFormat ||
      GetU64(absl::string_view(raw).substr(kTokenSize - 8)) !=
          TokenCheck(absl::string_view(raw).substr(0, kTokenSize - 8))) {
    return absl::InvalidArgumentError(
        "page_token is not a token this server issued (garbled or truncated); list again "
        "without a page_token");
  }
  absl::string_view body(raw);
  if (GetU64(body.substr(1)) != listing_hash) {
    return absl::InvalidArgumentError(
        "page_token was issued for another filter or order; keep the filter and order of the "
        "first page, or list again without a page_token");
  }
  PageCursor cursor;
  cursor.sort_key = static_cast<int64_t>(GetU64(body.substr(9)));
  cursor.row_id = static_cast<int64_t>(GetU64(body.substr(17)));
  return cursor;
}

absl::StatusOr<TaskListPlan> PlanTaskList(const TaskQuery& query, absl::string_view columns) {
  const TaskFilter& f = query.filter;
  if (query.page_size < 1 || query.page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size is ", query.page_size, "; it must be in 1..", kMaxPageSize));
  }
  OrderSpec order;
  if (!SpecOf(query.order, &order)) {
    return absl::InvalidArgumentError(
        absl::StrCat("order ", static_cast<int>(query.order), " is not a known task order"));
  }

  std::vector<std::string> terms;
  std::vector<SqlArg> args;
  auto equals = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    terms.push_back(absl::StrCat(column, " = ?"));
    args.emplace_back(value);
  };
  equals("campaign_id", f.campaign_id);
  equals("street_office_id", f.street_office_id);
  equals("community_id", f.community_id);
  equals("responsible_org_id", f.responsible_org_id);
  equals("category", f.category);
  if (!f.states.empty()) {
    std::vector<std::string> marks(f.states.size(), "?");
    terms.push_back(absl::StrCat("state IN (", absl::StrJoin(marks, ", "), ")"));
    for (domain::TaskState s : f.states) args.emplace_back(int64_t{static_cast<int>(s)});
  }
  if (f.overdue || f.due_within.has_value()) {
    if (f.now == absl::InfinitePast() || f.now == absl::InfiniteFuture()) {
      return absl::InvalidArgumentError(
          "filter.now must be a finite time when filter.overdue or filter.due_within is set");
    }
    if (f.due_within.has_value() && *f.due_within < absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter.due_within is ", absl::FormatDuration(*f.due_within), "; it must be >= 0"));
    }
    terms.push_back(ClockRunningTerm());
    // deadline_key is the deadline, or INT64_MAX for none: never below a finite bound.
    const int64_t now = absl::ToUnixMicros(f.now);
    if (f.due_within.has_value()) {
      // Saturates to INT64_MAX for huge windows, which still excludes "no deadline".
      const int64_t end = absl::ToUnixMicros(f.now + *f.due_within);
      if (!f.overdue) {
        terms.push_back("deadline_key >= ?");
        args.emplace_back(now);
      }
      terms.push_back("deadline_key < ?");
      args.emplace_back(end);
    } else {
      terms.push_back("deadline_key < ?");
      args.emplace_back(now);
    }
  }

  if (f.min_overdue > absl::ZeroDuration()) {
    if (!f.overdue) {
      return absl::InvalidArgumentError("filter.min_overdue needs filter.overdue");
    }
    terms.push_back("deadline_key <= ?");
    args.emplace_back(Micros(f.now - f.min_overdue));
  }
  if (f.min_escalation_level < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filter.min_escalation_level is ", f.min_escalation_level, "; it must be >= 0"));
  }
  if (f.min_escalation_level > 0) {
    terms.push_back(
        "(SELECT COUNT(*) FROM escalations e WHERE e.subject = 'tasks/' || tasks.id AND "
        "e.campaign_id = tasks.campaign_id) >= ?");
    args.emplace_back(int64_t{f.min_escalation_level});
  }
  if (f.metric.has_value()) {
    AppendTerm(&terms, &args, MetricTerm(f.metric->metric, f.metric->numerator, f.metric->scope));
  }

  TaskListPlan plan;
  plan.listing_hash = ListingHash(f, query.order);
  const std::string where =
      terms.empty() ? std::string() : absl::StrCat(" WHERE ", absl::StrJoin(terms, " AND "));
  plan.count_sql = absl::StrCat("SELECT COUNT(*) FROM tasks", where);
  plan.count_args = args;

  std::string keyset;
  if (!query.page_token.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(PageCursor cursor,
                             ParsePageToken(query.page_token, plan.listing_hash));
    // Written as a range on the key plus a tie-break, so that SQLite can seek
    // into the index on the key rather than scan from its start.
    const char* cmp = order.descending ? "<" : ">";
    keyset = absl::StrCat(terms.empty() ? " WHERE " : " AND ", order.key,
                          order.descending ? " <= ?" : " >= ?", " AND (", order.key, " ", cmp,
                          " ? OR row_id ", cmp, " ?)");
    args.emplace_back(cursor.sort_key);
    args.emplace_back(cursor.sort_key);
    args.emplace_back(cursor.row_id);
  }
  const char* dir = order.descending ? " DESC" : "";
  plan.page_sql = absl::StrCat("SELECT ", columns, ", ", order.key, ", row_id FROM tasks", where,
                               keyset, " ORDER BY ", order.key, dir, ", row_id", dir, " LIMIT ?");
  args.emplace_back(int64_t{query.page_size} + 1);
  plan.page_args = std::move(args);
  return plan;
}

}  // namespace rectify::storage::internal
