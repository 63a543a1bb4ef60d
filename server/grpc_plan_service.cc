#include "server/grpc_plan_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

template <typename Mutable>
void MaybeSetTime(absl::Time t, Mutable mutable_field) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  ::rectify::server::ToProto(t, mutable_field());
}

v1::ResponsibilityLetter ToProto(const domain::ResponsibilityLetter& l) {
  v1::ResponsibilityLetter out;
  out.set_id(l.id);
  out.set_campaign_id(l.campaign_id);
  out.set_community_id(l.community_id);
  out.set_street_office_id(l.street_office_id);
  out.set_owners_committee_id(l.owners_committee_id);
  out.set_property_company_id(l.property_company_id);
  for (const std::string& i : l.indicators) out.add_indicators(i);
  out.set_responsibilities(l.responsibilities);
  out.set_term_start(absl::FormatCivilTime(l.term_start));
  out.set_term_end(absl::FormatCivilTime(l.term_end));
  out.set_state(static_cast<v1::LetterState>(l.state));
  for (const domain::LetterSignature& s : l.signatures) {
    v1::LetterSignature* sig = out.add_signatures();
    sig->set_organisation_id(s.org_id);
    sig->set_person_id(s.person_id);
    MaybeSetTime(s.time, [&] { return sig->mutable_time(); });
  }
  for (const std::string& id : domain::MissingSignatures(l)) out.add_missing_organisation_ids(id);
  out.set_drafted_by(l.drafted_by);
  MaybeSetTime(l.draft_time, [&] { return out.mutable_draft_time(); });
  MaybeSetTime(l.sign_time, [&] { return out.mutable_sign_time(); });
  MaybeSetTime(l.update_time, [&] { return out.mutable_update_time(); });
  out.set_etag(absl::StrCat(l.version));
  return out;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is \"", text, "\"; expected a date as YYYY-MM-DD"));
  }
  return day;
}

absl::StatusOr<domain::ResponsibilityLetter> FromProto(const v1::DraftLetterRequest& req) {
  domain::ResponsibilityLetter l;
  l.campaign_id = req.campaign_id();
  l.community_id = req.community_id();
  l.indicators.assign(req.indicators().begin(), req.indicators().end());
  l.responsibilities = req.responsibilities();
  RECTIFY_ASSIGN_OR_RETURN(l.term_start, ParseDay("term_start", req.term_start()));
  RECTIFY_ASSIGN_OR_RETURN(l.term_end, ParseDay("term_end", req.term_end()));
  return l;
}

absl::StatusOr<storage::LetterFilter> FromProto(const v1::ListLettersRequest& req) {
  storage::LetterFilter f;
  f.campaign_id = req.campaign_id();
  f.community_id = req.community_id();
  switch (req.state()) {
    case v1::LETTER_STATE_UNSPECIFIED:
      break;
    case v1::LETTER_STATE_DRAFTED:
      f.state = domain::LetterState::kDrafted;
      break;
    case v1::LETTER_STATE_SIGNED:
      f.state = domain::LetterState::kSigned;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("'state' ", static_cast<int>(req.state()), " is not a letter state"));
  }
  return f;
}

absl::StatusOr<domain::Payer> PayerFromProto(absl::string_view field, v1::Payer payer) {
  if (payer < v1::PAYER_PROPERTY_COMPANY || payer > v1::PAYER_OTHER) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is ", static_cast<int>(payer),
                     "; name who pays (PROPERTY_COMPANY, OWNERS, STREET_OFFICE, PUBLIC_FINANCE "
                     "or OTHER)"));
  }
  return static_cast<domain::Payer>(payer);
}

void ToProto(const domain::PlanItem& item, v1::PlanItem* out) {
  out->set_task_id(item.task_id);
  out->set_description(item.description);
  out->set_person_id(item.person_id);
  out->set_cost_fen(item.cost_fen);
  out->set_payer(static_cast<v1::Payer>(item.payer));
}

v1::WorkPlan ToProto(const domain::WorkPlan& p) {
  v1::WorkPlan out;
  out.set_id(p.id);
  out.set_campaign_id(p.campaign_id);
  out.set_street_office_id(p.street_office_id);
  out.set_state(static_cast<v1::PlanState>(p.state));
  for (const domain::PlanItem& item : p.items) ToProto(item, out.add_items());
  for (const domain::PlanRevision& r : p.revisions) {
    v1::PlanRevision* rev = out.add_revisions();
    rev->set_number(r.number);
    for (const domain::PlanItem& item : r.items) ToProto(item, rev->add_items());
    rev->set_submitted_by(r.submitted_by);
    MaybeSetTime(r.submit_time, [&] { return rev->mutable_submit_time(); });
    rev->set_decision(static_cast<v1::PlanState>(r.decision));
    rev->set_decided_by(r.decided_by);
    rev->set_comments(r.comments);
    MaybeSetTime(r.decide_time, [&] { return rev->mutable_decide_time(); });
  }
  MaybeSetTime(p.update_time, [&] { return out.mutable_update_time(); });
  out.set_etag(absl::StrCat(p.version));
  return out;
}

absl::StatusOr<SavePlanArgs> FromProto(const v1::SavePlanDraftRequest& req) {
  SavePlanArgs args;
  args.ref = {req.plan_id(), req.etag()};
  args.campaign_id = req.campaign_id();
  args.street_office_id = req.street_office_id();
  for (int i = 0; i < req.items_size(); ++i) {
    const v1::PlanItem& in = req.items(i);
    domain::PlanItem item;
    item.task_id = in.task_id();
    item.description = in.description();
    item.person_id = in.person_id();
    item.cost_fen = in.cost_fen();
    RECTIFY_ASSIGN_OR_RETURN(item.payer,
                             PayerFromProto(absl::StrCat("items[", i, "].payer"), in.payer()));
    args.items.push_back(std::move(item));
  }
  return args;
}

