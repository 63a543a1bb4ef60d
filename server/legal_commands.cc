#include "server/legal_commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "domain/deadline.h"

namespace rectify::server {
namespace {

using domain::HardProblem;
using domain::LegalAction;
using domain::LegalCase;
using domain::LegalParty;
using domain::Role;

std::string RoleOf(const Principal& who) {
  return absl::StrCat("person '", who.person.id, "' (", domain::RoleName(who.person.role), " of '",
                      who.organisation.id, "')");
}

template <typename T>
absl::Status CheckEtag(absl::string_view noun, const T& item, absl::string_view etag) {
  if (etag.empty() || etag == absl::StrCat(item.version)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(noun, " '", item.id, "' has changed: its etag is now '",
                                         item.version, "', you sent '", etag,
                                         "'; read it again and retry"));
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool IsBureauOfficer(const Principal& who) {
  return who.person.role == Role::kEnforcementOfficer &&
         who.organisation.kind == domain::OrgKind::kEnforcementBureau;
}

// Which party the caller is on this case; kPermissionDenied if none.
absl::StatusOr<LegalParty> PartyOf(const Principal& who, const LegalCase& c) {
  if (who.is_supervisor()) return LegalParty::kStreetOffice;
  const std::string& org = who.organisation.id;
  if (who.person.role == Role::kStreetOfficer && org == c.street_office_id) {
    return LegalParty::kStreetOffice;
  }
  if (who.person.role == Role::kPropertyStaff && !org.empty() && org == c.property_company_id) {
    return LegalParty::kPropertyCompany;
  }
  if (IsBureauOfficer(who) && (c.bureau_org_ids.empty() || Contains(c.bureau_org_ids, org))) {
    return LegalParty::kEnforcementBureau;
  }
  return absl::PermissionDeniedError(absl::StrCat(
      RoleOf(who), " may not act on legal case '", c.id, "' of community '", c.community_id,
      "'; its property company, its street office, supervisors and, once escalated, the "
      "enforcement bureau may"));
}

bool MaySee(const Principal& who, const LegalCase& c) {
  if (who.is_supervisor() || who.person.role == Role::kCentreStaff) return true;
  const std::string& org = who.organisation.id;
  if (org.empty()) return false;
  if (IsBureauOfficer(who)) return Contains(c.bureau_org_ids, org);
  return org == c.street_office_id || org == c.property_company_id;
}

bool MaySee(const Principal& who, const HardProblem& p) {
  if (who.is_supervisor()) return true;
  return !who.organisation.id.empty() && who.organisation.id == p.reporter_org_id;
}

// The organisations of one kind, by id.
absl::StatusOr<std::vector<std::string>> OrgIdsOfKind(storage::ReadTx& tx, domain::OrgKind kind) {
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Organisation> orgs, tx.ListOrganisations(kind));
  std::vector<std::string> ids;
  for (const domain::Organisation& o : orgs) ids.push_back(o.id);
  return ids;
}

// A hard problem's audience: the reporter's organisation and the city offices.
absl::StatusOr<std::vector<std::string>> ProblemAudience(storage::ReadTx& tx,
                                                         const HardProblem& p) {
  RECTIFY_ASSIGN_OR_RETURN(std::vector<std::string> audience,
                           OrgIdsOfKind(tx, domain::OrgKind::kCityOffice));
  if (!p.reporter_org_id.empty() && !Contains(audience, p.reporter_org_id)) {
    audience.insert(audience.begin(), p.reporter_org_id);
  }
  return audience;
}

}  // namespace

absl::StatusOr<LegalCase> LegalCommands::Open(storage::WriteTx& tx, const Principal& who,
                                              LegalCase draft, domain::LegalStepArgs step) const {
  if (IsBureauOfficer(who)) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who),
                     " may not open a legal case: 'notify' is for the property company or the "
                     "street office; the enforcement bureau may not"));
  }
  if (draft.community_id.empty()) {
    return absl::InvalidArgumentError("'community_id' is empty; name the community");
  }
  if (draft.campaign_id.empty()) {
    return absl::InvalidArgumentError("'campaign_id' is empty; name the campaign");
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(draft.campaign_id));
  if (campaign.phase == domain::Phase::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("campaign '", campaign.id, "' is closed; no legal case can be opened in it"));
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(draft.community_id));
  const std::string& org = who.organisation.id;
  const bool allowed =
      who.is_supervisor() ||
      (who.person.role == Role::kStreetOfficer && org == community.street_office_id) ||
      (who.person.role == Role::kPropertyStaff && !org.empty() &&
       org == community.property_company_id);
  if (!allowed) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not open a legal case in community '", community.id,
                     "'; its property company, its street office and supervisors may"));
  }
  if (!draft.task_id.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tx.GetTask(draft.task_id));
    if (task.campaign_id != draft.campaign_id || task.community_id != draft.community_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("'task_id' task '", task.id, "' is in community '", task.community_id,
                       "' of campaign '", task.campaign_id, "', not in community '",
                       draft.community_id, "' of campaign '", draft.campaign_id, "'"));
    }
  }
  draft.street_office_id = community.street_office_id;
  draft.property_company_id = community.property_company_id;
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("legal_case"));
  draft.id = absl::StrCat("LC-", n);
  step.actor_person_id = who.person.id;
  step.actor_org_id = org;
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event, domain::OpenLegalCase(draft, step, clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.CreateLegalCase(draft));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return draft;
}

