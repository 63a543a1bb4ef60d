#include "server/report_commands.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "server/policy.h"

namespace rectify::server {
namespace {

using storage::MetricUnit;

constexpr int kMaxTrendMonths = 24;
constexpr int kInspectionLimit = 1000;

absl::StatusOr<absl::TimeZone> ZoneOf(const domain::Campaign& c) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(c.time_zone, &tz)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "campaign '", c.id, "' has time zone '", c.time_zone, "', which this server cannot load"));
  }
  return tz;
}

absl::StatusOr<absl::CivilDay> ParseDay(const std::string& field, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is \"", text, "\"; expected a date as YYYY-MM-DD"));
  }
  return day;
}

Period MakePeriod(absl::CivilDay from, absl::CivilDay to, absl::TimeZone tz, absl::Time now) {
  Period p;
  p.from = from;
  p.to = to;
  p.start = tz.At(absl::CivilSecond(from)).pre;
  p.end = tz.At(absl::CivilSecond(to)).pre;
  p.as_of = std::min(now, p.end);
  return p;
}

absl::StatusOr<Period> ResolvePeriod(const PeriodArgs& args, absl::TimeZone tz, absl::Time now) {
  if (!args.month.empty()) {
    if (!args.from.empty() || !args.to.empty()) {
      return absl::InvalidArgumentError(
          "'period' gives both a month and from/to; give one or the other");
    }
    absl::CivilMonth month;
    if (!absl::ParseCivilTime(args.month, &month)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'period.month' is \"", args.month, "\"; expected YYYY-MM"));
    }
    return MakePeriod(absl::CivilDay(month), absl::CivilDay(month + 1), tz, now);
  }
  if (args.from.empty() && args.to.empty()) {
    const absl::CivilMonth month(absl::ToCivilDay(now, tz));
    return MakePeriod(absl::CivilDay(month), absl::CivilDay(month + 1), tz, now);
  }
  if (args.from.empty() || args.to.empty()) {
    return absl::InvalidArgumentError("'period' needs both 'from' and 'to' (or a 'month')");
  }
  RECTIFY_ASSIGN_OR_RETURN(absl::CivilDay from, ParseDay("period.from", args.from));
  RECTIFY_ASSIGN_OR_RETURN(absl::CivilDay to, ParseDay("period.to", args.to));
  if (to <= from) {
    return absl::InvalidArgumentError(absl::StrCat("'period.to' (", args.to,
                                                   ") must be after 'period.from' (", args.from,
                                                   ")"));
  }
  return MakePeriod(from, to, tz, now);
}

storage::MetricScope ScopeOf(const Period& p, const domain::AssessmentRules& rules) {
  storage::MetricScope s;
  s.from = p.start;
  s.to = p.end;
  s.as_of = p.as_of;
  s.suspended_leave_denominator = rules.suspended_leave_denominator;
  s.timely_ack = absl::Hours(rules.timely_ack_hours);
  return s;
}

// Names and accountable heads of the directory, read once per report.
struct Directory {
  std::map<std::string, domain::Organisation> orgs;
  std::map<std::string, std::string> person_names;
  std::map<std::string, domain::Community> communities;

  static absl::StatusOr<Directory> Load(storage::ReadTx& tx) {
    Directory d;
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Organisation> orgs,
                             tx.ListOrganisations(std::nullopt));
    for (domain::Organisation& o : orgs) d.orgs.emplace(o.id, std::move(o));
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Person> people, tx.ListPeople(""));
    for (const domain::Person& p : people) d.person_names[p.id] = p.name;
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Community> communities, tx.ListCommunities(""));
    for (domain::Community& c : communities) d.communities.emplace(c.id, std::move(c));
    return d;
  }

  std::string PersonName(const std::string& id) const {
    auto it = person_names.find(id);
    return it == person_names.end() ? std::string() : it->second;
  }
  // Name and head of a unit. A community's head is its property company's:
  // the responsible subject of its tasks.
  void Describe(MetricUnit unit, const std::string& id, std::string* name,
                std::string* head) const {
    std::string org_id = id;
    if (unit == MetricUnit::kCity) {
      *name = "全市";
      return;
    }
    if (unit == MetricUnit::kCommunity) {
      auto it = communities.find(id);
      if (it == communities.end()) return;
      *name = it->second.name;
      org_id = it->second.property_company_id;
    }
    auto it = orgs.find(org_id);
    if (it == orgs.end()) return;
    if (unit != MetricUnit::kCommunity) *name = it->second.name;
    *head = it->second.head_person_id;
  }
};

