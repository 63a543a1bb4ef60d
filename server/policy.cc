#include "server/policy.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace rectify::server {
namespace {

using domain::Role;

bool SeesEverything(const Principal& who) {
  return who.is_supervisor() || who.person.role == Role::kCentreStaff;
}

// The street office whose tasks a street officer or volunteer sees.
std::string ScopeStreetOffice(const Principal& who) {
  if (who.person.role == Role::kStreetOfficer) return who.organisation.id;
  if (who.person.role == Role::kVolunteer) return who.organisation.street_office_id;
  return "";
}

absl::Status Denied(const Principal& who, absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat("person '", who.person.id, "' (",
                                                  domain::RoleName(who.person.role), " of '",
                                                  who.organisation.id, "') may not ", what));
}

}  // namespace

absl::Status CheckCanSee(const Principal& who, const domain::Task& task) {
  if (SeesEverything(who)) return absl::OkStatus();
  const std::string office = ScopeStreetOffice(who);
  if (!office.empty()) {
    if (task.street_office_id == office) return absl::OkStatus();
    return Denied(who, absl::StrCat("see task '", task.id, "' of street office '",
                                    task.street_office_id, "'; only tasks of '", office, "'"));
  }
  if (!task.responsible_org_id.empty() && task.responsible_org_id == who.organisation.id) {
    return absl::OkStatus();
  }
  return Denied(who, absl::StrCat("see task '", task.id,
                                  "'; only tasks their organisation is responsible for"));
}

absl::Status ScopeTaskFilter(const Principal& who, storage::TaskFilter& filter) {
  if (SeesEverything(who)) return absl::OkStatus();
  const std::string office = ScopeStreetOffice(who);
  if (!office.empty()) {
    if (!filter.street_office_id.empty() && filter.street_office_id != office) {
      return Denied(who, absl::StrCat("list tasks of street office '", filter.street_office_id,
                                      "'; only of '", office, "'"));
    }
    filter.street_office_id = office;
    return absl::OkStatus();
  }
  if (!filter.responsible_org_id.empty() && filter.responsible_org_id != who.organisation.id) {
    return Denied(who, absl::StrCat("list tasks of organisation '", filter.responsible_org_id,
                                    "'; only of '", who.organisation.id, "'"));
  }
  filter.responsible_org_id = who.organisation.id;
  return absl::OkStatus();
}

absl::Status CheckVolunteerAssigned(storage::ReadTx& tx, const Principal& who,
                                    absl::string_view campaign_id,
                                    const domain::Community& community) {
  const std::string who_assigns =
      absl::StrCat("volunteers are assigned to a community by its street office ('",
                   community.street_office_id, "') or a supervisor");
  if (who.person.role != Role::kVolunteer) {
    return Denied(who, absl::StrCat("file a supervision report in community '", community.id,
                                    "'; only a volunteer assigned to it may (", who_assigns,
                                    ")"));
  }
  RECTIFY_ASSIGN_OR_RETURN(
      std::optional<domain::VolunteerAssignment> assignment,
      tx.ActiveAssignment(campaign_id, who.person.id, community.id));
  if (assignment.has_value()) return absl::OkStatus();
  return Denied(who, absl::StrCat("report in community '", community.id, "': they are not "
                                  "assigned to it in campaign '", campaign_id, "'; ",
                                  who_assigns));
}

absl::Status CheckCanCreateTask(storage::ReadTx& tx, const Principal& who,
                                absl::string_view campaign_id,
                                const domain::Community& community) {
  if (who.is_supervisor()) return absl::OkStatus();
  const std::string& org = who.organisation.id;
  switch (who.person.role) {
    case Role::kVolunteer:
      return CheckVolunteerAssigned(tx, who, campaign_id, community);
    case Role::kStreetOfficer:
      if (community.street_office_id == ScopeStreetOffice(who)) return absl::OkStatus();
      break;
    case Role::kPropertyStaff:
      if (community.property_company_id == org) return absl::OkStatus();
      break;
    case Role::kCommitteeMember:
      if (community.owners_committee_id == org) return absl::OkStatus();
      break;
    default:
      break;
  }
  return Denied(who, absl::StrCat("open tasks in community '", community.id, "'"));
}

absl::Status CheckCanSeeCommunity(const Principal& who, const domain::Community& community) {
  if (SeesEverything(who)) return absl::OkStatus();
  const std::string& org = who.organisation.id;
  if (org == community.street_office_id || org == community.property_company_id ||
      org == community.owners_committee_id) {
    return absl::OkStatus();
  }
  return Denied(who, absl::StrCat("see the inspections and self-check list of community '",
                                  community.id, "'"));
}

absl::Status CheckAdmin(const Principal& who, absl::string_view what) {
  if (who.is_admin()) return absl::OkStatus();
  return Denied(who, absl::StrCat(what, "; only an admin may"));
}

absl::Status ScopeReport(const Principal& who, std::string* street_office_id, bool city_wide) {
  if (SeesEverything(who)) return absl::OkStatus();
  if (who.person.role != Role::kStreetOfficer) {
    return Denied(who, "read reports; supervisors, centre staff and street officers (their own "
                       "street office) may");
  }
  if (city_wide) {
    return Denied(who, "read the city-wide bulletin; supervisors and centre staff may");
  }
  const std::string& office = who.organisation.id;
  if (!street_office_id->empty() && *street_office_id != office) {
    return Denied(who, absl::StrCat("read reports of street office '", *street_office_id,
                                    "'; only of '", office, "'"));
  }
  *street_office_id = office;
  return absl::OkStatus();
}

absl::Status CheckSupervisor(const Principal& who, absl::string_view what) {
  if (who.is_supervisor()) return absl::OkStatus();
  return Denied(who, absl::StrCat(what, "; only a supervisor or admin may"));
}

}  // namespace rectify::server
