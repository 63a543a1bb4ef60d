#include "domain/inspection.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

// The most units one deduction may count. No inspector counts 10000 posters on
// one sheet; the bound keeps points × count far from int overflow.
constexpr int kMaxCount = 10000;
constexpr size_t kMaxUriBytes = 2000;
constexpr size_t kMaxNoteBytes = 2000;

// What "count" means for a rule, for error messages.
absl::string_view CountUnit(RuleKind kind) {
  switch (kind) {
    case RuleKind::kMissingUnits:
      return "missing units";
    case RuleKind::kPerOccurrence:
      return "cases";
    case RuleKind::kPerSquareMetre:
      return "square metres";
    case RuleKind::kPerPoster:
      return "posters";
    case RuleKind::kAbsent:
    case RuleKind::kNotUpdated:
      return "";
  }
  return "";
}

absl::Status CheckCount(const Rule& rule, int count, absl::string_view field) {
  auto error = [&](auto&&... parts) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' is ", count, " (rule ", rule.id,
                                                   ", ", RuleKindName(rule.kind), "); ", parts...));
  };
  switch (rule.kind) {
    case RuleKind::kAbsent:
    case RuleKind::kNotUpdated:
      if (count != 1) return error("this rule deducts once, so the count must be 1");
      return absl::OkStatus();
    case RuleKind::kMissingUnits:
      if (count < 1 || count > rule.expect) {
        return error("it counts the missing units of ", rule.expect,
                     " expected, so it must be from 1 to ", rule.expect);
      }
      return absl::OkStatus();
    case RuleKind::kPerOccurrence:
    case RuleKind::kPerSquareMetre:
    case RuleKind::kPerPoster:
      if (count < 1 || count > kMaxCount) {
        return error("it must be the number of ", CountUnit(rule.kind), " seen, from 1 to ",
                     kMaxCount);
      }
      return absl::OkStatus();
  }
  return error("unknown rule kind");
}

absl::Status CheckEvidence(const Deduction& d, absl::string_view field) {
  RECTIFY_RETURN_IF_ERROR(
      MaxLength(absl::StrCat(field, ".evidence_uri"), d.evidence_uri, kMaxUriBytes));
  RECTIFY_RETURN_IF_ERROR(MaxLength(absl::StrCat(field, ".note"), d.note, kMaxNoteBytes));
  if (d.evidence_sha256.empty()) return absl::OkStatus();
  if (!IsSha256Hex(d.evidence_sha256)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field,
                     ".evidence_sha256' must be empty or 64 lowercase hex digits (the SHA-256 "
                     "of the photo or document)"));
  }
  if (d.evidence_uri.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, ".evidence_uri' is empty but '", field,
                     ".evidence_sha256' is set; give the uri of the evidence it hashes"));
  }
  return absl::OkStatus();
}

// ", such as '1.1a'", from the standard's first rule; "" for an empty standard.
std::string Example(const Standard& standard) {
  for (const Category& category : standard.categories()) {
    for (const Item& item : category.items) {
      if (!item.rules.empty()) return absl::StrCat(", such as '", item.rules.front().id, "'");
    }
  }
  return "";
}

int Saturate(int64_t value) {
  return static_cast<int>(std::min<int64_t>(value, std::numeric_limits<int>::max()));
}

}  // namespace

absl::string_view InspectionKindName(InspectionKind kind) {
  switch (kind) {
    case InspectionKind::kSelfCheck:
      return "self_check";
    case InspectionKind::kWeekly:
      return "weekly";
    case InspectionKind::kFinalEvaluation:
      return "final_evaluation";
  }
  return "?";
}

// Checks every deduction before changing anything: on error `inspection` is
// left as it was.
absl::Status Score(const Standard& standard, Inspection& inspection) {
  std::vector<int> points(inspection.deductions.size());
  std::map<std::string, int64_t, std::less<>> deducted_by_category;
  std::map<std::string, size_t, std::less<>> index_of_rule;  // for "the same rule twice"
  for (size_t i = 0; i < inspection.deductions.size(); ++i) {
    const Deduction& d = inspection.deductions[i];
    const std::string field = absl::StrCat("deductions[", i, "]");
    const Rule* rule = standard.FindRule(d.rule_id);
    if (rule == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", field, ".rule_id' is '", d.rule_id,
                       "', which is not a rule of standard ", standard.id(), " ",
                       standard.version(), "; use a rule id of that standard", Example(standard)));
    }
    if (auto [it, inserted] = index_of_rule.emplace(d.rule_id, i); !inserted) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", field, ".rule_id' is '", d.rule_id, "', already deducted at deductions[", it->second,
          "]; give each rule once, with the total count"));
    }
    RECTIFY_RETURN_IF_ERROR(CheckCount(*rule, d.count, absl::StrCat(field, ".count")));
    RECTIFY_RETURN_IF_ERROR(CheckEvidence(d, field));

    int64_t deducted = int64_t{rule->points} * d.count;
    if (rule->cap > 0) deducted = std::min<int64_t>(deducted, rule->cap);
    points[i] = Saturate(deducted);
    deducted_by_category[standard.CategoryOf(standard.ItemOf(*rule)).id] += deducted;
  }

  std::vector<CategoryScore> categories;
  categories.reserve(standard.categories().size());
  int64_t total = 0;
  for (const Category& category : standard.categories()) {
    CategoryScore score;
    score.category_id = category.id;
    score.points = category.points;
    if (auto it = deducted_by_category.find(category.id); it != deducted_by_category.end()) {
      score.deducted = Saturate(it->second);
    }
    score.score = std::max(0, category.points - score.deducted);
    total += score.score;
    categories.push_back(std::move(score));
  }

  for (size_t i = 0; i < points.size(); ++i) inspection.deductions[i].points = points[i];
  inspection.categories = std::move(categories);
  inspection.total = Saturate(total);
  inspection.max_score = standard.max_score();
  inspection.standard_id = standard.id();
  inspection.standard_version = standard.version();
  return absl::OkStatus();
}

// Lists keep the order of the inspection they come from: `cleared` and
// `persisting` that of `before`, `added` that of `after`. A rule id that
// appears twice (an unscored sheet) is listed once.
DeductionDiff CompareDeductions(const Inspection& before, const Inspection& after) {
  std::set<absl::string_view> in_before, in_after;
  for (const Deduction& d : before.deductions) in_before.insert(d.rule_id);
  for (const Deduction& d : after.deductions) in_after.insert(d.rule_id);

  DeductionDiff diff;
  std::set<absl::string_view> listed;
  for (const Deduction& d : before.deductions) {
    if (!listed.insert(d.rule_id).second) continue;
    (in_after.count(d.rule_id) ? diff.persisting : diff.cleared).push_back(d.rule_id);
  }
  for (const Deduction& d : after.deductions) {
    if (in_before.count(d.rule_id) || !listed.insert(d.rule_id).second) continue;
    diff.added.push_back(d.rule_id);
  }
  return diff;
}

}  // namespace rectify::domain
