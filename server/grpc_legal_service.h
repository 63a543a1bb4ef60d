// The LegalService and HardProblemService adapters: identify the caller,
// convert (the conversions for these services live in the .cc), and run
// LegalCommands (mutations once per request_id, via RunOnce).
#ifndef RECTIFY_SERVER_GRPC_LEGAL_SERVICE_H_
#define RECTIFY_SERVER_GRPC_LEGAL_SERVICE_H_

#include "rectify/v1/legal_service.grpc.pb.h"
#include "server/auth.h"
#include "server/legal_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcLegalService final : public v1::LegalService::Service {
 public:
  GrpcLegalService(storage::Store& store, const Authenticator& auth, const LegalCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status OpenCase(grpc::ServerContext* ctx, const v1::OpenCaseRequest* req,
                        v1::LegalCase* resp) override;
  grpc::Status DissuadeCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                            v1::LegalCase* resp) override;
  grpc::Status StopCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                        v1::LegalCase* resp) override;
  grpc::Status ReportCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                          v1::LegalCase* resp) override;
  grpc::Status EscalateCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                            v1::LegalCase* resp) override;
  grpc::Status ResolveCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                           v1::LegalCase* resp) override;
  grpc::Status AcknowledgeCase(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                               v1::LegalCase* resp) override;
  grpc::Status RecordBureauAction(grpc::ServerContext* ctx, const v1::LegalStepRequest* req,
                                  v1::LegalCase* resp) override;
  grpc::Status CloseCase(grpc::ServerContext* ctx, const v1::CloseCaseRequest* req,
                         v1::LegalCase* resp) override;
  grpc::Status GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* req,
                       v1::LegalCase* resp) override;
  grpc::Status ListCases(grpc::ServerContext* ctx, const v1::ListCasesRequest* req,
                         v1::ListCasesResponse* resp) override;

 private:
  grpc::Status Step(grpc::ServerContext* ctx, const char* method, domain::LegalAction action,
                    const v1::LegalStepRequest& req, v1::LegalCase* resp);

  storage::Store& store_;
  const Authenticator& auth_;
  const LegalCommands& commands_;
};

class GrpcHardProblemService final : public v1::HardProblemService::Service {
 public:
  GrpcHardProblemService(storage::Store& store, const Authenticator& auth,
                         const LegalCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status ReportProblem(grpc::ServerContext* ctx, const v1::ReportProblemRequest* req,
                             v1::HardProblem* resp) override;
  grpc::Status AnswerProblem(grpc::ServerContext* ctx, const v1::AnswerProblemRequest* req,
                             v1::HardProblem* resp) override;
  grpc::Status GetProblem(grpc::ServerContext* ctx, const v1::GetProblemRequest* req,
                          v1::HardProblem* resp) override;
  grpc::Status ListProblems(grpc::ServerContext* ctx, const v1::ListProblemsRequest* req,
                            v1::ListProblemsResponse* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const LegalCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_LEGAL_SERVICE_H_
