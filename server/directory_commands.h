// The directory application service: campaigns, organisations, people and
// communities. Writes run inside the caller's write transaction and append an
// event; references to other entries are checked and named when wrong.
#ifndef RECTIFY_SERVER_DIRECTORY_COMMANDS_H_
#define RECTIFY_SERVER_DIRECTORY_COMMANDS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/directory.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/standards.h"
#include "storage/store.h"

namespace rectify::server {

// Which fields an update changes (the update_mask's paths).
using FieldPaths = std::vector<std::string>;

class DirectoryCommands {
 public:
  // `default_time_zone` is given to campaigns created without one; a
  // campaign's standard must be one of `standards` (default: the sole one).
  DirectoryCommands(const Clock& clock, std::string default_time_zone,
                    const StandardRegistry& standards)
      : clock_(clock), default_time_zone_(std::move(default_time_zone)), standards_(standards) {}

  // Supervisors and admins. Ids are generated when empty.
  absl::StatusOr<domain::Campaign> CreateCampaign(storage::WriteTx& tx, const Principal& who,
                                                  domain::Campaign campaign) const;
  // Admins.
  absl::StatusOr<domain::Organisation> CreateOrganisation(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          domain::Organisation org) const;
  // Admins. `paths` ⊆ {name, head_person_id, street_office_id}; the head must
  // be a person of the organisation. kAborted if `etag` is stale.
  absl::StatusOr<domain::Organisation> UpdateOrganisation(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          const domain::Organisation& update,
                                                          const std::string& etag,
                                                          const FieldPaths& paths) const;
  // Admins.
  absl::StatusOr<domain::Person> CreatePerson(storage::WriteTx& tx, const Principal& who,
                                              domain::Person person) const;
  // Supervisors and admins.
  absl::StatusOr<domain::Community> CreateCommunity(storage::WriteTx& tx, const Principal& who,
                                                    domain::Community community) const;
  // Supervisors and admins. `paths` ⊆ {name, address, property_company_id,
  // owners_committee_id}.
  absl::StatusOr<domain::Community> UpdateCommunity(storage::WriteTx& tx, const Principal& who,
                                                    const domain::Community& update,
                                                    const std::string& etag,
                                                    const FieldPaths& paths) const;

  // Admins: a new token for `person_id`, valid for `ttl` (infinite if zero).
  // Returns the secret, which is never stored.
  absl::StatusOr<std::string> IssueToken(storage::WriteTx& tx, const Principal& who,
                                         const std::string& person_id, const std::string& label,
                                         absl::Duration ttl, absl::Time* expire_time) const;

  // Tokens of `person_id` ("" : admins everyone's, others their own), newest
  // first. PERMISSION_DENIED when a non-admin asks for someone else's.
  absl::StatusOr<std::vector<storage::TokenRecord>> ListTokens(storage::ReadTx& tx,
                                                               const Principal& who,
                                                               const std::string& person_id) const;
  // Revokes the token whose id (hash prefix, at least 8 hex digits) is
  // `token_id`: admins any, others their own (else PERMISSION_DENIED).
  // NOT_FOUND if none matches; INVALID_ARGUMENT naming 'token_id' if it is
  // too short or matches several. Revoking a revoked token changes nothing.
  absl::StatusOr<storage::TokenRecord> RevokeToken(storage::WriteTx& tx, const Principal& who,
                                                   const std::string& token_id) const;

 private:
  domain::Event NewEvent(const Principal& who, std::string type, std::string subject) const;

  const Clock& clock_;
  std::string default_time_zone_;
  const StandardRegistry& standards_;
};

// kInvalidArgument unless `id` is empty or 1-64 of [A-Za-z0-9_-].
absl::Status ValidateId(absl::string_view field, absl::string_view id);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_DIRECTORY_COMMANDS_H_
