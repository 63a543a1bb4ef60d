#include "server/plan_commands.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/event.h"

namespace rectify::server {
namespace {

using domain::PlanAction;
using domain::PlanState;
using domain::Role;
using domain::WorkPlan;

std::string RoleOf(const Principal& who) {
  return absl::StrCat("person '", who.person.id, "' (", domain::RoleName(who.person.role), " of '",
                      who.organisation.id, "')");
}

bool IsOfficer(const Principal& who, const std::string& office_id) {
  return who.person.role == Role::kStreetOfficer && who.organisation.id == office_id;
}

bool MaySee(const Principal& who, const std::string& office_id) {
  return who.is_supervisor() || who.person.role == Role::kCentreStaff ||
         (!office_id.empty() && who.organisation.id == office_id);
}

absl::Status CheckOfficer(const Principal& who, const std::string& office_id,
                          absl::string_view what) {
  if (IsOfficer(who, office_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(RoleOf(who), " may not ", what,
                                                  " the work plan of street office '", office_id,
                                                  "'; its street officers may"));
}

absl::Status CheckEtag(const WorkPlan& p, const std::string& etag) {
  if (etag.empty() || etag == absl::StrCat(p.version)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("work plan '", p.id, "' has changed: its etag is now '",
                                         p.version, "', you sent '", etag,
                                         "'; read it again and retry"));
}

absl::StatusOr<WorkPlan> Load(storage::ReadTx& tx, const PlanRef& ref) {
  if (ref.id.empty()) return absl::InvalidArgumentError("'plan_id' is empty; name the plan");
  RECTIFY_ASSIGN_OR_RETURN(WorkPlan p, tx.GetPlan(ref.id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag(p, ref.etag));
  return p;
}

// The event of a plan's change, heard by its street office and the
// property-management centre(s).
absl::StatusOr<domain::Event> PlanEvent(storage::ReadTx& tx, const WorkPlan& p,
                                        absl::string_view type, const Principal& who,
                                        PlanState from, absl::Time now) {
  domain::Event e;
  e.type = std::string(type);
  e.subject = absl::StrCat("plans/", p.id);
  e.campaign_id = p.campaign_id;
  e.actor_person_id = who.person.id;
  e.actor_org_id = who.organisation.id;
  e.time = now;
  e.from_state = std::string(domain::PlanStateName(from));
  e.to_state = std::string(domain::PlanStateName(p.state));
  if (!p.revisions.empty()) {
    e.details.emplace_back("revision", absl::StrCat(p.revisions.back().number));
    e.reason = p.revisions.back().comments;
  }
  e.details.emplace_back("street_office_id", p.street_office_id);
  e.audience.push_back(p.street_office_id);
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Organisation> centres,
                           tx.ListOrganisations(domain::OrgKind::kPropertyCentre));
  for (const domain::Organisation& c : centres) e.audience.push_back(c.id);
  return e;
}

absl::Status SaveWithEvent(storage::WriteTx& tx, WorkPlan& p, absl::string_view type,
                           const Principal& who, PlanState from, absl::Time now, bool create) {
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event, PlanEvent(tx, p, type, who, from, now));
  RECTIFY_RETURN_IF_ERROR(create ? tx.CreatePlan(p) : tx.SavePlan(p));
  return tx.AppendEvent(event);
}

}  // namespace

absl::StatusOr<WorkPlan> PlanCommands::SaveDraft(storage::WriteTx& tx, const Principal& who,
                                                 const SavePlanArgs& args) const {
  const absl::Time now = clock_.Now();
  if (!args.ref.id.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(WorkPlan p, tx.GetPlan(args.ref.id));
    RECTIFY_RETURN_IF_ERROR(CheckOfficer(who, p.street_office_id, "edit"));
    RECTIFY_RETURN_IF_ERROR(CheckEtag(p, args.ref.etag));
    const PlanState from = p.state;
    RECTIFY_RETURN_IF_ERROR(domain::EditPlan(p, args.items, now));
    RECTIFY_RETURN_IF_ERROR(SaveWithEvent(tx, p, "plan.edited", who, from, now, false));
    return p;
  }
  if (args.campaign_id.empty()) {
    return absl::InvalidArgumentError("'campaign_id' is empty; name the campaign");
  }
  const std::string office =
      args.street_office_id.empty() ? who.organisation.id : args.street_office_id;
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(args.campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(domain::Organisation org, tx.GetOrganisation(office));
  if (org.kind != domain::OrgKind::kStreetOffice) {
    return absl::InvalidArgumentError(absl::StrCat("'street_office_id' is '", office,
                                                   "', which is not a street office"));
  }
  RECTIFY_RETURN_IF_ERROR(CheckOfficer(who, office, "draft"));
  if (campaign.phase == domain::Phase::kClosed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "campaign '", campaign.id, "' is closed; no work plan can be drafted in it"));
  }
  storage::PlanFilter filter;
  filter.campaign_id = campaign.id;
  filter.street_office_id = office;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<WorkPlan> existing, tx.ListPlans(filter, 1));
  if (!existing.empty()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "street office '", office, "' already has work plan '", existing.front().id,
        "' for campaign '", campaign.id, "'; save into it with plan_id '", existing.front().id,
        "'"));
  }
  WorkPlan p;
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("plan"));
  p.id = absl::StrCat("WP-", n);
  p.campaign_id = campaign.id;
  p.street_office_id = office;
  RECTIFY_RETURN_IF_ERROR(domain::EditPlan(p, args.items, now));
  RECTIFY_RETURN_IF_ERROR(SaveWithEvent(tx, p, "plan.drafted", who, PlanState::kDraft, now, true));
  return p;
}

