// How ListInspections becomes SQL. Pure: no database.
//
//   RECTIFY_ASSIGN_OR_RETURN(InspectionListPlan plan,
//                            PlanInspectionList(filter, limit, "id, date"));
//   // run plan.sql with plan.args bound in order
//
// The SQL names columns of the `inspections` table of schema.cc (v3): date,
// the generated create_key and row_id, which its two indexes end in so that
// "newest first" with a LIMIT reads only the rows it returns.
#ifndef RECTIFY_STORAGE_INSPECTION_QUERY_H_
#define RECTIFY_STORAGE_INSPECTION_QUERY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/store.h"
#include "storage/task_query.h"

namespace rectify::storage::internal {

struct InspectionListPlan {
  // SELECT <columns> FROM inspections WHERE ... ORDER BY date DESC,
  // create_key DESC, row_id DESC LIMIT ?.
  std::string sql;
  std::vector<SqlArg> args;
};

// The largest `limit` ListInspections accepts.
inline constexpr int kMaxInspectionListLimit = 1000;

// Checks `limit` (kInvalidArgument naming 'limit' outside 1..1000) and builds
// the query. Newest first: by date, then by create_time (an unset one is
// absl::InfinitePast, the oldest), then by insertion order. Days compare as
// their 'YYYY-MM-DD' text, which orders four-digit years correctly.
absl::StatusOr<InspectionListPlan> PlanInspectionList(const InspectionFilter& filter, int limit,
                                                      absl::string_view columns);

}  // namespace rectify::storage::internal

#endif  // RECTIFY_STORAGE_INSPECTION_QUERY_H_
