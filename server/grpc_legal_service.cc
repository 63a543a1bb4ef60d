#include "server/grpc_legal_service.h"

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

void ToProtoEvidence(const domain::Evidence& e, v1::Evidence* out) {
  out->set_uri(e.uri);
  out->set_sha256(e.sha256);
  out->set_note(e.note);
  out->set_added_by(e.added_by);
  MaybeSetTime(e.add_time, [&] { return out->mutable_add_time(); });
}

v1::LegalCase ToProto(const domain::LegalCase& c, absl::Time now) {
  v1::LegalCase out;
  out.set_id(c.id);
  out.set_campaign_id(c.campaign_id);
  out.set_community_id(c.community_id);
  out.set_street_office_id(c.street_office_id);
  out.set_property_company_id(c.property_company_id);
  out.set_task_id(c.task_id);
  out.set_kind(static_cast<v1::LegalCaseKind>(c.kind));
  out.set_place(c.place);
  out.set_offender(c.offender);
  out.set_description(c.description);
  out.set_state(static_cast<v1::LegalCaseState>(c.state));
  for (const domain::LegalStep& s : c.steps) {
    v1::LegalStep* step = out.add_steps();
    step->set_action(static_cast<v1::LegalAction>(s.action));
    step->set_actor_person_id(s.actor_person_id);
    step->set_actor_organisation_id(s.actor_org_id);
    MaybeSetTime(s.time, [&] { return step->mutable_time(); });
    step->set_note(s.note);
    for (const domain::Evidence& e : s.evidence) ToProtoEvidence(e, step->add_evidence());
  }
  for (const std::string& id : c.bureau_org_ids) out.add_bureau_organisation_ids(id);
  MaybeSetTime(c.escalate_time, [&] { return out.mutable_escalate_time(); });
  MaybeSetTime(c.deadline, [&] { return out.mutable_deadline(); });
  out.set_overdue(domain::LegalCaseOverdue(c, now));
  out.set_result(static_cast<v1::LegalResult>(c.result));
  out.set_result_text(c.result_text);
  out.set_opened_by(c.opened_by);
  MaybeSetTime(c.open_time, [&] { return out.mutable_open_time(); });
  MaybeSetTime(c.close_time, [&] { return out.mutable_close_time(); });
  MaybeSetTime(c.update_time, [&] { return out.mutable_update_time(); });
  out.set_etag(absl::StrCat(c.version));
  return out;
}

v1::HardProblem ToProto(const domain::HardProblem& p) {
  v1::HardProblem out;
  out.set_id(p.id);
  out.set_campaign_id(p.campaign_id);
  out.set_kind(static_cast<v1::HardProblemKind>(p.kind));
  out.set_title(p.title);
  out.set_description(p.description);
  out.set_reported_by(p.reported_by);
  out.set_reporter_organisation_id(p.reporter_org_id);
  out.set_state(static_cast<v1::HardProblemState>(p.state));
  out.set_answer(p.answer);
  out.set_answered_by(p.answered_by);
  MaybeSetTime(p.report_time, [&] { return out.mutable_report_time(); });
  MaybeSetTime(p.answer_time, [&] { return out.mutable_answer_time(); });
  MaybeSetTime(p.update_time, [&] { return out.mutable_update_time(); });
  out.set_etag(absl::StrCat(p.version));
  return out;
}

std::vector<domain::Evidence> FromProto(
    const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence) {
  std::vector<domain::Evidence> out;
  for (const v1::Evidence& e : evidence) out.push_back(::rectify::server::FromProto(e));
  return out;
}

absl::StatusOr<domain::LegalCaseKind> KindFromProto(v1::LegalCaseKind kind) {
  switch (kind) {
    case v1::LEGAL_CASE_KIND_ILLEGAL_CONSTRUCTION:
      return domain::LegalCaseKind::kIllegalConstruction;
    case v1::LEGAL_CASE_KIND_PRIVATE_CHARGING:
      return domain::LegalCaseKind::kPrivateCharging;
    case v1::LEGAL_CASE_KIND_STREET_VENDING:
      return domain::LegalCaseKind::kStreetVending;
    case v1::LEGAL_CASE_KIND_OTHER:
      return domain::LegalCaseKind::kOther;
    default:
      return absl::InvalidArgumentError(
          "'kind' is unset or unknown; use ILLEGAL_CONSTRUCTION, PRIVATE_CHARGING, "
          "STREET_VENDING or OTHER");
  }
}

