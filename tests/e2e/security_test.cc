// Transport and identity through the real server: TLS and mutual TLS with
// throwaway certificates made by the openssl CLI, tokens that are listed,
// expire and are revoked, per-person rate limits on the fake clock, client
// deadlines that stop a write, and the audit trail of who did what.
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth.h"
#include "server/grpc_util.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         ::testing::Value(std::string(arg.status().message()), substring);
}

v1::GetTaskRequest GetTask(const std::string& id) {
  v1::GetTaskRequest req;
  req.set_id(id);
  return req;
}

// ---- TLS ----------------------------------------------------------------------

// Runs a shell command; fails the test if it does not exit 0.
void Sh(const std::string& command) {
  ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0) << command;
}

// A CA, a server certificate for 127.0.0.1 and a client certificate signed by
// it, and a client certificate from another CA, as PEM files in `dir`.
void MakeCertificates(const std::string& dir) {
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  {
    std::ofstream(dir + "/server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    std::ofstream(dir + "/client.ext") << "extendedKeyUsage=clientAuth\n";
  }
  for (const std::string ca : {"ca", "other-ca"}) {
    Sh(absl::StrCat("openssl req -x509 ", ec, " -days 2 -subj /CN=", ca, " -keyout ", dir, "/",
                    ca, ".key -out ", dir, "/", ca, ".pem"));
  }
  auto issue = [&](const std::string& name, const std::string& ca, const std::string& ext) {
    Sh(absl::StrCat("openssl req ", ec, " -subj /CN=", name, " -keyout ", dir, "/", name,
                    ".key -out ", dir, "/", name, ".csr"));
    Sh(absl::StrCat("openssl x509 -req -days 2 -in ", dir, "/", name, ".csr -CA ", dir, "/", ca,
                    ".pem -CAkey ", dir, "/", ca, ".key -CAcreateserial -extfile ", dir, "/", ext,
                    " -out ", dir, "/", name, ".pem"));
  };
  issue("server", "ca", "server.ext");
  issue("client", "ca", "client.ext");
  issue("stranger", "other-ca", "client.ext");
}

class TlsTest : public CityTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CityTest::SetUp());
    certs_ = dir_.path() + "/certs";
    ASSERT_EQ(std::system(("mkdir -p " + certs_).c_str()), 0);
    ASSERT_NO_FATAL_FAILURE(MakeCertificates(certs_));
  }

  void ServeTls(bool mutual) {
    server::ServerOptions options;
    options.tls_cert_file = certs_ + "/server.pem";
    options.tls_key_file = certs_ + "/server.key";
    if (mutual) options.tls_client_ca_file = certs_ + "/ca.pem";
    RestartWith(options);
  }

  // WhoAmI as officer-1 over a fresh client.
  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(bool tls, const std::string& client_cert = "") {
    client::ClientOptions options;
    options.address = address();
    options.token = TokenOf("officer-1");
    options.timeout = absl::Seconds(5);
    options.max_attempts = 1;
    options.use_tls = tls;
    if (tls) options.ca_cert_file = certs_ + "/ca.pem";
    if (!client_cert.empty()) {
      options.client_cert_file = certs_ + "/" + client_cert + ".pem";
      options.client_key_file = certs_ + "/" + client_cert + ".key";
    }
    auto client = client::Client::Create(options);
    if (!client.ok()) return client.status();
    return (*client)->WhoAmI({});
  }

  std::string certs_;
};

TEST_F(TlsTest, ACallOverTlsSucceeds) {
  ServeTls(/*mutual=*/false);
  auto me = WhoAmI(/*tls=*/true);
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->person().id(), "officer-1");
}

