// The client's transport: channel and credentials, then one generic Call() that
// every method goes through (request_id, metadata, deadline, retry, status).
#include "client/client.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <utility>

#include "absl/random/random.h"
#include "absl/time/clock.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log.h"

namespace rectify::client {
namespace {

constexpr absl::Duration kMaxBackoff = absl::Seconds(2);
// Where FromGrpcStatus keeps the serialized google.rpc.Status a server sent.
constexpr char kGrpcDetailsUrl[] = "type.googleapis.com/google.rpc.Status";

// True for the mutating requests: those that carry a request_id.
template <typename T, typename = void>
struct HasRequestId : std::false_type {};
template <typename T>
struct HasRequestId<T, std::void_t<decltype(std::declval<T&>().set_request_id(std::string()))>>
    : std::true_type {};

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " '", path, "'"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " '", path, "'"));
  }
  return contents.str();
}

absl::Status Validate(const ClientOptions& options) {
  if (options.max_attempts < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_attempts is ", options.max_attempts, "; it must be at least 1"));
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "timeout is ", absl::FormatDuration(options.timeout), "; it must be positive"));
  }
  // gRPC refuses header values outside printable ASCII; say so here rather
  // than fail every call (a token read from a file often ends in "\n").
  for (char c : options.token) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "token has a space, control or non-ASCII character; expected printable ASCII "
          "(a trailing newline?)");
    }
  }
  if (options.initial_backoff < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("initial_backoff must not be negative");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeCredentials(
    const ClientOptions& options) {
  const bool any_file = !options.ca_cert_file.empty() || !options.client_cert_file.empty() ||
                        !options.client_key_file.empty();
  if (!options.use_tls) {
    if (any_file) {
      return absl::InvalidArgumentError(
          "TLS certificate or key files are set but use_tls is false");
    }
    return grpc::InsecureChannelCredentials();
  }
  if (options.client_cert_file.empty() != options.client_key_file.empty()) {
    return absl::InvalidArgumentError(
        "mutual TLS needs both client_cert_file and client_key_file, or neither");
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.ca_cert_file.empty()) {
    auto ca = ReadFile(options.ca_cert_file, "CA certificate file");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  if (!options.client_cert_file.empty()) {
    auto cert = ReadFile(options.client_cert_file, "client certificate file");
    if (!cert.ok()) return cert.status();
    auto key = ReadFile(options.client_key_file, "client key file");
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

// A backoff drawn uniformly from [base/2, 3*base/2), so that many clients
// failing together do not retry together.
absl::Duration Jitter(absl::Duration base) {
  thread_local absl::BitGen gen;
  return base * absl::Uniform(gen, 0.5, 1.5);
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  if (!status.error_details().empty()) {
    result.SetPayload(kGrpcDetailsUrl, absl::Cord(status.error_details()));
  }
  return result;
}

std::string NewRequestId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(gen), absl::Uniform<uint64_t>(gen));
}

absl::StatusOr<std::unique_ptr<Client>> Client::Create(const ClientOptions& options) {
  if (options.address.empty()) {
    return absl::InvalidArgumentError("address is empty; expected host:port");
  }
  if (absl::Status valid = Validate(options); !valid.ok()) return valid;
  auto credentials = MakeCredentials(options);
  if (!credentials.ok()) return credentials.status();
  grpc::ChannelArguments args;
  args.SetString(GRPC_ARG_PRIMARY_USER_AGENT_STRING, "rectify-client");
  // A call fails at once with UNAVAILABLE while the channel waits to reconnect
  // (1 s at first, by default), which would spend our retries before the
  // channel tries again. Reconnect on our schedule instead.
  const int backoff_ms =
      static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(options.initial_backoff), 1,
                                           absl::ToInt64Milliseconds(kMaxBackoff)));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, backoff_ms);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
              static_cast<int>(absl::ToInt64Milliseconds(kMaxBackoff)));
  return CreateForChannel(grpc::CreateCustomChannel(options.address, *credentials, args), options);
}

absl::StatusOr<std::unique_ptr<Client>> Client::CreateForChannel(
    std::shared_ptr<grpc::ChannelInterface> channel, const ClientOptions& options) {
  if (channel == nullptr) return absl::InvalidArgumentError("channel is null");
  if (absl::Status valid = Validate(options); !valid.ok()) return valid;
  return std::unique_ptr<Client>(new Client(std::move(channel), options));
}

