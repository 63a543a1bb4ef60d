#include "domain/metrics.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "domain/text_lines.h"

namespace rectify::domain {
namespace {

constexpr char kDefaultText[] = R"(
weight disposal          15
weight on_time_disposal  15
weight closure           15
weight on_time_closure   15
weight rework            10
weight extension          5
weight overdue_pending   10
weight timely_ack        10
weight return             5
suspended_leave_denominator yes
timely_ack_hours 24
list_size 3
)";

constexpr double kTieEpsilon = 1e-9;

bool SameScore(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a.has_value() || !b.has_value()) return a.has_value() == b.has_value();
  return std::fabs(*a - *b) < kTieEpsilon;
}

}  // namespace

absl::string_view MetricName(Metric m) {
  switch (m) {
    case Metric::kDisposal: return "disposal";
    case Metric::kOnTimeDisposal: return "on_time_disposal";
    case Metric::kClosure: return "closure";
    case Metric::kOnTimeClosure: return "on_time_closure";
    case Metric::kRework: return "rework";
    case Metric::kExtension: return "extension";
    case Metric::kOverduePending: return "overdue_pending";
    case Metric::kTimelyAck: return "timely_ack";
    case Metric::kReturn: return "return";
  }
  return "unknown";
}

absl::string_view MetricChinese(Metric m) {
  switch (m) {
    case Metric::kDisposal: return "处置率";
    case Metric::kOnTimeDisposal: return "按期处置率";
    case Metric::kClosure: return "结案率";
    case Metric::kOnTimeClosure: return "按期结案率";
    case Metric::kRework: return "返工率";
    case Metric::kExtension: return "延期率";
    case Metric::kOverduePending: return "超期待处置率";
    case Metric::kTimelyAck: return "及时签收率";
    case Metric::kReturn: return "回退率";
  }
  return "?";
}

absl::StatusOr<Metric> ParseMetric(absl::string_view name) {
  std::vector<std::string> names;
  for (Metric m : kAllMetrics) {
    if (MetricName(m) == name) return m;
    names.emplace_back(MetricName(m));
  }
  return absl::InvalidArgumentError(absl::StrCat("'", name, "' is not a metric; expected one of ",
                                                 absl::StrJoin(names, ", ")));
}

bool HigherIsBetter(Metric m) {
  switch (m) {
    case Metric::kRework:
    case Metric::kExtension:
    case Metric::kOverduePending:
    case Metric::kReturn:
      return false;
    default:
      return true;
  }
}

std::optional<double> Ratio::Rate() const {
  if (denominator <= 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

void AddFigures(MetricFigures& into, const MetricFigures& from) {
  for (const auto& [metric, ratio] : from) {
    Ratio& sum = into[metric];
    sum.numerator += ratio.numerator;
    sum.denominator += ratio.denominator;
  }
}

AssessmentRules AssessmentRules::Default() {
  absl::StatusOr<AssessmentRules> rules = Parse(kDefaultText, "default assessment rules");
  return rules.ok() ? *std::move(rules) : AssessmentRules();  // a constant the tests check
}

absl::StatusOr<AssessmentRules> AssessmentRules::Parse(absl::string_view text,
                                                       absl::string_view source) {
  AssessmentRules rules;
  std::set<std::string> seen;
  for (const DataLine& line : DataLines(text)) {
    absl::string_view rest = line.text;
    const std::string keyword(NextToken(&rest));
    auto error = [&](auto... parts) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line.number, ": ", parts...));
    };
    auto number = [&](absl::string_view field, int lo, int hi) -> absl::StatusOr<int> {
      const absl::string_view token = NextToken(&rest);
      int value = 0;
      if (token.empty()) return error("'", field, "' is missing; expected a number");
      if (!absl::SimpleAtoi(token, &value) || value < lo || value > hi) {
        return error("'", field, "' is '", token, "'; expected a whole number in ", lo, "..", hi);
      }
      return value;
    };
    std::string key = keyword;
    if (keyword == "weight") {
      const absl::string_view name = NextToken(&rest);
      absl::StatusOr<Metric> metric = ParseMetric(name);
      if (!metric.ok()) return error("'metric' ", metric.status().message());
      key = absl::StrCat("weight ", name);
      RECTIFY_ASSIGN_OR_RETURN(rules.weights[*metric], number("weight", 0, 100));
    } else if (keyword == "suspended_leave_denominator") {
      const absl::string_view word = NextToken(&rest);
      if (word != "yes" && word != "no") {
        return error("'suspended_leave_denominator' is '", word, "'; expected yes or no");
      }
      rules.suspended_leave_denominator = word == "yes";
    } else if (keyword == "timely_ack_hours") {
      RECTIFY_ASSIGN_OR_RETURN(rules.timely_ack_hours, number("timely_ack_hours", 1, 720));
    } else if (keyword == "list_size") {
      RECTIFY_ASSIGN_OR_RETURN(rules.list_size, number("list_size", 1, 100));
    } else {
      return error("unknown statement '", keyword,
                   "'; expected weight, suspended_leave_denominator, timely_ack_hours or "
                   "list_size");
    }
    if (!NextToken(&rest).empty()) return error("unexpected words after '", key, "'");
    if (!seen.insert(key).second) return error("'", key, "' is given twice");
  }
  return rules;
}

