// Money on the command line. The API counts integer fen (分, 1/100 yuan); people
// type and read yuan. Parsing is exact decimal arithmetic on the digits: a
// double never touches an amount.
//
//   ParseYuan("1234.5")  → 123450
//   FormatYuan(123450)   → "¥1,234.50"
#ifndef RECTIFY_CLIENT_CLI_MONEY_H_
#define RECTIFY_CLIENT_CLI_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::client::cli {

// Parses a non-negative yuan amount, "1234", "1234.5" or "1234.50", into fen.
// Returns kInvalidArgument, naming the text and the expected form, for
// anything else: a sign, more than two decimals, separators, exponents, empty
// text, or a value above INT64_MAX fen.
absl::StatusOr<int64_t> ParseYuan(absl::string_view text);

// Parses a non-negative integer count of fen ("123450"). kInvalidArgument as
// ParseYuan.
absl::StatusOr<int64_t> ParseFen(absl::string_view text);

// "¥1,234.50"; negative amounts as "-¥1.00". Every int64 formats.
std::string FormatYuan(int64_t fen);

// "1234.50": no symbol and no grouping, for CSV that spreadsheets sum.
std::string FormatPlainYuan(int64_t fen);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_MONEY_H_
