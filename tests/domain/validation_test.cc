// Tests for domain/validation.h: the shared field checks and their messages.
#include "domain/validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

TEST(RequiredTest, EmptyOrBlankIsInvalidArgumentNamingTheField) {
  for (const char* value : {"", " ", "\t\r\n"}) {
    const absl::Status status = Required("title", value);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << "'" << value << "'";
    EXPECT_EQ(status.message(), "'title' is required");
  }
  EXPECT_TRUE(Required("title", " x ").ok());
}

TEST(MaxLengthTest, CountsBytesAndNamesTheLimit) {
  EXPECT_TRUE(MaxLength("phone", "", 0).ok());
  EXPECT_TRUE(MaxLength("phone", std::string(40, '1'), 40).ok());
  const absl::Status status = MaxLength("phone", std::string(41, '1'), 40);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "'phone' is 41 bytes; at most 40 are allowed");
  EXPECT_EQ(MaxLength("name", "环境", 5).message(), "'name' is 6 bytes; at most 5 are allowed");
}

}  // namespace
}  // namespace rectify::domain
