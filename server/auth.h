// Identity: every call carries "authorization: Bearer <token>"; the token's
// SHA-256 is looked up in the store and resolves to a person, their role and
// their organisation (a Principal).
#ifndef RECTIFY_SERVER_AUTH_H_
#define RECTIFY_SERVER_AUTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/directory.h"
#include "domain/task.h"
#include "server/clock.h"
#include "storage/store.h"

namespace rectify::server {

struct Principal {
  domain::Person person;
  domain::Organisation organisation;
  std::string token_hash;

  domain::Actor actor() const { return {person.id, organisation.id, person.role}; }
  bool is_admin() const { return person.role == domain::Role::kAdmin; }
  // Supervisors and admins see and act everywhere.
  bool is_supervisor() const {
    return person.role == domain::Role::kSupervisor || person.role == domain::Role::kAdmin;
  }
};

// Hex SHA-256 of a token secret: what the store keeps.
std::string HashToken(absl::string_view secret);
// A fresh random token secret: "rct_" + 43 url-safe base64 characters (256 bits).
std::string NewTokenSecret();

class Authenticator {
 public:
  Authenticator(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Resolves the value of the "authorization" metadata. kUnauthenticated when
  // it is missing, malformed, unknown, expired or revoked, saying which.
  absl::StatusOr<Principal> Identify(absl::string_view authorization) const;

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_AUTH_H_
