#include "bench/bench_city.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/phase.h"
#include "domain/task.h"
#include "server/auth.h"
#include "storage/bulk_load.h"
#include "storage/store.h"

namespace rectify::bench {
namespace {

using domain::TaskState;

constexpr int64_t kChunk = 20'000;  // tasks per transaction
constexpr const char* kCategories[] = {"sanitation", "order", "publicity", "garbage_sorting",
                                       "infrastructure", "general"};
constexpr const char* kTitles[] = {"楼道堆物", "垃圾箱满溢", "飞线充电", "绿化带破损",
                                   "宣传栏缺失", "路面坑洼"};

absl::Status PutToken(storage::WriteTx& tx, const std::string& person, const std::string& secret,
                      absl::Time now) {
  storage::TokenRecord token;
  token.token_hash = server::HashToken(secret);
  token.person_id = person;
  token.label = "benchmark token";
  token.create_time = now;
  return tx.PutToken(token);
}

absl::Status CreateDirectory(storage::WriteTx& tx, absl::Time now) {
  const absl::TimeZone tz = absl::FixedTimeZone(8 * 3600);
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  domain::Campaign c;
  c.id = kCampaign;
  c.name = "基准测试整治行动";
  c.city = "阿拉尔市";
  c.time_zone = "Asia/Shanghai";
  c.self_check_start = today - 60;
  c.rectification_start = today - 30;
  c.final_assault_start = today + 30;
  c.close_date = today + 61;
  c.phase = domain::Phase::kRectification;
  c.standard_id = "civilized-residential";
  c.create_time = c.update_time = now - absl::Hours(24 * 60);
  RECTIFY_RETURN_IF_ERROR(tx.CreateCampaign(c));

  domain::Organisation sup_office;
  sup_office.id = "bench-sup-office";
  sup_office.kind = domain::OrgKind::kSupervisionOffice;
  sup_office.name = "督查办";
  sup_office.create_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.CreateOrganisation(sup_office));
  domain::Person sup;
  sup.id = "bench-sup";
  sup.name = "督查员";
  sup.organisation_id = sup_office.id;
  sup.role = domain::Role::kSupervisor;
  sup.create_time = now;
  RECTIFY_RETURN_IF_ERROR(tx.CreatePerson(sup));
  RECTIFY_RETURN_IF_ERROR(PutToken(tx, sup.id, kSupervisorToken, now));

  for (int i = 1; i <= kStreetOffices; ++i) {
    domain::Organisation office;
    office.id = OfficeId(i);
    office.kind = domain::OrgKind::kStreetOffice;
    office.name = absl::StrCat("第", i, "街道办事处");
    office.create_time = now;
    RECTIFY_RETURN_IF_ERROR(tx.CreateOrganisation(office));
    domain::Organisation company;
    company.id = CompanyId(i);
    company.kind = domain::OrgKind::kPropertyCompany;
    company.name = absl::StrCat("第", i, "物业公司");
    company.create_time = now;
    RECTIFY_RETURN_IF_ERROR(tx.CreateOrganisation(company));
    domain::Person officer;
    officer.id = absl::StrFormat("officer-%02d", i);
    officer.name = absl::StrCat("街道干部", i);
    officer.organisation_id = office.id;
    officer.role = domain::Role::kStreetOfficer;
    officer.create_time = now;
    RECTIFY_RETURN_IF_ERROR(tx.CreatePerson(officer));
    RECTIFY_RETURN_IF_ERROR(PutToken(tx, officer.id, OfficerToken(i), now));
    domain::Person worker;
    worker.id = absl::StrFormat("worker-%02d", i);
    worker.name = absl::StrCat("物业员工", i);
    worker.organisation_id = company.id;
    worker.role = domain::Role::kPropertyStaff;
    worker.create_time = now;
    RECTIFY_RETURN_IF_ERROR(tx.CreatePerson(worker));
    RECTIFY_RETURN_IF_ERROR(PutToken(tx, worker.id, WorkerToken(i), now));
    office.head_person_id = officer.id;
    RECTIFY_RETURN_IF_ERROR(tx.SaveOrganisation(office));
    company.head_person_id = worker.id;
    RECTIFY_RETURN_IF_ERROR(tx.SaveOrganisation(company));
  }
  for (int k = 1; k <= kCommunities; ++k) {
    const int office = (k - 1) % kStreetOffices + 1;
    domain::Community m;
    m.id = absl::StrFormat("cm-%03d", k);
    m.name = absl::StrCat("第", k, "小区");
    m.address = absl::StrCat("阿拉尔市第", k, "小区");
    m.street_office_id = OfficeId(office);
    m.property_company_id = CompanyId(office);
    m.create_time = now;
    RECTIFY_RETURN_IF_ERROR(tx.CreateCommunity(m));
  }
  return absl::OkStatus();
}

// Task i, made to look like a campaign a few weeks in: 60% closed, 10% open,
// 25% with a running clock (about a third of them overdue), the rest
// submitted or suspended.
domain::Task MakeBenchTask(int64_t i, absl::Time now) {
  const int k = static_cast<int>(i % kCommunities) + 1;
  const int office = (k - 1) % kStreetOffices + 1;
  const int bucket = static_cast<int>((i * 7919) % 100);  // spread the states over the id range
  const int size = sizeof(kCategories) / sizeof(kCategories[0]);
  domain::Task t;
  t.id = absl::StrFormat("B-%07d", i);
  t.campaign_id = kCampaign;
  t.community_id = absl::StrFormat("cm-%03d", k);
  t.street_office_id = OfficeId(office);
  t.category = kCategories[i % size];
  t.source = domain::TaskSource::kInspection;
  t.title = kTitles[(i / size) % size];
  t.description = absl::StrCat("第", k, "小区 ", (i % 12) + 1, "号楼 ", t.title);
  t.standard_item = absl::StrCat((i % 5) + 1, ".", (i % 3) + 1);
  t.created_by = absl::StrFormat("officer-%02d", office);
  t.create_time = now - absl::Hours(24 * 30) + absl::Seconds(i % (24 * 3600 * 25));
  t.update_time = t.create_time;
  if (bucket >= 60 && bucket < 70) return t;  // OPEN
  t.responsible_org_id = CompanyId(office);
  t.responsible_person_id = absl::StrFormat("worker-%02d", office);
  t.dispatch_time = t.create_time + absl::Hours(2);
  // Deadlines from 10 days ago to 20 days ahead.
  t.deadline = now - absl::Hours(24 * 10) + absl::Minutes((i * 37) % (30 * 24 * 60));
  t.update_time = t.dispatch_time;
  if (bucket < 60) {
    t.state = TaskState::kClosed;
    t.acknowledge_time = t.dispatch_time + absl::Hours(1);
    t.submit_time = t.acknowledge_time + absl::Hours(30);
    t.close_time = t.update_time = t.submit_time + absl::Hours(5);
    t.budget.actual_fen = 10'000 + (i % 500) * 100;
    domain::Evidence e;
    e.uri = absl::StrCat("s3://evidence/", t.id, ".jpg");
    e.sha256 = std::string(64, 'e');
    e.added_by = t.responsible_person_id;
    e.add_time = t.submit_time;
    t.evidence.push_back(e);
  } else if (bucket < 80) {
    t.state = TaskState::kDispatched;
  } else if (bucket < 88) {
    t.state = TaskState::kAccepted;
    t.acknowledge_time = t.dispatch_time + absl::Hours(1);
  } else if (bucket < 95) {
    t.state = TaskState::kInProgress;
    t.acknowledge_time = t.dispatch_time + absl::Hours(1);
  } else if (bucket < 98) {
    t.state = TaskState::kSubmitted;
    t.acknowledge_time = t.dispatch_time + absl::Hours(1);
    t.submit_time = t.acknowledge_time + absl::Hours(20);
  } else {
    t.state = TaskState::kSuspended;
    t.suspended_at = t.dispatch_time + absl::Hours(5);
  }
  return t;
}

}  // namespace

