// The C++ client of the rectify API: one blocking method per RPC, errors as
// absl::Status. Thin by design: no business rules, only transport (channel,
// credentials, bearer token, deadline, retry of UNAVAILABLE).
//
//   ClientOptions options;
//   options.address = "127.0.0.1:7443";
//   options.token = token;
//   RECTIFY_ASSIGN_OR_RETURN(std::unique_ptr<Client> client, Client::Create(options));
//   v1::GetTaskRequest request;
//   request.set_id("T-42");
//   RECTIFY_ASSIGN_OR_RETURN(v1::Task task, client->GetTask(request));
#ifndef RECTIFY_CLIENT_CLIENT_H_
#define RECTIFY_CLIENT_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/accountability_service.grpc.pb.h"
#include "rectify/v1/audit_service.grpc.pb.h"
#include "rectify/v1/campaign_service.grpc.pb.h"
#include "rectify/v1/directory_service.grpc.pb.h"
#include "rectify/v1/event_service.grpc.pb.h"
#include "rectify/v1/identity_service.grpc.pb.h"
#include "rectify/v1/inspection_service.grpc.pb.h"
#include "rectify/v1/legal_service.grpc.pb.h"
#include "rectify/v1/plan_service.grpc.pb.h"
#include "rectify/v1/report_service.grpc.pb.h"
#include "rectify/v1/task_service.grpc.pb.h"
#include "rectify/v1/volunteer_service.grpc.pb.h"

namespace rectify::client {

struct ClientOptions {
  std::string address = "127.0.0.1:7443";
  // Sent as "authorization: Bearer <token>" on every call; nothing when empty.
  std::string token;
  // false: an insecure channel (meant for loopback). true: TLS, verified
  // against ca_cert_file (the system roots when empty); with client_cert_file
  // and client_key_file (both or neither), mutual TLS. The files hold PEM.
  bool use_tls = false;
  std::string ca_cert_file, client_cert_file, client_key_file;
  // The deadline of one method call, retries and backoff included.
  absl::Duration timeout = absl::Seconds(10);
  // Attempts per method call, the first included. Only UNAVAILABLE is retried,
  // with exponential backoff and jitter starting at initial_backoff, and the
  // same request (so the same request_id).
  int max_attempts = 3;
  absl::Duration initial_backoff = absl::Milliseconds(100);
};

// Thread-safe: one Client may serve many threads.
//
// Every method returns the server's status unchanged (same code, same
// message), with these additions made here:
//   DEADLINE_EXCEEDED  options.timeout passed;
//   UNAVAILABLE        the server could not be reached in max_attempts attempts;
//   RESOURCE_EXHAUSTED from the rate limit carries the kRetryAfterMs payload.
// A mutating request (one with a request_id field) whose request_id is empty is
// sent with a fresh NewRequestId(), fixed before the first attempt, so that the
// library's own retries are idempotent. A caller that wants to retry after the
// method returned must choose the request_id itself and send it again.
class Client {
 public:
  // Returns kInvalidArgument for unusable options (empty address,
  // max_attempts < 1, timeout <= 0, a token that is not printable ASCII, TLS
  // files without use_tls, a client certificate without its key) and
  // kNotFound if a TLS file cannot be read.
  // Does not connect: the first call does.
  static absl::StatusOr<std::unique_ptr<Client>> Create(const ClientOptions& options);
  // As Create, over a channel the caller made (in-process, custom credentials).
  // Uses token, timeout, max_attempts and initial_backoff from `options`; the
  // channel's own settings (such as its reconnect backoff) are the caller's.
  static absl::StatusOr<std::unique_ptr<Client>> CreateForChannel(
      std::shared_ptr<grpc::ChannelInterface> channel, const ClientOptions& options);

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // DirectoryService.
  absl::StatusOr<v1::Campaign> CreateCampaign(const v1::CreateCampaignRequest& request);
  absl::StatusOr<v1::Campaign> GetCampaign(const v1::GetCampaignRequest& request);
  absl::StatusOr<v1::ListCampaignsResponse> ListCampaigns(const v1::ListCampaignsRequest& request);
  absl::StatusOr<v1::Organisation> CreateOrganisation(const v1::CreateOrganisationRequest& request);
  absl::StatusOr<v1::Organisation> GetOrganisation(const v1::GetOrganisationRequest& request);
  absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(
      const v1::ListOrganisationsRequest& request);
  absl::StatusOr<v1::Organisation> UpdateOrganisation(const v1::UpdateOrganisationRequest& request);
  absl::StatusOr<v1::Person> CreatePerson(const v1::CreatePersonRequest& request);
  absl::StatusOr<v1::Person> GetPerson(const v1::GetPersonRequest& request);
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const v1::ListPeopleRequest& request);
  absl::StatusOr<v1::Community> CreateCommunity(const v1::CreateCommunityRequest& request);
  absl::StatusOr<v1::Community> GetCommunity(const v1::GetCommunityRequest& request);
  absl::StatusOr<v1::ListCommunitiesResponse> ListCommunities(
      const v1::ListCommunitiesRequest& request);
  absl::StatusOr<v1::Community> UpdateCommunity(const v1::UpdateCommunityRequest& request);

