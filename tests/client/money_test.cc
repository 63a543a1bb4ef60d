#include "client/cli/money.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

using ::testing::HasSubstr;

TEST(ParseYuanTest, ParsesExactlyToFen) {
  EXPECT_EQ(*ParseYuan("0"), 0);
  EXPECT_EQ(*ParseYuan("1"), 100);
  EXPECT_EQ(*ParseYuan("1234.5"), 123450);
  EXPECT_EQ(*ParseYuan("1234.50"), 123450);
  EXPECT_EQ(*ParseYuan("0.01"), 1);
  EXPECT_EQ(*ParseYuan("0.1"), 10);
  EXPECT_EQ(*ParseYuan("007.07"), 707);
  // Values a double cannot hold exactly still come out exact.
  EXPECT_EQ(*ParseYuan("0.29"), 29);
  EXPECT_EQ(*ParseYuan("1.15"), 115);
  EXPECT_EQ(*ParseYuan("90071992547409.93"), 9007199254740993);
}

TEST(ParseYuanTest, LargestAmountIsInt64MaxFen) {
  EXPECT_EQ(*ParseYuan("92233720368547758.07"), std::numeric_limits<int64_t>::max());
  EXPECT_THAT(ParseYuan("92233720368547758.08").status().message(), HasSubstr("too large"));
  EXPECT_THAT(ParseYuan("99999999999999999999999").status().message(), HasSubstr("too large"));
}

TEST(ParseYuanTest, RejectsMoreThanTwoDecimals) {
  absl::Status status = ParseYuan("1.234").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("'1.234'"));
  EXPECT_THAT(status.message(), HasSubstr("2 decimals"));
  EXPECT_FALSE(ParseYuan("1.000").ok());  // even when the extra digit is zero
}

TEST(ParseYuanTest, RejectsNegatives) {
  EXPECT_THAT(ParseYuan("-1").status().message(), HasSubstr("negative"));
  EXPECT_FALSE(ParseYuan("-0.5").ok());
}

TEST(ParseYuanTest, RejectsGarbage) {
  for (const char* text : {"", "abc", "1,234.50", "¥12", "1e3", "+1", " 1", "1 ", "1.", ".5",
                           "1..2", "1.2.3", "0x10", "12a", "1.-5", "nan", "inf", "١٢"}) {
    absl::Status status = ParseYuan(text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(status.message(), HasSubstr("expected")) << text;
  }
}

TEST(ParseFenTest, ParsesIntegers) {
  EXPECT_EQ(*ParseFen("123450"), 123450);
  EXPECT_EQ(*ParseFen("0"), 0);
  EXPECT_EQ(*ParseFen("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(ParseFen("9223372036854775808").ok());
  EXPECT_FALSE(ParseFen("-5").ok());
  EXPECT_FALSE(ParseFen("12.5").ok());
  EXPECT_FALSE(ParseFen("").ok());
}

TEST(FormatYuanTest, GroupsThousandsWithTwoDecimals) {
  EXPECT_EQ(FormatYuan(0), "¥0.00");
  EXPECT_EQ(FormatYuan(5), "¥0.05");
  EXPECT_EQ(FormatYuan(123450), "¥1,234.50");
  EXPECT_EQ(FormatYuan(100000000), "¥1,000,000.00");
  EXPECT_EQ(FormatYuan(99999), "¥999.99");
  EXPECT_EQ(FormatYuan(-100), "-¥1.00");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::max()), "¥92,233,720,368,547,758.07");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::min()), "-¥92,233,720,368,547,758.08");
}

TEST(FormatPlainYuanTest, NoSymbolNoGrouping) {
  EXPECT_EQ(FormatPlainYuan(123450), "1234.50");
  EXPECT_EQ(FormatPlainYuan(-1), "-0.01");
}

TEST(MoneyTest, ParseFormatRoundTrip) {
  for (int64_t fen : {0LL, 1LL, 99LL, 100LL, 123456789LL}) {
    EXPECT_EQ(*ParseYuan(FormatPlainYuan(fen)), fen);
  }
}

}  // namespace
}  // namespace rectify::client::cli
