// The supervisors' view through the real server (ReportService and the
// overdue filters of ListTasks): a May on the fake clock in which every figure
// of the monthly bulletin and the weekly summary is counted by hand below;
// every figure's drill-down total equals it; who may read what.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
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

MATCHER_P2(StatusIs, code, substring, "") {
  *result_listener << "status is " << arg.status();
  return arg.status().code() == code &&
         ::testing::Value(std::string(arg.status().message()), substring);
}

// numerator/denominator of the nine metrics, in definition order.
struct Hand {
  int disposal[2], on_time_disposal[2], closure[2], on_time_closure[2], rework[2], extension[2],
      overdue_pending[2], timely_ack[2], return_[2];
  std::map<std::string, std::pair<int, int>> ByName() const {
    return {{"disposal", {disposal[0], disposal[1]}},
            {"on_time_disposal", {on_time_disposal[0], on_time_disposal[1]}},
            {"closure", {closure[0], closure[1]}},
            {"on_time_closure", {on_time_closure[0], on_time_closure[1]}},
            {"rework", {rework[0], rework[1]}},
            {"extension", {extension[0], extension[1]}},
            {"overdue_pending", {overdue_pending[0], overdue_pending[1]}},
            {"timely_ack", {timely_ack[0], timely_ack[1]}},
            {"return", {return_[0], return_[1]}}};
  }
  // The default weights of data/assessment/default.txt, by hand: rework,
  // extension, overdue-pending and return count as 1 - rate.
  double Score() const {
    auto r = [](const int f[2]) { return static_cast<double>(f[0]) / f[1]; };
    return (15 * r(disposal) + 15 * r(on_time_disposal) + 15 * r(closure) +
            15 * r(on_time_closure) + 10 * (1 - r(rework)) + 5 * (1 - r(extension)) +
            10 * (1 - r(overdue_pending)) + 10 * r(timely_ack) + 5 * (1 - r(return_))) /
           100 * 100;
  }
};

std::map<std::string, std::pair<int, int>> Figures(const v1::UnitMetrics& u) {
  std::map<std::string, std::pair<int, int>> out;
  for (const v1::MetricFigure& f : u.figures()) {
    out[f.metric()] = {static_cast<int>(f.numerator()), static_cast<int>(f.denominator())};
  }
  return out;
}

const v1::UnitMetrics* Unit(const v1::MetricsReport& report, const std::string& id) {
  for (const v1::UnitMetrics& u : report.units()) {
    if (u.unit_id() == id) return &u;
  }
  return nullptr;
}

