// The gRPC adapter of AuditService: the audit trail, read-only, for
// supervisors and admins.
#ifndef RECTIFY_SERVER_GRPC_AUDIT_SERVICE_H_
#define RECTIFY_SERVER_GRPC_AUDIT_SERVICE_H_

#include "rectify/v1/audit_service.grpc.pb.h"
#include "server/auth.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcAuditService final : public v1::AuditService::Service {
 public:
  GrpcAuditService(storage::Store& store, const Authenticator& auth) : store_(store), auth_(auth) {}

  // PERMISSION_DENIED for callers who are not supervisors or admins;
  // INVALID_ARGUMENT naming 'page_size', 'page_token' or a time field.
  grpc::Status ListAudit(grpc::ServerContext* ctx, const v1::ListAuditRequest* req,
                         v1::ListAuditResponse* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_AUDIT_SERVICE_H_
