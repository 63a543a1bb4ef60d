// Responsibility letters (责任书): the application commands behind
// AccountabilityPlanService, and the dispatch rule that a campaign with
// `require_letter` applies (TaskCommands::Dispatch calls CheckDispatchAllowed).
// Each command runs inside the caller's write transaction: load, check, apply,
// save with its event. No gRPC here.
#ifndef RECTIFY_SERVER_LETTER_COMMANDS_H_
#define RECTIFY_SERVER_LETTER_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/responsibility_letter.h"
#include "server/auth.h"
#include "server/clock.h"
#include "storage/store.h"

namespace rectify::server {

struct LetterRef {
  std::string id;
  std::string etag;
};

class LetterCommands {
 public:
  explicit LetterCommands(const Clock& clock) : clock_(clock) {}

  // Drafts `draft` (campaign_id, community_id, indicators, responsibilities,
  // term); its parties come from the community. The community's street
  // officers and supervisors may (kPermissionDenied otherwise). kNotFound for
  // an unknown campaign or community; kInvalidArgument naming the field;
  // kFailedPrecondition once the campaign is closed.
  absl::StatusOr<domain::ResponsibilityLetter> Draft(storage::WriteTx& tx, const Principal& who,
                                                     domain::ResponsibilityLetter draft) const;
  // The caller signs for their organisation, which must be a party
  // (kPermissionDenied otherwise). kFailedPrecondition once SIGNED or if the
  // party has signed; kAborted for a stale etag.
  absl::StatusOr<domain::ResponsibilityLetter> Sign(storage::WriteTx& tx, const Principal& who,
                                                    const LetterRef& ref) const;
  // Supervisors, centre staff and admins see every letter; a party's people
  // their own. kPermissionDenied otherwise.
  absl::StatusOr<domain::ResponsibilityLetter> Get(storage::ReadTx& tx, const Principal& who,
                                                   const std::string& id) const;
  // The newest `limit` letters matching `filter`, less those the caller may not see.
  absl::StatusOr<std::vector<domain::ResponsibilityLetter>> List(
      storage::ReadTx& tx, const Principal& who, const storage::LetterFilter& filter,
      int limit) const;

  absl::Time Now() const { return clock_.Now(); }

 private:
  const Clock& clock_;
};

// The dispatch rule: OK unless `campaign.require_letter` and community
// `community_id` has no SIGNED letter in the campaign, which is
// kFailedPrecondition naming the community and what is missing (no letter, or
// the parties yet to sign the newest draft).
absl::Status CheckLetterForDispatch(storage::ReadTx& tx, const domain::Campaign& campaign,
                                    const std::string& community_id);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_LETTER_COMMANDS_H_
