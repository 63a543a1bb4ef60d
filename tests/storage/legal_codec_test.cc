// Tests for the legal-case steps codec (storage/codec.h): the stored JSON
// shape, the round trip with nested evidence, and what is not ours (kDataLoss).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/legal_case.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/codec.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using storage::codec::DecodeLegalSteps;
using storage::codec::EncodeLegalSteps;
using ::testing::HasSubstr;

TEST(LegalStepsCodecTest, StepsRoundTripWithTheirEvidenceAndReadableJson) {
  domain::LegalStep notice;
  notice.action = domain::LegalAction::kNotify;
  notice.actor_person_id = "worker-1";
  notice.actor_org_id = "pc-1";
  notice.time = absl::FromUnixMicros(1'715'000'000'000'000);
  notice.note = "书面\"通知\"";
  notice.evidence = {{"file:///a.jpg", std::string(64, 'a'), "照片", "worker-1", notice.time},
                     {"file:///b.pdf", std::string(64, 'b'), "", "worker-1", notice.time}};
  domain::LegalStep action;
  action.action = domain::LegalAction::kRecordAction;
  action.actor_person_id = "enforcer-1";
  const std::vector<domain::LegalStep> steps = {notice, action};

  const std::string json = EncodeLegalSteps(steps);
  EXPECT_THAT(json, HasSubstr("{\"action\":\"notify\",\"actor_person_id\":\"worker-1\""));
  EXPECT_THAT(json, HasSubstr("\"evidence\":[]"));  // the bureau action has none
  absl::StatusOr<std::vector<domain::LegalStep>> back = DecodeLegalSteps(json);
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].action, domain::LegalAction::kNotify);
  EXPECT_EQ((*back)[0].note, notice.note);
  EXPECT_EQ((*back)[0].time, notice.time);
  ASSERT_EQ((*back)[0].evidence.size(), 2u);
  EXPECT_EQ((*back)[0].evidence[1].uri, "file:///b.pdf");
  EXPECT_EQ((*back)[0].evidence[0].add_time, notice.time);
  EXPECT_EQ((*back)[1].action, domain::LegalAction::kRecordAction);
  EXPECT_EQ((*back)[1].time, absl::InfinitePast());
  EXPECT_EQ(EncodeLegalSteps({}), "[]");
}

TEST(LegalStepsCodecTest, WhatTheEncoderNeverWritesIsDataLoss) {
  EXPECT_THAT(DecodeLegalSteps("[{\"action\":\"shout\"}]"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("unknown action 'shout'")));
  EXPECT_THAT(DecodeLegalSteps("[{\"action\":\"stop\",\"evidence\":{}}]"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("'evidence'")));
  EXPECT_THAT(DecodeLegalSteps("[{\"action\":\"stop\",\"evidence\":[1]}]"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeLegalSteps("{}"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeLegalSteps("[1]"), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace rectify::test