class ReportTest : public CityTest {
 protected:
  // Plays out May 2024 (see the comments) and leaves the clock at Monday
  // 2024-05-20 12:00. Sanitation has 3 working days: dispatched Monday
  // 05-06 09:00, due Thursday 05-09 09:00.
  void SetUp() override {
    CityTest::SetUp();
    if (HasFatalFailure()) return;
    auto step = [&](absl::StatusOr<v1::TaskChange> change) {
      ASSERT_TRUE(change.ok()) << change.status();
    };
    auto reason = [](auto req, const std::string& why) {
      req.set_reason(why);
      return req;
    };
    // Rectification, so that weekly inspections may be recorded.
    v1::AdvancePhaseRequest advance;
    advance.set_campaign_id("c1");
    ASSERT_TRUE(As("sup-1").AdvancePhase(advance).ok());
    advance.set_force(true);
    advance.set_reason("test set-up");
    ASSERT_TRUE(As("sup-1").AdvancePhase(advance).ok());

    // Monday 05-06 09:00.
    for (const char* name : {"A", "B", "C", "D", "G", "H"}) ids_[name] = OpenTask("cm-1").id();
    for (const char* name : {"E", "F"}) ids_[name] = OpenTask("cm-2").id();
    for (const char* name : {"A", "B", "C", "D", "G"}) {
      step(As("officer-1").DispatchTask(Dispatch(ids_[name], "pc-1")));
    }
    for (const char* name : {"E", "F"}) step(As("officer-2").DispatchTask(Dispatch(ids_[name], "pc-2")));
    for (const char* name : {"A", "B", "D"}) {  // acknowledged at once: timely
      step(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(ids_[name])));
      step(As("worker-1").StartTask(ById<v1::StartTaskRequest>(ids_[name])));
    }
    step(As("worker-2").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(ids_["E"])));
    step(As("worker-2").StartTask(ById<v1::StartTaskRequest>(ids_["E"])));
    step(As("officer-1").SuspendTask(reason(ById<v1::SuspendTaskRequest>(ids_["D"]), "等待经费")));
    step(As("worker-2").ReturnTask(reason(ById<v1::ReturnTaskRequest>(ids_["F"]), "不属本单位")));
    step(As("officer-1").VoidTask(reason(ById<v1::VoidTaskRequest>(ids_["G"]), "duplicate")));
    // H stays open, never dispatched.

    clock_.Set(At("2024-05-07 10:00"));
    step(As("worker-1").SubmitTask(Submit(ids_["A"])));
    step(As("worker-1").SubmitTask(Submit(ids_["B"])));
    clock_.Set(At("2024-05-07 11:00"));
    step(As("officer-1").VerifyTask(ById<v1::VerifyTaskRequest>(ids_["A"])));
    step(As("officer-1").RejectTask(reason(ById<v1::RejectTaskRequest>(ids_["B"]), "仍有垃圾")));
    clock_.Set(At("2024-05-08 10:00"));
    step(As("worker-1").SubmitTask(Submit(ids_["B"])));
    // C acknowledged 49 hours after dispatch: not timely (24 hours).
    step(As("worker-1").AcknowledgeTask(ById<v1::AcknowledgeTaskRequest>(ids_["C"])));
    step(As("worker-1").StartTask(ById<v1::StartTaskRequest>(ids_["C"])));
    clock_.Set(At("2024-05-08 11:00"));
    step(As("officer-1").VerifyTask(ById<v1::VerifyTaskRequest>(ids_["B"])));
    // E submitted after its deadline, then closed.
    clock_.Set(At("2024-05-10 10:00"));
    step(As("worker-2").SubmitTask(Submit(ids_["E"])));
    clock_.Set(At("2024-05-10 11:00"));
    step(As("officer-2").VerifyTask(ById<v1::VerifyTaskRequest>(ids_["E"])));

    // Weekly inspections: cm-1 59 on 05-13, then 58 on 05-20; cm-2 60 on 05-20.
    clock_.Set(At("2024-05-13 10:00"));
    Inspect("cm-1", "1.1b");  // -1
    // Penalties issued in May: a 1000-yuan fine to pc-1, a notice of criticism to pc-2.
    clock_.Set(At("2024-05-15 10:00"));
    IssuePenalty("pc-1", v1::PENALTY_KIND_FINE, 100000);
    IssuePenalty("pc-2", v1::PENALTY_KIND_NOTICE_OF_CRITICISM, 0);
    clock_.Set(At("2024-05-20 10:00"));
    Inspect("cm-1", "1.2a");  // -2
    Inspect("cm-2", "");
    clock_.Set(At("2024-05-20 12:00"));
  }

  void Inspect(const std::string& community, const std::string& rule) {
    v1::RecordInspectionRequest req;
    req.mutable_inspection()->set_campaign_id("c1");
    req.mutable_inspection()->set_community_id(community);
    req.mutable_inspection()->set_kind(v1::INSPECTION_KIND_WEEKLY);
    if (!rule.empty()) {
      v1::Deduction* d = req.mutable_inspection()->add_deductions();
      d->set_rule_id(rule);
      d->set_count(1);
    }
    auto recorded = As("sup-1").RecordInspection(req);
    ASSERT_TRUE(recorded.ok()) << recorded.status();
  }

  void IssuePenalty(const std::string& org, v1::PenaltyKind kind, int64_t fen) {
    v1::ProposePenaltyRequest req;
    req.set_campaign_id("c1");
    req.set_organisation_id(org);
    req.set_kind(kind);
    req.set_amount_fen(fen);
    req.set_reason("逾期未整改");
    auto proposed = As("sup-1").ProposePenalty(req);
    ASSERT_TRUE(proposed.ok()) << proposed.status();
    v1::IssuePenaltyRequest issue;
    issue.set_penalty_id(proposed->id());
    ASSERT_TRUE(As("sup-1").IssuePenalty(issue).ok());
  }

  absl::StatusOr<v1::MetricsReport> Metrics(v1::ReportUnit unit, const std::string& who = "sup-1",
                                            const std::string& office = "") {
    v1::GetMetricsRequest req;
    req.set_campaign_id("c1");
    req.set_unit(unit);
    req.set_street_office_id(office);
    req.mutable_period()->set_month("2024-05");
    return As(who).GetMetrics(req);
  }

  // Every task of the drill-down, all pages (page size 2 to exercise paging).
  std::vector<std::string> Drill(v1::ReportUnit unit, const std::string& unit_id,
                                 const std::string& metric, bool denominator,
                                 int64_t* total = nullptr) {
    v1::DrillDownRequest req;
    req.set_campaign_id("c1");
    req.set_unit(unit);
    req.set_unit_id(unit_id);
    req.mutable_period()->set_month("2024-05");
    req.set_metric(metric);
    req.set_denominator(denominator);
    req.set_page_size(2);
    std::vector<std::string> ids;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = As("sup-1").DrillDown(req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      if (total != nullptr) *total = page->total_size();
      for (const v1::Task& t : page->tasks()) ids.push_back(t.id());
      if (page->next_page_token().empty()) break;
      req.set_page_token(page->next_page_token());
    }
    return ids;
  }

  std::vector<std::string> Ids(std::initializer_list<const char*> names) {
    std::vector<std::string> out;
    for (const char* n : names) out.push_back(ids_[n]);
    return out;
  }

  std::map<std::string, std::string> ids_;

  // By hand (as of 05-20 12:00; D = dispatched in May, not voided):
  // cm-1 = so-1 = pc-1: A B C D (G voided, H never dispatched).
  //   disposal A B /4; on time A B /4; closure A B / (4 - suspended D); on time the same;
  //   rework B / submitted A B; extension 0/4; overdue pending C /4;
  //   timely ack A B D /4 (C after 49 h); return 0/4.
  const Hand cm1_{{2, 4}, {2, 4}, {2, 3}, {2, 3}, {1, 2}, {0, 4}, {1, 4}, {3, 4}, {0, 4}};
  // cm-2 = so-2: E F. E submitted and closed late; F returned (open, unacknowledged).
  const Hand cm2_{{1, 2}, {0, 2}, {1, 2}, {0, 2}, {0, 1}, {0, 2}, {0, 2}, {1, 2}, {1, 2}};
  // pc-2: E only (the return took F from pc-2).
  const Hand pc2_{{1, 1}, {0, 1}, {1, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}, {1, 1}, {0, 1}};
  // The city: A B C D E F.
  const Hand city_{{3, 6}, {2, 6}, {3, 5}, {2, 5}, {1, 3}, {0, 6}, {1, 6}, {4, 6}, {1, 6}};
};

