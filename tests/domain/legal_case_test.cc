// Tests for domain/legal_case.h and domain/hard_problem.h: the legal ladder,
// exhaustively over (state, action, party), its validation and events; the
// hard-problem report and answer.
#include "domain/legal_case.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "domain/hard_problem.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'715'000'000);
const std::string kSha(64, 'a');

LegalCase Draft() {
  LegalCase c;
  c.id = "LC-1";
  c.campaign_id = "c1";
  c.community_id = "cm-1";
  c.street_office_id = "so-1";
  c.property_company_id = "pc-1";
  c.kind = LegalCaseKind::kIllegalConstruction;
  c.place = "3号楼北侧";
  c.offender = "3-201 业主";
  return c;
}

LegalStepArgs Args(LegalAction action) {
  LegalStepArgs args;
  args.actor_person_id = "p-1";
  args.actor_org_id = "org-1";
  args.note = "words";
  args.evidence = {{"file://photo.jpg", kSha, "", "", absl::InfinitePast()}};
  if (action == LegalAction::kEscalate) {
    args.deadline = kNow + absl::Hours(120);
    args.bureau_org_ids = {"eb-1"};
  }
  if (action == LegalAction::kClose) args.result = LegalResult::kResolved;
  return args;
}

// The ladder as DOMAIN.md and the seed state it, written out independently
// of the table: (from, action) → (to, parties).
struct Expected {
  LegalCaseState to;
  std::vector<LegalParty> parties;
};
std::map<std::pair<LegalCaseState, LegalAction>, Expected> Ladder() {
  using S = LegalCaseState;
  using A = LegalAction;
  using P = LegalParty;
  std::map<std::pair<S, A>, Expected> m;
  m[{S::kNotified, A::kDissuade}] = {S::kDissuaded, {P::kPropertyCompany}};
  m[{S::kDissuaded, A::kStop}] = {S::kStopped, {P::kPropertyCompany}};
  m[{S::kStopped, A::kReport}] = {S::kReported, {P::kPropertyCompany}};
  m[{S::kReported, A::kEscalate}] = {S::kEscalated, {P::kStreetOffice}};
  m[{S::kEscalated, A::kAcknowledge}] = {S::kAcknowledged, {P::kEnforcementBureau}};
  m[{S::kAcknowledged, A::kRecordAction}] = {S::kAcknowledged, {P::kEnforcementBureau}};
  m[{S::kAcknowledged, A::kClose}] = {S::kClosed, {P::kEnforcementBureau}};
  for (S s : {S::kNotified, S::kDissuaded, S::kStopped, S::kReported}) {
    m[{s, A::kResolve}] = {S::kResolved, {P::kPropertyCompany, P::kStreetOffice}};
  }
  return m;
}

TEST(LegalLadderTest, EveryStateActionPartyIsAllowedExactlyAsTheLadderSays) {
  const auto ladder = Ladder();
  int allowed = 0;
  for (LegalCaseState state : kAllLegalCaseStates) {
    for (LegalAction action : kAllLegalTransitions) {
      for (LegalParty party : kAllLegalParties) {
        LegalCase c = Draft();
        c.state = state;
        absl::StatusOr<Event> event = ApplyLegalAction(c, action, party, Args(action), kNow);
        const std::string what = absl::StrCat(
            LegalCaseStateName(state), " ", LegalActionName(action), " by ", LegalPartyName(party));
        auto it = ladder.find({state, action});
        const bool party_ok = PartyMay(party, action);
        if (it != ladder.end() && std::find(it->second.parties.begin(), it->second.parties.end(),
                                            party) != it->second.parties.end()) {
          ASSERT_TRUE(event.ok()) << what << ": " << event.status();
          EXPECT_EQ(c.state, it->second.to) << what;
          EXPECT_EQ(event->type, LegalEventType(action)) << what;
          EXPECT_EQ(event->from_state, LegalCaseStateName(state)) << what;
          EXPECT_EQ(event->to_state, LegalCaseStateName(it->second.to)) << what;
          EXPECT_EQ(c.steps.back().action, action) << what;
          EXPECT_EQ(c.steps.back().evidence.at(0).added_by, "p-1") << what;
          ++allowed;
        } else if (!party_ok) {
          EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied) << what;
          EXPECT_THAT(event.status().message(), HasSubstr(LegalActionName(action))) << what;
          EXPECT_EQ(c.state, state) << what;
        } else {
          EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition) << what;
          EXPECT_THAT(event.status().message(),
                      HasSubstr(absl::StrCat("is in state ", LegalCaseStateName(state))))
              << what;
          EXPECT_EQ(c.state, state) << what;
        }
      }
    }
  }
  // 7 single-party rows + 4 resolve rows × 2 parties.
  EXPECT_EQ(allowed, 15);
  EXPECT_EQ(LegalTransitionTable().size(), 11u);
}

