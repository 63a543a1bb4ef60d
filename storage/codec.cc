#include "storage/codec.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/status_macros.h"

namespace rectify::storage::codec {

std::optional<int64_t> TimeToMicros(absl::Time time) {
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture()) return std::nullopt;
  return absl::ToUnixMicros(time);
}

absl::Time TimeFromMicros(std::optional<int64_t> micros, absl::Time if_null) {
  if (!micros.has_value()) return if_null;
  return absl::FromUnixMicros(*micros);
}

std::string DayToText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::StatusOr<absl::CivilDay> DayFromText(absl::string_view text) {
  absl::CivilDay day;
  // ParseCivilTime alone is lenient ("2024-5-1", " 2024-05-01", "+2024-05-01"
  // pass); only the form DayToText writes sorts as text, which the inspection
  // date filters rely on, so anything else is refused.
  if (!absl::ParseCivilTime(text, &day) || DayToText(day) != text) {
    return absl::DataLossError(
        absl::StrCat("stored day '", text, "' is not a day in the form YYYY-MM-DD"));
  }
  return day;
}

namespace {

// ---------------------------------------------------------------------------
// A small JSON reader and writer: just what the encoders below need (objects,
// arrays, strings, 64-bit integers, null). Strings are byte-exact: any byte
// sequence, NUL and invalid UTF-8 included, survives a round trip.

struct JsonValue {
  enum class Kind { kNull, kBool, kInt, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  int64_t integer = 0;
  std::string string;
  std::vector<JsonValue> items;   // kArray; kObject: the members' values
  std::vector<std::string> keys;  // kObject: the members' keys, parallel to items

  const JsonValue* Find(absl::string_view key) const {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &items[i];
    }
    return nullptr;
  }
};

void AppendJsonString(std::string* out, absl::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(ch);  // bytes >= 0x80 pass through unchanged
        }
    }
  }
  out->push_back('"');
}

