#include "server/directory_commands.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/policy.h"

namespace rectify::server {
namespace {

using domain::OrgKind;

bool Has(const FieldPaths& paths, absl::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

absl::Status CheckPaths(const FieldPaths& paths, const std::vector<std::string>& allowed) {
  if (paths.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'update_mask' is empty; name the fields to change: ",
                     absl::StrJoin(allowed, ", ")));
  }
  for (const std::string& path : paths) {
    if (std::find(allowed.begin(), allowed.end(), path) == allowed.end()) {
      return absl::InvalidArgumentError(absl::StrCat("'update_mask' names '", path,
                                                     "', which cannot be changed; allowed: ",
                                                     absl::StrJoin(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEtag(absl::string_view what, int64_t version, absl::string_view etag) {
  if (etag.empty() || etag == absl::StrCat(version)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(what, " has changed: its etag is now '", version,
                                         "', you sent '", etag, "'; read it again and retry"));
}

// The organisation `id` referenced by `field`, which must be of `kind`.
absl::Status CheckOrgRef(storage::ReadTx& tx, absl::string_view field, absl::string_view id,
                         OrgKind kind) {
  absl::StatusOr<domain::Organisation> org = tx.GetOrganisation(id);
  if (absl::IsNotFound(org.status())) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "': no organisation '", id, "'"));
  }
  RECTIFY_RETURN_IF_ERROR(org.status());
  if (org->kind != kind) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "': '", id, "' is a ",
                                                   domain::OrgKindName(org->kind), ", not a ",
                                                   domain::OrgKindName(kind)));
  }
  return absl::OkStatus();
}

absl::Status CheckHead(storage::ReadTx& tx, const domain::Organisation& org) {
  if (org.head_person_id.empty()) return absl::OkStatus();
  absl::StatusOr<domain::Person> head = tx.GetPerson(org.head_person_id);
  if (absl::IsNotFound(head.status()) || (head.ok() && head->organisation_id != org.id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'head_person_id': '", org.head_person_id, "' is not a person of '", org.id, "'"));
  }
  return head.status();
}

absl::Status CheckCommunityRefs(storage::ReadTx& tx, const domain::Community& c) {
  RECTIFY_RETURN_IF_ERROR(
      CheckOrgRef(tx, "street_office_id", c.street_office_id, OrgKind::kStreetOffice));
  if (!c.property_company_id.empty()) {
    RECTIFY_RETURN_IF_ERROR(CheckOrgRef(tx, "property_company_id", c.property_company_id,
                                        OrgKind::kPropertyCompany));
  }
  if (!c.owners_committee_id.empty()) {
    RECTIFY_RETURN_IF_ERROR(
        CheckOrgRef(tx, "owners_committee_id", c.owners_committee_id, OrgKind::kCommittee));
  }
  return absl::OkStatus();
}

absl::string_view OrgIdPrefix(OrgKind kind) {
  switch (kind) {
    case OrgKind::kCityOffice: return "city";
    case OrgKind::kSupervisionOffice: return "sup";
    case OrgKind::kPropertyCentre: return "pmc";
    case OrgKind::kStreetOffice: return "so";
    case OrgKind::kCommittee: return "oc";
    case OrgKind::kPropertyCompany: return "pc";
    case OrgKind::kEnforcementBureau: return "eb";
    case OrgKind::kSanitationDepartment: return "san";
    case OrgKind::kVolunteerTeam: return "vt";
  }
  return "org";
}

// Fills an empty id from a counter: "<prefix>-<n>".
absl::Status AssignId(storage::WriteTx& tx, std::string& id, absl::string_view prefix) {
  if (!id.empty()) return ValidateId("id", id);
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence(prefix));
  id = absl::StrCat(prefix, "-", n);
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  const bool ok = !id.empty() && id.size() <= 64 &&
                  std::all_of(id.begin(), id.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_';
                  });
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "'", field, "' must be 1 to 64 letters, digits, '-' or '_'"));
}

domain::Event DirectoryCommands::NewEvent(const Principal& who, std::string type,
                                          std::string subject) const {
  domain::Event event;
  event.type = std::move(type);
  event.subject = std::move(subject);
  event.actor_person_id = who.person.id;
  event.actor_org_id = who.organisation.id;
  event.time = clock_.Now();
  return event;
}

absl::StatusOr<domain::Campaign> DirectoryCommands::CreateCampaign(storage::WriteTx& tx,
                                                                   const Principal& who,
                                                                   domain::Campaign c) const {
  RECTIFY_RETURN_IF_ERROR(CheckSupervisor(who, "create campaigns"));
  if (c.time_zone.empty()) c.time_zone = default_time_zone_;
  if (c.standard_id.empty()) c.standard_id = standards_.SoleId();
  if (!c.standard_id.empty() && standards_.Latest(c.standard_id) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'standard_id': no standard '", c.standard_id, "' is loaded (see data/standards/)"));
  }
  RECTIFY_RETURN_IF_ERROR(domain::ValidateCampaign(c));
  RECTIFY_RETURN_IF_ERROR(AssignId(tx, c.id, "C"));
  c.create_time = c.update_time = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(tx.CreateCampaign(c));
  domain::Event event = NewEvent(who, "campaign.created", absl::StrCat("campaigns/", c.id));
  event.campaign_id = c.id;
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return c;
}

