#include "domain/text_lines.h"

#include "absl/strings/ascii.h"

namespace rectify::domain {

std::vector<DataLine> DataLines(absl::string_view text) {
  std::vector<DataLine> lines;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const size_t eol = text.find('\n');
    absl::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == absl::string_view::npos ? text.size() : eol + 1);
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);  // also drops a CR
    if (!line.empty()) lines.push_back(DataLine{number, line});
  }
  return lines;
}

absl::string_view NextToken(absl::string_view* rest) {
  *rest = absl::StripLeadingAsciiWhitespace(*rest);
  size_t end = 0;
  while (end < rest->size() && !absl::ascii_isspace(static_cast<unsigned char>((*rest)[end]))) {
    ++end;
  }
  absl::string_view token = rest->substr(0, end);
  rest->remove_prefix(end);
  return token;
}

}  // namespace rectify::domain
