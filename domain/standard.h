// The scoring standard (e.g. 住宅小区全国文明城市创建标准): categories of points,
// their items, and each item's deduction rules. It is data a city edits
// (data/standards/*.std); this file parses and validates it. Immutable once
// parsed; cheap to share by const reference.
//
//   RECTIFY_ASSIGN_OR_RETURN(Standard standard, Standard::Parse(text, "data/standards/x.std"));
//   const Rule* rule = standard.FindRule("2.2b");
//
// File format (UTF-8, line-based, '#' comments, blank lines ignored):
//
//   standard civilized-residential 2024.1 住宅小区全国文明城市创建标准
//   total 100
//
//   category publicity 20 查宣传氛围
//   responsible 各街道办事处
//   service_level publicity
//   assign property_company
//
//   item 1.1 小区内随机步行200米，能看到8处公益广告……
//   rule 1.1a missing_units 1 expect=8 每少1处扣1分
//   rule 1.1b absent 1 无垃圾分类公益广告扣1分
//   rule 1.1c per_occurrence 1 陈旧或破损每处扣1分
//
// - `standard <id> <version> <name…>`: first declaration, exactly once. id is
//   [a-z0-9-]+; version is [0-9A-Za-z.-]+.
// - `total <points>`: the sheet's full marks (100). The categories' points may
//   add up to less (a city that has typed in only part of the standard), never
//   more.
// - `category <id> <points> <name…>`: id [a-z0-9_]+, points 1..1000.
//   Then, for the category: `responsible <text…>` (the responsible unit as the
//   standard words it, required), `service_level <sla category>` (the
//   service-level category of tasks opened from its deductions, required),
//   `assign property_company|street_office|owners_committee` (whom those tasks
//   go to; default property_company).
// - `item <id> <text…>`: id like "1.1" ([0-9A-Za-z.]+), unique in the file;
//   the text is the item's words in the standard. An item may override its
//   category's `assign` with its own `assign` line.
// - `rule <id> <kind> <points> [key=value…] <text…>`: a deduction rule of the
//   item above; id unique in the file (convention: item id + letter). Kinds:
//     missing_units   per unit missing of an expected number (expect=N required;
//                     count 1..N)
//     per_occurrence  per case seen (每例/每处/每个)
//     per_square_metre per square metre, whole metres (以1平方米为单位)
//     per_poster      per poster / sticker (牛皮癣每张)
//     absent          once, when a required thing is missing (count must be 1)
//     not_updated     once, when content is out of date (count must be 1);
//                     every=<N>d|<N>w|<N>m says how often it must be updated
//   Optional keys: cap=<points> (the most this rule can deduct on one sheet).
//   points 1..100.
//
// Errors are kInvalidArgument "<source>:<line>: <what> (item 1.1, field
// 'expect'); <what would be right>", naming the file, line, item or rule, and
// field.
#ifndef RECTIFY_DOMAIN_STANDARD_H_
#define RECTIFY_DOMAIN_STANDARD_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::domain {

// Numbered like the API's RuleKind: never renumber.
enum class RuleKind {
  kMissingUnits = 1,
  kPerOccurrence,
  kPerSquareMetre,
  kPerPoster,
  kAbsent,
  kNotUpdated,
};
absl::string_view RuleKindName(RuleKind kind);  // "missing_units", ...

// Whom tasks opened from a deduction go to, among the community's parties.
enum class Assignee { kPropertyCompany = 1, kStreetOffice, kOwnersCommittee };
absl::string_view AssigneeName(Assignee assignee);

struct Rule {
  std::string id;          // "1.1a"
  RuleKind kind = RuleKind::kPerOccurrence;
  int points = 1;          // deducted per unit (or once, for flags)
  int expect = 0;          // kMissingUnits: the expected number; else 0
  int cap = 0;             // the most this rule deducts on one sheet; 0: no cap
  std::string every;       // kNotUpdated: "2m" (months), "1w", "30d"; else ""
  std::string text;        // "每少1处扣1分"
};

struct Item {
  std::string id;          // "1.1"
  std::string text;        // the standard's words
  std::optional<Assignee> assign;  // overrides the category's
  std::vector<Rule> rules;
};

struct Category {
  std::string id;          // "publicity"
  int points = 0;          // 20
  std::string name;        // "查宣传氛围"
  std::string responsible; // "各街道办事处"
  std::string service_level;  // SLA category of tasks from its deductions
  Assignee assign = Assignee::kPropertyCompany;
  std::vector<Item> items;
};

class Standard {
 public:
  // Parses and validates one standard file. `source` names it in errors.
  static absl::StatusOr<Standard> Parse(absl::string_view text, absl::string_view source);

  const std::string& id() const { return id_; }
  const std::string& version() const { return version_; }
  const std::string& name() const { return name_; }
  int total() const { return total_; }
  // The sum of the categories' points: the best score a sheet can have.
  int max_score() const;
  const std::vector<Category>& categories() const { return categories_; }

  // Lookups by id; nullptr if absent.
  const Category* FindCategory(absl::string_view id) const;
  const Item* FindItem(absl::string_view id) const;
  const Rule* FindRule(absl::string_view id) const;
  // The item and category a rule belongs to (rule must be from this standard).
  const Item& ItemOf(const Rule& rule) const;
  const Category& CategoryOf(const Item& item) const;
  // The assignee of tasks opened from `item`'s deductions.
  Assignee AssigneeOf(const Item& item) const;

 private:
  std::string id_, version_, name_;
  int total_ = 0;
  std::vector<Category> categories_;
};

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_STANDARD_H_