TEST_F(TlsTest, APlaintextClientAgainstTlsFails) {
  ServeTls(/*mutual=*/false);
  EXPECT_EQ(WhoAmI(/*tls=*/false).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, MutualTlsAcceptsACertificateFromItsCa) {
  ServeTls(/*mutual=*/true);
  auto me = WhoAmI(/*tls=*/true, "client");
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->person().id(), "officer-1");
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutACertificate) {
  ServeTls(/*mutual=*/true);
  EXPECT_EQ(WhoAmI(/*tls=*/true).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, MutualTlsRefusesACertificateFromAnotherCa) {
  ServeTls(/*mutual=*/true);
  EXPECT_EQ(WhoAmI(/*tls=*/true, "stranger").status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, AServerWithACertButNoKeyDoesNotStart) {
  server::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.scheduler_period = absl::ZeroDuration();
  options.tls_cert_file = certs_ + "/server.pem";
  auto server = server::RectifyServer::Start(options, *store_, clock_, rules_);
  EXPECT_THAT(server, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls_key")));
}

// ---- tokens -------------------------------------------------------------------

class TokenTest : public CityTest {
 protected:
  std::unique_ptr<client::Client> WithToken(const std::string& token) {
    client::ClientOptions options;
    options.address = address();
    options.token = token;
    options.max_attempts = 1;
    auto client = client::Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // A token for officer-1 labelled `label`, living `ttl` (0: forever).
  std::string Issue(const std::string& label, absl::Duration ttl = absl::ZeroDuration()) {
    v1::IssueTokenRequest req;
    req.set_person_id("officer-1");
    req.set_label(label);
    if (ttl > absl::ZeroDuration()) req.mutable_ttl()->set_seconds(absl::ToInt64Seconds(ttl));
    auto issued = As("admin").IssueToken(req);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? issued->token() : "";
  }
};

TEST_F(TokenTest, AdminListsTokensWithTheirIdsButNeverTheSecrets) {
  const std::string secret = Issue("laptop", absl::Hours(1));
  auto listed = As("admin").ListTokens({});
  ASSERT_TRUE(listed.ok()) << listed.status();
  const std::string id = server::TokenId(server::HashToken(secret));
  const v1::TokenInfo* found = nullptr;
  for (const v1::TokenInfo& t : listed->tokens()) {
    EXPECT_THAT(t.DebugString(), Not(HasSubstr(secret)));
    EXPECT_THAT(t.DebugString(), Not(HasSubstr(server::HashToken(secret))));
    if (t.token_id() == id) found = &t;
  }
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->person_id(), "officer-1");
  EXPECT_EQ(found->label(), "laptop");
  EXPECT_EQ(found->create_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  EXPECT_EQ(found->expire_time().seconds(), absl::ToUnixSeconds(clock_.Now() + absl::Hours(1)));
  EXPECT_FALSE(found->revoked());
  EXPECT_FALSE(found->expired());

  // Issuing is audited: by the admin, of officer-1's tokens (the fixture's
  // first one, then this).
  v1::ListAuditRequest audit;
  audit.set_method("IssueToken");
  audit.set_resource("people/officer-1");
  auto rows = As("sup-1").ListAudit(audit);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->records_size(), 2);
  for (const v1::AuditRecord& row : rows->records()) {
    EXPECT_EQ(row.principal(), "admin");
    EXPECT_THAT(row.DebugString(), Not(HasSubstr(secret)));
  }
}

TEST_F(TokenTest, APersonListsOnlyTheirOwnTokens) {
  Issue("phone");
  auto mine = As("officer-1").ListTokens({});
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_GE(mine->tokens_size(), 2);
  for (const v1::TokenInfo& t : mine->tokens()) EXPECT_EQ(t.person_id(), "officer-1");
  v1::ListTokensRequest theirs;
  theirs.set_person_id("worker-1");
  EXPECT_THAT(As("officer-1").ListTokens(theirs),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("worker-1")));
}

TEST_F(TokenTest, AnExpiredTokenIsUnauthenticatedSayingSo) {
  auto client = WithToken(Issue("an hour", absl::Hours(1)));
  ASSERT_TRUE(client->WhoAmI({}).ok());
  clock_.Advance(absl::Hours(1));
  EXPECT_THAT(client->WhoAmI({}), StatusIs(absl::StatusCode::kUnauthenticated,
                                           HasSubstr("expired")));
}

TEST_F(TokenTest, ARevokedTokenIsUnauthenticatedSayingSo) {
  const std::string secret = Issue("lost phone");
  auto client = WithToken(secret);
  ASSERT_TRUE(client->WhoAmI({}).ok());
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(server::TokenId(server::HashToken(secret)));
  auto revoked = As("officer-1").RevokeToken(revoke);  // their own: allowed
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->revoked());
  EXPECT_THAT(client->WhoAmI({}), StatusIs(absl::StatusCode::kUnauthenticated,
                                           HasSubstr("revoked")));
  EXPECT_TRUE(As("officer-1").WhoAmI({}).ok());  // their other token still works
}

// Identities are kept in memory between calls (Authenticator::Identify): a
// change to a person or their organisation, by an RPC or straight through the
// store, counts from the very next call.
TEST_F(TokenTest, AChangeToAPersonOrTheirOrganisationCountsFromTheNextCall) {
  auto before = As("officer-1").WhoAmI({});
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->person().role(), v1::ROLE_STREET_OFFICER);

  v1::UpdateOrganisationRequest rename;
  rename.mutable_organisation()->set_id(before->organisation().id());
  rename.mutable_organisation()->set_name("幸福街道办事处");
  rename.mutable_update_mask()->add_paths("name");
  ASSERT_TRUE(As("admin").UpdateOrganisation(rename).ok());
  auto renamed = As("officer-1").WhoAmI({});
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->organisation().name(), "幸福街道办事处");

  const absl::Status promote = store_->Write([](storage::WriteTx& tx) -> absl::Status {
    absl::StatusOr<domain::Person> person = tx.GetPerson("officer-1");
    if (!person.ok()) return person.status();
    person->role = domain::Role::kSupervisor;
    return tx.SavePerson(*person);
  });
  ASSERT_TRUE(promote.ok()) << promote;
  auto promoted = As("officer-1").WhoAmI({});
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->person().role(), v1::ROLE_SUPERVISOR);
  // And acts as one: only supervisors read the audit trail.
  EXPECT_TRUE(As("officer-1").ListAudit({}).ok());
}

