#include "server/inspection_commands.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/phase.h"
#include "server/policy.h"

namespace rectify::server {
namespace {

using domain::InspectionKind;
using domain::Role;

absl::Status CheckMayRecord(const Principal& who, const domain::Community& community,
                            InspectionKind kind) {
  if (who.is_supervisor()) return absl::OkStatus();
  if (kind == InspectionKind::kSelfCheck && who.person.role == Role::kPropertyStaff &&
      community.property_company_id == who.organisation.id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "person '", who.person.id, "' (", domain::RoleName(who.person.role),
      ") may not record a ", domain::InspectionKindName(kind), " of community '", community.id,
      "'; self-checks are by the community's property company, weekly inspections and final "
      "evaluations by supervisors"));
}

// The community's organisation that tasks of `assignee` go to; its street
// office when it has none of that kind.
std::string AssigneeOrg(const domain::Community& c, domain::Assignee assignee) {
  switch (assignee) {
    case domain::Assignee::kPropertyCompany:
      if (!c.property_company_id.empty()) return c.property_company_id;
      break;
    case domain::Assignee::kOwnersCommittee:
      if (!c.owners_committee_id.empty()) return c.owners_committee_id;
      break;
    case domain::Assignee::kStreetOffice:
      break;
  }
  return c.street_office_id;
}

}  // namespace

absl::StatusOr<std::string> InspectionCommands::OpenTask(storage::WriteTx& tx,
                                                         const Principal& who,
                                                         const domain::Standard& standard,
                                                         const domain::Inspection& inspection,
                                                         const domain::Community& community,
                                                         size_t index) const {
  const domain::Deduction& d = inspection.deductions[index];
  const domain::Rule& rule = *standard.FindRule(d.rule_id);
  const domain::Item& item = standard.ItemOf(rule);
  const domain::Category& category = standard.CategoryOf(item);
  domain::Task draft;
  draft.campaign_id = inspection.campaign_id;
  draft.community_id = inspection.community_id;
  draft.category = category.service_level;
  draft.source = inspection.kind == InspectionKind::kSelfCheck ? domain::TaskSource::kSelfCheck
                                                               : domain::TaskSource::kInspection;
  draft.title = absl::StrCat(item.id, " ", rule.text, d.count > 1 ? absl::StrCat(" ×", d.count) : "",
                             d.note.empty() ? "" : absl::StrCat("：", d.note));
  if (draft.title.size() > 200) {
    // Cut to 200 bytes, then back to the start of the character that was cut.
    size_t end = 200;
    while (end > 0 && (static_cast<unsigned char>(draft.title[end]) & 0xC0) == 0x80) --end;
    draft.title.resize(end);
  }
  draft.description = item.text;
  draft.standard_item = item.id;
  draft.inspection_id = inspection.id;
  RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tasks_.Create(tx, who, std::move(draft)));
  const std::string org = AssigneeOrg(community, standard.AssigneeOf(item));
  absl::StatusOr<TaskChange> dispatched =
      tasks_.Dispatch(tx, who, TaskRef{task.id, ""}, org, "", std::nullopt,
                      absl::StrCat("检查扣分：", rule.text));
  // An inspector who may not dispatch (a company's self-check), or an
  // organisation without a head: the task waits, open, for the street office.
  if (!dispatched.ok() && !absl::IsPermissionDenied(dispatched.status()) &&
      !absl::IsInvalidArgument(dispatched.status())) {
    return dispatched.status();
  }
  return task.id;
}

