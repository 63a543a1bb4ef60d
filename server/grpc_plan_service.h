// The gRPC adapter of AccountabilityPlanService (proto/rectify/v1/plan_service.proto):
// a few lines per method; the logic is in server/letter_commands.h and the
// proto conversion in grpc_plan_service.cc.
#ifndef RECTIFY_SERVER_GRPC_PLAN_SERVICE_H_
#define RECTIFY_SERVER_GRPC_PLAN_SERVICE_H_

#include "rectify/v1/plan_service.grpc.pb.h"
#include "server/auth.h"
#include "server/letter_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcPlanService final : public v1::AccountabilityPlanService::Service {
 public:
  GrpcPlanService(storage::Store& store, const Authenticator& auth, const LetterCommands& letters)
      : store_(store), auth_(auth), letters_(letters) {}

  grpc::Status DraftLetter(grpc::ServerContext* ctx, const v1::DraftLetterRequest* req,
                           v1::ResponsibilityLetter* resp) override;
  grpc::Status SignLetter(grpc::ServerContext* ctx, const v1::SignLetterRequest* req,
                          v1::ResponsibilityLetter* resp) override;
  grpc::Status GetLetter(grpc::ServerContext* ctx, const v1::GetLetterRequest* req,
                         v1::ResponsibilityLetter* resp) override;
  grpc::Status ListLetters(grpc::ServerContext* ctx, const v1::ListLettersRequest* req,
                           v1::ListLettersResponse* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const LetterCommands& letters_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_PLAN_SERVICE_H_
