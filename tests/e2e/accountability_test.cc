// Accountability through the real server on the fake clock: the scheduler
// escalating an overdue task step by step (each step once, across passes and
// restarts), the penalty ladder (three yellow cards → a red one), a contract
// termination that leaves the company's tasks open for reassignment, who may
// propose and issue, and the error codes.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

v1::GetTaskRequest GetReq(const std::string& id) {
  v1::GetTaskRequest req;
  req.set_id(id);
  return req;
}

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         std::string(arg.status().message()).find(substring) != std::string::npos;
}

class AccountabilityTest : public CityTest {
 protected:
  // Runs the scheduler's pass; it must succeed.
  void Pass() {
    absl::StatusOr<int> pass = server_->scheduler().RunOnce();
    ASSERT_TRUE(pass.ok()) << pass.status();
  }

  // The task's events of `type`, oldest first.
  std::vector<v1::Event> Events(const std::string& task_id, const std::string& type) {
    v1::ListTaskEventsRequest req;
    req.set_task_id(task_id);
    req.set_page_size(1000);
    auto events = As("sup-1").ListTaskEvents(req);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<v1::Event> out;
    for (const v1::Event& e : events->events()) {
      if (e.type() == type) out.push_back(e);
    }
    return out;
  }
  int CountEvents(const std::string& task_id, const std::string& type) {
    return static_cast<int>(Events(task_id, type).size());
  }

  std::vector<v1::Penalty> Penalties(v1::PenaltyKind kind = v1::PENALTY_KIND_UNSPECIFIED,
                                     const std::string& org = "") {
    v1::ListPenaltiesRequest req;
    req.set_campaign_id("c1");
    req.set_kind(kind);
    req.set_organisation_id(org);
    auto list = As("sup-1").ListPenalties(req);
    EXPECT_TRUE(list.ok()) << list.status();
    return {list->penalties().begin(), list->penalties().end()};
  }

  static v1::ProposePenaltyRequest Proposal(v1::PenaltyKind kind, const std::string& org = "pc-1",
                                            int64_t amount_fen = 0,
                                            const std::string& reason = "逾期未整改") {
    v1::ProposePenaltyRequest req;
    req.set_campaign_id("c1");
    req.set_organisation_id(org);
    req.set_kind(kind);
    req.set_amount_fen(amount_fen);
    req.set_reason(reason);
    return req;
  }

  absl::StatusOr<v1::IssuePenaltyResponse> Issue(const std::string& id,
                                                 const std::string& who = "sup-1") {
    v1::IssuePenaltyRequest req;
    req.set_penalty_id(id);
    return As(who).IssuePenalty(req);
  }

  // Proposes and issues; returns the issue response.
  v1::IssuePenaltyResponse ProposeAndIssue(v1::PenaltyKind kind, const std::string& org = "pc-1") {
    auto proposed = As("sup-1").ProposePenalty(Proposal(kind, org));
    EXPECT_TRUE(proposed.ok()) << proposed.status();
    auto issued = Issue(proposed->id());
    EXPECT_TRUE(issued.ok()) << issued.status();
    return *issued;
  }
};

