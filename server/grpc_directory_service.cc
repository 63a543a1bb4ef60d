#include "server/grpc_directory_service.h"

#include <vector>

#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

absl::Status RequireId(absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError("'id' is required");
  return absl::OkStatus();
}

FieldPaths Paths(const google::protobuf::FieldMask& mask) {
  return FieldPaths(mask.paths().begin(), mask.paths().end());
}

// Get<Thing>: identify, validate the id, read one row, convert.
template <typename Proto, typename Getter>
grpc::Status GetOne(storage::Store& store, const Authenticator& auth,
                    const grpc::ServerContext& ctx, absl::string_view id, Proto* resp,
                    Getter getter) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth, ctx));
  (void)who;  // every authenticated caller may read the directory
  if (absl::Status s = RequireId(id); !s.ok()) return ToGrpc(s);
  return ToGrpc(store.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(auto value, getter(tx, id));
    *resp = ToProto(value);
    return absl::OkStatus();
  }));
}

// List<Things>: identify, read rows, convert each into `add()`.
template <typename Lister, typename Adder>
grpc::Status ListAll(storage::Store& store, const Authenticator& auth,
                     const grpc::ServerContext& ctx, Lister lister, Adder add) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth, ctx));
  (void)who;
  return ToGrpc(store.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(auto rows, lister(tx));
    for (const auto& row : rows) *add() = ToProto(row);
    return absl::OkStatus();
  }));
}

// Create/Update<Thing>: identify, run once per request_id, convert.
template <typename Proto, typename Command>
grpc::Status WriteOne(storage::Store& store, const Authenticator& auth,
                      const grpc::ServerContext& ctx, absl::string_view method,
                      const google::protobuf::Message& req, absl::string_view request_id,
                      Proto* resp, Command command) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth, ctx));
  return ToGrpc(RunOnce(store, who, method, req, request_id, resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(auto value, command(tx, who));
                          *resp = ToProto(value);
                          return absl::OkStatus();
                        }));
}

}  // namespace

grpc::Status GrpcDirectoryService::CreateCampaign(grpc::ServerContext* ctx,
                                                  const v1::CreateCampaignRequest* req,
                                                  v1::Campaign* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::Campaign campaign, FromProto(req->campaign()));
  return WriteOne(store_, auth_, *ctx, "CreateCampaign", *req, req->request_id(), resp,
                  [&](storage::WriteTx& tx, const Principal& who) {
                    return commands_.CreateCampaign(tx, who, campaign);
                  });
}

grpc::Status GrpcDirectoryService::GetCampaign(grpc::ServerContext* ctx,
                                               const v1::GetCampaignRequest* req,
                                               v1::Campaign* resp) {
  return GetOne(store_, auth_, *ctx, req->id(), resp,
                [](storage::ReadTx& tx, absl::string_view id) { return tx.GetCampaign(id); });
}

grpc::Status GrpcDirectoryService::ListCampaigns(grpc::ServerContext* ctx,
                                                 const v1::ListCampaignsRequest*,
                                                 v1::ListCampaignsResponse* resp) {
  return ListAll(
      store_, auth_, *ctx, [](storage::ReadTx& tx) { return tx.ListCampaigns(); },
      [&] { return resp->add_campaigns(); });
}

grpc::Status GrpcDirectoryService::CreateOrganisation(grpc::ServerContext* ctx,
                                                      const v1::CreateOrganisationRequest* req,
                                                      v1::Organisation* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::Organisation org, FromProto(req->organisation()));
  return WriteOne(store_, auth_, *ctx, "CreateOrganisation", *req, req->request_id(), resp,
                  [&](storage::WriteTx& tx, const Principal& who) {
                    return commands_.CreateOrganisation(tx, who, org);
                  });
}

grpc::Status GrpcDirectoryService::GetOrganisation(grpc::ServerContext* ctx,
                                                   const v1::GetOrganisationRequest* req,
                                                   v1::Organisation* resp) {
  return GetOne(store_, auth_, *ctx, req->id(), resp, [](storage::ReadTx& tx, absl::string_view id) {
    return tx.GetOrganisation(id);
  });
}

