#include "server/bootstrap.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "server/auth.h"
#include "server/directory_commands.h"
#include "server/inspection_commands.h"
#include "server/volunteer_commands.h"

namespace rectify::server {
namespace {

using domain::OrgKind;
using domain::Role;

domain::Event SystemEvent(std::string type, std::string subject, absl::Time now) {
  domain::Event event;
  event.type = std::move(type);
  event.subject = std::move(subject);
  event.actor_person_id = "system";
  event.time = now;
  return event;
}

absl::Status PutTokenFor(storage::WriteTx& tx, const std::string& person_id,
                         const std::string& secret, const std::string& label, absl::Time now) {
  storage::TokenRecord token;
  token.token_hash = HashToken(secret);
  token.person_id = person_id;
  token.label = label;
  token.create_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.PutToken(token));
  domain::Event event = SystemEvent("token.issued", absl::StrCat("people/", person_id), now);
  event.details = {{"label", label}};
  return tx.AppendEvent(event);
}

// Creates the organisation unless it exists.
absl::Status EnsureOrg(storage::WriteTx& tx, const std::string& id, OrgKind kind,
                       const std::string& name, absl::Time now) {
  if (tx.GetOrganisation(id).ok()) return absl::OkStatus();
  domain::Organisation org;
  org.id = id;
  org.kind = kind;
  org.name = name;
  org.create_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.CreateOrganisation(org));
  domain::Event event = SystemEvent("organisation.created", absl::StrCat("organisations/", id), now);
  return tx.AppendEvent(event);
}

absl::Status EnsurePerson(storage::WriteTx& tx, const std::string& id, const std::string& org_id,
                          Role role, const std::string& name, absl::Time now) {
  if (tx.GetPerson(id).ok()) return absl::OkStatus();
  domain::Person person;
  person.id = id;
  person.name = name;
  person.organisation_id = org_id;
  person.role = role;
  person.create_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.CreatePerson(person));
  domain::Event event = SystemEvent("person.created", absl::StrCat("people/", id), now);
  return tx.AppendEvent(event);
}

}  // namespace

absl::StatusOr<std::optional<std::string>> BootstrapAdmin(storage::Store& store,
                                                          const Clock& clock) {
  std::optional<std::string> secret;
  RECTIFY_RETURN_IF_ERROR(store.Write([&](storage::WriteTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(int64_t tokens, tx.CountTokens());
    if (tokens > 0) return absl::OkStatus();
    const absl::Time now = clock.Now();
    RECTIFY_RETURN_IF_ERROR(EnsureOrg(tx, "city", OrgKind::kCityOffice, "创城办", now));
    RECTIFY_RETURN_IF_ERROR(EnsurePerson(tx, "admin", "city", Role::kAdmin, "管理员", now));
    secret = NewTokenSecret();
    return PutTokenFor(tx, "admin", *secret, "bootstrap admin token", now);
  }));
  return secret;
}

namespace {

// 09:00 in China, three weeks before `now`: the demo's story starts then.
absl::Time StoryStart(absl::Time now) {
  const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
  const absl::CivilDay day = absl::ToCivilDay(now, china) - 21;
  return absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 9), china);
}

// Builds the demo city through the same commands the API uses, on a clock of
// its own that walks from three weeks ago to today, so every task's history
// and deadline is what it would be had it happened.
class DemoBuilder {
 public:
  DemoBuilder(storage::Store& store, const Clock& real_clock, const Rules& rules)
      : store_(store),
        clock_(StoryStart(real_clock.Now())),
        end_(real_clock.Now()),
        tasks_(clock_, rules),
        inspections_(clock_, rules, tasks_),
        directory_(clock_, "Asia/Shanghai", rules.standards),
        volunteers_(clock_, tasks_) {}

  absl::Status Build();

