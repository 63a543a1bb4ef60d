// An in-process fake of the rectify gRPC API for the client's tests: it
// records what arrives (method, metadata, deadline, request_id, the request
// itself), fails on demand, and answers with canned responses. It listens on
// a free loopback port, so the client under test goes through real gRPC.
#ifndef RECTIFY_TESTS_CLIENT_FAKE_SERVER_H_
#define RECTIFY_TESTS_CLIENT_FAKE_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rectify/v1/campaign_service.grpc.pb.h"
#include "rectify/v1/directory_service.grpc.pb.h"
#include "rectify/v1/identity_service.grpc.pb.h"
#include "rectify/v1/inspection_service.grpc.pb.h"
#include "rectify/v1/task_service.grpc.pb.h"

namespace rectify::test {

// What one call brought.
struct RecordedCall {
  std::string method;         // "StartTask"
  std::string authorization;  // the metadata value, "" if absent
  bool has_deadline = false;
  absl::Duration time_left;  // deadline - arrival
  std::string request_id;    // "" for reads
  std::shared_ptr<google::protobuf::Message> request;
};

// Shared by the fake services.
class FakeBackend {
 public:
  // The next `times` calls (any method) fail with `status`.
  void FailNext(const grpc::Status& status, int times = 1) {
    absl::MutexLock lock(&mu_);
    for (int i = 0; i < times; ++i) failures_.push_back(status);
  }
  // The next call of `method` fails with `status` (before any FailNext).
  void FailNextCallOf(const std::string& method, const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    method_failures_[method].push_back(status);
  }
  // Every call sleeps this long before answering.
  void SetDelay(absl::Duration delay) {
    absl::MutexLock lock(&mu_);
    delay_ = delay;
  }
  std::vector<RecordedCall> calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  // The last request of `method`, or null.
  template <typename Request>
  std::shared_ptr<const Request> LastRequest(const std::string& method) const {
    absl::MutexLock lock(&mu_);
    for (auto it = calls_.rbegin(); it != calls_.rend(); ++it) {
      if (it->method == method) return std::dynamic_pointer_cast<const Request>(it->request);
    }
    return nullptr;
  }

  // Canned answers.
  v1::Task task;
  std::vector<v1::ListTasksResponse> task_pages;  // by page token "", "p1", "p2", …
  v1::ListTaskEventsResponse events;
  v1::WhoAmIResponse whoami;
  v1::ListCampaignsResponse campaigns;
  // CampaignService: GetSelfCheckList answers self_check.list().
  v1::AdvancePhaseResponse advance;
  v1::GetPhaseGateResponse gate;
  v1::GetReadinessResponse readiness;
  v1::SubmitSelfCheckListResponse self_check;
  // InspectionService: RecordInspection and GetInspection answer `inspection`.
  v1::ListStandardsResponse standards;
  v1::Standard standard;
  v1::Inspection inspection;
  v1::ListInspectionsResponse inspections;

  // Records the call, then returns the failure to answer with, if any.
  template <typename Request>
  grpc::Status Enter(grpc::ServerContext* context, const std::string& method,
                     const Request& request) {
    RecordedCall call;
    call.method = method;
    const auto& metadata = context->client_metadata();
    if (auto it = metadata.find("authorization"); it != metadata.end()) {
      call.authorization = std::string(it->second.data(), it->second.size());
    }
    const auto deadline = context->deadline();
    call.has_deadline = deadline != std::chrono::system_clock::time_point::max();
    if (call.has_deadline) call.time_left = absl::FromChrono(deadline) - absl::Now();
    if constexpr (HasRequestId<Request>::value) call.request_id = request.request_id();
    call.request = std::make_shared<Request>(request);
    absl::Duration delay;
    grpc::Status status = grpc::Status::OK;
    {
      absl::MutexLock lock(&mu_);
      calls_.push_back(call);
      delay = delay_;
      if (auto it = method_failures_.find(method);
          it != method_failures_.end() && !it->second.empty()) {
        status = it->second.front();
        it->second.pop_front();
      } else if (!failures_.empty()) {
        status = failures_.front();
        failures_.pop_front();
      }
    }
    absl::SleepFor(delay);
    return status;
  }

 private:
  template <typename T, typename = void>
  struct HasRequestId : std::false_type {};
  template <typename T>
  struct HasRequestId<T, std::void_t<decltype(std::declval<const T&>().request_id())>>
      : std::true_type {};

