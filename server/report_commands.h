// The supervisors' view (issue 5): metrics per unit, the tasks behind a
// figure, the weekly inspection summary and the monthly bulletin. Read-only
// commands over one snapshot: the store counts (one query per unit kind,
// storage/store.h CountMetrics), domain/metrics.h turns counts into rates,
// scores, rankings and red/black lists. No gRPC here.
//
// Periods are civil days in the campaign's time zone, [from, to); figures are
// evaluated as of min(now, the period's end). Who may read: policy.h
// ScopeReport.
#ifndef RECTIFY_SERVER_REPORT_COMMANDS_H_
#define RECTIFY_SERVER_REPORT_COMMANDS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/metrics.h"
#include "domain/penalty.h"
#include "server/auth.h"
#include "server/clock.h"
#include "storage/store.h"

namespace rectify::server {

// A period as the caller gives it: a month "YYYY-MM", or from/to days
// "YYYY-MM-DD" (to exclusive); all empty: the current month.
struct PeriodArgs {
  std::string month;
  std::string from;
  std::string to;
};

struct Period {
  absl::CivilDay from, to;  // [from, to), campaign time zone
  absl::Time start, end;    // the same as instants
  absl::Time as_of;         // min(now, end)
};

struct UnitRow {
  std::string unit_id;
  std::string unit_name;
  std::string head_person_id;  // the accountable head
  std::string head_name;
  domain::MetricFigures figures;
  std::optional<double> score;
  int rank = 0;
};

struct MetricsView {
  std::string campaign_id;
  storage::MetricUnit unit = storage::MetricUnit::kStreetOffice;
  Period period;
  domain::AssessmentRules rules;
  std::vector<UnitRow> units;  // best score first
};

struct MetricsArgs {
  std::string campaign_id;
  storage::MetricUnit unit = storage::MetricUnit::kStreetOffice;
  PeriodArgs period;
  std::string street_office_id;  // only this office's units
};

struct DrillArgs {
  std::string campaign_id;
  storage::MetricUnit unit = storage::MetricUnit::kCity;
  std::string unit_id;
  PeriodArgs period;
  std::string metric;  // domain::MetricName
  bool denominator = false;
  int page_size = 50;
  std::string page_token;
};

struct CommunityWeekRow {
  std::string community_id;
  std::string community_name;
  std::string street_office_id;
  std::optional<domain::Inspection> latest;    // this week's latest weekly inspection
  std::optional<domain::Inspection> previous;  // the week before's
};
struct WeeklyView {
  std::string campaign_id;
  absl::CivilDay week_start, week_end;
  std::vector<CommunityWeekRow> rows;  // best score first, uninspected last
};

struct RankRow {
  int rank = 0;
  std::string unit_id, unit_name, head_person_id, head_name;
  std::optional<double> value;
};
struct RankingView {
  storage::MetricUnit unit;
  std::string by;  // "inspection" or "assessment"
  std::vector<RankRow> rows;
};

struct BulletinView {
  domain::Campaign campaign;
  std::string month;  // YYYY-MM
  Period period;
  int list_size = 0;
  MetricsView city, street_offices, communities, property_companies;
  std::vector<RankingView> rankings;
  std::map<domain::Payer, storage::PayerSums> budget;
  std::vector<domain::Penalty> penalties;  // issued in the month, oldest first
  int64_t fines_fen = 0;
  std::vector<RankRow> red, black;  // communities by assessment
  std::vector<std::pair<std::string, domain::MetricFigures>> trend;  // city-wide, by month
};

class ReportCommands {
 public:
  ReportCommands(const Clock& clock, const domain::AssessmentBook& assessment)
      : clock_(clock), assessment_(assessment) {}

  // kNotFound for an unknown campaign; kInvalidArgument naming 'period.*' or
  // 'street_office_id'; kPermissionDenied as ScopeReport.
  absl::StatusOr<MetricsView> Metrics(storage::ReadTx& tx, const Principal& who,
                                      MetricsArgs args) const;
  // The tasks behind one side of one metric of one unit: the same predicate
  // the figure counts with, so total_count equals it. kInvalidArgument naming
  // 'metric', 'unit_id', 'page_size' or 'page_token'.
  absl::StatusOr<storage::TaskPage> DrillDown(storage::ReadTx& tx, const Principal& who,
                                              DrillArgs args) const;
  // `week_start` "YYYY-MM-DD" (empty: this week's Monday).
  absl::StatusOr<WeeklyView> Weekly(storage::ReadTx& tx, const Principal& who,
                                    const std::string& campaign_id, const std::string& week_start,
                                    std::string street_office_id) const;
  // `month` "YYYY-MM" (empty: this month). Supervisors and centre staff only.
  absl::StatusOr<BulletinView> Bulletin(storage::ReadTx& tx, const Principal& who,
                                        const std::string& campaign_id,
                                        const std::string& month) const;

  absl::Time Now() const { return clock_.Now(); }

 private:
  absl::StatusOr<MetricsView> Compute(storage::ReadTx& tx, const domain::Campaign& campaign,
                                      storage::MetricUnit unit, const Period& period,
                                      const std::string& street_office_id) const;

  const Clock& clock_;
  const domain::AssessmentBook& assessment_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_REPORT_COMMANDS_H_