// Sanitation allows 3 working days: dispatched Monday 2024-05-06 09:00, due
// Thursday 2024-05-09 09:00. Saturday 2024-05-11 is a make-up working day.
TEST_F(AccountabilityTest, AnOverdueTaskIsEscalatedStepByStepEachStepOnce) {
  const v1::Task task = TaskIn(v1::TASK_STATE_IN_PROGRESS);
  ASSERT_EQ(FromTs(task.deadline()), At("2024-05-09 09:00"));

  Pass();  // three days ahead: nothing to do
  EXPECT_EQ(CountEvents(task.id(), "task.reminded"), 0);

  clock_.Set(At("2024-05-08 10:00"));  // due within 24 hours
  Pass();
  Pass();
  EXPECT_EQ(CountEvents(task.id(), "task.reminded"), 1);
  EXPECT_EQ(CountEvents(task.id(), "task.urged"), 0);

  clock_.Set(At("2024-05-09 10:00"));  // overdue
  Pass();
  Pass();
  EXPECT_EQ(CountEvents(task.id(), "task.urged"), 1);
  auto urged = As("sup-1").GetTask(GetReq(task.id()));
  ASSERT_TRUE(urged.ok()) << urged.status();
  ASSERT_EQ(urged->urgings_size(), 1);
  EXPECT_EQ(urged->urgings(0).by(), "scheduler");
  const v1::Event urge = Events(task.id(), "task.urged").at(0);
  EXPECT_EQ(urge.actor_person_id(), "scheduler");
  EXPECT_THAT(urge.audience(), UnorderedElementsAre("so-1", "pc-1"));
  EXPECT_EQ(urge.details().at("head_person_id"), "worker-1");
  EXPECT_EQ(urge.details().at("escalation_step"), "urge_overdue");
  const v1::Event remind = Events(task.id(), "task.reminded").at(0);
  EXPECT_THAT(remind.audience(), UnorderedElementsAre("so-1", "pc-1"));
  EXPECT_EQ(remind.details().at("responsible_person_id"), task.responsible_person_id());
  EXPECT_TRUE(Penalties().empty());

  Restart();
  Pass();
  EXPECT_EQ(CountEvents(task.id(), "task.urged"), 1);
  EXPECT_EQ(CountEvents(task.id(), "task.reminded"), 1);

  // Thursday 15h + Friday + make-up Saturday + Monday 9h = 3 working days.
  clock_.Set(At("2024-05-13 08:00"));
  Pass();
  EXPECT_TRUE(Penalties().empty()) << "not yet 3 working days overdue";
  clock_.Set(At("2024-05-13 10:00"));
  Pass();
  Pass();
  std::vector<v1::Penalty> penalties = Penalties();
  ASSERT_EQ(penalties.size(), 1u);
  EXPECT_EQ(penalties[0].kind(), v1::PENALTY_KIND_NOTICE_OF_CRITICISM);
  EXPECT_EQ(penalties[0].state(), v1::PENALTY_STATE_PROPOSED);
  EXPECT_EQ(penalties[0].organisation_id(), "pc-1");
  EXPECT_EQ(penalties[0].proposed_by(), "scheduler");
  EXPECT_EQ(penalties[0].escalation_step(), "criticise_3d");
  EXPECT_THAT(penalties[0].task_ids(), ElementsAre(task.id()));

  Restart();
  clock_.Set(At("2024-05-27 10:00"));  // more than 10 working days overdue
  Pass();
  Pass();
  Restart();
  Pass();
  penalties = Penalties();
  ASSERT_EQ(penalties.size(), 2u);
  EXPECT_EQ(penalties[0].kind(), v1::PENALTY_KIND_FINE);  // newest first
  EXPECT_EQ(penalties[0].amount_fen(), 200000);
  EXPECT_EQ(penalties[0].escalation_step(), "fine_10d");
  EXPECT_EQ(CountEvents(task.id(), "task.urged"), 1);
  EXPECT_EQ(CountEvents(task.id(), "task.reminded"), 1);
}

TEST_F(AccountabilityTest, ASubmittedTaskIsNotEscalated) {
  const v1::Task task = TaskIn(v1::TASK_STATE_SUBMITTED);
  clock_.Set(At("2024-05-27 10:00"));
  Pass();
  EXPECT_EQ(CountEvents(task.id(), "task.urged"), 0);
  EXPECT_TRUE(Penalties().empty());
}

TEST_F(AccountabilityTest, AnOrganisationWithThreeOverdueTasksGetsOneYellowCardProposal) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(TaskIn(v1::TASK_STATE_ACCEPTED).id());
  clock_.Set(At("2024-05-09 10:00"));
  Pass();
  Pass();
  Restart();
  Pass();
  std::vector<v1::Penalty> yellow = Penalties(v1::PENALTY_KIND_YELLOW_CARD);
  ASSERT_EQ(yellow.size(), 1u);
  EXPECT_EQ(yellow[0].organisation_id(), "pc-1");
  EXPECT_EQ(yellow[0].escalation_step(), "yellow_repeat");
  EXPECT_THAT(yellow[0].task_ids(), UnorderedElementsAre(ids[0], ids[1], ids[2]));
}

