// Fuzz target: bytes parsed as the requests that carry the most free input
// (CreateTaskRequest, RecordInspectionRequest, CreateCampaignRequest,
// CreatePersonRequest), run through the server's conversion and the domain's
// validation, as the gRPC adapters do. Invariants: nothing crashes or trips
// a sanitizer; a rejection is INVALID_ARGUMENT (or FAILED_PRECONDITION) with a
// message naming something; an accepted task converts back to a proto.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "domain/task.h"
#include "google/protobuf/stubs/logging.h"
#include "rectify/v1/directory_service.pb.h"
#include "rectify/v1/inspection_service.pb.h"
#include "rectify/v1/task_service.pb.h"
#include "server/convert.h"

namespace {

// Invalid UTF-8 in a string field is an ordinary parse failure here; protobuf
// would log each one.
const bool kQuiet = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

void CheckRejection(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  if (status.message().empty()) {
    std::fprintf(stderr, "%s: a rejection without a message: %s\n", what,
                 status.ToString().c_str());
    std::abort();
  }
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    std::fprintf(stderr, "%s: bad input gave %s\n", what, status.ToString().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rectify;
  (void)kQuiet;
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      v1::CreateTaskRequest req;
      if (!req.ParseFromString(bytes)) return 0;
      auto task = server::NewTaskFromProto(req.task());
      CheckRejection(task.status(), "NewTaskFromProto");
      if (task.ok()) {
        CheckRejection(domain::ValidateNewTask(*task), "ValidateNewTask");
        v1::Task back = server::ToProto(*task, absl::FromUnixSeconds(1'700'000'000), "p-1");
        (void)back.ByteSizeLong();
      }
      break;
    }
    case 1: {
      v1::RecordInspectionRequest req;
      if (!req.ParseFromString(bytes)) return 0;
      auto inspection = server::NewInspectionFromProto(req.inspection());
      CheckRejection(inspection.status(), "NewInspectionFromProto");
      if (inspection.ok()) (void)server::ToProto(*inspection, nullptr).ByteSizeLong();
      break;
    }
    case 2: {
      v1::CreateCampaignRequest req;
      if (!req.ParseFromString(bytes)) return 0;
      auto campaign = server::FromProto(req.campaign());
      CheckRejection(campaign.status(), "FromProto(Campaign)");
      if (campaign.ok()) (void)server::ToProto(*campaign).ByteSizeLong();
      break;
    }
    default: {
      v1::CreatePersonRequest req;
      if (!req.ParseFromString(bytes)) return 0;
      auto person = server::FromProto(req.person());
      CheckRejection(person.status(), "FromProto(Person)");
      if (person.ok()) (void)server::ToProto(*person).ByteSizeLong();
      break;
    }
  }
  return 0;
}
