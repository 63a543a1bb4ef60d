// The DirectoryService and IdentityService adapters.
#ifndef RECTIFY_SERVER_GRPC_DIRECTORY_SERVICE_H_
#define RECTIFY_SERVER_GRPC_DIRECTORY_SERVICE_H_

#include "rectify/v1/directory_service.grpc.pb.h"
#include "rectify/v1/identity_service.grpc.pb.h"
#include "server/auth.h"
#include "server/directory_commands.h"
#include "storage/store.h"

namespace rectify::server {

class GrpcDirectoryService final : public v1::DirectoryService::Service {
 public:
  GrpcDirectoryService(storage::Store& store, const Authenticator& auth,
                       const DirectoryCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status CreateCampaign(grpc::ServerContext* ctx, const v1::CreateCampaignRequest* req,
                              v1::Campaign* resp) override;
  grpc::Status GetCampaign(grpc::ServerContext* ctx, const v1::GetCampaignRequest* req,
                           v1::Campaign* resp) override;
  grpc::Status ListCampaigns(grpc::ServerContext* ctx, const v1::ListCampaignsRequest* req,
                             v1::ListCampaignsResponse* resp) override;
  grpc::Status CreateOrganisation(grpc::ServerContext* ctx,
                                  const v1::CreateOrganisationRequest* req,
                                  v1::Organisation* resp) override;
  grpc::Status GetOrganisation(grpc::ServerContext* ctx, const v1::GetOrganisationRequest* req,
                               v1::Organisation* resp) override;
  grpc::Status ListOrganisations(grpc::ServerContext* ctx,
                                 const v1::ListOrganisationsRequest* req,
                                 v1::ListOrganisationsResponse* resp) override;
  grpc::Status UpdateOrganisation(grpc::ServerContext* ctx,
                                  const v1::UpdateOrganisationRequest* req,
                                  v1::Organisation* resp) override;
  grpc::Status CreatePerson(grpc::ServerContext* ctx, const v1::CreatePersonRequest* req,
                            v1::Person* resp) override;
  grpc::Status GetPerson(grpc::ServerContext* ctx, const v1::GetPersonRequest* req,
                         v1::Person* resp) override;
  grpc::Status ListPeople(grpc::ServerContext* ctx, const v1::ListPeopleRequest* req,
                          v1::ListPeopleResponse* resp) override;
  grpc::Status CreateCommunity(grpc::ServerContext* ctx, const v1::CreateCommunityRequest* req,
                               v1::Community* resp) override;
  grpc::Status GetCommunity(grpc::ServerContext* ctx, const v1::GetCommunityRequest* req,
                            v1::Community* resp) override;
  grpc::Status ListCommunities(grpc::ServerContext* ctx, const v1::ListCommunitiesRequest* req,
                               v1::ListCommunitiesResponse* resp) override;
  grpc::Status UpdateCommunity(grpc::ServerContext* ctx, const v1::UpdateCommunityRequest* req,
                               v1::Community* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const DirectoryCommands& commands_;
};

class GrpcIdentityService final : public v1::IdentityService::Service {
 public:
  GrpcIdentityService(storage::Store& store, const Authenticator& auth,
                      const DirectoryCommands& commands)
      : store_(store), auth_(auth), commands_(commands) {}

  grpc::Status WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest* req,
                      v1::WhoAmIResponse* resp) override;
  grpc::Status IssueToken(grpc::ServerContext* ctx, const v1::IssueTokenRequest* req,
                          v1::IssueTokenResponse* resp) override;
  grpc::Status ListTokens(grpc::ServerContext* ctx, const v1::ListTokensRequest* req,
                          v1::ListTokensResponse* resp) override;
  grpc::Status RevokeToken(grpc::ServerContext* ctx, const v1::RevokeTokenRequest* req,
                           v1::TokenInfo* resp) override;

 private:
  storage::Store& store_;
  const Authenticator& auth_;
  const DirectoryCommands& commands_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_DIRECTORY_SERVICE_H_
