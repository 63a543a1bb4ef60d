#include "server/grpc_report_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/grpc_util.h"

namespace rectify::server {
namespace {

using storage::MetricUnit;

absl::StatusOr<MetricUnit> UnitFromProto(v1::ReportUnit unit, MetricUnit if_unspecified) {
  switch (unit) {
    case v1::REPORT_UNIT_UNSPECIFIED:
      return if_unspecified;
    case v1::REPORT_UNIT_CITY:
      return MetricUnit::kCity;
    case v1::REPORT_UNIT_STREET_OFFICE:
      return MetricUnit::kStreetOffice;
    case v1::REPORT_UNIT_COMMUNITY:
      return MetricUnit::kCommunity;
    case v1::REPORT_UNIT_PROPERTY_COMPANY:
      return MetricUnit::kResponsibleOrg;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("'unit' ", static_cast<int>(unit), " is not a report unit"));
  }
}

v1::ReportUnit UnitToProto(MetricUnit unit) {
  switch (unit) {
    case MetricUnit::kCity:
      return v1::REPORT_UNIT_CITY;
    case MetricUnit::kStreetOffice:
      return v1::REPORT_UNIT_STREET_OFFICE;
    case MetricUnit::kCommunity:
      return v1::REPORT_UNIT_COMMUNITY;
    case MetricUnit::kResponsibleOrg:
      return v1::REPORT_UNIT_PROPERTY_COMPANY;
    case MetricUnit::kCell:
      break;
  }
  return v1::REPORT_UNIT_UNSPECIFIED;
}

PeriodArgs FromProto(const v1::ReportPeriod& p) { return {p.month(), p.from(), p.to()}; }

void FiguresToProto(const domain::MetricFigures& figures,
                    google::protobuf::RepeatedPtrField<v1::MetricFigure>* out) {
  for (domain::Metric m : domain::kAllMetrics) {
    v1::MetricFigure* f = out->Add();
    f->set_metric(std::string(domain::MetricName(m)));
    f->set_label(std::string(domain::MetricChinese(m)));
    auto it = figures.find(m);
    const domain::Ratio r = it == figures.end() ? domain::Ratio() : it->second;
    f->set_numerator(r.numerator);
    f->set_denominator(r.denominator);
    if (std::optional<double> rate = r.Rate(); rate.has_value()) {
      f->set_has_rate(true);
      f->set_rate(*rate);
    }
  }
}

v1::MetricsReport ToProto(const MetricsView& v) {
  v1::MetricsReport out;
  out.set_campaign_id(v.campaign_id);
  out.set_unit(UnitToProto(v.unit));
  out.set_from(absl::FormatCivilTime(v.period.from));
  out.set_to(absl::FormatCivilTime(v.period.to));
  server::ToProto(v.period.as_of, out.mutable_as_of_time());
  out.set_suspended_leave_denominator(v.rules.suspended_leave_denominator);
  out.set_timely_ack_hours(v.rules.timely_ack_hours);
  for (const auto& [metric, weight] : v.rules.weights) {
    (*out.mutable_weights())[std::string(domain::MetricName(metric))] = weight;
  }
  for (const UnitRow& r : v.units) {
    v1::UnitMetrics* u = out.add_units();
    u->set_unit_id(r.unit_id);
    u->set_unit_name(r.unit_name);
    u->set_head_person_id(r.head_person_id);
    u->set_head_name(r.head_name);
    FiguresToProto(r.figures, u->mutable_figures());
    if (r.score.has_value()) {
      u->set_has_score(true);
      u->set_score(*r.score);
    }
    u->set_rank(r.rank);
  }
  return out;
}

void ToProto(const RankRow& r, v1::RankedUnit* out) {
  out->set_rank(r.rank);
  out->set_unit_id(r.unit_id);
  out->set_unit_name(r.unit_name);
  out->set_head_person_id(r.head_person_id);
  out->set_head_name(r.head_name);
  if (r.value.has_value()) {
    out->set_has_value(true);
    out->set_value(*r.value);
  }
}

v1::WeeklySummary ToProto(const WeeklyView& w) {
  v1::WeeklySummary out;
  out.set_campaign_id(w.campaign_id);
  out.set_week_start(absl::FormatCivilTime(w.week_start));
  out.set_week_end(absl::FormatCivilTime(w.week_end));
  for (const CommunityWeekRow& r : w.rows) {
    v1::CommunityWeek* c = out.add_communities();
    c->set_community_id(r.community_id);
    c->set_community_name(r.community_name);
    c->set_street_office_id(r.street_office_id);
    if (r.latest.has_value()) {
      c->set_inspected(true);
      c->set_score(r.latest->total);
      c->set_max_score(r.latest->max_score);
      c->set_inspection_id(r.latest->id);
    }
    if (r.previous.has_value()) {
      c->set_has_previous(true);
      c->set_previous_score(r.previous->total);
      if (r.latest.has_value()) c->set_change(r.latest->total - r.previous->total);
    }
  }
  return out;
}

v1::MonthlyBulletin ToProto(const BulletinView& b) {
  v1::MonthlyBulletin out;
  out.set_campaign_id(b.campaign.id);
  out.set_campaign_name(b.campaign.name);
  out.set_month(b.month);
  out.set_from(absl::FormatCivilTime(b.period.from));
  out.set_to(absl::FormatCivilTime(b.period.to));
  server::ToProto(b.period.as_of, out.mutable_as_of_time());
  out.set_list_size(b.list_size);
  *out.mutable_city() = ToProto(b.city);
  *out.mutable_street_offices() = ToProto(b.street_offices);
  *out.mutable_communities() = ToProto(b.communities);
  *out.mutable_property_companies() = ToProto(b.property_companies);
  for (const RankingView& r : b.rankings) {
    v1::Ranking* ranking = out.add_rankings();
    ranking->set_unit(UnitToProto(r.unit));
    ranking->set_by(r.by);
    for (const RankRow& row : r.rows) ToProto(row, ranking->add_units());
  }
  for (const auto& [payer, sums] : b.budget) {
    v1::PayerBudgetLine* line = out.add_budget();
    line->set_payer(static_cast<v1::Payer>(payer));
    line->set_tasks(sums.tasks);
    line->set_planned_fen(sums.planned_fen);
    line->set_spent_fen(sums.actual_fen);
  }
  for (const domain::Penalty& p : b.penalties) {
    v1::PenaltyLine* line = out.add_penalties();
    line->set_penalty_id(p.id);
    line->set_org_id(p.org_id);
    line->set_kind(static_cast<v1::PenaltyKind>(p.kind));
    line->set_amount_fen(p.amount_fen);
    line->set_reason(p.reason);
    server::ToProto(p.decide_time, line->mutable_decide_time());
  }
  out.set_penalty_fines_fen(b.fines_fen);
  for (const RankRow& r : b.red) ToProto(r, out.add_red_list());
  for (const RankRow& r : b.black) ToProto(r, out.add_black_list());
  for (const auto& [month, figures] : b.trend) {
    v1::MonthPoint* point = out.add_trend();
    point->set_month(month);
    FiguresToProto(figures, point->mutable_figures());
  }
  return out;
}

}  // namespace

