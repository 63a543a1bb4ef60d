// The shipped binary runs both of its server interceptors: admission control
// (--max_inflight, on by default) and the call guard, which records refused
// calls in the audit trail and names a request it cannot read. gRPC keeps only
// the last list of interceptors a builder is given, so one list must hold both;
// the in-process test servers run without admission control and cannot tell.
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"
#include "tests/testing/server_process.h"

namespace rectify::test {
namespace {

TEST(InterceptorsTest, TheShippedBinaryAuditsRefusalsAndNamesUnreadableRequests) {
  TempDir dir;
  ServerProcess server(dir.path());  // --max_inflight left at its default
  ASSERT_NO_FATAL_FAILURE(server.Start());
  auto admin = server.Connect(ReadToken(server.db_path() + ".admin-token"));
  ASSERT_NE(admin, nullptr);

  auto stranger = server.Connect("rct_not-a-real-token");
  ASSERT_NE(stranger, nullptr);
  ASSERT_EQ(stranger->WhoAmI(v1::WhoAmIRequest()).status().code(),
            absl::StatusCode::kUnauthenticated);
  auto rows = admin->ListAudit(v1::ListAuditRequest());
  ASSERT_TRUE(rows.ok()) << rows.status();
  bool audited = false;
  for (const v1::AuditRecord& row : rows->records()) {
    audited = audited || (row.method() == "WhoAmI" && row.code() == 16);
  }
  EXPECT_TRUE(audited) << "the refused WhoAmI is not in the audit trail";

  v1::CreateTaskRequest bad;
  bad.mutable_task()->set_title("bad \xff\xfe text");
  absl::Status unreadable = admin->CreateTask(bad).status();
  EXPECT_EQ(unreadable.code(), absl::StatusCode::kInvalidArgument) << unreadable;
  EXPECT_TRUE(absl::StrContains(unreadable.message(), "CreateTask")) << unreadable;
  EXPECT_TRUE(absl::StrContains(unreadable.message(), "UTF-8")) << unreadable;
}

}  // namespace
}  // namespace rectify::test
