#include "domain/event.h"

namespace rectify::domain {

absl::string_view Event::Detail(absl::string_view key) const {
  for (const auto& [k, v] : details) {
    if (k == key) return v;
  }
  return "";
}

}  // namespace rectify::domain