absl::StatusOr<WorkPlan> PlanCommands::Submit(storage::WriteTx& tx, const Principal& who,
                                              const PlanRef& ref) const {
  RECTIFY_ASSIGN_OR_RETURN(WorkPlan p, Load(tx, ref));
  RECTIFY_RETURN_IF_ERROR(CheckOfficer(who, p.street_office_id, "submit"));
  const PlanState from = p.state;
  const PlanAction action = from == PlanState::kReturned ? PlanAction::kResubmit : PlanAction::kSubmit;
  const absl::Time now = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(domain::ApplyPlanAction(p, action, domain::PlanParty::kStreetOffice,
                                                  who.person.id, "", now));
  RECTIFY_RETURN_IF_ERROR(SaveWithEvent(
      tx, p, action == PlanAction::kResubmit ? "plan.resubmitted" : "plan.submitted", who, from,
      now, false));
  return p;
}

absl::StatusOr<WorkPlan> PlanCommands::Decide(storage::WriteTx& tx, const Principal& who,
                                              const PlanRef& ref, PlanAction action,
                                              const std::string& comments) const {
  RECTIFY_ASSIGN_OR_RETURN(WorkPlan p, Load(tx, ref));
  if (who.person.role != Role::kCentreStaff) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not ", domain::PlanActionName(action), " work plan '",
                     p.id, "'; the property-management centre's staff (CENTRE_STAFF) may"));
  }
  const PlanState from = p.state;
  const absl::Time now = clock_.Now();
  RECTIFY_RETURN_IF_ERROR(
      domain::ApplyPlanAction(p, action, domain::PlanParty::kCentre, who.person.id, comments, now));
  RECTIFY_RETURN_IF_ERROR(SaveWithEvent(
      tx, p, action == PlanAction::kApprove ? "plan.approved" : "plan.returned", who, from, now,
      false));
  return p;
}

absl::StatusOr<WorkPlan> PlanCommands::Get(storage::ReadTx& tx, const Principal& who,
                                           const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError("'plan_id' is empty; name the plan");
  RECTIFY_ASSIGN_OR_RETURN(WorkPlan p, tx.GetPlan(id));
  if (!MaySee(who, p.street_office_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not see work plan '", p.id,
                     "'; its street office, centre staff and supervisors may"));
  }
  return p;
}

absl::StatusOr<std::vector<WorkPlan>> PlanCommands::List(storage::ReadTx& tx,
                                                         const Principal& who,
                                                         const storage::PlanFilter& filter,
                                                         int limit) const {
  RECTIFY_ASSIGN_OR_RETURN(std::vector<WorkPlan> all, tx.ListPlans(filter, limit));
  std::vector<WorkPlan> out;
  for (WorkPlan& p : all) {
    if (MaySee(who, p.street_office_id)) out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<BudgetView> PlanCommands::Budget(storage::ReadTx& tx, const Principal& who,
                                                const std::string& campaign_id,
                                                const std::string& street_office_id) const {
  if (campaign_id.empty()) {
    return absl::InvalidArgumentError("'campaign_id' is empty; name the campaign");
  }
  if (street_office_id.empty()) {
    return absl::InvalidArgumentError("'street_office_id' is empty; name the street office");
  }
  RECTIFY_RETURN_IF_ERROR(tx.GetCampaign(campaign_id).status());
  RECTIFY_RETURN_IF_ERROR(tx.GetOrganisation(street_office_id).status());
  if (!MaySee(who, street_office_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not see the budget of street office '", street_office_id,
                     "'; the office, centre staff and supervisors may"));
  }
  BudgetView view;
  view.campaign_id = campaign_id;
  view.street_office_id = street_office_id;
  storage::PlanFilter filter;
  filter.campaign_id = campaign_id;
  filter.street_office_id = street_office_id;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<WorkPlan> plans, tx.ListPlans(filter, 1));
  if (!plans.empty()) {
    const WorkPlan& p = plans.front();
    view.plan_id = p.id;
    view.plan_state = p.state;
    if (!p.revisions.empty()) {
      for (const auto& [payer, fen] : domain::CostByPayer(p.revisions.back().items)) {
        view.payers[payer].planned_fen = fen;
      }
    }
    for (const domain::PlanRevision& r : p.revisions) {
      if (r.decision != PlanState::kApproved) continue;
      for (const auto& [payer, fen] : domain::CostByPayer(r.items)) {
        view.payers[payer].approved_fen = fen;
      }
    }
  }
  RECTIFY_ASSIGN_OR_RETURN(auto actual, tx.SumActualCostByPayer(campaign_id, street_office_id));
  for (const auto& [payer, fen] : actual) view.payers[payer].actual_fen = fen;
  return view;
}

}  // namespace rectify::server