RankRow ToRankRow(const domain::RankedUnit& r, MetricUnit unit, const Directory& dir) {
  RankRow row;
  row.rank = r.rank;
  row.unit_id = r.unit_id;
  row.value = r.score;
  dir.Describe(unit, r.unit_id, &row.unit_name, &row.head_person_id);
  row.head_name = dir.PersonName(row.head_person_id);
  return row;
}

// The units of a kind that a bulletin ranks, whether or not they have tasks.
std::vector<std::string> UnitsOf(MetricUnit unit, const Directory& dir) {
  std::vector<std::string> out;
  if (unit == MetricUnit::kCommunity) {
    for (const auto& [id, c] : dir.communities) out.push_back(id);
    return out;
  }
  const domain::OrgKind kind = unit == MetricUnit::kStreetOffice ? domain::OrgKind::kStreetOffice
                                                                 : domain::OrgKind::kPropertyCompany;
  for (const auto& [id, o] : dir.orgs) {
    if (o.kind == kind) out.push_back(id);
  }
  return out;
}

RankingView RankBy(MetricUnit unit, const std::string& by,
                   const std::map<std::string, std::optional<double>>& values,
                   const Directory& dir) {
  std::vector<domain::ScoredUnit> scored;
  for (const std::string& id : UnitsOf(unit, dir)) {
    auto it = values.find(id);
    scored.push_back({id, it == values.end() ? std::nullopt : it->second});
  }
  RankingView view{unit, by, {}};
  for (const domain::RankedUnit& r : domain::Rank(scored)) {
    view.rows.push_back(ToRankRow(r, unit, dir));
  }
  return view;
}

// Scores and ranks counted units; names them from the directory.
MetricsView MakeView(const std::string& campaign_id, MetricUnit unit, const Period& period,
                     const domain::AssessmentRules& rules,
                     std::vector<storage::UnitMetricCounts> counts, const Directory& dir) {
  MetricsView view;
  view.campaign_id = campaign_id;
  view.unit = unit;
  view.period = period;
  view.rules = rules;
  std::vector<domain::ScoredUnit> scored;
  std::map<std::string, domain::MetricFigures> figures;
  for (storage::UnitMetricCounts& c : counts) {
    if (unit == MetricUnit::kResponsibleOrg) {
      // Property companies only: tasks a street office holds itself are not a company's.
      auto it = dir.orgs.find(c.unit_id);
      if (it == dir.orgs.end() || it->second.kind != domain::OrgKind::kPropertyCompany) continue;
    }
    scored.push_back({c.unit_id, domain::AssessmentScore(c.figures, rules)});
    figures[c.unit_id] = std::move(c.figures);
  }
  for (const domain::RankedUnit& r : domain::Rank(scored)) {
    UnitRow row;
    row.unit_id = r.unit_id;
    row.score = r.score;
    row.rank = r.rank;
    row.figures = figures[r.unit_id];
    dir.Describe(unit, r.unit_id, &row.unit_name, &row.head_person_id);
    row.head_name = dir.PersonName(row.head_person_id);
    view.units.push_back(std::move(row));
  }
  return view;
}

}  // namespace

absl::StatusOr<MetricsView> ReportCommands::Compute(storage::ReadTx& tx,
                                                    const domain::Campaign& campaign,
                                                    MetricUnit unit, const Period& period,
                                                    const std::string& street_office_id) const {
  const domain::AssessmentRules& rules = assessment_.For(campaign.id);
  storage::TaskFilter filter;
  filter.campaign_id = campaign.id;
  filter.street_office_id = street_office_id;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<storage::UnitMetricCounts> counts,
                           tx.CountMetrics(filter, unit, ScopeOf(period, rules)));
  RECTIFY_ASSIGN_OR_RETURN(Directory dir, Directory::Load(tx));
  return MakeView(campaign.id, unit, period, rules, std::move(counts), dir);
}

