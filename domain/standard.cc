#include "domain/standard.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/text_lines.h"

namespace rectify::domain {
namespace {

constexpr int kMaxTotal = 1000;
constexpr int kMaxCategoryPoints = 1000;
constexpr int kMaxRulePoints = 100;
constexpr int kMaxExpect = 1000;
constexpr int kMaxCap = 1000;
constexpr int kMaxEvery = 999;

constexpr RuleKind kAllKinds[] = {RuleKind::kMissingUnits,   RuleKind::kPerOccurrence,
                                  RuleKind::kPerSquareMetre, RuleKind::kPerPoster,
                                  RuleKind::kAbsent,         RuleKind::kNotUpdated};
constexpr Assignee kAllAssignees[] = {Assignee::kPropertyCompany, Assignee::kStreetOffice,
                                      Assignee::kOwnersCommittee};

template <typename Pred>
bool AllOf(absl::string_view s, Pred pred) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool IsLowerDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

bool IsStandardId(absl::string_view s) {
  return AllOf(s, [](char c) { return IsLowerDigit(c) || c == '-'; });
}
bool IsVersion(absl::string_view s) {
  return AllOf(s, [](char c) { return IsAlnum(c) || c == '.' || c == '-'; });
}
bool IsCategoryId(absl::string_view s) {  // also a service-level category
  return AllOf(s, [](char c) { return IsLowerDigit(c) || c == '_'; });
}
bool IsItemId(absl::string_view s) {  // items and rules
  return AllOf(s, [](char c) { return IsAlnum(c) || c == '.'; });
}

// A whole number from `min` to `max`: digits only, no sign.
bool ParseInt(absl::string_view s, int min, int max, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return false;
  *out = value;
  return true;
}

// "2m", "1w", "30d".
bool IsPeriod(absl::string_view s) {
  int n = 0;
  return s.size() >= 2 && (s.back() == 'd' || s.back() == 'w' || s.back() == 'm') &&
         ParseInt(s.substr(0, s.size() - 1), 1, kMaxEvery, &n);
}

// `key=value` with a key of lower-case ASCII letters: a rule's option, not the
// start of its text.
bool IsOption(absl::string_view token) {
  const size_t eq = token.find('=');
  return eq != absl::string_view::npos &&
         AllOf(token.substr(0, eq), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Builds a standard line by line. Each category and item stays "open" until
// the next one (or the end) closes it; closing checks what it must contain.
class Parser {
 public:
  explicit Parser(absl::string_view source) : source_(source) {}

  absl::Status Line(const DataLine& line);
  absl::Status Finish();

  std::string id, version, name;
  int total = 0;
  std::vector<Category> categories;

 private:
  // Where each open category's declarations were, for errors and duplicates.
  struct CategoryLines {
    int category = 0, responsible = 0, service_level = 0, assign = 0;
  };

  // "<source>:<line>: <what> (<context>, field '<field>'); <right>".
  absl::Status Error(int line, absl::string_view what, absl::string_view context,
                     absl::string_view field, absl::string_view right) const {
    return absl::InvalidArgumentError(absl::StrCat(source_, ":", line, ": ", what, " (", context,
                                                   context.empty() ? "" : ", ", "field '", field,
                                                   "'); ", right));
  }
  // Refuses anything after the last expected token of a fixed-arity line.
  absl::Status NoMore(int line, absl::string_view rest, absl::string_view context,
                      absl::string_view field, absl::string_view form) const {
    if (absl::StripAsciiWhitespace(rest).empty()) return absl::OkStatus();
    return Error(line, absl::StrCat("unexpected '", absl::StripAsciiWhitespace(rest), "'"), context,
                 field, absl::StrCat("the line is '", form, "'"));
  }
  // Refuses a second declaration of an id (categories, items or rules).
  absl::Status Unique(std::map<std::string, int, std::less<>>& lines, absl::string_view id,
                      int line, absl::string_view noun, absl::string_view context) const {
    auto [it, inserted] = lines.emplace(std::string(id), line);
    if (inserted) return absl::OkStatus();
    return Error(line, absl::StrCat(noun, " '", id, "' is already declared at line ", it->second),
                 context, "id", absl::StrCat("give each ", noun, " its own id"));
  }
  Category* OpenCategory() { return categories.empty() ? nullptr : &categories.back(); }
  Item* OpenItem() {
    return categories.empty() || categories.back().items.empty() ? nullptr
                                                                 : &categories.back().items.back();
  }

  absl::Status OnStandard(int line, absl::string_view rest);
  absl::Status OnTotal(int line, absl::string_view rest);
  absl::Status OnCategory(int line, absl::string_view rest);
  absl::Status OnResponsible(int line, absl::string_view rest);
  absl::Status OnServiceLevel(int line, absl::string_view rest);
  absl::Status OnAssign(int line, absl::string_view rest);
  absl::Status OnItem(int line, absl::string_view rest);
  absl::Status OnRule(int line, absl::string_view rest);
  absl::Status RuleOption(int line, const std::string& context, absl::string_view key,
                          absl::string_view value, Rule& rule);
  absl::Status CloseItem();
  absl::Status CloseCategory();

  const absl::string_view source_;
  int standard_line_ = 0, total_line_ = 0;
  std::vector<CategoryLines> category_lines_;
  int item_line_ = 0, item_assign_line_ = 0;  // of the open item
  std::map<std::string, int, std::less<>> category_ids_, item_ids_, rule_ids_;
};

absl::Status Parser::Line(const DataLine& line) {
  absl::string_view rest = line.text;
  const absl::string_view keyword = NextToken(&rest);
  if (standard_line_ == 0 && keyword != "standard") {
    return Error(line.number, absl::StrCat("'", keyword, "' comes before the 'standard' line"), "",
                 "standard",
                 "begin the file with 'standard <id> <version> <name>', e.g. 'standard "
                 "civilized-residential 2024.1 住宅小区全国文明城市创建标准'");
  }
  if (keyword == "standard") return OnStandard(line.number, rest);
  if (keyword == "total") return OnTotal(line.number, rest);
  if (keyword == "category") return OnCategory(line.number, rest);
  if (keyword == "responsible") return OnResponsible(line.number, rest);
  if (keyword == "service_level") return OnServiceLevel(line.number, rest);
  if (keyword == "assign") return OnAssign(line.number, rest);
  if (keyword == "item") return OnItem(line.number, rest);
  if (keyword == "rule") return OnRule(line.number, rest);
  return Error(line.number, absl::StrCat("unknown declaration '", keyword, "'"), "", "keyword",
               "a line starts with standard, total, category, responsible, service_level, "
               "assign, item or rule");
}

absl::Status Parser::OnStandard(int line, absl::string_view rest) {
  if (standard_line_ != 0) {
    return Error(
        line, absl::StrCat("a second 'standard' line (the first is at line ", standard_line_, ")"),
        "standard", "standard", "a file holds one standard: declare it once");
  }
  standard_line_ = line;
  const absl::string_view id_text = NextToken(&rest);
  const absl::string_view version_text = NextToken(&rest);
  const absl::string_view name_text = absl::StripAsciiWhitespace(rest);
  if (!IsStandardId(id_text)) {
    return Error(line, absl::StrCat("standard id '", id_text, "' is not valid"), "standard", "id",
                 "use lower-case letters, digits and '-', e.g. 'civilized-residential'");
  }
  if (!IsVersion(version_text)) {
    return Error(line, absl::StrCat("version '", version_text, "' is not valid"),
                 absl::StrCat("standard ", id_text), "version",
                 "use letters, digits, '.' and '-', e.g. '2024.1'");
  }
  if (name_text.empty()) {
    return Error(line, "the standard has no name", absl::StrCat("standard ", id_text), "name",
                 "write its title after the version, e.g. 住宅小区全国文明城市创建标准");
  }
  id = std::string(id_text);
  version = std::string(version_text);
  name = std::string(name_text);
  return absl::OkStatus();
}

absl::Status Parser::OnTotal(int line, absl::string_view rest) {
  if (total_line_ != 0) {
    return Error(line,
                 absl::StrCat("a second 'total' line (the first is at line ", total_line_, ")"),
                 absl::StrCat("standard ", id), "total", "declare the full marks once");
  }
  const absl::string_view points = NextToken(&rest);
  if (!ParseInt(points, 1, kMaxTotal, &total)) {
    return Error(line, absl::StrCat("total '", points, "' is not valid"),
                 absl::StrCat("standard ", id), "total",
                 absl::StrCat("the full marks are a whole number from 1 to ", kMaxTotal,
                              ", e.g. 'total 100'"));
  }
  total_line_ = line;
  return NoMore(line, rest, absl::StrCat("standard ", id), "total", "total <points>");
}

absl::Status Parser::OnCategory(int line, absl::string_view rest) {
  if (!categories.empty()) {
    RECTIFY_RETURN_IF_ERROR(CloseCategory());
  }
  const absl::string_view id_text = NextToken(&rest);
  const absl::string_view points_text = NextToken(&rest);
  const absl::string_view name_text = absl::StripAsciiWhitespace(rest);
  const std::string context = absl::StrCat("category ", id_text);
  if (!IsCategoryId(id_text)) {
    return Error(line, absl::StrCat("category id '", id_text, "' is not valid"), "category", "id",
                 "use lower-case letters, digits and '_', e.g. 'category publicity 20 "
                 "查宣传氛围'");
  }
  RECTIFY_RETURN_IF_ERROR(Unique(category_ids_, id_text, line, "category", context));
  Category category;
  category.id = std::string(id_text);
  if (!ParseInt(points_text, 1, kMaxCategoryPoints, &category.points)) {
    return Error(line, absl::StrCat("points '", points_text, "' are not valid"), context, "points",
                 absl::StrCat("a category's points are a whole number from 1 to ",
                              kMaxCategoryPoints, ", e.g. 20"));
  }
  if (name_text.empty()) {
    return Error(line, "the category has no name", context, "name",
                 "write the standard's heading after the points, e.g. 查宣传氛围");
  }
  category.name = std::string(name_text);
  categories.push_back(std::move(category));
  category_lines_.push_back(CategoryLines{line});
  item_line_ = 0;
  return absl::OkStatus();
}

absl::Status Parser::OnResponsible(int line, absl::string_view rest) {
  Category* category = OpenCategory();
  if (category == nullptr) {
    return Error(line, "'responsible' comes before any category", "", "responsible",
                 "put it under the 'category' line it belongs to");
  }
  const std::string context = absl::StrCat("category ", category->id);
  CategoryLines& lines = category_lines_.back();
  if (lines.responsible != 0) {
    return Error(
        line,
        absl::StrCat("a second 'responsible' line (the first is at line ", lines.responsible, ")"),
        context, "responsible", "name the responsible unit once per category");
  }
  const absl::string_view unit = absl::StripAsciiWhitespace(rest);
  if (unit.empty()) {
    return Error(line, "the responsible unit is empty", context, "responsible",
                 "name it as the standard words it, e.g. 'responsible 各街道办事处'");
  }
  category->responsible = std::string(unit);
  lines.responsible = line;
  return absl::OkStatus();
}

absl::Status Parser::OnServiceLevel(int line, absl::string_view rest) {
  Category* category = OpenCategory();
  if (category == nullptr) {
    return Error(line, "'service_level' comes before any category", "", "service_level",
                 "put it under the 'category' line it belongs to");
  }
  const std::string context = absl::StrCat("category ", category->id);
  CategoryLines& lines = category_lines_.back();
  if (lines.service_level != 0) {
    return Error(line,
                 absl::StrCat("a second 'service_level' line (the first is at line ",
                              lines.service_level, ")"),
                 context, "service_level", "give one service level per category");
  }
  const absl::string_view level = NextToken(&rest);
  if (!IsCategoryId(level)) {
    return Error(line, absl::StrCat("service level '", level, "' is not valid"), context,
                 "service_level",
                 "name a category of data/service_levels.txt, e.g. 'service_level sanitation'");
  }
  category->service_level = std::string(level);
  lines.service_level = line;
  return NoMore(line, rest, context, "service_level", "service_level <sla category>");
}

// Under an item, the item's own assignee; before the category's first item,
// the category's.
absl::Status Parser::OnAssign(int line, absl::string_view rest) {
  Category* category = OpenCategory();
  if (category == nullptr) {
    return Error(line, "'assign' comes before any category", "", "assign",
                 "put it under the 'category' or 'item' line it belongs to");
  }
  Item* item = OpenItem();
  const std::string context =
      item != nullptr ? absl::StrCat("item ", item->id) : absl::StrCat("category ", category->id);
  int& assign_line = item != nullptr ? item_assign_line_ : category_lines_.back().assign;
  if (assign_line != 0) {
    return Error(line,
                 absl::StrCat("a second 'assign' line (the first is at line ", assign_line, ")"),
                 context, "assign", "give one assignee");
  }
  const absl::string_view name_text = NextToken(&rest);
  std::optional<Assignee> assignee;
  for (Assignee a : kAllAssignees) {
    if (name_text == AssigneeName(a)) assignee = a;
  }
  if (!assignee.has_value()) {
    return Error(line, absl::StrCat("assignee '", name_text, "' is not known"), context, "assign",
                 "use property_company, street_office or owners_committee");
  }
  if (item != nullptr) {
    item->assign = *assignee;
  } else {
    category->assign = *assignee;
  }
  assign_line = line;
  return NoMore(line, rest, context, "assign", "assign <assignee>");
}

absl::Status Parser::OnItem(int line, absl::string_view rest) {
  const absl::string_view id_text = NextToken(&rest);
  const absl::string_view text = absl::StripAsciiWhitespace(rest);
  const std::string context = absl::StrCat("item ", id_text);
  Category* category = OpenCategory();
  if (category == nullptr) {
    return Error(line, "the item comes before any category", context, "category",
                 "put it under its 'category' line");
  }
  if (OpenItem() != nullptr) {
    RECTIFY_RETURN_IF_ERROR(CloseItem());
  }
  if (!IsItemId(id_text)) {
    return Error(line, absl::StrCat("item id '", id_text, "' is not valid"), "item", "id",
                 "use letters, digits and '.', numbered as in the standard, e.g. 'item 1.1 "
                 "小区内随机步行200米……'");
  }
  RECTIFY_RETURN_IF_ERROR(Unique(item_ids_, id_text, line, "item", context));
  if (text.empty()) {
    return Error(line, "the item has no text", context, "text",
                 "copy the item's words from the standard after its id");
  }
  Item item;
  item.id = std::string(id_text);
  item.text = std::string(text);
  category->items.push_back(std::move(item));
  item_line_ = line;
  item_assign_line_ = 0;
  return absl::OkStatus();
}

absl::Status Parser::RuleOption(int line, const std::string& context, absl::string_view key,
                                absl::string_view value, Rule& rule) {
  if (key == "expect") {
    if (rule.kind != RuleKind::kMissingUnits) {
      return Error(line, absl::StrCat("expect= does not apply to kind ", RuleKindName(rule.kind)),
                   context, "expect",
                   "only missing_units rules have an expected number; remove it");
    }
    if (!ParseInt(value, 1, kMaxExpect, &rule.expect)) {
      return Error(line, absl::StrCat("expect='", value, "' is not valid"), context, "expect",
                   absl::StrCat("the expected number is a whole number from 1 to ", kMaxExpect,
                                ", e.g. expect=8"));
    }
    return absl::OkStatus();
  }
  if (key == "cap") {
    if (rule.kind == RuleKind::kAbsent || rule.kind == RuleKind::kNotUpdated) {
      return Error(line, absl::StrCat("cap= does not apply to kind ", RuleKindName(rule.kind)),
                   context, "cap", "this kind deducts its points once; remove the cap");
    }
    if (!ParseInt(value, 1, kMaxCap, &rule.cap)) {
      return Error(
          line, absl::StrCat("cap='", value, "' is not valid"), context, "cap",
          absl::StrCat("the cap is a whole number of points from 1 to ", kMaxCap, ", e.g. cap=5"));
    }
    if (rule.cap < rule.points) {
      return Error(
          line, absl::StrCat("cap=", rule.cap, " is less than the rule's ", rule.points, " points"),
          context, "cap", "a cap is at least the points of one unit; raise or remove it");
    }
    return absl::OkStatus();
  }
  if (key == "every") {
    if (rule.kind != RuleKind::kNotUpdated) {
      return Error(line, absl::StrCat("every= does not apply to kind ", RuleKindName(rule.kind)),
                   context, "every", "only not_updated rules have an update period; remove it");
    }
    if (!IsPeriod(value)) {
      return Error(line, absl::StrCat("every='", value, "' is not valid"), context, "every",
                   absl::StrCat("the period is a number from 1 to ", kMaxEvery,
                                " and d (days), w (weeks) or m (months), e.g. every=2m"));
    }
    rule.every = std::string(value);
    return absl::OkStatus();
  }
  return Error(line, absl::StrCat("unknown key '", key, "='"), context, key,
               "a rule's keys are expect=, cap= and every=");
}

absl::Status Parser::OnRule(int line, absl::string_view rest) {
  const absl::string_view id_text = NextToken(&rest);
  std::string context = absl::StrCat("rule ", id_text);
  Item* item = OpenItem();
  if (item == nullptr) {
    return Error(line, "the rule comes before any item", context, "item",
                 "put each rule under the 'item' line it belongs to");
  }
  if (!IsItemId(id_text)) {
    return Error(line, absl::StrCat("rule id '", id_text, "' is not valid"),
                 absl::StrCat("item ", item->id), "id",
                 absl::StrCat("use letters, digits and '.': the item's id and a letter, e.g. '",
                              item->id, "a'"));
  }
  RECTIFY_RETURN_IF_ERROR(Unique(rule_ids_, id_text, line, "rule", context));
  absl::StrAppend(&context, " of item ", item->id);

  Rule rule;
  rule.id = std::string(id_text);
  const absl::string_view kind_text = NextToken(&rest);
  bool known_kind = false;
  for (RuleKind kind : kAllKinds) {
    if (kind_text == RuleKindName(kind)) {
      rule.kind = kind;
      known_kind = true;
    }
  }
  if (!known_kind) {
    return Error(line, absl::StrCat("rule kind '", kind_text, "' is not known"), context, "kind",
                 "use missing_units, per_occurrence, per_square_metre, per_poster, absent or "
                 "not_updated");
  }
  const absl::string_view points_text = NextToken(&rest);
  if (!ParseInt(points_text, 1, kMaxRulePoints, &rule.points)) {
    return Error(line, absl::StrCat("points '", points_text, "' are not valid"), context, "points",
                 absl::StrCat("the points deducted are a whole number from 1 to ", kMaxRulePoints,
                              ", after the kind: 'rule <id> <kind> <points> [key=value…] "
                              "<text>'"));
  }
  std::map<std::string, int, std::less<>> seen_keys;
  for (absl::string_view probe = rest;;) {
    const absl::string_view token = NextToken(&probe);
    if (!IsOption(token)) break;
    rest = probe;
    const size_t eq = token.find('=');
    const absl::string_view key = token.substr(0, eq);
    if (!seen_keys.emplace(std::string(key), line).second) {
      return Error(line, absl::StrCat("'", key, "=' is given twice"), context, key,
                   "give each key once");
    }
    RECTIFY_RETURN_IF_ERROR(RuleOption(line, context, key, token.substr(eq + 1), rule));
  }
  if (rule.kind == RuleKind::kMissingUnits && rule.expect == 0) {
    return Error(line, "a missing_units rule without expect=", context, "expect",
                 "give the number expected, e.g. 'missing_units 1 expect=8 每少1处扣1分'");
  }
  const absl::string_view text = absl::StripAsciiWhitespace(rest);
  if (text.empty()) {
    return Error(line, "the rule has no text", context, "text",
                 "copy the deduction's words from the standard at the end, e.g. 每少1处扣1分");
  }
  rule.text = std::string(text);
  item->rules.push_back(std::move(rule));
  return absl::OkStatus();
}

absl::Status Parser::CloseItem() {
  const Item& item = categories.back().items.back();
  if (!item.rules.empty()) return absl::OkStatus();
  return Error(item_line_, "the item has no deduction rule", absl::StrCat("item ", item.id), "rule",
               absl::StrCat("add at least one 'rule' line under it, e.g. 'rule ", item.id,
                            "a per_occurrence 1 不符合要求每例扣1分'"));
}

absl::Status Parser::CloseCategory() {
  const Category& category = categories.back();
  const CategoryLines& lines = category_lines_.back();
  const std::string context = absl::StrCat("category ", category.id);
  if (lines.responsible == 0) {
    return Error(lines.category, "the category names no responsible unit", context, "responsible",
                 "add e.g. 'responsible 各街道办事处' under it");
  }
  if (lines.service_level == 0) {
    return Error(lines.category, "the category has no service level", context, "service_level",
                 "add e.g. 'service_level sanitation' under it (a category of "
                 "data/service_levels.txt)");
  }
  if (category.items.empty()) {
    return Error(lines.category, "the category has no item", context, "item",
                 "add at least one 'item' line with its rules under it");
  }
  return CloseItem();
}

absl::Status Parser::Finish() {
  if (standard_line_ == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_,
                     ": the file declares no standard; begin it with 'standard <id> <version> "
                     "<name>' and list its categories, items and rules"));
  }
  const std::string context = absl::StrCat("standard ", id);
  if (total_line_ == 0) {
    return Error(standard_line_, "the standard has no total", context, "total",
                 "add its full marks, e.g. 'total 100'");
  }
  if (categories.empty()) {
    return Error(standard_line_, "the standard has no category", context, "category",
                 "add e.g. 'category publicity 20 查宣传氛围' with its items and rules");
  }
  RECTIFY_RETURN_IF_ERROR(CloseCategory());
  int sum = 0;
  for (size_t i = 0; i < categories.size(); ++i) {
    sum += categories[i].points;
    if (sum > total) {
      return Error(
          category_lines_[i].category,
          absl::StrCat("the categories up to this one add up to ", sum,
                       " points, more than the total of ", total, " (line ", total_line_, ")"),
          absl::StrCat("category ", categories[i].id), "points",
          "the categories' points may add up to the total or less; lower them or "
          "raise 'total'");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view RuleKindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kMissingUnits:
      return "missing_units";
    case RuleKind::kPerOccurrence:
      return "per_occurrence";
    case RuleKind::kPerSquareMetre:
      return "per_square_metre";
    case RuleKind::kPerPoster:
      return "per_poster";
    case RuleKind::kAbsent:
      return "absent";
    case RuleKind::kNotUpdated:
      return "not_updated";
  }
  return "?";
}

absl::string_view AssigneeName(Assignee assignee) {
  switch (assignee) {
    case Assignee::kPropertyCompany:
      return "property_company";
    case Assignee::kStreetOffice:
      return "street_office";
    case Assignee::kOwnersCommittee:
      return "owners_committee";
  }
  return "?";
}

absl::StatusOr<Standard> Standard::Parse(absl::string_view text, absl::string_view source) {
  Parser parser(source);
  for (const DataLine& line : DataLines(text)) {
    RECTIFY_RETURN_IF_ERROR(parser.Line(line));
  }
  RECTIFY_RETURN_IF_ERROR(parser.Finish());
  Standard standard;
  standard.id_ = std::move(parser.id);
  standard.version_ = std::move(parser.version);
  standard.name_ = std::move(parser.name);
  standard.total_ = parser.total;
  standard.categories_ = std::move(parser.categories);
  return standard;
}

int Standard::max_score() const {
  int sum = 0;
  for (const Category& category : categories_) sum += category.points;
  return sum;
}

const Category* Standard::FindCategory(absl::string_view id) const {
  for (const Category& category : categories_) {
    if (category.id == id) return &category;
  }
  return nullptr;
}

const Item* Standard::FindItem(absl::string_view id) const {
  for (const Category& category : categories_) {
    for (const Item& item : category.items) {
      if (item.id == id) return &item;
    }
  }
  return nullptr;
}

const Rule* Standard::FindRule(absl::string_view id) const {
  for (const Category& category : categories_) {
    for (const Item& item : category.items) {
      for (const Rule& rule : item.rules) {
        if (rule.id == id) return &rule;
      }
    }
  }
  return nullptr;
}

// By id rather than address (ids are unique in a standard), so a copy of a
// rule or item works as well as a reference into this standard.
const Item& Standard::ItemOf(const Rule& rule) const {
  for (const Category& category : categories_) {
    for (const Item& item : category.items) {
      for (const Rule& r : item.rules) {
        if (r.id == rule.id) return item;
      }
    }
  }
  assert(false && "Standard::ItemOf: the rule is not from this standard");
  static const Item* const kNone = new Item();
  return *kNone;
}

const Category& Standard::CategoryOf(const Item& item) const {
  for (const Category& category : categories_) {
    for (const Item& i : category.items) {
      if (i.id == item.id) return category;
    }
  }
  assert(false && "Standard::CategoryOf: the item is not from this standard");
  static const Category* const kNone = new Category();
  return *kNone;
}

Assignee Standard::AssigneeOf(const Item& item) const {
  return item.assign.value_or(CategoryOf(item).assign);
}

}  // namespace rectify::domain
