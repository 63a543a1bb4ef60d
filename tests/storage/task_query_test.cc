// ListTasks' SQL plan and page tokens, without a database.
#include "storage/task_query.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using storage::TaskFilter;
using storage::TaskOrder;
using storage::TaskQuery;
using storage::internal::ListingHash;
using storage::internal::MakePageToken;
using storage::internal::PageCursor;
using storage::internal::ParsePageToken;
using storage::internal::PlanTaskList;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(PageTokenTest, ATokenRoundTripsItsCursorAndIsUrlSafe) {
  const uint64_t listing = ListingHash({}, TaskOrder::kCreateTime);
  for (PageCursor cursor : {PageCursor{0, 1}, PageCursor{-9'223'372'036'854'775'807 - 1, 42},
                            PageCursor{9'223'372'036'854'775'807, 9'000'000'000}}) {
    const std::string token = MakePageToken(listing, cursor);
    EXPECT_EQ(token.find_first_of("+/="), std::string::npos) << token;
    absl::StatusOr<PageCursor> parsed = ParsePageToken(token, listing);
    ASSERT_THAT(parsed, IsOk());
    EXPECT_EQ(parsed->sort_key, cursor.sort_key);
    EXPECT_EQ(parsed->row_id, cursor.row_id);
  }
}

TEST(PageTokenTest, EverySingleCharacterChangeIsDetected) {
  const uint64_t listing = ListingHash({}, TaskOrder::kDeadline);
  const std::string token = MakePageToken(listing, {1714521600000000, 77});
  for (size_t i = 0; i < token.size(); ++i) {
    std::string garbled = token;
    garbled[i] = garbled[i] == 'Q' ? 'R' : 'Q';
    EXPECT_THAT(ParsePageToken(garbled, listing),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")))
        << "position " << i;
  }
}

TEST(PageTokenTest, ATokenOfAnotherListingIsRejected) {
  TaskFilter filter;
  filter.campaign_id = "C-1";
  const std::string token = MakePageToken(ListingHash(filter, TaskOrder::kCreateTime), {5, 6});
  TaskFilter other = filter;
  other.campaign_id = "C-2";
  EXPECT_THAT(ParsePageToken(token, ListingHash(other, TaskOrder::kCreateTime)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("another filter or order")));
  EXPECT_THAT(ParsePageToken(token, ListingHash(filter, TaskOrder::kCreateTimeDesc)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST(ListingHashTest, EveryFieldButNowCountsAndStatesAreASet) {
  TaskFilter base;
  base.campaign_id = "C-1";
  base.states = {domain::TaskState::kOpen, domain::TaskState::kClosed};
  base.now = TestNow();
  const uint64_t h = ListingHash(base, TaskOrder::kCreateTime);

  TaskFilter later = base;
  later.now = TestNow() + absl::Hours(5);
  EXPECT_EQ(ListingHash(later, TaskOrder::kCreateTime), h) << "now is not part of the listing";
  TaskFilter reordered = base;
  reordered.states = {domain::TaskState::kClosed, domain::TaskState::kOpen,
                      domain::TaskState::kClosed};
  EXPECT_EQ(ListingHash(reordered, TaskOrder::kCreateTime), h);

  std::vector<TaskFilter> changed(8, base);
  changed[0].campaign_id = "C-2";
  changed[1].street_office_id = "S-1";
  changed[2].community_id = "M-1";
  changed[3].responsible_org_id = "PC-1";
  changed[4].category = "order";
  changed[5].states = {domain::TaskState::kOpen};
  changed[6].overdue = true;
  changed[7].due_within = absl::Hours(1);
  for (const TaskFilter& f : changed) EXPECT_NE(ListingHash(f, TaskOrder::kCreateTime), h);
  EXPECT_NE(ListingHash(base, TaskOrder::kUpdateTimeDesc), h);
  // Field boundaries are unambiguous.
  TaskFilter a, b;
  a.campaign_id = "C-1";
  a.street_office_id = "";
  b.campaign_id = "C-";
  b.street_office_id = "1";
  EXPECT_NE(ListingHash(a, TaskOrder::kCreateTime), ListingHash(b, TaskOrder::kCreateTime));
}

TEST(PlanTaskListTest, PagesByKeysetNeverByOffsetAndFetchesOneRowMore) {
  TaskQuery query;
  query.page_size = 20;
  query.order = TaskOrder::kDeadlineDesc;
  query.page_token = MakePageToken(ListingHash(query.filter, query.order), {10, 3});
  absl::StatusOr<storage::internal::TaskListPlan> plan = PlanTaskList(query, "id");
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->page_sql, Not(HasSubstr("OFFSET")));
  EXPECT_THAT(plan->page_sql, HasSubstr("ORDER BY deadline_key DESC, row_id DESC"));
  ASSERT_FALSE(plan->page_args.empty());
  EXPECT_EQ(std::get<int64_t>(plan->page_args.back()), 21);
  EXPECT_THAT(plan->count_sql, Not(HasSubstr("row_id")));
}

TEST(PlanTaskListTest, AnUnknownOrderIsInvalidArgument) {
  TaskQuery query;
  query.order = static_cast<TaskOrder>(99);
  EXPECT_THAT(PlanTaskList(query, "id"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("order")));
  query.order = TaskOrder::kCreateTime;
  query.page_size = 1001;
  EXPECT_THAT(PlanTaskList(query, "id"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

}  // namespace
}  // namespace rectify::test
