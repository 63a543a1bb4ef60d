#include "server/letter_commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"

namespace rectify::server {
namespace {

using domain::ResponsibilityLetter;
using domain::Role;

std::string RoleOf(const Principal& who) {
  return absl::StrCat("person '", who.person.id, "' (", domain::RoleName(who.person.role), " of '",
                      who.organisation.id, "')");
}

bool IsParty(const ResponsibilityLetter& l, const std::string& org_id) {
  if (org_id.empty()) return false;
  std::vector<std::string> parties = domain::LetterParties(l);
  return std::find(parties.begin(), parties.end(), org_id) != parties.end();
}

bool MaySee(const Principal& who, const ResponsibilityLetter& l) {
  if (who.is_supervisor() || who.person.role == Role::kCentreStaff) return true;
  return IsParty(l, who.organisation.id);
}

}  // namespace

absl::StatusOr<ResponsibilityLetter> LetterCommands::Draft(storage::WriteTx& tx,
                                                           const Principal& who,
                                                           ResponsibilityLetter draft) const {
  if (draft.campaign_id.empty()) {
    return absl::InvalidArgumentError("'campaign_id' is empty; name the campaign");
  }
  if (draft.community_id.empty()) {
    return absl::InvalidArgumentError("'community_id' is empty; name the community");
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(draft.campaign_id));
  if (campaign.phase == domain::Phase::kClosed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "campaign '", campaign.id, "' is closed; no responsibility letter can be drafted in it"));
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(draft.community_id));
  const bool allowed = who.is_supervisor() || (who.person.role == Role::kStreetOfficer &&
                                               who.organisation.id == community.street_office_id);
  if (!allowed) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not draft a responsibility letter for community '",
                     community.id, "'; its street office ('", community.street_office_id,
                     "') and supervisors may"));
  }
  draft.street_office_id = community.street_office_id;
  draft.owners_committee_id = community.owners_committee_id;
  draft.property_company_id = community.property_company_id;
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("letter"));
  draft.id = absl::StrCat("RL-", n);
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event,
                           domain::DraftLetter(draft, who.person.id, who.organisation.id,
                                               clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.CreateLetter(draft));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return draft;
}

absl::StatusOr<ResponsibilityLetter> LetterCommands::Sign(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          const LetterRef& ref) const {
  if (ref.id.empty()) return absl::InvalidArgumentError("'letter_id' is empty; name the letter");
  RECTIFY_ASSIGN_OR_RETURN(ResponsibilityLetter l, tx.GetLetter(ref.id));
  if (!IsParty(l, who.organisation.id)) {
    return absl::PermissionDeniedError(absl::StrCat(
        RoleOf(who), " may not sign responsibility letter '", l.id,
        "'; a person of each party signs for it: ", absl::StrJoin(domain::LetterParties(l), ", ")));
  }
  if (!ref.etag.empty() && ref.etag != absl::StrCat(l.version)) {
    return absl::AbortedError(absl::StrCat("responsibility letter '", l.id,
                                           "' has changed: its etag is now '", l.version,
                                           "', you sent '", ref.etag, "'; read it again and retry"));
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event,
                           domain::SignLetter(l, who.organisation.id, who.person.id, clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.SaveLetter(l));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return l;
}

absl::StatusOr<ResponsibilityLetter> LetterCommands::Get(storage::ReadTx& tx, const Principal& who,
                                                         const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError("'letter_id' is empty; name the letter");
  RECTIFY_ASSIGN_OR_RETURN(ResponsibilityLetter l, tx.GetLetter(id));
  if (!MaySee(who, l)) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not see responsibility letter '", l.id,
                     "'; its parties, centre staff and supervisors may"));
  }
  return l;
}

absl::StatusOr<std::vector<ResponsibilityLetter>> LetterCommands::List(
    storage::ReadTx& tx, const Principal& who, const storage::LetterFilter& filter,
    int limit) const {
  RECTIFY_ASSIGN_OR_RETURN(std::vector<ResponsibilityLetter> all, tx.ListLetters(filter, limit));
  std::vector<ResponsibilityLetter> out;
  for (ResponsibilityLetter& l : all) {
    if (MaySee(who, l)) out.push_back(std::move(l));
  }
  return out;
}

absl::Status CheckLetterForDispatch(storage::ReadTx& tx, const domain::Campaign& campaign,
                                    const std::string& community_id) {
  if (!campaign.require_letter) return absl::OkStatus();
  storage::LetterFilter filter;
  filter.campaign_id = campaign.id;
  filter.community_id = community_id;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<ResponsibilityLetter> letters, tx.ListLetters(filter, 1000));
  for (const ResponsibilityLetter& l : letters) {
    if (l.state == domain::LetterState::kSigned) return absl::OkStatus();
  }
  const std::string rule = absl::StrCat("campaign '", campaign.id,
                                        "' requires a signed responsibility letter "
                                        "(require_letter) before a community's tasks are "
                                        "dispatched");
  if (letters.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "community '", community_id, "' has no responsibility letter; ", rule,
        ": its street office drafts one and every party signs it"));
  }
  const ResponsibilityLetter& newest = letters.front();
  return absl::FailedPreconditionError(absl::StrCat(
      "community '", community_id, "' has no signed responsibility letter: letter '", newest.id,
      "' is in state ", domain::LetterStateName(newest.state), ", missing the signatures of ",
      absl::StrJoin(domain::MissingSignatures(newest), ", "), "; ", rule));
}

}  // namespace rectify::server
