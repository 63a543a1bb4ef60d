#include "client/cli/time_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

using ::testing::HasSubstr;

TEST(ParseDurationArgTest, AcceptsAbseilSyntaxAndDays) {
  EXPECT_EQ(*ParseDurationArg("48h"), absl::Hours(48));
  EXPECT_EQ(*ParseDurationArg("10s"), absl::Seconds(10));
  EXPECT_EQ(*ParseDurationArg("1h30m"), absl::Minutes(90));
  EXPECT_EQ(*ParseDurationArg("1.5h"), absl::Minutes(90));
  EXPECT_EQ(*ParseDurationArg("250ms"), absl::Milliseconds(250));
  EXPECT_EQ(*ParseDurationArg("30d"), absl::Hours(720));
  EXPECT_EQ(*ParseDurationArg("1d12h"), absl::Hours(36));
}

TEST(ParseDurationArgTest, RejectsNonPositiveInfiniteAndGarbage) {
  for (const char* text : {"", "0", "0s", "-1h", "+1h", "inf", "10", "abc", "d", "1.5d", "-2d",
                           "1d-1h", "h", "5 m", "99999999d"}) {
    absl::Status status = ParseDurationArg(text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(status.message(), HasSubstr("expected a positive duration")) << text;
  }
}

TEST(ParseTimeArgTest, Rfc3339WithOffset) {
  const absl::Time expected = absl::FromUnixSeconds(1715335200);  // 2024-05-10T10:00:00Z
  EXPECT_EQ(*ParseTimeArg("2024-05-10T18:00:00+08:00", absl::UTCTimeZone()), expected);
  EXPECT_EQ(*ParseTimeArg("2024-05-10T10:00:00Z", DefaultDisplayZone()), expected);
  EXPECT_EQ(*ParseTimeArg("2024-05-10 18:00:00+08:00", absl::UTCTimeZone()), expected);
}

TEST(ParseTimeArgTest, WithoutOffsetReadsInTheDisplayZone) {
  const absl::Time expected = absl::FromUnixSeconds(1715335200);
  EXPECT_EQ(*ParseTimeArg("2024-05-10T18:00", DefaultDisplayZone()), expected);
  EXPECT_EQ(*ParseTimeArg("2024-05-10 18:00:00", DefaultDisplayZone()), expected);
  EXPECT_EQ(*ParseTimeArg("2024-05-10T10:00", absl::UTCTimeZone()), expected);
}

TEST(ParseTimeArgTest, RejectsOtherForms) {
  for (const char* text :
       {"", "tomorrow", "2024-05-10", "2024-13-01T00:00", "10/05/2024 18:00", "1715335200"}) {
    EXPECT_EQ(ParseTimeArg(text, DefaultDisplayZone()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(CheckDateArgTest, RealDatesOnly) {
  EXPECT_TRUE(CheckDateArg("2024-05-01").ok());
  EXPECT_TRUE(CheckDateArg("2024-02-29").ok());
  EXPECT_FALSE(CheckDateArg("2023-02-29").ok());
  EXPECT_FALSE(CheckDateArg("2024-5-1").ok());
  EXPECT_FALSE(CheckDateArg("2024-05-01T00:00").ok());
  EXPECT_FALSE(CheckDateArg("").ok());
}

TEST(FormatTimestampTest, Rfc3339InTheZoneAndEmptyWhenUnset) {
  google::protobuf::Timestamp ts;
  EXPECT_EQ(FormatTimestamp(ts, DefaultDisplayZone()), "");
  ts.set_seconds(1715335200);
  EXPECT_EQ(FormatTimestamp(ts, DefaultDisplayZone()), "2024-05-10T18:00:00+08:00");
  EXPECT_EQ(FormatTimestamp(ts, absl::UTCTimeZone()), "2024-05-10T10:00:00+00:00");
  ts.set_nanos(999999999);  // cut to the second, not rounded up
  EXPECT_EQ(FormatTimestamp(ts, DefaultDisplayZone()), "2024-05-10T18:00:00+08:00");
}

TEST(ProtoConversionTest, RoundTrips) {
  const absl::Time t = absl::FromUnixMillis(1715335200123);
  EXPECT_EQ(FromProtoTimestamp(ToProtoTimestamp(t)), t);
  const absl::Time before_epoch = absl::FromUnixMillis(-1500);
  google::protobuf::Timestamp ts = ToProtoTimestamp(before_epoch);
  EXPECT_EQ(ts.seconds(), -2);  // nanos stay in [0, 1e9)
  EXPECT_EQ(ts.nanos(), 500000000);
  EXPECT_EQ(FromProtoTimestamp(ts), before_epoch);
  const absl::Duration d = absl::Hours(48) + absl::Milliseconds(5);
  EXPECT_EQ(FromProtoDuration(ToProtoDuration(d)), d);
  EXPECT_EQ(ToProtoDuration(absl::Hours(1)).seconds(), 3600);
}

}  // namespace
}  // namespace rectify::client::cli