Client::Client(std::shared_ptr<grpc::ChannelInterface> channel, const ClientOptions& options)
    : options_(options),
      channel_(std::move(channel)),
      directory_(v1::DirectoryService::NewStub(channel_)),
      tasks_(v1::TaskService::NewStub(channel_)),
      identity_(v1::IdentityService::NewStub(channel_)),
      campaigns_(v1::CampaignService::NewStub(channel_)),
      inspections_(v1::InspectionService::NewStub(channel_)),
      events_(v1::EventService::NewStub(channel_)),
      accountability_(v1::AccountabilityService::NewStub(channel_)),
      legal_(v1::LegalService::NewStub(channel_)),
      hard_problems_(v1::HardProblemService::NewStub(channel_)),
      plans_(v1::AccountabilityPlanService::NewStub(channel_)),
      volunteers_(v1::VolunteerService::NewStub(channel_)),
      audit_(v1::AuditService::NewStub(channel_)),
      reports_(v1::ReportService::NewStub(channel_)) {}

Client::~Client() = default;

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Client::Call(Stub* stub,
                                      grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                   const Request&, Response*),
                                      const Request& request) {
  // Fix the request_id once, before the first attempt, so every retry is the
  // same request to the server.
  const Request* to_send = &request;
  Request with_id;
  if constexpr (HasRequestId<Request>::value) {
    if (request.request_id().empty()) {
      with_id = request;
      with_id.set_request_id(NewRequestId());
      to_send = &with_id;
    }
  }
  const absl::Time deadline = absl::Now() + options_.timeout;
  absl::Duration backoff = options_.initial_backoff;
  grpc::Status status;
  std::string retry_after_ms;
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;  // one per attempt: gRPC does not reuse them
    context.set_deadline(absl::ToChronoTime(deadline));
    if (!options_.token.empty()) {
      context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
    }
    Response response;
    status = (stub->*method)(&context, *to_send, &response);
    if (status.ok()) return response;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE || attempt >= options_.max_attempts) {
      auto hint = context.GetServerTrailingMetadata().find(kRetryAfterMs);
      if (hint != context.GetServerTrailingMetadata().end()) {
        retry_after_ms.assign(hint->second.data(), hint->second.size());
      }
      break;
    }
    const absl::Duration pause = Jitter(backoff);
    if (absl::Now() + pause >= deadline) break;  // keep the last real answer
    RECTIFY_LOG(DEBUG) << Request::descriptor()->name() << ": attempt " << attempt
                       << " unavailable (" << status.error_message() << "); retrying in "
                       << absl::FormatDuration(pause);
    absl::SleepFor(pause);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
  absl::Status out = FromGrpcStatus(status);
  if (!retry_after_ms.empty()) out.SetPayload(kRetryAfterMs, absl::Cord(retry_after_ms));
  return out;
}

// One line per RPC. The stubs' method names are the RPC names.
#define RECTIFY_CLIENT_METHOD(stub, Service, Method, Request, Response)     \
  absl::StatusOr<v1::Response> Client::Method(const v1::Request& request) { \
    return Call(stub.get(), &v1::Service::Stub::Method, request);           \
  }

RECTIFY_CLIENT_METHOD(directory_, DirectoryService, CreateCampaign, CreateCampaignRequest, Campaign)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, GetCampaign, GetCampaignRequest, Campaign)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, ListCampaigns, ListCampaignsRequest,
                      ListCampaignsResponse)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, CreateOrganisation, CreateOrganisationRequest,
                      Organisation)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, GetOrganisation, GetOrganisationRequest,
                      Organisation)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, ListOrganisations, ListOrganisationsRequest,
                      ListOrganisationsResponse)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, UpdateOrganisation, UpdateOrganisationRequest,
                      Organisation)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, CreatePerson, CreatePersonRequest, Person)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, GetPerson, GetPersonRequest, Person)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, ListPeople, ListPeopleRequest,
                      ListPeopleResponse)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, CreateCommunity, CreateCommunityRequest,
                      Community)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, GetCommunity, GetCommunityRequest, Community)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, ListCommunities, ListCommunitiesRequest,
                      ListCommunitiesResponse)
RECTIFY_CLIENT_METHOD(directory_, DirectoryService, UpdateCommunity, UpdateCommunityRequest,
                      Community)

