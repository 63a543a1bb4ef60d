// The small city the crash harness and the soak driver write to: street office
// so-1, property company pc-1 (head worker-1), community cm-1, campaign c1 in
// its rectification phase. Created as the bootstrap admin on a new database;
// returns false, saying why on stderr, if a step fails.
#ifndef RECTIFY_TESTS_RELIABILITY_RELIABILITY_CITY_H_
#define RECTIFY_TESTS_RELIABILITY_RELIABILITY_CITY_H_

#include <cstdio>

#include "client/client.h"

namespace rectify::test {

inline bool SeedReliabilityCity(client::Client& admin) {
  auto org = [&](const char* id, v1::OrgKind kind, const char* name) {
    v1::CreateOrganisationRequest req;
    req.mutable_organisation()->set_id(id);
    req.mutable_organisation()->set_kind(kind);
    req.mutable_organisation()->set_name(name);
    auto r = admin.CreateOrganisation(req);
    if (!r.ok()) std::fprintf(stderr, "seed: %s\n", r.status().ToString().c_str());
    return r.ok();
  };
  if (!org("so-1", v1::ORG_KIND_STREET_OFFICE, "幸福路街道")) return false;
  if (!org("pc-1", v1::ORG_KIND_PROPERTY_COMPANY, "塔河物业")) return false;
  v1::CreatePersonRequest person;
  person.mutable_person()->set_id("worker-1");
  person.mutable_person()->set_name("张伟");
  person.mutable_person()->set_organisation_id("pc-1");
  person.mutable_person()->set_role(v1::ROLE_PROPERTY_STAFF);
  if (!admin.CreatePerson(person).ok()) return false;
  v1::UpdateOrganisationRequest head;
  head.mutable_organisation()->set_id("pc-1");
  head.mutable_organisation()->set_head_person_id("worker-1");
  head.mutable_update_mask()->add_paths("head_person_id");
  if (!admin.UpdateOrganisation(head).ok()) return false;
  v1::CreateCommunityRequest community;
  community.mutable_community()->set_id("cm-1");
  community.mutable_community()->set_name("幸福小区");
  community.mutable_community()->set_street_office_id("so-1");
  community.mutable_community()->set_property_company_id("pc-1");
  if (!admin.CreateCommunity(community).ok()) return false;
  v1::CreateCampaignRequest campaign;
  campaign.mutable_campaign()->set_id("c1");
  campaign.mutable_campaign()->set_name("整治");
  campaign.mutable_campaign()->set_self_check_start("2026-01-01");
  campaign.mutable_campaign()->set_rectification_start("2026-02-01");
  campaign.mutable_campaign()->set_final_assault_start("2036-10-01");
  campaign.mutable_campaign()->set_close_date("2037-12-01");
  auto created = admin.CreateCampaign(campaign);
  if (!created.ok()) std::fprintf(stderr, "seed: %s\n", created.status().ToString().c_str());
  return created.ok();
}

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_RELIABILITY_RELIABILITY_CITY_H_
