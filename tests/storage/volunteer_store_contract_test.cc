// The store contract for volunteer assignments and supervision reports (round
// trip of every field, one active assignment per volunteer and community,
// ending by save, versions, references, filters, newest-first listing). Part
// of StoreContractTest, so every engine runs it.
#include <optional>
#include <string>
#include <vector>

#include "domain/volunteer.h"
#include "storage/store.h"
#include "tests/storage/store_contract.h"

namespace rectify::test {
namespace {

using domain::CheckFinding;
using domain::ReportKind;
using domain::SupervisionReport;
using domain::VolunteerAssignment;
using storage::AssignmentFilter;
using storage::ReadTx;
using storage::SupervisionReportFilter;
using storage::WriteTx;
using ::testing::HasSubstr;

// SeedDirectory, plus volunteer team VT-1 of S-1 with volunteers V-1 and V-2,
// and tasks T-1 (M-1) and T-2 (M-3).
absl::Status SeedVolunteers(storage::Store& store) {
  if (absl::Status s = SeedDirectory(store); !s.ok()) return s;
  return store.Write([](WriteTx& tx) -> absl::Status {
    domain::Organisation team = MakeOrganisation("VT-1", domain::OrgKind::kVolunteerTeam, "S-1");
    if (absl::Status s = tx.CreateOrganisation(team); !s.ok()) return s;
    for (const char* id : {"V-1", "V-2"}) {
      domain::Person p = MakePerson(id, "VT-1");
      p.role = domain::Role::kVolunteer;
      if (absl::Status s = tx.CreatePerson(p); !s.ok()) return s;
    }
    domain::Task t1 = MakeTask("T-1");
    domain::Task t2 = MakeTask("T-2");
    t2.community_id = "M-3";
    if (absl::Status s = tx.CreateTask(t1); !s.ok()) return s;
    return tx.CreateTask(t2);
  });
}

VolunteerAssignment MakeAssignment(std::string id, std::string volunteer = "V-1",
                                   std::string community = "M-1", std::string campaign = "C-1") {
  VolunteerAssignment a;
  a.id = std::move(id);
  a.campaign_id = std::move(campaign);
  a.volunteer_id = std::move(volunteer);
  a.volunteer_org_id = "VT-1";
  a.community_id = std::move(community);
  a.street_office_id = "S-1";
  a.assigned_by = "P-1";
  a.assign_time = TestNow();
  return a;
}

SupervisionReport MakeReport(std::string id, ReportKind kind, std::string task = "T-1",
                             std::string volunteer = "V-1") {
  SupervisionReport r;
  r.id = std::move(id);
  r.kind = kind;
  r.campaign_id = "C-1";
  r.community_id = task == "T-2" ? "M-3" : "M-1";
  r.street_office_id = "S-1";
  r.task_id = std::move(task);
  r.volunteer_id = std::move(volunteer);
  r.volunteer_org_id = "VT-1";
  r.time = TestNow() + absl::Minutes(5);
  r.note = "消防通道 \"堵塞\"";
  r.evidence = {{"photo://1.jpg", std::string(64, 'b'), "北侧", "V-1", TestNow()}};
  r.finding = kind == ReportKind::kOnSiteCheck ? CheckFinding::kNotFixed
                                               : CheckFinding::kUnspecified;
  return r;
}

void ExpectAssignmentEq(const VolunteerAssignment& a, const VolunteerAssignment& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.campaign_id, b.campaign_id);
  EXPECT_EQ(a.volunteer_id, b.volunteer_id);
  EXPECT_EQ(a.volunteer_org_id, b.volunteer_org_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.street_office_id, b.street_office_id);
  EXPECT_EQ(a.assigned_by, b.assigned_by);
  EXPECT_EQ(a.assign_time, b.assign_time);
  EXPECT_EQ(a.ended_by, b.ended_by);
  EXPECT_EQ(a.end_time, b.end_time);
  EXPECT_EQ(a.version, b.version);
}

absl::StatusOr<std::optional<VolunteerAssignment>> Active(storage::Store& store,
                                                          const std::string& volunteer,
                                                          const std::string& community) {
  return storage::ReadAndReturn<std::optional<VolunteerAssignment>>(
      store, [&](ReadTx& tx) { return tx.ActiveAssignment("C-1", volunteer, community); });
}

std::vector<std::string> AssignmentIds(storage::Store& store, const AssignmentFilter& filter) {
  absl::StatusOr<std::vector<VolunteerAssignment>> list =
      storage::ReadAndReturn<std::vector<VolunteerAssignment>>(
          store, [&](ReadTx& tx) { return tx.ListAssignments(filter, 100); });
  EXPECT_THAT(list, IsOk());
  std::vector<std::string> ids;
  if (list.ok()) {
    for (const VolunteerAssignment& a : *list) ids.push_back(a.id);
  }
  return ids;
}

std::vector<std::string> ReportIds(storage::Store& store, const SupervisionReportFilter& filter,
                                   int limit = 100) {
  absl::StatusOr<std::vector<SupervisionReport>> list =
      storage::ReadAndReturn<std::vector<SupervisionReport>>(
          store, [&](ReadTx& tx) { return tx.ListSupervisionReports(filter, limit); });
  EXPECT_THAT(list, IsOk());
  std::vector<std::string> ids;
  if (list.ok()) {
    for (const SupervisionReport& r : *list) ids.push_back(r.id);
  }
  return ids;
}

TEST_P(StoreContractTest, AssignmentRoundTripsEndsBySaveAndIsActiveOnlyUntilEnded) {
  ASSERT_THAT(SeedVolunteers(store()), IsOk());
  VolunteerAssignment a = MakeAssignment("VA-1");
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateAssignment(a); }), IsOk());
  EXPECT_EQ(a.version, 1);
  absl::StatusOr<VolunteerAssignment> got = storage::ReadAndReturn<VolunteerAssignment>(
      store(), [](ReadTx& tx) { return tx.GetAssignment("VA-1"); });
  ASSERT_THAT(got, IsOk());
  ExpectAssignmentEq(*got, a);
  EXPECT_TRUE(got->active());

  absl::StatusOr<std::optional<VolunteerAssignment>> active = Active(store(), "V-1", "M-1");
  ASSERT_THAT(active, IsOk());
  ASSERT_TRUE(active->has_value());
  EXPECT_EQ((*active)->id, "VA-1");
  EXPECT_FALSE(Active(store(), "V-2", "M-1")->has_value());
  EXPECT_FALSE(Active(store(), "V-1", "M-3")->has_value());

  // A second active assignment of the same volunteer to the same community.
  VolunteerAssignment twice = MakeAssignment("VA-2");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateAssignment(twice); }),
              StatusIs(absl::StatusCode::kAlreadyExists));

  VolunteerAssignment stale = *got;
  got->ended_by = "P-1";
  got->end_time = TestNow() + absl::Hours(3);
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveAssignment(*got); }), IsOk());
  EXPECT_EQ(got->version, 2);
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.SaveAssignment(stale); }),
              StatusIs(absl::StatusCode::kAborted));
  absl::StatusOr<VolunteerAssignment> ended = storage::ReadAndReturn<VolunteerAssignment>(
      store(), [](ReadTx& tx) { return tx.GetAssignment("VA-1"); });
  ASSERT_THAT(ended, IsOk());
  ExpectAssignmentEq(*ended, *got);
  EXPECT_FALSE(ended->active());
  EXPECT_FALSE(Active(store(), "V-1", "M-1")->has_value());

  // Once ended, the volunteer may be assigned there again.
  VolunteerAssignment again = MakeAssignment("VA-3");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateAssignment(again); }), IsOk());
  EXPECT_EQ((*Active(store(), "V-1", "M-1"))->id, "VA-3");
}