void AppendJsonTime(std::string* out, absl::Time time) {
  std::optional<int64_t> micros = TimeToMicros(time);
  if (micros.has_value()) {
    absl::StrAppend(out, *micros);
  } else {
    out->append("null");
  }
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class JsonParser {
 public:
  explicit JsonParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> ParseDocument() {
    JsonValue value;
    RECTIFY_RETURN_IF_ERROR(ParseValue(&value, 0));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the value");
    return value;
  }

 private:
  static constexpr int kMaxDepth = 32;

  absl::Status Error(absl::string_view what) const {
    return absl::DataLossError(absl::StrCat("stored JSON is malformed at byte ", pos_, ": ", what));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Consume(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  absl::Status ParseValue(JsonValue* out, int depth) {
    if (depth > kMaxDepth) return Error("nested too deeply");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end");
    const char c = text_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      out->kind = JsonValue::Kind::kString;
      return ParseString(&out->string);
    }
    if (Consume("null")) {
      out->kind = JsonValue::Kind::kNull;
      return absl::OkStatus();
    }
    if (Consume("true")) {
      out->kind = JsonValue::Kind::kBool;
      out->boolean = true;
      return absl::OkStatus();
    }
    if (Consume("false")) {
      out->kind = JsonValue::Kind::kBool;
      out->boolean = false;
      return absl::OkStatus();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseInteger(out);
    return Error("expected a value");
  }

  absl::Status ParseInteger(JsonValue* out) {
    const size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      return Error("only integers are expected");
    }
    if (!absl::SimpleAtoi(text_.substr(start, pos_ - start), &out->integer)) {
      return Error("not a 64-bit integer");
    }
    out->kind = JsonValue::Kind::kInt;
    return absl::OkStatus();
  }

  absl::Status ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Error("truncated \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        value |= static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        value |= static_cast<uint32_t>(h - 'A' + 10);
      } else {
        return Error("bad hex digit in \\u escape");
      }
    }
    *out = value;
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    ++pos_;  // the opening quote
    out->clear();
    while (true) {
      if (pos_ >= text_.size()) return Error("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return absl::OkStatus();
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return Error("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          RECTIFY_RETURN_IF_ERROR(ParseHex4(&cp));
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair, as other writers emit
            uint32_t low = 0;
            if (!Consume("\\u")) return Error("lone high surrogate");
            RECTIFY_RETURN_IF_ERROR(ParseHex4(&low));
            if (low < 0xDC00 || low > 0xDFFF) return Error("bad low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Error("lone low surrogate");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return Error("unknown escape");
      }
    }
  }

  absl::Status ParseArray(JsonValue* out, int depth) {
    ++pos_;  // '['
    out->kind = JsonValue::Kind::kArray;
    SkipSpace();
    if (Consume("]")) return absl::OkStatus();
    while (true) {
      out->items.emplace_back();
      RECTIFY_RETURN_IF_ERROR(ParseValue(&out->items.back(), depth + 1));
      SkipSpace();
      if (Consume("]")) return absl::OkStatus();
      if (!Consume(",")) return Error("expected ',' or ']'");
    }
  }

  absl::Status ParseObject(JsonValue* out, int depth) {
    ++pos_;  // '{'
    out->kind = JsonValue::Kind::kObject;
    SkipSpace();
    if (Consume("}")) return absl::OkStatus();
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a key");
      out->keys.emplace_back();
      RECTIFY_RETURN_IF_ERROR(ParseString(&out->keys.back()));
      SkipSpace();
      if (!Consume(":")) return Error("expected ':'");
      out->items.emplace_back();
      RECTIFY_RETURN_IF_ERROR(ParseValue(&out->items.back(), depth + 1));
      SkipSpace();
      if (Consume("}")) return absl::OkStatus();
      if (!Consume(",")) return Error("expected ',' or '}'");
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

// Typed access to one member of an object; a missing member or null keeps the
// field's default.
absl::Status GetString(const JsonValue& object, absl::string_view key, std::string* out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->kind == JsonValue::Kind::kNull) return absl::OkStatus();
  if (v->kind != JsonValue::Kind::kString) {
    return absl::DataLossError(absl::StrCat("stored JSON member '", key, "' is not a string"));
  }
  *out = v->string;
  return absl::OkStatus();
}

absl::Status GetTime(const JsonValue& object, absl::string_view key, absl::Time if_null,
                     absl::Time* out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->kind == JsonValue::Kind::kNull) {
    *out = if_null;
    return absl::OkStatus();
  }
  if (v->kind != JsonValue::Kind::kInt) {
    return absl::DataLossError(
        absl::StrCat("stored JSON member '", key, "' is not a time in microseconds"));
  }
  *out = TimeFromMicros(v->integer, if_null);
  return absl::OkStatus();
}

absl::Status GetInt(const JsonValue& object, absl::string_view key, int* out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->kind == JsonValue::Kind::kNull) return absl::OkStatus();
  if (v->kind != JsonValue::Kind::kInt || v->integer < std::numeric_limits<int>::min() ||
      v->integer > std::numeric_limits<int>::max()) {
    return absl::DataLossError(
        absl::StrCat("stored JSON member '", key, "' is not an integer that fits an int"));
  }
  *out = static_cast<int>(v->integer);
  return absl::OkStatus();
}

absl::Status GetBool(const JsonValue& object, absl::string_view key, bool* out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->kind == JsonValue::Kind::kNull) return absl::OkStatus();
  if (v->kind != JsonValue::Kind::kBool) {
    return absl::DataLossError(absl::StrCat("stored JSON member '", key, "' is not true or false"));
  }
  *out = v->boolean;
  return absl::OkStatus();
}

// Parses `json` as an array whose items are all of `kind`.
absl::StatusOr<JsonValue> ParseArrayOf(absl::string_view json, JsonValue::Kind kind,
                                       absl::string_view what) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root, JsonParser(json).ParseDocument());
  if (root.kind != JsonValue::Kind::kArray) {
    return absl::DataLossError(absl::StrCat("stored ", what, " is not a JSON array"));
  }
  for (const JsonValue& item : root.items) {
    if (item.kind != kind) {
      return absl::DataLossError(absl::StrCat("stored ", what, " has an item of the wrong type"));
    }
  }
  return root;
}

// One member of a stored object: its key and the field of T it holds, text or
// a time (see AppendJsonTime; absent or null reads back as InfinitePast(), the
// default of every time these objects have).
template <typename T>
struct Member {
  constexpr Member(const char* key, std::string T::*text) : key(key), text(text) {}
  constexpr Member(const char* key, absl::Time T::*time) : key(key), time(time) {}
  const char* key;
  std::string T::*text = nullptr;
  absl::Time T::*time = nullptr;
};

