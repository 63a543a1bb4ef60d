#include "client/cli/report_render.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "client/cli/enum_names.h"
#include "client/cli/text_table.h"

namespace rectify::client::cli {
namespace {

// Colours of the chart lines, one per metric; readable on white and in print.
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};

std::string UnitZh(v1::ReportUnit unit) {
  switch (unit) {
    case v1::REPORT_UNIT_CITY:
      return "全市";
    case v1::REPORT_UNIT_STREET_OFFICE:
      return "街道办事处";
    case v1::REPORT_UNIT_COMMUNITY:
      return "社区";
    case v1::REPORT_UNIT_PROPERTY_COMPANY:
      return "物业服务企业";
    default:
      return "单位";
  }
}

std::string PayerZh(v1::Payer payer) {
  switch (payer) {
    case v1::PAYER_PROPERTY_COMPANY:
      return "物业";
    case v1::PAYER_OWNERS:
      return "业主";
    case v1::PAYER_STREET_OFFICE:
      return "街道";
    case v1::PAYER_PUBLIC_FINANCE:
      return "财政";
    default:
      return "其他";
  }
}

std::string Score(bool has, double value) { return has ? absl::StrFormat("%.1f", value) : "—"; }

std::string Html(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"},
                                    {"\"", "&quot;"}, {"'", "&#39;"}});
}

std::string MdCell(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

Table ToTable(const Section& s) {
  Table t;
  for (const Column& c : s.columns) t.header.push_back(c.en);
  t.rows = s.rows;
  return t;
}

Section FiguresSection(const std::string& en, const std::string& zh,
                       const google::protobuf::RepeatedPtrField<v1::UnitMetrics>& units,
                       bool with_unit) {
  Section s{en, zh, {}, {}, std::nullopt, std::nullopt};
  if (with_unit) s.columns.push_back({"UNIT", "单位"});
  s.columns.insert(s.columns.end(), {{"METRIC", "指标"},
                                     {"LABEL", "名称"},
                                     {"NUMERATOR", "分子"},
                                     {"DENOMINATOR", "分母"},
                                     {"RATE", "比率"}});
  for (const v1::UnitMetrics& u : units) {
    for (const v1::MetricFigure& f : u.figures()) {
      std::vector<std::string> row;
      if (with_unit) row.push_back(u.unit_id());
      row.insert(row.end(), {f.metric(), f.label(), absl::StrCat(f.numerator()),
                             absl::StrCat(f.denominator()), ShowRate(f.has_rate(), f.rate())});
      s.rows.push_back(std::move(row));
    }
  }
  return s;
}

Section ScoresSection(const v1::MetricsReport& report) {
  Section s{"Assessment by " + EnumName(report.unit()), UnitZh(report.unit()) + "考核得分",
            {{"RANK", "名次"},
             {"UNIT", "单位"},
             {"NAME", "名称"},
             {"HEAD", "负责人"},
             {"SCORE", "得分"}},
            {},
            std::nullopt,
            std::nullopt};
  if (report.units_size() > 0) {
    for (const v1::MetricFigure& f : report.units(0).figures()) {
      s.columns.push_back({absl::AsciiStrToUpper(f.metric()), f.label()});
    }
  }
  BarChart chart{UnitZh(report.unit()) + "考核得分排名", {}, 100};
  for (const v1::UnitMetrics& u : report.units()) {
    std::vector<std::string> row = {u.rank() > 0 ? absl::StrCat(u.rank()) : "—", u.unit_id(),
                                    u.unit_name(), u.head_name(),
                                    Score(u.has_score(), u.score())};
    for (const v1::MetricFigure& f : u.figures()) {
      row.push_back(absl::StrCat(ShowRate(f.has_rate(), f.rate()), " (", f.numerator(), "/",
                                 f.denominator(), ")"));
    }
    s.rows.push_back(std::move(row));
    if (u.has_score()) {
      chart.bars.emplace_back(u.unit_name().empty() ? u.unit_id() : u.unit_name(), u.score());
    }
  }
  if (!chart.bars.empty() && report.unit() != v1::REPORT_UNIT_CITY) s.bars = std::move(chart);
  return s;
}

Section RankingSection(const v1::Ranking& r) {
  const bool assessment = r.by() == "assessment";
  Section s{absl::StrCat("Ranking of ", EnumName(r.unit()), " by ", r.by()),
            absl::StrCat(UnitZh(r.unit()), assessment ? "考核得分排名" : "检查得分排名"),
            {{"RANK", "名次"},
             {"UNIT", "单位"},
             {"NAME", "名称"},
             {"HEAD", "负责人"},
             {"VALUE", assessment ? "考核得分" : "检查得分"}},
            {},
            std::nullopt,
            std::nullopt};
  BarChart chart{s.title_zh, {}, 100};
  for (const v1::RankedUnit& u : r.units()) {
    s.rows.push_back({u.rank() > 0 ? absl::StrCat(u.rank()) : "—", u.unit_id(), u.unit_name(),
                      u.head_name(), Score(u.has_value(), u.value())});
    if (u.has_value()) {
      chart.bars.emplace_back(u.unit_name().empty() ? u.unit_id() : u.unit_name(), u.value());
      chart.max = std::max(chart.max, u.value());
    }
  }
  if (!chart.bars.empty()) s.bars = std::move(chart);
  return s;
}

Section ListSection(const std::string& en, const std::string& zh,
                    const google::protobuf::RepeatedPtrField<v1::RankedUnit>& units) {
  Section s{en, zh,
            {{"RANK", "名次"},
             {"COMMUNITY", "社区"},
             {"NAME", "名称"},
             {"HEAD", "责任主体负责人"},
             {"SCORE", "考核得分"}},
            {}, std::nullopt, std::nullopt};
  for (const v1::RankedUnit& u : units) {
    s.rows.push_back({absl::StrCat(u.rank()), u.unit_id(), u.unit_name(), u.head_name(),
                      Score(u.has_value(), u.value())});
  }
  return s;
}

std::string Svg(const std::string& body, int width, int height, const std::string& title) {
  return absl::StrCat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", width, "\" height=\"",
                      height, "\" viewBox=\"0 0 ", width, " ", height, "\" role=\"img\">",
                      "<title>", Html(title), "</title>", body, "</svg>");
}

