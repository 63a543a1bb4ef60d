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

// The states in which a task's clock runs. The text must stay equivalent to the
// WHERE clause of the partial index tasks_open_by_deadline (schema.cc, v2) for
// SQLite to use that index; schema_test checks the query plan.
std::string ClockRunningTerm() {
  return absl::StrCat("state IN (", static_cast<int>(domain::TaskState::kDispatched), ", ",
                      static_cast<int>(domain::TaskState::kAccepted), ", ",
                      static_cast<int>(domain::TaskState::kInProgress), ")");
}

}  // namespace

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
