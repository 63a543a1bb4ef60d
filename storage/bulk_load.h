// Loading many rows into a database fast, for benchmarks (bench/): a store
// whose commits are not fsynced and whose page cache is large. Write in
// chunks (tens of thousands of rows per Write), then close the store before a
// server opens the file; the file is sound and in WAL mode once it is closed.
//
//   RECTIFY_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
//                            storage::OpenBulkLoadStore("/tmp/bench.db"));
//   RECTIFY_RETURN_IF_ERROR(store->Write([&](storage::WriteTx& tx) { ...20,000 CreateTask... }));
//
// Never for serving: a crash or power loss while loading can lose or damage
// what was loaded.
#ifndef RECTIFY_STORAGE_BULK_LOAD_H_
#define RECTIFY_STORAGE_BULK_LOAD_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace rectify::storage {

// Opens (creating, with the latest schema, if needed) `path` for bulk loading.
// Codes as OpenSqliteStore (storage/sqlite_store.h).
absl::StatusOr<std::unique_ptr<Store>> OpenBulkLoadStore(const std::string& path);

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_BULK_LOAD_H_