 private:
  absl::StatusOr<Principal> As(const std::string& person_id) {
    Principal who;
    RECTIFY_RETURN_IF_ERROR(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
      RECTIFY_ASSIGN_OR_RETURN(who.person, tx.GetPerson(person_id));
      RECTIFY_ASSIGN_OR_RETURN(who.organisation, tx.GetOrganisation(who.person.organisation_id));
      return absl::OkStatus();
    }));
    return who;
  }
  absl::Status Write(const std::function<absl::Status(storage::WriteTx&)>& fn) {
    return store_.Write(fn);
  }
  absl::Status Org(const Principal& admin, std::string id, OrgKind kind, std::string name,
                   std::string street_office = "");
  absl::Status Person(const Principal& admin, std::string id, std::string org, Role role,
                      std::string name, bool head);
  absl::Status Community(const Principal& admin, std::string id, std::string name,
                         std::string office, std::string company, std::string committee);
  // Opens a task as `who` and returns its id.
  absl::StatusOr<std::string> Open(const std::string& who, std::string community,
                                   std::string category, std::string title, std::string item,
                                   domain::TaskSource source, int64_t planned_fen);
  // Runs one transition as `who`, `hours` after the previous step.
  absl::Status Step(double hours, const std::string& who, const std::string& task_id,
                    const std::function<absl::StatusOr<TaskChange>(
                        storage::WriteTx&, const Principal&, const TaskRef&)>& op);
  absl::Status Dispatch(double hours, const std::string& task_id, const std::string& by,
                        const std::string& org) {
    return Step(hours, by, task_id, [&](storage::WriteTx& tx, const Principal& p, const TaskRef& r) {
      return tasks_.Dispatch(tx, p, r, org, "", std::nullopt, "请按期整改");
    });
  }
  absl::Status Submit(double hours, const std::string& task_id, const std::string& by,
                      int64_t actual_fen) {
    domain::SubmitArgs args;
    args.evidence.push_back(
        {absl::StrCat("demo://photos/", task_id, "-after.jpg"),
         "9f2c1d6b7a8e4f3c2b1a0d9e8f7c6b5a4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a", "整改后照片", "",
         absl::InfinitePast()});
    args.actual_fen = actual_fen;
    return Step(hours, by, task_id, [&](storage::WriteTx& tx, const Principal& p, const TaskRef& r) {
      return tasks_.Submit(tx, p, r, args);
    });
  }

  storage::Store& store_;
  FakeClock clock_;
  absl::Time end_;
  TaskCommands tasks_;
  InspectionCommands inspections_;
  DirectoryCommands directory_;
  VolunteerCommands volunteers_;
};

absl::Status DemoBuilder::Org(const Principal& admin, std::string id, OrgKind kind,
                              std::string name, std::string street_office) {
  return Write([&](storage::WriteTx& tx) -> absl::Status {
    domain::Organisation org;
    org.id = std::move(id);
    org.kind = kind;
    org.name = std::move(name);
    org.street_office_id = std::move(street_office);
    return directory_.CreateOrganisation(tx, admin, org).status();
  });
}

absl::Status DemoBuilder::Person(const Principal& admin, std::string id, std::string org,
                                 Role role, std::string name, bool head) {
  return Write([&](storage::WriteTx& tx) -> absl::Status {
    domain::Person person;
    person.id = id;
    person.name = std::move(name);
    person.organisation_id = org;
    person.role = role;
    person.phone = "1399970" + std::to_string(1000 + id.size() * 37 % 9000);
    RECTIFY_RETURN_IF_ERROR(directory_.CreatePerson(tx, admin, person).status());
    if (!head) return absl::OkStatus();
    domain::Organisation update;
    update.id = org;
    update.head_person_id = id;
    return directory_.UpdateOrganisation(tx, admin, update, "", {"head_person_id"}).status();
  });
}

absl::Status DemoBuilder::Community(const Principal& admin, std::string id, std::string name,
                                    std::string office, std::string company,
                                    std::string committee) {
  return Write([&](storage::WriteTx& tx) -> absl::Status {
    domain::Community c;
    c.id = std::move(id);
    c.name = name;
    c.address = absl::StrCat("阿拉尔市", name);
    c.street_office_id = std::move(office);
    c.property_company_id = std::move(company);
    c.owners_committee_id = std::move(committee);
    return directory_.CreateCommunity(tx, admin, c).status();
  });
}