TEST(LegalLadderTest, TheBureauMayNotNotifyAndTheCompanyMayNotAcknowledge) {
  EXPECT_FALSE(PartyMay(LegalParty::kEnforcementBureau, LegalAction::kNotify));
  EXPECT_TRUE(PartyMay(LegalParty::kPropertyCompany, LegalAction::kNotify));
  LegalCase c = Draft();
  c.state = LegalCaseState::kEscalated;
  auto event = ApplyLegalAction(c, LegalAction::kAcknowledge, LegalParty::kPropertyCompany,
                                Args(LegalAction::kAcknowledge), kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(event.status().message(),
              HasSubstr("'acknowledge' is for the enforcement bureau; the property company "
                        "may not"));
}

TEST(LegalLadderTest, WrongStateNamesStateAndWhatTheActionNeeds) {
  LegalCase c = Draft();
  auto event = ApplyLegalAction(c, LegalAction::kEscalate, LegalParty::kStreetOffice,
                                Args(LegalAction::kEscalate), kNow);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(event.status().message(),
              HasSubstr("legal case 'LC-1' is in state NOTIFIED; 'escalate' needs REPORTED"));
}

TEST(LegalLadderTest, OpenRecordsTheNoticeAsFirstStep) {
  LegalCase c = Draft();
  auto event = OpenLegalCase(c, Args(LegalAction::kNotify), kNow);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->type, "legal_case.opened");
  EXPECT_EQ(event->subject, "legal_cases/LC-1");
  EXPECT_THAT(event->audience, ElementsAre("so-1", "pc-1"));
  EXPECT_EQ(c.state, LegalCaseState::kNotified);
  ASSERT_EQ(c.steps.size(), 1u);
  EXPECT_EQ(c.steps[0].action, LegalAction::kNotify);
  EXPECT_EQ(c.steps[0].time, kNow);
  EXPECT_EQ(c.opened_by, "p-1");
}

TEST(LegalLadderTest, OpenNamesTheBadField) {
  struct Case {
    std::function<void(LegalCase&, LegalStepArgs&)> spoil;
    std::string field;
  };
  const Case cases[] = {
      {[](LegalCase& c, LegalStepArgs&) { c.place.clear(); }, "'place'"},
      {[](LegalCase& c, LegalStepArgs&) { c.offender.clear(); }, "'offender'"},
      {[](LegalCase& c, LegalStepArgs&) { c.community_id.clear(); }, "'community_id'"},
      {[](LegalCase& c, LegalStepArgs&) { c.kind = static_cast<LegalCaseKind>(9); }, "'kind'"},
      {[](LegalCase&, LegalStepArgs& a) { a.evidence[0].sha256 = "xyz"; }, "'evidence[0].sha256'"},
      {[](LegalCase&, LegalStepArgs& a) { a.evidence[0].uri.clear(); }, "'evidence[0].uri'"},
  };
  for (const Case& k : cases) {
    LegalCase c = Draft();
    LegalStepArgs args = Args(LegalAction::kNotify);
    k.spoil(c, args);
    auto event = OpenLegalCase(c, args, kNow);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument) << k.field;
    EXPECT_THAT(event.status().message(), HasSubstr(k.field));
  }
}

TEST(LegalLadderTest, EscalationReachesTheBureauAndStartsItsServiceLevel) {
  LegalCase c = Draft();
  c.state = LegalCaseState::kReported;
  auto event = ApplyLegalAction(c, LegalAction::kEscalate, LegalParty::kStreetOffice,
                                Args(LegalAction::kEscalate), kNow);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_THAT(event->audience, ElementsAre("so-1", "pc-1", "eb-1"));
  EXPECT_EQ(c.deadline, kNow + absl::Hours(120));
  EXPECT_EQ(c.escalate_time, kNow);
  EXPECT_FALSE(LegalCaseOverdue(c, kNow + absl::Hours(120)));
  EXPECT_TRUE(LegalCaseOverdue(c, kNow + absl::Hours(121)));
  Event overdue = LegalCaseOverdueEvent(c, kNow + absl::Hours(121));
  EXPECT_EQ(overdue.type, "legal_case.overdue");
  EXPECT_THAT(overdue.audience, ElementsAre("eb-1", "so-1"));
}

