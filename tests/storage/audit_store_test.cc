// The audit trail in the SQLite engine: appended, listed with filters and
// keyset paging, and never changed, not even by SQL outside the engine.
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/storage/sqlite_testing.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using storage::AuditFilter;
using storage::AuditRecord;
using storage::ReadTx;
using storage::WriteTx;
using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1'714'957'200);

AuditRecord Row(const std::string& principal, const std::string& method,
                const std::string& resource, absl::Time time, int code = 0) {
  AuditRecord r;
  r.time = time;
  r.principal = principal;
  r.token_id = "0123456789ab";
  r.method = method;
  r.resource = resource;
  r.request_id = "req-" + method;
  r.code = code;
  return r;
}

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("rectify.db");
    store_ = OpenOrDie(path_);
    ASSERT_NE(store_, nullptr);
    std::vector<AuditRecord> rows = {
        Row("P-1", "DispatchTask", "tasks/T-1", kT0),
        Row("P-2", "SubmitTask", "tasks/T-1", kT0 + absl::Minutes(1)),
        Row("P-1", "DispatchTask", "tasks/T-2", kT0 + absl::Minutes(2)),
        Row("", "WhoAmI", "", kT0 + absl::Minutes(3), /*UNAUTHENTICATED*/ 16),
        Row("P-1", "VoidTask", "tasks/T-2", kT0 + absl::Minutes(4), /*PERMISSION_DENIED*/ 7),
    };
    ASSERT_THAT(store_->Write([&](WriteTx& tx) -> absl::Status {
      for (AuditRecord& row : rows) {
        absl::Status s = tx.AppendAudit(row);
        if (!s.ok()) return s;
        seqs_.push_back(row.seq);
      }
      return absl::OkStatus();
    }),
                IsOk());
  }

  std::vector<AuditRecord> List(const AuditFilter& filter, int limit = 100) {
    absl::StatusOr<std::vector<AuditRecord>> rows =
        storage::ReadAndReturn<std::vector<AuditRecord>>(
            *store_, [&](ReadTx& tx) { return tx.ListAudit(filter, limit); });
    EXPECT_THAT(rows, IsOk());
    return rows.ok() ? *rows : std::vector<AuditRecord>();
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<storage::Store> store_;
  std::vector<int64_t> seqs_;
};

TEST_F(AuditStoreTest, AppendSetsIncreasingSeqsAndListIsNewestFirst) {
  ASSERT_EQ(seqs_.size(), 5u);
  for (size_t i = 1; i < seqs_.size(); ++i) EXPECT_GT(seqs_[i], seqs_[i - 1]);
  std::vector<AuditRecord> all = List({});
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].method, "VoidTask");
  EXPECT_EQ(all[0].code, 7);
  EXPECT_EQ(all[0].time, kT0 + absl::Minutes(4));
  EXPECT_EQ(all[4].principal, "P-1");
  EXPECT_EQ(all[4].token_id, "0123456789ab");
  EXPECT_EQ(all[4].request_id, "req-DispatchTask");
}

TEST_F(AuditStoreTest, FiltersByPrincipalMethodResourceAndTime) {
  AuditFilter by_person;
  by_person.principal = "P-1";
  EXPECT_EQ(List(by_person).size(), 3u);
  AuditFilter by_method;
  by_method.method = "DispatchTask";
  by_method.resource = "tasks/T-2";
  ASSERT_EQ(List(by_method).size(), 1u);
  EXPECT_EQ(List(by_method)[0].seq, seqs_[2]);
  AuditFilter by_time;
  by_time.from = kT0 + absl::Minutes(1);
  by_time.to = kT0 + absl::Minutes(3);
  std::vector<AuditRecord> window = List(by_time);
  ASSERT_EQ(window.size(), 2u);
  EXPECT_EQ(window[0].method, "DispatchTask");
  EXPECT_EQ(window[1].method, "SubmitTask");
}

TEST_F(AuditStoreTest, KeysetPagingVisitsEveryRowOnce) {
  AuditFilter filter;
  std::vector<int64_t> seen;
  for (int page = 0; page < 10; ++page) {
    std::vector<AuditRecord> rows = List(filter, 2);
    if (rows.empty()) break;
    for (const AuditRecord& r : rows) seen.push_back(r.seq);
    filter.before_seq = rows.back().seq;
  }
  EXPECT_EQ(seen, std::vector<int64_t>(seqs_.rbegin(), seqs_.rend()));
}

TEST_F(AuditStoreTest, LimitOutOfRangeIsInvalidArgument) {
  absl::Status status = store_->Read([](ReadTx& tx) { return tx.ListAudit({}, 0).status(); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
}

TEST_F(AuditStoreTest, RowsCannotBeChangedOrDeletedEvenWithRawSql) {
  store_.reset();
  RawDb raw(path_);
  EXPECT_THAT(raw.TryExec("UPDATE audit SET principal = 'someone-else'"),
              HasSubstr("append-only"));
  EXPECT_THAT(raw.TryExec("DELETE FROM audit WHERE principal = 'P-1'"), HasSubstr("append-only"));
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM audit WHERE principal = 'P-1'"), "3");
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM audit"), "5");
}

}  // namespace
}  // namespace rectify::test