TEST_F(ReportTest, MetricsPerUnitEqualTheHandCountWithScoresAndRanks) {
  auto offices = Metrics(v1::REPORT_UNIT_STREET_OFFICE);
  ASSERT_TRUE(offices.ok()) << offices.status();
  ASSERT_EQ(offices->units_size(), 2);
  EXPECT_EQ(Figures(*Unit(*offices, "so-1")), cm1_.ByName());
  EXPECT_EQ(Figures(*Unit(*offices, "so-2")), cm2_.ByName());
  EXPECT_NEAR(Unit(*offices, "so-1")->score(), cm1_.Score(), 1e-9);
  EXPECT_NEAR(Unit(*offices, "so-1")->score(), 65.0, 1e-9);
  EXPECT_NEAR(Unit(*offices, "so-2")->score(), 47.5, 1e-9);
  EXPECT_NEAR(cm2_.Score(), 47.5, 1e-9);
  EXPECT_EQ(offices->units(0).unit_id(), "so-1");  // best first
  EXPECT_EQ(offices->units(0).rank(), 1);
  EXPECT_EQ(offices->units(0).unit_name(), "幸福路街道");
  EXPECT_EQ(offices->units(0).head_name(), "officer-1");
  EXPECT_EQ(offices->from(), "2024-05-01");
  EXPECT_EQ(offices->to(), "2024-06-01");
  EXPECT_TRUE(offices->suspended_leave_denominator());

  auto companies = Metrics(v1::REPORT_UNIT_PROPERTY_COMPANY);
  ASSERT_TRUE(companies.ok()) << companies.status();
  ASSERT_EQ(companies->units_size(), 2);
  EXPECT_EQ(Figures(*Unit(*companies, "pc-1")), cm1_.ByName());
  EXPECT_EQ(Figures(*Unit(*companies, "pc-2")), pc2_.ByName());
  EXPECT_NEAR(Unit(*companies, "pc-2")->score(), 70.0, 1e-9);
  EXPECT_EQ(companies->units(0).unit_id(), "pc-2");

  auto city = Metrics(v1::REPORT_UNIT_CITY);
  ASSERT_TRUE(city.ok()) << city.status();
  ASSERT_EQ(city->units_size(), 1);
  EXPECT_EQ(Figures(city->units(0)), city_.ByName());
  // A rate is its numerator over its denominator.
  EXPECT_DOUBLE_EQ(city->units(0).figures(2).rate(), 3.0 / 5);
}

