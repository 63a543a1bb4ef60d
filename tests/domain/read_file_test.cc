// Tests for common/read_file.h. They live with the domain tests because the
// domain's loaders are its first users and common/ has no test binary of its
// own (domain_test links rectify_common).
#include "common/read_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::common {
namespace {

using ::testing::HasSubstr;

std::filesystem::path FreshDir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(ReadFileToStringTest, ReturnsEveryByte) {
  const std::filesystem::path path = FreshDir("read_file_bytes") / "f.bin";
  std::string bytes;
  for (int i = 0; i < 200000; ++i) bytes.push_back(static_cast<char>(i % 256));  // > one buffer
  std::ofstream(path, std::ios::binary) << bytes;
  absl::StatusOr<std::string> text = ReadFileToString(path.string());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, bytes);
}

TEST(ReadFileToStringTest, EmptyFileIsEmptyText) {
  const std::filesystem::path path = FreshDir("read_file_empty") / "empty.txt";
  std::ofstream(path).close();
  absl::StatusOr<std::string> text = ReadFileToString(path.string());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "");
}

TEST(ReadFileToStringTest, MissingFileIsNotFoundNamingIt) {
  absl::StatusOr<std::string> text = ReadFileToString("/nonexistent/x.cal", "calendar file");
  EXPECT_EQ(text.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(text.status().message(), "calendar file '/nonexistent/x.cal' does not exist");
}

TEST(ReadFileToStringTest, DirectoryIsNotFoundAsAFile) {
  const std::filesystem::path dir = FreshDir("read_file_dir");
  absl::StatusOr<std::string> text = ReadFileToString(dir.string());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(text.status().message(), HasSubstr("'" + dir.string() + "' is not a regular file"));
}

TEST(ReadFileToStringTest, UnreadableFileIsFailedPreconditionNamingIt) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  const std::filesystem::path path = FreshDir("read_file_unreadable") / "secret.txt";
  std::ofstream(path) << "x";
  std::filesystem::permissions(path, std::filesystem::perms::none);
  absl::StatusOr<std::string> text = ReadFileToString(path.string(), "service-level file");
  EXPECT_EQ(text.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(text.status().message(),
              HasSubstr("cannot read service-level file '" + path.string() + "'"));
}

}  // namespace
}  // namespace rectify::common
