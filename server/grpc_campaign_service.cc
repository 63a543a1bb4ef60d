#include "server/grpc_campaign_service.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"
#include "server/policy.h"

namespace rectify::server {
namespace {

absl::Status Required(absl::string_view field, absl::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("'", field, "' is required"));
  return absl::OkStatus();
}

}  // namespace

grpc::Status GrpcCampaignService::AdvancePhase(grpc::ServerContext* ctx,
                                               const v1::AdvancePhaseRequest* req,
                                               v1::AdvancePhaseResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  if (absl::Status s = Required("campaign_id", req->campaign_id()); !s.ok()) return ToGrpc(s);
  std::optional<domain::Phase> to;
  if (req->to_phase() != v1::PHASE_UNSPECIFIED) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(to, FromProto(req->to_phase(), "to_phase"));
  }
  return ToGrpc(RunOnce(store_, who, "AdvancePhase", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              PhaseAdvance advance,
                              commands_.AdvancePhase(tx, who, req->campaign_id(), req->etag(),
                                                     to, req->force(), req->reason()));
                          *resp->mutable_campaign() = ToProto(advance.campaign);
                          *resp->mutable_event() = ToProto(advance.event);
                          for (const std::string& s : advance.overridden) resp->add_overridden(s);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcCampaignService::GetPhaseGate(grpc::ServerContext* ctx,
                                               const v1::GetPhaseGateRequest* req,
                                               v1::GetPhaseGateResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  (void)who;  // every authenticated caller may see where the campaign stands
  if (absl::Status s = Required("campaign_id", req->campaign_id()); !s.ok()) return ToGrpc(s);
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(req->campaign_id()));
    RECTIFY_ASSIGN_OR_RETURN(PhaseGate gate, commands_.Gate(tx, campaign));
    resp->set_phase(static_cast<v1::Phase>(gate.phase));
    if (gate.next.has_value()) resp->set_next_phase(static_cast<v1::Phase>(*gate.next));
    for (const std::string& s : gate.shortfalls) resp->add_shortfalls(s);
    resp->set_phase_by_date(static_cast<v1::Phase>(gate.phase_by_date));
    return absl::OkStatus();
  }));
}

grpc::Status GrpcCampaignService::SubmitSelfCheckList(grpc::ServerContext* ctx,
                                                      const v1::SubmitSelfCheckListRequest* req,
                                                      v1::SubmitSelfCheckListResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  if (absl::Status s = Required("campaign_id", req->campaign_id()); !s.ok()) return ToGrpc(s);
  if (absl::Status s = Required("community_id", req->community_id()); !s.ok()) return ToGrpc(s);
  std::vector<domain::Task> items;
  for (const v1::SelfCheckItem& item : req->items()) {
    v1::Task as_task;
    as_task.set_title(item.title());
    as_task.set_category(item.category());
    as_task.set_description(item.description());
    as_task.set_standard_item(item.standard_item());
    *as_task.mutable_budget() = item.budget();
    RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::Task draft, NewTaskFromProto(as_task));
    items.push_back(std::move(draft));
  }
  return ToGrpc(RunOnce(
      store_, who, "SubmitSelfCheckList", *req, req->request_id(), resp,
      [&](storage::WriteTx& tx) -> absl::Status {
        RECTIFY_ASSIGN_OR_RETURN(SelfCheckResult result,
                                 commands_.SubmitSelfCheckList(tx, who, req->campaign_id(),
                                                               req->community_id(), items));
        *resp->mutable_list() = ToProto(result.list);
        for (const domain::Task& task : result.tasks) {
          *resp->add_tasks() = ToProto(task, tasks_.Now(), "");
        }
        return absl::OkStatus();
      }));
}

