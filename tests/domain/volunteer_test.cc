// Tests for domain/volunteer.h: assignments (open, end once), report
// validation naming fields, the events, and which on-site checks a
// verification records.
#include "domain/volunteer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'715'000'000);
const std::string kSha(64, 'a');

VolunteerAssignment NewAssignment() {
  VolunteerAssignment a;
  a.id = "VA-1";
  a.campaign_id = "c1";
  a.volunteer_id = "volunteer-1";
  a.volunteer_org_id = "vt-1";
  a.community_id = "cm-1";
  a.street_office_id = "so-1";
  return a;
}

SupervisionReport Check(std::string id, CheckFinding finding, absl::Time time,
                        std::string task = "T-1") {
  SupervisionReport r;
  r.id = std::move(id);
  r.kind = ReportKind::kOnSiteCheck;
  r.campaign_id = "c1";
  r.community_id = "cm-1";
  r.street_office_id = "so-1";
  r.task_id = std::move(task);
  r.volunteer_id = "volunteer-1";
  r.volunteer_org_id = "vt-1";
  r.finding = finding;
  r.note = "看过了";
  r.time = time;
  return r;
}

TEST(VolunteerAssignmentTest, OpenRecordsWhoAndWhenAndTellsTheStreetOffice) {
  VolunteerAssignment a = NewAssignment();
  absl::StatusOr<Event> e = OpenAssignment(a, "officer-1", "so-1", kNow);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(a.active());
  EXPECT_EQ(a.assigned_by, "officer-1");
  EXPECT_EQ(a.assign_time, kNow);
  EXPECT_EQ(e->type, "volunteer.assigned");
  EXPECT_EQ(e->subject, "volunteer_assignments/VA-1");
  EXPECT_THAT(e->audience, ElementsAre("so-1", "vt-1"));
  EXPECT_EQ(e->Detail("volunteer_id"), "volunteer-1");
  EXPECT_EQ(e->Detail("community_id"), "cm-1");
}

TEST(VolunteerAssignmentTest, OpenNamesAMissingField) {
  for (const char* field : {"campaign_id", "volunteer_id", "community_id", "street_office_id"}) {
    VolunteerAssignment a = NewAssignment();
    if (std::string(field) == "campaign_id") a.campaign_id.clear();
    if (std::string(field) == "volunteer_id") a.volunteer_id.clear();
    if (std::string(field) == "community_id") a.community_id.clear();
    if (std::string(field) == "street_office_id") a.street_office_id.clear();
    absl::StatusOr<Event> e = OpenAssignment(a, "officer-1", "so-1", kNow);
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(e.status().message(), HasSubstr(field));
  }
}

TEST(VolunteerAssignmentTest, EndsOnceThenIsFailedPrecondition) {
  VolunteerAssignment a = NewAssignment();
  ASSERT_TRUE(OpenAssignment(a, "officer-1", "so-1", kNow).ok());
  absl::StatusOr<Event> e = EndAssignment(a, "officer-1", "so-1", kNow + absl::Hours(1));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_FALSE(a.active());
  EXPECT_EQ(a.ended_by, "officer-1");
  EXPECT_EQ(a.end_time, kNow + absl::Hours(1));
  EXPECT_EQ(e->type, "volunteer.assignment_ended");
  absl::StatusOr<Event> again = EndAssignment(a, "officer-1", "so-1", kNow + absl::Hours(2));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("'VA-1' ended already"));
}

TEST(SupervisionReportTest, AProblemIsFiledWithItsEvidenceStamped) {
  SupervisionReport r = Check("SR-1", CheckFinding::kUnspecified, absl::InfinitePast());
  r.kind = ReportKind::kProblem;
  r.evidence.push_back({"photo://1", kSha, "", "", absl::InfinitePast()});
  ASSERT_TRUE(FileReport(r, kNow).ok());
  EXPECT_EQ(r.time, kNow);
  EXPECT_EQ(r.evidence[0].added_by, "volunteer-1");
  EXPECT_EQ(r.evidence[0].add_time, kNow);
  Event e = ProblemReportedEvent(r);
  EXPECT_EQ(e.type, "supervision.problem_reported");
  EXPECT_EQ(e.subject, "supervision_reports/SR-1");
  EXPECT_THAT(e.audience, ElementsAre("so-1"));
  EXPECT_EQ(e.Detail("task_id"), "T-1");
}

TEST(SupervisionReportTest, ValidationNamesTheField) {
  SupervisionReport no_finding = Check("SR-1", CheckFinding::kUnspecified, kNow);
  EXPECT_THAT(FileReport(no_finding, kNow).message(), HasSubstr("'finding' is required"));
  SupervisionReport problem_with_finding = Check("SR-1", CheckFinding::kFixed, kNow);
  problem_with_finding.kind = ReportKind::kProblem;
  EXPECT_THAT(FileReport(problem_with_finding, kNow).message(), HasSubstr("'finding'"));
  SupervisionReport silent = Check("SR-1", CheckFinding::kNotFixed, kNow);
  silent.note.clear();
  EXPECT_THAT(FileReport(silent, kNow).message(), HasSubstr("'note' is required"));
  SupervisionReport no_task = Check("SR-1", CheckFinding::kFixed, kNow, "");
  EXPECT_THAT(FileReport(no_task, kNow).message(), HasSubstr("'task_id'"));
  SupervisionReport bad_hash = Check("SR-1", CheckFinding::kFixed, kNow);
  bad_hash.evidence.push_back({"photo://1", "ABC", "", "", absl::InfinitePast()});
  absl::Status s = FileReport(bad_hash, kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("'evidence[0].sha256'"));
  SupervisionReport fine = Check("SR-1", CheckFinding::kFixed, kNow);
  EXPECT_TRUE(FileReport(fine, kNow).ok());
}

TEST(SupervisionReportTest, OnSiteCheckEventIsOnTheTaskWithTheFinding) {
  Task task;
  task.id = "T-1";
  task.campaign_id = "c1";
  task.street_office_id = "so-1";
  task.responsible_org_id = "pc-1";
  Event e = OnSiteCheckEvent(Check("SR-4", CheckFinding::kNotFixed, kNow), task);
  EXPECT_EQ(e.type, "task.checked_on_site");
  EXPECT_EQ(e.subject, "tasks/T-1");
  EXPECT_EQ(e.Detail("finding"), "NOT_FIXED");
  EXPECT_EQ(e.Detail("report_id"), "SR-4");
  EXPECT_THAT(e.audience, ElementsAre("so-1", "pc-1"));
}

TEST(SupervisionReportTest, AVerificationRecordsOnlyChecksSinceTheLastSubmission) {
  Task task;
  task.id = "T-1";
  task.submit_time = kNow;
  std::vector<SupervisionReport> reports = {
      Check("SR-1", CheckFinding::kNotFixed, kNow - absl::Hours(30)),  // the earlier round
      Check("SR-2", CheckFinding::kFixed, kNow),
      Check("SR-3", CheckFinding::kFixed, kNow + absl::Hours(1), "T-2"),  // another task
      Check("SR-4", CheckFinding::kNotFixed, kNow + absl::Hours(2)),
  };
  SupervisionReport problem = Check("SR-5", CheckFinding::kUnspecified, kNow + absl::Hours(3));
  problem.kind = ReportKind::kProblem;
  reports.push_back(problem);
  std::vector<SupervisionReport> checks = ChecksSinceSubmission(task, reports);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(OnSiteCheckDetail(checks), "SR-2:FIXED,SR-4:NOT_FIXED");
  EXPECT_EQ(OnSiteCheckDetail({}), "");
}

}  // namespace
}  // namespace rectify::domain