  mutable absl::Mutex mu_;
  std::vector<RecordedCall> calls_ ABSL_GUARDED_BY(mu_);
  std::deque<grpc::Status> failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::deque<grpc::Status>> method_failures_ ABSL_GUARDED_BY(mu_);
  absl::Duration delay_ ABSL_GUARDED_BY(mu_);
};

// A TaskChange for `task` moved to `to`.
inline v1::TaskChange ChangeOf(const v1::Task& task, v1::TaskState to, const std::string& type) {
  v1::TaskChange change;
  *change.mutable_task() = task;
  change.mutable_task()->set_state(to);
  change.mutable_event()->set_seq(7);
  change.mutable_event()->set_type(type);
  change.mutable_event()->set_from_state(v1::TaskState_Name(task.state()));
  change.mutable_event()->set_to_state(v1::TaskState_Name(to));
  return change;
}

#define RECTIFY_FAKE_CHANGE(Method, Request, to, type)                          \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::TaskChange* response) override {                      \
    grpc::Status status = backend_->Enter(context, #Method, *request);          \
    if (status.ok()) *response = ChangeOf(backend_->task, v1::to, type);        \
    return status;                                                              \
  }

class FakeTaskService final : public v1::TaskService::Service {
 public:
  explicit FakeTaskService(FakeBackend* backend) : backend_(backend) {}

  grpc::Status CreateTask(grpc::ServerContext* context, const v1::CreateTaskRequest* request,
                          v1::Task* response) override {
    grpc::Status status = backend_->Enter(context, "CreateTask", *request);
    if (status.ok()) {
      *response = request->task();
      response->set_id("T-1");
      response->set_state(v1::TASK_STATE_OPEN);
    }
    return status;
  }
  grpc::Status GetTask(grpc::ServerContext* context, const v1::GetTaskRequest* request,
                       v1::Task* response) override {
    grpc::Status status = backend_->Enter(context, "GetTask", *request);
    if (status.ok()) *response = backend_->task;
    return status;
  }
  grpc::Status ListTasks(grpc::ServerContext* context, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override {
    grpc::Status status = backend_->Enter(context, "ListTasks", *request);
    if (!status.ok()) return status;
    const std::string& token = request->page_token();
    size_t page = 0;
    if (!token.empty()) page = std::stoul(token.substr(1));
    if (page >= backend_->task_pages.size()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad page token " + token);
    }
    *response = backend_->task_pages[page];
    return status;
  }
  grpc::Status ListTaskEvents(grpc::ServerContext* context,
                              const v1::ListTaskEventsRequest* request,
                              v1::ListTaskEventsResponse* response) override {
    grpc::Status status = backend_->Enter(context, "ListTaskEvents", *request);
    if (status.ok()) *response = backend_->events;
    return status;
  }
  RECTIFY_FAKE_CHANGE(DispatchTask, DispatchTaskRequest, TASK_STATE_DISPATCHED, "task.dispatched")
  RECTIFY_FAKE_CHANGE(AcknowledgeTask, AcknowledgeTaskRequest, TASK_STATE_ACCEPTED,
                      "task.acknowledged")
  RECTIFY_FAKE_CHANGE(StartTask, StartTaskRequest, TASK_STATE_IN_PROGRESS, "task.started")
  RECTIFY_FAKE_CHANGE(SubmitTask, SubmitTaskRequest, TASK_STATE_SUBMITTED, "task.submitted")
  RECTIFY_FAKE_CHANGE(DecideExtension, DecideExtensionRequest, TASK_STATE_IN_PROGRESS,
                      "task.extension_decided")
  RECTIFY_FAKE_CHANGE(ReturnTask, ReturnTaskRequest, TASK_STATE_OPEN, "task.returned")
  RECTIFY_FAKE_CHANGE(VerifyTask, VerifyTaskRequest, TASK_STATE_CLOSED, "task.verified")
  RECTIFY_FAKE_CHANGE(RejectTask, RejectTaskRequest, TASK_STATE_IN_PROGRESS, "task.rejected")
  RECTIFY_FAKE_CHANGE(SuspendTask, SuspendTaskRequest, TASK_STATE_SUSPENDED, "task.suspended")
  RECTIFY_FAKE_CHANGE(ResumeTask, ResumeTaskRequest, TASK_STATE_IN_PROGRESS, "task.resumed")
  RECTIFY_FAKE_CHANGE(VoidTask, VoidTaskRequest, TASK_STATE_VOIDED, "task.voided")
  RECTIFY_FAKE_CHANGE(RequestExtension, RequestExtensionRequest, TASK_STATE_IN_PROGRESS,
                      "task.extension_requested")
  RECTIFY_FAKE_CHANGE(UrgeTask, UrgeTaskRequest, TASK_STATE_IN_PROGRESS, "task.urged")
  RECTIFY_FAKE_CHANGE(ReplyUrging, ReplyUrgingRequest, TASK_STATE_IN_PROGRESS, "task.urge_replied")

 private:
  FakeBackend* backend_;
};

#undef RECTIFY_FAKE_CHANGE

class FakeIdentityService final : public v1::IdentityService::Service {
 public:
  explicit FakeIdentityService(FakeBackend* backend) : backend_(backend) {}
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override {
    grpc::Status status = backend_->Enter(context, "WhoAmI", *request);
    if (status.ok()) *response = backend_->whoami;
    return status;
  }
  grpc::Status IssueToken(grpc::ServerContext* context, const v1::IssueTokenRequest* request,
                          v1::IssueTokenResponse* response) override {
    grpc::Status status = backend_->Enter(context, "IssueToken", *request);
    if (status.ok()) response->set_token("secret-token");
    return status;
  }