absl::StatusOr<InspectionView> InspectionCommands::Record(storage::WriteTx& tx,
                                                          const Principal& who,
                                                          domain::Inspection draft) const {
  if (draft.campaign_id.empty()) return absl::InvalidArgumentError("'campaign_id' is required");
  if (draft.community_id.empty()) return absl::InvalidArgumentError("'community_id' is required");
  if (draft.note.size() > 2000) {
    return absl::InvalidArgumentError("'note' is longer than 2000 bytes");
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(draft.campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(draft.community_id));
  RECTIFY_RETURN_IF_ERROR(CheckMayRecord(who, community, draft.kind));
  RECTIFY_RETURN_IF_ERROR(domain::CheckInspectionAllowed(campaign, draft.kind));
  RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, CampaignTimeZone(campaign));
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  if (draft.date == absl::CivilDay()) draft.date = today;  // unset: today
  if (draft.date > today) {
    return absl::InvalidArgumentError(absl::StrCat("'date' ", absl::FormatCivilTime(draft.date),
                                                   " is in the future; today is ",
                                                   absl::FormatCivilTime(today)));
  }
  const domain::Standard* standard = rules_.standards.Latest(campaign.standard_id);
  if (standard == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "campaign '", campaign.id, "' has no scoring standard loaded ('", campaign.standard_id,
        "'); put its file in data/standards/ and restart"));
  }
  for (domain::Deduction& d : draft.deductions) d.task_id.clear();
  RECTIFY_RETURN_IF_ERROR(domain::Score(*standard, draft));
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("inspection"));
  draft.id = absl::StrCat("I-", n);
  draft.inspector_id = who.person.id;
  draft.create_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.CreateInspection(draft));

  bool opened = false;
  for (size_t i = 0; i < draft.deductions.size(); ++i) {
    if (!draft.deductions[i].open_task) continue;
    RECTIFY_ASSIGN_OR_RETURN(draft.deductions[i].task_id,
                             OpenTask(tx, who, *standard, draft, community, i));
    opened = true;
  }
  if (opened) RECTIFY_RETURN_IF_ERROR(tx.SaveInspection(draft));

  domain::Event event;
  event.type = "inspection.recorded";
  event.subject = absl::StrCat("inspections/", draft.id);
  event.campaign_id = draft.campaign_id;
  event.actor_person_id = who.person.id;
  event.actor_org_id = who.organisation.id;
  event.time = now;
  event.audience = {community.street_office_id};
  if (!community.property_company_id.empty()) {
    event.audience.push_back(community.property_company_id);
  }
  event.details = {{"community_id", draft.community_id},
                   {"kind", std::string(domain::InspectionKindName(draft.kind))},
                   {"date", absl::FormatCivilTime(draft.date)},
                   {"total", absl::StrCat(draft.total)},
                   {"max_score", absl::StrCat(draft.max_score)}};
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return WithPrevious(tx, std::move(draft));
}

absl::StatusOr<InspectionView> InspectionCommands::WithPrevious(
    storage::ReadTx& tx, domain::Inspection inspection) const {
  InspectionView view;
  storage::InspectionFilter filter;
  filter.campaign_id = inspection.campaign_id;
  filter.community_id = inspection.community_id;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Inspection> all, tx.ListInspections(filter, 1000));
  // Newest first: the one after `inspection` in this order came before it.
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    if (all[i].id == inspection.id) {
      view.previous = all[i + 1];
      view.diff = domain::CompareDeductions(*view.previous, inspection);
      break;
    }
  }
  view.inspection = std::move(inspection);
  return view;
}

absl::StatusOr<InspectionView> InspectionCommands::Get(storage::ReadTx& tx, const Principal& who,
                                                       absl::string_view id) const {
  RECTIFY_ASSIGN_OR_RETURN(domain::Inspection inspection, tx.GetInspection(id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(inspection.community_id));
  RECTIFY_RETURN_IF_ERROR(CheckCanSeeCommunity(who, community));
  return WithPrevious(tx, std::move(inspection));
}

absl::StatusOr<std::vector<domain::Inspection>> InspectionCommands::List(
    storage::ReadTx& tx, const Principal& who, const storage::InspectionFilter& filter,
    int limit) const {
  if (!who.is_supervisor() && who.person.role != Role::kCentreStaff) {
    if (filter.community_id.empty()) {
      return absl::PermissionDeniedError(
          "only supervisors list inspections across communities; give 'community_id'");
    }
    RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(filter.community_id));
    RECTIFY_RETURN_IF_ERROR(CheckCanSeeCommunity(who, community));
  }
  return tx.ListInspections(filter, limit);
}

}  // namespace rectify::server