  // TaskService.
  absl::StatusOr<v1::Task> CreateTask(const v1::CreateTaskRequest& request);
  absl::StatusOr<v1::Task> GetTask(const v1::GetTaskRequest& request);
  absl::StatusOr<v1::ListTasksResponse> ListTasks(const v1::ListTasksRequest& request);
  absl::StatusOr<v1::ListTaskEventsResponse> ListTaskEvents(
      const v1::ListTaskEventsRequest& request);
  absl::StatusOr<v1::TaskChange> DispatchTask(const v1::DispatchTaskRequest& request);
  absl::StatusOr<v1::TaskChange> AcknowledgeTask(const v1::AcknowledgeTaskRequest& request);
  absl::StatusOr<v1::TaskChange> ReturnTask(const v1::ReturnTaskRequest& request);
  absl::StatusOr<v1::TaskChange> StartTask(const v1::StartTaskRequest& request);
  absl::StatusOr<v1::TaskChange> SubmitTask(const v1::SubmitTaskRequest& request);
  absl::StatusOr<v1::TaskChange> VerifyTask(const v1::VerifyTaskRequest& request);
  absl::StatusOr<v1::TaskChange> RejectTask(const v1::RejectTaskRequest& request);
  absl::StatusOr<v1::TaskChange> SuspendTask(const v1::SuspendTaskRequest& request);
  absl::StatusOr<v1::TaskChange> ResumeTask(const v1::ResumeTaskRequest& request);
  absl::StatusOr<v1::TaskChange> VoidTask(const v1::VoidTaskRequest& request);
  absl::StatusOr<v1::TaskChange> RequestExtension(const v1::RequestExtensionRequest& request);
  absl::StatusOr<v1::TaskChange> DecideExtension(const v1::DecideExtensionRequest& request);
  absl::StatusOr<v1::TaskChange> UrgeTask(const v1::UrgeTaskRequest& request);
  absl::StatusOr<v1::TaskChange> ReplyUrging(const v1::ReplyUrgingRequest& request);

