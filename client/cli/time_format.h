// Times and durations on the command line. The CLI does not know a campaign's
// time zone, so it shows instants in one display zone (UTC+8 unless --tz says
// otherwise) and reads times without an offset in that zone.
//
//   ParseDurationArg("48h")  → 48 hours;  ParseDurationArg("30d") → 720 hours
//   ParseTimeArg("2024-05-10T18:00:00+08:00", zone)
//   FormatTimestamp(task.deadline(), zone)  → "2024-05-10T18:00:00+08:00"
#ifndef RECTIFY_CLIENT_CLI_TIME_FORMAT_H_
#define RECTIFY_CLIENT_CLI_TIME_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace rectify::client::cli {

// The default display zone: a fixed UTC+8 (China has no daylight saving).
absl::TimeZone DefaultDisplayZone();

// Parses a positive, finite duration: Go/Abseil syntax ("90s", "1h30m", "1.5h")
// plus a leading whole number of days ("30d", "1d12h"). Returns
// kInvalidArgument naming the text and the expected form otherwise.
absl::StatusOr<absl::Duration> ParseDurationArg(absl::string_view text);

// Parses an instant: RFC 3339 with an offset ("2024-05-10T18:00:00+08:00",
// "…Z"), or a local time without one ("2024-05-10T18:00", "2024-05-10 18:00:00")
// read in `zone`. Returns kInvalidArgument otherwise.
absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view text, absl::TimeZone zone);

// Checks a calendar day "YYYY-MM-DD" (a real date). kInvalidArgument otherwise.
absl::Status CheckDateArg(absl::string_view text);

// RFC 3339 in `zone`, to the second (fractions are cut, not rounded).
std::string FormatInstant(absl::Time time, absl::TimeZone zone);
// As FormatInstant; "" for a Timestamp the message does not set.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp, absl::TimeZone zone);

google::protobuf::Timestamp ToProtoTimestamp(absl::Time time);
absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& timestamp);
google::protobuf::Duration ToProtoDuration(absl::Duration duration);
absl::Duration FromProtoDuration(const google::protobuf::Duration& duration);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_TIME_FORMAT_H_
