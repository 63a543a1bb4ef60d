#include "server/grpc_util.h"

#include <chrono>
#include <memory>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/admission.h"

namespace rectify::server {
namespace {

// Hash of the request without its request_id, deterministic across runs.
std::string Fingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::FieldDescriptor* field =
      copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return HashToken(bytes);
}

std::mutex& HookMutex() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}
std::function<void(absl::string_view)>& Hook() {
  static auto* hook = new std::function<void(absl::string_view)>;
  return *hook;
}

void RunHook(absl::string_view method) {
  std::function<void(absl::string_view)> hook;
  {
    std::lock_guard<std::mutex> lock(HookMutex());
    hook = Hook();
  }
  if (hook) hook(method);
}

// "task" -> "tasks", "community" -> "communities", "person" -> "people".
std::string Plural(absl::string_view thing) {
  if (thing == "person") return "people";
  if (absl::EndsWith(thing, "y")) return absl::StrCat(thing.substr(0, thing.size() - 1), "ies");
  return absl::StrCat(thing, "s");
}

// "ipv4:127.0.0.1:53412" -> "ipv4:127.0.0.1"; "ipv6:[::1]:53412" -> "ipv6:[::1]".
std::string PeerHost(const std::string& peer) {
  const size_t colon = peer.rfind(':');
  const size_t scheme = peer.find(':');
  if (colon == std::string::npos || colon == scheme) return peer;
  return peer.substr(0, colon);
}

absl::Status GoneError() {
  return absl::CancelledError(
      "the caller went away (deadline passed or call cancelled) before this change was saved; "
      "nothing was written");
}

}  // namespace

void SetBeforeCommitHookForTesting(std::function<void(absl::string_view method)> hook) {
  std::lock_guard<std::mutex> lock(HookMutex());
  Hook() = std::move(hook);
}

absl::StatusOr<int> PageSize(int page_size, int default_size) {
  if (page_size == 0) return default_size;
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("'page_size' is ", page_size, "; it must be 1..",
                                                   kMaxPageSize, " (0: ", default_size, ")"));
  }
  return page_size;
}

std::string ResourceOf(const google::protobuf::Message& request) {
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    const std::string& name = field->name();
    if (name != "name" && name != "id" && !absl::EndsWith(name, "_id")) continue;
    if (name == "request_id") continue;
    const std::string value = reflection->GetString(request, field);
    if (value.empty()) continue;
    if (name == "name" || name == "id") return value;
    return absl::StrCat(Plural(absl::StripSuffix(name, "_id")), "/", value);
  }
  return "";
}