constexpr char kCss[] = R"css(
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.6em;border-bottom:3px solid #c00;padding-bottom:.3em}
h2{font-size:1.2em;margin-top:1.6em;color:#900}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f4f4f4}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
dl.facts dt{font-weight:bold}
svg{display:block;margin:.5em 0}
.bar{fill:#c0392b}
.chart-label{font-size:12px}
)css";

}  // namespace

absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view text) {
  if (text == "table" || text.empty()) return ReportFormat::kTable;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "md" || text == "markdown") return ReportFormat::kMarkdown;
  if (text == "html") return ReportFormat::kHtml;
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not a report format; expected table, csv, md or html"));
}

std::string ShowRate(bool has_rate, double rate) {
  return has_rate ? absl::StrFormat("%.1f%%", rate * 100) : "—";
}

std::string BarChartSvg(const BarChart& chart) {
  constexpr int kLabel = 180, kBarMax = 420, kRow = 24;
  const int height = kRow * static_cast<int>(chart.bars.size()) + 10;
  std::string body;
  int y = 5;
  const double max = chart.max > 0 ? chart.max : 1;
  for (const auto& [label, value] : chart.bars) {
    const double w = std::max(0.0, std::min(value, max)) / max * kBarMax;
    absl::StrAppendFormat(
        &body,
        "<text class=\"chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
        "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" data-value=\"%.1f\">"
        "<title>%s: %.1f</title></rect>"
        "<text class=\"chart-label\" x=\"%.1f\" y=\"%d\">%.1f</text>",
        kLabel - 6, y + 15, Html(label), kLabel, y + 2, w, kRow - 6, value, Html(label), value,
        kLabel + w + 4, y + 15, value);
    y += kRow;
  }
  return Svg(body, kLabel + kBarMax + 60, height, chart.title);
}

