#include "server/grpc_util.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "server/admission.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

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

}  // namespace

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::StatusOr<Principal> Identify(const Authenticator& auth, const grpc::ServerContext& ctx) {
  const auto& metadata = ctx.client_metadata();
  RECTIFY_RETURN_IF_ERROR(CheckAdmitted(metadata));
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return auth.Identify("");
  return auth.Identify(absl::string_view(it->second.data(), it->second.size()));
}

absl::Status RunOnce(storage::Store& store, const Principal& who, absl::string_view method,
                     const google::protobuf::Message& request, absl::string_view request_id,
                     google::protobuf::Message* response,
                     const std::function<absl::Status(storage::WriteTx&)>& body) {
  if (request_id.empty()) return store.Write(body);
  if (request_id.size() > 128) {
    return absl::InvalidArgumentError("'request_id' is longer than 128 bytes; use a UUID");
  }
  const std::string fingerprint = Fingerprint(request);
  return store.Write([&](storage::WriteTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::optional<storage::StoredResponse> first,
                             tx.LookupRequest(who.person.id, request_id));
    if (first.has_value()) {
      if (first->method != method || first->fingerprint != fingerprint) {
        return absl::InvalidArgumentError(absl::StrCat(
            "'request_id' \"", request_id, "\" was already used for a different ",
            first->method, " request; a retry must repeat the request exactly, a new request "
            "needs a new request_id"));
      }
      if (!response->ParseFromString(first->response)) {
        return absl::DataLossError("the stored answer to this request cannot be read");
      }
      return absl::OkStatus();
    }
    RECTIFY_RETURN_IF_ERROR(body(tx));
    storage::StoredResponse stored;
    stored.method = std::string(method);
    stored.fingerprint = fingerprint;
    stored.response = response->SerializeAsString();
    return tx.SaveRequest(who.person.id, request_id, stored);
  });
}

}  // namespace rectify::server
