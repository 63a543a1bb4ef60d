// Identity: every call carries "authorization: Bearer <token>"; the token's
// SHA-256 is looked up in the store and resolves to a person, their role and
// their organisation (a Principal).
#ifndef RECTIFY_SERVER_AUTH_H_
#define RECTIFY_SERVER_AUTH_H_

#include <functional>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/directory.h"
#include "domain/task.h"
#include "server/clock.h"
#include "storage/store.h"

namespace rectify::server {

struct Principal {
  domain::Person person;
  domain::Organisation organisation;
  std::string token_hash;
  // When the call was identified, by the server's clock: its audit time.
  absl::Time time = absl::InfinitePast();
  // True once the caller has gone (deadline passed, call cancelled); unset
  // means never. Asking gRPC whether a call is cancelled polls the call (tens
  // of microseconds), so it is asked once, before a write is queued.
  std::function<bool()> cancelled;
  // True once the call's deadline has passed; unset means never. Cheap (a
  // comparison with the time now), so a write checks it again just before
  // its batch commits.
  std::function<bool()> past_deadline;

  // The token's short, non-secret id (see TokenId).
  std::string token_id() const;
  bool has_gone() const { return cancelled && cancelled(); }
  bool has_timed_out() const { return past_deadline && past_deadline(); }
  domain::Actor actor() const { return {person.id, organisation.id, person.role}; }
  bool is_admin() const { return person.role == domain::Role::kAdmin; }
  // Supervisors and admins see and act everywhere.
  bool is_supervisor() const {
    return person.role == domain::Role::kSupervisor || person.role == domain::Role::kAdmin;
  }
};

// Hex SHA-256 of a token secret: what the store keeps.
std::string HashToken(absl::string_view secret);
// The short id of a token: the first 12 hex digits of its hash. Shown in
// token lists and the audit trail; it does not reveal the secret.
std::string TokenId(absl::string_view token_hash);
// A fresh random token secret: "rct_" + 43 url-safe base64 characters (256 bits).
std::string NewTokenSecret();

// How many calls one person may make: a token bucket refilled at
// `per_second` calls a second, holding at most `burst`. per_second <= 0: no limit.
struct RateLimit {
  double per_second = 0;
  int burst = 0;
};

// Per-key token buckets on the server's clock. Thread-safe.
class RateLimiter {
 public:
  RateLimiter(RateLimit limit, const Clock& clock) : limit_(limit), clock_(clock) {}
  // Takes one call from `key`'s bucket. OK if there was one; otherwise
  // kResourceExhausted saying when to retry, and *retry_after is that wait.
  absl::Status Take(absl::string_view key, absl::Duration* retry_after);

 private:
  struct Bucket {
    double calls = 0;
    absl::Time refill_time;
  };
  const RateLimit limit_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_ ABSL_GUARDED_BY(mu_);
};

class Authenticator {
 public:
  Authenticator(storage::Store& store, const Clock& clock, RateLimit limit = {})
      : store_(store), clock_(clock), limiter_(limit, clock) {}

  // Resolves the value of the "authorization" metadata. kUnauthenticated when
  // it is missing, malformed, unknown, expired or revoked, saying which.
  //
  // A token's person and organisation are kept in memory once read, so that
  // a call costs no read transaction, for as long as the store's
  // IdentityGeneration stays the same (no token, person or organisation
  // written since: a revocation or a role change counts from the call after
  // it) and at most kIdentityCacheTtl (a backstop for another process writing
  // the same file). The token's expiry is checked at every call.
  absl::StatusOr<Principal> Identify(absl::string_view authorization) const;
  static constexpr absl::Duration kIdentityCacheTtl = absl::Seconds(10);
  // Counts one call of `who` against its rate limit: kResourceExhausted (with
  // the wait in *retry_after) when it has none left.
  absl::Status Admit(const Principal& who, absl::Duration* retry_after) const;
  // Counts one failed identification from `peer` (an address without its
  // port) against the same limit, so that callers without a valid token
  // cannot flood the server or its audit trail.
  absl::Status AdmitUnidentified(absl::string_view peer, absl::Duration* retry_after) const;

 private:
  struct CachedIdentity {
    uint64_t generation = 0;
    absl::Time read_time;
    absl::Time expire_time;
    domain::Person person;
    domain::Organisation organisation;
  };
  // Entries kept at most; the cache is emptied when full.
  static constexpr size_t kIdentityCacheSize = 4096;

  storage::Store& store_;
  const Clock& clock_;
  mutable RateLimiter limiter_;
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, CachedIdentity> cache_ ABSL_GUARDED_BY(cache_mu_);
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_AUTH_H_