std::string LineChartSvg(const LineChart& chart) {
  constexpr int kLeft = 40, kTop = 10, kWidth = 520, kHeight = 200, kLegend = 170;
  std::string body;
  // Axes and gridlines at 0, 25, 50, 75, 100%.
  for (int pct = 0; pct <= 100; pct += 25) {
    const double y = kTop + kHeight - kHeight * pct / 100.0;
    absl::StrAppendFormat(&body,
                          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                          "<text class=\"chart-label\" x=\"%d\" y=\"%.1f\" "
                          "text-anchor=\"end\">%d%%</text>",
                          kLeft, y, kLeft + kWidth, y, kLeft - 4, y + 4, pct);
  }
  const size_t n = chart.x.size();
  auto x_of = [&](size_t i) {
    return n <= 1 ? kLeft + kWidth / 2.0 : kLeft + kWidth * static_cast<double>(i) / (n - 1);
  };
  for (size_t i = 0; i < n; ++i) {
    absl::StrAppendFormat(&body,
                          "<text class=\"chart-label\" x=\"%.1f\" y=\"%d\" "
                          "text-anchor=\"middle\">%s</text>",
                          x_of(i), kTop + kHeight + 16, Html(chart.x[i]));
  }
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const auto& [label, values] = chart.series[s];
    const char* colour = kPalette[s % (sizeof(kPalette) / sizeof(kPalette[0]))];
    std::vector<std::string> points;
    for (size_t i = 0; i < values.size() && i < n; ++i) {
      if (!values[i].has_value()) continue;
      const double y = kTop + kHeight - kHeight * std::min(100.0, std::max(0.0, *values[i])) / 100;
      points.push_back(absl::StrFormat("%.1f,%.1f", x_of(i), y));
      absl::StrAppendFormat(&body, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x_of(i),
                            y, colour);
    }
    absl::StrAppendFormat(&body,
                          "<polyline class=\"line\" data-series=\"%s\" fill=\"none\" "
                          "stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
                          Html(label), colour, absl::StrJoin(points, " "));
    const int ly = kTop + 12 + 18 * static_cast<int>(s);
    absl::StrAppendFormat(&body,
                          "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                          "<text class=\"chart-label\" x=\"%d\" y=\"%d\">%s</text>",
                          kLeft + kWidth + 20, ly - 10, colour, kLeft + kWidth + 36, ly,
                          Html(label));
  }
  const int legend_height = kTop + 18 * static_cast<int>(chart.series.size()) + 10;
  return Svg(body, kLeft + kWidth + kLegend, std::max(kTop + kHeight + 26, legend_height),
             chart.title);
}

Document MetricsDocument(const v1::MetricsReport& report, const Display& display) {
  Document doc;
  doc.title_en = absl::StrCat("Metrics by ", EnumName(report.unit()), ", ", report.from(), " to ",
                              report.to());
  doc.title_zh = absl::StrCat(UnitZh(report.unit()), "考核指标 ", report.from(), " 至 ",
                              report.to());
  doc.facts = {{"整治方案", report.campaign_id()},
               {"统计截至", ShowTime(report.as_of_time(), display)},
               {"挂账任务不计入结案分母", report.suspended_leave_denominator() ? "是" : "否"},
               {"及时签收时限(小时)", absl::StrCat(report.timely_ack_hours())}};
  doc.sections.push_back(ScoresSection(report));
  doc.sections.push_back(FiguresSection("Figures", "各项指标分子分母", report.units(), true));
  return doc;
}

Document WeeklyDocument(const v1::WeeklySummary& summary) {
  Document doc;
  doc.title_en = absl::StrCat("Weekly inspection summary, week of ", summary.week_start());
  doc.title_zh = absl::StrCat("周检查通报（", summary.week_start(), " 起一周）");
  doc.facts = {{"整治方案", summary.campaign_id()},
               {"本周", absl::StrCat(summary.week_start(), " 至 ", summary.week_end())}};
  Section s{"Communities",
            "各社区最新得分及较上周变化",
            {{"COMMUNITY", "社区"},
             {"NAME", "名称"},
             {"STREET OFFICE", "街道"},
             {"SCORE", "本周得分"},
             {"PREVIOUS", "上周得分"},
             {"CHANGE", "变化"}},
            {},
            std::nullopt,
            std::nullopt};
  BarChart chart{"本周社区检查得分", {}, 100};
  for (const v1::CommunityWeek& c : summary.communities()) {
    std::string change = "—";
    if (c.inspected() && c.has_previous()) {
      change = c.change() > 0 ? absl::StrCat("+", c.change()) : absl::StrCat(c.change());
    }
    s.rows.push_back({c.community_id(), c.community_name(), c.street_office_id(),
                      c.inspected() ? absl::StrCat(c.score(), "/", c.max_score()) : "未检查",
                      c.has_previous() ? absl::StrCat(c.previous_score()) : "—", change});
    if (c.inspected()) {
      chart.bars.emplace_back(c.community_name(), c.score());
      chart.max = std::max<double>(chart.max, c.max_score());
    }
  }
  if (!chart.bars.empty()) s.bars = std::move(chart);
  doc.sections.push_back(std::move(s));
  return doc;
}