absl::StatusOr<AssessmentBook> AssessmentBook::LoadDirectory(const std::string& dir) {
  AssessmentBook book;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return book;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot list assessment folder '", dir, "': ", ec.message()));
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    RECTIFY_ASSIGN_OR_RETURN(std::string text,
                             common::ReadFileToString(path.string(), "assessment file"));
    RECTIFY_ASSIGN_OR_RETURN(AssessmentRules rules, AssessmentRules::Parse(text, path.string()));
    book.Set(path.stem().string(), std::move(rules));
  }
  return book;
}

const AssessmentRules& AssessmentBook::For(const std::string& campaign_id) const {
  auto it = rules_.find(campaign_id);
  if (it != rules_.end()) return it->second;
  it = rules_.find("default");
  return it != rules_.end() ? it->second : builtin_;
}

std::optional<double> AssessmentScore(const MetricFigures& figures, const AssessmentRules& rules) {
  double weighted = 0;
  int64_t weights = 0;
  for (const auto& [metric, weight] : rules.weights) {
    if (weight <= 0) continue;
    auto it = figures.find(metric);
    if (it == figures.end()) continue;
    const std::optional<double> rate = it->second.Rate();
    if (!rate.has_value()) continue;
    weighted += weight * (HigherIsBetter(metric) ? *rate : 1.0 - *rate);
    weights += weight;
  }
  if (weights == 0) return std::nullopt;
  return 100.0 * weighted / static_cast<double>(weights);
}

std::vector<RankedUnit> Rank(const std::vector<ScoredUnit>& units) {
  std::vector<RankedUnit> out;
  out.reserve(units.size());
  for (const ScoredUnit& u : units) out.push_back({u.unit_id, u.score, 0});
  std::sort(out.begin(), out.end(), [](const RankedUnit& a, const RankedUnit& b) {
    if (a.score.has_value() != b.score.has_value()) return a.score.has_value();
    if (a.score.has_value() && !SameScore(a.score, b.score)) return *a.score > *b.score;
    return a.unit_id < b.unit_id;
  });
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].score.has_value()) break;
    out[i].rank = (i > 0 && SameScore(out[i].score, out[i - 1].score)) ? out[i - 1].rank
                                                                         : static_cast<int>(i) + 1;
  }
  return out;
}

RedBlackLists RedBlack(const std::vector<RankedUnit>& ranked, int n) {
  RedBlackLists lists;
  std::vector<RankedUnit> scored;
  for (const RankedUnit& u : ranked) {
    if (u.score.has_value()) scored.push_back(u);
  }
  std::set<std::string> red;
  for (const RankedUnit& u : scored) {
    if (u.rank <= n) {
      lists.red.push_back(u);
      red.insert(u.unit_id);
    }
  }
  // From the bottom: a unit's place counted from the worst, ties sharing it.
  int place = 0;
  for (size_t i = scored.size(); i-- > 0;) {
    const size_t from_bottom = scored.size() - i;
    if (from_bottom == 1 || !SameScore(scored[i].score, scored[i + 1].score)) {
      place = static_cast<int>(from_bottom);
    }
    if (place > n) break;
    if (red.count(scored[i].unit_id) == 0) lists.black.push_back(scored[i]);
  }
  return lists;
}

}  // namespace rectify::domain
