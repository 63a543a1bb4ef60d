#include "common/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rectify::common {

absl::StatusOr<std::string> ReadFileToString(const std::string& path, absl::string_view what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto cannot_read = [&](absl::string_view reason) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", what, " '", path, "'", reason.empty() ? "" : ": ", reason));
  };
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat(what, " '", path, "' does not exist"));
  }
  if (ec) return cannot_read(ec.message());  // e.g. a directory on the way is not searchable
  if (!fs::is_regular_file(status)) {
    return absl::NotFoundError(absl::StrCat(what, " '", path, "' is not a regular file"));
  }
  // What open(2) or read(2) left in errno says why; 0 if they left nothing.
  auto os_reason = [] { return errno != 0 ? std::strerror(errno) : ""; };
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return cannot_read(os_reason());
  // istream::read, unlike `out << in.rdbuf()`, turns a failing read(2) into
  // badbit instead of a quietly short result.
  std::string contents;
  char buffer[64 * 1024];
  do {
    in.read(buffer, sizeof buffer);
    contents.append(buffer, static_cast<size_t>(in.gcount()));
  } while (in);
  if (in.bad()) return cannot_read(os_reason());
  return contents;
}

}  // namespace rectify::common