absl::StatusOr<LegalCase> LegalCommands::Step(storage::WriteTx& tx, const Principal& who,
                                              const LegalRef& ref, LegalAction action,
                                              domain::LegalStepArgs step) const {
  if (ref.id.empty()) return absl::InvalidArgumentError("'case_id' is empty; name the case");
  RECTIFY_ASSIGN_OR_RETURN(LegalCase c, tx.GetLegalCase(ref.id));
  RECTIFY_ASSIGN_OR_RETURN(LegalParty party, PartyOf(who, c));
  RECTIFY_RETURN_IF_ERROR(CheckEtag("legal case", c, ref.etag));
  const absl::Time now = clock_.Now();
  step.actor_person_id = who.person.id;
  step.actor_org_id = who.organisation.id;
  // Escalation needs the bureaus and their deadline; look them up only when
  // the move itself is allowed, so that a wrong move is reported as such.
  if (action == LegalAction::kEscalate && domain::PartyMay(party, action) &&
      domain::FindLegalTransition(c.state, action) != nullptr) {
    RECTIFY_ASSIGN_OR_RETURN(step.bureau_org_ids,
                             OrgIdsOfKind(tx, domain::OrgKind::kEnforcementBureau));
    absl::StatusOr<domain::ServiceLevel> level =
        rules_.service_levels.Find(kEnforcementServiceLevel);
    if (!level.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the service-level table has no '", kEnforcementServiceLevel,
                       "' line, so the enforcement bureau's deadline is unknown; add one to "
                       "data/service_levels.txt (e.g. 'enforcement 5 working_days')"));
    }
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(c.campaign_id));
    RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, CampaignTimeZone(campaign));
    step.deadline = domain::DeadlineCalculator(rules_.calendar, tz).Deadline(now, *level);
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event,
                           domain::ApplyLegalAction(c, action, party, step, now));
  RECTIFY_RETURN_IF_ERROR(tx.SaveLegalCase(c));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return c;
}

absl::StatusOr<LegalCase> LegalCommands::Get(storage::ReadTx& tx, const Principal& who,
                                             const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError("'case_id' is empty; name the case");
  RECTIFY_ASSIGN_OR_RETURN(LegalCase c, tx.GetLegalCase(id));
  if (!MaySee(who, c)) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not see legal case '", c.id, "'"));
  }
  return c;
}

