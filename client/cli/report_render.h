// The supervisors' reports as documents people use: the report messages of
// ReportService become a Document (titled sections, each a table with
// English and Chinese column labels, some with a chart), which renders as a
// terminal table, CSV for a spreadsheet, Markdown, or one self-contained HTML
// page (inline CSS and SVG: bars for rankings, lines for rates over the
// months; no scripts, no links; Chinese labels). Pure: no I/O, no client.
//
//   Document doc = BulletinDocument(bulletin, display);
//   std::string page = RenderDocument(doc, ReportFormat::kHtml);
#ifndef RECTIFY_CLIENT_CLI_REPORT_RENDER_H_
#define RECTIFY_CLIENT_CLI_REPORT_RENDER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli/render.h"
#include "rectify/v1/report_service.pb.h"
#include "rectify/v1/resources.pb.h"

namespace rectify::client::cli {

enum class ReportFormat { kTable, kCsv, kMarkdown, kHtml };
// "table", "csv", "md" (or "markdown"), "html"; kInvalidArgument otherwise.
absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view text);

struct Column {
  std::string en;  // table and CSV
  std::string zh;  // Markdown and HTML
};

struct BarChart {
  std::string title;                                 // Chinese
  std::vector<std::pair<std::string, double>> bars;  // label, value in 0..max
  double max = 100;
};

struct LineChart {
  std::string title;
  std::vector<std::string> x;  // e.g. months
  // One line per series: its label and a value (0..100) per x, nullopt for a gap.
  std::vector<std::pair<std::string, std::vector<std::optional<double>>>> series;
};

struct Section {
  std::string title_en, title_zh;
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
  std::optional<BarChart> bars;
  std::optional<LineChart> lines;
};

struct Document {
  std::string title_en, title_zh;
  std::vector<std::pair<std::string, std::string>> facts;  // (Chinese label, value) lines
  std::vector<Section> sections;
};

Document MetricsDocument(const v1::MetricsReport& report, const Display& display);
Document WeeklyDocument(const v1::WeeklySummary& summary);
Document BulletinDocument(const v1::MonthlyBulletin& bulletin, const Display& display);
// Overdue/due-soon tasks and drill-down lists; `now` gives days overdue.
Document TasksDocument(const std::string& title_en, const std::string& title_zh,
                       const google::protobuf::RepeatedPtrField<v1::Task>& tasks, int64_t total,
                       absl::Time now, const Display& display);

std::string RenderDocument(const Document& doc, ReportFormat format);

// A rate 0..1 as "87.5%"; "—" when there is none.
std::string ShowRate(bool has_rate, double rate);
// "SVG" of a bar chart / line chart, as the HTML embeds it; exposed for tests.
std::string BarChartSvg(const BarChart& chart);
std::string LineChartSvg(const LineChart& chart);

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_REPORT_RENDER_H_