absl::StatusOr<domain::LegalCaseState> StateFromProto(v1::LegalCaseState state) {
  const int n = static_cast<int>(state);
  if (n < static_cast<int>(domain::LegalCaseState::kNotified) ||
      n > static_cast<int>(domain::LegalCaseState::kResolved)) {
    return absl::InvalidArgumentError(absl::StrCat("'state' ", n, " is not a legal case state"));
  }
  return static_cast<domain::LegalCaseState>(n);
}

}  // namespace

grpc::Status GrpcLegalService::OpenCase(grpc::ServerContext* ctx, const v1::OpenCaseRequest* req,
                                        v1::LegalCase* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::LegalCase draft;
  RECTIFY_GRPC_ASSIGN_OR_RETURN(draft.kind, KindFromProto(req->kind()));
  draft.campaign_id = req->campaign_id();
  draft.community_id = req->community_id();
  draft.place = req->place();
  draft.offender = req->offender();
  draft.description = req->description();
  draft.task_id = req->task_id();
  domain::LegalStepArgs step;
  step.note = req->note();
  step.evidence = FromProto(req->evidence());
  return ToGrpc(RunOnce(store_, who, "OpenCase", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(domain::LegalCase c,
                                                   commands_.Open(tx, who, draft, step));
                          *resp = ToProto(c, commands_.Now());
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcLegalService::Step(grpc::ServerContext* ctx, const char* method,
                                    domain::LegalAction action, const v1::LegalStepRequest& req,
                                    v1::LegalCase* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::LegalStepArgs step;
  step.note = req.note();
  step.evidence = FromProto(req.evidence());
  return ToGrpc(RunOnce(store_, who, method, req, req.request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::LegalCase c,
                              commands_.Step(tx, who, {req.case_id(), req.etag()}, action, step));
                          *resp = ToProto(c, commands_.Now());
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcLegalService::DissuadeCase(grpc::ServerContext* ctx,
                                            const v1::LegalStepRequest* req, v1::LegalCase* resp) {
  return Step(ctx, "DissuadeCase", domain::LegalAction::kDissuade, *req, resp);
}
grpc::Status GrpcLegalService::StopCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                                        v1::LegalCase* resp) {
  return Step(ctx, "StopCase", domain::LegalAction::kStop, *req, resp);
}
grpc::Status GrpcLegalService::ReportCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                                          v1::LegalCase* resp) {
  return Step(ctx, "ReportCase", domain::LegalAction::kReport, *req, resp);
}
grpc::Status GrpcLegalService::EscalateCase(grpc::ServerContext* ctx,
                                            const v1::LegalStepRequest* req, v1::LegalCase* resp) {
  return Step(ctx, "EscalateCase", domain::LegalAction::kEscalate, *req, resp);
}
grpc::Status GrpcLegalService::ResolveCase(grpc::ServerContext* ctx,
                                           const v1::LegalStepRequest* req, v1::LegalCase* resp) {
  return Step(ctx, "ResolveCase", domain::LegalAction::kResolve, *req, resp);
}
grpc::Status GrpcLegalService::AcknowledgeCase(grpc::ServerContext* ctx,
                                               const v1::LegalStepRequest* req,
                                               v1::LegalCase* resp) {
  return Step(ctx, "AcknowledgeCase", domain::LegalAction::kAcknowledge, *req, resp);
}
grpc::Status GrpcLegalService::RecordBureauAction(grpc::ServerContext* ctx,
                                                  const v1::LegalStepRequest* req,
                                                  v1::LegalCase* resp) {
  return Step(ctx, "RecordBureauAction", domain::LegalAction::kRecordAction, *req, resp);
}

grpc::Status GrpcLegalService::CloseCase(grpc::ServerContext* ctx, const v1::CloseCaseRequest* req,
                                         v1::LegalCase* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::LegalStepArgs step;
  step.note = req->result_text();
  step.evidence = FromProto(req->evidence());
  switch (req->result()) {
    case v1::LEGAL_RESULT_RESOLVED:
      step.result = domain::LegalResult::kResolved;
      break;
    case v1::LEGAL_RESULT_NOT_RESOLVED:
      step.result = domain::LegalResult::kNotResolved;
      break;
    default:
      step.result = domain::LegalResult::kUnspecified;  // the domain names 'result'
  }
  return ToGrpc(RunOnce(store_, who, "CloseCase", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          absl::StatusOr<domain::LegalCase> c =
                              commands_.Step(tx, who, {req->case_id(), req->etag()},
                                             domain::LegalAction::kClose, step);
                          if (!c.ok() && c.status().code() == absl::StatusCode::kInvalidArgument &&
                              c.status().message().find("'note'") != absl::string_view::npos) {
                            // The API calls the closing words 'result_text'.
                            return absl::InvalidArgumentError(
                                "'result_text' is empty; say what the bureau did and found");
                          }
                          if (!c.ok()) return c.status();
                          *resp = ToProto(*c, commands_.Now());
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcLegalService::GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* req,
                                       v1::LegalCase* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::LegalCase c, commands_.Get(tx, who, req->case_id()));
    *resp = ToProto(c, commands_.Now());
    return absl::OkStatus();
  }));
}

grpc::Status GrpcLegalService::ListCases(grpc::ServerContext* ctx, const v1::ListCasesRequest* req,
                                         v1::ListCasesResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  storage::LegalCaseFilter filter;
  filter.campaign_id = req->campaign_id();
  filter.community_id = req->community_id();
  filter.escalated_only = req->escalated_only();
  if (req->state() != v1::LEGAL_CASE_STATE_UNSPECIFIED) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::LegalCaseState state, StateFromProto(req->state()));
    filter.states.push_back(state);
  }
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size(), 100));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::LegalCase> cases,
                             commands_.List(tx, who, filter, limit));
    const absl::Time now = commands_.Now();
    for (const domain::LegalCase& c : cases) *resp->add_cases() = ToProto(c, now);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcHardProblemService::ReportProblem(grpc::ServerContext* ctx,
                                                   const v1::ReportProblemRequest* req,
                                                   v1::HardProblem* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::HardProblem draft;
  draft.campaign_id = req->campaign_id();
  draft.title = req->title();
  draft.description = req->description();
  switch (req->kind()) {
    case v1::HARD_PROBLEM_KIND_HARD:
      draft.kind = domain::HardProblemKind::kHard;
      break;
    case v1::HARD_PROBLEM_KIND_HOT:
      draft.kind = domain::HardProblemKind::kHot;
      break;
    default:
      return ToGrpc(absl::InvalidArgumentError("'kind' is unset or unknown; use HARD or HOT"));
  }
  return ToGrpc(RunOnce(store_, who, "ReportProblem", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(domain::HardProblem p,
                                                   commands_.Report(tx, who, draft));
                          *resp = ToProto(p);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcHardProblemService::AnswerProblem(grpc::ServerContext* ctx,
                                                   const v1::AnswerProblemRequest* req,
                                                   v1::HardProblem* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(
      RunOnce(store_, who, "AnswerProblem", *req, req->request_id(), resp,
              [&](storage::WriteTx& tx) -> absl::Status {
                RECTIFY_ASSIGN_OR_RETURN(
                    domain::HardProblem p,
                    commands_.Answer(tx, who, {req->problem_id(), req->etag()}, req->answer()));
                *resp = ToProto(p);
                return absl::OkStatus();
              }));
}

grpc::Status GrpcHardProblemService::GetProblem(grpc::ServerContext* ctx,
                                                const v1::GetProblemRequest* req,
                                                v1::HardProblem* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::HardProblem p,
                             commands_.GetProblem(tx, who, req->problem_id()));
    *resp = ToProto(p);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcHardProblemService::ListProblems(grpc::ServerContext* ctx,
                                                  const v1::ListProblemsRequest* req,
                                                  v1::ListProblemsResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  storage::HardProblemFilter filter;
  filter.campaign_id = req->campaign_id();
  switch (req->state()) {
    case v1::HARD_PROBLEM_STATE_UNSPECIFIED:
      break;
    case v1::HARD_PROBLEM_STATE_REPORTED:
      filter.state = domain::HardProblemState::kReported;
      break;
    case v1::HARD_PROBLEM_STATE_ANSWERED:
      filter.state = domain::HardProblemState::kAnswered;
      break;
    default:
      return ToGrpc(absl::InvalidArgumentError(
          absl::StrCat("'state' ", static_cast<int>(req->state()), " is not a problem state")));
  }
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size(), 100));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::HardProblem> problems,
                             commands_.ListProblems(tx, who, filter, limit));
    for (const domain::HardProblem& p : problems) *resp->add_problems() = ToProto(p);
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