absl::StatusOr<MetricsView> ReportCommands::Metrics(storage::ReadTx& tx, const Principal& who,
                                                    MetricsArgs args) const {
  RECTIFY_RETURN_IF_ERROR(ScopeReport(who, &args.street_office_id, /*city_wide=*/false));
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(args.campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(campaign));
  RECTIFY_ASSIGN_OR_RETURN(Period period, ResolvePeriod(args.period, tz, clock_.Now()));
  return Compute(tx, campaign, args.unit, period, args.street_office_id);
}

absl::StatusOr<storage::TaskPage> ReportCommands::DrillDown(storage::ReadTx& tx,
                                                            const Principal& who,
                                                            DrillArgs args) const {
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(args.campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(campaign));
  RECTIFY_ASSIGN_OR_RETURN(Period period, ResolvePeriod(args.period, tz, clock_.Now()));
  absl::StatusOr<domain::Metric> metric = domain::ParseMetric(args.metric);
  if (!metric.ok()) return absl::InvalidArgumentError(absl::StrCat("'metric': ", metric.status().message()));
  storage::TaskQuery query;
  query.filter.campaign_id = campaign.id;
  if (args.unit != MetricUnit::kCity && args.unit_id.empty()) {
    return absl::InvalidArgumentError("'unit_id' is empty; name the unit whose figure to open");
  }
  switch (args.unit) {
    case MetricUnit::kCity:
      break;
    case MetricUnit::kStreetOffice:
      query.filter.street_office_id = args.unit_id;
      break;
    case MetricUnit::kCommunity:
      query.filter.community_id = args.unit_id;
      break;
    case MetricUnit::kResponsibleOrg:
      query.filter.responsible_org_id = args.unit_id;
      break;
    case MetricUnit::kCell:
      return absl::InvalidArgumentError("'unit' must be one unit kind to drill into");
  }
  RECTIFY_RETURN_IF_ERROR(ScopeReport(who, &query.filter.street_office_id, false));
  storage::MetricSelection selection;
  selection.metric = *metric;
  selection.numerator = !args.denominator;
  selection.scope = ScopeOf(period, assessment_.For(campaign.id));
  query.filter.metric = selection;
  query.order = storage::TaskOrder::kCreateTime;
  query.page_size = args.page_size;
  query.page_token = args.page_token;
  return tx.ListTasks(query);
}

absl::StatusOr<WeeklyView> ReportCommands::Weekly(storage::ReadTx& tx, const Principal& who,
                                                  const std::string& campaign_id,
                                                  const std::string& week_start,
                                                  std::string street_office_id) const {
  RECTIFY_RETURN_IF_ERROR(ScopeReport(who, &street_office_id, false));
  RECTIFY_ASSIGN_OR_RETURN(domain::Campaign campaign, tx.GetCampaign(campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(campaign));
  WeeklyView view;
  view.campaign_id = campaign.id;
  if (week_start.empty()) {
    const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), tz);
    view.week_start = today - (static_cast<int>(absl::GetWeekday(today)) -
                               static_cast<int>(absl::Weekday::monday));
  } else {
    RECTIFY_ASSIGN_OR_RETURN(view.week_start, ParseDay("week_start", week_start));
  }
  view.week_end = view.week_start + 7;
  storage::InspectionFilter filter;
  filter.campaign_id = campaign.id;
  filter.kind = domain::InspectionKind::kWeekly;
  filter.from = view.week_start - 7;
  filter.to = view.week_end;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Inspection> inspections,
                           tx.ListInspections(filter, kInspectionLimit));
  RECTIFY_ASSIGN_OR_RETURN(Directory dir, Directory::Load(tx));
  std::map<std::string, CommunityWeekRow> rows;
  for (const auto& [id, c] : dir.communities) {
    if (!street_office_id.empty() && c.street_office_id != street_office_id) continue;
    rows[id] = {id, c.name, c.street_office_id, std::nullopt, std::nullopt};
  }
  for (const domain::Inspection& i : inspections) {  // newest first: keep the first seen
    auto it = rows.find(i.community_id);
    if (it == rows.end()) continue;
    auto& slot = i.date >= view.week_start ? it->second.latest : it->second.previous;
    if (!slot.has_value()) slot = i;
  }
  for (auto& [id, row] : rows) view.rows.push_back(std::move(row));
  std::stable_sort(view.rows.begin(), view.rows.end(),
                   [](const CommunityWeekRow& a, const CommunityWeekRow& b) {
                     if (a.latest.has_value() != b.latest.has_value()) return a.latest.has_value();
                     return a.latest.has_value() && a.latest->total > b.latest->total;
                   });
  return view;
}