absl::StatusOr<std::string> DemoBuilder::Open(const std::string& who, std::string community,
                                              std::string category, std::string title,
                                              std::string item, domain::TaskSource source,
                                              int64_t planned_fen) {
  RECTIFY_ASSIGN_OR_RETURN(Principal p, As(who));
  std::string id;
  RECTIFY_RETURN_IF_ERROR(Write([&](storage::WriteTx& tx) -> absl::Status {
    domain::Task draft;
    draft.campaign_id = "demo";
    draft.community_id = std::move(community);
    draft.category = std::move(category);
    draft.title = std::move(title);
    draft.standard_item = std::move(item);
    draft.source = source;
    draft.budget.planned_fen = planned_fen;
    RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tasks_.Create(tx, p, draft));
    id = task.id;
    return absl::OkStatus();
  }));
  return id;
}

absl::Status DemoBuilder::Step(double hours, const std::string& who, const std::string& task_id,
                               const std::function<absl::StatusOr<TaskChange>(
                                   storage::WriteTx&, const Principal&, const TaskRef&)>& op) {
  clock_.Advance(absl::Hours(hours));
  RECTIFY_ASSIGN_OR_RETURN(Principal p, As(who));
  return Write([&](storage::WriteTx& tx) -> absl::Status {
    return op(tx, p, TaskRef{task_id, ""}).status();
  });
}

