// Encodings of values without a column type of their own.
#include "storage/codec.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/inspection.h"
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
  // What absl::ParseCivilTime alone would let through: days that do not sort as text.
  for (const char* lenient : {"2024-5-6", " 2024-05-01", "2024-05-01 ", "+2024-05-01"}) {
    EXPECT_THAT(DayFromText(lenient), StatusIs(absl::StatusCode::kDataLoss)) << lenient;
  }
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

TEST(CodecTest, EvidenceAndUrgingsAreArraysOfObjectsWithFixedKeys) {
  // The stored form is read by sqlite3's json_extract and by older builds:
  // keys and their order are part of it.
  EXPECT_EQ(EncodeEvidence({{"u", "h", "n\"", "P-1", TestNow()}}),
            R"([{"uri":"u","sha256":"h","note":"n\"","added_by":"P-1",)"
            R"("add_time":1714521600000000}])");
  EXPECT_EQ(EncodeUrgings({{"P-1", "go", TestNow(), "", "", absl::InfinitePast()}}),
            R"([{"by":"P-1","opinion":"go","time":1714521600000000,"reply":"","replied_by":"",)"
            R"("reply_time":null}])");
  EXPECT_EQ(EncodeEvidence({}), "[]");
  EXPECT_EQ(EncodeUrgings({}), "[]");

  // Absent members and nulls keep the defaults, in either kind of object.
  absl::StatusOr<std::vector<domain::Urging>> u =
      DecodeUrgings(R"([{"opinion":"o","reply_time":null},{}])");
  ASSERT_THAT(u, IsOk());
  ASSERT_EQ(u->size(), 2u);
  EXPECT_EQ((*u)[0].opinion, "o");
  EXPECT_EQ((*u)[0].by, "");
  EXPECT_EQ((*u)[0].time, absl::InfinitePast());
  EXPECT_EQ((*u)[0].reply_time, absl::InfinitePast());
  EXPECT_EQ((*u)[1].opinion, "");
  EXPECT_THAT(DecodeUrgings("[1]"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeEvidence(R"({"uri":"u"})"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeEvidence(R"([{"add_time":"now"}])"), StatusIs(absl::StatusCode::kDataLoss));
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

TEST(CodecTest, DeductionsCategoryScoresAndStringsRoundTripEveryFieldAndByte) {
  const std::string bytes = AllBytes();
  const std::vector<domain::Deduction> deductions = {
      {"2.2b", 12, "楼道堆物，约12平方米；\"纸箱\"", bytes, std::string(64, 'a'), true, 10, "T-42"},
      {bytes, std::numeric_limits<int>::max(), bytes, "", "", false,
       std::numeric_limits<int>::min(), bytes},
      {}};
  absl::StatusOr<std::vector<domain::Deduction>> d = DecodeDeductions(EncodeDeductions(deductions));
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->size(), deductions.size());
  for (size_t i = 0; i < deductions.size(); ++i) {
    EXPECT_EQ((*d)[i].rule_id, deductions[i].rule_id) << i;
    EXPECT_EQ((*d)[i].count, deductions[i].count) << i;
    EXPECT_EQ((*d)[i].note, deductions[i].note) << i;
    EXPECT_EQ((*d)[i].evidence_uri, deductions[i].evidence_uri) << i;
    EXPECT_EQ((*d)[i].evidence_sha256, deductions[i].evidence_sha256) << i;
    EXPECT_EQ((*d)[i].open_task, deductions[i].open_task) << i;
    EXPECT_EQ((*d)[i].points, deductions[i].points) << i;
    EXPECT_EQ((*d)[i].task_id, deductions[i].task_id) << i;
  }

  const std::vector<domain::CategoryScore> categories = {{"publicity", 20, 25, 0},
                                                         {bytes, -1, 0, 7}};
  absl::StatusOr<std::vector<domain::CategoryScore>> c =
      DecodeCategoryScores(EncodeCategoryScores(categories));
  ASSERT_THAT(c, IsOk());
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].category_id, "publicity");
  EXPECT_EQ((*c)[0].points, 20);
  EXPECT_EQ((*c)[0].deducted, 25);
  EXPECT_EQ((*c)[0].score, 0);
  EXPECT_EQ((*c)[1].category_id, bytes);
  EXPECT_EQ((*c)[1].points, -1);
  EXPECT_EQ((*c)[1].score, 7);

  const std::vector<std::string> strings = {"T-1", "", bytes, "任务"};
  absl::StatusOr<std::vector<std::string>> s = DecodeStrings(EncodeStrings(strings));
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(*s, strings);
}

TEST(CodecTest, DeductionsCategoryScoresAndStringsHaveAFixedStoredForm) {
  // Read by sqlite3's json_extract and by later builds: keys and order are part of it.
  EXPECT_EQ(EncodeDeductions({{"1.1a", 3, "缺3处", "u", "h", true, 3, "T-1"}}),
            R"([{"rule_id":"1.1a","count":3,"note":"缺3处","evidence_uri":"u",)"
            R"("evidence_sha256":"h","open_task":true,"points":3,"task_id":"T-1"}])");
  EXPECT_EQ(EncodeCategoryScores({{"publicity", 20, 3, 17}}),
            R"([{"category_id":"publicity","points":20,"deducted":3,"score":17}])");
  EXPECT_EQ(EncodeStrings({"T-1", "a\"b"}), R"(["T-1","a\"b"])");
  EXPECT_EQ(EncodeDeductions({}), "[]");
  EXPECT_EQ(EncodeCategoryScores({}), "[]");
  EXPECT_EQ(EncodeStrings({}), "[]");

  // Absent members and nulls keep the defaults (a deduction counts 1 unit).
  absl::StatusOr<std::vector<domain::Deduction>> d =
      DecodeDeductions(R"([{"rule_id":"r","open_task":null,"later":[1]},{}])");
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[0].rule_id, "r");
  EXPECT_EQ((*d)[0].count, 1);
  EXPECT_FALSE((*d)[0].open_task);
  EXPECT_EQ((*d)[1].points, 0);
}

TEST(CodecTest, MalformedDeductionsCategoryScoresAndStringsAreDataLoss) {
  for (const char* bad : {"", "{}", "[1]", R"([{"count":"3"}])", R"([{"count":1.5}])",
                          R"([{"count":2147483648}])", R"([{"points":-2147483649}])",
                          R"([{"open_task":1}])", R"([{"open_task":"true"}])", R"([{"note":5}])"}) {
    EXPECT_THAT(DecodeDeductions(bad), StatusIs(absl::StatusCode::kDataLoss)) << bad;
  }
  EXPECT_THAT(DecodeCategoryScores(R"([{"score":true}])"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeCategoryScores(R"([["publicity",20]])"), StatusIs(absl::StatusCode::kDataLoss));
  for (const char* bad : {"", "[", R"(["a",1])", R"([null])", R"({"a":"b"})", R"("a")"}) {
    EXPECT_THAT(DecodeStrings(bad), StatusIs(absl::StatusCode::kDataLoss)) << bad;
  }
}

}  // namespace
}  // namespace rectify::test