RECTIFY_CLIENT_METHOD(tasks_, TaskService, CreateTask, CreateTaskRequest, Task)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, GetTask, GetTaskRequest, Task)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, ListTasks, ListTasksRequest, ListTasksResponse)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, ListTaskEvents, ListTaskEventsRequest,
                      ListTaskEventsResponse)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, DispatchTask, DispatchTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, AcknowledgeTask, AcknowledgeTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, ReturnTask, ReturnTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, StartTask, StartTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, SubmitTask, SubmitTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, VerifyTask, VerifyTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, RejectTask, RejectTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, SuspendTask, SuspendTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, ResumeTask, ResumeTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, VoidTask, VoidTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, RequestExtension, RequestExtensionRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, DecideExtension, DecideExtensionRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, UrgeTask, UrgeTaskRequest, TaskChange)
RECTIFY_CLIENT_METHOD(tasks_, TaskService, ReplyUrging, ReplyUrgingRequest, TaskChange)

RECTIFY_CLIENT_METHOD(identity_, IdentityService, WhoAmI, WhoAmIRequest, WhoAmIResponse)
RECTIFY_CLIENT_METHOD(identity_, IdentityService, IssueToken, IssueTokenRequest, IssueTokenResponse)
RECTIFY_CLIENT_METHOD(identity_, IdentityService, ListTokens, ListTokensRequest, ListTokensResponse)
RECTIFY_CLIENT_METHOD(identity_, IdentityService, RevokeToken, RevokeTokenRequest, TokenInfo)
RECTIFY_CLIENT_METHOD(audit_, AuditService, ListAudit, ListAuditRequest, ListAuditResponse)

absl::Status Client::Subscribe(const v1::SubscribeRequest& request,
                               const std::function<bool(const v1::Event&)>& on_event) {
  grpc::ClientContext context;
  if (!request.follow()) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  } else {
    // A follower waits for the server to come (back) rather than failing at
    // once while the channel is between connection attempts.
    context.set_wait_for_ready(true);
  }
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  std::unique_ptr<grpc::ClientReader<v1::Event>> reader = events_->Subscribe(&context, request);
  v1::Event event;
  while (reader->Read(&event)) {
    if (!on_event(event)) {
      context.TryCancel();
      while (reader->Read(&event)) {
      }
      (void)reader->Finish();
      return absl::OkStatus();
    }
  }
  return FromGrpcStatus(reader->Finish());
}

RECTIFY_CLIENT_METHOD(campaigns_, CampaignService, AdvancePhase, AdvancePhaseRequest,
                      AdvancePhaseResponse)
RECTIFY_CLIENT_METHOD(campaigns_, CampaignService, GetPhaseGate, GetPhaseGateRequest,
                      GetPhaseGateResponse)
RECTIFY_CLIENT_METHOD(campaigns_, CampaignService, SubmitSelfCheckList,
                      SubmitSelfCheckListRequest, SubmitSelfCheckListResponse)
RECTIFY_CLIENT_METHOD(campaigns_, CampaignService, GetSelfCheckList, GetSelfCheckListRequest,
                      SelfCheckList)
RECTIFY_CLIENT_METHOD(campaigns_, CampaignService, GetReadiness, GetReadinessRequest,
                      GetReadinessResponse)

RECTIFY_CLIENT_METHOD(inspections_, InspectionService, ListStandards, ListStandardsRequest,
                      ListStandardsResponse)
RECTIFY_CLIENT_METHOD(inspections_, InspectionService, GetStandard, GetStandardRequest, Standard)
RECTIFY_CLIENT_METHOD(inspections_, InspectionService, RecordInspection,
                      RecordInspectionRequest, Inspection)
RECTIFY_CLIENT_METHOD(inspections_, InspectionService, GetInspection, GetInspectionRequest,
                      Inspection)
RECTIFY_CLIENT_METHOD(inspections_, InspectionService, ListInspections, ListInspectionsRequest,
                      ListInspectionsResponse)

RECTIFY_CLIENT_METHOD(accountability_, AccountabilityService, ProposePenalty,
                      ProposePenaltyRequest, Penalty)
RECTIFY_CLIENT_METHOD(accountability_, AccountabilityService, IssuePenalty, IssuePenaltyRequest,
                      IssuePenaltyResponse)