// The stored forms of evidence and urgings: keys and their order are part of
// the format (sqlite3's json_extract reads them; so do older builds).
constexpr Member<domain::Evidence> kEvidenceMembers[] = {
    {"uri", &domain::Evidence::uri},           {"sha256", &domain::Evidence::sha256},
    {"note", &domain::Evidence::note},         {"added_by", &domain::Evidence::added_by},
    {"add_time", &domain::Evidence::add_time},
};
constexpr Member<domain::Urging> kUrgingMembers[] = {
    {"by", &domain::Urging::by},
    {"opinion", &domain::Urging::opinion},
    {"time", &domain::Urging::time},
    {"reply", &domain::Urging::reply},
    {"replied_by", &domain::Urging::replied_by},
    {"reply_time", &domain::Urging::reply_time},
};

// A JSON array of objects, one per item, each with `members` in order.
template <typename T>
std::string EncodeObjects(const std::vector<T>& items, absl::Span<const Member<T>> members) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('{');
    for (size_t m = 0; m < members.size(); ++m) {
      if (m > 0) out.push_back(',');
      AppendJsonString(&out, members[m].key);
      out.push_back(':');
      if (members[m].text != nullptr) {
        AppendJsonString(&out, items[i].*members[m].text);
      } else {
        AppendJsonTime(&out, items[i].*members[m].time);
      }
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// The inverse of EncodeObjects, from a parsed array of objects.
template <typename T>
absl::StatusOr<std::vector<T>> DecodeObjectsFrom(const JsonValue& root,
                                                 absl::Span<const Member<T>> members) {
  std::vector<T> out(root.items.size());
  for (size_t i = 0; i < root.items.size(); ++i) {
    for (const Member<T>& member : members) {
      if (member.text != nullptr) {
        RECTIFY_RETURN_IF_ERROR(GetString(root.items[i], member.key, &(out[i].*member.text)));
      } else {
        RECTIFY_RETURN_IF_ERROR(
            GetTime(root.items[i], member.key, absl::InfinitePast(), &(out[i].*member.time)));
      }
    }
  }
  return out;
}

// The inverse of EncodeObjects. `what` names the array in errors.
template <typename T>
absl::StatusOr<std::vector<T>> DecodeObjects(absl::string_view json,
                                             absl::Span<const Member<T>> members,
                                             absl::string_view what) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root, ParseArrayOf(json, JsonValue::Kind::kObject, what));
  return DecodeObjectsFrom<T>(root, members);
}

constexpr Member<domain::LegalStep> kLegalStepMembers[] = {
    {"actor_person_id", &domain::LegalStep::actor_person_id},
    {"actor_org_id", &domain::LegalStep::actor_org_id},
    {"time", &domain::LegalStep::time},
    {"note", &domain::LegalStep::note},
};

}  // namespace

std::string EncodeLegalSteps(const std::vector<domain::LegalStep>& steps) {
  std::string out = "[";
  for (size_t i = 0; i < steps.size(); ++i) {
    if (i > 0) out.push_back(',');
    // {"action":"...", <members>, "evidence":[...]}: one object of EncodeObjects
    // with the action in front and the evidence behind.
    std::string members = EncodeObjects<domain::LegalStep>({steps[i]}, kLegalStepMembers);
    out += "{";
    AppendJsonString(&out, "action");
    out.push_back(':');
    AppendJsonString(&out, domain::LegalActionName(steps[i].action));
    out.push_back(',');
    out.append(members, 2, members.size() - 4);  // strip "[{" and "}]"
    out.push_back(',');
    AppendJsonString(&out, "evidence");
    out.push_back(':');
    out += EncodeEvidence(steps[i].evidence);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<domain::LegalStep>> DecodeLegalSteps(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root,
                           ParseArrayOf(json, JsonValue::Kind::kObject, "legal case steps"));
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::LegalStep> out,
                           DecodeObjectsFrom<domain::LegalStep>(root, kLegalStepMembers));
  for (size_t i = 0; i < out.size(); ++i) {
    std::string action;
    RECTIFY_RETURN_IF_ERROR(GetString(root.items[i], "action", &action));
    bool known = false;
    for (int a = static_cast<int>(domain::LegalAction::kNotify);
         a <= static_cast<int>(domain::LegalAction::kResolve); ++a) {
      if (domain::LegalActionName(static_cast<domain::LegalAction>(a)) == action) {
        out[i].action = static_cast<domain::LegalAction>(a);
        known = true;
      }
    }
    if (!known) {
      return absl::DataLossError(
          absl::StrCat("stored legal case step ", i, " has unknown action '", action, "'"));
    }
    const JsonValue* evidence = root.items[i].Find("evidence");
    if (evidence == nullptr || evidence->kind == JsonValue::Kind::kNull) continue;
    if (evidence->kind != JsonValue::Kind::kArray) {
      return absl::DataLossError(
          absl::StrCat("stored legal case step ", i, ": 'evidence' is not a JSON array"));
    }
    for (const JsonValue& item : evidence->items) {
      if (item.kind != JsonValue::Kind::kObject) {
        return absl::DataLossError(absl::StrCat("stored legal case step ", i,
                                                ": 'evidence' has an item of the wrong type"));
      }
    }
    RECTIFY_ASSIGN_OR_RETURN(out[i].evidence,
                             DecodeObjectsFrom<domain::Evidence>(*evidence, kEvidenceMembers));
  }
  return out;
}