absl::Status Audit(storage::WriteTx& tx, const Principal& who, absl::string_view method,
                   const google::protobuf::Message& request, absl::string_view request_id,
                   const absl::Status& result) {
  storage::AuditRecord record;
  record.time = who.time;
  record.principal = who.person.id;
  record.token_id = who.token_id();
  record.method = std::string(method);
  record.resource = ResourceOf(request);
  record.request_id = std::string(request_id);
  record.code = static_cast<int>(result.code());
  record.message = std::string(result.message());
  return tx.AppendAudit(record);
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::StatusOr<Principal> Identify(const Authenticator& auth, const grpc::ServerContextBase& ctx) {
  const auto& metadata = ctx.client_metadata();
  RECTIFY_RETURN_IF_ERROR(CheckAdmitted(metadata));
  auto it = metadata.find("authorization");
  absl::StatusOr<Principal> who =
      auth.Identify(it == metadata.end() ? absl::string_view()
                                         : absl::string_view(it->second.data(), it->second.size()));
  absl::Duration retry_after;
  absl::Status admitted = who.ok() ? auth.Admit(*who, &retry_after)
                                   : auth.AdmitUnidentified(PeerHost(ctx.peer()), &retry_after);
  if (!admitted.ok()) {
    // The adapters hold the context as const because they only read it; the
    // retry hint is the one thing written to it. gRPC owns a mutable object.
    const_cast<grpc::ServerContextBase&>(ctx).AddTrailingMetadata(
        "retry-after-ms", std::to_string(absl::ToInt64Milliseconds(retry_after)));
    return admitted;
  }
  if (!who.ok()) return who;
  who->cancelled = [&ctx] { return ctx.IsCancelled(); };
  // The deadline the client set, in gRPC's own (system) clock: transport
  // time, not the campaign's.
  who->past_deadline = [&ctx] { return std::chrono::system_clock::now() >= ctx.deadline(); };
  return who;
}

namespace {

// The one write transaction of RunOnce: the command at most once per request
// id, its audit row, its stored answer. It keeps what it needs but `request`
// and `response`.
absl::StatusOr<std::function<absl::Status(storage::WriteTx&)>> OnceWrite(
    std::shared_ptr<const Principal> who, absl::string_view method,
    const google::protobuf::Message& request, absl::string_view request_id,
    google::protobuf::Message* response, std::function<absl::Status(storage::WriteTx&)> body) {
  if (who->has_gone()) return GoneError();
  // The command, then its audit row, then a last look at the caller.
  auto run_and_record = [who, method = std::string(method), &request,
                         request_id = std::string(request_id),
                         body = std::move(body)](storage::WriteTx& tx) -> absl::Status {
    RECTIFY_RETURN_IF_ERROR(body(tx));
    RECTIFY_RETURN_IF_ERROR(Audit(tx, *who, method, request, request_id, absl::OkStatus()));
    RunHook(method);
    if (who->has_timed_out()) return GoneError();
    return absl::OkStatus();
  };
  if (request_id.empty()) return run_and_record;
  if (request_id.size() > 128) {
    return absl::InvalidArgumentError("'request_id' is longer than 128 bytes; use a UUID");
  }
  return [who, method = std::string(method), request_id = std::string(request_id),
          fingerprint = Fingerprint(request), response,
          run_and_record = std::move(run_and_record)](storage::WriteTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::optional<storage::StoredResponse> first,
                             tx.LookupRequest(who->person.id, request_id));
    if (first.has_value()) {
      if (first->method != method || first->fingerprint != fingerprint) {
        return absl::InvalidArgumentError(absl::StrCat(
            "'request_id' \"", request_id, "\" was already used for a different ", first->method,
            " request; a retry must repeat the request exactly, a new request "
            "needs a new request_id"));
      }
      if (!response->ParseFromString(first->response)) {
        return absl::DataLossError("the stored answer to this request cannot be read");
      }
      return absl::OkStatus();
    }
    RECTIFY_RETURN_IF_ERROR(run_and_record(tx));
    storage::StoredResponse stored;
    stored.method = method;
    stored.fingerprint = fingerprint;
    stored.response = response->SerializeAsString();
    return tx.SaveRequest(who->person.id, request_id, stored);
  };
}

}  // namespace

absl::Status RunOnce(storage::Store& store, const Principal& who, absl::string_view method,
                     const google::protobuf::Message& request, absl::string_view request_id,
                     google::protobuf::Message* response,
                     const std::function<absl::Status(storage::WriteTx&)>& body) {
  RECTIFY_ASSIGN_OR_RETURN(std::function<absl::Status(storage::WriteTx&)> write,
                           OnceWrite(std::make_shared<const Principal>(who), method, request,
                                     request_id, response, body));
  return store.Write(write);
}

grpc::ServerUnaryReactor* RunOnceThenAnswer(grpc::CallbackServerContext* ctx, storage::Store& store,
                                            std::shared_ptr<const Principal> who,
                                            absl::string_view method,
                                            const google::protobuf::Message& request,
                                            absl::string_view request_id,
                                            google::protobuf::Message* response,
                                            std::function<absl::Status(storage::WriteTx&)> body) {
  absl::StatusOr<std::function<absl::Status(storage::WriteTx&)>> write =
      OnceWrite(std::move(who), method, request, request_id, response, std::move(body));
  if (!write.ok()) return Answer(ctx, write.status());
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  store.WriteAsync(*std::move(write),
                   [reactor](absl::Status status) { reactor->Finish(ToGrpc(status)); });
  return reactor;
}

grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx, const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx, const absl::Status& status) {
  return Answer(ctx, ToGrpc(status));
}

}  // namespace rectify::server
