#include "client/cli/enum_names.h"

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/resources.pb.h"

namespace rectify::client::cli {
namespace {

using ::testing::HasSubstr;

TEST(EnumPrefixTest, IsTheTypeNameInUpperSnake) {
  EXPECT_EQ(EnumPrefix(*v1::TaskState_descriptor()), "TASK_STATE_");
  EXPECT_EQ(EnumPrefix(*v1::OrgKind_descriptor()), "ORG_KIND_");
  EXPECT_EQ(EnumPrefix(*v1::Phase_descriptor()), "PHASE_");
  EXPECT_EQ(EnumPrefix(*v1::SlaUnit_descriptor()), "SLA_UNIT_");
}

TEST(EnumNameTest, LowercaseWithoutPrefix) {
  EXPECT_EQ(EnumName(v1::TASK_STATE_IN_PROGRESS), "in_progress");
  EXPECT_EQ(EnumName(v1::ORG_KIND_STREET_OFFICE), "street_office");
  EXPECT_EQ(EnumName(v1::PAYER_PUBLIC_FINANCE), "public_finance");
  EXPECT_EQ(EnumName(v1::TASK_SOURCE_VOLUNTEER_REPORT), "volunteer_report");
  EXPECT_EQ(EnumName(v1::ROLE_ENFORCEMENT_OFFICER), "enforcement_officer");
  EXPECT_EQ(EnumName(v1::PHASE_FINAL_ASSAULT), "final_assault");
}

TEST(EnumNameTest, UnspecifiedIsEmptyAndUnknownIsTheNumber) {
  EXPECT_EQ(EnumName(v1::TASK_STATE_UNSPECIFIED), "");
  EXPECT_EQ(EnumName(static_cast<v1::TaskState>(99)), "99");
}

TEST(ParseEnumTest, AcceptsShortFullCaseAndHyphen) {
  EXPECT_EQ(*ParseEnum<v1::TaskState>("in_progress"), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_EQ(*ParseEnum<v1::TaskState>("In-Progress"), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_EQ(*ParseEnum<v1::TaskState>("TASK_STATE_IN_PROGRESS"), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_EQ(*ParseEnum<v1::OrgKind>("property_company"), v1::ORG_KIND_PROPERTY_COMPANY);
  EXPECT_EQ(*ParseEnum<v1::TaskSource>("legal_case"), v1::TASK_SOURCE_LEGAL_CASE);
}

TEST(ParseEnumTest, RejectsUnknownAndUnspecifiedListingTheChoices) {
  for (const char* text : {"", "unspecified", "TASK_STATE_UNSPECIFIED", "done", "open,closed",
                           "TASK_STATE_", "org_kind_street_office"}) {
    absl::Status status = ParseEnum<v1::TaskState>(text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(status.message(), HasSubstr("open|dispatched|accepted|in_progress")) << text;
  }
}

TEST(EnumNamesTest, EveryValueOfEveryApiEnumRoundTrips) {
  for (const google::protobuf::EnumDescriptor* type :
       {v1::Phase_descriptor(), v1::OrgKind_descriptor(), v1::Role_descriptor(),
        v1::TaskState_descriptor(), v1::TaskSource_descriptor(), v1::Payer_descriptor(),
        v1::SlaUnit_descriptor(), v1::InspectionKind_descriptor(), v1::RuleKind_descriptor(),
        v1::Assignee_descriptor()}) {
    for (int i = 1; i < type->value_count(); ++i) {
      const int number = type->value(i)->number();
      const std::string name = EnumName(*type, number);
      EXPECT_FALSE(name.empty()) << type->value(i)->name();
      EXPECT_EQ(name, absl::AsciiStrToLower(name));
      absl::StatusOr<int> parsed = ParseEnum(*type, name);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(*parsed, number) << name;
    }
  }
}

TEST(EnumNameTest, CampaignAndStandardEnums) {
  EXPECT_EQ(EnumName(v1::PHASE_SELF_CHECK), "self_check");
  EXPECT_EQ(EnumName(v1::INSPECTION_KIND_FINAL_EVALUATION), "final_evaluation");
  EXPECT_EQ(EnumName(v1::RULE_KIND_PER_SQUARE_METRE), "per_square_metre");
  EXPECT_EQ(EnumName(v1::ASSIGNEE_OWNERS_COMMITTEE), "owners_committee");
  EXPECT_EQ(*ParseEnum<v1::InspectionKind>("self-check"), v1::INSPECTION_KIND_SELF_CHECK);
  EXPECT_EQ(*ParseEnum<v1::Phase>("FINAL_ASSAULT"), v1::PHASE_FINAL_ASSAULT);
  EXPECT_EQ(EnumChoices<v1::InspectionKind>(), "self_check|weekly|final_evaluation");
}

TEST(EnumChoicesTest, ListsShortNamesWithoutUnspecified) {
  EXPECT_EQ(EnumChoices<v1::Payer>(), "property_company|owners|street_office|public_finance|other");
}

}  // namespace
}  // namespace rectify::client::cli
