#include "client/cli/text_table.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rectify::client::cli {
namespace {

struct Range {
  char32_t first, last;
};

// Zero-width code points: combining marks, zero-width spaces and joiners,
// direction marks, variation selectors, the BOM.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0x302A, 0x302F},   {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// East Asian Wide (W) and Fullwidth (F) blocks, and the emoji that terminals
// draw two columns wide. Sorted.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <size_t N>
bool InRanges(const Range (&ranges)[N], char32_t c) {
  const Range* it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                                     [](char32_t v, const Range& r) { return v < r.first; });
  return it != std::begin(ranges) && c <= (it - 1)->last;
}

// Decodes the UTF-8 sequence at the start of `s` into *cp and returns its
// length in bytes; returns 0 if it is not valid UTF-8 (overlong, surrogate,
// truncated, out of range).
size_t DecodeUtf8(absl::string_view s, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t len;
  char32_t c;
  char32_t min;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return len;
}

int CodePointWidth(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  if (c < 0x300) return 1;
  if (InRanges(kZeroWidth, c)) return 0;
  return InRanges(kWide, c) ? 2 : 1;
}

// Calls f(bytes, width) for each character of `text`.
template <typename F>
void ForEachChar(absl::string_view text, F f) {
  while (!text.empty()) {
    char32_t cp;
    size_t len = DecodeUtf8(text, &cp);
    const int width = len == 0 ? 1 : CodePointWidth(cp);
    if (len == 0) len = 1;
    f(text.substr(0, len), width);
    text.remove_prefix(len);
  }
}

// A table cell on one line: line breaks and tabs become spaces.
std::string OneLine(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

std::string StripTrailingSpaces(std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  ForEachChar(text, [&](absl::string_view, int w) { width += w; });
  return width;
}

std::string TruncateToWidth(absl::string_view text, int width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width <= 0) return "";
  std::string out;
  int used = 0;
  bool full = false;
  ForEachChar(text, [&](absl::string_view bytes, int w) {
    if (full) return;
    if (used + w > width - 1) {  // keep one column for the ellipsis
      full = true;
      return;
    }
    out.append(bytes.data(), bytes.size());
    used += w;
  });
  return out + "…";
}

std::string PadToWidth(absl::string_view text, int width) {
  std::string out(text);
  const int w = DisplayWidth(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string RenderTable(const Table& table, int max_cell_width) {
  size_t columns = table.header.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  std::vector<std::vector<std::string>> cells;
  cells.reserve(table.rows.size() + 1);
  if (!table.header.empty()) cells.push_back(table.header);
  for (const auto& row : table.rows) cells.push_back(row);
  std::vector<int> widths(columns, 0);
  for (auto& row : cells) {
    row.resize(columns);
    for (size_t c = 0; c < columns; ++c) {
      row[c] = TruncateToWidth(OneLine(row[c]), max_cell_width);
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) line += "  ";
      line += PadToWidth(row[c], widths[c]);
    }
    absl::StrAppend(&out, StripTrailingSpaces(std::move(line)), "\n");
  }
  return out;
}

std::string CsvField(absl::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != absl::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string RenderCsv(const Table& table) {
  auto line = [](const std::vector<std::string>& fields, size_t columns) {
    std::string out;
    for (size_t i = 0; i < columns; ++i) {
      if (i > 0) out.push_back(',');
      if (i < fields.size()) out += CsvField(fields[i]);
    }
    return out + "\r\n";
  };
  const size_t columns = table.header.size();
  std::string out = line(table.header, columns);
  for (const auto& row : table.rows) out += line(row, std::max(columns, row.size()));
  return out;
}

std::string RenderKeyValues(const KeyValues& pairs) {
  int key_width = 0;
  for (const auto& [key, value] : pairs) key_width = std::max(key_width, DisplayWidth(key) + 1);
  std::string out;
  for (const auto& [key, value] : pairs) {
    const std::string indent(key_width + 2, ' ');
    bool first = true;
    for (absl::string_view part : absl::StrSplit(value, '\n')) {
      std::string line = first ? PadToWidth(key + ":", key_width) + "  " : indent;
      line.append(part.data(), part.size());
      absl::StrAppend(&out, StripTrailingSpaces(std::move(line)), "\n");
      first = false;
    }
  }
  return out;
}

Table RecordTable(const KeyValues& pairs) {
  Table table;
  table.rows.emplace_back();
  for (const auto& [key, value] : pairs) {
    table.header.push_back(key);
    table.rows.back().push_back(value);
  }
  return table;
}

}  // namespace rectify::client::cli
