// First start: an empty store gets an admin (and the city office it belongs
// to) and one admin token, so that someone can log in and issue the rest.
// Also the demo city for trying the server out.
#ifndef RECTIFY_SERVER_BOOTSTRAP_H_
#define RECTIFY_SERVER_BOOTSTRAP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/clock.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

// If the store has no token at all, creates organisation "city" (the city
// office, 创城办), person "admin" with the admin role, and a token for it.
// Returns the token's secret, shown once; nullopt if tokens already exist.
absl::StatusOr<std::optional<std::string>> BootstrapAdmin(storage::Store& store,
                                                          const Clock& clock);

struct DemoLogin {
  std::string person_id;
  std::string description;
  std::string token;
};

// Loads the demo city unless campaign "demo" already exists: a campaign whose
// phases surround `clock`'s today, the city's offices, three street offices,
// property companies, owners' committees, six communities, their people, and
// tasks in every state, some overdue (their history is recorded as if it had
// happened over the past weeks). Returns the demo logins (fixed, well-known
// tokens: for demonstration only). Idempotent.
absl::StatusOr<std::vector<DemoLogin>> LoadDemo(storage::Store& store, const Clock& clock,
                                                const Rules& rules);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_BOOTSTRAP_H_
