// Tests for client/cli/report_render.h: formats, escaping, the charts' SVG,
// and a bulletin rendered in each format.
#include "client/cli/report_render.h"

#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Display Shanghai() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz));
  return Display{tz, false};
}

v1::MonthlyBulletin SmallBulletin() {
  v1::MonthlyBulletin b;
  b.set_campaign_id("c1");
  b.set_campaign_name("整治<演示>");
  b.set_month("2024-05");
  b.set_list_size(1);
  v1::Ranking* r = b.add_rankings();
  r->set_unit(v1::REPORT_UNIT_COMMUNITY);
  r->set_by("assessment");
  for (auto [id, value] : {std::pair<const char*, double>{"cm-1", 65}, {"cm-2", 47.5}}) {
    v1::RankedUnit* u = r->add_units();
    u->set_unit_id(id);
    u->set_rank(r->units_size());
    u->set_unit_name(std::string(id) + "|名");
    u->set_has_value(true);
    u->set_value(value);
  }
  r->add_units()->set_unit_id("cm-3");  // no figure: no bar
  *b.add_red_list() = r->units(0);
  for (const char* month : {"2024-04", "2024-05"}) {
    v1::MonthPoint* p = b.add_trend();
    p->set_month(month);
    v1::MetricFigure* f = p->add_figures();
    f->set_metric("disposal");
    f->set_label("处置率");
    f->set_numerator(1);
    f->set_denominator(2);
    f->set_has_rate(true);
    f->set_rate(0.5);
  }
  return b;
}

TEST(ReportFormatTest, KnownFormatsParseAndOthersNameTheChoices) {
  EXPECT_EQ(*ParseReportFormat("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(*ParseReportFormat("html"), ReportFormat::kHtml);
  EXPECT_THAT(ParseReportFormat("pdf").status().message(), HasSubstr("table, csv, md or html"));
  EXPECT_EQ(ShowRate(true, 0.875), "87.5%");
  EXPECT_EQ(ShowRate(false, 0), "—");
}

TEST(ReportRenderTest, TheHtmlPageIsSelfContainedEscapedAndDrawsOneBarPerScoredUnit) {
  const std::string html = RenderDocument(BulletinDocument(SmallBulletin(), Shanghai()),
                                          ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("整治&lt;演示&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
  EXPECT_EQ(Count(html, "class=\"bar\""), 2);
  EXPECT_EQ(Count(html, "class=\"line\""), 1);
  EXPECT_THAT(html, HasSubstr("红榜"));
  EXPECT_THAT(html, HasSubstr("社区考核得分排名"));
}

TEST(ReportRenderTest, BarsAreScaledToTheMaximumAndClamped) {
  BarChart chart{"t", {{"a", 50}, {"b", 150}, {"c", -3}}, 100};
  const std::string svg = BarChartSvg(chart);
  EXPECT_THAT(svg, HasSubstr("width=\"210.0\""));  // half of 420
  EXPECT_THAT(svg, HasSubstr("width=\"420.0\""));  // clamped at the maximum
  EXPECT_THAT(svg, HasSubstr("width=\"0.0\""));
}

TEST(ReportRenderTest, MarkdownEscapesPipesAndCsvPutsEachSectionUnderItsTitle) {
  const Document doc = BulletinDocument(SmallBulletin(), Shanghai());
  const std::string md = RenderDocument(doc, ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("cm-1\\|名"));
  EXPECT_THAT(md, HasSubstr("## 红榜"));
  const std::string csv = RenderDocument(doc, ReportFormat::kCsv);
  EXPECT_THAT(csv, HasSubstr("\r\n\r\nBudget by payer\r\nPAYER,TASKS,PLANNED,SPENT,SPENT/PLANNED\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n1,cm-1,cm-1|名,,65.0\r\n2,cm-2,cm-2|名,,47.5\r\n"));
  EXPECT_THAT(csv, Not(HasSubstr("\n\n")));
}

}  // namespace
}  // namespace rectify::client::cli