TEST_F(ReportTest, EveryFiguresDrillDownTotalEqualsItAndListsExactlyItsTasks) {
  for (v1::ReportUnit unit : {v1::REPORT_UNIT_CITY, v1::REPORT_UNIT_STREET_OFFICE,
                              v1::REPORT_UNIT_COMMUNITY, v1::REPORT_UNIT_PROPERTY_COMPANY}) {
    auto report = Metrics(unit);
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_GT(report->units_size(), 0);
    for (const v1::UnitMetrics& u : report->units()) {
      for (const v1::MetricFigure& f : u.figures()) {
        for (bool denominator : {false, true}) {
          int64_t total = -1;
          std::vector<std::string> ids = Drill(unit, u.unit_id(), f.metric(), denominator, &total);
          const int64_t figure = denominator ? f.denominator() : f.numerator();
          EXPECT_EQ(total, figure) << u.unit_id() << " " << f.metric() << " " << denominator;
          EXPECT_EQ(static_cast<int64_t>(ids.size()), figure)
              << u.unit_id() << " " << f.metric() << " " << denominator;
          EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
        }
      }
    }
  }
  // And the tasks are the ones counted by hand.
  EXPECT_THAT(Drill(v1::REPORT_UNIT_CITY, "", "overdue_pending", false), ElementsAre(ids_["C"]));
  EXPECT_EQ(Drill(v1::REPORT_UNIT_CITY, "", "disposal", true), Ids({"A", "B", "C", "D", "E", "F"}));
  EXPECT_EQ(Drill(v1::REPORT_UNIT_COMMUNITY, "cm-1", "closure", true), Ids({"A", "B", "C"}));
  EXPECT_EQ(Drill(v1::REPORT_UNIT_STREET_OFFICE, "so-1", "timely_ack", false),
            Ids({"A", "B", "D"}));
  EXPECT_EQ(Drill(v1::REPORT_UNIT_STREET_OFFICE, "so-2", "return", false), Ids({"F"}));
  EXPECT_EQ(Drill(v1::REPORT_UNIT_PROPERTY_COMPANY, "pc-1", "rework", false), Ids({"B"}));
}

