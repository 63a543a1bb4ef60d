// The VolunteerService adapter: identify the caller, convert (the conversions
// for this service live in the .cc), and run VolunteerCommands (mutations once
// per request_id, via RunOnce).
#ifndef RECTIFY_SERVER_GRPC_VOLUNTEER_SERVICE_H_
#define RECTIFY_SERVER_GRPC_VOLUNTEER_SERVICE_H_

#include "rectify/v1/volunteer_service.grpc.pb.h"
#include "server/auth.h"
#include "server/volunteer_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcVolunteerService final : public v1::VolunteerService::Service {
 public:
  GrpcVolunteerService(storage::Store& store, const Authenticator& auth,
                       const VolunteerCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status AssignVolunteer(grpc::ServerContext* ctx, const v1::AssignVolunteerRequest* req,
                               v1::VolunteerAssignment* resp) override;
  grpc::Status EndAssignment(grpc::ServerContext* ctx, const v1::EndAssignmentRequest* req,
                             v1::VolunteerAssignment* resp) override;
  grpc::Status ListAssignments(grpc::ServerContext* ctx, const v1::ListAssignmentsRequest* req,
                               v1::ListAssignmentsResponse* resp) override;
  grpc::Status ReportProblem(grpc::ServerContext* ctx,
                             const v1::ReportSupervisionProblemRequest* req,
                             v1::ReportSupervisionProblemResponse* resp) override;
  grpc::Status RecordOnSiteCheck(grpc::ServerContext* ctx,
                                 const v1::RecordOnSiteCheckRequest* req,
                                 v1::SupervisionReport* resp) override;
  grpc::Status ListSupervisionReports(grpc::ServerContext* ctx,
                                      const v1::ListSupervisionReportsRequest* req,
                                      v1::ListSupervisionReportsResponse* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const VolunteerCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_VOLUNTEER_SERVICE_H_
