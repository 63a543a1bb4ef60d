// Responsibility letters (责任书) through the real server: drafted by the
// street office for a community, signed by each party (street office, owners'
// committee, property company); a campaign with require_letter refusing to
// dispatch the community's tasks until the letter is signed, and allowing it
// after; who may draft, sign and see; the error codes.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         ::testing::Value(std::string(arg.status().message()), substring);
}

class LetterTest : public CityTest {
 protected:
  v1::DraftLetterRequest Draft(const std::string& campaign = "c1",
                               const std::string& community = "cm-1") {
    v1::DraftLetterRequest req;
    req.set_campaign_id(campaign);
    req.set_community_id(community);
    req.add_indicators("公益广告不少于8处");
    req.add_indicators("垃圾分类标识齐全");
    req.set_responsibilities("物业服务企业负责日常保洁；业主委员会监督");
    req.set_term_start("2024-05-01");
    req.set_term_end("2024-10-31");
    return req;
  }

  absl::StatusOr<v1::ResponsibilityLetter> Sign(const std::string& who, const std::string& id) {
    v1::SignLetterRequest req;
    req.set_letter_id(id);
    return As(who).SignLetter(req);
  }

  // A second campaign that requires a signed letter before dispatch.
  void CreateStrictCampaign() {
    v1::CreateCampaignRequest campaign;
    campaign.mutable_campaign()->set_id("c2");
    campaign.mutable_campaign()->set_name("2024年度老旧小区环境整治（责任书）");
    campaign.mutable_campaign()->set_city("阿拉尔市");
    campaign.mutable_campaign()->set_time_zone("Asia/Shanghai");
    campaign.mutable_campaign()->set_self_check_start("2024-04-01");
    campaign.mutable_campaign()->set_rectification_start("2024-05-01");
    campaign.mutable_campaign()->set_final_assault_start("2024-10-01");
    campaign.mutable_campaign()->set_close_date("2024-11-01");
    campaign.mutable_campaign()->set_standard_id("civilized-residential");
    campaign.mutable_campaign()->set_require_letter(true);
    auto created = As("sup-1").CreateCampaign(campaign);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_TRUE(created->require_letter());
  }

  v1::Task OpenTaskIn(const std::string& campaign, const std::string& community) {
    v1::CreateTaskRequest req;
    req.mutable_task()->set_campaign_id(campaign);
    req.mutable_task()->set_community_id(community);
    req.mutable_task()->set_category("sanitation");
    req.mutable_task()->set_title("垃圾箱满溢");
    auto task = As(community == "cm-2" ? "officer-2" : "officer-1").CreateTask(req);
    EXPECT_TRUE(task.ok()) << task.status();
    return task.ok() ? *task : v1::Task();
  }
};

