#include "server/grpc_accountability_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {

grpc::Status GrpcAccountabilityService::ProposePenalty(grpc::ServerContext* ctx,
                                                       const v1::ProposePenaltyRequest* req,
                                                       v1::Penalty* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::Penalty draft;
  RECTIFY_GRPC_ASSIGN_OR_RETURN(draft.kind, FromProto(req->kind(), "kind"));
  draft.campaign_id = req->campaign_id();
  draft.org_id = req->organisation_id();
  draft.amount_fen = req->amount_fen();
  draft.reason = req->reason();
  draft.task_ids.assign(req->task_ids().begin(), req->task_ids().end());
  return ToGrpc(RunOnce(store_, who, "ProposePenalty", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(domain::Penalty p,
                                                   commands_.Propose(tx, who, draft));
                          *resp = ToProto(p);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcAccountabilityService::IssuePenalty(grpc::ServerContext* ctx,
                                                     const v1::IssuePenaltyRequest* req,
                                                     v1::IssuePenaltyResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(
      RunOnce(store_, who, "IssuePenalty", *req, req->request_id(), resp,
              [&](storage::WriteTx& tx) -> absl::Status {
                RECTIFY_ASSIGN_OR_RETURN(
                    IssueResult result,
                    commands_.Issue(tx, who, {req->penalty_id(), req->etag()}, req->comment()));
                *resp->mutable_penalty() = ToProto(result.penalty);
                for (const domain::Penalty& p : result.consequent) {
                  *resp->add_consequent_penalties() = ToProto(p);
                }
                for (const std::string& id : result.cleared_community_ids) {
                  resp->add_cleared_community_ids(id);
                }
                for (const std::string& id : result.released_task_ids)
                  resp->add_released_task_ids(id);
                return absl::OkStatus();
              }));
}

grpc::Status GrpcAccountabilityService::DismissPenalty(grpc::ServerContext* ctx,
                                                       const v1::DismissPenaltyRequest* req,
                                                       v1::Penalty* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(
      RunOnce(store_, who, "DismissPenalty", *req, req->request_id(), resp,
              [&](storage::WriteTx& tx) -> absl::Status {
                RECTIFY_ASSIGN_OR_RETURN(
                    domain::Penalty p,
                    commands_.Dismiss(tx, who, {req->penalty_id(), req->etag()}, req->reason()));
                *resp = ToProto(p);
                return absl::OkStatus();
              }));
}

grpc::Status GrpcAccountabilityService::RevokePenalty(grpc::ServerContext* ctx,
                                                      const v1::RevokePenaltyRequest* req,
                                                      v1::Penalty* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(
      RunOnce(store_, who, "RevokePenalty", *req, req->request_id(), resp,
              [&](storage::WriteTx& tx) -> absl::Status {
                RECTIFY_ASSIGN_OR_RETURN(
                    domain::Penalty p,
                    commands_.Revoke(tx, who, {req->penalty_id(), req->etag()}, req->reason()));
                *resp = ToProto(p);
                return absl::OkStatus();
              }));
}

grpc::Status GrpcAccountabilityService::GetPenalty(grpc::ServerContext* ctx,
                                                   const v1::GetPenaltyRequest* req,
                                                   v1::Penalty* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::Penalty p, commands_.Get(tx, who, req->penalty_id()));
    *resp = ToProto(p);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcAccountabilityService::ListPenalties(grpc::ServerContext* ctx,
                                                      const v1::ListPenaltiesRequest* req,
                                                      v1::ListPenaltiesResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  storage::PenaltyFilter filter;
  filter.campaign_id = req->campaign_id();
  filter.org_id = req->organisation_id();
  if (req->kind() != v1::PENALTY_KIND_UNSPECIFIED) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(filter.kind, FromProto(req->kind(), "kind"));
  }
  if (req->state() != v1::PENALTY_STATE_UNSPECIFIED) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(filter.state, FromProto(req->state(), "state"));
  }
  RECTIFY_GRPC_ASSIGN_OR_RETURN(const int limit, PageSize(req->page_size(), 100));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Penalty> all,
                             commands_.List(tx, who, filter, limit));
    for (const domain::Penalty& p : all) *resp->add_penalties() = ToProto(p);
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
