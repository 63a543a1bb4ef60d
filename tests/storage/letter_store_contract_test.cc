// The store contract for responsibility letters (round trip of every field,
// signatures, versions, references, filters, newest-first listing) and the
// campaign's require_letter flag. Part of StoreContractTest, so every engine
// runs it.
#include <string>
#include <vector>

#include "domain/responsibility_letter.h"
#include "storage/store.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using domain::LetterState;
using domain::ResponsibilityLetter;
using storage::LetterFilter;
using storage::ReadTx;
using storage::WriteTx;
using ::testing::HasSubstr;

ResponsibilityLetter MakeLetter(std::string id, std::string campaign = "C-1",
                                std::string community = "M-1") {
  ResponsibilityLetter l;
  l.id = std::move(id);
  l.campaign_id = std::move(campaign);
  l.community_id = std::move(community);
  l.street_office_id = l.community_id == "M-2" ? "S-2" : "S-1";
  l.property_company_id = l.community_id == "M-2" ? "PC-2" : "PC-1";
  l.indicators = {"公益广告8处", "垃圾分类 \"全覆盖\""};
  l.responsibilities = "物业负责日常保洁";
  l.term_start = absl::CivilDay(2024, 5, 1);
  l.term_end = absl::CivilDay(2024, 10, 31);
  l.drafted_by = "P-1";
  l.draft_time = TestNow();
  l.update_time = TestNow();
  return l;
}

void ExpectLetterEq(const ResponsibilityLetter& a, const ResponsibilityLetter& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.owners_committee_id, b.owners_committee_id);
  EXPECT_EQ(a.property_company_id, b.property_company_id);
  EXPECT_EQ(a.indicators, b.indicators);
  EXPECT_EQ(a.responsibilities, b.responsibilities);
  EXPECT_EQ(a.term_start, b.term_start);
  EXPECT_EQ(a.term_end, b.term_end);
  EXPECT_EQ(a.state, b.state);
  ASSERT_EQ(a.signatures.size(), b.signatures.size());
  for (size_t i = 0; i < a.signatures.size(); ++i) {
    EXPECT_EQ(a.signatures[i].org_id, b.signatures[i].org_id);
    EXPECT_EQ(a.signatures[i].person_id, b.signatures[i].person_id);
    EXPECT_EQ(a.signatures[i].time, b.signatures[i].time);
  }
  EXPECT_EQ(a.drafted_by, b.drafted_by);
  EXPECT_EQ(a.draft_time, b.draft_time);
  EXPECT_EQ(a.sign_time, b.sign_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.version, b.version);
}

absl::StatusOr<ResponsibilityLetter> GetLetter(storage::Store& store, const std::string& id) {
  return storage::ReadAndReturn<ResponsibilityLetter>(
      store, [&](ReadTx& tx) -> absl::StatusOr<ResponsibilityLetter> { return tx.GetLetter(id); });
}

std::vector<std::string> LetterIds(storage::Store& store, const LetterFilter& filter) {
  absl::StatusOr<std::vector<ResponsibilityLetter>> letters =
      storage::ReadAndReturn<std::vector<ResponsibilityLetter>>(
          store, [&](ReadTx& tx) { return tx.ListLetters(filter, 100); });
  EXPECT_THAT(letters, IsOk());
  std::vector<std::string> ids;
  if (letters.ok()) {
    for (const ResponsibilityLetter& l : *letters) ids.push_back(l.id);
  }
  return ids;
}

TEST_P(StoreContractTest, LetterCreateGetSaveRoundTripsEveryField) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ResponsibilityLetter l = MakeLetter("RL-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLetter(l); }), IsOk());
  EXPECT_EQ(l.version, 1);
  absl::StatusOr<ResponsibilityLetter> got = GetLetter(store(), "RL-1");
  ASSERT_THAT(got, IsOk());
  ExpectLetterEq(*got, l);

  got->signatures = {{"S-1", "P-1", TestNow() + absl::Hours(1)},
                     {"PC-1", "P-2", TestNow() + absl::Hours(2)}};
  got->state = LetterState::kSigned;
  got->sign_time = TestNow() + absl::Hours(2);
  got->update_time = TestNow() + absl::Hours(2);
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveLetter(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<ResponsibilityLetter> again = GetLetter(store(), "RL-1");
  ASSERT_THAT(again, IsOk());
  ExpectLetterEq(*again, *got);
}

TEST_P(StoreContractTest, LetterErrorsNameTheProblem) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  EXPECT_THAT(GetLetter(store(), "RL-9"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("responsibility letter 'RL-9'")));
  ResponsibilityLetter l = MakeLetter("RL-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLetter(l); }), IsOk());
  ResponsibilityLetter dup = MakeLetter("RL-1");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLetter(dup); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ResponsibilityLetter stale = l;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveLetter(l); }), IsOk());
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveLetter(stale); }),
              StatusIs(absl::StatusCode::kAborted));
  ResponsibilityLetter orphan = MakeLetter("RL-2");
  orphan.owners_committee_id = "OC-404";
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLetter(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("OC-404")));
}

TEST_P(StoreContractTest, LettersListNewestFirstAndFilter) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    std::vector<ResponsibilityLetter> all = {MakeLetter("RL-1"), MakeLetter("RL-2", "C-1", "M-2"),
                                             MakeLetter("RL-3", "C-2"), MakeLetter("RL-4")};
    all[3].state = LetterState::kSigned;
    for (ResponsibilityLetter& l : all) {
      if (absl::Status s = tx.CreateLetter(l); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(LetterIds(store(), {}), (std::vector<std::string>{"RL-4", "RL-3", "RL-2", "RL-1"}));
  LetterFilter f;
  f.campaign_id = "C-1";
  EXPECT_EQ(LetterIds(store(), f), (std::vector<std::string>{"RL-4", "RL-2", "RL-1"}));
  f.community_id = "M-1";
  EXPECT_EQ(LetterIds(store(), f), (std::vector<std::string>{"RL-4", "RL-1"}));
  f.state = LetterState::kSigned;
  EXPECT_EQ(LetterIds(store(), f), (std::vector<std::string>{"RL-4"}));
}

TEST_P(StoreContractTest, CampaignRequireLetterRoundTripsAndDefaultsToFalse) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  absl::StatusOr<domain::Campaign> c = storage::ReadAndReturn<domain::Campaign>(
      store(), [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  ASSERT_THAT(c, IsOk());
  EXPECT_FALSE(c->require_letter);
  c->require_letter = true;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveCampaign(*c); }), IsOk());
  absl::StatusOr<domain::Campaign> again = storage::ReadAndReturn<domain::Campaign>(
      store(), [](ReadTx& tx) { return tx.GetCampaign("C-1"); });
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->require_letter);
}

}  // namespace
}  // namespace rectify::test
