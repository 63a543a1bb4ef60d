#include "storage/inspection_query.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "storage/codec.h"

namespace rectify::storage::internal {

absl::StatusOr<InspectionListPlan> PlanInspectionList(const InspectionFilter& filter, int limit,
                                                      absl::string_view columns) {
  if (limit < 1 || limit > kMaxInspectionListLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit is ", limit, "; it must be in 1..", kMaxInspectionListLimit));
  }
  InspectionListPlan plan;
  std::vector<std::string> terms;
  if (!filter.campaign_id.empty()) {
    terms.push_back("campaign_id = ?");
    plan.args.emplace_back(filter.campaign_id);
  }
  if (!filter.community_id.empty()) {
    terms.push_back("community_id = ?");
    plan.args.emplace_back(filter.community_id);
  }
  if (filter.kind.has_value()) {
    terms.push_back("kind = ?");
    plan.args.emplace_back(int64_t{static_cast<int>(*filter.kind)});
  }
  // Days are stored as 'YYYY-MM-DD', which sorts as the days do.
  if (filter.from.has_value()) {
    terms.push_back("date >= ?");
    plan.args.emplace_back(codec::DayToText(*filter.from));
  }
  if (filter.to.has_value()) {
    terms.push_back("date < ?");
    plan.args.emplace_back(codec::DayToText(*filter.to));
  }
  plan.sql = absl::StrCat("SELECT ", columns, " FROM inspections", terms.empty() ? "" : " WHERE ",
                          absl::StrJoin(terms, " AND "),
                          " ORDER BY date DESC, create_key DESC, row_id DESC LIMIT ?");
  plan.args.emplace_back(int64_t{limit});
  return plan;
}

}  // namespace rectify::storage::internal