Document BulletinDocument(const v1::MonthlyBulletin& b, const Display& display) {
  Document doc;
  doc.title_en = absl::StrCat("Monthly bulletin ", b.month(), ": ", b.campaign_name());
  doc.title_zh = absl::StrCat(b.campaign_name(), " ", b.month(), " 月通报");
  doc.facts = {{"整治方案", absl::StrCat(b.campaign_name(), "（", b.campaign_id(), "）")},
               {"统计期间", absl::StrCat(b.from(), " 至 ", b.to())},
               {"统计截至", ShowTime(b.as_of_time(), display)},
               {"红黑榜名额", absl::StrCat(b.list_size())},
               {"本月罚款合计", ShowMoney(b.penalty_fines_fen(), display)}};

  Section city = FiguresSection("City-wide figures", "全市指标", b.city().units(), false);
  LineChart trend{"全市各项指标逐月变化", {}, {}};
  std::map<std::string, size_t> series_of;
  for (const v1::MonthPoint& p : b.trend()) trend.x.push_back(p.month());
  for (size_t i = 0; i < static_cast<size_t>(b.trend_size()); ++i) {
    for (const v1::MetricFigure& f : b.trend(static_cast<int>(i)).figures()) {
      auto [it, added] = series_of.emplace(f.label(), trend.series.size());
      if (added) {
        trend.series.push_back({f.label(), std::vector<std::optional<double>>(trend.x.size())});
      }
      if (f.has_rate()) trend.series[it->second].second[i] = f.rate() * 100;
    }
  }
  if (!trend.x.empty()) city.lines = std::move(trend);
  doc.sections.push_back(std::move(city));

  for (const v1::Ranking& r : b.rankings()) doc.sections.push_back(RankingSection(r));
  doc.sections.push_back(ListSection("Red list (communities, best)", "红榜（考核得分前列社区）",
                                     b.red_list()));
  doc.sections.push_back(ListSection("Black list (communities, worst)",
                                     "黑榜（考核得分末位社区）", b.black_list()));
  Section budget{"Budget by payer",
                 "经费：计划与实际支出（按承担方）",
                 {{"PAYER", "承担方"},
                  {"TASKS", "任务数"},
                  {"PLANNED", "计划"},
                  {"SPENT", "实际支出"},
                  {"SPENT/PLANNED", "执行率"}},
                 {},
                 std::nullopt,
                 std::nullopt};
  for (const v1::PayerBudgetLine& l : b.budget()) {
    budget.rows.push_back({absl::StrCat(PayerZh(l.payer()), " ", EnumName(l.payer())),
                           absl::StrCat(l.tasks()), ShowMoney(l.planned_fen(), display),
                           ShowMoney(l.spent_fen(), display),
                           ShowRate(l.planned_fen() > 0,
                                    l.planned_fen() > 0 ? static_cast<double>(l.spent_fen()) /
                                                              static_cast<double>(l.planned_fen())
                                                        : 0)});
  }
  doc.sections.push_back(std::move(budget));
  Section penalties{"Penalties issued",
                    "本月追责处理",
                    {{"ID", "编号"},
                     {"ORG", "被追责单位"},
                     {"KIND", "方式"},
                     {"AMOUNT", "金额"},
                     {"REASON", "事由"},
                     {"ISSUED", "决定时间"}},
                    {},
                    std::nullopt,
                    std::nullopt};
  for (const v1::PenaltyLine& p : b.penalties()) {
    penalties.rows.push_back({p.penalty_id(), p.org_id(), EnumName(p.kind()),
                              p.amount_fen() > 0 ? ShowMoney(p.amount_fen(), display) : "",
                              p.reason(), ShowTime(p.decide_time(), display)});
  }
  doc.sections.push_back(std::move(penalties));
  return doc;
}