TEST(LegalLadderTest, StepWordsAreCheckedByAction) {
  LegalCase c = Draft();
  c.state = LegalCaseState::kReported;
  LegalStepArgs args = Args(LegalAction::kEscalate);
  args.note.clear();
  EXPECT_THAT(ApplyLegalAction(c, LegalAction::kEscalate, LegalParty::kStreetOffice, args, kNow)
                  .status()
                  .message(),
              HasSubstr("'note'"));
  args = Args(LegalAction::kEscalate);
  args.bureau_org_ids.clear();
  EXPECT_EQ(ApplyLegalAction(c, LegalAction::kEscalate, LegalParty::kStreetOffice, args, kNow)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  c.state = LegalCaseState::kAcknowledged;
  args = Args(LegalAction::kClose);
  args.result = LegalResult::kUnspecified;
  auto closed =
      ApplyLegalAction(c, LegalAction::kClose, LegalParty::kEnforcementBureau, args, kNow);
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(closed.status().message(), HasSubstr("'result'"));
  args = Args(LegalAction::kRecordAction);
  args.note.clear();
  EXPECT_THAT(
      ApplyLegalAction(c, LegalAction::kRecordAction, LegalParty::kEnforcementBureau, args, kNow)
          .status()
          .message(),
      HasSubstr("'note'"));
  EXPECT_EQ(c.state, LegalCaseState::kAcknowledged);
  EXPECT_TRUE(c.steps.empty());
}

TEST(LegalLadderTest, CloseRecordsTheResult) {
  LegalCase c = Draft();
  c.state = LegalCaseState::kAcknowledged;
  LegalStepArgs args = Args(LegalAction::kClose);
  args.result = LegalResult::kNotResolved;
  args.note = "已立案处罚";
  auto event = ApplyLegalAction(c, LegalAction::kClose, LegalParty::kEnforcementBureau, args, kNow);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(c.result, LegalResult::kNotResolved);
  EXPECT_EQ(c.result_text, "已立案处罚");
  EXPECT_EQ(c.close_time, kNow);
  EXPECT_EQ(event->Detail("result"), "not_resolved");
  EXPECT_FALSE(LegalCaseOverdue(c, kNow + absl::Hours(10000)));
}

TEST(HardProblemTest, ReportedThenAnsweredOnce) {
  HardProblem p;
  p.id = "HP-1";
  p.campaign_id = "c1";
  p.kind = HardProblemKind::kHot;
  p.title = "停车难";
  p.description = "小区车位不足";
  p.reported_by = "officer-1";
  p.reporter_org_id = "so-1";
  auto reported = ReportHardProblem(p, {"so-1", "city"}, kNow);
  ASSERT_TRUE(reported.ok()) << reported.status();
  EXPECT_EQ(reported->type, "hard_problem.reported");
  EXPECT_THAT(reported->audience, ElementsAre("so-1", "city"));
  EXPECT_THAT(AnswerHardProblem(p, "c-1", "city", "", {}, kNow).status().message(),
              HasSubstr("'answer'"));
  auto answered = AnswerHardProblem(p, "c-1", "city", "协调新建停车场", {"so-1", "city"}, kNow);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(p.state, HardProblemState::kAnswered);
  EXPECT_EQ(p.answered_by, "c-1");
  auto again = AnswerHardProblem(p, "c-1", "city", "again", {}, kNow);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(),
              HasSubstr("hard problem 'HP-1' is in state ANSWERED; 'answer' needs REPORTED"));
}

TEST(HardProblemTest, ReportNamesTheBadField) {
  HardProblem p;
  p.campaign_id = "c1";
  p.reported_by = "x";
  p.description = "d";
  EXPECT_THAT(ReportHardProblem(p, {}, kNow).status().message(), HasSubstr("'title'"));
  p.title = "t";
  p.kind = static_cast<HardProblemKind>(7);
  EXPECT_THAT(ReportHardProblem(p, {}, kNow).status().message(), HasSubstr("'kind'"));
}

}  // namespace
}  // namespace rectify::domain