absl::StatusOr<std::vector<LegalCase>> LegalCommands::List(storage::ReadTx& tx,
                                                           const Principal& who,
                                                           storage::LegalCaseFilter filter,
                                                           int limit) const {
  if (IsBureauOfficer(who)) filter.escalated_only = true;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<LegalCase> all, tx.ListLegalCases(filter, limit));
  std::vector<LegalCase> out;
  for (LegalCase& c : all) {
    if (MaySee(who, c)) out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<int> LegalCommands::MarkOverdue(storage::Store& store,
                                               const std::string& campaign_id) const {
  const absl::Time now = clock_.Now();
  std::vector<LegalCase> at_bureau;
  RECTIFY_RETURN_IF_ERROR(store.Read([&](storage::ReadTx& tx) -> absl::Status {
    storage::LegalCaseFilter filter;
    filter.campaign_id = campaign_id;
    filter.states = {domain::LegalCaseState::kEscalated, domain::LegalCaseState::kAcknowledged};
    RECTIFY_ASSIGN_OR_RETURN(at_bureau, tx.ListLegalCases(filter, 1000));
    return absl::OkStatus();
  }));
  int marked = 0;
  for (const LegalCase& c : at_bureau) {
    if (!domain::LegalCaseOverdue(c, now)) continue;
    RECTIFY_RETURN_IF_ERROR(store.Write([&](storage::WriteTx& tx) -> absl::Status {
      RECTIFY_ASSIGN_OR_RETURN(bool fresh,
                               tx.MarkEscalationApplied(campaign_id, kLegalOverdueStep,
                                                        absl::StrCat("legal_cases/", c.id), now));
      if (!fresh) return absl::OkStatus();
      domain::Event event = domain::LegalCaseOverdueEvent(c, now);
      RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
      ++marked;
      return absl::OkStatus();
    }));
  }
  return marked;
}

absl::StatusOr<HardProblem> LegalCommands::Report(storage::WriteTx& tx, const Principal& who,
                                                  HardProblem draft) const {
  if (!who.is_supervisor() && who.person.role != Role::kStreetOfficer) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who),
                     " may not report a hard or hot problem to the city office; "
                     "street officers and supervisors may"));
  }
  draft.reported_by = who.person.id;
  draft.reporter_org_id = who.organisation.id;
  if (draft.campaign_id.empty()) {
    return absl::InvalidArgumentError("'campaign_id' is empty; name the campaign");
  }
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(draft.campaign_id));
  (void)campaign;
  RECTIFY_ASSIGN_OR_RETURN(int64_t n, tx.NextSequence("hard_problem"));
  draft.id = absl::StrCat("HP-", n);
  RECTIFY_ASSIGN_OR_RETURN(std::vector<std::string> audience, ProblemAudience(tx, draft));
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event,
                           domain::ReportHardProblem(draft, std::move(audience), clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.CreateHardProblem(draft));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return draft;
}

absl::StatusOr<HardProblem> LegalCommands::Answer(storage::WriteTx& tx, const Principal& who,
                                                  const LegalRef& ref,
                                                  const std::string& answer) const {
  const bool city_office =
      who.person.role == Role::kSupervisor && who.organisation.kind == domain::OrgKind::kCityOffice;
  if (!city_office && !who.is_admin()) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who),
                     " may not answer a hard or hot problem; supervisors of the "
                     "city office (创城办) and admins may"));
  }
  if (ref.id.empty()) return absl::InvalidArgumentError("'problem_id' is empty; name the problem");
  RECTIFY_ASSIGN_OR_RETURN(HardProblem p, tx.GetHardProblem(ref.id));
  RECTIFY_RETURN_IF_ERROR(CheckEtag("hard problem", p, ref.etag));
  RECTIFY_ASSIGN_OR_RETURN(std::vector<std::string> audience, ProblemAudience(tx, p));
  RECTIFY_ASSIGN_OR_RETURN(domain::Event event,
                           domain::AnswerHardProblem(p, who.person.id, who.organisation.id, answer,
                                                     std::move(audience), clock_.Now()));
  RECTIFY_RETURN_IF_ERROR(tx.SaveHardProblem(p));
  RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(event));
  return p;
}

absl::StatusOr<HardProblem> LegalCommands::GetProblem(storage::ReadTx& tx, const Principal& who,
                                                      const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError("'problem_id' is empty; name the problem");
  RECTIFY_ASSIGN_OR_RETURN(HardProblem p, tx.GetHardProblem(id));
  if (!MaySee(who, p)) {
    return absl::PermissionDeniedError(
        absl::StrCat(RoleOf(who), " may not see hard problem '", p.id, "'"));
  }
  return p;
}

absl::StatusOr<std::vector<HardProblem>> LegalCommands::ListProblems(
    storage::ReadTx& tx, const Principal& who, const storage::HardProblemFilter& filter,
    int limit) const {
  RECTIFY_ASSIGN_OR_RETURN(std::vector<HardProblem> all, tx.ListHardProblems(filter, limit));
  std::vector<HardProblem> out;
  for (HardProblem& p : all) {
    if (MaySee(who, p)) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace rectify::server
