// The assessment metrics of the supervisors' view (issue 5): the rates that
// city-management assessments use, each a numerator over a stated
// denominator; the per-campaign assessment rules (weights, whether suspended
// tasks leave the denominators, red/black list size) parsed from data; and
// the pure arithmetic that turns counts into rates, scores, rankings and
// red/black lists. Counting is the store's (storage/store.h CountMetrics);
// nothing here reads a clock or a database.
//
//   RECTIFY_ASSIGN_OR_RETURN(AssessmentRules rules, AssessmentRules::Parse(text, "default.txt"));
//   std::optional<double> score = AssessmentScore(unit.figures, rules);
//   std::vector<RankedUnit> ranked = Rank(scores);    // best first, ties share a rank
//   RedBlackLists lists = RedBlack(ranked, rules.list_size);
//
// File format (data/assessment/<campaign id>.txt, else default.txt; `#` comments):
//   weight <metric> <0..100>        weight of a rate in the assessment score
//   suspended_leave_denominator yes|no
//                                   whether SUSPENDED tasks leave the closure
//                                   and on-time closure denominators
//   timely_ack_hours <1..720>       acknowledged within N natural hours of dispatch
//   list_size <1..100>              N of the red (top) and black (bottom) lists
// Metrics: disposal on_time_disposal closure on_time_closure rework extension
//          overdue_pending timely_ack return.
#ifndef RECTIFY_DOMAIN_METRICS_H_
#define RECTIFY_DOMAIN_METRICS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace rectify::domain {

// Definitions over the campaign's tasks of a unit, for a period [from, to)
// evaluated at `as_of` = min(now, to). Every denominator starts from the
// "dispatched" set D: not voided and dispatched within the period. The SQL of
// each predicate is written once, in storage/task_query.cc.
//   kDisposal        处置率     submitted before as_of          / D
//   kOnTimeDisposal  按期处置率 submitted, and by its deadline  / D
//   kClosure         结案率     closed before as_of             / D (less SUSPENDED if the rules say)
//   kOnTimeClosure   按期结案率 closed, and by its deadline     / as kClosure
//   kRework          返工率     submitted with rework_count > 0 / submitted before as_of
//   kExtension       延期率     extension_count > 0             / D
//   kOverduePending  超期待处置率 clock running, deadline < as_of / D
//   kTimelyAck       及时签收率 acknowledged within timely_ack_hours of dispatch / D
//   kReturn          回退率     return_count > 0                / D
enum class Metric {
  kDisposal = 1,
  kOnTimeDisposal,
  kClosure,
  kOnTimeClosure,
  kRework,
  kExtension,
  kOverduePending,
  kTimelyAck,
  kReturn,
};
constexpr Metric kAllMetrics[] = {Metric::kDisposal,       Metric::kOnTimeDisposal,
                                  Metric::kClosure,        Metric::kOnTimeClosure,
                                  Metric::kRework,         Metric::kExtension,
                                  Metric::kOverduePending, Metric::kTimelyAck,
                                  Metric::kReturn};

absl::string_view MetricName(Metric m);     // "disposal", "on_time_disposal", ...
absl::string_view MetricChinese(Metric m);  // "处置率", ...
// kInvalidArgument naming the word and the known names.
absl::StatusOr<Metric> ParseMetric(absl::string_view name);
// Rework, extension, overdue-pending and return rates are better low: their
// contribution to a score is 1 - rate.
bool HigherIsBetter(Metric m);

struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 0;
  // numerator / denominator, or nullopt when the denominator is zero (no
  // figure: neither 0% nor 100%).
  std::optional<double> Rate() const;
  bool operator==(const Ratio& o) const {
    return numerator == o.numerator && denominator == o.denominator;
  }
};

using MetricFigures = std::map<Metric, Ratio>;
// Adds `from`'s numerators and denominators to `into`'s (figures of disjoint
// sets of tasks add up: a street office's are the sum of its cells').
void AddFigures(MetricFigures& into, const MetricFigures& from);

struct AssessmentRules {
  std::map<Metric, int> weights;  // metrics absent or weighted 0 do not count
  bool suspended_leave_denominator = true;
  int timely_ack_hours = 24;
  int list_size = 3;

  // The built-in rules (the same as data/assessment/default.txt).
  static AssessmentRules Default();
  // `source` (the file path) prefixes every error as "<source>:<line>: ..."
  // naming the field; kInvalidArgument. A metric given twice is an error.
  static absl::StatusOr<AssessmentRules> Parse(absl::string_view text, absl::string_view source);
};

// The rules per campaign: data/assessment/<campaign id>.txt, with default.txt
// (or the built-in rules) for the others.
class AssessmentBook {
 public:
  // Reads every *.txt of `dir`; a missing folder gives the built-in rules.
  // Errors as AssessmentRules::Parse, or kFailedPrecondition if unreadable.
  static absl::StatusOr<AssessmentBook> LoadDirectory(const std::string& dir);
  const AssessmentRules& For(const std::string& campaign_id) const;
  void Set(const std::string& name, AssessmentRules rules) { rules_[name] = std::move(rules); }

 private:
  std::map<std::string, AssessmentRules> rules_;  // by file stem
  AssessmentRules builtin_ = AssessmentRules::Default();
};

// The weighted mean, in points out of 100, of each weighted metric's
// goodness (its rate, or 1 - rate for a better-low one), over the metrics
// whose denominator is not zero. nullopt if no weighted metric has a figure.
std::optional<double> AssessmentScore(const MetricFigures& figures, const AssessmentRules& rules);

struct ScoredUnit {
  std::string unit_id;
  std::optional<double> score;  // nullopt: no figure, ranked after every scored unit
};
struct RankedUnit {
  std::string unit_id;
  std::optional<double> score;
  int rank = 0;  // 1-based; equal scores share a rank (1, 1, 3); 0 when unscored
};
// Best first; equal scores (within 1e-9) share the better rank and are listed
// by unit id; unscored units come last with rank 0, by unit id.
std::vector<RankedUnit> Rank(const std::vector<ScoredUnit>& units);

struct RedBlackLists {
  std::vector<RankedUnit> red;    // 红榜: the best n scored units, best first
  std::vector<RankedUnit> black;  // 黑榜: the worst n scored units not on the red list, worst first
};
// Units tied with the n-th are not cut off arbitrarily: a list holds every
// unit whose rank is within its n places (so it may hold more than n).
RedBlackLists RedBlack(const std::vector<RankedUnit>& ranked, int n);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_METRICS_H_
