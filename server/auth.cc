#include "server/auth.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace rectify::server {

std::string HashToken(absl::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
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
  absl::Status status = store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    absl::StatusOr<storage::TokenRecord> token = tx.GetToken(hash);
    if (absl::IsNotFound(token.status())) {
      return absl::UnauthenticatedError("the token is not known; ask an admin for a token");
    }
    RECTIFY_RETURN_IF_ERROR(token.status());
    if (token->revoked) return absl::UnauthenticatedError("the token has been revoked");
    if (token->expire_time <= clock_.Now()) {
      return absl::UnauthenticatedError("the token has expired; ask an admin for a new one");
    }
    RECTIFY_ASSIGN_OR_RETURN(principal.person, tx.GetPerson(token->person_id));
    RECTIFY_ASSIGN_OR_RETURN(principal.organisation,
                             tx.GetOrganisation(principal.person.organisation_id));
    return absl::OkStatus();
  });
  RECTIFY_RETURN_IF_ERROR(status);
  return principal;
}

}  // namespace rectify::server
