// Reading the line-based data files a city edits (work calendars, the
// service-level table): the lines that hold data, and their words. Pure text
// handling; the parsers give the words meaning, and reading the file is the
// caller's (common/read_file.h).
//
//   for (const DataLine& line : DataLines(text)) {
//     absl::string_view rest = line.text;
//     const absl::string_view keyword = NextToken(&rest);
//     ...  // errors name `line.number`
//   }
#ifndef RECTIFY_DOMAIN_TEXT_LINES_H_
#define RECTIFY_DOMAIN_TEXT_LINES_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace rectify::domain {

// A line that holds data.
struct DataLine {
  int number = 0;          // 1-based, counting every line of the text
  absl::string_view text;  // without its comment and surrounding white space; never empty
};

// The lines of `text` that hold data, in order. `#` starts a comment that runs
// to the end of the line; a line with nothing else (blank or comment only) is
// left out. Lines end at '\n'; a '\r' before it is white space and so dropped.
// The views point into `text`, which must outlive them.
std::vector<DataLine> DataLines(absl::string_view text);

// Removes the first token (a run of non-white-space characters, after any
// leading white space) from `*rest` and returns it; "" when nothing is left.
absl::string_view NextToken(absl::string_view* rest);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_TEXT_LINES_H_
