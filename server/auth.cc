#include "server/auth.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"

namespace rectify::server {

std::string HashToken(absl::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string TokenId(absl::string_view token_hash) {
  return std::string(token_hash.substr(0, 12));
}

std::string Principal::token_id() const { return TokenId(token_hash); }

absl::Status RateLimiter::Take(absl::string_view key, absl::Duration* retry_after) {
  if (limit_.per_second <= 0) return absl::OkStatus();
  const double burst = std::max(1, limit_.burst);
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(key), Bucket{burst, now}).first;
  }
  Bucket& bucket = it->second;
  if (now > bucket.refill_time) {
    bucket.calls = std::min(
        burst, bucket.calls + absl::ToDoubleSeconds(now - bucket.refill_time) * limit_.per_second);
    bucket.refill_time = now;
  }
  if (bucket.calls >= 1 - 1e-9) {  // tolerate rounding in the refill
    bucket.calls -= 1;
    return absl::OkStatus();
  }
  // Round up to whole milliseconds: retrying at the hint must succeed.
  const double wait_ms = std::ceil((1 - bucket.calls) / limit_.per_second * 1000);
  *retry_after = absl::Milliseconds(std::max(1.0, wait_ms));
  return absl::ResourceExhaustedError(absl::StrFormat(
      "rate limit: '%s' may make %g calls a second (bursts of %d); retry in %d ms", key,
      limit_.per_second, static_cast<int>(burst), absl::ToInt64Milliseconds(*retry_after)));
}

absl::Status Authenticator::Admit(const Principal& who, absl::Duration* retry_after) const {
  return limiter_.Take(who.person.id, retry_after);
}

absl::Status Authenticator::AdmitUnidentified(absl::string_view peer,
                                              absl::Duration* retry_after) const {
  // "peer " cannot collide with a person id's bucket: ids have no spaces.
  return limiter_.Take(absl::StrCat("peer ", peer), retry_after);
}

std::string NewTokenSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // OpenSSL's generator failing is not something to serve through.
    std::abort();
  }
  std::string encoded;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)),
                            &encoded);
  return absl::StrCat("rct_", encoded);
}

absl::StatusOr<Principal> Authenticator::Identify(absl::string_view authorization) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "no credentials: send metadata 'authorization: Bearer <token>'");
  }
  constexpr absl::string_view kBearer = "bearer ";
  if (authorization.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(authorization.substr(0, kBearer.size()), kBearer)) {
    return absl::UnauthenticatedError(
        "the 'authorization' metadata must be 'Bearer <token>'");
  }
  const std::string hash =
      HashToken(absl::StripAsciiWhitespace(authorization.substr(kBearer.size())));
  Principal principal;
  principal.token_hash = hash;
  principal.time = clock_.Now();
  // Taken before the store is read: an identity read across a change is
  // tagged with the generation from before it, so it is not used again.
  const std::optional<uint64_t> generation = store_.IdentityGeneration();
  if (generation.has_value()) {
    absl::MutexLock lock(&cache_mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.generation == *generation &&
        principal.time < it->second.read_time + kIdentityCacheTtl &&
        principal.time >= it->second.read_time && principal.time < it->second.expire_time) {
      principal.person = it->second.person;
      principal.organisation = it->second.organisation;
      return principal;
    }
  }
  absl::Time expire_time;
  absl::Status status = store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    absl::StatusOr<storage::TokenRecord> token = tx.GetToken(hash);
    if (absl::IsNotFound(token.status())) {
      return absl::UnauthenticatedError("the token is not known; ask an admin for a token");
    }
    RECTIFY_RETURN_IF_ERROR(token.status());
    if (token->revoked) {
      return absl::UnauthenticatedError(absl::StrCat(
          "the token ", TokenId(hash), " has been revoked; ask an admin for a new one"));
    }
    if (token->expire_time <= clock_.Now()) {
      return absl::UnauthenticatedError(
          absl::StrCat("the token ", TokenId(hash), " expired at ",
                       absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", token->expire_time,
                                        absl::UTCTimeZone()),
                       "; ask an admin for a new one"));
    }
    RECTIFY_ASSIGN_OR_RETURN(principal.person, tx.GetPerson(token->person_id));
    RECTIFY_ASSIGN_OR_RETURN(principal.organisation,
                             tx.GetOrganisation(principal.person.organisation_id));
    expire_time = token->expire_time;
    return absl::OkStatus();
  });
  RECTIFY_RETURN_IF_ERROR(status);
  if (generation.has_value()) {
    absl::MutexLock lock(&cache_mu_);
    if (cache_.size() >= kIdentityCacheSize) cache_.clear();
    cache_[hash] = CachedIdentity{*generation, principal.time, expire_time, principal.person,
                                  principal.organisation};
  }
  return principal;
}

}  // namespace rectify::server
