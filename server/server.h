// Assembles the gRPC server: the API services, health checking and
// server reflection, over a store, a clock and the city's rules. Used by
// server_main.cc and by tests that start a real server in-process.
//
//   RECTIFY_ASSIGN_OR_RETURN(auto server, RectifyServer::Start(options, store, clock, rules));
//   ... server->port() ...
//   server->Shutdown(absl::Seconds(5));
#ifndef RECTIFY_SERVER_SERVER_H_
#define RECTIFY_SERVER_SERVER_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/accountability_commands.h"
#include "server/auth.h"
#include "server/campaign_commands.h"
#include "server/clock.h"
#include "server/directory_commands.h"
#include "server/event_feed.h"
#include "server/call_guard.h"
#include "server/grpc_accountability_service.h"
#include "server/grpc_audit_service.h"
#include "server/grpc_campaign_service.h"
#include "server/grpc_directory_service.h"
#include "server/grpc_legal_service.h"
#include "server/grpc_plan_service.h"
#include "server/grpc_report_service.h"
#include "server/grpc_task_service.h"
#include "server/grpc_volunteer_service.h"
#include "server/inspection_commands.h"
#include "server/legal_commands.h"
#include "server/letter_commands.h"
#include "server/plan_commands.h"
#include "server/report_commands.h"
#include "server/scheduler.h"
#include "server/task_commands.h"
#include "server/volunteer_commands.h"
#include "storage/store.h"

namespace rectify::server {

struct ServerOptions {
  // host:port; port 0 picks a free one (see port()).
  std::string listen_address = "127.0.0.1:7443";
  std::string default_time_zone = "Asia/Shanghai";
  // The largest request or reply, in bytes; larger ones are refused with
  // RESOURCE_EXHAUSTED before any handler runs.
  int max_message_bytes = 4 << 20;

  // TLS: PEM file paths. With cert and key set the server speaks TLS only;
  // with client_ca set too, every client must present a certificate signed
  // by that CA (mutual TLS). All empty: plaintext (meant for loopback).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;

  // Per-person rate limit (see RateLimit); per_second 0: none.
  RateLimit rate_limit;

  // Connection limits (gRPC channel arguments); 0 leaves gRPC's default.
  int max_concurrent_streams = 100;           // calls at once on one connection
  absl::Duration keepalive_time = absl::Hours(2);      // ping an idle client this often
  absl::Duration keepalive_timeout = absl::Seconds(20);  // and drop it if no answer by then
  // Clients may ping at most this often; faster pingers are disconnected.
  absl::Duration min_client_ping_interval = absl::Minutes(1);
  absl::Duration max_connection_idle = absl::Minutes(30);  // close idle connections
  absl::Duration max_connection_age = absl::ZeroDuration();  // 0: connections live on
  // Both for the synchronous services only (every one but the task service,
  // which is on gRPC's callback API and runs on gRPC's own threads).
  int max_threads = 0;  // threads serving calls, all connections together; 0: gRPC's default
  // Idle threads kept waiting for calls. gRPC's synchronous server starts a
  // thread when every waiting one has taken a call, and ends a thread whose
  // call is done if more than this many are waiting: with gRPC's default (2),
  // 64 calls in flight meant a thread created and destroyed per call.
  int max_pollers = 64;
  // How often the scheduler moves campaigns along their dates; zero: never
  // on its own (tests call scheduler().RunOnce()).
  absl::Duration scheduler_period = absl::Minutes(1);
  // Calls in flight beyond this are refused at once with RESOURCE_EXHAUSTED
  // (server/admission.h); 0: no cap.
  int max_inflight_calls = 0;
};

class RectifyServer {
 public:
  // Starts serving. `store`, `clock` and `rules` must outlive the server.
  // kUnavailable if the address cannot be bound; kInvalidArgument naming the
  // option if a TLS file cannot be read or only one of cert and key is set.
  static absl::StatusOr<std::unique_ptr<RectifyServer>> Start(const ServerOptions& options,
                                                              storage::Store& store,
                                                              const Clock& clock,
                                                              const Rules& rules);
  ~RectifyServer();

  int port() const { return port_; }
  Scheduler& scheduler() { return scheduler_; }
  // Stops accepting calls, lets calls in flight finish for up to `grace`,
  // then cancels the rest. Idempotent.
  void Shutdown(absl::Duration grace);
  // Blocks until the server has shut down.
  void Wait();

 private:
  RectifyServer(storage::Store& store, const Clock& clock, const Rules& rules,
                const ServerOptions& options);

  EventHub hub_;
  NotifyingStore store_;  // every service writes through it, so the feed hears of each commit
  Authenticator auth_;
  TaskCommands task_commands_;
  DirectoryCommands directory_commands_;
  CampaignCommands campaign_commands_;
  InspectionCommands inspection_commands_;
  AccountabilityCommands accountability_commands_;
  LegalCommands legal_commands_;
  LetterCommands letter_commands_;
  PlanCommands plan_commands_;
  VolunteerCommands volunteer_commands_;
  ReportCommands report_commands_;
  GrpcTaskService task_service_;
  GrpcDirectoryService directory_service_;
  GrpcIdentityService identity_service_;
  GrpcCampaignService campaign_service_;
  GrpcInspectionService inspection_service_;
  GrpcEventService event_service_;
  GrpcAccountabilityService accountability_service_;
  GrpcLegalService legal_service_;
  GrpcHardProblemService hard_problem_service_;
  GrpcPlanService plan_service_;
  GrpcVolunteerService volunteer_service_;
  GrpcAuditService audit_service_;
  GrpcReportService report_service_;
  Scheduler scheduler_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SERVER_H_
