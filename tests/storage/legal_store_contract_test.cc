// The store contract for legal cases (round trip of every field, steps with
// their evidence, versions, references, filters, newest-first listing) and
// hard/hot problems. Part of StoreContractTest, so every engine runs it.
#include <string>
#include <vector>

#include "domain/hard_problem.h"
#include "domain/legal_case.h"
#include "storage/store.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using domain::HardProblem;
using domain::LegalAction;
using domain::LegalCase;
using domain::LegalCaseState;
using storage::LegalCaseFilter;
using storage::ReadTx;
using storage::WriteTx;
using ::testing::HasSubstr;

LegalCase MakeCase(std::string id, std::string campaign = "C-1", std::string community = "M-1") {
  LegalCase c;
  c.id = std::move(id);
  c.campaign_id = std::move(campaign);
  c.community_id = std::move(community);
  c.street_office_id = c.community_id == "M-2" ? "S-2" : "S-1";
  c.property_company_id = c.community_id == "M-2" ? "PC-2" : "PC-1";
  c.kind = domain::LegalCaseKind::kIllegalConstruction;
  c.place = "3号楼北侧";
  c.offender = "3-201 \"业主\"";
  c.description = "搭建彩钢棚";
  domain::LegalStep notice;
  notice.action = LegalAction::kNotify;
  notice.actor_person_id = "P-1";
  notice.actor_org_id = "PC-1";
  notice.time = TestNow();
  notice.note = "书面通知";
  notice.evidence = {{"file:///a.jpg", std::string(64, 'b'), "照片", "P-1", TestNow()}};
  c.steps = {notice};
  c.opened_by = "P-1";
  c.open_time = TestNow();
  c.update_time = TestNow();
  return c;
}

void ExpectCaseEq(const LegalCase& a, const LegalCase& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.property_company_id, b.property_company_id);
  EXPECT_EQ(a.task_id, b.task_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.place, b.place);
  EXPECT_EQ(a.offender, b.offender);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.state, b.state);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_EQ(a.steps[i].action, b.steps[i].action);
    EXPECT_EQ(a.steps[i].actor_person_id, b.steps[i].actor_person_id);
    EXPECT_EQ(a.steps[i].actor_org_id, b.steps[i].actor_org_id);
    EXPECT_EQ(a.steps[i].time, b.steps[i].time);
    EXPECT_EQ(a.steps[i].note, b.steps[i].note);
    ASSERT_EQ(a.steps[i].evidence.size(), b.steps[i].evidence.size());
    for (size_t j = 0; j < a.steps[i].evidence.size(); ++j) {
      EXPECT_EQ(a.steps[i].evidence[j].uri, b.steps[i].evidence[j].uri);
      EXPECT_EQ(a.steps[i].evidence[j].sha256, b.steps[i].evidence[j].sha256);
      EXPECT_EQ(a.steps[i].evidence[j].note, b.steps[i].evidence[j].note);
      EXPECT_EQ(a.steps[i].evidence[j].added_by, b.steps[i].evidence[j].added_by);
      EXPECT_EQ(a.steps[i].evidence[j].add_time, b.steps[i].evidence[j].add_time);
    }
  }
  EXPECT_EQ(a.bureau_org_ids, b.bureau_org_ids);
  EXPECT_EQ(a.escalate_time, b.escalate_time);
  EXPECT_EQ(a.deadline, b.deadline);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.result_text, b.result_text);
  EXPECT_EQ(a.opened_by, b.opened_by);
  EXPECT_EQ(a.open_time, b.open_time);
  EXPECT_EQ(a.close_time, b.close_time);
  EXPECT_EQ(a.update_time, b.update_time);
  EXPECT_EQ(a.version, b.version);
}

absl::StatusOr<LegalCase> GetCase(storage::Store& store, const std::string& id) {
  return storage::ReadAndReturn<LegalCase>(
      store, [&](ReadTx& tx) -> absl::StatusOr<LegalCase> { return tx.GetLegalCase(id); });
}

std::vector<std::string> CaseIds(storage::Store& store, const LegalCaseFilter& filter) {
  absl::StatusOr<std::vector<LegalCase>> cases = storage::ReadAndReturn<std::vector<LegalCase>>(
      store, [&](ReadTx& tx) { return tx.ListLegalCases(filter, 100); });
  EXPECT_THAT(cases, IsOk());
  std::vector<std::string> ids;
  if (cases.ok()) {
    for (const LegalCase& c : *cases) ids.push_back(c.id);
  }
  return ids;
}

