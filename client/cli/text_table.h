// Text layout for a terminal and for spreadsheets: display width of UTF-8
// (a CJK character takes two columns), aligned tables, key: value blocks and
// RFC 4180 CSV.
//
//   Table t{{"ID", "TITLE"}, {{"T-1", "楼道堆物"}}};
//   std::cout << RenderTable(t);   // ID   TITLE
//                                  // T-1  楼道堆物
#ifndef RECTIFY_CLIENT_CLI_TEXT_TABLE_H_
#define RECTIFY_CLIENT_CLI_TEXT_TABLE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace rectify::client::cli {

// Terminal columns `text` occupies: East Asian wide and fullwidth characters
// (CJK ideographs, kana, hangul, fullwidth forms, most emoji) count 2,
// combining marks and zero-width characters 0, controls 0, everything else 1.
// Bytes that are not valid UTF-8 count 1 each.
int DisplayWidth(absl::string_view text);

// `text` cut to at most `width` columns, ending in "…" when cut; never splits
// a character.
std::string TruncateToWidth(absl::string_view text, int width);

// `text` followed by spaces up to `width` columns (unchanged if wider).
std::string PadToWidth(absl::string_view text, int width);

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // rows shorter than the header are padded
};

// Columns separated by two spaces and aligned by display width, each cell cut
// to `max_cell_width` columns and kept on one line; no trailing spaces; a
// newline after each line. No header line when the header is empty.
std::string RenderTable(const Table& table, int max_cell_width = 40);

// One field quoted per RFC 4180: in double quotes, with quotes doubled, when
// it holds a comma, a quote, CR or LF, or starts or ends with a space.
std::string CsvField(absl::string_view field);

// The header line, then one line per row; lines end in CRLF (RFC 4180).
std::string RenderCsv(const Table& table);

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// "key:  value" lines with the values aligned. A multi-line value continues
// under its first line.
std::string RenderKeyValues(const KeyValues& pairs);

// A single record as a table of one row: keys become the header.
Table RecordTable(const KeyValues& pairs);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_TEXT_TABLE_H_