std::string OfficeId(int index) { return absl::StrFormat("so-%02d", index); }
std::string CompanyId(int index) { return absl::StrFormat("pc-%02d", index); }
std::string OfficerToken(int index) { return absl::StrFormat("bench-officer-%02d", index); }
std::string WorkerToken(int index) { return absl::StrFormat("bench-worker-%02d", index); }

int OfficeIndex(const std::string& street_office_id) {
  int index = 0;
  if (street_office_id.size() != 5 || street_office_id.compare(0, 3, "so-") != 0) return 0;
  for (size_t i = 3; i < 5; ++i) {
    if (street_office_id[i] < '0' || street_office_id[i] > '9') return 0;
    index = index * 10 + (street_office_id[i] - '0');
  }
  return index >= 1 && index <= kStreetOffices ? index : 0;
}

absl::StatusOr<BenchLoadStats> LoadBenchCity(const std::string& path, int64_t tasks,
                                             absl::Time now) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    return absl::AlreadyExistsError(absl::StrCat(path, " exists; remove it or use it as it is"));
  }
  const absl::Time start = absl::Now();
  BenchLoadStats stats;
  {
    RECTIFY_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                             storage::OpenBulkLoadStore(path));
    RECTIFY_RETURN_IF_ERROR(
        store->Write([&](storage::WriteTx& tx) { return CreateDirectory(tx, now); }));
    for (int64_t first = 0; first < tasks; first += kChunk) {
      const int64_t last = std::min(tasks, first + kChunk);
      RECTIFY_RETURN_IF_ERROR(store->Write([&](storage::WriteTx& tx) -> absl::Status {
        for (int64_t i = first; i < last; ++i) {
          domain::Task t = MakeBenchTask(i, now);
          RECTIFY_RETURN_IF_ERROR(tx.CreateTask(t));
          domain::Event e;
          e.type = "task.created";
          e.subject = absl::StrCat("tasks/", t.id);
          e.campaign_id = t.campaign_id;
          e.actor_person_id = t.created_by;
          e.actor_org_id = t.street_office_id;
          e.time = t.create_time;
          e.to_state = "OPEN";
          e.audience = {t.street_office_id};
          RECTIFY_RETURN_IF_ERROR(tx.AppendEvent(e));
        }
        return absl::OkStatus();
      }));
      stats.tasks = last;
      stats.events = last;
    }
  }  // closing checkpoints the WAL into the file
  stats.took = absl::Now() - start;
  return stats;
}

}  // namespace rectify::bench
