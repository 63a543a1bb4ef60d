#include "server/grpc_volunteer_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

template <typename Mutable>
void MaybeSetTime(absl::Time t, Mutable mutable_field) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  ::rectify::server::ToProto(t, mutable_field());
}

v1::VolunteerAssignment ToProto(const domain::VolunteerAssignment& a) {
  v1::VolunteerAssignment out;
  out.set_id(a.id);
  out.set_campaign_id(a.campaign_id);
  out.set_volunteer_id(a.volunteer_id);
  out.set_volunteer_organisation_id(a.volunteer_org_id);
  out.set_community_id(a.community_id);
  out.set_street_office_id(a.street_office_id);
  out.set_assigned_by(a.assigned_by);
  MaybeSetTime(a.assign_time, [&] { return out.mutable_assign_time(); });
  out.set_active(a.active());
  out.set_ended_by(a.ended_by);
  MaybeSetTime(a.end_time, [&] { return out.mutable_end_time(); });
  out.set_etag(absl::StrCat(a.version));
  return out;
}

v1::SupervisionReport ToProto(const domain::SupervisionReport& r) {
  v1::SupervisionReport out;
  out.set_id(r.id);
  out.set_kind(static_cast<v1::SupervisionReportKind>(r.kind));
  out.set_campaign_id(r.campaign_id);
  out.set_community_id(r.community_id);
  out.set_street_office_id(r.street_office_id);
  out.set_task_id(r.task_id);
  out.set_volunteer_id(r.volunteer_id);
  out.set_volunteer_organisation_id(r.volunteer_org_id);
  MaybeSetTime(r.time, [&] { return out.mutable_time(); });
  out.set_note(r.note);
  for (const domain::Evidence& e : r.evidence) {
    v1::Evidence* p = out.add_evidence();
    p->set_uri(e.uri);
    p->set_sha256(e.sha256);
    p->set_note(e.note);
    p->set_added_by(e.added_by);
    MaybeSetTime(e.add_time, [&] { return p->mutable_add_time(); });
  }
  out.set_finding(static_cast<v1::OnSiteFinding>(r.finding));
  return out;
}

std::vector<domain::Evidence> FromProto(
    const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence) {
  std::vector<domain::Evidence> out;
  for (const v1::Evidence& e : evidence) out.push_back(::rectify::server::FromProto(e));
  return out;
}

absl::StatusOr<int> PageSize(int page_size) {
  const int limit = page_size == 0 ? 100 : page_size;
  if (limit < 1 || limit > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("'page_size' is ", page_size, "; it must be 1..1000 (0: 100)"));
  }
  return limit;
}

}  // namespace

grpc::Status GrpcVolunteerService::AssignVolunteer(grpc::ServerContext* ctx,
                                                   const v1::AssignVolunteerRequest* req,
                                                   v1::VolunteerAssignment* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "AssignVolunteer", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::VolunteerAssignment a,
                              commands_.Assign(tx, who, req->campaign_id(), req->volunteer_id(),
                                               req->community_id()));
                          *resp = ToProto(a);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcVolunteerService::EndAssignment(grpc::ServerContext* ctx,
                                                 const v1::EndAssignmentRequest* req,
                                                 v1::VolunteerAssignment* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "EndAssignment", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::VolunteerAssignment a,
                              commands_.End(tx, who, {req->assignment_id(), req->etag()}));
                          *resp = ToProto(a);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcVolunteerService::ListAssignments(grpc::ServerContext* ctx,
                                                   const v1::ListAssignmentsRequest* req,
                                                   v1::ListAssignmentsResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  storage::AssignmentFilter filter;
  filter.campaign_id = req->campaign_id();
  filter.volunteer_id = req->volunteer_id();
  filter.community_id = req->community_id();
  filter.street_office_id = req->street_office_id();
  filter.active_only = req->active_only();
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size()));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::VolunteerAssignment> list,
                             commands_.ListAssignments(tx, who, filter, limit));
    for (const domain::VolunteerAssignment& a : list) *resp->add_assignments() = ToProto(a);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcVolunteerService::ReportProblem(grpc::ServerContext* ctx,
                                                 const v1::ReportSupervisionProblemRequest* req,
                                                 v1::ReportSupervisionProblemResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::Task draft;
  draft.campaign_id = req->campaign_id();
  draft.community_id = req->community_id();
  draft.category = req->category();
  draft.title = req->title();
  draft.description = req->description();
  draft.standard_item = req->standard_item();
  std::vector<domain::Evidence> evidence = FromProto(req->evidence());
  return ToGrpc(RunOnce(store_, who, "ReportSupervisionProblem", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              ProblemReported done,
                              commands_.ReportProblem(tx, who, draft, evidence));
                          *resp->mutable_report() = ToProto(done.report);
                          *resp->mutable_task() = ToProto(done.task, commands_.Now(), "");
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcVolunteerService::RecordOnSiteCheck(grpc::ServerContext* ctx,
                                                     const v1::RecordOnSiteCheckRequest* req,
                                                     v1::SupervisionReport* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  domain::CheckFinding finding = domain::CheckFinding::kUnspecified;
  switch (req->finding()) {
    case v1::ON_SITE_FINDING_FIXED:
      finding = domain::CheckFinding::kFixed;
      break;
    case v1::ON_SITE_FINDING_NOT_FIXED:
      finding = domain::CheckFinding::kNotFixed;
      break;
    default:
      break;  // the domain names 'finding'
  }
  std::vector<domain::Evidence> evidence = FromProto(req->evidence());
  return ToGrpc(RunOnce(store_, who, "RecordOnSiteCheck", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::SupervisionReport r,
                              commands_.RecordOnSiteCheck(tx, who, req->task_id(), finding,
                                                          req->note(), evidence));
                          *resp = ToProto(r);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcVolunteerService::ListSupervisionReports(
    grpc::ServerContext* ctx, const v1::ListSupervisionReportsRequest* req,
    v1::ListSupervisionReportsResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  storage::SupervisionReportFilter filter;
  filter.campaign_id = req->campaign_id();
  filter.task_id = req->task_id();
  filter.community_id = req->community_id();
  filter.volunteer_id = req->volunteer_id();
  switch (req->kind()) {
    case v1::SUPERVISION_REPORT_KIND_UNSPECIFIED:
      break;
    case v1::SUPERVISION_REPORT_KIND_PROBLEM:
      filter.kind = domain::ReportKind::kProblem;
      break;
    case v1::SUPERVISION_REPORT_KIND_ONSITE_CHECK:
      filter.kind = domain::ReportKind::kOnSiteCheck;
      break;
    default:
      return ToGrpc(absl::InvalidArgumentError(absl::StrCat(
          "'kind' ", static_cast<int>(req->kind()), " is not a supervision report kind")));
  }
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size()));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::SupervisionReport> list,
                             commands_.ListReports(tx, who, filter, limit));
    for (const domain::SupervisionReport& r : list) *resp->add_reports() = ToProto(r);
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
