#include "domain/service_level.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "domain/text_lines.h"

namespace rectify::domain {
namespace {

bool IsCategory(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Digits only (no sign, no decimal point), at most kMaxAmount.
bool ParseAmount(absl::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 5) return false;
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > ServiceLevelTable::kMaxAmount) return false;
  *out = value;
  return true;
}

}  // namespace

absl::string_view SlaUnitName(SlaUnit unit) {
  switch (unit) {
    case SlaUnit::kNaturalHours:
      return "natural_hours";
    case SlaUnit::kWorkingHours:
      return "working_hours";
    case SlaUnit::kWorkingDays:
      return "working_days";
  }
  return "?";
}

absl::StatusOr<SlaUnit> ParseSlaUnit(absl::string_view name) {
  for (SlaUnit unit : {SlaUnit::kNaturalHours, SlaUnit::kWorkingHours, SlaUnit::kWorkingDays}) {
    if (name == SlaUnitName(unit)) return unit;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown unit '", name, "'; expected natural_hours, working_hours or working_days"));
}

absl::StatusOr<ServiceLevelTable> ServiceLevelTable::Parse(absl::string_view text,
                                                           absl::string_view source) {
  ServiceLevelTable table;
  std::map<std::string, int, std::less<>> line_of;  // category → line, for duplicates
  for (const DataLine& line : DataLines(text)) {
    absl::string_view rest = line.text;
    auto error = [&](auto&&... parts) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line.number, ": ", parts...));
    };
    const absl::string_view category = NextToken(&rest);
    const absl::string_view amount_text = NextToken(&rest);
    const absl::string_view unit_text = NextToken(&rest);
    if (unit_text.empty()) {
      return error(
          "expected 'category amount unit description', e.g. "
          "'sanitation 3 working_days 环境卫生'; got '",
          line.text, "'");
    }
    if (!IsCategory(category)) {
      return error("category '", category,
                   "' may use only lower-case letters, digits and '_', e.g. 'safety_hazard'");
    }
    if (auto it = line_of.find(category); it != line_of.end()) {
      return error("category '", category, "' is already declared at line ", it->second,
                   "; declare each category once");
    }
    ServiceLevel level;
    level.category = std::string(category);
    if (!ParseAmount(amount_text, &level.amount)) {
      return error("amount '", amount_text, "' of category '", category,
                   "' must be a whole number from 1 to ", kMaxAmount);
    }
    absl::StatusOr<SlaUnit> unit = ParseSlaUnit(unit_text);
    if (!unit.ok()) {
      return error("category '", category, "': ", unit.status().message());
    }
    level.unit = *unit;
    level.description = std::string(absl::StripAsciiWhitespace(rest));
    line_of.emplace(level.category, line.number);
    table.levels_.emplace(level.category, std::move(level));
  }
  if (table.levels_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": no service level declared; expected lines like "
                     "'sanitation 3 working_days 环境卫生'"));
  }
  return table;
}

absl::StatusOr<ServiceLevelTable> ServiceLevelTable::LoadFile(const std::string& path) {
  RECTIFY_ASSIGN_OR_RETURN(const std::string text,
                           common::ReadFileToString(path, "service-level file"));
  return Parse(text, path);
}

absl::StatusOr<ServiceLevel> ServiceLevelTable::Find(absl::string_view category) const {
  auto it = levels_.find(category);
  if (it != levels_.end()) return it->second;
  return absl::NotFoundError(absl::StrCat(
      "no service level for category '", category, "'; known categories: ",
      absl::StrJoin(levels_, ", ",
                    [](std::string* out, const auto& entry) { out->append(entry.first); })));
}

std::vector<ServiceLevel> ServiceLevelTable::All() const {
  std::vector<ServiceLevel> all;
  all.reserve(levels_.size());
  for (const auto& [category, level] : levels_) all.push_back(level);
  return all;
}

}  // namespace rectify::domain
