#include "client/cli/text_table.h"

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

using ::testing::ElementsAre;

TEST(DisplayWidthTest, AsciiIsOneColumnEach) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("T-42"), 4);
}

TEST(DisplayWidthTest, ChineseIsTwoColumnsEach) {
  EXPECT_EQ(DisplayWidth("整改任务"), 8);
  EXPECT_EQ(DisplayWidth("T-1 楼道堆物"), 12);
  EXPECT_EQ(DisplayWidth("，。、（）"), 10);  // CJK and fullwidth punctuation
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4);         // fullwidth Latin
  EXPECT_EQ(DisplayWidth("𠀀"), 2);           // CJK extension B, 4 bytes in UTF-8
  EXPECT_EQ(DisplayWidth("한국"), 4);
  EXPECT_EQ(DisplayWidth("かな"), 4);
}

TEST(DisplayWidthTest, NarrowSymbolsAndZeroWidth) {
  EXPECT_EQ(DisplayWidth("¥1,234.50"), 9);
  EXPECT_EQ(DisplayWidth("–…→"), 3);
  EXPECT_EQ(DisplayWidth("e\u0301"), 1);   // combining acute
  EXPECT_EQ(DisplayWidth("a\u200bb"), 2);  // zero-width space
  EXPECT_EQ(DisplayWidth("a\tb"), 2);      // controls take no column
}

TEST(DisplayWidthTest, InvalidUtf8CountsOnePerByte) {
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2);
  EXPECT_EQ(DisplayWidth("\xe6\x95"), 2);  // truncated 3-byte sequence
  EXPECT_EQ(DisplayWidth("\xc0\xaf"), 2);  // overlong
}

TEST(TruncateToWidthTest, CutsOnCharacterBoundariesWithEllipsis) {
  EXPECT_EQ(TruncateToWidth("short", 10), "short");
  EXPECT_EQ(TruncateToWidth("abcdefgh", 5), "abcd…");
  EXPECT_EQ(TruncateToWidth("整改任务清单", 5), "整改…");
  EXPECT_EQ(TruncateToWidth("整改任务清单", 6), "整改…");  // 整改任 would need 7
  EXPECT_EQ(DisplayWidth(TruncateToWidth("整改任务清单", 6)), 5);
  EXPECT_EQ(TruncateToWidth("abc", 0), "");
}

TEST(PadToWidthTest, PadsByDisplayWidth) {
  EXPECT_EQ(PadToWidth("整改", 6), "整改  ");
  EXPECT_EQ(PadToWidth("abc", 2), "abc");
}

TEST(RenderTableTest, AlignsColumnsByDisplayWidth) {
  Table table{{"ID", "TITLE", "STATE"},
              {{"T-1", "楼道堆物", "open"}, {"T-22", "bins", "closed"}, {"T-3", "", "x"}}};
  EXPECT_EQ(RenderTable(table),
            "ID    TITLE     STATE\n"
            "T-1   楼道堆物  open\n"
            "T-22  bins      closed\n"
            "T-3             x\n");
}

TEST(RenderTableTest, EveryColumnStartsAtTheSameDisplayColumn) {
  Table table{{"A", "B", "C"}, {{"整改任务", "x", "y"}, {"a", "高空抛物", "z"}}};
  const std::vector<std::string> lines =
      absl::StrSplit(RenderTable(table), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  const char* const last_cells[] = {"C", "y", "z"};
  for (size_t i = 0; i < lines.size(); ++i) {
    // The last cell starts after two columns of width 8, each with 2 spaces.
    const std::string prefix = lines[i].substr(0, lines[i].rfind(last_cells[i]));
    EXPECT_EQ(DisplayWidth(prefix), 8 + 2 + 8 + 2) << lines[i];
  }
}

TEST(RenderTableTest, CutsLongCellsAndFlattensLineBreaks) {
  Table table{{"T"}, {{"line one\nline two"}, {std::string(50, 'x')}}};
  EXPECT_EQ(RenderTable(table, 10), "T\nline one …\nxxxxxxxxx…\n");
}

TEST(RenderTableTest, NoHeaderLineWhenHeaderIsEmpty) {
  EXPECT_EQ(RenderTable(Table{{}, {{"a", "b"}}}), "a  b\n");
}

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("楼道堆物"), "楼道堆物");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvField(" padded "), "\" padded \"");
  EXPECT_EQ(CsvField("\""), "\"\"\"\"");
}

TEST(RenderCsvTest, HeaderThenRowsWithCrlf) {
  Table table{{"ID", "TITLE", "PLANNED"}, {{"T-1", "a, b", "1234.50"}, {"T-2", "", "0.00"}}};
  EXPECT_EQ(RenderCsv(table),
            "ID,TITLE,PLANNED\r\n"
            "T-1,\"a, b\",1234.50\r\n"
            "T-2,,0.00\r\n");
}

TEST(RenderKeyValuesTest, AlignsValuesAndIndentsContinuations) {
  KeyValues pairs = {{"id", "T-1"}, {"title", "楼道堆物"}, {"description", "one\ntwo"}};
  EXPECT_EQ(RenderKeyValues(pairs),
            "id:           T-1\n"
            "title:        楼道堆物\n"
            "description:  one\n"
            "              two\n");
}

TEST(RecordTableTest, KeysBecomeTheHeader) {
  Table table = RecordTable({{"a", "1"}, {"b", "2"}});
  EXPECT_THAT(table.header, ElementsAre("a", "b"));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_THAT(table.rows[0], ElementsAre("1", "2"));
}

}  // namespace
}  // namespace rectify::client::cli
