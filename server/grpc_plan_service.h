// The gRPC adapter of AccountabilityPlanService (proto/rectify/v1/plan_service.proto):
// a few lines per method; the logic is in server/letter_commands.h and
// server/plan_commands.h, the proto conversion in grpc_plan_service.cc.
#ifndef RECTIFY_SERVER_GRPC_PLAN_SERVICE_H_
#define RECTIFY_SERVER_GRPC_PLAN_SERVICE_H_

#include "rectify/v1/plan_service.grpc.pb.h"
#include "server/auth.h"
#include "server/letter_commands.h"
#include "server/plan_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcPlanService final : public v1::AccountabilityPlanService::Service {
 public:
  GrpcPlanService(storage::Store& store, const Authenticator& auth, const LetterCommands& letters,
                  const PlanCommands& plans)
      : store_(store), auth_(auth), letters_(letters), plans_(plans) {}

  grpc::Status DraftLetter(grpc::ServerContext* ctx, const v1::DraftLetterRequest* req,
                           v1::ResponsibilityLetter* resp) override;
  grpc::Status SignLetter(grpc::ServerContext* ctx, const v1::SignLetterRequest* req,
                          v1::ResponsibilityLetter* resp) override;
  grpc::Status GetLetter(grpc::ServerContext* ctx, const v1::GetLetterRequest* req,
                         v1::ResponsibilityLetter* resp) override;
  grpc::Status ListLetters(grpc::ServerContext* ctx, const v1::ListLettersRequest* req,
                           v1::ListLettersResponse* resp) override;

  grpc::Status SavePlanDraft(grpc::ServerContext* ctx, const v1::SavePlanDraftRequest* req,
                             v1::WorkPlan* resp) override;
  grpc::Status SubmitPlan(grpc::ServerContext* ctx, const v1::SubmitPlanRequest* req,
                          v1::WorkPlan* resp) override;
  grpc::Status ApprovePlan(grpc::ServerContext* ctx, const v1::DecidePlanRequest* req,
                           v1::WorkPlan* resp) override;
  grpc::Status ReturnPlan(grpc::ServerContext* ctx, const v1::DecidePlanRequest* req,
                          v1::WorkPlan* resp) override;
  grpc::Status GetPlan(grpc::ServerContext* ctx, const v1::GetPlanRequest* req,
                       v1::WorkPlan* resp) override;
  grpc::Status ListPlans(grpc::ServerContext* ctx, const v1::ListPlansRequest* req,
                         v1::ListPlansResponse* resp) override;
  grpc::Status GetBudget(grpc::ServerContext* ctx, const v1::GetBudgetRequest* req,
                         v1::PlanBudget* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const LetterCommands& letters_;
  const PlanCommands& plans_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_PLAN_SERVICE_H_