grpc::Status GrpcDirectoryService::ListOrganisations(grpc::ServerContext* ctx,
                                                     const v1::ListOrganisationsRequest* req,
                                                     v1::ListOrganisationsResponse* resp) {
  std::optional<domain::OrgKind> kind;
  if (req->kind() != v1::ORG_KIND_UNSPECIFIED) {
    if (req->kind() < 0 || req->kind() > v1::OrgKind_MAX) {
      return ToGrpc(absl::InvalidArgumentError("'kind' is not a known organisation kind"));
    }
    kind = static_cast<domain::OrgKind>(req->kind());
  }
  return ListAll(
      store_, auth_, *ctx, [&](storage::ReadTx& tx) { return tx.ListOrganisations(kind); },
      [&] { return resp->add_organisations(); });
}

grpc::Status GrpcDirectoryService::UpdateOrganisation(grpc::ServerContext* ctx,
                                                      const v1::UpdateOrganisationRequest* req,
                                                      v1::Organisation* resp) {
  if (absl::Status s = RequireId(req->organisation().id()); !s.ok()) {
    return ToGrpc(absl::InvalidArgumentError("'organisation.id' is required"));
  }
  domain::Organisation update;
  update.id = req->organisation().id();
  update.name = req->organisation().name();
  update.head_person_id = req->organisation().head_person_id();
  update.street_office_id = req->organisation().street_office_id();
  return WriteOne(store_, auth_, *ctx, "UpdateOrganisation", *req, req->request_id(), resp,
                  [&](storage::WriteTx& tx, const Principal& who) {
                    return commands_.UpdateOrganisation(tx, who, update,
                                                        req->organisation().etag(),
                                                        Paths(req->update_mask()));
                  });
}

grpc::Status GrpcDirectoryService::CreatePerson(grpc::ServerContext* ctx,
                                                const v1::CreatePersonRequest* req,
                                                v1::Person* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(domain::Person person, FromProto(req->person()));
  return WriteOne(store_, auth_, *ctx, "CreatePerson", *req, req->request_id(), resp,
                  [&](storage::WriteTx& tx, const Principal& who) {
                    return commands_.CreatePerson(tx, who, person);
                  });
}

grpc::Status GrpcDirectoryService::GetPerson(grpc::ServerContext* ctx,
                                             const v1::GetPersonRequest* req, v1::Person* resp) {
  return GetOne(store_, auth_, *ctx, req->id(), resp,
                [](storage::ReadTx& tx, absl::string_view id) { return tx.GetPerson(id); });
}

grpc::Status GrpcDirectoryService::ListPeople(grpc::ServerContext* ctx,
                                              const v1::ListPeopleRequest* req,
                                              v1::ListPeopleResponse* resp) {
  return ListAll(
      store_, auth_, *ctx,
      [&](storage::ReadTx& tx) { return tx.ListPeople(req->organisation_id()); },
      [&] { return resp->add_people(); });
}

grpc::Status GrpcDirectoryService::CreateCommunity(grpc::ServerContext* ctx,
                                                   const v1::CreateCommunityRequest* req,
                                                   v1::Community* resp) {
  const domain::Community community = FromProto(req->community());
  return WriteOne(store_, auth_, *ctx, "CreateCommunity", *req, req->request_id(), resp,
                  [&](storage::WriteTx& tx, const Principal& who) {
                    return commands_.CreateCommunity(tx, who, community);
                  });
}

grpc::Status GrpcDirectoryService::GetCommunity(grpc::ServerContext* ctx,
                                                const v1::GetCommunityRequest* req,
                                                v1::Community* resp) {
  return GetOne(store_, auth_, *ctx, req->id(), resp,
                [](storage::ReadTx& tx, absl::string_view id) { return tx.GetCommunity(id); });
}

