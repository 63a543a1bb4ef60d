// Reading a whole file into memory, with errors that name the file: the one
// place the loaders of data files (work calendars, service levels) touch the
// file system for contents, so that their parsers stay pure text.
//
//   RECTIFY_ASSIGN_OR_RETURN(std::string text,
//                            common::ReadFileToString(path, "service-level file"));
#ifndef RECTIFY_COMMON_READ_FILE_H_
#define RECTIFY_COMMON_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::common {

// Returns the bytes of the regular file at `path` (symbolic links followed).
// `what` names the file in messages, e.g. "calendar file".
// Returns kNotFound "<what> '<path>' does not exist" if nothing is there, or
// "<what> '<path>' is not a regular file" for a directory, device or the like;
// kFailedPrecondition "cannot read <what> '<path>': <reason>" if it cannot be
// looked at, opened or read (permissions, I/O error).
absl::StatusOr<std::string> ReadFileToString(const std::string& path,
                                             absl::string_view what = "file");

}  // namespace rectify::common

#endif  // RECTIFY_COMMON_READ_FILE_H_