RECTIFY_CLIENT_METHOD(accountability_, AccountabilityService, DismissPenalty,
                      DismissPenaltyRequest, Penalty)
RECTIFY_CLIENT_METHOD(accountability_, AccountabilityService, RevokePenalty, RevokePenaltyRequest,
                      Penalty)
RECTIFY_CLIENT_METHOD(accountability_, AccountabilityService, GetPenalty, GetPenaltyRequest,
                      Penalty)
RECTIFY_CLIENT_METHOD(accountability_, AccountabilityService, ListPenalties,
                      ListPenaltiesRequest, ListPenaltiesResponse)

RECTIFY_CLIENT_METHOD(legal_, LegalService, OpenCase, OpenCaseRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, DissuadeCase, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, StopCase, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, ReportCase, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, EscalateCase, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, ResolveCase, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, AcknowledgeCase, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, RecordBureauAction, LegalStepRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, CloseCase, CloseCaseRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, GetCase, GetCaseRequest, LegalCase)
RECTIFY_CLIENT_METHOD(legal_, LegalService, ListCases, ListCasesRequest, ListCasesResponse)

RECTIFY_CLIENT_METHOD(hard_problems_, HardProblemService, ReportProblem, ReportProblemRequest,
                      HardProblem)
RECTIFY_CLIENT_METHOD(hard_problems_, HardProblemService, AnswerProblem, AnswerProblemRequest,
                      HardProblem)
RECTIFY_CLIENT_METHOD(hard_problems_, HardProblemService, GetProblem, GetProblemRequest,
                      HardProblem)
RECTIFY_CLIENT_METHOD(hard_problems_, HardProblemService, ListProblems, ListProblemsRequest,
                      ListProblemsResponse)

RECTIFY_CLIENT_METHOD(volunteers_, VolunteerService, AssignVolunteer, AssignVolunteerRequest,
                      VolunteerAssignment)
RECTIFY_CLIENT_METHOD(volunteers_, VolunteerService, EndAssignment, EndAssignmentRequest,
                      VolunteerAssignment)
RECTIFY_CLIENT_METHOD(volunteers_, VolunteerService, ListAssignments, ListAssignmentsRequest,
                      ListAssignmentsResponse)
RECTIFY_CLIENT_METHOD(volunteers_, VolunteerService, ReportProblem,
                      ReportSupervisionProblemRequest, ReportSupervisionProblemResponse)
RECTIFY_CLIENT_METHOD(volunteers_, VolunteerService, RecordOnSiteCheck, RecordOnSiteCheckRequest,
                      SupervisionReport)
RECTIFY_CLIENT_METHOD(volunteers_, VolunteerService, ListSupervisionReports,
                      ListSupervisionReportsRequest, ListSupervisionReportsResponse)

RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, DraftLetter, DraftLetterRequest,
                      ResponsibilityLetter)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, SignLetter, SignLetterRequest,
                      ResponsibilityLetter)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, GetLetter, GetLetterRequest,
                      ResponsibilityLetter)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, ListLetters, ListLettersRequest,
                      ListLettersResponse)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, SavePlanDraft, SavePlanDraftRequest,
                      WorkPlan)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, SubmitPlan, SubmitPlanRequest, WorkPlan)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, ApprovePlan, DecidePlanRequest, WorkPlan)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, ReturnPlan, DecidePlanRequest, WorkPlan)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, GetPlan, GetPlanRequest, WorkPlan)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, ListPlans, ListPlansRequest,
                      ListPlansResponse)
RECTIFY_CLIENT_METHOD(plans_, AccountabilityPlanService, GetBudget, GetBudgetRequest,
                      PlanBudget)
RECTIFY_CLIENT_METHOD(reports_, ReportService, GetMetrics, GetMetricsRequest, MetricsReport)
RECTIFY_CLIENT_METHOD(reports_, ReportService, DrillDown, DrillDownRequest, DrillDownResponse)
RECTIFY_CLIENT_METHOD(reports_, ReportService, GetWeeklySummary, GetWeeklySummaryRequest,
                      WeeklySummary)
RECTIFY_CLIENT_METHOD(reports_, ReportService, GetMonthlyBulletin, GetMonthlyBulletinRequest,
                      MonthlyBulletin)

#undef RECTIFY_CLIENT_METHOD

}  // namespace rectify::client