grpc::Status GrpcCampaignService::GetSelfCheckList(grpc::ServerContext* ctx,
                                                   const v1::GetSelfCheckListRequest* req,
                                                   v1::SelfCheckList* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::Community community, tx.GetCommunity(req->community_id()));
    RECTIFY_RETURN_IF_ERROR(CheckCanSeeCommunity(who, community));
    RECTIFY_ASSIGN_OR_RETURN(domain::SelfCheckList list,
                             tx.GetSelfCheckList(req->campaign_id(), req->community_id()));
    *resp = ToProto(list);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcCampaignService::GetReadiness(grpc::ServerContext* ctx,
                                               const v1::GetReadinessRequest* req,
                                               v1::GetReadinessResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  if (absl::Status s = Required("campaign_id", req->campaign_id()); !s.ok()) return ToGrpc(s);
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(
        std::vector<CommunityReadiness> all,
        commands_.Readiness(tx, who, req->campaign_id(), req->street_office_id()));
    for (const CommunityReadiness& r : all) {
      resp->set_total_count(resp->total_count() + 1);
      if (r.ready) resp->set_ready_count(resp->ready_count() + 1);
      if (r.ready && req->not_ready_only()) continue;
      v1::CommunityReadiness* out = resp->add_communities();
      out->set_community_id(r.community.id);
      out->set_community_name(r.community.name);
      out->set_street_office_id(r.community.street_office_id);
      out->set_ready(r.ready);
      out->set_open_tasks(r.open_tasks);
      out->set_overdue_tasks(r.overdue_tasks);
      if (r.last_inspection.has_value()) {
        out->set_last_inspection_id(r.last_inspection->id);
        out->set_last_inspection_date(absl::FormatCivilTime(r.last_inspection->date));
        out->set_last_score(r.last_inspection->total);
        out->set_max_score(r.last_inspection->max_score);
      }
      out->set_target_score(r.target_score);
      for (const std::string& id : r.uncleared_rule_ids) out->add_uncleared_rule_ids(id);
      for (const std::string& reason : r.reasons) out->add_reasons(reason);
    }
    return absl::OkStatus();
  }));
}

v1::Inspection GrpcInspectionService::Present(const InspectionView& view) const {
  const domain::Inspection& i = view.inspection;
  v1::Inspection out = ToProto(i, standards_.Find(i.standard_id, i.standard_version));
  if (view.previous.has_value()) {
    out.set_previous_inspection_id(view.previous->id);
    out.set_previous_total(view.previous->total);
    for (const std::string& id : view.diff.cleared) out.add_cleared_rule_ids(id);
    for (const std::string& id : view.diff.persisting) out.add_persisting_rule_ids(id);
    for (const std::string& id : view.diff.added) out.add_new_rule_ids(id);
  }
  return out;
}

grpc::Status GrpcInspectionService::ListStandards(grpc::ServerContext* ctx,
                                                  const v1::ListStandardsRequest*,
                                                  v1::ListStandardsResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  (void)who;
  for (const domain::Standard* s : standards_.All()) *resp->add_standards() = ToProto(*s);
  return grpc::Status::OK;
}

grpc::Status GrpcInspectionService::GetStandard(grpc::ServerContext* ctx,
                                                const v1::GetStandardRequest* req,
                                                v1::Standard* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  (void)who;
  if (absl::Status s = Required("id", req->id()); !s.ok()) return ToGrpc(s);
  const domain::Standard* standard = req->version().empty()
                                         ? standards_.Latest(req->id())
                                         : standards_.Find(req->id(), req->version());
  if (standard == nullptr) {
    return ToGrpc(absl::NotFoundError(absl::StrCat("no standard '", req->id(), "'",
                                                   req->version().empty() ? "" : " version ",
                                                   req->version(), " is loaded")));
  }
  *resp = ToProto(*standard);
  return grpc::Status::OK;
}

grpc::Status GrpcInspectionService::RecordInspection(grpc::ServerContext* ctx,
                                                     const v1::RecordInspectionRequest* req,
                                                     v1::Inspection* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::Inspection draft,
                                NewInspectionFromProto(req->inspection()));
  return ToGrpc(RunOnce(store_, who, "RecordInspection", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(InspectionView view,
                                                   commands_.Record(tx, who, draft));
                          *resp = Present(view);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcInspectionService::GetInspection(grpc::ServerContext* ctx,
                                                  const v1::GetInspectionRequest* req,
                                                  v1::Inspection* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  if (absl::Status s = Required("id", req->id()); !s.ok()) return ToGrpc(s);
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(InspectionView view, commands_.Get(tx, who, req->id()));
    *resp = Present(view);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcInspectionService::ListInspections(grpc::ServerContext* ctx,
                                                    const v1::ListInspectionsRequest* req,
                                                    v1::ListInspectionsResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  storage::InspectionFilter filter;
  filter.campaign_id = req->campaign_id();
  filter.community_id = req->community_id();
  if (req->kind() != v1::INSPECTION_KIND_UNSPECIFIED) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(filter.kind, FromProto(req->kind(), "kind"));
  }
  RECTIFY_GRPC_ASSIGN_OR_RETURN(const int limit, PageSize(req->page_size(), 50));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Inspection> found,
                             commands_.List(tx, who, filter, limit));
    for (const domain::Inspection& i : found) {
      *resp->add_inspections() = ToProto(i, standards_.Find(i.standard_id, i.standard_version));
    }
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