Document TasksDocument(const std::string& title_en, const std::string& title_zh,
                       const google::protobuf::RepeatedPtrField<v1::Task>& tasks, int64_t total,
                       absl::Time now, const Display& display) {
  Document doc;
  doc.title_en = title_en;
  doc.title_zh = title_zh;
  doc.facts = {{"合计", absl::StrCat(total)}};
  Section s{"Tasks", "任务清单",
            {{"ID", "编号"},
             {"STATE", "状态"},
             {"DAYS OVERDUE", "超期天数"},
             {"CATEGORY", "类别"},
             {"TITLE", "问题"},
             {"COMMUNITY", "社区"},
             {"RESPONSIBLE", "责任主体"},
             {"DEADLINE", "期限"}},
            {}, std::nullopt, std::nullopt};
  for (const v1::Task& t : tasks) {
    std::string days;
    if (t.overdue() && t.has_deadline()) {
      const absl::Time deadline = absl::FromUnixSeconds(t.deadline().seconds());
      days = absl::StrCat(static_cast<int64_t>(absl::ToDoubleHours(now - deadline) / 24));
    }
    s.rows.push_back({t.id(), EnumName(t.state()), days, t.category(), t.title(),
                      t.community_id(), t.responsible_org_id(),
                      t.has_deadline() ? ShowTime(t.deadline(), display) : ""});
  }
  doc.sections.push_back(std::move(s));
  return doc;
}

std::string RenderDocument(const Document& doc, ReportFormat format) {
  std::string out;
  switch (format) {
    case ReportFormat::kTable:
      absl::StrAppend(&out, doc.title_zh, "  (", doc.title_en, ")\n");
      for (const auto& [k, v] : doc.facts) absl::StrAppend(&out, k, ": ", v, "\n");
      for (const Section& s : doc.sections) {
        absl::StrAppend(&out, "\n== ", s.title_zh, " (", s.title_en, ")\n",
                        s.rows.empty() ? "(none)\n" : RenderTable(ToTable(s)));
      }
      return out;
    case ReportFormat::kCsv:
      // Sections one after another, each under a title row, a blank line
      // between; CRLF throughout, as RenderCsv (RFC 4180).
      for (const Section& s : doc.sections) {
        if (!out.empty()) out += "\r\n";
        absl::StrAppend(&out, CsvField(s.title_en), "\r\n", RenderCsv(ToTable(s)));
      }
      return out;
    case ReportFormat::kMarkdown:
      absl::StrAppend(&out, "# ", doc.title_zh, "\n\n");
      for (const auto& [k, v] : doc.facts) absl::StrAppend(&out, "- **", k, "**: ", v, "\n");
      for (const Section& s : doc.sections) {
        absl::StrAppend(&out, "\n## ", s.title_zh, "\n\n");
        if (s.rows.empty()) {
          out += "（无）\n";
          continue;
        }
        std::vector<std::string> header, rule;
        for (const Column& c : s.columns) {
          header.push_back(MdCell(c.zh));
          rule.push_back("---");
        }
        absl::StrAppend(&out, "| ", absl::StrJoin(header, " | "), " |\n| ",
                        absl::StrJoin(rule, " | "), " |\n");
        for (const auto& row : s.rows) {
          std::vector<std::string> cells;
          for (const std::string& cell : row) cells.push_back(MdCell(cell));
          absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
        }
      }
      return out;
    case ReportFormat::kHtml: {
      absl::StrAppend(&out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
                      "<title>", Html(doc.title_zh), "</title>\n<style>", kCss,
                      "</style>\n</head>\n<body>\n<h1>", Html(doc.title_zh), "</h1>\n");
      out += "<dl class=\"facts\">";
      for (const auto& [k, v] : doc.facts) {
        absl::StrAppend(&out, "<dt>", Html(k), "</dt><dd>", Html(v), "</dd>");
      }
      out += "</dl>\n";
      for (const Section& s : doc.sections) {
        absl::StrAppend(&out, "<section>\n<h2>", Html(s.title_zh), "</h2>\n");
        if (s.lines.has_value()) absl::StrAppend(&out, LineChartSvg(*s.lines), "\n");
        if (s.bars.has_value()) absl::StrAppend(&out, BarChartSvg(*s.bars), "\n");
        if (s.rows.empty()) {
          out += "<p>（无）</p>\n</section>\n";
          continue;
        }
        out += "<table>\n<thead><tr>";
        for (const Column& c : s.columns) absl::StrAppend(&out, "<th>", Html(c.zh), "</th>");
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : s.rows) {
          out += "<tr>";
          for (const std::string& cell : row) absl::StrAppend(&out, "<td>", Html(cell), "</td>");
          out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n</section>\n";
      }
      out += "</body>\n</html>\n";
      return out;
    }
  }
  return out;
}

}  // namespace rectify::client::cli
