// A server interceptor that every call passes through: it records refused
// calls (UNAUTHENTICATED, PERMISSION_DENIED) in the audit trail, in a small
// write of their own since the refused command wrote nothing (the answer goes
// out once that write has committed; no thread waits for it), and it turns a
// request that cannot be parsed (invalid UTF-8 in a string field, malformed
// bytes) from gRPC's INTERNAL (UNIMPLEMENTED on the callback API) into
// INVALID_ARGUMENT naming the message.
//
//   std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
//   f.push_back(std::make_unique<CallGuardFactory>(store, clock));
//   builder.experimental().SetInterceptorCreators(std::move(f));
#ifndef RECTIFY_SERVER_CALL_GUARD_H_
#define RECTIFY_SERVER_CALL_GUARD_H_

#include <grpcpp/support/server_interceptor.h>

#include "server/clock.h"
#include "storage/store.h"

namespace rectify::server {

class CallGuardFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `store` and `clock` must outlive the server.
  CallGuardFactory(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CALL_GUARD_H_