TEST_F(ReportTest, TheMonthlyBulletinMatchesTheHandCount) {
  // One community per list, so that the black list has someone.
  domain::AssessmentRules rules = domain::AssessmentRules::Default();
  rules.list_size = 1;
  rules_.assessment.Set("c1", rules);

  v1::GetMonthlyBulletinRequest req;
  req.set_campaign_id("c1");  // this month: May
  auto b = As("sup-1").GetMonthlyBulletin(req);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->month(), "2024-05");
  EXPECT_EQ(b->campaign_name(), "2024年度老旧小区环境整治");
  EXPECT_EQ(b->list_size(), 1);
  ASSERT_EQ(b->city().units_size(), 1);
  EXPECT_EQ(Figures(b->city().units(0)), city_.ByName());
  EXPECT_EQ(Figures(*Unit(b->communities(), "cm-1")), cm1_.ByName());
  EXPECT_EQ(Figures(*Unit(b->communities(), "cm-2")), cm2_.ByName());

  // Rankings: by inspection (latest weekly score in May; an office or a company
  // scores the mean of its communities') and by assessment score.
  std::map<std::string, std::vector<std::tuple<int, std::string, double>>> rankings;
  for (const v1::Ranking& r : b->rankings()) {
    auto& rows = rankings[absl::StrCat(v1::ReportUnit_Name(r.unit()), "/", r.by())];
    for (const v1::RankedUnit& u : r.units()) rows.emplace_back(u.rank(), u.unit_id(), std::round(u.value() * 10) / 10);
  }
  using Row = std::tuple<int, std::string, double>;
  EXPECT_THAT(rankings["REPORT_UNIT_COMMUNITY/inspection"],
              ElementsAre(Row{1, "cm-2", 60}, Row{2, "cm-1", 58}));
  EXPECT_THAT(rankings["REPORT_UNIT_STREET_OFFICE/inspection"],
              ElementsAre(Row{1, "so-2", 60}, Row{2, "so-1", 58}));
  EXPECT_THAT(rankings["REPORT_UNIT_PROPERTY_COMPANY/inspection"],
              ElementsAre(Row{1, "pc-2", 60}, Row{2, "pc-1", 58}));
  EXPECT_THAT(rankings["REPORT_UNIT_COMMUNITY/assessment"],
              ElementsAre(Row{1, "cm-1", 65}, Row{2, "cm-2", 47.5}));
  EXPECT_THAT(rankings["REPORT_UNIT_STREET_OFFICE/assessment"],
              ElementsAre(Row{1, "so-1", 65}, Row{2, "so-2", 47.5}));
  EXPECT_THAT(rankings["REPORT_UNIT_PROPERTY_COMPANY/assessment"],
              ElementsAre(Row{1, "pc-2", 70}, Row{2, "pc-1", 65}));

  // Red and black lists name the accountable head (the property company's).
  ASSERT_EQ(b->red_list_size(), 1);
  EXPECT_EQ(b->red_list(0).unit_id(), "cm-1");
  EXPECT_EQ(b->red_list(0).head_name(), "worker-1");
  ASSERT_EQ(b->black_list_size(), 1);
  EXPECT_EQ(b->black_list(0).unit_id(), "cm-2");
  EXPECT_EQ(b->black_list(0).head_name(), "worker-2");

  // Budget: the 7 tasks not voided plan 500 yuan each; A, B and E spent 420 each.
  ASSERT_EQ(b->budget_size(), 1);
  EXPECT_EQ(b->budget(0).payer(), v1::PAYER_PROPERTY_COMPANY);
  EXPECT_EQ(b->budget(0).tasks(), 7);
  EXPECT_EQ(b->budget(0).planned_fen(), 7 * 50000);
  EXPECT_EQ(b->budget(0).spent_fen(), 3 * 42000);

  // Penalties issued in May.
  ASSERT_EQ(b->penalties_size(), 2);
  EXPECT_EQ(b->penalties(0).org_id(), "pc-1");
  EXPECT_EQ(b->penalties(0).kind(), v1::PENALTY_KIND_FINE);
  EXPECT_EQ(b->penalties(1).org_id(), "pc-2");
  EXPECT_EQ(b->penalty_fines_fen(), 100000);

  // Rates over the months: April had nothing dispatched; May is the city's figures.
  ASSERT_EQ(b->trend_size(), 2);
  EXPECT_EQ(b->trend(0).month(), "2024-04");
  for (const v1::MetricFigure& f : b->trend(0).figures()) EXPECT_FALSE(f.has_rate());
  EXPECT_EQ(b->trend(1).month(), "2024-05");
  EXPECT_EQ(b->trend(1).figures(0).numerator(), 3);
  EXPECT_EQ(b->trend(1).figures(0).denominator(), 6);

  // Last month's bulletin: nothing dispatched, no penalties, no ranking by score.
  req.set_month("2024-04");
  auto april = As("sup-1").GetMonthlyBulletin(req);
  ASSERT_TRUE(april.ok()) << april.status();
  EXPECT_EQ(april->city().units_size(), 0);
  EXPECT_EQ(april->penalties_size(), 0);
  EXPECT_TRUE(april->red_list().empty());
}

TEST_F(ReportTest, TheWeeklySummaryGivesEachCommunitysLatestScoreAndItsChange) {
  v1::GetWeeklySummaryRequest req;
  req.set_campaign_id("c1");  // this week: from Monday 05-20
  auto week = As("sup-1").GetWeeklySummary(req);
  ASSERT_TRUE(week.ok()) << week.status();
  EXPECT_EQ(week->week_start(), "2024-05-20");
  EXPECT_EQ(week->week_end(), "2024-05-27");
  ASSERT_EQ(week->communities_size(), 2);
  const v1::CommunityWeek& first = week->communities(0);
  EXPECT_EQ(first.community_id(), "cm-2");
  EXPECT_EQ(first.score(), 60);
  EXPECT_FALSE(first.has_previous());
  const v1::CommunityWeek& second = week->communities(1);
  EXPECT_EQ(second.community_id(), "cm-1");
  EXPECT_EQ(second.score(), 58);
  EXPECT_EQ(second.previous_score(), 59);
  EXPECT_EQ(second.change(), -1);

  req.set_week_start("2024-05-13");
  auto earlier = As("sup-1").GetWeeklySummary(req);
  ASSERT_TRUE(earlier.ok()) << earlier.status();
  EXPECT_EQ(earlier->communities(0).community_id(), "cm-1");
  EXPECT_EQ(earlier->communities(0).score(), 59);
  EXPECT_FALSE(earlier->communities(1).inspected());
}