absl::StatusOr<storage::PlanFilter> FromProto(const v1::ListPlansRequest& req) {
  storage::PlanFilter f;
  f.campaign_id = req.campaign_id();
  f.street_office_id = req.street_office_id();
  if (req.state() == v1::PLAN_STATE_UNSPECIFIED) return f;
  if (req.state() < v1::PLAN_STATE_DRAFT || req.state() > v1::PLAN_STATE_APPROVED) {
    return absl::InvalidArgumentError(
        absl::StrCat("'state' ", static_cast<int>(req.state()), " is not a plan state"));
  }
  f.state = static_cast<domain::PlanState>(req.state());
  return f;
}

v1::PlanBudget ToProto(const BudgetView& b) {
  v1::PlanBudget out;
  out.set_campaign_id(b.campaign_id);
  out.set_street_office_id(b.street_office_id);
  out.set_plan_id(b.plan_id);
  if (!b.plan_id.empty()) out.set_plan_state(static_cast<v1::PlanState>(b.plan_state));
  for (const auto& [payer, figures] : b.payers) {
    v1::PayerBudget* pb = out.add_payers();
    pb->set_payer(static_cast<v1::Payer>(payer));
    pb->set_planned_fen(figures.planned_fen);
    pb->set_approved_fen(figures.approved_fen);
    pb->set_actual_fen(figures.actual_fen);
  }
  return out;
}

}  // namespace

grpc::Status GrpcPlanService::DraftLetter(grpc::ServerContext* ctx,
                                          const v1::DraftLetterRequest* req,
                                          v1::ResponsibilityLetter* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::ResponsibilityLetter draft, FromProto(*req));
  return ToGrpc(RunOnce(store_, who, "DraftLetter", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(domain::ResponsibilityLetter l,
                                                   letters_.Draft(tx, who, draft));
                          *resp = ToProto(l);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::SignLetter(grpc::ServerContext* ctx,
                                         const v1::SignLetterRequest* req,
                                         v1::ResponsibilityLetter* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "SignLetter", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::ResponsibilityLetter l,
                              letters_.Sign(tx, who, {req->letter_id(), req->etag()}));
                          *resp = ToProto(l);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::GetLetter(grpc::ServerContext* ctx, const v1::GetLetterRequest* req,
                                        v1::ResponsibilityLetter* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::ResponsibilityLetter l,
                             letters_.Get(tx, who, req->letter_id()));
    *resp = ToProto(l);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcPlanService::ListLetters(grpc::ServerContext* ctx,
                                          const v1::ListLettersRequest* req,
                                          v1::ListLettersResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(storage::LetterFilter filter, FromProto(*req));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size(), 100));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::ResponsibilityLetter> letters,
                             letters_.List(tx, who, filter, limit));
    for (const domain::ResponsibilityLetter& l : letters) *resp->add_letters() = ToProto(l);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcPlanService::SavePlanDraft(grpc::ServerContext* ctx,
                                            const v1::SavePlanDraftRequest* req,
                                            v1::WorkPlan* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(SavePlanArgs args, FromProto(*req));
  return ToGrpc(RunOnce(store_, who, "SavePlanDraft", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(domain::WorkPlan p,
                                                   plans_.SaveDraft(tx, who, args));
                          *resp = ToProto(p);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::SubmitPlan(grpc::ServerContext* ctx,
                                         const v1::SubmitPlanRequest* req, v1::WorkPlan* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "SubmitPlan", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::WorkPlan p,
                              plans_.Submit(tx, who, {req->plan_id(), req->etag()}));
                          *resp = ToProto(p);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::ApprovePlan(grpc::ServerContext* ctx,
                                          const v1::DecidePlanRequest* req, v1::WorkPlan* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "ApprovePlan", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::WorkPlan p,
                              plans_.Decide(tx, who, {req->plan_id(), req->etag()},
                                            domain::PlanAction::kApprove, req->comments()));
                          *resp = ToProto(p);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::ReturnPlan(grpc::ServerContext* ctx,
                                         const v1::DecidePlanRequest* req, v1::WorkPlan* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "ReturnPlan", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::WorkPlan p,
                              plans_.Decide(tx, who, {req->plan_id(), req->etag()},
                                            domain::PlanAction::kReturn, req->comments()));
                          *resp = ToProto(p);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::GetPlan(grpc::ServerContext* ctx, const v1::GetPlanRequest* req,
                                      v1::WorkPlan* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::WorkPlan p, plans_.Get(tx, who, req->plan_id()));
    *resp = ToProto(p);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcPlanService::ListPlans(grpc::ServerContext* ctx, const v1::ListPlansRequest* req,
                                        v1::ListPlansResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(storage::PlanFilter filter, FromProto(*req));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size(), 100));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::WorkPlan> plans,
                             plans_.List(tx, who, filter, limit));
    for (const domain::WorkPlan& p : plans) *resp->add_plans() = ToProto(p);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcPlanService::GetBudget(grpc::ServerContext* ctx, const v1::GetBudgetRequest* req,
                                        v1::PlanBudget* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(BudgetView b,
                             plans_.Budget(tx, who, req->campaign_id(), req->street_office_id()));
    *resp = ToProto(b);
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
