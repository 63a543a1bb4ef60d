#include "tests/testing/city_fixture.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "domain/calendar.h"
#include "domain/service_level.h"
#include "server/bootstrap.h"
#include "storage/sqlite_store.h"

namespace rectify::test {

absl::TimeZone Shanghai() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Asia/Shanghai", &tz)) std::abort();
  return tz;
}

absl::Time At(const std::string& local) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d %H:%M", local, Shanghai(), &t, &err)) {
    ADD_FAILURE() << "bad time " << local << ": " << err;
  }
  return t;
}

absl::Time CampaignMonday() { return At("2024-05-06 09:00"); }

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "rectify-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

CityTest::CityTest() : clock_(CampaignMonday()) {}
CityTest::~CityTest() = default;

void CityTest::SetUp() {
  db_path_ = dir_.path() + "/rectify.db";
  auto calendar = domain::WorkCalendar::LoadDirectory(RECTIFY_SOURCE_DIR "/data/calendars");
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  rules_.calendar = *calendar;
  auto levels = domain::ServiceLevelTable::LoadFile(RECTIFY_SOURCE_DIR "/data/service_levels.txt");
  ASSERT_TRUE(levels.ok()) << levels.status();
  rules_.service_levels = *levels;
  auto escalation = domain::EscalationPolicy::LoadFile(RECTIFY_SOURCE_DIR "/data/escalation.txt");
  ASSERT_TRUE(escalation.ok()) << escalation.status();
  rules_.escalation = *escalation;
  auto assessment = domain::AssessmentBook::LoadDirectory(RECTIFY_SOURCE_DIR "/data/assessment");
  ASSERT_TRUE(assessment.ok()) << assessment.status();
  rules_.assessment = *assessment;
  auto standards = server::StandardRegistry::LoadDirectory(RECTIFY_SOURCE_DIR "/data/standards");
  ASSERT_TRUE(standards.ok()) << standards.status();
  rules_.standards = *standards;
  // A small standard with a capped rule, for tests that need one.
  ASSERT_TRUE(rules_.standards.AddDirectory(RECTIFY_SOURCE_DIR "/tests/testdata/standards").ok());
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_NO_FATAL_FAILURE(Seed());
}

void CityTest::TearDown() {
  clients_.clear();
  if (server_) server_->Shutdown(absl::ZeroDuration());
  server_.reset();
  store_.reset();
}

void CityTest::StartServer() {
  storage::SqliteOptions options;
  options.path = db_path_;
  auto store = storage::OpenSqliteStore(options);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  ASSERT_TRUE(rules_.standards.SyncWithStore(*store_, clock_.Now()).ok());
  server::ServerOptions server_options = server_options_;
  server_options.listen_address = absl::StrCat("127.0.0.1:", port_);
  server_options.scheduler_period = absl::ZeroDuration();  // tests call RunOnce()
  auto server = server::RectifyServer::Start(server_options, *store_, clock_, rules_);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  port_ = server_->port();
}

void CityTest::Restart() {
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  store_.reset();
  StartServer();
}

void CityTest::RestartWith(const server::ServerOptions& options) {
  server_options_ = options;
  Restart();
}

std::string CityTest::address() const { return absl::StrCat("127.0.0.1:", port_); }

client::Client& CityTest::As(const std::string& person_id) {
  auto it = clients_.find(person_id);
  if (it != clients_.end()) return *it->second;
  client::ClientOptions options;
  options.address = address();
  options.token = tokens_.at(person_id);
  options.timeout = absl::Seconds(10);
  auto created = client::Client::Create(options);
  if (!created.ok()) std::abort();
  return *(clients_[person_id] = *std::move(created));
}

