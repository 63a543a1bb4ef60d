// Sample data for the CLI's tests: a piece of the shipped scoring standard, a
// scored re-inspection against it and a readiness answer, shared by the
// rendering tests and the end-to-end ones through the fake server.
#ifndef RECTIFY_TESTS_CLIENT_SHEET_SAMPLES_H_
#define RECTIFY_TESTS_CLIENT_SHEET_SAMPLES_H_

#include <algorithm>
#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "rectify/v1/resources.pb.h"

namespace rectify::test {

inline v1::DeductionRule* AddRule(v1::StandardItem* item, const std::string& id, v1::RuleKind kind,
                                  int points, const std::string& text) {
  v1::DeductionRule* rule = item->add_rules();
  rule->set_id(id);
  rule->set_kind(kind);
  rule->set_points(points);
  rule->set_text(text);
  return rule;
}

inline v1::StandardItem* AddItem(v1::StandardCategory* category, const std::string& id,
                                 const std::string& text) {
  v1::StandardItem* item = category->add_items();
  item->set_id(id);
  item->set_text(text);
  return item;
}

inline v1::StandardCategory* AddCategory(v1::Standard* standard, const std::string& id,
                                         const std::string& name) {
  v1::StandardCategory* category = standard->add_categories();
  category->set_id(id);
  category->set_name(name);
  category->set_points(20);
  category->set_responsible("各街道办事处");
  return category;
}

// A piece of the shipped standard: three categories, a rule of each kind
// that has a parameter.
inline v1::Standard SampleStandard() {
  v1::Standard s;
  s.set_id("civilized-residential");
  s.set_version("2024.1");
  s.set_name("住宅小区全国文明城市创建标准");
  s.set_total(100);
  s.set_max_score(60);
  v1::StandardCategory* publicity = AddCategory(&s, "publicity", "查宣传氛围");
  v1::StandardItem* i11 = AddItem(publicity, "1.1", "小区内随机步行200米，能看到8处公益广告；");
  AddRule(i11, "1.1a", v1::RULE_KIND_MISSING_UNITS, 1, "每少1处扣1分")->set_expect(8);
  AddRule(i11, "1.1b", v1::RULE_KIND_ABSENT, 1, "无垃圾分类公益广告扣1分");
  v1::StandardItem* i15 = AddItem(publicity, "1.5", "设置健康教育栏，每两月更新一期。");
  AddRule(i15, "1.5b", v1::RULE_KIND_NOT_UPDATED, 1, "内容未及时更新扣1分")->set_every("2m");
  v1::StandardCategory* sanitation = AddCategory(&s, "sanitation", "查环境卫生");
  v1::StandardItem* i21 = AddItem(sanitation, "2.1", "卫生状况良好；");
  AddRule(i21, "2.1a", v1::RULE_KIND_PER_SQUARE_METRE, 1, "以1平方米为单位，每处扣1分")->set_cap(5);
  v1::StandardItem* i22 = AddItem(sanitation, "2.2", "垃圾房、箱（桶）完好、整洁；");
  AddRule(i22, "2.2b", v1::RULE_KIND_PER_OCCURRENCE, 2, "垃圾箱满溢每个扣2分");
  v1::StandardCategory* order = AddCategory(&s, "order", "查环境秩序");
  v1::StandardItem* i32 = AddItem(order, "3.2", "无乱停车；");
  AddRule(i32, "3.2a", v1::RULE_KIND_PER_OCCURRENCE, 1, "不符合要求每例扣1分");
  return s;
}

inline v1::Deduction* AddDeduction(v1::Inspection* i, const std::string& rule, int count,
                                   int points, const std::string& category) {
  v1::Deduction* d = i->add_deductions();
  d->set_rule_id(rule);
  d->set_count(count);
  d->set_points(points);
  d->set_category_id(category);
  return d;
}

inline void AddScore(v1::Inspection* i, const std::string& id, const std::string& name,
                     int deducted) {
  v1::CategoryScore* c = i->add_categories();
  c->set_category_id(id);
  c->set_name(name);
  c->set_points(20);
  c->set_deducted(deducted);
  c->set_score(std::max(0, 20 - deducted));
}

// A re-inspection: a task opened, a capped rule, a deduction the server did
// not place (no category_id), one category untouched.
inline v1::Inspection SampleInspection() {
  v1::Inspection i;
  i.set_id("I-4");
  i.set_campaign_id("demo");
  i.set_community_id("cm-xingfu");
  i.set_kind(v1::INSPECTION_KIND_WEEKLY);
  i.set_date("2024-05-06");
  i.set_inspector_id("wang-jianguo");
  i.set_standard_id("civilized-residential");
  i.set_standard_version("2024.1");
  i.set_note("第二周复查");
  v1::Deduction* bins = AddDeduction(&i, "2.2b", 2, 4, "sanitation");
  bins->set_task_id("T-12");
  bins->set_note("3号楼东侧");
  AddDeduction(&i, "3.2a", 1, 1, "");
  AddDeduction(&i, "2.1a", 12, 5, "sanitation")->set_note("北门");
  AddScore(&i, "publicity", "查宣传氛围", 0);
  AddScore(&i, "sanitation", "查环境卫生", 9);
  AddScore(&i, "order", "查环境秩序", 1);
  i.set_total(50);
  i.set_max_score(60);
  i.set_previous_inspection_id("I-3");
  i.set_previous_total(55);
  i.add_cleared_rule_ids("1.1b");
  i.add_persisting_rule_ids("3.2a");
  i.add_new_rule_ids("2.2b");
  i.add_new_rule_ids("2.1a");
  return i;
}

inline google::protobuf::RepeatedPtrField<v1::CommunityReadiness> SampleReadiness() {
  google::protobuf::RepeatedPtrField<v1::CommunityReadiness> all;
  v1::CommunityReadiness* xingfu = all.Add();
  xingfu->set_community_id("cm-xingfu");
  xingfu->set_community_name("幸福小区");
  xingfu->set_open_tasks(2);
  xingfu->set_overdue_tasks(1);
  xingfu->set_last_inspection_id("I-8");
  xingfu->set_last_score(59);
  xingfu->set_max_score(60);
  xingfu->set_target_score(54);
  xingfu->add_reasons("open tasks: 2 (1 overdue)");
  xingfu->add_reasons("deductions not cleared: 3.2a");
  v1::CommunityReadiness* talimu = all.Add();
  talimu->set_community_id("cm-talimu");
  talimu->set_community_name("塔里木小区");
  talimu->set_target_score(54);
  talimu->add_reasons("never inspected");
  v1::CommunityReadiness* huyang = all.Add();
  huyang->set_community_id("cm-huyang");
  huyang->set_community_name("胡杨小区");
  huyang->set_ready(true);
  huyang->set_last_inspection_id("I-5");
  huyang->set_last_score(60);
  huyang->set_max_score(60);
  huyang->set_target_score(54);
  return all;
}

// SampleInspection as the CLI prints it, with SampleStandard's texts.
inline std::string RenderedSampleSheet() {
  return "inspection:  I-4\n"
         "community:   cm-xingfu\n"
         "kind:        weekly\n"
         "date:        2024-05-06\n"
         "inspector:   wang-jianguo\n"
         "standard:    civilized-residential@2024.1\n"
         "note:        第二周复查\n"
         "\n"
         "查宣传氛围  20/20\n"
         "查环境卫生  11/20  (−9)\n"
         "  2.2b  垃圾箱满溢每个扣2分          ×2  −4  task T-12  3号楼东侧\n"
         "  2.1a  以1平方米为单位，每处扣1分  ×12  −5             北门\n"
         "查环境秩序  19/20  (−1)\n"
         "  3.2a  不符合要求每例扣1分          ×1  −1\n"
         "\n"
         "total 50 / 60\n"
         "previous: I-3 (55) → now 50; cleared: 1.1b; persisting: 3.2a; new: 2.2b, 2.1a\n";
}

// SampleStandard as the CLI prints it.
inline std::string RenderedSampleStandard() {
  return "civilized-residential@2024.1  住宅小区全国文明城市创建标准\n"
         "full marks 100; the categories loaded add up to 60\n"
         "\n"
         "查宣传氛围 (publicity)  20 points  responsible: 各街道办事处\n"
         "  1.1  小区内随机步行200米，能看到8处公益广告；\n"
         "    1.1a  missing_units     −1  expect=8  每少1处扣1分\n"
         "    1.1b  absent            −1            无垃圾分类公益广告扣1分\n"
         "  1.5  设置健康教育栏，每两月更新一期。\n"
         "    1.5b  not_updated       −1  every=2m  内容未及时更新扣1分\n"
         "\n"
         "查环境卫生 (sanitation)  20 points  responsible: 各街道办事处\n"
         "  2.1  卫生状况良好；\n"
         "    2.1a  per_square_metre  −1  cap=5     以1平方米为单位，每处扣1分\n"
         "  2.2  垃圾房、箱（桶）完好、整洁；\n"
         "    2.2b  per_occurrence    −2            垃圾箱满溢每个扣2分\n"
         "\n"
         "查环境秩序 (order)  20 points  responsible: 各街道办事处\n"
         "  3.2  无乱停车；\n"
         "    3.2a  per_occurrence    −1            不符合要求每例扣1分\n";
}

}  // namespace rectify::test

#endif  // RECTIFY_TESTS_CLIENT_SHEET_SAMPLES_H_
