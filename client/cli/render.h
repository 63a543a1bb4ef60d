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