TEST_F(LetterTest, DraftedBySignedByEveryPartyBecomesSigned) {
  auto letter = As("officer-1").DraftLetter(Draft());
  ASSERT_TRUE(letter.ok()) << letter.status();
  EXPECT_EQ(letter->state(), v1::LETTER_STATE_DRAFTED);
  EXPECT_EQ(letter->street_office_id(), "so-1");
  EXPECT_EQ(letter->owners_committee_id(), "oc-1");
  EXPECT_EQ(letter->property_company_id(), "pc-1");
  EXPECT_THAT(letter->indicators(), ElementsAre("公益广告不少于8处", "垃圾分类标识齐全"));
  EXPECT_EQ(letter->term_start(), "2024-05-01");
  EXPECT_EQ(letter->term_end(), "2024-10-31");
  EXPECT_THAT(letter->missing_organisation_ids(), ElementsAre("so-1", "oc-1", "pc-1"));
  EXPECT_EQ(letter->drafted_by(), "officer-1");

  auto after_office = Sign("officer-1", letter->id());
  ASSERT_TRUE(after_office.ok()) << after_office.status();
  EXPECT_EQ(after_office->state(), v1::LETTER_STATE_DRAFTED);
  EXPECT_THAT(after_office->missing_organisation_ids(), ElementsAre("oc-1", "pc-1"));
  auto after_committee = Sign("member-1", letter->id());
  ASSERT_TRUE(after_committee.ok()) << after_committee.status();
  EXPECT_EQ(after_committee->state(), v1::LETTER_STATE_DRAFTED);
  auto signed_letter = Sign("worker-1b", letter->id());
  ASSERT_TRUE(signed_letter.ok()) << signed_letter.status();
  EXPECT_EQ(signed_letter->state(), v1::LETTER_STATE_SIGNED);
  EXPECT_TRUE(signed_letter->missing_organisation_ids().empty());
  ASSERT_EQ(signed_letter->signatures_size(), 3);
  EXPECT_EQ(signed_letter->signatures(2).organisation_id(), "pc-1");
  EXPECT_EQ(signed_letter->signatures(2).person_id(), "worker-1b");
  EXPECT_TRUE(signed_letter->has_sign_time());

  v1::GetLetterRequest get;
  get.set_letter_id(letter->id());
  auto read = As("worker-1").GetLetter(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state(), v1::LETTER_STATE_SIGNED);
  v1::ListLettersRequest list;
  list.set_campaign_id("c1");
  list.set_state(v1::LETTER_STATE_SIGNED);
  auto listed = As("sup-1").ListLetters(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->letters_size(), 1);
  EXPECT_EQ(listed->letters(0).id(), letter->id());

  EXPECT_THAT(Sign("member-1", letter->id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in state SIGNED")));
}

TEST_F(LetterTest, ACommunityWithoutCommitteeNeedsTwoSignatures) {
  auto letter = As("officer-2").DraftLetter(Draft("c1", "cm-2"));
  ASSERT_TRUE(letter.ok()) << letter.status();
  EXPECT_THAT(letter->missing_organisation_ids(), ElementsAre("so-2", "pc-2"));
  ASSERT_TRUE(Sign("worker-2", letter->id()).ok());
  auto done = Sign("officer-2", letter->id());
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state(), v1::LETTER_STATE_SIGNED);
}

TEST_F(LetterTest, DispatchNeedsASignedLetterWhenTheCampaignSaysSo) {
  ASSERT_NO_FATAL_FAILURE(CreateStrictCampaign());
  v1::Task task = OpenTaskIn("c2", "cm-1");
  ASSERT_FALSE(task.id().empty());

  EXPECT_THAT(As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("community 'cm-1' has no responsibility letter")));

  auto letter = As("officer-1").DraftLetter(Draft("c2", "cm-1"));
  ASSERT_TRUE(letter.ok()) << letter.status();
  ASSERT_TRUE(Sign("officer-1", letter->id()).ok());
  auto refused = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("missing the signatures of oc-1, pc-1")));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cm-1")));

  ASSERT_TRUE(Sign("member-1", letter->id()).ok());
  ASSERT_TRUE(Sign("worker-1", letter->id()).ok());
  auto dispatched = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  ASSERT_TRUE(dispatched.ok()) << dispatched.status();
  EXPECT_EQ(dispatched->task().state(), v1::TASK_STATE_DISPATCHED);

  // A letter signed in c2 does not count for c1's rule, and c1 has none.
  v1::Task other = OpenTaskIn("c2", "cm-2");
  EXPECT_THAT(As("officer-2").DispatchTask(Dispatch(other.id(), "pc-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("'cm-2'")));
}

TEST_F(LetterTest, CampaignsWithoutTheRuleDispatchWithoutALetter) {
  v1::Task task = OpenTask();
  auto dispatched = As("officer-1").DispatchTask(Dispatch(task.id(), "pc-1"));
  ASSERT_TRUE(dispatched.ok()) << dispatched.status();
}

TEST_F(LetterTest, WhoMayDraftSignAndSee) {
  EXPECT_THAT(As("worker-1").DraftLetter(Draft()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("street office ('so-1')")));
  EXPECT_THAT(As("officer-2").DraftLetter(Draft()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("community 'cm-1'")));
  auto by_supervisor = As("sup-1").DraftLetter(Draft());
  ASSERT_TRUE(by_supervisor.ok()) << by_supervisor.status();

  EXPECT_THAT(Sign("sup-1", by_supervisor->id()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("so-1, oc-1, pc-1")));
  EXPECT_THAT(Sign("worker-2", by_supervisor->id()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("may not sign")));
  ASSERT_TRUE(Sign("worker-1", by_supervisor->id()).ok());
  EXPECT_THAT(Sign("worker-1b", by_supervisor->id()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already signed")));

  v1::GetLetterRequest get;
  get.set_letter_id(by_supervisor->id());
  EXPECT_THAT(As("officer-2").GetLetter(get),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("may not see")));
  v1::ListLettersRequest list;
  list.set_campaign_id("c1");
  auto listed = As("worker-2").ListLetters(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->letters_size(), 0);
}

TEST_F(LetterTest, ErrorsNameTheField) {
  v1::DraftLetterRequest no_indicators = Draft();
  no_indicators.clear_indicators();
  EXPECT_THAT(As("officer-1").DraftLetter(no_indicators),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'indicators'")));
  v1::DraftLetterRequest blank = Draft();
  blank.set_responsibilities("  ");
  EXPECT_THAT(As("officer-1").DraftLetter(blank),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'responsibilities'")));
  v1::DraftLetterRequest backwards = Draft();
  backwards.set_term_end("2024-04-30");
  EXPECT_THAT(As("officer-1").DraftLetter(backwards),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'term_end'")));
  v1::DraftLetterRequest bad_day = Draft();
  bad_day.set_term_start("May 1");
  EXPECT_THAT(As("officer-1").DraftLetter(bad_day),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'term_start'")));
  EXPECT_THAT(As("officer-1").DraftLetter(Draft("c1", "cm-404")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("cm-404")));
  EXPECT_THAT(As("officer-1").DraftLetter(Draft("c404", "cm-1")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("c404")));
  EXPECT_THAT(Sign("officer-1", "RL-404"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("RL-404")));

  auto letter = As("officer-1").DraftLetter(Draft());
  ASSERT_TRUE(letter.ok()) << letter.status();
  v1::SignLetterRequest stale;
  stale.set_letter_id(letter->id());
  stale.set_etag("99");
  EXPECT_THAT(As("officer-1").SignLetter(stale),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("etag")));
}

}  // namespace
}  // namespace rectify::test
