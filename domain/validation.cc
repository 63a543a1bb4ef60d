#include "domain/validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace rectify::domain {

absl::Status Required(absl::string_view field, absl::string_view value) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' is required"));
  }
  return absl::OkStatus();
}

absl::Status MaxLength(absl::string_view field, absl::string_view value, size_t max) {
  if (value.size() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is ", value.size(), " bytes; at most ", max, " are allowed"));
  }
  return absl::OkStatus();
}

bool IsSha256Hex(absl::string_view value) {
  return value.size() == 64 &&
         std::all_of(value.begin(), value.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace rectify::domain
