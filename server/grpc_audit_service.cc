#include "server/grpc_audit_service.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

constexpr absl::string_view kCursorPrefix = "audit:";

std::string MakeCursor(int64_t seq) {
  return absl::WebSafeBase64Escape(absl::StrCat(kCursorPrefix, seq));
}

absl::StatusOr<int64_t> ParseCursor(absl::string_view token) {
  std::string decoded;
  int64_t seq = 0;
  absl::string_view raw;
  if (absl::WebSafeBase64Unescape(token, &decoded)) raw = decoded;
  if (!absl::ConsumePrefix(&raw, kCursorPrefix) || !absl::SimpleAtoi(raw, &seq) || seq <= 0) {
    return absl::InvalidArgumentError(
        "'page_token' is not one this server gave out; pass next_page_token unchanged");
  }
  return seq;
}

void AuditToProto(const storage::AuditRecord& a, v1::AuditRecord* out) {
  out->set_seq(a.seq);
  ToProto(a.time, out->mutable_time());
  out->set_principal(a.principal);
  out->set_token_id(a.token_id);
  out->set_method(a.method);
  out->set_resource(a.resource);
  out->set_request_id(a.request_id);
  out->set_code(a.code);
  out->set_message(a.message);
}

}  // namespace

grpc::Status GrpcAuditService::ListAudit(grpc::ServerContext* ctx,
                                         const v1::ListAuditRequest* req,
                                         v1::ListAuditResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  if (!who.is_supervisor()) {
    return ToGrpc(absl::PermissionDeniedError(absl::StrCat(
        "'", who.person.id, "' may not read the audit trail; supervisors and admins may")));
  }
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size(), 100));
  storage::AuditFilter filter;
  filter.principal = req->principal();
  filter.method = req->method();
  filter.resource = req->resource();
  if (req->has_start_time()) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(filter.from, FromProto(req->start_time(), "start_time", absl::InfinitePast()));
  }
  if (req->has_end_time()) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(filter.to, FromProto(req->end_time(), "end_time", absl::InfiniteFuture()));
  }
  if (!req->page_token().empty()) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(filter.before_seq, ParseCursor(req->page_token()));
  }
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<storage::AuditRecord> rows, tx.ListAudit(filter, limit));
    for (const storage::AuditRecord& row : rows) AuditToProto(row, resp->add_records());
    // A full page may be followed by more (or by an empty last page).
    if (static_cast<int>(rows.size()) == limit) {
      resp->set_next_page_token(MakeCursor(rows.back().seq));
    }
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