TEST_F(ReportTest, OverdueQueriesFilterByDaysOverdueAndEscalationLevelWorstFirst) {
  v1::ListTasksRequest req;
  req.set_campaign_id("c1");
  req.set_overdue(true);
  req.set_order_by("deadline");
  auto overdue = As("sup-1").ListTasks(req);
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  ASSERT_EQ(overdue->tasks_size(), 1);
  EXPECT_EQ(overdue->tasks(0).id(), ids_["C"]);

  // C is due 05-09 09:00: at 05-20 12:00 it is 11 days and 3 hours overdue.
  req.set_min_days_overdue(11);
  EXPECT_EQ(As("sup-1").ListTasks(req)->total_size(), 1);
  req.set_min_days_overdue(12);
  EXPECT_EQ(As("sup-1").ListTasks(req)->total_size(), 0);
  req.set_min_days_overdue(0);

  // No escalation step applied yet; the scheduler urges C and proposes criticism.
  req.set_min_escalation_level(1);
  EXPECT_EQ(As("sup-1").ListTasks(req)->total_size(), 0);
  ASSERT_TRUE(server_->scheduler().RunOnce().ok());
  auto escalated = As("sup-1").ListTasks(req);
  ASSERT_TRUE(escalated.ok()) << escalated.status();
  ASSERT_EQ(escalated->total_size(), 1);
  EXPECT_EQ(escalated->tasks(0).id(), ids_["C"]);
  req.set_min_escalation_level(100);
  EXPECT_EQ(As("sup-1").ListTasks(req)->total_size(), 0);

  req.set_min_escalation_level(-1);
  EXPECT_THAT(As("sup-1").ListTasks(req),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("min_escalation_level")));
}

TEST_F(ReportTest, AStreetOfficerReadsHerOwnUnitsOnlyAndOthersNone) {
  auto own = Metrics(v1::REPORT_UNIT_COMMUNITY, "officer-1");
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_EQ(own->units_size(), 1);
  EXPECT_EQ(own->units(0).unit_id(), "cm-1");
  EXPECT_THAT(Metrics(v1::REPORT_UNIT_COMMUNITY, "officer-1", "so-2"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("so-1")));
  EXPECT_THAT(Metrics(v1::REPORT_UNIT_COMMUNITY, "worker-1"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("read reports")));
  v1::GetMonthlyBulletinRequest bulletin;
  bulletin.set_campaign_id("c1");
  EXPECT_THAT(As("officer-1").GetMonthlyBulletin(bulletin),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("city-wide")));
  v1::DrillDownRequest drill;
  drill.set_campaign_id("c1");
  drill.set_unit(v1::REPORT_UNIT_STREET_OFFICE);
  drill.set_unit_id("so-2");
  drill.set_metric("disposal");
  EXPECT_THAT(As("officer-1").DrillDown(drill),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("so-2")));
}

TEST_F(ReportTest, BadArgumentsAreInvalidArgumentNamingTheField) {
  v1::DrillDownRequest drill;
  drill.set_campaign_id("c1");
  drill.set_metric("speed");
  EXPECT_THAT(As("sup-1").DrillDown(drill),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'metric'")));
  drill.set_metric("closure");
  drill.set_unit(v1::REPORT_UNIT_COMMUNITY);
  EXPECT_THAT(As("sup-1").DrillDown(drill),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'unit_id'")));
  v1::GetMetricsRequest metrics;
  metrics.set_campaign_id("c1");
  metrics.mutable_period()->set_month("May");
  EXPECT_THAT(As("sup-1").GetMetrics(metrics),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("period.month")));
  metrics.mutable_period()->set_month("");
  metrics.mutable_period()->set_from("2024-05-10");
  metrics.mutable_period()->set_to("2024-05-01");
  EXPECT_THAT(As("sup-1").GetMetrics(metrics),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("period.to")));
  metrics.set_campaign_id("nope");
  metrics.mutable_period()->Clear();
  EXPECT_THAT(As("sup-1").GetMetrics(metrics), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

}  // namespace
}  // namespace rectify::test
