// The service-level table: for each task category, the time allowed to handle
// a task and the unit it is counted in (natural hours for urgent hazards,
// working hours, working days). Data that a city edits: data/service_levels.txt.
//
//   RECTIFY_ASSIGN_OR_RETURN(ServiceLevelTable table,
//                            ServiceLevelTable::LoadFile("data/service_levels.txt"));
//   RECTIFY_ASSIGN_OR_RETURN(ServiceLevel level, table.Find("sanitation"));
//   // level.amount == 3, level.unit == SlaUnit::kWorkingDays
//
// File format (line-based, UTF-8; `#` starts a comment, blank lines are ignored):
//
//   # category     amount unit           description
//   safety_hazard  24     natural_hours  安全隐患（私拉电线充电等）
//   sanitation     3      working_days   环境卫生
//
// category: [a-z0-9_]+, unique; amount: an integer in 1..10000; unit:
// natural_hours, working_hours or working_days; description: the rest of the
// line, may be empty.
#ifndef RECTIFY_DOMAIN_SERVICE_LEVEL_H_
#define RECTIFY_DOMAIN_SERVICE_LEVEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::domain {

// How the time allowed by a service level is counted (see deadline.h).
// Numbered like the API's SlaUnit and stored as these numbers: never renumber.
enum class SlaUnit {
  kNaturalHours = 1,  // every hour, day and night, weekends and holidays included
  kWorkingHours,  // hours inside the working windows of working days
  kWorkingDays,   // whole working days (24 hours each)
};

// "natural_hours", "working_hours" or "working_days": the spelling of the data file.
absl::string_view SlaUnitName(SlaUnit unit);

// The inverse of SlaUnitName(). Returns kInvalidArgument naming the three
// accepted spellings.
absl::StatusOr<SlaUnit> ParseSlaUnit(absl::string_view name);

struct ServiceLevel {
  std::string category;  // e.g. "sanitation"
  int64_t amount = 0;    // in `unit`s, 1..10000
  SlaUnit unit = SlaUnit::kWorkingDays;
  std::string description;  // for people, e.g. "环境卫生"

  friend bool operator==(const ServiceLevel& a, const ServiceLevel& b) {
    return a.category == b.category && a.amount == b.amount && a.unit == b.unit &&
           a.description == b.description;
  }
};

// An immutable table of service levels keyed by category. Thread-compatible.
class ServiceLevelTable {
 public:
  // The largest amount accepted in a file, in any unit.
  static constexpr int64_t kMaxAmount = 10000;

  // Parses a table. `source` (e.g. the file path) prefixes every error.
  // Returns kInvalidArgument "<source>:<line>: <what is wrong>; <what would be
  // right>" for a missing field, a category outside [a-z0-9_]+ or repeated,
  // an amount that is not an integer in 1..10000, or an unknown unit; and
  // kInvalidArgument "<source>: ..." if the text declares no service level.
  static absl::StatusOr<ServiceLevelTable> Parse(absl::string_view text, absl::string_view source);

  // Reads and parses a file. Returns kNotFound if it does not exist,
  // kFailedPrecondition if it cannot be read, otherwise what Parse() returns.
  static absl::StatusOr<ServiceLevelTable> LoadFile(const std::string& path);

  // Returns the level of `category`, or kNotFound naming it and listing the
  // known categories.
  absl::StatusOr<ServiceLevel> Find(absl::string_view category) const;

  // Every level, sorted by category.
  std::vector<ServiceLevel> All() const;

  size_t size() const { return levels_.size(); }

 private:
  std::map<std::string, ServiceLevel, std::less<>> levels_;
};

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_SERVICE_LEVEL_H_
