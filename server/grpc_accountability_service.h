// The AccountabilityService adapter: identifies the caller, converts, and runs
// AccountabilityCommands (mutations once per request_id, via RunOnce).
#ifndef RECTIFY_SERVER_GRPC_ACCOUNTABILITY_SERVICE_H_
#define RECTIFY_SERVER_GRPC_ACCOUNTABILITY_SERVICE_H_

#include "rectify/v1/accountability_service.grpc.pb.h"
#include "server/accountability_commands.h"
#include "server/auth.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcAccountabilityService final : public v1::AccountabilityService::Service {
 public:
  GrpcAccountabilityService(storage::Store& store, const Authenticator& auth,
                            const AccountabilityCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status ProposePenalty(grpc::ServerContext* ctx, const v1::ProposePenaltyRequest* req,
                              v1::Penalty* resp) override;
  grpc::Status IssuePenalty(grpc::ServerContext* ctx, const v1::IssuePenaltyRequest* req,
                            v1::IssuePenaltyResponse* resp) override;
  grpc::Status DismissPenalty(grpc::ServerContext* ctx, const v1::DismissPenaltyRequest* req,
                              v1::Penalty* resp) override;
  grpc::Status RevokePenalty(grpc::ServerContext* ctx, const v1::RevokePenaltyRequest* req,
                             v1::Penalty* resp) override;
  grpc::Status GetPenalty(grpc::ServerContext* ctx, const v1::GetPenaltyRequest* req,
                          v1::Penalty* resp) override;
  grpc::Status ListPenalties(grpc::ServerContext* ctx, const v1::ListPenaltiesRequest* req,
                             v1::ListPenaltiesResponse* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const AccountabilityCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_ACCOUNTABILITY_SERVICE_H_
