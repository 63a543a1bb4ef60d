// How the SQLite engine keeps values that have no column type of their own:
// times as int64 microseconds since the Unix epoch (infinite → NULL), days as
// 'YYYY-MM-DD' text, and a task's evidence and urgings, an event's details, an
// inspection's deductions and category scores and a self-check list's task
// ids as JSON text (readable with sqlite3's json_each/json_extract).
//
//   std::string json = codec::EncodeEvidence(task.evidence);
//   RECTIFY_ASSIGN_OR_RETURN(task.evidence, codec::DecodeEvidence(json));
//
// Pure functions: no database. Decoders return kDataLoss for text that is not
// what the encoder writes (unknown object keys are ignored, for forward
// compatibility).
#ifndef RECTIFY_STORAGE_CODEC_H_
#define RECTIFY_STORAGE_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/inspection.h"
#include "domain/responsibility_letter.h"
#include "domain/legal_case.h"
#include "domain/task.h"
#include "domain/work_plan.h"

namespace rectify::storage::codec {

// Microseconds since the epoch (sub-microsecond precision is dropped, rounding
// down), or nullopt for absl::InfinitePast() and absl::InfiniteFuture().
std::optional<int64_t> TimeToMicros(absl::Time time);
// The inverse: nullopt becomes `if_null`, the field's "unset" value.
absl::Time TimeFromMicros(std::optional<int64_t> micros, absl::Time if_null);

// 'YYYY-MM-DD'.
std::string DayToText(absl::CivilDay day);
// kDataLoss unless `text` is a day as DayToText writes it.
absl::StatusOr<absl::CivilDay> DayFromText(absl::string_view text);

// A JSON array of objects, one per item, in order.
std::string EncodeEvidence(const std::vector<domain::Evidence>& evidence);
absl::StatusOr<std::vector<domain::Evidence>> DecodeEvidence(absl::string_view json);
std::string EncodeUrgings(const std::vector<domain::Urging>& urgings);
absl::StatusOr<std::vector<domain::Urging>> DecodeUrgings(absl::string_view json);

// A JSON array of objects, one per item, in order. Integers that do not fit an
// int are kDataLoss.
std::string EncodeDeductions(const std::vector<domain::Deduction>& deductions);
absl::StatusOr<std::vector<domain::Deduction>> DecodeDeductions(absl::string_view json);
std::string EncodeCategoryScores(const std::vector<domain::CategoryScore>& categories);
absl::StatusOr<std::vector<domain::CategoryScore>> DecodeCategoryScores(absl::string_view json);

// A legal case's steps: a JSON array of objects, one per step, each with its
// action's name and its evidence as a nested array (as EncodeEvidence writes).
// An unknown action name is kDataLoss.
std::string EncodeLegalSteps(const std::vector<domain::LegalStep>& steps);
absl::StatusOr<std::vector<domain::LegalStep>> DecodeLegalSteps(absl::string_view json);

// A responsibility letter's signatures: a JSON array of objects
// {"org_id", "person_id", "time"}, in signing order.
std::string EncodeLetterSignatures(const std::vector<domain::LetterSignature>& signatures);
absl::StatusOr<std::vector<domain::LetterSignature>> DecodeLetterSignatures(
    absl::string_view json);

// A work plan's items: a JSON array of objects {"task_id", "description",
// "person_id", "cost_fen", "payer"} (payer as its number), in order. A
// negative cost or an unknown payer is kDataLoss.
std::string EncodePlanItems(const std::vector<domain::PlanItem>& items);
absl::StatusOr<std::vector<domain::PlanItem>> DecodePlanItems(absl::string_view json);
// A work plan's revisions: a JSON array of objects with the revision's fields
// and its items nested (as EncodePlanItems writes), oldest first.
std::string EncodePlanRevisions(const std::vector<domain::PlanRevision>& revisions);
absl::StatusOr<std::vector<domain::PlanRevision>> DecodePlanRevisions(absl::string_view json);

// A JSON array of strings, in order.
std::string EncodeStrings(const std::vector<std::string>& strings);
absl::StatusOr<std::vector<std::string>> DecodeStrings(absl::string_view json);

// A JSON array of [key, value] pairs: order and duplicate keys are kept.
using Details = std::vector<std::pair<std::string, std::string>>;
std::string EncodeDetails(const Details& details);
absl::StatusOr<Details> DecodeDetails(absl::string_view json);

}  // namespace rectify::storage::codec

#endif  // RECTIFY_STORAGE_CODEC_H_