TEST_F(TokenTest, APersonCannotRevokeSomeoneElsesToken) {
  const std::string secret = Issue("desk");
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(server::TokenId(server::HashToken(secret)));
  EXPECT_THAT(As("worker-1").RevokeToken(revoke),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("their own")));
  EXPECT_TRUE(WithToken(secret)->WhoAmI({}).ok());
}

TEST_F(TokenTest, RevokingAnUnknownOrMalformedIdNamesIt) {
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id("00000000");
  EXPECT_THAT(As("admin").RevokeToken(revoke),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("00000000")));
  revoke.set_token_id("xyz");
  EXPECT_THAT(As("admin").RevokeToken(revoke),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("token_id")));
}

// ---- rate limits ----------------------------------------------------------------

TEST_F(CityTest, OverTheRateLimitIsResourceExhaustedWithARetryHintUntilTheClockMoves) {
  server::ServerOptions options;
  options.rate_limit = {/*per_second=*/2, /*burst=*/3};
  RestartWith(options);
  client::Client& officer = As("officer-1");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(officer.WhoAmI({}).ok()) << i;
  auto refused = officer.WhoAmI({});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                AllOf(HasSubstr("officer-1"), HasSubstr("retry in 500 ms"))));
  auto hint = refused.status().GetPayload(client::kRetryAfterMs);
  ASSERT_TRUE(hint.has_value());
  EXPECT_EQ(std::string(*hint), "500");
  EXPECT_TRUE(As("worker-1").WhoAmI({}).ok());  // a bucket per person
  clock_.Advance(absl::Milliseconds(499));
  EXPECT_EQ(officer.WhoAmI({}).status().code(), absl::StatusCode::kResourceExhausted);
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(officer.WhoAmI({}).ok());
}

TEST_F(CityTest, CallsWithABadTokenAreRateLimitedByAddressAndOnlyAdmittedOnesAudited) {
  server::ServerOptions options;
  options.rate_limit = {/*per_second=*/2, /*burst=*/3};
  RestartWith(options);
  client::ClientOptions bad;
  bad.address = address();
  bad.token = "rct_guess";
  bad.max_attempts = 1;
  auto guesser = client::Client::Create(bad);
  ASSERT_TRUE(guesser.ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*guesser)->WhoAmI({}).status().code(), absl::StatusCode::kUnauthenticated) << i;
  }
  auto refused = (*guesser)->WhoAmI({});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("127.0.0.1")));
  EXPECT_TRUE(refused.status().GetPayload(client::kRetryAfterMs).has_value());
  EXPECT_TRUE(As("officer-1").WhoAmI({}).ok());  // people with tokens are not held up

  v1::ListAuditRequest audit;
  audit.set_method("WhoAmI");
  auto rows = As("sup-1").ListAudit(audit);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->records_size(), 3);  // the refused-as-unauthenticated ones only
}

// ---- deadlines ------------------------------------------------------------------

TEST_F(CityTest, AWriteWhoseCallerHasGoneIsNotSaved) {
  const v1::Task task = OpenTask();
  server::SetBeforeCommitHookForTesting([](absl::string_view method) {
    if (method == "DispatchTask") absl::SleepFor(absl::Milliseconds(600));
  });
  client::ClientOptions options;
  options.address = address();
  options.token = TokenOf("officer-1");
  options.timeout = absl::Milliseconds(150);
  options.max_attempts = 1;
  auto impatient = client::Client::Create(options);
  ASSERT_TRUE(impatient.ok());
  auto dispatched = (*impatient)->DispatchTask(Dispatch(task.id(), "pc-1"));
  EXPECT_EQ(dispatched.status().code(), absl::StatusCode::kDeadlineExceeded);
  absl::SleepFor(absl::Seconds(1));  // let the server finish with it

  auto now = As("officer-1").GetTask(GetTask(task.id()));
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->state(), v1::TASK_STATE_OPEN);
  v1::ListAuditRequest audit;
  audit.set_method("DispatchTask");
  auto rows = As("sup-1").ListAudit(audit);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_THAT(rows->records(), IsEmpty());
  // The same slow path with a patient caller (10 s) gets it done: the hook
  // alone does not fail a write, the caller's absence does.
  auto patient = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  server::SetBeforeCommitHookForTesting(nullptr);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(patient->task().state(), v1::TASK_STATE_DISPATCHED);
}

