#include "server/call_guard.h"

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"
#include "server/auth.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// "/rectify.v1.TaskService/DispatchTask" -> "DispatchTask".
absl::string_view ShortMethod(absl::string_view full) {
  const size_t slash = full.rfind('/');
  return slash == absl::string_view::npos ? full : full.substr(slash + 1);
}

class CallGuard final : public grpc::experimental::Interceptor {
 public:
  CallGuard(grpc::experimental::ServerRpcInfo* info, storage::Store& store, const Clock& clock)
      : method_(info->method() == nullptr ? "" : info->method()), store_(store), clock_(clock) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      if (metadata != nullptr) {
        auto it = metadata->find("authorization");
        if (it != metadata->end()) authorization_.assign(it->second.data(), it->second.size());
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // The generated services deserialize into protobuf messages; null when
      // the bytes could not be parsed.
      const auto* request = static_cast<const google::protobuf::Message*>(methods->GetRecvMessage());
      if (request == nullptr) {
        unparsable_ = true;
      } else if (!seen_message_) {
        seen_message_ = true;
        resource_ = ResourceOf(*request);
        const auto* field = request->GetDescriptor()->FindFieldByName("request_id");
        if (field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
            !field->is_repeated()) {
          request_id_ = request->GetReflection()->GetString(*request, field);
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // The synchronous API answers a request it cannot parse with INTERNAL,
      // the callback API with an empty UNIMPLEMENTED.
      if (unparsable_ && (status.error_code() == grpc::StatusCode::INTERNAL ||
                          status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request to ", ShortMethod(method_),
                         " cannot be read: a text field holds invalid UTF-8 (text must be UTF-8)"
                         " or the message is malformed")));
      } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
                 status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
        // The answer goes out once the refusal is on record, and no thread
        // waits for that commit: a refused task command is answered from the
        // store's completion thread, which must not stall the others' answers.
        store_.WriteAsync(
            [record = RefusalRecord(status)](storage::WriteTx& tx) mutable {
              return tx.AppendAudit(record);
            },
            [methods, method = std::string(ShortMethod(method_))](absl::Status written) {
              if (!written.ok()) {
                RECTIFY_LOG(WARNING) << "cannot record the refused " << method
                                     << " call in the audit trail: " << written.message();
              }
              methods->Proceed();  // may end the call and this interceptor with it
            });
        return;
      }
    }
    methods->Proceed();
  }

 private:
  storage::AuditRecord RefusalRecord(const grpc::Status& status) {
    storage::AuditRecord record;
    record.time = clock_.Now();
    record.method = std::string(ShortMethod(method_));
    record.resource = resource_;
    record.request_id = request_id_;
    record.code = static_cast<int>(status.error_code());
    record.message = status.error_message();
    constexpr absl::string_view kBearer = "bearer ";
    if (authorization_.size() > kBearer.size() &&
        absl::StartsWithIgnoreCase(authorization_, kBearer)) {
      const std::string hash = HashToken(
          absl::StripAsciiWhitespace(absl::string_view(authorization_).substr(kBearer.size())));
      record.token_id = TokenId(hash);
      // Who holds the token, if anyone: a refused call of a known person is
      // theirs even when the token is expired or revoked.
      (void)store_.Read([&](storage::ReadTx& tx) -> absl::Status {
        RECTIFY_ASSIGN_OR_RETURN(storage::TokenRecord token, tx.GetToken(hash));
        record.principal = token.person_id;
        return absl::OkStatus();
      });
    }
    return record;
  }

  const std::string method_;
  storage::Store& store_;
  const Clock& clock_;
  std::string authorization_;
  std::string resource_;
  std::string request_id_;
  bool seen_message_ = false;
  bool unparsable_ = false;
};

}  // namespace

grpc::experimental::Interceptor* CallGuardFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallGuard(info, store_, clock_);
}

}  // namespace rectify::server
