#include "domain/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

absl::Status Name(absl::string_view field, absl::string_view value) {
  RECTIFY_RETURN_IF_ERROR(Required(field, value));
  return MaxLength(field, value, 200);
}

}  // namespace

absl::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPlanning: return "planning";
    case Phase::kSelfCheck: return "self_check";
    case Phase::kRectification: return "rectification";
    case Phase::kFinalAssault: return "final_assault";
    case Phase::kClosed: return "closed";
  }
  return "unknown";
}

absl::string_view OrgKindName(OrgKind kind) {
  switch (kind) {
    case OrgKind::kCityOffice: return "city_office";
    case OrgKind::kSupervisionOffice: return "supervision_office";
    case OrgKind::kPropertyCentre: return "property_centre";
    case OrgKind::kStreetOffice: return "street_office";
    case OrgKind::kCommittee: return "committee";
    case OrgKind::kPropertyCompany: return "property_company";
    case OrgKind::kEnforcementBureau: return "enforcement_bureau";
    case OrgKind::kSanitationDepartment: return "sanitation_department";
    case OrgKind::kVolunteerTeam: return "volunteer_team";
  }
  return "unknown";
}

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kSupervisor: return "supervisor";
    case Role::kStreetOfficer: return "street_officer";
    case Role::kCentreStaff: return "centre_staff";
    case Role::kPropertyStaff: return "property_staff";
    case Role::kCommitteeMember: return "committee_member";
    case Role::kVolunteer: return "volunteer";
    case Role::kEnforcementOfficer: return "enforcement_officer";
  }
  return "unknown";
}

absl::Status ValidateCampaign(const Campaign& c) {
  RECTIFY_RETURN_IF_ERROR(Name("name", c.name));
  RECTIFY_RETURN_IF_ERROR(MaxLength("city", c.city, 200));
  RECTIFY_RETURN_IF_ERROR(Required("time_zone", c.time_zone));
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(c.time_zone, &tz)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'time_zone' \"", c.time_zone, "\" is not a known IANA time zone (e.g. Asia/Shanghai)"));
  }
  if (!(c.self_check_start < c.rectification_start &&
        c.rectification_start < c.final_assault_start && c.final_assault_start < c.close_date)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "phase dates must be in order self_check_start < rectification_start < "
        "final_assault_start < close_date; got ",
        absl::FormatCivilTime(c.self_check_start), ", ",
        absl::FormatCivilTime(c.rectification_start), ", ",
        absl::FormatCivilTime(c.final_assault_start), ", ", absl::FormatCivilTime(c.close_date)));
  }
  if (c.target_percent < 1 || c.target_percent > 100) {
    return absl::InvalidArgumentError(absl::StrCat("'target_percent' is ", c.target_percent,
                                                   "; it must be between 1 and 100"));
  }
  if (c.final_assault_percent < 1 || c.final_assault_percent > 100) {
    return absl::InvalidArgumentError(absl::StrCat("'final_assault_percent' is ",
                                                   c.final_assault_percent,
                                                   "; it must be between 1 and 100"));
  }
  if (c.max_extensions < 0 || c.max_extensions > 10) {
    return absl::InvalidArgumentError(absl::StrCat("'max_extensions' is ", c.max_extensions,
                                                   "; it must be between 0 and 10"));
  }
  return absl::OkStatus();
}

absl::Status ValidateOrganisation(const Organisation& org) {
  return Name("name", org.name);
}

absl::Status ValidatePerson(const Person& person) {
  RECTIFY_RETURN_IF_ERROR(Name("name", person.name));
  RECTIFY_RETURN_IF_ERROR(Required("organisation_id", person.organisation_id));
  return MaxLength("phone", person.phone, 40);
}

absl::Status ValidateCommunity(const Community& community) {
  RECTIFY_RETURN_IF_ERROR(Name("name", community.name));
  RECTIFY_RETURN_IF_ERROR(MaxLength("address", community.address, 500));
  return Required("street_office_id", community.street_office_id);
}

}  // namespace rectify::domain
