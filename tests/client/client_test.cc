// The client library against an in-process fake server on a loopback port.
#include "client/client.h"

#include <set>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/fake_server.h"

namespace rectify::client {
namespace {

using ::testing::Each;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()); }

  std::unique_ptr<Client> MakeClient(ClientOptions options) {
    options.address = server_.address();
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }
  std::unique_ptr<Client> MakeClient() {
    ClientOptions options;
    options.token = "tok-123";
    options.initial_backoff = absl::Milliseconds(1);
    return MakeClient(options);
  }

  static v1::StartTaskRequest Start(const std::string& request_id = "") {
    v1::StartTaskRequest request;
    request.set_task_id("T-42");
    request.set_request_id(request_id);
    return request;
  }

  test::FakeServer server_;
};

TEST_F(ClientTest, BearerTokenArrivesInMetadata) {
  auto client = MakeClient();
  ASSERT_TRUE(client->WhoAmI({}).ok());
  ASSERT_THAT(server_.backend.calls(), SizeIs(1));
  EXPECT_EQ(server_.backend.calls()[0].authorization, "Bearer tok-123");
}

TEST_F(ClientTest, NoTokenSendsNoAuthorization) {
  auto client = MakeClient(ClientOptions{});
  ASSERT_TRUE(client->WhoAmI({}).ok());
  ASSERT_THAT(server_.backend.calls(), SizeIs(1));
  EXPECT_EQ(server_.backend.calls()[0].authorization, "");
}

TEST_F(ClientTest, EveryCallHasTheConfiguredDeadline) {
  ClientOptions options;
  options.timeout = absl::Seconds(7);
  auto client = MakeClient(options);
  ASSERT_TRUE(client->GetTask({}).ok());
  ASSERT_TRUE(client->StartTask(Start()).ok());
  for (const test::RecordedCall& call : server_.backend.calls()) {
    EXPECT_TRUE(call.has_deadline) << call.method;
    EXPECT_GT(call.time_left, absl::Seconds(5)) << call.method;
    // grpc-timeout on the wire rounds up a little.
    EXPECT_LE(call.time_left, absl::Seconds(7) + absl::Milliseconds(100)) << call.method;
  }
}

TEST_F(ClientTest, SlowServerGivesDeadlineExceeded) {
  ClientOptions options;
  options.timeout = absl::Milliseconds(100);
  auto client = MakeClient(options);
  server_.backend.SetDelay(absl::Milliseconds(500));
  EXPECT_EQ(client->GetTask({}).status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ClientTest, StatusCodeAndMessageComeBackUnchanged) {
  auto client = MakeClient();
  const std::string message = "task 'T-42' is in state SUBMITTED; 'start' needs ACCEPTED (整改中)";
  server_.backend.FailNext(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, message));
  absl::StatusOr<v1::TaskChange> change = client->StartTask(Start());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(change.status().message(), message);
}

TEST_F(ClientTest, EveryErrorCodeSurvivesTheRoundTrip) {
  auto client = MakeClient();
  for (grpc::StatusCode code :
       {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::NOT_FOUND,
        grpc::StatusCode::ALREADY_EXISTS, grpc::StatusCode::PERMISSION_DENIED,
        grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::ABORTED,
        grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::INTERNAL,
        grpc::StatusCode::DATA_LOSS}) {
    server_.backend.FailNext(grpc::Status(code, "because"));
    absl::Status status = client->GetTask({}).status();
    EXPECT_EQ(static_cast<int>(status.code()), static_cast<int>(code));
    EXPECT_EQ(status.message(), "because");
  }
}