namespace {
constexpr Member<domain::LetterSignature> kLetterSignatureMembers[] = {
    {"org_id", &domain::LetterSignature::org_id},
    {"person_id", &domain::LetterSignature::person_id},
    {"time", &domain::LetterSignature::time},
};
}  // namespace

std::string EncodeLetterSignatures(const std::vector<domain::LetterSignature>& signatures) {
  return EncodeObjects<domain::LetterSignature>(signatures, kLetterSignatureMembers);
}

absl::StatusOr<std::vector<domain::LetterSignature>> DecodeLetterSignatures(
    absl::string_view json) {
  return DecodeObjects<domain::LetterSignature>(json, kLetterSignatureMembers,
                                                "letter signatures");
}

std::string EncodeEvidence(const std::vector<domain::Evidence>& evidence) {
  return EncodeObjects<domain::Evidence>(evidence, kEvidenceMembers);
}

absl::StatusOr<std::vector<domain::Evidence>> DecodeEvidence(absl::string_view json) {
  return DecodeObjects<domain::Evidence>(json, kEvidenceMembers, "evidence");
}

std::string EncodeUrgings(const std::vector<domain::Urging>& urgings) {
  return EncodeObjects<domain::Urging>(urgings, kUrgingMembers);
}

absl::StatusOr<std::vector<domain::Urging>> DecodeUrgings(absl::string_view json) {
  return DecodeObjects<domain::Urging>(json, kUrgingMembers, "urgings");
}

