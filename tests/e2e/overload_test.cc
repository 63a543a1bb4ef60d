// Load shedding through the real binary: with --max_inflight=2, a third call
// while two are in flight is refused at once with RESOURCE_EXHAUSTED saying so,
// and calls are admitted again as soon as the load drops.
#include <grpcpp/grpcpp.h>

#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "rectify/v1/event_service.grpc.pb.h"
#include "tests/testing/city_fixture.h"
#include "tests/testing/server_process.h"

namespace rectify::test {
namespace {

// A following event stream: one call in flight until cancelled. `reading`
// says whether its first event arrived (the call was admitted and runs) or
// the stream ended first.
struct Follower {
  grpc::ClientContext ctx;
  std::unique_ptr<grpc::ClientReader<v1::Event>> reader;
  std::promise<bool> reading;
  grpc::Status status;  // how the stream ended; read it after `drain` is joined
  std::thread drain;
};

absl::Status WhoAmI(client::Client& c) { return c.WhoAmI(v1::WhoAmIRequest()).status(); }

TEST(OverloadTest, BeyondMaxInflightIsRefusedFastAndRecovers) {
  TempDir dir;
  ServerProcess server(dir.path(), {"--max_inflight=2"});
  ASSERT_NO_FATAL_FAILURE(server.Start());
  const std::string token = ReadToken(server.db_path() + ".admin-token");
  auto client = server.Connect(token);
  ASSERT_TRUE(WhoAmI(*client).ok());
  SeedMinimalCity(*client);  // events for the followers to read

  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::EventService::NewStub(channel);
  std::vector<std::unique_ptr<Follower>> followers;
  absl::Cleanup stop = [&followers] {  // also when an assertion ends the test early
    for (auto& f : followers) f->ctx.TryCancel();
    for (auto& f : followers) {
      if (f->drain.joinable()) f->drain.join();
    }
  };
  // Starts a follower and waits until it reads its first event.
  auto start_follower = [&]() -> std::unique_ptr<Follower> {
    auto f = std::make_unique<Follower>();
    f->ctx.AddMetadata("authorization", "Bearer " + token);
    v1::SubscribeRequest req;
    req.set_follow(true);
    f->reader = stub->Subscribe(&f->ctx, req);
    Follower* raw = f.get();
    std::future<bool> reading = f->reading.get_future();
    f->drain = std::thread([raw] {
      v1::Event event;
      bool first = true;
      while (raw->reader->Read(&event)) {
        if (first) raw->reading.set_value(true);
        first = false;
      }
      if (first) raw->reading.set_value(false);
      raw->status = raw->reader->Finish();
    });
    if (!reading.get()) f->drain.join();  // ended before its first event
    return f;
  };
  // One at a time, each seen running before the next starts, so that nothing
  // else of ours is in flight meanwhile that could take its place. A call that
  // has just been answered still counts until the server has let go of it, so
  // a follower refused as over capacity right after an earlier call is tried
  // again; any other ending fails the test.
  for (int i = 0; i < 2; ++i) {
    std::unique_ptr<Follower> f;
    for (int attempt = 0; attempt < 200; ++attempt) {
      f = start_follower();
      if (f->drain.joinable() || f->status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    const bool admitted = f->drain.joinable();  // still reading
    const grpc::Status ended = admitted ? grpc::Status::OK : f->status;
    followers.push_back(std::move(f));
    ASSERT_TRUE(admitted) << "follower " << i << " was not admitted: " << ended.error_message();
  }

  // Once both streams are in flight, a third call is refused, fast.
  absl::Status refused;
  for (int i = 0; i < 200 && refused.ok(); ++i) {
    refused = WhoAmI(*client);
    if (refused.ok()) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "2 calls in flight")) << refused;
  const absl::Time start = absl::Now();
  EXPECT_EQ(WhoAmI(*client).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1)) << "a refusal must not wait for capacity";

  // The load drops: calls are admitted again, without a restart: two in a
  // row, once the server has let go of the cancelled streams (their slots,
  // like any call's, are given back when the server is done with them).
  for (auto& f : followers) f->ctx.TryCancel();
  for (auto& f : followers) f->drain.join();
  absl::Status last = absl::UnavailableError("not tried");
  int admitted_in_a_row = 0;
  for (int i = 0; i < 200 && admitted_in_a_row < 2; ++i) {
    last = WhoAmI(*client);
    admitted_in_a_row = last.ok() ? admitted_in_a_row + 1 : 0;
    if (!last.ok()) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(admitted_in_a_row, 2) << last;
}

}  // namespace
}  // namespace rectify::test
