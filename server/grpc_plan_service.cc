#include "server/grpc_plan_service.h"

#include <string>
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

v1::ResponsibilityLetter ToProto(const domain::ResponsibilityLetter& l) {
  v1::ResponsibilityLetter out;
  out.set_id(l.id);
  out.set_campaign_id(l.campaign_id);
  out.set_community_id(l.community_id);
  out.set_street_office_id(l.street_office_id);
  out.set_owners_committee_id(l.owners_committee_id);
  out.set_property_company_id(l.property_company_id);
  for (const std::string& i : l.indicators) out.add_indicators(i);
  out.set_responsibilities(l.responsibilities);
  out.set_term_start(absl::FormatCivilTime(l.term_start));
  out.set_term_end(absl::FormatCivilTime(l.term_end));
  out.set_state(static_cast<v1::LetterState>(l.state));
  for (const domain::LetterSignature& s : l.signatures) {
    v1::LetterSignature* sig = out.add_signatures();
    sig->set_organisation_id(s.org_id);
    sig->set_person_id(s.person_id);
    MaybeSetTime(s.time, [&] { return sig->mutable_time(); });
  }
  for (const std::string& id : domain::MissingSignatures(l)) out.add_missing_organisation_ids(id);
  out.set_drafted_by(l.drafted_by);
  MaybeSetTime(l.draft_time, [&] { return out.mutable_draft_time(); });
  MaybeSetTime(l.sign_time, [&] { return out.mutable_sign_time(); });
  MaybeSetTime(l.update_time, [&] { return out.mutable_update_time(); });
  out.set_etag(absl::StrCat(l.version));
  return out;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is \"", text, "\"; expected a date as YYYY-MM-DD"));
  }
  return day;
}

absl::StatusOr<domain::ResponsibilityLetter> FromProto(const v1::DraftLetterRequest& req) {
  domain::ResponsibilityLetter l;
  l.campaign_id = req.campaign_id();
  l.community_id = req.community_id();
  l.indicators.assign(req.indicators().begin(), req.indicators().end());
  l.responsibilities = req.responsibilities();
  RECTIFY_ASSIGN_OR_RETURN(l.term_start, ParseDay("term_start", req.term_start()));
  RECTIFY_ASSIGN_OR_RETURN(l.term_end, ParseDay("term_end", req.term_end()));
  return l;
}

absl::StatusOr<storage::LetterFilter> FromProto(const v1::ListLettersRequest& req) {
  storage::LetterFilter f;
  f.campaign_id = req.campaign_id();
  f.community_id = req.community_id();
  switch (req.state()) {
    case v1::LETTER_STATE_UNSPECIFIED:
      break;
    case v1::LETTER_STATE_DRAFTED:
      f.state = domain::LetterState::kDrafted;
      break;
    case v1::LETTER_STATE_SIGNED:
      f.state = domain::LetterState::kSigned;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("'state' ", static_cast<int>(req.state()), " is not a letter state"));
  }
  return f;
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

grpc::Status GrpcPlanService::DraftLetter(grpc::ServerContext* ctx,
                                          const v1::DraftLetterRequest* req,
                                          v1::ResponsibilityLetter* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::ResponsibilityLetter draft, FromProto(*req));
  return ToGrpc(RunOnce(store_, who, "DraftLetter", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(domain::ResponsibilityLetter l,
                                                   letters_.Draft(tx, who, draft));
                          *resp = ToProto(l);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::SignLetter(grpc::ServerContext* ctx,
                                         const v1::SignLetterRequest* req,
                                         v1::ResponsibilityLetter* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "SignLetter", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(
                              domain::ResponsibilityLetter l,
                              letters_.Sign(tx, who, {req->letter_id(), req->etag()}));
                          *resp = ToProto(l);
                          return absl::OkStatus();
                        }));
}

grpc::Status GrpcPlanService::GetLetter(grpc::ServerContext* ctx, const v1::GetLetterRequest* req,
                                        v1::ResponsibilityLetter* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(domain::ResponsibilityLetter l,
                             letters_.Get(tx, who, req->letter_id()));
    *resp = ToProto(l);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcPlanService::ListLetters(grpc::ServerContext* ctx,
                                          const v1::ListLettersRequest* req,
                                          v1::ListLettersResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(storage::LetterFilter filter, FromProto(*req));
  RECTIFY_GRPC_ASSIGN_OR_RETURN(int limit, PageSize(req->page_size()));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::ResponsibilityLetter> letters,
                             letters_.List(tx, who, filter, limit));
    for (const domain::ResponsibilityLetter& l : letters) *resp->add_letters() = ToProto(l);
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
