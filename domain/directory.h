// The people and places a campaign works with: campaigns, organisations (each
// with one accountable head, 一把手负责制), people with their roles, communities.
#ifndef RECTIFY_DOMAIN_DIRECTORY_H_
#define RECTIFY_DOMAIN_DIRECTORY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rectify::domain {

// The campaign's phases, in order (自查 → 整改 → 攻坚决胜 → 结束).
enum class Phase { kPlanning = 1, kSelfCheck, kRectification, kFinalAssault, kClosed };
absl::string_view PhaseName(Phase phase);

struct Campaign {
  std::string id;
  std::string name;            // e.g. "2024年度老旧小区环境整治"
  std::string city;
  std::string time_zone;       // IANA name, e.g. "Asia/Shanghai"; days are counted here
  // First day of each phase; the final assault ends the day before `close_date`.
  absl::CivilDay self_check_start;
  absl::CivilDay rectification_start;
  absl::CivilDay final_assault_start;
  absl::CivilDay close_date;
  Phase phase = Phase::kPlanning;
  int max_extensions = 2;      // extension requests a task may have granted
  std::string standard_id;     // the scoring standard its inspections use
  int target_percent = 90;     // ready for the final evaluation at this share of full marks
  // In the final assault, service levels shrink to this share of their time
  // (rounded up, at least one unit): 100 keeps them as they are.
  int final_assault_percent = 50;
  // Dispatching a community's tasks needs its signed responsibility letter.
  bool require_letter = false;
  int64_t version = 1;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
};

// Checks names, a loadable time zone and ordered phase dates.
// Returns kInvalidArgument naming the field.
absl::Status ValidateCampaign(const Campaign& campaign);

// The kinds of organisation in DOMAIN.md.
enum class OrgKind {
  kCityOffice = 1,           // 创城办
  kSupervisionOffice,        // 城市管理局创建工作领导小组办公室
  kPropertyCentre,           // 物管中心
  kStreetOffice,             // 街道办事处
  kCommittee,                // 社区居委会 / 业主委员会
  kPropertyCompany,          // 物业服务企业
  kEnforcementBureau,        // 执法局
  kSanitationDepartment,     // 环卫处
  kVolunteerTeam,            // 志愿者队伍
};
absl::string_view OrgKindName(OrgKind kind);

struct Organisation {
  std::string id;
  OrgKind kind = OrgKind::kStreetOffice;
  std::string name;
  std::string head_person_id;  // the accountable head; may be empty until named
  std::string street_office_id;  // for volunteer teams and committees: their street office
  int64_t version = 1;
  absl::Time create_time = absl::InfinitePast();
};
absl::Status ValidateOrganisation(const Organisation& org);

// What a person may do is their role, scoped by their organisation.
enum class Role {
  kAdmin = 1,        // runs the installation: directory, tokens
  kSupervisor,       // city office / supervision office staff: sees and acts everywhere
  kStreetOfficer,    // street office staff: dispatches and verifies in its communities
  kCentreStaff,      // property-management centre
  kPropertyStaff,    // property-service company staff: does the work
  kCommitteeMember,  // owners' committee / community
  kVolunteer,        // watches and reports, never dispatches
  kEnforcementOfficer,
};
absl::string_view RoleName(Role role);

struct Person {
  std::string id;
  std::string name;
  std::string organisation_id;
  Role role = Role::kPropertyStaff;
  std::string phone;
  int64_t version = 1;
  absl::Time create_time = absl::InfinitePast();
};
absl::Status ValidatePerson(const Person& person);

struct Community {
  std::string id;
  std::string name;
  std::string address;
  std::string street_office_id;
  std::string property_company_id;   // may be empty: no company, or contract terminated
  std::string owners_committee_id;   // may be empty
  int64_t version = 1;
  absl::Time create_time = absl::InfinitePast();
};
absl::Status ValidateCommunity(const Community& community);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_DIRECTORY_H_