void CityTest::Seed() {
  auto admin_secret = server::BootstrapAdmin(*store_, clock_);
  ASSERT_TRUE(admin_secret.ok()) << admin_secret.status();
  ASSERT_TRUE(admin_secret->has_value());
  tokens_["admin"] = **admin_secret;
  client::Client& admin = As("admin");

  auto org = [&](const std::string& id, v1::OrgKind kind, const std::string& name,
                 const std::string& office = "") {
    v1::CreateOrganisationRequest req;
    req.mutable_organisation()->set_id(id);
    req.mutable_organisation()->set_kind(kind);
    req.mutable_organisation()->set_name(name);
    req.mutable_organisation()->set_street_office_id(office);
    auto created = admin.CreateOrganisation(req);
    ASSERT_TRUE(created.ok()) << created.status();
  };
  org("sup", v1::ORG_KIND_SUPERVISION_OFFICE, "领导小组办公室");
  org("so-1", v1::ORG_KIND_STREET_OFFICE, "幸福路街道");
  org("so-2", v1::ORG_KIND_STREET_OFFICE, "青松路街道");
  org("pc-1", v1::ORG_KIND_PROPERTY_COMPANY, "塔河物业");
  org("pc-2", v1::ORG_KIND_PROPERTY_COMPANY, "胡杨物业");
  org("oc-1", v1::ORG_KIND_COMMITTEE, "幸福小区业委会", "so-1");
  org("vt-1", v1::ORG_KIND_VOLUNTEER_TEAM, "幸福路志愿者", "so-1");

  auto person = [&](const std::string& id, const std::string& org_id, v1::Role role,
                    bool head) {
    v1::CreatePersonRequest req;
    req.mutable_person()->set_id(id);
    req.mutable_person()->set_name(id);
    req.mutable_person()->set_organisation_id(org_id);
    req.mutable_person()->set_role(role);
    auto created = admin.CreatePerson(req);
    ASSERT_TRUE(created.ok()) << created.status();
    if (head) {
      v1::UpdateOrganisationRequest update;
      update.mutable_organisation()->set_id(org_id);
      update.mutable_organisation()->set_head_person_id(id);
      update.mutable_update_mask()->add_paths("head_person_id");
      auto updated = admin.UpdateOrganisation(update);
      ASSERT_TRUE(updated.ok()) << updated.status();
    }
    v1::IssueTokenRequest token;
    token.set_person_id(id);
    token.set_label("test");
    auto issued = admin.IssueToken(token);
    ASSERT_TRUE(issued.ok()) << issued.status();
    tokens_[id] = issued->token();
  };
  person("sup-1", "sup", v1::ROLE_SUPERVISOR, true);
  person("officer-1", "so-1", v1::ROLE_STREET_OFFICER, true);
  person("officer-2", "so-2", v1::ROLE_STREET_OFFICER, true);
  person("worker-1", "pc-1", v1::ROLE_PROPERTY_STAFF, true);
  person("worker-1b", "pc-1", v1::ROLE_PROPERTY_STAFF, false);
  person("worker-2", "pc-2", v1::ROLE_PROPERTY_STAFF, true);
  person("member-1", "oc-1", v1::ROLE_COMMITTEE_MEMBER, true);
  person("volunteer-1", "vt-1", v1::ROLE_VOLUNTEER, true);

  auto community = [&](const std::string& id, const std::string& office,
                       const std::string& company, const std::string& committee) {
    v1::CreateCommunityRequest req;
    req.mutable_community()->set_id(id);
    req.mutable_community()->set_name(id);
    req.mutable_community()->set_street_office_id(office);
    req.mutable_community()->set_property_company_id(company);
    req.mutable_community()->set_owners_committee_id(committee);
    auto created = admin.CreateCommunity(req);
    ASSERT_TRUE(created.ok()) << created.status();
  };
  community("cm-1", "so-1", "pc-1", "oc-1");
  community("cm-2", "so-2", "pc-2", "");

  v1::CreateCampaignRequest campaign;
  campaign.mutable_campaign()->set_id("c1");
  campaign.mutable_campaign()->set_name("2024年度老旧小区环境整治");
  campaign.mutable_campaign()->set_city("阿拉尔市");
  campaign.mutable_campaign()->set_time_zone("Asia/Shanghai");
  campaign.mutable_campaign()->set_self_check_start("2024-04-01");
  campaign.mutable_campaign()->set_rectification_start("2024-05-01");
  campaign.mutable_campaign()->set_final_assault_start("2024-10-01");
  campaign.mutable_campaign()->set_close_date("2024-11-01");
  campaign.mutable_campaign()->set_standard_id("civilized-residential");
  auto created = As("sup-1").CreateCampaign(campaign);
  ASSERT_TRUE(created.ok()) << created.status();
}

v1::Task CityTest::OpenTask(const std::string& community, const std::string& category,
                            const std::string& title) {
  v1::CreateTaskRequest req;
  req.mutable_task()->set_campaign_id("c1");
  req.mutable_task()->set_community_id(community);
  req.mutable_task()->set_category(category);
  req.mutable_task()->set_title(title);
  req.mutable_task()->mutable_budget()->set_planned_fen(50000);
  req.mutable_task()->mutable_budget()->set_payer(v1::PAYER_PROPERTY_COMPANY);
  auto task = As(community == "cm-2" ? "officer-2" : "officer-1").CreateTask(req);
  EXPECT_TRUE(task.ok()) << task.status();
  return task.ok() ? *task : v1::Task();
}

v1::Task CityTest::TaskIn(v1::TaskState state) {
  v1::Task task = OpenTask();
  const std::string id = task.id();
  auto step = [&](absl::StatusOr<v1::TaskChange> change) {
    EXPECT_TRUE(change.ok()) << change.status();
    if (change.ok()) task = change->task();
  };
  if (state == v1::TASK_STATE_OPEN) return task;
  if (state == v1::TASK_STATE_VOIDED) {
    auto req = ById<v1::VoidTaskRequest>(id);
    req.set_reason("duplicate");
    step(As("officer-1").VoidTask(req));
    return task;
  }
  step(As("officer-1").DispatchTask(Dispatch(id, "pc-1")));
  if (state == v1::TASK_STATE_DISPATCHED) return task;
  step(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(id)));
  if (state == v1::TASK_STATE_ACCEPTED) return task;
  step(As("worker-1").StartTask(ById<v1::StartTaskRequest>(id)));
  if (state == v1::TASK_STATE_IN_PROGRESS) return task;
  if (state == v1::TASK_STATE_SUSPENDED) {
    auto req = ById<v1::SuspendTaskRequest>(id);
    req.set_reason("waiting for budget");
    step(As("officer-1").SuspendTask(req));
    return task;
  }
  step(As("worker-1").SubmitTask(Submit(id)));
  if (state == v1::TASK_STATE_SUBMITTED) return task;
  step(As("officer-1").VerifyTask(ById<v1::VerifyTaskRequest>(id)));
  return task;
}

v1::DispatchTaskRequest Dispatch(const std::string& task_id, const std::string& org,
                                 const std::string& person) {
  v1::DispatchTaskRequest req;
  req.set_task_id(task_id);
  req.set_responsible_org_id(org);
  req.set_responsible_person_id(person);
  return req;
}

v1::SubmitTaskRequest Submit(const std::string& task_id) {
  v1::SubmitTaskRequest req;
  req.set_task_id(task_id);
  v1::Evidence* e = req.add_evidence();
  e->set_uri("s3://evidence/after.jpg");
  e->set_sha256(std::string(64, 'e'));
  req.set_actual_fen(42000);
  return req;
}

}  // namespace rectify::test