TEST_F(ClientTest, UnavailableIsRetriedWithTheSameRequestId) {
  auto client = MakeClient();
  server_.backend.FailNext(grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"), 2);
  ASSERT_TRUE(client->StartTask(Start()).ok());
  const std::vector<test::RecordedCall> calls = server_.backend.calls();
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_THAT(calls[0].request_id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_THAT(calls, Each(Field(&test::RecordedCall::request_id, calls[0].request_id)));
}

TEST_F(ClientTest, RetryStopsAfterMaxAttempts) {
  ClientOptions options;
  options.max_attempts = 3;
  options.initial_backoff = absl::Milliseconds(1);
  auto client = MakeClient(options);
  server_.backend.FailNext(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down for maintenance"), 10);
  absl::Status status = client->StartTask(Start("my-id")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "down for maintenance");
  const std::vector<test::RecordedCall> calls = server_.backend.calls();
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_THAT(calls, Each(Field(&test::RecordedCall::request_id, "my-id")));
}

TEST_F(ClientTest, OneAttemptMeansNoRetry) {
  ClientOptions options;
  options.max_attempts = 1;
  auto client = MakeClient(options);
  server_.backend.FailNext(grpc::Status(grpc::StatusCode::UNAVAILABLE, "x"), 5);
  EXPECT_EQ(client->GetTask({}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(server_.backend.calls(), SizeIs(1));
}

TEST_F(ClientTest, OtherErrorsAreNotRetried) {
  auto client = MakeClient();
  for (grpc::StatusCode code : {grpc::StatusCode::ABORTED, grpc::StatusCode::DEADLINE_EXCEEDED,
                                grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN}) {
    server_.backend.FailNext(grpc::Status(code, "no"));
  }
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(client->StartTask(Start()).ok());
  EXPECT_THAT(server_.backend.calls(), SizeIs(4));
}

TEST_F(ClientTest, ReadsAreRetriedToo) {
  auto client = MakeClient();
  server_.backend.FailNext(grpc::Status(grpc::StatusCode::UNAVAILABLE, "x"));
  EXPECT_TRUE(client->GetTask({}).ok());
  EXPECT_THAT(server_.backend.calls(), SizeIs(2));
}

TEST_F(ClientTest, EmptyRequestIdIsFilledAndAGivenOneKept) {
  auto client = MakeClient();
  ASSERT_TRUE(client->StartTask(Start()).ok());
  ASSERT_TRUE(client->StartTask(Start()).ok());
  ASSERT_TRUE(client->StartTask(Start("chosen-by-caller")).ok());
  v1::CreateTaskRequest create;
  ASSERT_TRUE(client->CreateTask(create).ok());
  const std::vector<test::RecordedCall> calls = server_.backend.calls();
  ASSERT_THAT(calls, SizeIs(4));
  EXPECT_THAT(calls[0].request_id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_THAT(calls[1].request_id, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_NE(calls[0].request_id, calls[1].request_id);  // one per logical call
  EXPECT_EQ(calls[2].request_id, "chosen-by-caller");
  EXPECT_THAT(calls[3].request_id, MatchesRegex("[0-9a-f]{32}"));
}

TEST_F(ClientTest, RequestAndResponseArePassedThrough) {
  server_.backend.task.set_id("T-42");
  server_.backend.task.set_title("楼道堆物清理");
  auto client = MakeClient();
  v1::GetTaskRequest request;
  request.set_id("T-42");
  request.set_include_history(true);
  absl::StatusOr<v1::Task> task = client->GetTask(request);
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->title(), "楼道堆物清理");
  auto seen = server_.backend.LastRequest<v1::GetTaskRequest>("GetTask");
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen->id(), "T-42");
  EXPECT_TRUE(seen->include_history());
}

TEST(ClientUnreachableTest, ClosedPortIsUnavailableAfterMaxAttempts) {
  int port = 0;
  {  // Find a port that nothing listens on: bind one, then close it.
    test::FakeServer closed;
    port = closed.port();
  }
  ClientOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  options.initial_backoff = absl::Milliseconds(1);
  options.timeout = absl::Seconds(5);
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->GetTask({}).status().code(), absl::StatusCode::kUnavailable);
}

TEST(ClientUnreachableTest, RetriesReachAServerThatComesBack) {
  int port = 0;
  {
    test::FakeServer first;
    port = first.port();
  }
  ClientOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  options.initial_backoff = absl::Milliseconds(50);
  options.max_attempts = 6;
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());
  std::unique_ptr<test::FakeServer> restarted;
  std::thread restart([&] {
    absl::SleepFor(absl::Milliseconds(200));
    restarted = std::make_unique<test::FakeServer>(port);
  });
  const absl::Time start = absl::Now();
  absl::Status status = (*client)->WhoAmI({}).status();
  const absl::Duration took = absl::Now() - start;
  restart.join();
  ASSERT_TRUE(restarted->ok()) << "port " << port << " was taken meanwhile";
  EXPECT_TRUE(status.ok()) << status << " after " << took;
  EXPECT_THAT(restarted->backend.calls(), SizeIs(1));
}

TEST(ClientCreateTest, RejectsUnusableOptions) {
  ClientOptions options;
  options.max_attempts = 0;
  EXPECT_EQ(Client::Create(options).status().code(), absl::StatusCode::kInvalidArgument);

  options = ClientOptions();
  options.timeout = absl::ZeroDuration();
  EXPECT_EQ(Client::Create(options).status().code(), absl::StatusCode::kInvalidArgument);

  options = ClientOptions();
  options.address = "";
  EXPECT_EQ(Client::Create(options).status().code(), absl::StatusCode::kInvalidArgument);

  options = ClientOptions();
  options.token = "tok-123\n";
  EXPECT_THAT(Client::Create(options).status().message(), HasSubstr("trailing newline"));

  options = ClientOptions();
  options.ca_cert_file = "/etc/hostname";  // a file, but TLS is off
  EXPECT_THAT(Client::Create(options).status().message(), HasSubstr("use_tls"));

  options = ClientOptions();
  options.use_tls = true;
  options.client_cert_file = "/etc/hostname";  // no key
  EXPECT_EQ(Client::Create(options).status().code(), absl::StatusCode::kInvalidArgument);

  options = ClientOptions();
  options.use_tls = true;
  options.ca_cert_file = "/nonexistent/ca.pem";
  absl::Status status = Client::Create(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent/ca.pem"));
}

TEST(ClientCreateTest, TlsWithSystemRootsNeedsNoFiles) {
  ClientOptions options;
  options.use_tls = true;
  EXPECT_TRUE(Client::Create(options).ok());
}

TEST(NewRequestIdTest, Is128BitsOfLowercaseHexAndFresh) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    EXPECT_THAT(id, MatchesRegex("[0-9a-f]{32}"));
    seen.insert(id);
  }
  EXPECT_THAT(seen, SizeIs(1000));
}

TEST(FromGrpcStatusTest, SameNumberSameMessage) {
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
  for (int code = 1; code <= 16; ++code) {
    absl::Status status = FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(code), "m"));
    EXPECT_EQ(static_cast<int>(status.code()), code);
    EXPECT_EQ(status.message(), "m");
  }
}

TEST(FromGrpcStatusTest, KeepsRichDetailsAsPayload) {
  absl::Status status = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::ABORTED, "stale etag", std::string("\x08\x0a", 2)));
  auto payload = status.GetPayload("type.googleapis.com/google.rpc.Status");
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(std::string(*payload), std::string("\x08\x0a", 2));
}

}  // namespace
}  // namespace rectify::client