 private:
  FakeBackend* backend_;
};

class FakeDirectoryService final : public v1::DirectoryService::Service {
 public:
  explicit FakeDirectoryService(FakeBackend* backend) : backend_(backend) {}
  grpc::Status ListCampaigns(grpc::ServerContext* context, const v1::ListCampaignsRequest* request,
                             v1::ListCampaignsResponse* response) override {
    grpc::Status status = backend_->Enter(context, "ListCampaigns", *request);
    if (status.ok()) *response = backend_->campaigns;
    return status;
  }
  grpc::Status UpdateOrganisation(grpc::ServerContext* context,
                                  const v1::UpdateOrganisationRequest* request,
                                  v1::Organisation* response) override {
    grpc::Status status = backend_->Enter(context, "UpdateOrganisation", *request);
    if (status.ok()) *response = request->organisation();
    return status;
  }

// A Get that answers with a resource carrying the requested id.
#define RECTIFY_FAKE_GET(Method, Request, Resource)                             \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Resource* response) override {                        \
    grpc::Status status = backend_->Enter(context, #Method, *request);          \
    if (status.ok()) response->set_id(request->id());                           \
    return status;                                                              \
  }
  RECTIFY_FAKE_GET(GetCampaign, GetCampaignRequest, Campaign)
  RECTIFY_FAKE_GET(GetOrganisation, GetOrganisationRequest, Organisation)
  RECTIFY_FAKE_GET(GetPerson, GetPersonRequest, Person)
  RECTIFY_FAKE_GET(GetCommunity, GetCommunityRequest, Community)
#undef RECTIFY_FAKE_GET

 private:
  FakeBackend* backend_;
};

// A method that records the call and answers with a canned response.
#define RECTIFY_FAKE_CANNED(Method, Request, Response, answer)                  \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override {                        \
    grpc::Status status = backend_->Enter(context, #Method, *request);          \
    if (status.ok()) *response = backend_->answer;                              \
    return status;                                                              \
  }

class FakeCampaignService final : public v1::CampaignService::Service {
 public:
  explicit FakeCampaignService(FakeBackend* backend) : backend_(backend) {}
  RECTIFY_FAKE_CANNED(AdvancePhase, AdvancePhaseRequest, AdvancePhaseResponse, advance)
  RECTIFY_FAKE_CANNED(GetPhaseGate, GetPhaseGateRequest, GetPhaseGateResponse, gate)
  RECTIFY_FAKE_CANNED(SubmitSelfCheckList, SubmitSelfCheckListRequest, SubmitSelfCheckListResponse,
                      self_check)
  RECTIFY_FAKE_CANNED(GetSelfCheckList, GetSelfCheckListRequest, SelfCheckList, self_check.list())
  RECTIFY_FAKE_CANNED(GetReadiness, GetReadinessRequest, GetReadinessResponse, readiness)

 private:
  FakeBackend* backend_;
};

class FakeInspectionService final : public v1::InspectionService::Service {
 public:
  explicit FakeInspectionService(FakeBackend* backend) : backend_(backend) {}
  RECTIFY_FAKE_CANNED(ListStandards, ListStandardsRequest, ListStandardsResponse, standards)
  RECTIFY_FAKE_CANNED(GetStandard, GetStandardRequest, Standard, standard)
  RECTIFY_FAKE_CANNED(RecordInspection, RecordInspectionRequest, Inspection, inspection)
  RECTIFY_FAKE_CANNED(GetInspection, GetInspectionRequest, Inspection, inspection)
  RECTIFY_FAKE_CANNED(ListInspections, ListInspectionsRequest, ListInspectionsResponse, inspections)

 private:
  FakeBackend* backend_;
};

#undef RECTIFY_FAKE_CANNED

// The services on 127.0.0.1:<free port>, until destroyed.
class FakeServer {
 public:
  // port 0: a free one.
  explicit FakeServer(int port = 0)
      : tasks_(&backend),
        identity_(&backend),
        directory_(&backend),
        campaigns_(&backend),
        inspections_(&backend) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&tasks_);
    builder.RegisterService(&identity_);
    builder.RegisterService(&directory_);
    builder.RegisterService(&campaigns_);
    builder.RegisterService(&inspections_);
    server_ = builder.BuildAndStart();
  }
  ~FakeServer() {
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  }
  bool ok() const { return server_ != nullptr && port_ > 0; }
  int port() const { return port_; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

  FakeBackend backend;

 private:
  FakeTaskService tasks_;
  FakeIdentityService identity_;
  FakeDirectoryService directory_;
  FakeCampaignService campaigns_;
  FakeInspectionService inspections_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_CLIENT_FAKE_SERVER_H_
