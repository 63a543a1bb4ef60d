// The gRPC edge: status conversion (once, in each direction), the caller's
// identity from metadata, and exactly-once execution of mutating calls keyed
// by (caller, request_id).
#ifndef RECTIFY_SERVER_GRPC_UTIL_H_
#define RECTIFY_SERVER_GRPC_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "server/auth.h"
#include "storage/store.h"

namespace rectify::server {

// absl and gRPC share the numeric codes; the message passes unchanged.
grpc::Status ToGrpc(const absl::Status& status);

// The caller, from its "authorization" metadata, counted against its rate
// limit. kUnauthenticated as Authenticator::Identify; kResourceExhausted when
// the caller is over its limit (failed identifications count against their
// peer address), with a "retry-after-ms" trailing metadata
// entry (decimal milliseconds) besides the message. The principal's
// `cancelled` reports whether this call's caller has gone.
absl::StatusOr<Principal> Identify(const Authenticator& auth, const grpc::ServerContextBase& ctx);

// The largest page any List method returns; larger page sizes are refused.
inline constexpr int kMaxPageSize = 1000;
// A request's page_size checked: 0 gives `default_size`; 1..kMaxPageSize is
// kept; anything else is kInvalidArgument naming 'page_size'.
absl::StatusOr<int> PageSize(int page_size, int default_size);

// What a request acts on, for the audit trail: "tasks/T-3" from its first set
// "<thing>_id" field ("name" verbatim, "id" as is), or "" when it names none.
std::string ResourceOf(const google::protobuf::Message& request);

// Appends the audit row of a call by `who` (see storage::AuditRecord).
absl::Status Audit(storage::WriteTx& tx, const Principal& who, absl::string_view method,
                   const google::protobuf::Message& request, absl::string_view request_id,
                   const absl::Status& result);

// Test hook: if set, called inside every RunOnce transaction after the command
// ran and before the commit (tests slow a write down with it to let the
// caller's deadline pass). nullptr removes it.
void SetBeforeCommitHookForTesting(std::function<void(absl::string_view method)> hook);

// Runs `body` in one write transaction, at most once per (caller, request_id):
// a retry with the same id and the same request returns the stored first
// answer in `response` and changes nothing; the same id with a different
// request is kInvalidArgument. An empty request_id runs `body` every time.
// `body` fills `response`; errors roll everything back and are not stored.
// What commits carries its audit row (time, who, token, method, resource,
// request_id). kCancelled, writing nothing, when the caller has gone before
// the commit.
absl::Status RunOnce(storage::Store& store, const Principal& who, absl::string_view method,
                     const google::protobuf::Message& request, absl::string_view request_id,
                     google::protobuf::Message* response,
                     const std::function<absl::Status(storage::WriteTx&)>& body);

// RunOnce for a unary method on gRPC's callback API, holding no thread while
// the write waits for its commit: returns the call's reactor, which is
// finished with what RunOnce would have returned once the write has committed
// (on another thread, or before this returns). `request` and `response` are
// the call's own and live until then; `who` and `body` are kept until then.
grpc::ServerUnaryReactor* RunOnceThenAnswer(grpc::CallbackServerContext* ctx, storage::Store& store,
                                            std::shared_ptr<const Principal> who,
                                            absl::string_view method,
                                            const google::protobuf::Message& request,
                                            absl::string_view request_id,
                                            google::protobuf::Message* response,
                                            std::function<absl::Status(storage::WriteTx&)> body);

// For a unary method on gRPC's callback API: the call answered at once.
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx, const absl::Status& status);
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx, const grpc::Status& status);

}  // namespace rectify::server

#define RECTIFY_GRPC_CONCAT_INNER_(a, b) a##b
#define RECTIFY_GRPC_CONCAT_(a, b) RECTIFY_GRPC_CONCAT_INNER_(a, b)

// In a gRPC method: evaluates an absl::StatusOr, returns its error as a
// grpc::Status, or assigns the value.
#define RECTIFY_GRPC_ASSIGN_OR_RETURN(lhs, rexpr) \
  RECTIFY_GRPC_ASSIGN_OR_RETURN_IMPL_(RECTIFY_GRPC_CONCAT_(rectify_grpc_or_, __LINE__), lhs, rexpr)
#define RECTIFY_GRPC_ASSIGN_OR_RETURN_IMPL_(var, lhs, rexpr)     \
  auto var = (rexpr);                                            \
  if (!var.ok()) return ::rectify::server::ToGrpc(var.status()); \
  lhs = std::move(var).value()

#endif  // RECTIFY_SERVER_GRPC_UTIL_H_
