// The CampaignService and InspectionService adapters.
#ifndef RECTIFY_SERVER_GRPC_CAMPAIGN_SERVICE_H_
#define RECTIFY_SERVER_GRPC_CAMPAIGN_SERVICE_H_

#include "rectify/v1/campaign_service.grpc.pb.h"
#include "rectify/v1/inspection_service.grpc.pb.h"
#include "server/auth.h"
#include "server/campaign_commands.h"
#include "server/inspection_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcCampaignService final : public v1::CampaignService::Service {
 public:
  GrpcCampaignService(storage::Store& store, const Authenticator& auth,
                      const CampaignCommands& commands, const TaskCommands& tasks)
      : store_(store), auth_(auth), commands_(commands), tasks_(tasks) {}

  grpc::Status AdvancePhase(grpc::ServerContext* ctx, const v1::AdvancePhaseRequest* req,
                            v1::AdvancePhaseResponse* resp) override;
  grpc::Status GetPhaseGate(grpc::ServerContext* ctx, const v1::GetPhaseGateRequest* req,
                            v1::GetPhaseGateResponse* resp) override;
  grpc::Status SubmitSelfCheckList(grpc::ServerContext* ctx,
                                   const v1::SubmitSelfCheckListRequest* req,
                                   v1::SubmitSelfCheckListResponse* resp) override;
  grpc::Status GetSelfCheckList(grpc::ServerContext* ctx, const v1::GetSelfCheckListRequest* req,
                                v1::SelfCheckList* resp) override;
  grpc::Status GetReadiness(grpc::ServerContext* ctx, const v1::GetReadinessRequest* req,
                            v1::GetReadinessResponse* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const CampaignCommands& commands_;
  const TaskCommands& tasks_;
};

class GrpcInspectionService final : public v1::InspectionService::Service {
 public:
  GrpcInspectionService(storage::Store& store, const Authenticator& auth,
                        const InspectionCommands& commands, const StandardRegistry& standards)
      : store_(store), auth_(auth), commands_(commands), standards_(standards) {}

  grpc::Status ListStandards(grpc::ServerContext* ctx, const v1::ListStandardsRequest* req,
                             v1::ListStandardsResponse* resp) override;
  grpc::Status GetStandard(grpc::ServerContext* ctx, const v1::GetStandardRequest* req,
                           v1::Standard* resp) override;
  grpc::Status RecordInspection(grpc::ServerContext* ctx,
                                const v1::RecordInspectionRequest* req,
                                v1::Inspection* resp) override;
  grpc::Status GetInspection(grpc::ServerContext* ctx, const v1::GetInspectionRequest* req,
                             v1::Inspection* resp) override;
  grpc::Status ListInspections(grpc::ServerContext* ctx, const v1::ListInspectionsRequest* req,
                               v1::ListInspectionsResponse* resp) override;

 private:
  v1::Inspection Present(const InspectionView& view) const;

  storage::Store& store_;
  const Authenticator& auth_;
  const InspectionCommands& commands_;
  const StandardRegistry& standards_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_CAMPAIGN_SERVICE_H_