std::string EncodeDeductions(const std::vector<domain::Deduction>& deductions) {
  std::string out = "[";
  for (size_t i = 0; i < deductions.size(); ++i) {
    const domain::Deduction& d = deductions[i];
    if (i > 0) out.push_back(',');
    out.append("{\"rule_id\":");
    AppendJsonString(&out, d.rule_id);
    absl::StrAppend(&out, ",\"count\":", d.count, ",\"note\":");
    AppendJsonString(&out, d.note);
    out.append(",\"evidence_uri\":");
    AppendJsonString(&out, d.evidence_uri);
    out.append(",\"evidence_sha256\":");
    AppendJsonString(&out, d.evidence_sha256);
    absl::StrAppend(&out, ",\"open_task\":", d.open_task ? "true" : "false",
                    ",\"points\":", d.points, ",\"task_id\":");
    AppendJsonString(&out, d.task_id);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<domain::Deduction>> DecodeDeductions(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root,
                           ParseArrayOf(json, JsonValue::Kind::kObject, "deductions"));
  std::vector<domain::Deduction> out(root.items.size());
  for (size_t i = 0; i < root.items.size(); ++i) {
    const JsonValue& item = root.items[i];
    domain::Deduction& d = out[i];
    RECTIFY_RETURN_IF_ERROR(GetString(item, "rule_id", &d.rule_id));
    RECTIFY_RETURN_IF_ERROR(GetInt(item, "count", &d.count));
    RECTIFY_RETURN_IF_ERROR(GetString(item, "note", &d.note));
    RECTIFY_RETURN_IF_ERROR(GetString(item, "evidence_uri", &d.evidence_uri));
    RECTIFY_RETURN_IF_ERROR(GetString(item, "evidence_sha256", &d.evidence_sha256));
    RECTIFY_RETURN_IF_ERROR(GetBool(item, "open_task", &d.open_task));
    RECTIFY_RETURN_IF_ERROR(GetInt(item, "points", &d.points));
    RECTIFY_RETURN_IF_ERROR(GetString(item, "task_id", &d.task_id));
  }
  return out;
}

std::string EncodeCategoryScores(const std::vector<domain::CategoryScore>& categories) {
  std::string out = "[";
  for (size_t i = 0; i < categories.size(); ++i) {
    const domain::CategoryScore& c = categories[i];
    if (i > 0) out.push_back(',');
    out.append("{\"category_id\":");
    AppendJsonString(&out, c.category_id);
    absl::StrAppend(&out, ",\"points\":", c.points, ",\"deducted\":", c.deducted,
                    ",\"score\":", c.score, "}");
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<domain::CategoryScore>> DecodeCategoryScores(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root,
                           ParseArrayOf(json, JsonValue::Kind::kObject, "category scores"));
  std::vector<domain::CategoryScore> out(root.items.size());
  for (size_t i = 0; i < root.items.size(); ++i) {
    const JsonValue& item = root.items[i];
    domain::CategoryScore& c = out[i];
    RECTIFY_RETURN_IF_ERROR(GetString(item, "category_id", &c.category_id));
    RECTIFY_RETURN_IF_ERROR(GetInt(item, "points", &c.points));
    RECTIFY_RETURN_IF_ERROR(GetInt(item, "deducted", &c.deducted));
    RECTIFY_RETURN_IF_ERROR(GetInt(item, "score", &c.score));
  }
  return out;
}

namespace {

void AppendPlanItem(std::string* out, const domain::PlanItem& item) {
  out->append("{\"task_id\":");
  AppendJsonString(out, item.task_id);
  out->append(",\"description\":");
  AppendJsonString(out, item.description);
  out->append(",\"person_id\":");
  AppendJsonString(out, item.person_id);
  absl::StrAppend(out, ",\"cost_fen\":", item.cost_fen, ",\"payer\":",
                  static_cast<int>(item.payer), "}");
}

absl::StatusOr<std::vector<domain::PlanItem>> DecodePlanItemsFrom(const JsonValue& root) {
  if (root.kind != JsonValue::Kind::kArray) {
    return absl::DataLossError("stored work plan items are not a JSON array");
  }
  std::vector<domain::PlanItem> out(root.items.size());
  for (size_t i = 0; i < root.items.size(); ++i) {
    const JsonValue& v = root.items[i];
    if (v.kind != JsonValue::Kind::kObject) {
      return absl::DataLossError(absl::StrCat("stored work plan item ", i, " is not an object"));
    }
    domain::PlanItem& item = out[i];
    RECTIFY_RETURN_IF_ERROR(GetString(v, "task_id", &item.task_id));
    RECTIFY_RETURN_IF_ERROR(GetString(v, "description", &item.description));
    RECTIFY_RETURN_IF_ERROR(GetString(v, "person_id", &item.person_id));
    const JsonValue* cost = v.Find("cost_fen");
    if (cost == nullptr || cost->kind != JsonValue::Kind::kInt || cost->integer < 0) {
      return absl::DataLossError(
          absl::StrCat("stored work plan item ", i, ": 'cost_fen' is not an integer >= 0"));
    }
    item.cost_fen = cost->integer;
    int payer = 0;
    RECTIFY_RETURN_IF_ERROR(GetInt(v, "payer", &payer));
    if (payer < static_cast<int>(domain::Payer::kPropertyCompany) ||
        payer > static_cast<int>(domain::Payer::kOther)) {
      return absl::DataLossError(
          absl::StrCat("stored work plan item ", i, " has unknown payer ", payer));
    }
    item.payer = static_cast<domain::Payer>(payer);
  }
  return out;
}

}  // namespace

std::string EncodePlanItems(const std::vector<domain::PlanItem>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendPlanItem(&out, items[i]);
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<domain::PlanItem>> DecodePlanItems(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root, JsonParser(json).ParseDocument());
  return DecodePlanItemsFrom(root);
}

std::string EncodePlanRevisions(const std::vector<domain::PlanRevision>& revisions) {
  std::string out = "[";
  for (size_t i = 0; i < revisions.size(); ++i) {
    const domain::PlanRevision& r = revisions[i];
    if (i > 0) out.push_back(',');
    absl::StrAppend(&out, "{\"number\":", r.number, ",\"submitted_by\":");
    AppendJsonString(&out, r.submitted_by);
    out.append(",\"submit_time\":");
    AppendJsonTime(&out, r.submit_time);
    absl::StrAppend(&out, ",\"decision\":", static_cast<int>(r.decision), ",\"decided_by\":");
    AppendJsonString(&out, r.decided_by);
    out.append(",\"comments\":");
    AppendJsonString(&out, r.comments);
    out.append(",\"decide_time\":");
    AppendJsonTime(&out, r.decide_time);
    out.append(",\"items\":");
    out += EncodePlanItems(r.items);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<domain::PlanRevision>> DecodePlanRevisions(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root,
                           ParseArrayOf(json, JsonValue::Kind::kObject, "work plan revisions"));
  std::vector<domain::PlanRevision> out(root.items.size());
  for (size_t i = 0; i < root.items.size(); ++i) {
    const JsonValue& v = root.items[i];
    domain::PlanRevision& r = out[i];
    RECTIFY_RETURN_IF_ERROR(GetInt(v, "number", &r.number));
    RECTIFY_RETURN_IF_ERROR(GetString(v, "submitted_by", &r.submitted_by));
    RECTIFY_RETURN_IF_ERROR(GetTime(v, "submit_time", absl::InfinitePast(), &r.submit_time));
    int decision = 0;
    RECTIFY_RETURN_IF_ERROR(GetInt(v, "decision", &decision));
    if (decision < static_cast<int>(domain::PlanState::kDraft) ||
        decision > static_cast<int>(domain::PlanState::kApproved)) {
      return absl::DataLossError(
          absl::StrCat("stored work plan revision ", i, " has unknown decision ", decision));
    }
    r.decision = static_cast<domain::PlanState>(decision);
    RECTIFY_RETURN_IF_ERROR(GetString(v, "decided_by", &r.decided_by));
    RECTIFY_RETURN_IF_ERROR(GetString(v, "comments", &r.comments));
    RECTIFY_RETURN_IF_ERROR(GetTime(v, "decide_time", absl::InfinitePast(), &r.decide_time));
    const JsonValue* items = v.Find("items");
    if (items == nullptr) {
      return absl::DataLossError(absl::StrCat("stored work plan revision ", i, " has no 'items'"));
    }
    RECTIFY_ASSIGN_OR_RETURN(r.items, DecodePlanItemsFrom(*items));
  }
  return out;
}

std::string EncodeStrings(const std::vector<std::string>& strings) {
  std::string out = "[";
  for (size_t i = 0; i < strings.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, strings[i]);
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<std::vector<std::string>> DecodeStrings(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root,
                           ParseArrayOf(json, JsonValue::Kind::kString, "list of strings"));
  std::vector<std::string> out;
  out.reserve(root.items.size());
  for (JsonValue& item : root.items) out.push_back(std::move(item.string));
  return out;
}

std::string EncodeDetails(const Details& details) {
  std::string out = "[";
  for (size_t i = 0; i < details.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('[');
    AppendJsonString(&out, details[i].first);
    out.push_back(',');
    AppendJsonString(&out, details[i].second);
    out.push_back(']');
  }
  out.push_back(']');
  return out;
}

absl::StatusOr<Details> DecodeDetails(absl::string_view json) {
  RECTIFY_ASSIGN_OR_RETURN(JsonValue root,
                           ParseArrayOf(json, JsonValue::Kind::kArray, "event details"));
  Details out;
  out.reserve(root.items.size());
  for (const JsonValue& pair : root.items) {
    if (pair.items.size() != 2 || pair.items[0].kind != JsonValue::Kind::kString ||
        pair.items[1].kind != JsonValue::Kind::kString) {
      return absl::DataLossError("stored event details have an item that is not [key, value]");
    }
    out.emplace_back(pair.items[0].string, pair.items[1].string);
  }
  return out;
}

}  // namespace rectify::storage::codec