TEST_F(AccountabilityTest, ThreeIssuedYellowCardsBringARedOne) {
  EXPECT_TRUE(ProposeAndIssue(v1::PENALTY_KIND_YELLOW_CARD).consequent_penalties().empty());
  EXPECT_TRUE(ProposeAndIssue(v1::PENALTY_KIND_YELLOW_CARD).consequent_penalties().empty());
  // Another company's yellow card does not count for pc-1.
  EXPECT_TRUE(ProposeAndIssue(v1::PENALTY_KIND_YELLOW_CARD, "pc-2").consequent_penalties().empty());
  const v1::IssuePenaltyResponse third = ProposeAndIssue(v1::PENALTY_KIND_YELLOW_CARD);
  ASSERT_EQ(third.consequent_penalties_size(), 1);
  const v1::Penalty& red = third.consequent_penalties(0);
  EXPECT_EQ(red.kind(), v1::PENALTY_KIND_RED_CARD);
  EXPECT_EQ(red.state(), v1::PENALTY_STATE_ISSUED);
  EXPECT_EQ(red.organisation_id(), "pc-1");
  EXPECT_THAT(red.reason(), HasSubstr(third.penalty().id()));
  std::vector<v1::Penalty> reds = Penalties(v1::PENALTY_KIND_RED_CARD);
  ASSERT_EQ(reds.size(), 1u);
  EXPECT_EQ(reds[0].id(), red.id());

  // A revoked yellow card no longer counts: the next one makes three again.
  v1::RevokePenaltyRequest revoke;
  revoke.set_penalty_id(third.penalty().id());
  revoke.set_reason("申诉成立");
  auto revoked = As("sup-1").RevokePenalty(revoke);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->state(), v1::PENALTY_STATE_REVOKED);
  EXPECT_EQ(revoked->revoke_reason(), "申诉成立");
  EXPECT_EQ(ProposeAndIssue(v1::PENALTY_KIND_YELLOW_CARD).consequent_penalties_size(), 1);
  EXPECT_EQ(Penalties(v1::PENALTY_KIND_RED_CARD).size(), 2u);
}

TEST_F(AccountabilityTest, ContractTerminationLeavesTheCompanysOpenTasksForReassignment) {
  const v1::Task working = TaskIn(v1::TASK_STATE_IN_PROGRESS);
  const v1::Task dispatched = TaskIn(v1::TASK_STATE_DISPATCHED);
  const v1::Task submitted = TaskIn(v1::TASK_STATE_SUBMITTED);
  const v1::IssuePenaltyResponse issued = ProposeAndIssue(v1::PENALTY_KIND_CONTRACT_TERMINATION);
  EXPECT_THAT(issued.cleared_community_ids(), ElementsAre("cm-1"));
  EXPECT_THAT(issued.released_task_ids(), UnorderedElementsAre(working.id(), dispatched.id()));

  for (const std::string& id : {working.id(), dispatched.id()}) {
    auto task = As("sup-1").GetTask(GetReq(id));
    ASSERT_TRUE(task.ok()) << task.status();
    EXPECT_EQ(task->state(), v1::TASK_STATE_OPEN);
    EXPECT_EQ(task->responsible_org_id(), "");
    EXPECT_EQ(CountEvents(id, "task.released"), 1);
  }
  // Work already submitted stays with the company for verification.
  auto kept = As("sup-1").GetTask(GetReq(submitted.id()));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->state(), v1::TASK_STATE_SUBMITTED);

  v1::GetCommunityRequest get;
  get.set_id("cm-1");
  auto community = As("admin").GetCommunity(get);
  ASSERT_TRUE(community.ok()) << community.status();
  EXPECT_EQ(community->property_company_id(), "");

  // The street office reassigns a released task to another company.
  auto again = As("officer-1").DispatchTask(Dispatch(working.id(), "pc-2"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->task().responsible_org_id(), "pc-2");
}

TEST_F(AccountabilityTest, WhoMayProposeAndIssue) {
  EXPECT_THAT(As("worker-1").ProposePenalty(Proposal(v1::PENALTY_KIND_SUMMONS_TALK, "pc-2")),
              StatusIs(absl::StatusCode::kPermissionDenied, "may not propose"));
  EXPECT_THAT(As("volunteer-1").ProposePenalty(Proposal(v1::PENALTY_KIND_SUMMONS_TALK)),
              StatusIs(absl::StatusCode::kPermissionDenied, "may not propose"));
  // officer-2's street office has no community of pc-1's.
  EXPECT_THAT(As("officer-2").ProposePenalty(Proposal(v1::PENALTY_KIND_SUMMONS_TALK, "pc-1")),
              StatusIs(absl::StatusCode::kPermissionDenied, "organisation 'pc-1'"));
  auto proposed = As("officer-1").ProposePenalty(Proposal(v1::PENALTY_KIND_SUMMONS_TALK, "pc-1"));
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->proposed_by(), "officer-1");

  EXPECT_THAT(Issue(proposed->id(), "worker-1"),
              StatusIs(absl::StatusCode::kPermissionDenied, "only supervisors"));
  EXPECT_THAT(Issue(proposed->id(), "officer-1"),
              StatusIs(absl::StatusCode::kPermissionDenied, "only supervisors"));
  v1::DismissPenaltyRequest dismiss;
  dismiss.set_penalty_id(proposed->id());
  EXPECT_THAT(As("officer-1").DismissPenalty(dismiss),
              StatusIs(absl::StatusCode::kPermissionDenied, "only supervisors"));
  // The company sees its own penalties, not others'.
  v1::GetPenaltyRequest get;
  get.set_penalty_id(proposed->id());
  EXPECT_TRUE(As("worker-1").GetPenalty(get).ok());
  EXPECT_THAT(As("worker-2").GetPenalty(get),
              StatusIs(absl::StatusCode::kPermissionDenied, "another organisation"));
  EXPECT_TRUE(Issue(proposed->id(), "sup-1").ok());
}