  // IdentityService.
  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& request);
  absl::StatusOr<v1::IssueTokenResponse> IssueToken(const v1::IssueTokenRequest& request);
  absl::StatusOr<v1::ListTokensResponse> ListTokens(const v1::ListTokensRequest& request);
  absl::StatusOr<v1::TokenInfo> RevokeToken(const v1::RevokeTokenRequest& request);

  // AuditService.
  absl::StatusOr<v1::ListAuditResponse> ListAudit(const v1::ListAuditRequest& request);

  // CampaignService.
  absl::StatusOr<v1::AdvancePhaseResponse> AdvancePhase(const v1::AdvancePhaseRequest& request);
  absl::StatusOr<v1::GetPhaseGateResponse> GetPhaseGate(const v1::GetPhaseGateRequest& request);
  absl::StatusOr<v1::SubmitSelfCheckListResponse> SubmitSelfCheckList(
      const v1::SubmitSelfCheckListRequest& request);
  absl::StatusOr<v1::SelfCheckList> GetSelfCheckList(const v1::GetSelfCheckListRequest& request);
  absl::StatusOr<v1::GetReadinessResponse> GetReadiness(const v1::GetReadinessRequest& request);

  // EventService. Calls `on_event` for each event in order; stops when the
  // stream ends (OK without follow), when `on_event` returns false (OK), or on
  // an error (returned; UNAVAILABLE when the server went away: resume with
  // after_seq = the last seq handled). A following stream has no deadline; a
  // non-following one has options.timeout. Not retried here: the caller keeps
  // the cursor.
  absl::Status Subscribe(const v1::SubscribeRequest& request,
                         const std::function<bool(const v1::Event&)>& on_event);

  // InspectionService.
  absl::StatusOr<v1::ListStandardsResponse> ListStandards(const v1::ListStandardsRequest& request);
  absl::StatusOr<v1::Standard> GetStandard(const v1::GetStandardRequest& request);
  absl::StatusOr<v1::Inspection> RecordInspection(const v1::RecordInspectionRequest& request);
  absl::StatusOr<v1::Inspection> GetInspection(const v1::GetInspectionRequest& request);
  absl::StatusOr<v1::ListInspectionsResponse> ListInspections(
      const v1::ListInspectionsRequest& request);

  // AccountabilityService.
  absl::StatusOr<v1::Penalty> ProposePenalty(const v1::ProposePenaltyRequest& request);
  absl::StatusOr<v1::IssuePenaltyResponse> IssuePenalty(const v1::IssuePenaltyRequest& request);
  absl::StatusOr<v1::Penalty> DismissPenalty(const v1::DismissPenaltyRequest& request);
  absl::StatusOr<v1::Penalty> RevokePenalty(const v1::RevokePenaltyRequest& request);
  absl::StatusOr<v1::Penalty> GetPenalty(const v1::GetPenaltyRequest& request);
  absl::StatusOr<v1::ListPenaltiesResponse> ListPenalties(const v1::ListPenaltiesRequest& request);

  // LegalService.
  absl::StatusOr<v1::LegalCase> OpenCase(const v1::OpenCaseRequest& request);
  absl::StatusOr<v1::LegalCase> DissuadeCase(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> StopCase(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> ReportCase(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> EscalateCase(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> ResolveCase(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> AcknowledgeCase(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> RecordBureauAction(const v1::LegalStepRequest& request);
  absl::StatusOr<v1::LegalCase> CloseCase(const v1::CloseCaseRequest& request);
  absl::StatusOr<v1::LegalCase> GetCase(const v1::GetCaseRequest& request);
  absl::StatusOr<v1::ListCasesResponse> ListCases(const v1::ListCasesRequest& request);
  // HardProblemService.
  absl::StatusOr<v1::HardProblem> ReportProblem(const v1::ReportProblemRequest& request);
  absl::StatusOr<v1::HardProblem> AnswerProblem(const v1::AnswerProblemRequest& request);
  absl::StatusOr<v1::HardProblem> GetProblem(const v1::GetProblemRequest& request);
  absl::StatusOr<v1::ListProblemsResponse> ListProblems(const v1::ListProblemsRequest& request);
  // AccountabilityPlanService.
  absl::StatusOr<v1::ResponsibilityLetter> DraftLetter(const v1::DraftLetterRequest& request);
  absl::StatusOr<v1::ResponsibilityLetter> SignLetter(const v1::SignLetterRequest& request);
  absl::StatusOr<v1::ResponsibilityLetter> GetLetter(const v1::GetLetterRequest& request);
  absl::StatusOr<v1::ListLettersResponse> ListLetters(const v1::ListLettersRequest& request);
  absl::StatusOr<v1::WorkPlan> SavePlanDraft(const v1::SavePlanDraftRequest& request);
  absl::StatusOr<v1::WorkPlan> SubmitPlan(const v1::SubmitPlanRequest& request);
  absl::StatusOr<v1::WorkPlan> ApprovePlan(const v1::DecidePlanRequest& request);
  absl::StatusOr<v1::WorkPlan> ReturnPlan(const v1::DecidePlanRequest& request);
  absl::StatusOr<v1::WorkPlan> GetPlan(const v1::GetPlanRequest& request);
  absl::StatusOr<v1::ListPlansResponse> ListPlans(const v1::ListPlansRequest& request);
  absl::StatusOr<v1::PlanBudget> GetBudget(const v1::GetBudgetRequest& request);
  // VolunteerService. (ReportProblem overloads HardProblemService's by request type.)
  absl::StatusOr<v1::VolunteerAssignment> AssignVolunteer(
      const v1::AssignVolunteerRequest& request);
  absl::StatusOr<v1::VolunteerAssignment> EndAssignment(const v1::EndAssignmentRequest& request);
  absl::StatusOr<v1::ListAssignmentsResponse> ListAssignments(
      const v1::ListAssignmentsRequest& request);
  absl::StatusOr<v1::ReportSupervisionProblemResponse> ReportProblem(
      const v1::ReportSupervisionProblemRequest& request);
  absl::StatusOr<v1::SupervisionReport> RecordOnSiteCheck(
      const v1::RecordOnSiteCheckRequest& request);
  absl::StatusOr<v1::ListSupervisionReportsResponse> ListSupervisionReports(
      const v1::ListSupervisionReportsRequest& request);

  // ReportService: the supervisors' view.
  absl::StatusOr<v1::MetricsReport> GetMetrics(const v1::GetMetricsRequest& request);
  absl::StatusOr<v1::DrillDownResponse> DrillDown(const v1::DrillDownRequest& request);
  absl::StatusOr<v1::WeeklySummary> GetWeeklySummary(const v1::GetWeeklySummaryRequest& request);
  absl::StatusOr<v1::MonthlyBulletin> GetMonthlyBulletin(
      const v1::GetMonthlyBulletinRequest& request);

 private:
  Client(std::shared_ptr<grpc::ChannelInterface> channel, const ClientOptions& options);

  // Runs one unary RPC: request_id, metadata, deadline, retries, status
  // conversion. Defined in client.cc, the only place that calls it.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub* stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request);

  const ClientOptions options_;
  std::shared_ptr<grpc::ChannelInterface> channel_;
  std::unique_ptr<v1::DirectoryService::Stub> directory_;
  std::unique_ptr<v1::TaskService::Stub> tasks_;
  std::unique_ptr<v1::IdentityService::Stub> identity_;
  std::unique_ptr<v1::CampaignService::Stub> campaigns_;
  std::unique_ptr<v1::InspectionService::Stub> inspections_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::AccountabilityService::Stub> accountability_;
  std::unique_ptr<v1::LegalService::Stub> legal_;
  std::unique_ptr<v1::HardProblemService::Stub> hard_problems_;
  std::unique_ptr<v1::AccountabilityPlanService::Stub> plans_;
  std::unique_ptr<v1::VolunteerService::Stub> volunteers_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
};

// RESOURCE_EXHAUSTED from the server's rate limit carries this payload: how
// many milliseconds to wait before retrying, in decimal (the server's
// "retry-after-ms" trailing metadata).
inline constexpr char kRetryAfterMs[] = "retry-after-ms";

// A fresh request id: 128 random bits as 32 lowercase hex digits.
std::string NewRequestId();

// grpc::Status → absl::Status, same code and message (the codes are the same
// numbers). The one place the conversion happens; exposed for tests.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_CLIENT_H_
