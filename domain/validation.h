// Field checks shared by the domain's validators (directory.cc, task.cc): each
// returns kInvalidArgument with a message that names the field.
//
//   RECTIFY_RETURN_IF_ERROR(Required("title", task.title));
//   RECTIFY_RETURN_IF_ERROR(MaxLength("title", task.title, 200));
#ifndef RECTIFY_DOMAIN_VALIDATION_H_
#define RECTIFY_DOMAIN_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rectify::domain {

// Returns kInvalidArgument "'<field>' is required" if `value` is empty or only
// ASCII white space; OK otherwise.
absl::Status Required(absl::string_view field, absl::string_view value);

// Returns kInvalidArgument "'<field>' is <n> bytes; at most <max> are allowed"
// if `value` is longer than `max` bytes (bytes, not characters: 汉字 count 3);
// OK otherwise.
absl::Status MaxLength(absl::string_view field, absl::string_view value, size_t max);

// Whether `value` is a SHA-256 as evidence carries it: 64 lowercase hex digits.
bool IsSha256Hex(absl::string_view value);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_VALIDATION_H_
