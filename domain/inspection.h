// Inspections (检查/测评): one community scored against the standard on one
// day. This file checks deductions against their rules and computes the sheet:
// each rule's deduction (points × count, at most its cap), each category's
// score (its points less its deductions, never below zero) and the total.
#ifndef RECTIFY_DOMAIN_INSPECTION_H_
#define RECTIFY_DOMAIN_INSPECTION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/standard.h"

namespace rectify::domain {

// Numbered like the API's InspectionKind: never renumber.
enum class InspectionKind {
  kSelfCheck = 1,        // 自查, by the property company
  kWeekly,               // 周检查, by the supervising office
  kFinalEvaluation,      // 测评, in the final assault
};
absl::string_view InspectionKindName(InspectionKind kind);  // "self_check", ...

struct Deduction {
  std::string rule_id;   // "2.2b"
  int count = 1;         // units, cases, square metres or posters; 1 for flags
  std::string note;
  std::string evidence_uri;
  std::string evidence_sha256;  // "" or 64 lowercase hex digits
  bool open_task = false;       // open a rectification task for it at once
  // Filled by Score(): what it deducts after its rule's cap.
  int points = 0;
  std::string task_id;          // filled by the server when a task was opened
};

struct CategoryScore {
  std::string category_id;
  int points = 0;        // the category's full points
  int deducted = 0;      // before the zero floor
  int score = 0;         // max(0, points - deducted)
};

struct Inspection {
  std::string id;
  std::string campaign_id;
  std::string community_id;
  InspectionKind kind = InspectionKind::kWeekly;
  absl::CivilDay date;   // in the campaign's time zone
  std::string inspector_id;
  std::string standard_id;
  std::string standard_version;
  std::vector<Deduction> deductions;
  std::vector<CategoryScore> categories;  // every category of the standard, in order
  int total = 0;         // the sum of the category scores
  int max_score = 0;     // the standard's max_score() when scored
  std::string note;
  absl::Time create_time = absl::InfinitePast();
  int64_t version = 0;
};

// Checks every deduction against `standard` and fills the scores of
// `inspection` (deductions[].points, categories, total, max_score,
// standard_id/version). kInvalidArgument naming "deductions[i].<field>" for an
// unknown rule, a count that does not fit the rule (below 1; above expect for
// missing_units; not 1 for flags), the same rule twice, or bad evidence.
absl::Status Score(const Standard& standard, Inspection& inspection);

// How a re-inspection compares with the one before it, by rule.
struct DeductionDiff {
  std::vector<std::string> cleared;     // in `before`, gone from `after`
  std::vector<std::string> persisting;  // in both
  std::vector<std::string> added;       // only in `after`
};
DeductionDiff CompareDeductions(const Inspection& before, const Inspection& after);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_INSPECTION_H_
