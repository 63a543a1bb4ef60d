// How rectifyctl shows API messages: tables of resources for lists, key: value
// lines for one resource, CSV, and protobuf JSON. Presentation only: values
// are shown, never interpreted.
//
//   Display display{DefaultDisplayZone(), /*csv=*/false};
//   std::cout << RenderTable(TaskTable(response.tasks(), display));
#ifndef RECTIFY_CLIENT_CLI_RENDER_H_
#define RECTIFY_CLIENT_CLI_RENDER_H_

#include <cstdint>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/cli/text_table.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "rectify/v1/resources.pb.h"

namespace rectify::client::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// "table", "json" or "csv"; kInvalidArgument otherwise.
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text);

struct Display {
  absl::TimeZone zone;  // instants are shown in this zone
  // For CSV: money as plain "1234.50" and overdue as true/false, so that a
  // spreadsheet can compute with them; for a terminal: "¥1,234.50" and a marker.
  bool csv = false;
};

std::string ShowMoney(int64_t fen, const Display& display);
std::string ShowTime(const google::protobuf::Timestamp& time, const Display& display);
// One event as a line: "#42  TIME  task.dispatched  tasks/T-3  by li-min  open → dispatched  「note」".
std::string EventLine(const v1::Event& event, const Display& display);

// List views: one row per resource, the columns a person scans.
Table CampaignTable(const google::protobuf::RepeatedPtrField<v1::Campaign>& campaigns,
                    const Display& display);
Table OrganisationTable(const google::protobuf::RepeatedPtrField<v1::Organisation>& orgs,
                        const Display& display);
Table PersonTable(const google::protobuf::RepeatedPtrField<v1::Person>& people,
                  const Display& display);
Table CommunityTable(const google::protobuf::RepeatedPtrField<v1::Community>& communities,
                     const Display& display);
Table TaskTable(const google::protobuf::RepeatedPtrField<v1::Task>& tasks, const Display& display);
Table EventTable(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                 const Display& display);

// ---- The scoring standard, inspections, readiness -----------------------------
//
// Points deducted are shown with a minus sign (U+2212, "−4") and counts with
// a times sign ("×2"), as on a paper sheet; CSV has plain numbers.

// "civilized-residential@2024.1"; just the id without a version.
std::string StandardRef(absl::string_view id, absl::string_view version);

Table StandardTable(const google::protobuf::RepeatedPtrField<v1::Standard>& standards,
                    const Display& display);

// The standard as an inspector reads it: a title line, then each category
// (name, id, points, responsible unit), its items (id, text) and, under each
// item, its rules (id, kind, points, expect=/cap=/every= when set, text),
// the rules aligned across the whole standard.
std::string RenderStandard(const v1::Standard& standard);

// One row per rule with its category and item: a standard in a spreadsheet.
Table StandardRuleTable(const v1::Standard& standard, const Display& display);

// One row per inspection. SCORE is "55/60" for a person; CSV has TOTAL and
// MAX columns instead (a spreadsheet would read "55/60" as a date).
Table InspectionTable(const google::protobuf::RepeatedPtrField<v1::Inspection>& inspections,
                      const Display& display);

// The scored sheet: the header (id, community, kind, date, inspector,
// standard id@version, note), then each category as
// "name  score/points  (−deducted)" with its deductions under it (rule id,
// the rule's text, ×count, −points, the task opened, the note), aligned
// across the sheet; then "total X / max" and ComparisonLine. `standard`
// gives the rules' texts and places deductions the server did not; null:
// the sheet without texts. Deductions in no category shown are listed last.
std::string RenderInspectionSheet(const v1::Inspection& inspection, const v1::Standard* standard);

// "previous: I-3 (55) → now 59; cleared: 2.2b; persisting: 3.2a; new: —";
// "" when the inspection has no previous one.
std::string ComparisonLine(const v1::Inspection& inspection);

// A sheet in CSV: one row per deduction (INSPECTION, COMMUNITY, DATE,
// CATEGORY, RULE, TEXT, COUNT, POINTS, TASK, NOTE), points as positive
// numbers. `standard` as for RenderInspectionSheet.
Table DeductionTable(const v1::Inspection& inspection, const v1::Standard* standard,
                     const Display& display);

// One row per community: COMMUNITY, NAME, STATUS (READY / NOT READY), OPEN,
// OVERDUE, LAST SCORE ("55/60", "—" if never inspected), TARGET, REASONS. For
// a person each further reason takes a row of its own under the first; in
// CSV the reasons are joined with "; ", READY is true/false and the score is
// split into LAST SCORE and MAX SCORE.
Table ReadinessTable(const google::protobuf::RepeatedPtrField<v1::CommunityReadiness>& communities,
                     const Display& display);

// "ready: 3 of 6".
std::string ReadinessFooter(int ready, int total);

// Every field of `message`, flattened, in field order: nested fields as
// "budget.planned", repeated ones as "evidence[0].uri", map entries as
// "details.key" (sorted). Enums by short name, Timestamps in the display zone,
// Durations as "48h0m0s", int64 fields named *_fen as money (the key loses
// "_fen"). Unset messages and empty repeated fields are left out; scalars are
// always shown. Top-level fields named in `skip` are left out.
KeyValues Flatten(const google::protobuf::Message& message, const Display& display,
                  const std::set<std::string>& skip = {});

// Protobuf JSON with the .proto field names, indented. kInternal if the
// message cannot be printed (it always can, for the API's messages).
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_RENDER_H_
