#include "client/cli/render.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

}  // namespace

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