// ---- audit ----------------------------------------------------------------------

TEST_F(CityTest, ACommittedChangeIsAuditedWithWhoWhenTokenResourceAndRequestId) {
  const v1::Task task = OpenTask();
  v1::DispatchTaskRequest dispatch = Dispatch(task.id(), "pc-1");
  dispatch.set_request_id("audit-r-1");
  ASSERT_TRUE(As("officer-1").DispatchTask(dispatch).ok());
  ASSERT_TRUE(As("officer-1").DispatchTask(dispatch).ok());  // a retry: one change, one row

  v1::ListAuditRequest req;
  req.set_resource(absl::StrCat("tasks/", task.id()));
  req.set_method("DispatchTask");
  auto rows = As("sup-1").ListAudit(req);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->records_size(), 1);
  const v1::AuditRecord& row = rows->records(0);
  EXPECT_EQ(row.principal(), "officer-1");
  EXPECT_EQ(row.token_id(), server::TokenId(server::HashToken(TokenOf("officer-1"))));
  EXPECT_EQ(row.request_id(), "audit-r-1");
  EXPECT_EQ(row.code(), 0);
  EXPECT_EQ(row.time().seconds(), absl::ToUnixSeconds(clock_.Now()));
}

TEST_F(CityTest, RefusedCallsAreAuditedWithTheirCodeAndMessage) {
  const v1::Task task = OpenTask();
  auto forbidden = As("worker-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  ASSERT_EQ(forbidden.status().code(), absl::StatusCode::kPermissionDenied);
  client::ClientOptions options;
  options.address = address();
  options.token = "rct_not-a-real-token";
  options.max_attempts = 1;
  auto stranger = client::Client::Create(options);
  ASSERT_TRUE(stranger.ok());
  ASSERT_EQ((*stranger)->GetTask(GetTask(task.id())).status().code(),
            absl::StatusCode::kUnauthenticated);

  auto rows = As("sup-1").ListAudit({});
  ASSERT_TRUE(rows.ok()) << rows.status();
  bool saw_denied = false, saw_unauthenticated = false;
  for (const v1::AuditRecord& row : rows->records()) {
    if (row.code() == 7 && row.method() == "DispatchTask") {
      saw_denied = true;
      EXPECT_EQ(row.principal(), "worker-1");
      EXPECT_EQ(row.resource(), absl::StrCat("tasks/", task.id()));
      EXPECT_EQ(row.message(), forbidden.status().message());
    }
    if (row.code() == 16 && row.method() == "GetTask") {
      saw_unauthenticated = true;
      EXPECT_EQ(row.principal(), "");
      EXPECT_EQ(row.token_id(), server::TokenId(server::HashToken("rct_not-a-real-token")));
    }
  }
  EXPECT_TRUE(saw_denied);
  EXPECT_TRUE(saw_unauthenticated);
}

TEST_F(CityTest, OnlySupervisorsAndAdminsReadTheAuditTrail) {
  EXPECT_THAT(As("worker-1").ListAudit({}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("audit")));
  EXPECT_TRUE(As("admin").ListAudit({}).ok());
  EXPECT_TRUE(As("sup-1").ListAudit({}).ok());
}

TEST_F(CityTest, TheAuditTrailPagesWithoutRepeatsOrGaps) {
  for (int i = 0; i < 5; ++i) OpenTask();
  v1::ListAuditRequest req;
  req.set_method("CreateTask");
  req.set_page_size(2);
  std::vector<int64_t> seqs;
  for (int page = 0; page < 10; ++page) {
    auto rows = As("sup-1").ListAudit(req);
    ASSERT_TRUE(rows.ok()) << rows.status();
    for (const v1::AuditRecord& row : rows->records()) seqs.push_back(row.seq());
    if (rows->next_page_token().empty()) break;
    req.set_page_token(rows->next_page_token());
  }
  ASSERT_EQ(seqs.size(), 5u);
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_LT(seqs[i], seqs[i - 1]);
  req.set_page_token("bogus");
  EXPECT_THAT(As("sup-1").ListAudit(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

}  // namespace
}  // namespace rectify::test
