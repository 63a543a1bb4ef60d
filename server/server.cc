#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "server/admission.h"

namespace rectify::server {

RectifyServer::RectifyServer(storage::Store& store, const Clock& clock, const Rules& rules,
                             const ServerOptions& options)
    : store_(store, hub_),
      auth_(store_, clock),
      task_commands_(clock, rules),
      directory_commands_(clock, options.default_time_zone, rules.standards),
      campaign_commands_(clock, rules, task_commands_),
      inspection_commands_(clock, rules, task_commands_),
      accountability_commands_(clock, rules),
      legal_commands_(clock, rules),
      letter_commands_(clock),
      plan_commands_(clock),
      task_service_(store_, auth_, task_commands_),
      directory_service_(store_, auth_, directory_commands_),
      identity_service_(store_, auth_, directory_commands_),
      campaign_service_(store_, auth_, campaign_commands_, task_commands_),
      inspection_service_(store_, auth_, inspection_commands_, rules.standards),
      event_service_(store_, auth_, hub_),
      accountability_service_(store_, auth_, accountability_commands_),
      legal_service_(store_, auth_, legal_commands_),
      hard_problem_service_(store_, auth_, legal_commands_),
      plan_service_(store_, auth_, letter_commands_, plan_commands_),
      scheduler_(store_, campaign_commands_, accountability_commands_, legal_commands_) {}

absl::StatusOr<std::unique_ptr<RectifyServer>> RectifyServer::Start(const ServerOptions& options,
                                                                    storage::Store& store,
                                                                    const Clock& clock,
                                                                    const Rules& rules) {
  std::unique_ptr<RectifyServer> server(new RectifyServer(store, clock, rules, options));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, grpc::InsecureServerCredentials(),
                           &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(&server->task_service_);
  builder.RegisterService(&server->directory_service_);
  builder.RegisterService(&server->identity_service_);
  builder.RegisterService(&server->campaign_service_);
  builder.RegisterService(&server->inspection_service_);
  builder.RegisterService(&server->event_service_);
  builder.RegisterService(&server->accountability_service_);
  builder.RegisterService(&server->legal_service_);
  builder.RegisterService(&server->hard_problem_service_);
  builder.RegisterService(&server->plan_service_);
  if (options.max_inflight_calls > 0) {
    builder.experimental().SetInterceptorCreators(MakeAdmission(options.max_inflight_calls));
  }
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen_address,
        ": the address is taken or invalid; pick another with --listen"));
  }
  if (options.scheduler_period > absl::ZeroDuration()) {
    server->scheduler_.Start(options.scheduler_period);
  }
  return server;
}

RectifyServer::~RectifyServer() { Shutdown(absl::ZeroDuration()); }

void RectifyServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  scheduler_.Stop();
  hub_.Shutdown();  // following event streams end, so the calls in flight can finish
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoSeconds(grace));
  server_->Wait();
}

void RectifyServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace rectify::server