TEST_F(AccountabilityTest, ErrorsNameTheFieldOrTheState) {
  auto& sup = As("sup-1");
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kInvalidArgument, "kind"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_FINE)),
              StatusIs(absl::StatusCode::kInvalidArgument, "'amount_fen'"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_FINE, "pc-1", -5)),
              StatusIs(absl::StatusCode::kInvalidArgument, "'amount_fen'"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_YELLOW_CARD, "pc-1", 100)),
              StatusIs(absl::StatusCode::kInvalidArgument, "'amount_fen'"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_YELLOW_CARD, "pc-1", 0, "")),
              StatusIs(absl::StatusCode::kInvalidArgument, "'reason'"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_YELLOW_CARD, "")),
              StatusIs(absl::StatusCode::kInvalidArgument, "'organisation_id'"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_YELLOW_CARD, "pc-9")),
              StatusIs(absl::StatusCode::kNotFound, "pc-9"));
  EXPECT_THAT(sup.ProposePenalty(Proposal(v1::PENALTY_KIND_CONTRACT_TERMINATION, "so-1")),
              StatusIs(absl::StatusCode::kInvalidArgument, "'kind'"));
  v1::ProposePenaltyRequest bad_task = Proposal(v1::PENALTY_KIND_YELLOW_CARD);
  bad_task.add_task_ids("T-999");
  EXPECT_THAT(sup.ProposePenalty(bad_task), StatusIs(absl::StatusCode::kNotFound, "T-999"));
  v1::ProposePenaltyRequest no_campaign = Proposal(v1::PENALTY_KIND_YELLOW_CARD);
  no_campaign.set_campaign_id("");
  EXPECT_THAT(sup.ProposePenalty(no_campaign),
              StatusIs(absl::StatusCode::kInvalidArgument, "'campaign_id'"));

  auto fine = sup.ProposePenalty(Proposal(v1::PENALTY_KIND_FINE, "pc-1", 200000));
  ASSERT_TRUE(fine.ok()) << fine.status();
  EXPECT_EQ(fine->amount_fen(), 200000);
  EXPECT_EQ(fine->etag(), "1");

  v1::RevokePenaltyRequest revoke;
  revoke.set_penalty_id(fine->id());
  revoke.set_reason("错了");
  EXPECT_THAT(sup.RevokePenalty(revoke), StatusIs(absl::StatusCode::kFailedPrecondition,
                                                  "is in state PROPOSED; 'revoke' needs ISSUED"));

  v1::IssuePenaltyRequest stale;
  stale.set_penalty_id(fine->id());
  stale.set_etag("7");
  EXPECT_THAT(sup.IssuePenalty(stale), StatusIs(absl::StatusCode::kAborted, "etag"));
  ASSERT_TRUE(Issue(fine->id()).ok());
  EXPECT_THAT(Issue(fine->id()), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          "is in state ISSUED; 'issue' needs PROPOSED"));
  v1::DismissPenaltyRequest dismiss;
  dismiss.set_penalty_id(fine->id());
  EXPECT_THAT(sup.DismissPenalty(dismiss),
              StatusIs(absl::StatusCode::kFailedPrecondition, "is in state ISSUED"));
  revoke.set_reason("");
  EXPECT_THAT(sup.RevokePenalty(revoke), StatusIs(absl::StatusCode::kInvalidArgument, "'reason'"));

  v1::GetPenaltyRequest missing;
  missing.set_penalty_id("PN-999");
  EXPECT_THAT(sup.GetPenalty(missing), StatusIs(absl::StatusCode::kNotFound, "PN-999"));
  v1::ListPenaltiesRequest too_many;
  too_many.set_page_size(5000);
  EXPECT_THAT(sup.ListPenalties(too_many),
              StatusIs(absl::StatusCode::kInvalidArgument, "'page_size'"));
}

TEST_F(AccountabilityTest, ARetriedProposalWithTheSameRequestIdCreatesOnePenalty) {
  v1::ProposePenaltyRequest req = Proposal(v1::PENALTY_KIND_SUMMONS_TALK);
  req.set_request_id("retry-1");
  auto first = As("sup-1").ProposePenalty(req);
  auto second = As("sup-1").ProposePenalty(req);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->id(), second->id());
  EXPECT_EQ(Penalties().size(), 1u);
}

}  // namespace
}  // namespace rectify::test
