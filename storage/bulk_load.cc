#include "storage/bulk_load.h"

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/sqlite_store.h"
#include "storage/store.h"

namespace rectify::storage {

absl::StatusOr<std::unique_ptr<Store>> OpenBulkLoadStore(const std::string& path) {
  SqliteOptions options;
  options.path = path;
  options.read_connections = 1;
  options.bulk_load = true;
  return OpenSqliteStore(options);
}

}  // namespace rectify::storage