absl::Status DemoBuilder::Build() {
  using TS = domain::TaskSource;
  // The directory.
  RECTIFY_RETURN_IF_ERROR(Write([&](storage::WriteTx& tx) -> absl::Status {
    const absl::Time now = clock_.Now();
    RECTIFY_RETURN_IF_ERROR(EnsureOrg(tx, "city", OrgKind::kCityOffice, "创城办", now));
    return EnsurePerson(tx, "demo-admin", "city", Role::kAdmin, "演示管理员", now);
  }));
  RECTIFY_ASSIGN_OR_RETURN(Principal admin, As("demo-admin"));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "sup", OrgKind::kSupervisionOffice, "城市管理局创建工作领导小组办公室"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "pmc", OrgKind::kPropertyCentre, "物管中心"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "eb", OrgKind::kEnforcementBureau, "执法局"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "san", OrgKind::kSanitationDepartment, "环卫处"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "so-xingfu", OrgKind::kStreetOffice, "幸福路街道办事处"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "so-jinyin", OrgKind::kStreetOffice, "金银川路街道办事处"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "so-qingsong", OrgKind::kStreetOffice, "青松路街道办事处"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "pc-tahe", OrgKind::kPropertyCompany, "塔河物业服务有限公司"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "pc-jinyuan", OrgKind::kPropertyCompany, "金苑物业管理有限公司"));
  RECTIFY_RETURN_IF_ERROR(Org(admin, "pc-huyang", OrgKind::kPropertyCompany, "胡杨物业服务有限公司"));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "oc-xingfu", OrgKind::kCommittee, "幸福小区业主委员会", "so-xingfu"));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "oc-tuanjie", OrgKind::kCommittee, "团结小区业主委员会", "so-xingfu"));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "oc-jinyin", OrgKind::kCommittee, "金银川小区业主委员会", "so-jinyin"));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "oc-qingsong", OrgKind::kCommittee, "青松小区业主委员会", "so-qingsong"));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "vt-xingfu", OrgKind::kVolunteerTeam, "幸福路街道志愿者服务队", "so-xingfu"));

  RECTIFY_RETURN_IF_ERROR(Person(admin, "wang-jianguo", "sup", Role::kSupervisor, "王建国", true));
  RECTIFY_RETURN_IF_ERROR(Person(admin, "he-li", "pmc", Role::kCentreStaff, "何丽", true));
  RECTIFY_RETURN_IF_ERROR(Person(admin, "ma-jun", "eb", Role::kEnforcementOfficer, "马军", true));
  RECTIFY_RETURN_IF_ERROR(Person(admin, "li-min", "so-xingfu", Role::kStreetOfficer, "李敏", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "zhao-lei", "so-jinyin", Role::kStreetOfficer, "赵磊", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "sun-hong", "so-qingsong", Role::kStreetOfficer, "孙红", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "zhang-wei", "pc-tahe", Role::kPropertyStaff, "张伟", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "liu-yang", "pc-tahe", Role::kPropertyStaff, "刘洋", false));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "chen-jing", "pc-jinyuan", Role::kPropertyStaff, "陈静", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "huang-tao", "pc-huyang", Role::kPropertyStaff, "黄涛", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "wu-fang", "oc-xingfu", Role::kCommitteeMember, "吴芳", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "zheng-qiang", "oc-tuanjie", Role::kCommitteeMember, "郑强", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "gao-yan", "oc-jinyin", Role::kCommitteeMember, "高艳", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "lin-hai", "oc-qingsong", Role::kCommitteeMember, "林海", true));
  RECTIFY_RETURN_IF_ERROR(
      Person(admin, "zhou-xue", "vt-xingfu", Role::kVolunteer, "周雪", true));
  RECTIFY_RETURN_IF_ERROR(
      Org(admin, "vt-jinyin", OrgKind::kVolunteerTeam, "金银川路街道志愿者服务队", "so-jinyin"));
  RECTIFY_RETURN_IF_ERROR(Person(admin, "qian-yu", "vt-jinyin", Role::kVolunteer, "钱宇", true));

  RECTIFY_RETURN_IF_ERROR(
      Community(admin, "cm-xingfu", "幸福小区", "so-xingfu", "pc-tahe", "oc-xingfu"));
  RECTIFY_RETURN_IF_ERROR(
      Community(admin, "cm-tuanjie", "团结小区", "so-xingfu", "pc-tahe", "oc-tuanjie"));
  RECTIFY_RETURN_IF_ERROR(
      Community(admin, "cm-jinyin", "金银川小区", "so-jinyin", "pc-jinyuan", "oc-jinyin"));
  RECTIFY_RETURN_IF_ERROR(
      Community(admin, "cm-talimu", "塔里木小区", "so-jinyin", "pc-jinyuan", ""));
  RECTIFY_RETURN_IF_ERROR(
      Community(admin, "cm-qingsong", "青松小区", "so-qingsong", "pc-huyang", "oc-qingsong"));
  RECTIFY_RETURN_IF_ERROR(Community(admin, "cm-huyang", "胡杨小区", "so-qingsong", "pc-huyang", ""));

  // The campaign: its phases surround today.
  RECTIFY_ASSIGN_OR_RETURN(Principal supervisor, As("wang-jianguo"));
  RECTIFY_RETURN_IF_ERROR(Write([&](storage::WriteTx& tx) -> absl::Status {
    const absl::TimeZone tz = absl::FixedTimeZone(8 * 3600);
    const absl::CivilDay today = absl::ToCivilDay(end_, tz);
    domain::Campaign c;
    c.id = "demo";
    c.name = absl::StrCat(today.year(), "年度老旧小区环境整治（演示）");
    c.city = "阿拉尔市";
    c.time_zone = "Asia/Shanghai";
    c.self_check_start = today - 60;
    c.rectification_start = today - 30;
    c.final_assault_start = today + 30;
    c.close_date = today + 61;
    c.max_extensions = 2;
    RECTIFY_ASSIGN_OR_RETURN(domain::Campaign created,
                             directory_.CreateCampaign(tx, supervisor, c));
    // The demo runs in the rectification phase.
    created.phase = domain::Phase::kRectification;
    return tx.SaveCampaign(created);
  }));

  // Each street office assigns its volunteers to a community (志愿者包片).
  auto assign = [&](const std::string& by, const std::string& volunteer,
                    const std::string& community) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(Principal p, As(by));
    return Write([&](storage::WriteTx& tx) -> absl::Status {
      return volunteers_.Assign(tx, p, "demo", volunteer, community).status();
    });
  };
  RECTIFY_RETURN_IF_ERROR(assign("li-min", "zhou-xue", "cm-xingfu"));
  RECTIFY_RETURN_IF_ERROR(assign("zhao-lei", "qian-yu", "cm-jinyin"));

  // The supervising office's weekly inspection (周检查) of three communities;
  // the problems it found are among the tasks below.
  auto inspect = [&](const std::string& community,
                     std::vector<std::pair<std::string, int>> deductions) -> absl::Status {
    return Write([&](storage::WriteTx& tx) -> absl::Status {
      domain::Inspection draft;
      draft.campaign_id = "demo";
      draft.community_id = community;
      draft.kind = domain::InspectionKind::kWeekly;
      for (const auto& [rule, count] : deductions) {
        domain::Deduction d;
        d.rule_id = rule;
        d.count = count;
        draft.deductions.push_back(d);
      }
      return inspections_.Record(tx, supervisor, draft).status();
    });
  };
  RECTIFY_RETURN_IF_ERROR(inspect("cm-xingfu", {{"2.2b", 2}, {"1.1b", 1}, {"3.2a", 1}}));
  RECTIFY_RETURN_IF_ERROR(inspect("cm-tuanjie", {{"3.4a", 1}, {"2.3a", 3}, {"2.4a", 1}}));
  RECTIFY_RETURN_IF_ERROR(inspect("cm-qingsong", {{"2.1c", 2}, {"3.1a", 1}}));
  RECTIFY_RETURN_IF_ERROR(inspect("cm-jinyin", {{"1.2b", 1}}));
  RECTIFY_RETURN_IF_ERROR(inspect("cm-huyang", {{"1.5a", 1}, {"2.2a", 2}}));

  // Tasks, in every state. Each step's hours are the time since the previous
  // step; the whole story ends before today.
  using Ref = const TaskRef&;
  using Tx = storage::WriteTx&;
  using Who = const Principal&;
  const TaskCommands& t = tasks_;
  auto ack = [&](Tx tx, Who p, Ref r) { return t.Acknowledge(tx, p, r); };
  auto start = [&](Tx tx, Who p, Ref r) { return t.Start(tx, p, r); };
  auto verify = [&](Tx tx, Who p, Ref r) { return t.Verify(tx, p, r, "现场核查通过"); };

  // Overflowing bins: in progress and overdue.
  RECTIFY_ASSIGN_OR_RETURN(std::string t1, Open("li-min", "cm-xingfu", "sanitation",
                                                "3号楼东侧垃圾箱满溢", "2.2", TS::kInspection, 80000));
  RECTIFY_RETURN_IF_ERROR(Dispatch(1, t1, "li-min", "pc-tahe"));
  RECTIFY_RETURN_IF_ERROR(Step(3, "zhang-wei", t1, ack));
  RECTIFY_RETURN_IF_ERROR(Step(20, "zhang-wei", t1, start));

  // Missing garbage-sorting posters: closed on time.
  RECTIFY_ASSIGN_OR_RETURN(std::string t2,
                           Open("zhang-wei", "cm-xingfu", "publicity", "小区内无垃圾分类公益广告",
                                "1.1", TS::kSelfCheck, 120000));
  RECTIFY_RETURN_IF_ERROR(Dispatch(2, t2, "li-min", "pc-tahe"));
  RECTIFY_RETURN_IF_ERROR(Step(1, "zhang-wei", t2, ack));
  RECTIFY_RETURN_IF_ERROR(Step(1, "liu-yang", t2, start));
  RECTIFY_RETURN_IF_ERROR(Submit(30, t2, "liu-yang", 98000));
  RECTIFY_RETURN_IF_ERROR(Step(5, "li-min", t2, verify));

  // Private charging cable: a 24-hour hazard, acknowledged and left: overdue.
  RECTIFY_ASSIGN_OR_RETURN(std::string t3, Open("li-min", "cm-tuanjie", "safety_hazard",
                                                "5号楼私拉电线充电", "3.4", TS::kInspection, 0));
  RECTIFY_RETURN_IF_ERROR(Dispatch(2, t3, "li-min", "pc-tahe"));
  RECTIFY_RETURN_IF_ERROR(Step(2, "zhang-wei", t3, ack));

  // Illegal construction: dispatched, never acknowledged, urged: overdue.
  RECTIFY_ASSIGN_OR_RETURN(std::string t4, Open("sun-hong", "cm-qingsong", "legal",
                                                "12号楼前违章搭建", "3.1", TS::kLegalCase, 0));
  RECTIFY_RETURN_IF_ERROR(Dispatch(3, t4, "sun-hong", "pc-huyang"));
  RECTIFY_RETURN_IF_ERROR(Step(24 * 8, "wang-jianguo", t4, [&](Tx tx, Who p, Ref r) {
    return t.Urge(tx, p, r, "请立即签收并制止违章搭建，逾期将通报批评");
  }));

  // Laundry on the green: rejected once (rework), extension requested.
  RECTIFY_ASSIGN_OR_RETURN(std::string t5, Open("sun-hong", "cm-qingsong", "sanitation",
                                                "绿地乱晾晒", "2.1", TS::kInspection, 5000));
  RECTIFY_RETURN_IF_ERROR(Dispatch(1, t5, "sun-hong", "pc-huyang"));
  RECTIFY_RETURN_IF_ERROR(Step(1, "huang-tao", t5, ack));
  RECTIFY_RETURN_IF_ERROR(Step(1, "huang-tao", t5, start));
  RECTIFY_RETURN_IF_ERROR(Submit(10, t5, "huang-tao", 3000));
  RECTIFY_RETURN_IF_ERROR(Step(4, "sun-hong", t5, [&](Tx tx, Who p, Ref r) {
    return t.Reject(tx, p, r, "复查仍有乱晾晒，请返工");
  }));
  RECTIFY_RETURN_IF_ERROR(Step(2, "huang-tao", t5, [&](Tx tx, Who p, Ref r) {
    absl::StatusOr<domain::Task> task = tx.GetTask(r.id);
    if (!task.ok()) return absl::StatusOr<TaskChange>(task.status());
    return t.RequestExtension(tx, p, r, task->deadline + absl::Hours(72),
                              "需与业主逐户沟通，申请延期三天");
  }));

  // Bike parking not planned: waiting for budget, suspended.
  RECTIFY_ASSIGN_OR_RETURN(std::string t6,
                           Open("zhao-lei", "cm-talimu", "infrastructure",
                                "未规划非机动车停车位", "3.5", TS::kInfrastructureSurvey, 2500000));
  RECTIFY_RETURN_IF_ERROR(Dispatch(2, t6, "zhao-lei", "pc-jinyuan"));
  RECTIFY_RETURN_IF_ERROR(Step(1, "chen-jing", t6, ack));
  RECTIFY_RETURN_IF_ERROR(Step(1, "chen-jing", t6, start));
  RECTIFY_RETURN_IF_ERROR(Step(24, "zhao-lei", t6, [&](Tx tx, Who p, Ref r) {
    return t.Suspend(tx, p, r, {"等待物管中心审批经费预算", absl::InfiniteFuture()});
  }));

  // Outdated notice board: submitted, awaiting verification.
  RECTIFY_ASSIGN_OR_RETURN(std::string t7, Open("zhao-lei", "cm-jinyin", "publicity",
                                                "宣传橱窗内容未及时更新", "1.2", TS::kInspection, 30000));
  RECTIFY_RETURN_IF_ERROR(Dispatch(1, t7, "zhao-lei", "pc-jinyuan"));
  RECTIFY_RETURN_IF_ERROR(Step(1, "chen-jing", t7, ack));
  RECTIFY_RETURN_IF_ERROR(Step(1, "chen-jing", t7, start));
  RECTIFY_RETURN_IF_ERROR(Submit(20, t7, "chen-jing", 28000));
  // ... and checked on site by the community's volunteer before the office verifies.
  {
    RECTIFY_ASSIGN_OR_RETURN(Principal volunteer, As("qian-yu"));
    RECTIFY_RETURN_IF_ERROR(Write([&](storage::WriteTx& tx) -> absl::Status {
      std::vector<domain::Evidence> photo = {
          {"demo://photos/T-7-onsite.jpg",
           "4b1e0c9d8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d", "橱窗现场照片",
           "", absl::InfinitePast()}};
      return volunteers_
          .RecordOnSiteCheck(tx, volunteer, t7, domain::CheckFinding::kFixed,
                             "橱窗已换上本月宣传内容", photo)
          .status();
    }));
  }

  // Poultry kept in the yard: returned (not the company's job), open again.
  RECTIFY_ASSIGN_OR_RETURN(std::string t8, Open("li-min", "cm-tuanjie", "general",
                                                "院内饲养家禽", "2.4", TS::kInspection, 0));
  RECTIFY_RETURN_IF_ERROR(Dispatch(1, t8, "li-min", "pc-tahe"));
  RECTIFY_RETURN_IF_ERROR(Step(3, "zhang-wei", t8, [&](Tx tx, Who p, Ref r) {
    return t.Return(tx, p, r, "饲养家禽属业主行为，应由业主委员会劝导");
  }));

  // A duplicate report: voided.
  RECTIFY_ASSIGN_OR_RETURN(std::string t9, Open("sun-hong", "cm-huyang", "publicity",
                                                "健康教育栏无控烟宣传内容", "1.5", TS::kInspection, 0));
  RECTIFY_RETURN_IF_ERROR(Step(2, "sun-hong", t9, [&](Tx tx, Who p, Ref r) {
    return t.Void(tx, p, r, "与已有任务重复");
  }));

  // Unsorted garbage: closed.
  RECTIFY_ASSIGN_OR_RETURN(std::string t10, Open("sun-hong", "cm-huyang", "garbage_sorting",
                                                 "垃圾未分类收集", "2.2", TS::kInspection, 20000));
  RECTIFY_RETURN_IF_ERROR(Dispatch(1, t10, "sun-hong", "pc-huyang"));
  RECTIFY_RETURN_IF_ERROR(Step(1, "huang-tao", t10, ack));
  RECTIFY_RETURN_IF_ERROR(Step(1, "huang-tao", t10, start));
  RECTIFY_RETURN_IF_ERROR(Submit(20, t10, "huang-tao", 15000));
  RECTIFY_RETURN_IF_ERROR(Step(3, "sun-hong", t10, verify));

  // Fire lane blocked, reported by the community's volunteer: open, waiting
  // for the street office to triage and dispatch.
  {
    RECTIFY_ASSIGN_OR_RETURN(Principal volunteer, As("zhou-xue"));
    RECTIFY_RETURN_IF_ERROR(Write([&](storage::WriteTx& tx) -> absl::Status {
      domain::Task draft;
      draft.campaign_id = "demo";
      draft.community_id = "cm-xingfu";
      draft.category = "order";
      draft.title = "消防车通道被私家车占用";
      draft.description = "3号楼北侧消防车通道被两辆私家车长期占用";
      draft.standard_item = "3.2";
      std::vector<domain::Evidence> photo = {
          {"demo://photos/fire-lane.jpg",
           "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", "现场照片", "",
           absl::InfinitePast()}};
      return volunteers_.ReportProblem(tx, volunteer, draft, photo).status();
    }));
  }

  // Stairwell clutter, dispatched today: due in three working days.
  if (clock_.Now() < end_ - absl::Hours(2)) clock_.Set(end_ - absl::Hours(2));
  RECTIFY_ASSIGN_OR_RETURN(std::string t12, Open("li-min", "cm-tuanjie", "sanitation",
                                                 "2单元楼道乱堆放杂物", "2.3", TS::kInspection, 0));
  RECTIFY_RETURN_IF_ERROR(Dispatch(1, t12, "li-min", "pc-tahe"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<DemoLogin>> LoadDemo(storage::Store& store, const Clock& clock,
                                                const Rules& rules) {
  bool exists = false;
  RECTIFY_RETURN_IF_ERROR(store.Read([&](storage::ReadTx& tx) -> absl::Status {
    exists = tx.GetCampaign("demo").ok();
    return absl::OkStatus();
  }));
  if (!exists) {
    DemoBuilder builder(store, clock, rules);
    RECTIFY_RETURN_IF_ERROR(builder.Build());
  }
  std::vector<DemoLogin> logins = {
      {"demo-admin", "admin (管理员)", "demo-admin"},
      {"wang-jianguo", "supervisor 王建国 (领导小组办公室)", "demo-supervisor"},
      {"li-min", "street officer 李敏 (幸福路街道)", "demo-street"},
      {"zhang-wei", "property company head 张伟 (塔河物业)", "demo-property"},
      {"zhou-xue", "volunteer 周雪 (幸福路街道志愿者)", "demo-volunteer"},
      {"ma-jun", "enforcement officer 马军 (执法局)", "demo-bureau"},
      {"he-li", "property-management centre 何丽 (物管中心)", "demo-centre"},
      {"wu-fang", "owners' committee 吴芳 (幸福小区业委会)", "demo-committee"},
  };
  RECTIFY_RETURN_IF_ERROR(store.Write([&](storage::WriteTx& tx) -> absl::Status {
    for (const DemoLogin& login : logins) {
      if (tx.GetToken(HashToken(login.token)).ok()) continue;
      RECTIFY_RETURN_IF_ERROR(
          PutTokenFor(tx, login.person_id, login.token, "demo token", clock.Now()));
    }
    return absl::OkStatus();
  }));
  return logins;
}

}  // namespace rectify::server
