#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "server/admission.h"

namespace rectify::server {

RectifyServer::RectifyServer(storage::Store& store, const Clock& clock, const Rules& rules,
                             const ServerOptions& options)
    : store_(store, hub_),
      auth_(store_, clock, options.rate_limit),
      task_commands_(clock, rules),
      directory_commands_(clock, options.default_time_zone, rules.standards),
      campaign_commands_(clock, rules, task_commands_),
      inspection_commands_(clock, rules, task_commands_),
      accountability_commands_(clock, rules),
      legal_commands_(clock, rules),
      letter_commands_(clock),
      plan_commands_(clock),
      volunteer_commands_(clock, task_commands_),
      report_commands_(clock, rules.assessment),
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
      volunteer_service_(store_, auth_, volunteer_commands_),
      audit_service_(store_, auth_),
      report_service_(store_, auth_, report_commands_),
      scheduler_(store_, campaign_commands_, accountability_commands_, legal_commands_) {}

namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view option) {
  absl::StatusOr<std::string> text = common::ReadFileToString(path, "PEM file");
  if (!text.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("'", option, "': ", text.status().message()));
  }
  return text;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "'tls_client_ca' needs 'tls_cert' and 'tls_key': mutual TLS is TLS first");
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    return absl::InvalidArgumentError("'tls_cert' and 'tls_key' go together: set both or neither");
  }
  grpc::SslServerCredentialsOptions ssl(
      options.tls_client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  RECTIFY_ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(options.tls_cert_file, "tls_cert"));
  RECTIFY_ASSIGN_OR_RETURN(pair.private_key, ReadPem(options.tls_key_file, "tls_key"));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_file.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                             ReadPem(options.tls_client_ca_file, "tls_client_ca"));
  }
  return grpc::SslServerCredentials(ssl);
}

int Millis(absl::Duration d) {
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(d), INT32_MAX));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RectifyServer>> RectifyServer::Start(const ServerOptions& options,
                                                                    storage::Store& store,
                                                                    const Clock& clock,
                                                                    const Rules& rules) {
  RECTIFY_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                           MakeCredentials(options));
  std::unique_ptr<RectifyServer> server(new RectifyServer(store, clock, rules, options));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  if (options.max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  }
  if (options.keepalive_time > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(options.keepalive_time));
  }
  if (options.keepalive_timeout > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(options.keepalive_timeout));
  }
  // Idle clients may keep their connection alive with pings, but not often.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  if (options.min_client_ping_interval > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                               Millis(options.min_client_ping_interval));
  }
  if (options.max_connection_idle > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                               Millis(options.max_connection_idle));
  }
  if (options.max_connection_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, Millis(options.max_connection_age));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, Millis(absl::Seconds(30)));
  }
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              options.max_pollers);
  if (options.max_threads > 0) {
    grpc::ResourceQuota quota("rectify");
    quota.SetMaxThreads(options.max_threads);
    builder.SetResourceQuota(quota);
  }
  // One list: gRPC keeps only the last one it is given. Admission control
  // first, so that a call it refuses is still seen, and audited, by the guard.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  if (options.max_inflight_calls > 0) interceptors = MakeAdmission(options.max_inflight_calls);
  interceptors.push_back(std::make_unique<CallGuardFactory>(server->store_, clock));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
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
  builder.RegisterService(&server->volunteer_service_);
  builder.RegisterService(&server->audit_service_);
  builder.RegisterService(&server->report_service_);
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
