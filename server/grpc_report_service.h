// The gRPC adapter of ReportService (proto/rectify/v1/report_service.proto):
// a few lines per method; the logic is in server/report_commands.h, the proto
// conversion in grpc_report_service.cc.
#ifndef RECTIFY_SERVER_GRPC_REPORT_SERVICE_H_
#define RECTIFY_SERVER_GRPC_REPORT_SERVICE_H_

#include "rectify/v1/report_service.grpc.pb.h"
#include "server/auth.h"
#include "server/report_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcReportService final : public v1::ReportService::Service {
 public:
  GrpcReportService(storage::Store& store, const Authenticator& auth,
                    const ReportCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status GetMetrics(grpc::ServerContext* ctx, const v1::GetMetricsRequest* req,
                          v1::MetricsReport* resp) override;
  grpc::Status DrillDown(grpc::ServerContext* ctx, const v1::DrillDownRequest* req,
                         v1::DrillDownResponse* resp) override;
  grpc::Status GetWeeklySummary(grpc::ServerContext* ctx, const v1::GetWeeklySummaryRequest* req,
                                v1::WeeklySummary* resp) override;
  grpc::Status GetMonthlyBulletin(grpc::ServerContext* ctx,
                                  const v1::GetMonthlyBulletinRequest* req,
                                  v1::MonthlyBulletin* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const ReportCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_REPORT_SERVICE_H_