absl::StatusOr<BulletinView> ReportCommands::Bulletin(storage::ReadTx& tx, const Principal& who,
                                                      const std::string& campaign_id,
                                                      const std::string& month) const {
  std::string office;
  RECTIFY_RETURN_IF_ERROR(ScopeReport(who, &office, /*city_wide=*/true));
  BulletinView b;
  RECTIFY_ASSIGN_OR_RETURN(b.campaign, tx.GetCampaign(campaign_id));
  RECTIFY_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(b.campaign));
  const absl::Time now = clock_.Now();
  if (month.empty() && absl::ToCivilDay(now, tz) < b.campaign.self_check_start) {
    return absl::FailedPreconditionError(absl::StrCat("campaign '", campaign_id,
                                                      "' has not started; give a month"));
  }
  PeriodArgs args;
  args.month = month;
  RECTIFY_ASSIGN_OR_RETURN(b.period, ResolvePeriod(args, tz, now));
  const absl::CivilMonth this_month(b.period.from);
  b.month = absl::FormatCivilTime(this_month);
  const domain::AssessmentRules& rules = assessment_.For(b.campaign.id);
  b.list_size = rules.list_size;
  RECTIFY_ASSIGN_OR_RETURN(Directory dir, Directory::Load(tx));

  // One count of the month by (street office, community, responsible
  // organisation); every unit kind is a sum of those cells.
  storage::TaskFilter campaign_tasks;
  campaign_tasks.campaign_id = b.campaign.id;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<storage::UnitMetricCounts> cells,
                           tx.CountMetrics(campaign_tasks, MetricUnit::kCell,
                                           ScopeOf(b.period, rules)));
  std::map<std::string, domain::MetricFigures> city, offices, communities, companies;
  for (const storage::UnitMetricCounts& cell : cells) {
    domain::AddFigures(city[""], cell.figures);
    domain::AddFigures(offices[cell.street_office_id], cell.figures);
    domain::AddFigures(communities[cell.community_id], cell.figures);
    domain::AddFigures(companies[cell.responsible_org_id], cell.figures);
  }
  auto counts = [](std::map<std::string, domain::MetricFigures>& sums) {
    std::vector<storage::UnitMetricCounts> out;
    for (auto& [id, figures] : sums) {
      storage::UnitMetricCounts c;
      c.unit_id = id;
      c.figures = std::move(figures);
      out.push_back(std::move(c));
    }
    return out;
  };
  b.city = MakeView(b.campaign.id, MetricUnit::kCity, b.period, rules, counts(city), dir);
  b.street_offices =
      MakeView(b.campaign.id, MetricUnit::kStreetOffice, b.period, rules, counts(offices), dir);
  b.communities =
      MakeView(b.campaign.id, MetricUnit::kCommunity, b.period, rules, counts(communities), dir);
  b.property_companies = MakeView(b.campaign.id, MetricUnit::kResponsibleOrg, b.period, rules,
                                  counts(companies), dir);

  // Inspection scores: each community's latest weekly inspection in the
  // month; an office or company scores the mean of its communities'.
  storage::InspectionFilter inspections_filter;
  inspections_filter.campaign_id = b.campaign.id;
  inspections_filter.kind = domain::InspectionKind::kWeekly;
  inspections_filter.from = b.period.from;
  inspections_filter.to = b.period.to;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Inspection> inspections,
                           tx.ListInspections(inspections_filter, kInspectionLimit));
  std::map<std::string, std::optional<double>> by_community;
  std::map<std::string, std::pair<double, int>> office_sum, company_sum;
  for (const domain::Inspection& i : inspections) {
    if (by_community.count(i.community_id) > 0) continue;  // newest first
    by_community[i.community_id] = static_cast<double>(i.total);
    auto c = dir.communities.find(i.community_id);
    if (c == dir.communities.end()) continue;
    auto& o = office_sum[c->second.street_office_id];
    o.first += i.total;
    ++o.second;
    auto& p = company_sum[c->second.property_company_id];
    p.first += i.total;
    ++p.second;
  }
  auto means = [](const std::map<std::string, std::pair<double, int>>& sums) {
    std::map<std::string, std::optional<double>> out;
    for (const auto& [id, s] : sums) out[id] = s.first / s.second;
    return out;
  };
  auto scores = [](const MetricsView& v) {
    std::map<std::string, std::optional<double>> out;
    for (const UnitRow& r : v.units) out[r.unit_id] = r.score;
    return out;
  };
  b.rankings.push_back(RankBy(MetricUnit::kStreetOffice, "inspection", means(office_sum), dir));
  b.rankings.push_back(RankBy(MetricUnit::kCommunity, "inspection", by_community, dir));
  b.rankings.push_back(RankBy(MetricUnit::kResponsibleOrg, "inspection", means(company_sum), dir));
  b.rankings.push_back(
      RankBy(MetricUnit::kStreetOffice, "assessment", scores(b.street_offices), dir));
  b.rankings.push_back(RankBy(MetricUnit::kCommunity, "assessment", scores(b.communities), dir));
  b.rankings.push_back(
      RankBy(MetricUnit::kResponsibleOrg, "assessment", scores(b.property_companies), dir));

  // Red and black lists: communities by assessment score.
  std::vector<domain::ScoredUnit> community_scores;
  for (const UnitRow& r : b.communities.units) community_scores.push_back({r.unit_id, r.score});
  const domain::RedBlackLists lists =
      domain::RedBlack(domain::Rank(community_scores), rules.list_size);
  for (const auto& r : lists.red) b.red.push_back(ToRankRow(r, MetricUnit::kCommunity, dir));
  for (const auto& r : lists.black) b.black.push_back(ToRankRow(r, MetricUnit::kCommunity, dir));

  RECTIFY_ASSIGN_OR_RETURN(b.budget, tx.SumBudgetByPayer(campaign_tasks));

  storage::PenaltyFilter penalties_filter;
  penalties_filter.campaign_id = b.campaign.id;
  penalties_filter.state = domain::PenaltyState::kIssued;
  RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Penalty> issued,
                           tx.ListPenalties(penalties_filter, 1000));
  for (domain::Penalty& p : issued) {
    if (p.decide_time < b.period.start || p.decide_time >= b.period.end) continue;
    b.fines_fen += p.amount_fen;
    b.penalties.push_back(std::move(p));
  }
  std::reverse(b.penalties.begin(), b.penalties.end());

  // Rates over the months: city-wide, from the campaign's first month. The
  // earlier months are one grouped count (store.h CountMetricSeries: month
  // boundaries computed here, in the campaign's zone), not one count each;
  // the month itself is b.city, counted above over the same period and rules.
  absl::CivilMonth first(b.campaign.self_check_start);
  if (this_month - first >= kMaxTrendMonths) first = this_month - (kMaxTrendMonths - 1);
  std::vector<absl::CivilMonth> earlier;
  std::vector<storage::MetricScope> scopes;
  for (absl::CivilMonth m = first; m < this_month; ++m) {
    const Period p = MakePeriod(absl::CivilDay(m), absl::CivilDay(m + 1), tz, now);
    if (p.start >= now) break;
    earlier.push_back(m);
    scopes.push_back(ScopeOf(p, rules));
  }
  if (!scopes.empty()) {
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::MetricFigures> series,
                             tx.CountMetricSeries(campaign_tasks, scopes));
    for (size_t i = 0; i < earlier.size(); ++i) {
      b.trend.emplace_back(absl::FormatCivilTime(earlier[i]), std::move(series[i]));
    }
  }
  if (first <= this_month && b.period.start < now) {
    b.trend.emplace_back(b.month, b.city.units.empty() ? domain::MetricFigures()
                                                       : b.city.units.front().figures);
  }
  return b;
}

}  // namespace rectify::server