absl::StatusOr<domain::Organisation> DirectoryCommands::CreateOrganisation(
    storage::WriteTx& tx, const Principal& who, domain::Organisation org) const {
  RECTIFY_RETURN_IF_ERROR(CheckAdmin(who, "create organisations"));
  RECTIFY_RETURN_IF_ERROR(domain::ValidateOrganisation(org));
  if (!org.head_person_id.empty()) {
    return absl::InvalidArgumentError(
        "'head_person_id' cannot be set at creation: create the organisation, then its people, "
        "then name the head with UpdateOrganisation");
  }
  if (!org.street_office_id.empty()) {
    RECTIFY_RETURN_IF_ERROR(
        CheckOrgRef(tx, "street_office_id", org.street_office_id, OrgKind::kStreetOffice));
  }
  RECTIFY_RETURN_IF_ERROR(AssignId(tx, org.id, OrgIdPrefix(org.kind)));
  org.create_time = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(tx.CreateOrganisation(org));
  domain::Event event =
      NewEvent(who, "organisation.created", absl::StrCat("organisations/", org.id));
  event.details = {{"kind", std::string(domain::OrgKindName(org.kind))}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return org;
}

absl::StatusOr<domain::Organisation> DirectoryCommands::UpdateOrganisation(
    storage::WriteTx& tx, const Principal& who, const domain::Organisation& update,
    const std::string& etag, const FieldPaths& paths) const {
  RECTIFY_RETURN_IF_ERROR(CheckAdmin(who, "change organisations"));
  RECTIFY_RETURN_IF_ERROR(CheckPaths(paths, {"name", "head_person_id", "street_office_id"}));
  RECTIFY_ASSIGN_OR_RETURN(domain::Organisation org, tx.GetOrganisation(update.id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag(absl::StrCat("organisation '", org.id, "'"), org.version, etag));
  if (Has(paths, "name")) org.name = update.name;
  if (Has(paths, "head_person_id")) org.head_person_id = update.head_person_id;
  if (Has(paths, "street_office_id")) {
    org.street_office_id = update.street_office_id;
    if (!org.street_office_id.empty()) {
      RECTIFY_RETURN_IF_ERROR(
          CheckOrgRef(tx, "street_office_id", org.street_office_id, OrgKind::kStreetOffice));
    }
  }
  RECTIFY_RETURN_IF_ERROR(domain::ValidateOrganisation(org));
  RECTIFY_RETURN_IF_ERROR(CheckHead(tx, org));
  RECTIFY_RETURN_IF_ERROR(tx.SaveOrganisation(org));
  domain::Event event =
      NewEvent(who, "organisation.updated", absl::StrCat("organisations/", org.id));
  event.details = {{"fields", absl::StrJoin(paths, ",")}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return org;
}

absl::StatusOr<domain::Person> DirectoryCommands::CreatePerson(storage::WriteTx& tx,
                                                               const Principal& who,
                                                               domain::Person person) const {
  RECTIFY_RETURN_IF_ERROR(CheckAdmin(who, "create people"));
  RECTIFY_RETURN_IF_ERROR(domain::ValidatePerson(person));
  absl::StatusOr<domain::Organisation> org = tx.GetOrganisation(person.organisation_id);
  if (absl::IsNotFound(org.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("'organisation_id': no organisation '", person.organisation_id, "'"));
  }
  RECTIFY_RETURN_IF_ERROR(org.status());
  RECTIFY_RETURN_IF_ERROR(AssignId(tx, person.id, "P"));
  person.create_time = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(tx.CreatePerson(person));
  domain::Event event = NewEvent(who, "person.created", absl::StrCat("people/", person.id));
  event.details = {{"organisation_id", person.organisation_id},
                   {"role", std::string(domain::RoleName(person.role))}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return person;
}

absl::StatusOr<domain::Community> DirectoryCommands::CreateCommunity(
    storage::WriteTx& tx, const Principal& who, domain::Community community) const {
  RECTIFY_RETURN_IF_ERROR(CheckSupervisor(who, "create communities"));
  RECTIFY_RETURN_IF_ERROR(domain::ValidateCommunity(community));
  RECTIFY_RETURN_IF_ERROR(CheckCommunityRefs(tx, community));
  RECTIFY_RETURN_IF_ERROR(AssignId(tx, community.id, "CM"));
  community.create_time = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(tx.CreateCommunity(community));
  domain::Event event =
      NewEvent(who, "community.created", absl::StrCat("communities/", community.id));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return community;
}

absl::StatusOr<domain::Community> DirectoryCommands::UpdateCommunity(
    storage::WriteTx& tx, const Principal& who, const domain::Community& update,
    const std::string& etag, const FieldPaths& paths) const {
  RECTIFY_RETURN_IF_ERROR(CheckSupervisor(who, "change communities"));
  RECTIFY_RETURN_IF_ERROR(
      CheckPaths(paths, {"name", "address", "property_company_id", "owners_committee_id"}));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community c, tx.GetCommunity(update.id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag(absl::StrCat("community '", c.id, "'"), c.version, etag));
  if (Has(paths, "name")) c.name = update.name;
  if (Has(paths, "address")) c.address = update.address;
  if (Has(paths, "property_company_id")) c.property_company_id = update.property_company_id;
  if (Has(paths, "owners_committee_id")) c.owners_committee_id = update.owners_committee_id;
  RECTIFY_RETURN_IF_ERROR(domain::ValidateCommunity(c));
  RECTIFY_RETURN_IF_ERROR(CheckCommunityRefs(tx, c));
  RECTIFY_RETURN_IF_ERROR(tx.SaveCommunity(c));
  domain::Event event = NewEvent(who, "community.updated", absl::StrCat("communities/", c.id));
  event.details = {{"fields", absl::StrJoin(paths, ",")}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return c;
}

absl::StatusOr<std::string> DirectoryCommands::IssueToken(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          const std::string& person_id,
                                                          const std::string& label,
                                                          absl::Duration ttl,
                                                          absl::Time* expire_time) const {
  RECTIFY_RETURN_IF_ERROR(CheckAdmin(who, "issue tokens"));
  if (ttl < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("'ttl' is negative; leave it unset for no expiry");
  }
  absl::StatusOr<domain::Person> person = tx.GetPerson(person_id);
  if (absl::IsNotFound(person.status())) {
    return absl::InvalidArgumentError(absl::StrCat("'person_id': no person '", person_id, "'"));
  }
  RECTIFY_RETURN_IF_ERROR(person.status());
  const std::string secret = NewTokenSecret();
  storage::TokenRecord token;
  token.token_hash = HashToken(secret);
  token.person_id = person_id;
  token.label = label;
  token.create_time = clock_.Now();
  token.expire_time = ttl == absl::ZeroDuration() ? absl::InfiniteFuture() : token.create_time + ttl;
  RECTIFY_RETURN_IF_ERROR(tx.PutToken(token));
  domain::Event event = NewEvent(who, "token.issued", absl::StrCat("people/", person_id));
  event.details = {{"label", label}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  *expire_time = token.expire_time;
  return secret;
}

absl::StatusOr<std::vector<storage::TokenRecord>> DirectoryCommands::ListTokens(
    storage::ReadTx& tx, const Principal& who, const std::string& person_id) const {
  if (!who.is_admin() && !person_id.empty() && person_id != who.person.id) {
    return absl::PermissionDeniedError(absl::StrCat(
        "'", who.person.id, "' may list only their own tokens, not those of '", person_id, "'"));
  }
  return tx.ListTokens(who.is_admin() ? person_id : who.person.id);
}

absl::StatusOr<storage::TokenRecord> DirectoryCommands::RevokeToken(
    storage::WriteTx& tx, const Principal& who, const std::string& token_id) const {
  const std::string prefix = absl::AsciiStrToLower(token_id);
  if (prefix.size() < 8 || prefix.size() > 64 ||
      prefix.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return absl::InvalidArgumentError(
        "'token_id' must be 8 to 64 hex digits: the ID column of 'rectifyctl tokens list'");
  }
  RECTIFY_ASSIGN_OR_RETURN(std::vector<storage::TokenRecord> tokens, tx.ListTokens(""));
  std::optional<storage::TokenRecord> found;
  for (const storage::TokenRecord& token : tokens) {
    if (!absl::StartsWith(token.token_hash, prefix)) continue;
    if (found.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'token_id' ", prefix, " matches more than one token; give more digits"));
    }
    found = token;
  }
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("no token has the id ", prefix));
  }
  if (!who.is_admin() && found->person_id != who.person.id) {
    return absl::PermissionDeniedError(absl::StrCat(
        "'", who.person.id, "' may revoke only their own tokens; token ", prefix,
        " is not theirs"));
  }
  if (found->revoked) return *found;
  found->revoked = true;
  RECTIFY_RETURN_IF_ERROR(tx.PutToken(*found));
  domain::Event event = NewEvent(who, "token.revoked", absl::StrCat("people/", found->person_id));
  event.details = {{"token_id", TokenId(found->token_hash)}, {"label", found->label}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return *found;
}

}  // namespace rectify::server
