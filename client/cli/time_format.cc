#include "client/cli/time_format.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace rectify::client::cli {
namespace {

absl::Status BadDuration(absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid duration '", text,
                   "': expected a positive duration like 90s, 30m, 48h, 1h30m or 30d"));
}

}  // namespace

absl::TimeZone DefaultDisplayZone() { return absl::FixedTimeZone(8 * 60 * 60); }

absl::StatusOr<absl::Duration> ParseDurationArg(absl::string_view text) {
  absl::string_view rest = text;
  absl::Duration total = absl::ZeroDuration();
  if (const size_t d = rest.find('d'); d != absl::string_view::npos) {
    const absl::string_view days = rest.substr(0, d);
    int64_t n = 0;
    if (days.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(days[0])) ||
        !absl::SimpleAtoi(days, &n) || n > 100 * 366) {
      return BadDuration(text);
    }
    total = absl::Hours(24 * n);
    rest.remove_prefix(d + 1);
  }
  if (!rest.empty()) {
    absl::Duration part;
    if (rest[0] == '-' || rest[0] == '+' || !absl::ParseDuration(rest, &part)) {
      return BadDuration(text);
    }
    total += part;
  }
  if (total <= absl::ZeroDuration() || total == absl::InfiniteDuration()) return BadDuration(text);
  return total;
}

absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view text, absl::TimeZone zone) {
  // With an offset first; without one, read in `zone`.
  static constexpr const char* kFormats[] = {
      absl::RFC3339_full, "%Y-%m-%d %H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*S",
      "%Y-%m-%dT%H:%M",   "%Y-%m-%d %H:%M:%E*S",    "%Y-%m-%d %H:%M",
  };
  const std::string input(absl::StripAsciiWhitespace(text));
  for (const char* format : kFormats) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, input, zone, &time, &error)) return time;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "invalid time '", text,
      "': expected RFC 3339 like 2024-05-10T18:00:00+08:00, or 2024-05-10T18:00 in the display "
      "time zone"));
}

absl::Status CheckDateArg(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid date '", text, "': expected YYYY-MM-DD like 2024-05-01"));
  }
  return absl::OkStatus();
}

std::string FormatInstant(absl::Time time, absl::TimeZone zone) {
  // Seconds are precise enough for a person; JSON keeps the nanoseconds.
  return absl::FormatTime(absl::RFC3339_sec, time, zone);
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp, absl::TimeZone zone) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return FormatInstant(FromProtoTimestamp(timestamp), zone);
}

google::protobuf::Timestamp ToProtoTimestamp(absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return out;
}

absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  const int64_t seconds = absl::IDivDuration(duration, absl::Seconds(1), &duration);
  google::protobuf::Duration out;
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(duration)));
  return out;
}

absl::Duration FromProtoDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

}  // namespace rectify::client::cli