grpc::Status GrpcReportService::GetMetrics(grpc::ServerContext* ctx,
                                           const v1::GetMetricsRequest* req,
                                           v1::MetricsReport* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  MetricsArgs args;
  args.campaign_id = req->campaign_id();
  RECTIFY_GRPC_ASSIGN_OR_RETURN(args.unit, UnitFromProto(req->unit(), MetricUnit::kStreetOffice));
  args.period = FromProto(req->period());
  args.street_office_id = req->street_office_id();
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(MetricsView view, commands_.Metrics(tx, who, args));
    *resp = ToProto(view);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcReportService::DrillDown(grpc::ServerContext* ctx,
                                          const v1::DrillDownRequest* req,
                                          v1::DrillDownResponse* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  DrillArgs args;
  args.campaign_id = req->campaign_id();
  RECTIFY_GRPC_ASSIGN_OR_RETURN(args.unit, UnitFromProto(req->unit(), MetricUnit::kCity));
  args.unit_id = req->unit_id();
  args.period = FromProto(req->period());
  args.metric = req->metric();
  args.denominator = req->denominator();
  args.page_size = req->page_size() == 0 ? 50 : req->page_size();
  args.page_token = req->page_token();
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(storage::TaskPage page, commands_.DrillDown(tx, who, args));
    const absl::Time now = commands_.Now();
    for (const domain::Task& task : page.tasks) {
      std::string head;
      if (!task.responsible_org_id.empty()) {
        RECTIFY_ASSIGN_OR_RETURN(domain::Organisation org,
                                 tx.GetOrganisation(task.responsible_org_id));
        head = org.head_person_id;
      }
      *resp->add_tasks() = server::ToProto(task, now, head);
    }
    resp->set_next_page_token(page.next_page_token);
    resp->set_total_size(page.total_count);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcReportService::GetWeeklySummary(grpc::ServerContext* ctx,
                                                 const v1::GetWeeklySummaryRequest* req,
                                                 v1::WeeklySummary* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(WeeklyView view,
                             commands_.Weekly(tx, who, req->campaign_id(), req->week_start(),
                                              req->street_office_id()));
    *resp = ToProto(view);
    return absl::OkStatus();
  }));
}

grpc::Status GrpcReportService::GetMonthlyBulletin(grpc::ServerContext* ctx,
                                                   const v1::GetMonthlyBulletinRequest* req,
                                                   v1::MonthlyBulletin* resp) {
  RECTIFY_GRPC_ASSIGN_OR_RETURN(Principal who, Identify(auth_, *ctx));
  return ToGrpc(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(BulletinView view,
                             commands_.Bulletin(tx, who, req->campaign_id(), req->month()));
    *resp = ToProto(view);
    return absl::OkStatus();
  }));
}

}  // namespace rectify::server
