#include "client/cli/render.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/cli/enum_names.h"
#include "client/cli/money.h"
#include "client/cli/time_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/util/json_util.h"

namespace rectify::client::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

template <typename T, typename F>
Table MakeTable(std::vector<std::string> header, const google::protobuf::RepeatedPtrField<T>& items,
                F row) {
  Table table{std::move(header), {}};
  table.rows.reserve(items.size());
  for (const T& item : items) table.rows.push_back(row(item));
  return table;
}

// The value of a singular scalar or enum field, or of element `index` of a
// repeated one (index >= 0).
std::string ScalarText(const Message& message, const FieldDescriptor& field, int index,
                       const Display& display) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? r.GetRepeatedInt32(message, &field, index)
                                   : r.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v =
          repeated ? r.GetRepeatedInt64(message, &field, index) : r.GetInt64(message, &field);
      return absl::EndsWith(field.name(), "_fen") ? ShowMoney(v, display) : absl::StrCat(v);
    }
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(repeated ? r.GetRepeatedUInt32(message, &field, index)
                                   : r.GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(repeated ? r.GetRepeatedUInt64(message, &field, index)
                                   : r.GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(repeated ? r.GetRepeatedDouble(message, &field, index)
                                   : r.GetDouble(message, &field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(repeated ? r.GetRepeatedFloat(message, &field, index)
                                   : r.GetFloat(message, &field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r.GetRepeatedBool(message, &field, index) : r.GetBool(message, &field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumName(*field.enum_type(), repeated ? r.GetRepeatedEnumValue(message, &field, index)
                                                   : r.GetEnumValue(message, &field));
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r.GetRepeatedString(message, &field, index) : r.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

std::string KeyOf(const FieldDescriptor& field) {
  std::string key = field.name();
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(key, "_fen")) {
    key.resize(key.size() - 4);
  }
  return key;
}

void FlattenInto(const Message& message, const Display& display, const std::string& prefix,
                 const std::set<std::string>& skip, KeyValues* out);

// A message value: Timestamps and Durations as one value, others flattened.
void FlattenMessageValue(const Message& value, const Display& display, const std::string& key,
                         KeyValues* out) {
  const std::string& type = value.GetDescriptor()->full_name();
  if (type == google::protobuf::Timestamp::descriptor()->full_name()) {
    google::protobuf::Timestamp ts;
    ts.MergeFrom(value);
    out->emplace_back(key, ShowTime(ts, display));
  } else if (type == google::protobuf::Duration::descriptor()->full_name()) {
    google::protobuf::Duration d;
    d.MergeFrom(value);
    out->emplace_back(key, absl::FormatDuration(FromProtoDuration(d)));
  } else {
    FlattenInto(value, display, key + ".", {}, out);
  }
}

void FlattenInto(const Message& message, const Display& display, const std::string& prefix,
                 const std::set<std::string>& skip, KeyValues* out) {
  const Descriptor& type = *message.GetDescriptor();
  const Reflection& r = *message.GetReflection();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (skip.count(field.name()) > 0) continue;
    const std::string key = prefix + KeyOf(field);
    if (field.is_map()) {
      std::vector<std::pair<std::string, std::string>> entries;
      for (int j = 0; j < r.FieldSize(message, &field); ++j) {
        const Message& entry = r.GetRepeatedMessage(message, &field, j);
        const Descriptor& entry_type = *entry.GetDescriptor();
        entries.emplace_back(ScalarText(entry, *entry_type.map_key(), -1, display),
                             ScalarText(entry, *entry_type.map_value(), -1, display));
      }
      std::sort(entries.begin(), entries.end());
      for (auto& [k, v] : entries) out->emplace_back(absl::StrCat(key, ".", k), std::move(v));
    } else if (field.is_repeated()) {
      for (int j = 0; j < r.FieldSize(message, &field); ++j) {
        const std::string item_key = absl::StrCat(key, "[", j, "]");
        if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          FlattenMessageValue(r.GetRepeatedMessage(message, &field, j), display, item_key, out);
        } else {
          out->emplace_back(item_key, ScalarText(message, field, j, display));
        }
      }
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (r.HasField(message, &field)) {
        FlattenMessageValue(r.GetMessage(message, &field), display, key, out);
      }
    } else {
      out->emplace_back(key, ScalarText(message, field, -1, display));
    }
  }
}

// Events carry states as strings; show them as the enum would be shown when
// they name one.
std::string ShowStateText(const std::string& state) {
  absl::StatusOr<v1::TaskState> parsed = ParseEnum<v1::TaskState>(state);
  return parsed.ok() ? EnumName(*parsed) : state;
}

// The widest a rule's text or a note is shown in a sheet: wide enough for
// every rule of the shipped standard, narrow enough that a line with one fits
// a terminal.
constexpr int kSheetTextWidth = 64;

// `rows` aligned as a table without a header: one line per row, in order,
// without the newlines.
std::vector<std::string> AlignedLines(std::vector<std::vector<std::string>> rows,
                                      int max_cell_width) {
  if (rows.empty()) return {};
  Table table;
  table.rows = std::move(rows);
  const std::string text = RenderTable(table, max_cell_width);
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines.pop_back();  // after the last newline
  return lines;
}

// Right-aligns each of `cells` to the widest.
void AlignRight(std::vector<std::string*> cells) {
  int width = 0;
  for (const std::string* cell : cells) width = std::max(width, DisplayWidth(*cell));
  for (std::string* cell : cells) {
    cell->insert(0, static_cast<size_t>(width - DisplayWidth(*cell)), ' ');
  }
}

// "−4" (U+2212); "0" for nothing.
std::string Minus(int64_t points) { return points == 0 ? "0" : absl::StrCat("−", points); }

std::string Times(int64_t count) { return absl::StrCat("×", count); }

std::string Score(int64_t score, int64_t max) { return absl::StrCat(score, "/", max); }

std::string IdList(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return ids.empty() ? "—" : absl::StrJoin(ids, ", ");
}

// The rule `id` of `standard`, and its category; nulls when not there.
struct RuleRef {
  const v1::DeductionRule* rule = nullptr;
  const v1::StandardCategory* category = nullptr;
};
RuleRef FindRule(const v1::Standard* standard, absl::string_view id) {
  if (standard == nullptr) return {};
  for (const v1::StandardCategory& category : standard->categories()) {
    for (const v1::StandardItem& item : category.items()) {
      for (const v1::DeductionRule& rule : item.rules()) {
        if (rule.id() == id) return {&rule, &category};
      }
    }
  }
  return {};
}

// The category a deduction counts against: the server's word, else the
// standard's.
std::string CategoryOf(const v1::Deduction& d, const v1::Standard* standard) {
  if (!d.category_id().empty()) return d.category_id();
  const RuleRef ref = FindRule(standard, d.rule_id());
  return ref.category != nullptr ? ref.category->id() : "";
}

std::string RuleText(const v1::Deduction& d, const v1::Standard* standard) {
  const RuleRef ref = FindRule(standard, d.rule_id());
  return ref.rule != nullptr ? ref.rule->text() : "";
}

// "expect=8 cap=5 every=2m", those set.
std::string RuleParams(const v1::DeductionRule& rule) {
  std::vector<std::string> params;
  if (rule.expect() != 0) params.push_back(absl::StrCat("expect=", rule.expect()));
  if (rule.cap() != 0) params.push_back(absl::StrCat("cap=", rule.cap()));
  if (!rule.every().empty()) params.push_back(absl::StrCat("every=", rule.every()));
  return absl::StrJoin(params, " ");
}

}  // namespace

std::string StandardRef(absl::string_view id, absl::string_view version) {
  return version.empty() ? std::string(id) : absl::StrCat(id, "@", version);
}

Table StandardTable(const google::protobuf::RepeatedPtrField<v1::Standard>& standards,
                    const Display&) {
  return MakeTable({"ID", "VERSION", "NAME", "TOTAL", "MAX SCORE", "CATEGORIES"}, standards,
                   [](const v1::Standard& s) -> std::vector<std::string> {
                     return {s.id(),
                             s.version(),
                             s.name(),
                             absl::StrCat(s.total()),
                             absl::StrCat(s.max_score()),
                             absl::StrCat(s.categories_size())};
                   });
}

std::string RenderStandard(const v1::Standard& standard) {
  std::string out =
      absl::StrCat(StandardRef(standard.id(), standard.version()), "  ", standard.name(), "\n");
  if (standard.total() == standard.max_score()) {
    absl::StrAppend(&out, "full marks ", standard.total(), "\n");
  } else {
    absl::StrAppend(&out, "full marks ", standard.total(), "; the categories loaded add up to ",
                    standard.max_score(), "\n");
  }
  // The rules of the whole standard, aligned together.
  std::vector<std::vector<std::string>> rule_rows;
  for (const v1::StandardCategory& category : standard.categories()) {
    for (const v1::StandardItem& item : category.items()) {
      for (const v1::DeductionRule& rule : item.rules()) {
        rule_rows.push_back({rule.id(), EnumName(rule.kind()), Minus(rule.points()),
                             RuleParams(rule), rule.text()});
      }
    }
  }
  const std::vector<std::string> rule_lines = AlignedLines(std::move(rule_rows), 1000);
  size_t next_rule = 0;
  for (const v1::StandardCategory& category : standard.categories()) {
    absl::StrAppend(&out, "\n", category.name().empty() ? category.id() : category.name());
    if (!category.name().empty()) absl::StrAppend(&out, " (", category.id(), ")");
    absl::StrAppend(&out, "  ", category.points(), " points");
    if (!category.responsible().empty()) {
      absl::StrAppend(&out, "  responsible: ", category.responsible());
    }
    out += "\n";
    for (const v1::StandardItem& item : category.items()) {
      absl::StrAppend(&out, "  ", item.id(), "  ", item.text(), "\n");
      for (int r = 0; r < item.rules_size(); ++r) {
        absl::StrAppend(&out, "    ", rule_lines[next_rule++], "\n");
      }
    }
  }
  return out;
}

Table StandardRuleTable(const v1::Standard& standard, const Display&) {
  Table table{{"CATEGORY", "CATEGORY NAME", "CATEGORY POINTS", "RESPONSIBLE", "ITEM", "ITEM TEXT",
               "RULE", "KIND", "POINTS", "EXPECT", "CAP", "EVERY", "TEXT"},
              {}};
  auto number = [](int32_t n) { return n == 0 ? std::string() : absl::StrCat(n); };
  for (const v1::StandardCategory& category : standard.categories()) {
    for (const v1::StandardItem& item : category.items()) {
      for (const v1::DeductionRule& rule : item.rules()) {
        table.rows.push_back({category.id(), category.name(), absl::StrCat(category.points()),
                              category.responsible(), item.id(), item.text(), rule.id(),
                              EnumName(rule.kind()), absl::StrCat(rule.points()),
                              number(rule.expect()), number(rule.cap()), rule.every(),
                              rule.text()});
      }
    }
  }
  return table;
}

Table InspectionTable(const google::protobuf::RepeatedPtrField<v1::Inspection>& inspections,
                      const Display& display) {
  if (display.csv) {
    return MakeTable({"ID", "DATE", "COMMUNITY", "KIND", "TOTAL", "MAX", "DEDUCTIONS"}, inspections,
                     [](const v1::Inspection& i) -> std::vector<std::string> {
                       return {i.id(),
                               i.date(),
                               i.community_id(),
                               EnumName(i.kind()),
                               absl::StrCat(i.total()),
                               absl::StrCat(i.max_score()),
                               absl::StrCat(i.deductions_size())};
                     });
  }
  return MakeTable({"ID", "DATE", "COMMUNITY", "KIND", "SCORE", "DEDUCTIONS"}, inspections,
                   [](const v1::Inspection& i) -> std::vector<std::string> {
                     return {i.id(),
                             i.date(),
                             i.community_id(),
                             EnumName(i.kind()),
                             Score(i.total(), i.max_score()),
                             absl::StrCat(i.deductions_size())};
                   });
}

std::string RenderInspectionSheet(const v1::Inspection& inspection, const v1::Standard* standard) {
  KeyValues header = {
      {"inspection", inspection.id()},
      {"community", inspection.community_id()},
      {"kind", EnumName(inspection.kind())},
      {"date", inspection.date()},
      {"inspector", inspection.inspector_id()},
      {"standard", StandardRef(inspection.standard_id(), inspection.standard_version())}};
  if (!inspection.note().empty()) header.emplace_back("note", inspection.note());
  std::string out = RenderKeyValues(header);

  // Which deductions go under which category shown; the rest go last.
  std::vector<std::vector<int>> under(inspection.categories_size());
  std::vector<int> elsewhere;
  for (int d = 0; d < inspection.deductions_size(); ++d) {
    const std::string category = CategoryOf(inspection.deductions(d), standard);
    bool placed = false;
    for (int c = 0; c < inspection.categories_size() && !placed; ++c) {
      if (!category.empty() && inspection.categories(c).category_id() == category) {
        under[c].push_back(d);
        placed = true;
      }
    }
    if (!placed) elsewhere.push_back(d);
  }

  std::vector<std::vector<std::string>> deduction_rows;
  for (const v1::Deduction& d : inspection.deductions()) {
    deduction_rows.push_back(
        {d.rule_id(), RuleText(d, standard), Times(d.count()), Minus(d.points()),
         d.task_id().empty() ? "" : absl::StrCat("task ", d.task_id()), d.note()});
  }
  // Right-align the numbers, so that ×12 and ×2 end together.
  for (size_t column : {2, 3}) {
    std::vector<std::string*> cells;
    for (auto& row : deduction_rows) cells.push_back(&row[column]);
    AlignRight(std::move(cells));
  }
  const std::vector<std::string> deduction_lines =
      AlignedLines(std::move(deduction_rows), kSheetTextWidth);

  std::vector<std::vector<std::string>> category_rows;
  for (const v1::CategoryScore& c : inspection.categories()) {
    category_rows.push_back({c.name().empty() ? c.category_id() : c.name(),
                             Score(c.score(), c.points()),
                             c.deducted() == 0 ? "" : absl::StrCat("(", Minus(c.deducted()), ")")});
  }
  {
    std::vector<std::string*> scores;
    for (auto& row : category_rows) scores.push_back(&row[1]);
    AlignRight(std::move(scores));
  }
  const std::vector<std::string> category_lines = AlignedLines(std::move(category_rows), 1000);

  out += "\n";
  for (size_t c = 0; c < category_lines.size(); ++c) {
    absl::StrAppend(&out, category_lines[c], "\n");
    for (int d : under[c]) absl::StrAppend(&out, "  ", deduction_lines[d], "\n");
  }
  if (!elsewhere.empty()) {
    out += "other deductions\n";
    for (int d : elsewhere) absl::StrAppend(&out, "  ", deduction_lines[d], "\n");
  }
  absl::StrAppend(&out, "\ntotal ", inspection.total(), " / ", inspection.max_score(), "\n");
  const std::string comparison = ComparisonLine(inspection);
  if (!comparison.empty()) absl::StrAppend(&out, comparison, "\n");
  return out;
}

std::string ComparisonLine(const v1::Inspection& inspection) {
  if (inspection.previous_inspection_id().empty()) return "";
  return absl::StrCat("previous: ", inspection.previous_inspection_id(), " (",
                      inspection.previous_total(), ") → now ", inspection.total(),
                      "; cleared: ", IdList(inspection.cleared_rule_ids()),
                      "; persisting: ", IdList(inspection.persisting_rule_ids()),
                      "; new: ", IdList(inspection.new_rule_ids()));
}

Table DeductionTable(const v1::Inspection& inspection, const v1::Standard* standard,
                     const Display&) {
  Table table{{"INSPECTION", "COMMUNITY", "DATE", "CATEGORY", "RULE", "TEXT", "COUNT", "POINTS",
               "TASK", "NOTE"},
              {}};
  for (const v1::Deduction& d : inspection.deductions()) {
    table.rows.push_back({inspection.id(), inspection.community_id(), inspection.date(),
                          CategoryOf(d, standard), d.rule_id(), RuleText(d, standard),
                          absl::StrCat(d.count()), absl::StrCat(d.points()), d.task_id(),
                          d.note()});
  }
  return table;
}

Table ReadinessTable(const google::protobuf::RepeatedPtrField<v1::CommunityReadiness>& communities,
                     const Display& display) {
  auto last_score = [](const v1::CommunityReadiness& r) -> std::string {
    return r.last_inspection_id().empty() ? "—" : Score(r.last_score(), r.max_score());
  };
  if (display.csv) {
    return MakeTable({"COMMUNITY", "NAME", "READY", "OPEN", "OVERDUE", "LAST SCORE", "MAX SCORE",
                      "TARGET", "REASONS"},
                     communities, [](const v1::CommunityReadiness& r) -> std::vector<std::string> {
                       const bool inspected = !r.last_inspection_id().empty();
                       return {r.community_id(),
                               r.community_name(),
                               r.ready() ? "true" : "false",
                               absl::StrCat(r.open_tasks()),
                               absl::StrCat(r.overdue_tasks()),
                               inspected ? absl::StrCat(r.last_score()) : "",
                               inspected ? absl::StrCat(r.max_score()) : "",
                               absl::StrCat(r.target_score()),
                               absl::StrJoin(r.reasons(), "; ")};
                     });
  }
  Table table{{"COMMUNITY", "NAME", "STATUS", "OPEN", "OVERDUE", "LAST SCORE", "TARGET", "REASONS"},
              {}};
  for (const v1::CommunityReadiness& r : communities) {
    table.rows.push_back({r.community_id(), r.community_name(), r.ready() ? "READY" : "NOT READY",
                          absl::StrCat(r.open_tasks()), absl::StrCat(r.overdue_tasks()),
                          last_score(r), absl::StrCat(r.target_score()),
                          r.reasons().empty() ? "" : r.reasons(0)});
    for (int i = 1; i < r.reasons_size(); ++i) {
      std::vector<std::string> more(7);
      more.push_back(r.reasons(i));
      table.rows.push_back(std::move(more));
    }
  }
  return table;
}

std::string ReadinessFooter(int ready, int total) {
  return absl::StrCat("ready: ", ready, " of ", total);
}

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  if (text == "csv") return OutputFormat::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("invalid --output '", text, "': expected table, json or csv"));
}

std::string ShowMoney(int64_t fen, const Display& display) {
  return display.csv ? FormatPlainYuan(fen) : FormatYuan(fen);
}

std::string ShowTime(const google::protobuf::Timestamp& time, const Display& display) {
  return FormatTimestamp(time, display.zone);
}

Table CampaignTable(const google::protobuf::RepeatedPtrField<v1::Campaign>& campaigns,
                    const Display&) {
  return MakeTable({"ID", "NAME", "CITY", "TIME ZONE", "PHASE", "SELF-CHECK", "RECTIFICATION",
                    "FINAL ASSAULT", "CLOSE"},
                   campaigns, [](const v1::Campaign& c) -> std::vector<std::string> {
                     return {c.id(),
                             c.name(),
                             c.city(),
                             c.time_zone(),
                             EnumName(c.phase()),
                             c.self_check_start(),
                             c.rectification_start(),
                             c.final_assault_start(),
                             c.close_date()};
                   });
}

Table OrganisationTable(const google::protobuf::RepeatedPtrField<v1::Organisation>& orgs,
                        const Display&) {
  return MakeTable(
      {"ID", "KIND", "NAME", "HEAD", "STREET OFFICE"}, orgs,
      [](const v1::Organisation& o) -> std::vector<std::string> {
        return {o.id(), EnumName(o.kind()), o.name(), o.head_person_id(), o.street_office_id()};
      });
}

Table PersonTable(const google::protobuf::RepeatedPtrField<v1::Person>& people, const Display&) {
  return MakeTable({"ID", "NAME", "ORGANISATION", "ROLE", "PHONE"}, people,
                   [](const v1::Person& p) -> std::vector<std::string> {
                     return {p.id(), p.name(), p.organisation_id(), EnumName(p.role()), p.phone()};
                   });
}

Table CommunityTable(const google::protobuf::RepeatedPtrField<v1::Community>& communities,
                     const Display&) {
  return MakeTable({"ID", "NAME", "STREET OFFICE", "PROPERTY COMPANY", "COMMITTEE", "ADDRESS"},
                   communities, [](const v1::Community& c) -> std::vector<std::string> {
                     return {c.id(),
                             c.name(),
                             c.street_office_id(),
                             c.property_company_id(),
                             c.owners_committee_id(),
                             c.address()};
                   });
}

Table TaskTable(const google::protobuf::RepeatedPtrField<v1::Task>& tasks, const Display& display) {
  return MakeTable({"ID", "STATE", "OVERDUE", "CATEGORY", "TITLE", "COMMUNITY", "RESPONSIBLE",
                    "DEADLINE", "PLANNED"},
                   tasks, [&](const v1::Task& t) -> std::vector<std::string> {
                     std::string overdue = t.overdue() ? "!" : "";
                     if (display.csv) overdue = t.overdue() ? "true" : "false";
                     return {t.id(),
                             EnumName(t.state()),
                             overdue,
                             t.category(),
                             t.title(),
                             t.community_id(),
                             t.responsible_org_id(),
                             t.has_deadline() ? ShowTime(t.deadline(), display) : "",
                             t.has_budget() ? ShowMoney(t.budget().planned_fen(), display) : ""};
                   });
}

Table EventTable(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                 const Display& display) {
  return MakeTable({"SEQ", "TIME", "TYPE", "ACTOR", "FROM", "TO", "REASON"}, events,
                   [&](const v1::Event& e) -> std::vector<std::string> {
                     return {absl::StrCat(e.seq()),
                             e.has_time() ? ShowTime(e.time(), display) : "",
                             e.type(),
                             e.actor_person_id(),
                             ShowStateText(e.from_state()),
                             ShowStateText(e.to_state()),
                             e.reason()};
                   });
}

// One event as a line: seq, time, type, subject, actor, state change, reason.
std::string EventLine(const v1::Event& e, const Display& display) {
  std::string line = absl::StrCat("#", e.seq(), "  ", e.has_time() ? ShowTime(e.time(), display) : "",
                                  "  ", e.type(), "  ", e.subject(), "  by ", e.actor_person_id());
  if (!e.from_state().empty() || !e.to_state().empty()) {
    absl::StrAppend(&line, "  ", ShowStateText(e.from_state()), " → ", ShowStateText(e.to_state()));
  }
  if (!e.reason().empty()) absl::StrAppend(&line, "  「", e.reason(), "」");
  return line;
}

KeyValues Flatten(const google::protobuf::Message& message, const Display& display,
                  const std::set<std::string>& skip) {
  KeyValues out;
  FlattenInto(message, display, "", skip, &out);
  return out;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print ", message.GetDescriptor()->name(),
                                            " as JSON: ", status.ToString()));
  }
  return json;
}

}  // namespace rectify::client::cli
