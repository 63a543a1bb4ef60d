// Load shedding at the gRPC edge: a server-wide cap on calls in flight.
//
//   builder.experimental().SetInterceptorCreators(MakeAdmission(256));
//
// Every call is counted from its start to its end (a following event stream
// counts while it is open). A call beyond the cap is marked in its received
// metadata, and Identify() (server/grpc_util.h), which every API method calls
// first, refuses it at once with RESOURCE_EXHAUSTED and a message saying so,
// before any work or store access. Health checks and reflection are counted
// but never refused. When load drops, calls are admitted again.
#ifndef RECTIFY_SERVER_ADMISSION_H_
#define RECTIFY_SERVER_ADMISSION_H_

#include <memory>
#include <vector>

#include <grpcpp/support/server_interceptor.h>

#include "absl/status/status.h"

namespace rectify::server {

// The interceptor factories that enforce `max_inflight` (> 0) calls in flight.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAdmission(int max_inflight);

// OK, or RESOURCE_EXHAUSTED if the admission control refused this call.
absl::Status CheckAdmitted(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ADMISSION_H_