grpc::Status GrpcDirectoryService::ListCommunities(grpc::ServerContext* ctx,
                                                   const v1::ListCommunitiesRequest* req,
                                                   v1::ListCommunitiesResponse* resp) {
  return ListAll(
      store_, auth_, *ctx,
      [&](storage::ReadTx& tx) { return tx.ListCommunities(req->street_office_id()); },
      [&] { return resp->add_communities(); });
}

grpc::Status GrpcDirectoryService::UpdateCommunity(grpc::ServerContext* ctx,
                                                   const v1::UpdateCommunityRequest* req,
                                                   v1::Community* resp) {
  if (req->community().id().empty()) {
    return ToGrpc(absl::InvalidArgumentError("'community.id' is required"));
  }
  const domain::Community update = FromProto(req->community());
  return WriteOne(store_, auth_, *ctx, "UpdateCommunity", *req, req->request_id(), resp,
                  [&](storage::WriteTx& tx, const Principal& who) {
                    return commands_.UpdateCommunity(tx, who, update, req->community().etag(),
                                                     Paths(req->update_mask()));
                  });
}

grpc::Status GrpcIdentityService::WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest*,
                                         v1::WhoAmIResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  *resp->mutable_person() = ToProto(who.person);
  *resp->mutable_organisation() = ToProto(who.organisation);
  return grpc::Status::OK;
}

grpc::Status GrpcIdentityService::IssueToken(grpc::ServerContext* ctx,
                                             const v1::IssueTokenRequest* req,
                                             v1::IssueTokenResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  absl::Duration ttl = absl::ZeroDuration();
  if (req->has_ttl()) {
    RECTIFY_GRPC_ASSIGN_OR_RETURN(ttl, FromProto(req->ttl(), "ttl"));
  }
  if (req->person_id().empty()) {
    return ToGrpc(absl::InvalidArgumentError("'person_id' is required"));
  }
  // Not deduplicated by request_id: the stored first answer would hold the
  // secret, and the server keeps only token hashes. A retry issues another
  // token; the unused one can expire or be revoked.
  return ToGrpc(store_.Write([&](storage::WriteTx& tx) -> absl::Status {
    absl::Time expire;
    RECTIFY_ASSIGN_OR_RETURN(
        std::string secret,
        commands_.IssueToken(tx, who, req->person_id(), req->label(), ttl, &expire));
    resp->set_token(secret);
    if (expire != absl::InfiniteFuture()) ToProto(expire, resp->mutable_expire_time());
    return Audit(tx, who, "IssueToken", *req, req->request_id(), absl::OkStatus());
  }));
}

namespace {

v1::TokenInfo TokenToProto(const storage::TokenRecord& t, absl::Time now) {
  v1::TokenInfo out;
  out.set_token_id(TokenId(t.token_hash));
  out.set_person_id(t.person_id);
  out.set_label(t.label);
  ToProto(t.create_time, out.mutable_create_time());
  if (t.expire_time != absl::InfiniteFuture()) ToProto(t.expire_time, out.mutable_expire_time());
  out.set_revoked(t.revoked);
  out.set_expired(t.expire_time <= now);
  return out;
}

}  // namespace

grpc::Status GrpcIdentityService::ListTokens(grpc::ServerContext* ctx,
                                             const v1::ListTokensRequest* req,
                                             v1::ListTokensResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<storage::TokenRecord> tokens,
                             commands_.ListTokens(tx, who, req->person_id()));
    for (const storage::TokenRecord& token : tokens) {
      *resp->add_tokens() = TokenToProto(token, who.time);
    }
    return absl::OkStatus();
  }));
}

grpc::Status GrpcIdentityService::RevokeToken(grpc::ServerContext* ctx,
                                              const v1::RevokeTokenRequest* req,
                                              v1::TokenInfo* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(RunOnce(store_, who, "RevokeToken", *req, req->request_id(), resp,
                        [&](storage::WriteTx& tx) -> absl::Status {
                          RECTIFY_ASSIGN_OR_RETURN(storage::TokenRecord token,
                                                   commands_.RevokeToken(tx, who, req->token_id()));
                          *resp = TokenToProto(token, who.time);
                          return absl::OkStatus();
                        }));
}

}  // namespace rectify::server