TEST_P(StoreContractTest, AssignmentErrorsNameTheProblem) {
  ASSERT_THAT(SeedVolunteers(store()), IsOk());
  EXPECT_THAT(storage::ReadAndReturn<VolunteerAssignment>(
                  store(), [](ReadTx& tx) { return tx.GetAssignment("VA-9"); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("volunteer assignment 'VA-9'")));
  VolunteerAssignment orphan = MakeAssignment("VA-1", "V-404");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateAssignment(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("V-404")));
  VolunteerAssignment nowhere = MakeAssignment("VA-2", "V-1", "M-404");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateAssignment(nowhere); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("M-404")));
}

TEST_P(StoreContractTest, ListAssignmentsFiltersAndListsNewestFirst) {
  ASSERT_THAT(SeedVolunteers(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    VolunteerAssignment a = MakeAssignment("VA-1", "V-1", "M-1");
    VolunteerAssignment b = MakeAssignment("VA-2", "V-2", "M-1");
    VolunteerAssignment c = MakeAssignment("VA-3", "V-1", "M-3");
    VolunteerAssignment d = MakeAssignment("VA-4", "V-1", "M-1", "C-2");
    c.ended_by = "P-1";
    c.end_time = TestNow() + absl::Hours(1);
    for (VolunteerAssignment* x : {&a, &b, &c, &d}) {
      if (absl::Status s = tx.CreateAssignment(*x); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(AssignmentIds(store(), {}),
            (std::vector<std::string>{"VA-4", "VA-3", "VA-2", "VA-1"}));
  AssignmentFilter by_volunteer;
  by_volunteer.volunteer_id = "V-1";
  EXPECT_EQ(AssignmentIds(store(), by_volunteer),
            (std::vector<std::string>{"VA-4", "VA-3", "VA-1"}));
  by_volunteer.active_only = true;
  EXPECT_EQ(AssignmentIds(store(), by_volunteer), (std::vector<std::string>{"VA-4", "VA-1"}));
  by_volunteer.campaign_id = "C-1";
  EXPECT_EQ(AssignmentIds(store(), by_volunteer), (std::vector<std::string>{"VA-1"}));
  AssignmentFilter by_community;
  by_community.community_id = "M-1";
  by_community.campaign_id = "C-1";
  EXPECT_EQ(AssignmentIds(store(), by_community), (std::vector<std::string>{"VA-2", "VA-1"}));
  AssignmentFilter other_office;
  other_office.street_office_id = "S-2";
  EXPECT_EQ(AssignmentIds(store(), other_office), std::vector<std::string>{});
  EXPECT_THAT(storage::ReadAndReturn<std::vector<VolunteerAssignment>>(
                  store(), [](ReadTx& tx) { return tx.ListAssignments({}, 0); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreContractTest, SupervisionReportRoundTripsEveryField) {
  ASSERT_THAT(SeedVolunteers(store()), IsOk());
  SupervisionReport r = MakeReport("SR-1", ReportKind::kOnSiteCheck);
  ASSERT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateSupervisionReport(r); }), IsOk());
  EXPECT_EQ(r.version, 1);
  absl::StatusOr<SupervisionReport> got = storage::ReadAndReturn<SupervisionReport>(
      store(), [](ReadTx& tx) { return tx.GetSupervisionReport("SR-1"); });
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->id, "SR-1");
  EXPECT_EQ(got->kind, ReportKind::kOnSiteCheck);
  EXPECT_EQ(got->campaign_id, "C-1");
  EXPECT_EQ(got->community_id, "M-1");
  EXPECT_EQ(got->street_office_id, "S-1");
  EXPECT_EQ(got->task_id, "T-1");
  EXPECT_EQ(got->volunteer_id, "V-1");
  EXPECT_EQ(got->volunteer_org_id, "VT-1");
  EXPECT_EQ(got->time, r.time);
  EXPECT_EQ(got->note, r.note);
  ASSERT_EQ(got->evidence.size(), 1u);
  EXPECT_EQ(got->evidence[0].uri, "photo://1.jpg");
  EXPECT_EQ(got->evidence[0].sha256, std::string(64, 'b'));
  EXPECT_EQ(got->evidence[0].note, "北侧");
  EXPECT_EQ(got->evidence[0].added_by, "V-1");
  EXPECT_EQ(got->evidence[0].add_time, TestNow());
  EXPECT_EQ(got->finding, CheckFinding::kNotFixed);
  EXPECT_EQ(got->version, 1);

  SupervisionReport dup = MakeReport("SR-1", ReportKind::kProblem);
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateSupervisionReport(dup); }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  SupervisionReport orphan = MakeReport("SR-2", ReportKind::kProblem, "T-404");
  EXPECT_THAT(store().Write([&](WriteTx& tx) { return tx.CreateSupervisionReport(orphan); }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("T-404")));
  EXPECT_THAT(storage::ReadAndReturn<SupervisionReport>(
                  store(), [](ReadTx& tx) { return tx.GetSupervisionReport("SR-9"); }),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("supervision report 'SR-9'")));
}

TEST_P(StoreContractTest, ListSupervisionReportsFiltersAndListsNewestFirst) {
  ASSERT_THAT(SeedVolunteers(store()), IsOk());
  ASSERT_THAT(store().Write([&](WriteTx& tx) -> absl::Status {
    SupervisionReport a = MakeReport("SR-1", ReportKind::kProblem);
    SupervisionReport b = MakeReport("SR-2", ReportKind::kOnSiteCheck);
    SupervisionReport c = MakeReport("SR-3", ReportKind::kOnSiteCheck, "T-2", "V-2");
    SupervisionReport d = MakeReport("SR-4", ReportKind::kOnSiteCheck);
    for (SupervisionReport* x : {&a, &b, &c, &d}) {
      if (absl::Status s = tx.CreateSupervisionReport(*x); !s.ok()) return s;
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(ReportIds(store(), {}),
            (std::vector<std::string>{"SR-4", "SR-3", "SR-2", "SR-1"}));
  SupervisionReportFilter task;
  task.task_id = "T-1";
  EXPECT_EQ(ReportIds(store(), task), (std::vector<std::string>{"SR-4", "SR-2", "SR-1"}));
  task.kind = ReportKind::kOnSiteCheck;
  EXPECT_EQ(ReportIds(store(), task), (std::vector<std::string>{"SR-4", "SR-2"}));
  EXPECT_EQ(ReportIds(store(), task, 1), (std::vector<std::string>{"SR-4"}));
  SupervisionReportFilter volunteer;
  volunteer.volunteer_id = "V-2";
  EXPECT_EQ(ReportIds(store(), volunteer), (std::vector<std::string>{"SR-3"}));
  SupervisionReportFilter community;
  community.community_id = "M-3";
  EXPECT_EQ(ReportIds(store(), community), (std::vector<std::string>{"SR-3"}));
  SupervisionReportFilter office;
  office.street_office_id = "S-2";
  EXPECT_EQ(ReportIds(store(), office), std::vector<std::string>{});
  EXPECT_THAT(storage::ReadAndReturn<std::vector<SupervisionReport>>(
                  store(), [](ReadTx& tx) { return tx.ListSupervisionReports({}, 1001); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace rectify::test
