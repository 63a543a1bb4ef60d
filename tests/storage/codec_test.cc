// Encodings of values without a column type of their own.
#include "storage/codec.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using namespace storage::codec;  // NOLINT: the file under test

std::string AllBytes() {
  std::string s;
  for (int c = 0; c < 256; ++c) s.push_back(static_cast<char>(c));
  return s;
}

TEST(CodecTest, TimesAreMicrosecondsAndInfinitiesAreNull) {
  EXPECT_EQ(TimeToMicros(absl::InfinitePast()), std::nullopt);
  EXPECT_EQ(TimeToMicros(absl::InfiniteFuture()), std::nullopt);
  EXPECT_EQ(TimeToMicros(absl::FromUnixMicros(-5)), -5);
  EXPECT_EQ(TimeToMicros(absl::UnixEpoch()), 0);
  EXPECT_EQ(TimeFromMicros(std::nullopt, absl::InfiniteFuture()), absl::InfiniteFuture());
  EXPECT_EQ(TimeFromMicros(1714521600000000, absl::InfinitePast()), TestNow());
}

TEST(CodecTest, DaysAreIsoTextAndAnythingElseIsDataLoss) {
  EXPECT_EQ(DayToText(absl::CivilDay(2024, 5, 1)), "2024-05-01");
  absl::StatusOr<absl::CivilDay> day = DayFromText("2024-10-01");
  ASSERT_THAT(day, IsOk());
  EXPECT_EQ(*day, absl::CivilDay(2024, 10, 1));
  EXPECT_THAT(DayFromText("2024/10/01"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DayFromText(""), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(CodecTest, EveryByteSurvivesEvidenceUrgingsAndDetails) {
  const std::string bytes = AllBytes();
  std::vector<domain::Evidence> evidence = {{bytes, "h", bytes, "P-1", TestNow()},
                                            {"", "", "", "", absl::InfinitePast()}};
  absl::StatusOr<std::vector<domain::Evidence>> e = DecodeEvidence(EncodeEvidence(evidence));
  ASSERT_THAT(e, IsOk());
  ASSERT_EQ(e->size(), 2u);
  EXPECT_EQ((*e)[0].uri, bytes);
  EXPECT_EQ((*e)[0].note, bytes);
  EXPECT_EQ((*e)[0].add_time, TestNow());
  EXPECT_EQ((*e)[1].add_time, absl::InfinitePast());

  std::vector<domain::Urging> urgings = {{"P-1", bytes, TestNow(), bytes, "P-2", TestNow()}};
  absl::StatusOr<std::vector<domain::Urging>> u = DecodeUrgings(EncodeUrgings(urgings));
  ASSERT_THAT(u, IsOk());
  ASSERT_EQ(u->size(), 1u);
  EXPECT_EQ((*u)[0].opinion, bytes);
  EXPECT_EQ((*u)[0].reply, bytes);
  EXPECT_EQ((*u)[0].reply_time, TestNow());

  Details details = {{bytes, bytes}, {"k", ""}, {"k", "again"}};
  absl::StatusOr<Details> d = DecodeDetails(EncodeDetails(details));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(*d, details);
  EXPECT_EQ(EncodeDetails({}), "[]");
}

TEST(CodecTest, JsonFromOtherWritersIsRead) {
  // Escaped Unicode (with a surrogate pair), spacing, and keys we do not know.
  absl::StatusOr<Details> d = DecodeDetails(R"( [ ["\u4e2d\u6587", "\ud83d\ude00 \/ \"q\""] ] )");
  ASSERT_THAT(d, IsOk());
  EXPECT_THAT(*d, ElementsAre(Pair("中文", "😀 / \"q\"")));
  absl::StatusOr<std::vector<domain::Evidence>> e =
      DecodeEvidence(R"([{"uri":"u","future_field":{"a":[1,true,null]},"add_time":null}])");
  ASSERT_THAT(e, IsOk());
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].uri, "u");
}

TEST(CodecTest, MalformedJsonIsDataLoss) {
  for (const char* bad : {"", "[", "[{]", "{}", "[1]", "[[\"a\"]]", "[[\"a\",1]]",
                          "[[\"a\",\"b\"]] x", "[[\"\\x\",\"b\"]]", "[[\"\\ud800\",\"b\"]]",
                          "[[\"a\",\"b\"],]", "[[\"a\", 1.5]]", "[[\"a\",\"unterminated]]"}) {
    EXPECT_THAT(DecodeDetails(bad), StatusIs(absl::StatusCode::kDataLoss)) << bad;
  }
  EXPECT_THAT(DecodeEvidence(R"([{"uri": 5}])"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeUrgings(R"([{"time": "yesterday"}])"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeEvidence(std::string(100, '[') + std::string(100, ']')),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace rectify::test