TEST_P(StoreContractTest, LegalCaseCreateGetSaveRoundTripsEveryField) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  LegalCase c = MakeCase("LC-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLegalCase(c); }), IsOk());
  EXPECT_EQ(c.version, 1);
  absl::StatusOr<LegalCase> got = GetCase(store(), "LC-1");
  ASSERT_THAT(got, IsOk());
  ExpectCaseEq(*got, c);

  domain::LegalStep escalate;
  escalate.action = LegalAction::kEscalate;
  escalate.actor_person_id = "P-2";
  escalate.time = TestNow() + absl::Hours(3);
  escalate.note = "拒不整改";
  got->steps.push_back(escalate);
  got->state = LegalCaseState::kClosed;
  got->bureau_org_ids = {"PC-2", "S-2"};
  got->escalate_time = TestNow() + absl::Hours(3);
  got->deadline = TestNow() + absl::Hours(120);
  got->result = domain::LegalResult::kNotResolved;
  got->result_text = "已处罚";
  got->close_time = TestNow() + absl::Hours(4);
  got->property_company_id.clear();
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveLegalCase(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  absl::StatusOr<LegalCase> again = GetCase(store(), "LC-1");
  ASSERT_THAT(again, IsOk());
  ExpectCaseEq(*again, *got);
}

TEST_P(StoreContractTest, LegalCaseErrorsNameTheProblem) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  EXPECT_THAT(GetCase(store(), "LC-9"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("legal case 'LC-9'")));
  LegalCase c = MakeCase("LC-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLegalCase(c); }), IsOk());
  LegalCase dup = MakeCase("LC-1");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLegalCase(dup); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  LegalCase stale = c;
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveLegalCase(c); }), IsOk());
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveLegalCase(stale); }),
              StatusIs(absl::StatusCode::kAborted));
  LegalCase orphan = MakeCase("LC-2");
  orphan.task_id = "T-404";
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateLegalCase(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("task_id 'T-404'")));
}

TEST_P(StoreContractTest, LegalCasesListNewestFirstAndFilter) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    std::vector<LegalCase> all = {MakeCase("LC-1"), MakeCase("LC-2", "C-1", "M-2"),
                                  MakeCase("LC-3", "C-2"), MakeCase("LC-4")};
    all[1].state = LegalCaseState::kEscalated;
    all[1].escalate_time = TestNow();
    all[3].state = LegalCaseState::kAcknowledged;
    all[3].escalate_time = TestNow();
    for (LegalCase& c : all) {
      if (absl::Status s = tx.CreateLegalCase(c); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(CaseIds(store(), {}), (std::vector<std::string>{"LC-4", "LC-3", "LC-2", "LC-1"}));
  LegalCaseFilter f;
  f.campaign_id = "C-1";
  EXPECT_EQ(CaseIds(store(), f), (std::vector<std::string>{"LC-4", "LC-2", "LC-1"}));
  f.community_id = "M-1";
  EXPECT_EQ(CaseIds(store(), f), (std::vector<std::string>{"LC-4", "LC-1"}));
  f.community_id.clear();
  f.escalated_only = true;
  EXPECT_EQ(CaseIds(store(), f), (std::vector<std::string>{"LC-4", "LC-2"}));
  f.escalated_only = false;
  f.states = {LegalCaseState::kEscalated, LegalCaseState::kNotified};
  EXPECT_EQ(CaseIds(store(), f), (std::vector<std::string>{"LC-2", "LC-1"}));
  EXPECT_THAT(store().Read([](ReadTx& tx) { return tx.ListLegalCases({}, 0).status(); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreContractTest, HardProblemsRoundTripAndListNewestFirst) {
  ASSERT_THAT(SeedDirectory(store()), IsOk());
  HardProblem p;
  p.id = "HP-1";
  p.campaign_id = "C-1";
  p.kind = domain::HardProblemKind::kHot;
  p.title = "停车难";
  p.description = "车位不足";
  p.reported_by = "P-1";
  p.reporter_org_id = "S-1";
  p.report_time = TestNow();
  p.update_time = TestNow();
  HardProblem q = p;
  q.id = "HP-2";
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    if (absl::Status s = tx.CreateHardProblem(p); !s.ok()) return s;
    return tx.CreateHardProblem(q);
  }),
              IsOk());
  p.state = domain::HardProblemState::kAnswered;
  p.answer = "协调解决";
  p.answered_by = "C-9";
  p.answer_time = TestNow() + absl::Hours(1);
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveHardProblem(p); }), IsOk());
  absl::StatusOr<HardProblem> got = storage::ReadAndReturn<HardProblem>(
      store(), [](ReadTx& tx) { return tx.GetHardProblem("HP-1"); });
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->kind, domain::HardProblemKind::kHot);
  EXPECT_EQ(got->title, "停车难");
  EXPECT_EQ(got->description, "车位不足");
  EXPECT_EQ(got->reported_by, "P-1");
  EXPECT_EQ(got->reporter_org_id, "S-1");
  EXPECT_EQ(got->state, domain::HardProblemState::kAnswered);
  EXPECT_EQ(got->answer, "协调解决");
  EXPECT_EQ(got->answered_by, "C-9");
  EXPECT_EQ(got->report_time, TestNow());
  EXPECT_EQ(got->answer_time, TestNow() + absl::Hours(1));
  EXPECT_EQ(got->version, 2);
  storage::HardProblemFilter answered;
  answered.state = domain::HardProblemState::kAnswered;
  absl::StatusOr<std::vector<HardProblem>> list = storage::ReadAndReturn<std::vector<HardProblem>>(
      store(), [&](ReadTx& tx) { return tx.ListHardProblems({}, 10); });
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "HP-2");
  list = storage::ReadAndReturn<std::vector<HardProblem>>(
      store(), [&](ReadTx& tx) { return tx.ListHardProblems(answered, 10); });
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, "HP-1");
  HardProblem orphan = q;
  orphan.id = "HP-3";
  orphan.reporter_org_id = "S-9";
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateHardProblem(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("reporter_org_id 'S-9'")));
}

}  // namespace
}  // namespace rectify::test
