#include "client/cli/money.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify::client::cli {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

absl::Status BadAmount(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("invalid amount '", text, "': ", why));
}

// Appends the decimal digits of `digits` to `*value`; false on overflow.
bool AccumulateDigits(absl::string_view digits, int64_t* value) {
  for (char c : digits) {
    const int d = c - '0';
    if (*value > (kMax - d) / 10) return false;
    *value = *value * 10 + d;
  }
  return true;
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// |fen| as an unsigned magnitude: defined for INT64_MIN as well.
uint64_t Magnitude(int64_t fen) {
  return fen < 0 ? ~static_cast<uint64_t>(fen) + 1 : static_cast<uint64_t>(fen);
}

}  // namespace

absl::StatusOr<int64_t> ParseYuan(absl::string_view text) {
  constexpr absl::string_view kExpected = "expected yuan like 1234 or 1234.50";
  if (text.empty()) return BadAmount(text, absl::StrCat("empty; ", kExpected));
  if (text.front() == '-') return BadAmount(text, "must not be negative");
  const size_t dot = text.find('.');
  const absl::string_view whole = text.substr(0, dot);
  const absl::string_view frac =
      dot == absl::string_view::npos ? absl::string_view() : text.substr(dot + 1);
  if (whole.empty() || !AllDigits(whole) || !AllDigits(frac) ||
      (dot != absl::string_view::npos && frac.empty())) {
    return BadAmount(text, kExpected);
  }
  if (frac.size() > 2) {
    return BadAmount(text, "at most 2 decimals (1 fen = 0.01 yuan)");
  }
  int64_t fen = 0;
  std::string cents(frac);
  cents.resize(2, '0');
  if (!AccumulateDigits(whole, &fen) || !AccumulateDigits(cents, &fen)) {
    return BadAmount(text, "too large");
  }
  return fen;
}

absl::StatusOr<int64_t> ParseFen(absl::string_view text) {
  if (text.empty()) return BadAmount(text, "empty; expected integer fen like 123450");
  if (text.front() == '-') return BadAmount(text, "must not be negative");
  if (!AllDigits(text)) return BadAmount(text, "expected integer fen like 123450");
  int64_t fen = 0;
  if (!AccumulateDigits(text, &fen)) return BadAmount(text, "too large");
  return fen;
}

std::string FormatPlainYuan(int64_t fen) {
  const uint64_t m = Magnitude(fen);
  return absl::StrFormat("%s%d.%02d", fen < 0 ? "-" : "", m / 100, m % 100);
}

std::string FormatYuan(int64_t fen) {
  const uint64_t m = Magnitude(fen);
  std::string whole = absl::StrCat(m / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[i]);
  }
  return absl::StrFormat("%s¥%s.%02d", fen < 0 ? "-" : "", grouped, m % 100);
}

}  // namespace rectify::client::cli
