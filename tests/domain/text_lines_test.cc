// Tests for domain/text_lines.h: which lines of a data file count, their
// numbers, and splitting them into words.
#include "domain/text_lines.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// (number, text) of every data line, for readable expectations.
std::vector<std::pair<int, std::string>> Lines(absl::string_view text) {
  std::vector<std::pair<int, std::string>> out;
  for (const DataLine& line : DataLines(text)) {
    out.emplace_back(line.number, std::string(line.text));
  }
  return out;
}

std::vector<std::string> Tokens(absl::string_view rest) {
  std::vector<std::string> out;
  for (absl::string_view t = NextToken(&rest); !t.empty(); t = NextToken(&rest)) {
    out.emplace_back(t);
  }
  return out;
}

TEST(DataLinesTest, CommentsAndBlankLinesAreLeftOutButCounted) {
  EXPECT_THAT(Lines("# header\n\nyear 2024  # the year\n   \n\tholiday 2024-01-01 元旦\n"),
              ElementsAre(Pair(3, "year 2024"), Pair(5, "holiday 2024-01-01 元旦")));
}

TEST(DataLinesTest, CrLfAndAMissingLastNewlineAreFine) {
  EXPECT_THAT(Lines("a 1\r\n\r\nb 2"), ElementsAre(Pair(1, "a 1"), Pair(3, "b 2")));
}

TEST(DataLinesTest, NothingToReadGivesNoLines) {
  EXPECT_THAT(Lines(""), IsEmpty());
  EXPECT_THAT(Lines("\n\n# only a comment\n"), IsEmpty());
  EXPECT_THAT(Lines("#x\n"), IsEmpty());
}

TEST(DataLinesTest, ViewsPointIntoTheText) {
  const std::string text = "  word  \n";
  const std::vector<DataLine> lines = DataLines(text);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text.data(), text.data() + 2);
}

TEST(NextTokenTest, SplitsOnAnyAsciiWhiteSpace) {
  EXPECT_THAT(Tokens("  sanitation\t3   working_days 环境 卫生 "),
              ElementsAre("sanitation", "3", "working_days", "环境", "卫生"));
  EXPECT_THAT(Tokens(""), IsEmpty());
  EXPECT_THAT(Tokens(" \t "), IsEmpty());
}

TEST(NextTokenTest, LeavesTheRestAfterTheToken) {
  absl::string_view rest = "holiday 2024-01-01  春节 假期 ";
  EXPECT_EQ(NextToken(&rest), "holiday");
  EXPECT_EQ(NextToken(&rest), "2024-01-01");
  EXPECT_EQ(rest, "  春节 假期 ");
}

}  // namespace
}  // namespace rectify::domain
