#include "storage/sqlite_store.h"

#include <pthread.h>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/inspection.h"
#include "domain/hard_problem.h"
#include "domain/legal_case.h"
#include "domain/penalty.h"
#include "domain/phase.h"
#include "domain/task.h"
#include "storage/codec.h"
#include "storage/failpoint.h"
#include "storage/inspection_query.h"
#include "storage/schema.h"
#include "storage/sqlite_connection.h"
#include "storage/task_query.h"

namespace rectify::storage {
namespace {

using internal::Connection;
using internal::SqliteStatus;
using Lease = internal::Connection::Lease;

constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxReadConnections = 64;

// How many Reads this thread is inside (any store): a nested Read must not
// wait for a pooled connection that its own caller may be holding.
thread_local int t_read_depth = 0;

// ---------------------------------------------------------------------------
// Binding parameters and reading columns in order, so that a column list and
// its binder or reader are written side by side and cannot drift apart.

// One parameter value as a Binder in capture mode records it.
struct SqlValue {
  enum Type { kNull, kInt, kText, kBlob } type = kNull;
  int64_t i = 0;
  std::string s;
};

class Binder {
 public:
  explicit Binder(SQLite::Statement& stmt) : stmt_(&stmt) {}
  // Records the values instead of binding them (to compare a row before an
  // UPDATE: see SqliteTx::SaveTask).
  explicit Binder(std::vector<SqlValue>* capture) : capture_(capture) {}
  Binder& Text(const std::string& value) {
    if (capture_ != nullptr) {
      capture_->push_back({SqlValue::kText, 0, value});
    } else {
      stmt_->bind(next_++, value);
    }
    return *this;
  }
  // A reference to another entity: NULL when empty, so a FOREIGN KEY checks it
  // only when it is set.
  Binder& Ref(const std::string& id) {
    if (id.empty()) return Null();
    return Text(id);
  }
  Binder& Int(int64_t value) {
    if (capture_ != nullptr) {
      capture_->push_back({SqlValue::kInt, value, ""});
    } else {
      stmt_->bind(next_++, value);
    }
    return *this;
  }
  Binder& Time(absl::Time time) {
    std::optional<int64_t> micros = codec::TimeToMicros(time);
    if (micros.has_value()) return Int(*micros);
    return Null();
  }
  Binder& Null() {
    if (capture_ != nullptr) {
      capture_->push_back({});
    } else {
      stmt_->bind(next_++);
    }
    return *this;
  }
  Binder& Blob(const std::string& bytes) {
    if (capture_ != nullptr) {
      capture_->push_back({SqlValue::kBlob, 0, bytes});
    } else {
      stmt_->bind(next_++, bytes.data(), static_cast<int>(bytes.size()));
    }
    return *this;
  }
  Binder& Arg(const internal::SqlArg& arg) {
    if (const int64_t* i = std::get_if<int64_t>(&arg)) return Int(*i);
    return Text(std::get<std::string>(arg));
  }
  // Binds a recorded value.
  Binder& Value(const SqlValue& value) {
    switch (value.type) {
      case SqlValue::kNull:
        return Null();
      case SqlValue::kInt:
        return Int(value.i);
      case SqlValue::kText:
        return Text(value.s);
      case SqlValue::kBlob:
        return Blob(value.s);
    }
    return Null();
  }

 private:
  SQLite::Statement* stmt_ = nullptr;
  std::vector<SqlValue>* capture_ = nullptr;
  int next_ = 1;
};

// Whether column `i` of the current row of `stmt` holds `value`.
bool ColumnEquals(SQLite::Statement& stmt, int i, const SqlValue& value) {
  SQLite::Column column = stmt.getColumn(i);
  switch (value.type) {
    case SqlValue::kNull:
      return column.isNull();
    case SqlValue::kInt:
      return column.isInteger() && column.getInt64() == value.i;
    case SqlValue::kText:
      return column.isText() && column.getString() == value.s;
    case SqlValue::kBlob: {
      if (!column.isBlob() && !column.isText()) return false;
      const int size = column.getBytes();
      return static_cast<size_t>(size) == value.s.size() &&
             (size == 0 || std::memcmp(column.getBlob(), value.s.data(), value.s.size()) == 0);
    }
  }
  return false;
}

class RowReader {
 public:
  explicit RowReader(SQLite::Statement& stmt) : stmt_(stmt) {}
  std::string Text() {
    SQLite::Column column = stmt_.getColumn(next_++);
    return column.isNull() ? std::string() : column.getString();
  }
  int64_t Int() { return stmt_.getColumn(next_++).getInt64(); }
  template <typename Enum>
  Enum AsEnum() {
    return static_cast<Enum>(Int());
  }
  absl::Time Time(absl::Time if_null) {
    SQLite::Column column = stmt_.getColumn(next_++);
    if (column.isNull()) return if_null;
    return absl::FromUnixMicros(column.getInt64());
  }
  absl::StatusOr<absl::CivilDay> Day() { return codec::DayFromText(Text()); }
  std::string Blob() {
    SQLite::Column column = stmt_.getColumn(next_++);
    const int size = column.getBytes();
    if (size == 0) return std::string();
    return std::string(static_cast<const char*>(column.getBlob()), static_cast<size_t>(size));
  }
  int next() const { return next_; }

 private:
  SQLite::Statement& stmt_;
  int next_ = 0;
};

// The SQL of one entity table, made once from its column list (id first,
// version last). Update binds the columns as ?1..?N (?N = the new version) and
// the expected version as ?N+1.
struct TableSql {
  const char* table;
  const char* noun;  // for messages: "task 'T-3' ..."
  std::vector<std::string> column_names;
  std::string columns;
  std::string get;
  std::string insert;
  std::string update;
  std::string version_of;
};

TableSql MakeTableSql(const char* table, const char* noun,
                      std::initializer_list<const char*> column_list) {
  std::vector<std::string> cols(column_list.begin(), column_list.end());
  TableSql sql{table, noun, cols, absl::StrJoin(cols, ", "), "", "", "", ""};
  sql.get = absl::StrCat("SELECT ", sql.columns, " FROM ", table, " WHERE id = ?");
  std::vector<std::string> marks, sets;
  for (size_t i = 0; i < cols.size(); ++i) {
    marks.push_back(absl::StrCat("?", i + 1));
    if (i > 0) sets.push_back(absl::StrCat(cols[i], " = ?", i + 1));
  }
  sql.insert = absl::StrCat("INSERT INTO ", table, " (", sql.columns, ") VALUES (",
                            absl::StrJoin(marks, ", "), ")");
  sql.update = absl::StrCat("UPDATE ", table, " SET ", absl::StrJoin(sets, ", "),
                            " WHERE id = ?1 AND version = ?", cols.size() + 1);
  sql.version_of = absl::StrCat("SELECT version FROM ", table, " WHERE id = ?");
  return sql;
}

const TableSql& CampaignSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "campaigns", "campaign",
      {"id", "name", "city", "time_zone", "self_check_start", "rectification_start",
       "final_assault_start", "close_date", "phase", "max_extensions", "standard_id",
       "target_percent", "final_assault_percent", "require_letter", "create_time", "update_time",
       "version"}));
  return *sql;
}

void BindCampaign(Binder& b, const domain::Campaign& c) {
  b.Text(c.id).Text(c.name).Text(c.city).Text(c.time_zone);
  b.Text(codec::DayToText(c.self_check_start)).Text(codec::DayToText(c.rectification_start));
  b.Text(codec::DayToText(c.final_assault_start)).Text(codec::DayToText(c.close_date));
  b.Int(static_cast<int>(c.phase)).Int(c.max_extensions);
  // Not a FOREIGN KEY: standards are keyed by (id, version) and a campaign
  // names only the id. NULL when empty all the same.
  b.Ref(c.standard_id).Int(c.target_percent).Int(c.final_assault_percent);
  b.Int(c.require_letter ? 1 : 0);
  b.Time(c.create_time).Time(c.update_time);
}

absl::StatusOr<domain::Campaign> ReadCampaign(RowReader& r) {
  domain::Campaign c;
  c.id = r.Text();
  c.name = r.Text();
  c.city = r.Text();
  c.time_zone = r.Text();
  RECTIFY_ASSIGN_OR_RETURN(c.self_check_start, r.Day());
  RECTIFY_ASSIGN_OR_RETURN(c.rectification_start, r.Day());
  RECTIFY_ASSIGN_OR_RETURN(c.final_assault_start, r.Day());
  RECTIFY_ASSIGN_OR_RETURN(c.close_date, r.Day());
  c.phase = r.AsEnum<domain::Phase>();
  c.max_extensions = static_cast<int>(r.Int());
  c.standard_id = r.Text();
  c.target_percent = static_cast<int>(r.Int());
  c.final_assault_percent = static_cast<int>(r.Int());
  c.require_letter = r.Int() != 0;
  c.create_time = r.Time(absl::InfinitePast());
  c.update_time = r.Time(absl::InfinitePast());
  c.version = r.Int();
  return c;
}

const TableSql& OrganisationSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "organisations", "organisation",
      {"id", "kind", "name", "head_person_id", "street_office_id", "create_time", "version"}));
  return *sql;
}

void BindOrganisation(Binder& b, const domain::Organisation& o) {
  b.Text(o.id).Int(static_cast<int>(o.kind)).Text(o.name).Text(o.head_person_id);
  b.Ref(o.street_office_id).Time(o.create_time);
}

absl::StatusOr<domain::Organisation> ReadOrganisation(RowReader& r) {
  domain::Organisation o;
  o.id = r.Text();
  o.kind = r.AsEnum<domain::OrgKind>();
  o.name = r.Text();
  o.head_person_id = r.Text();
  o.street_office_id = r.Text();
  o.create_time = r.Time(absl::InfinitePast());
  o.version = r.Int();
  return o;
}

const TableSql& PersonSql() {
  static const TableSql* sql = new TableSql(
      MakeTableSql("people", "person",
                   {"id", "name", "organisation_id", "role", "phone", "create_time", "version"}));
  return *sql;
}

void BindPerson(Binder& b, const domain::Person& p) {
  b.Text(p.id).Text(p.name).Ref(p.organisation_id).Int(static_cast<int>(p.role)).Text(p.phone);
  b.Time(p.create_time);
}

absl::StatusOr<domain::Person> ReadPerson(RowReader& r) {
  domain::Person p;
  p.id = r.Text();
  p.name = r.Text();
  p.organisation_id = r.Text();
  p.role = r.AsEnum<domain::Role>();
  p.phone = r.Text();
  p.create_time = r.Time(absl::InfinitePast());
  p.version = r.Int();
  return p;
}

const TableSql& CommunitySql() {
  static const TableSql* sql =
      new TableSql(MakeTableSql("communities", "community",
                                {"id", "name", "address", "street_office_id", "property_company_id",
                                 "owners_committee_id", "create_time", "version"}));
  return *sql;
}

void BindCommunity(Binder& b, const domain::Community& c) {
  b.Text(c.id).Text(c.name).Text(c.address).Ref(c.street_office_id);
  b.Ref(c.property_company_id).Ref(c.owners_committee_id).Time(c.create_time);
}

absl::StatusOr<domain::Community> ReadCommunity(RowReader& r) {
  domain::Community c;
  c.id = r.Text();
  c.name = r.Text();
  c.address = r.Text();
  c.street_office_id = r.Text();
  c.property_company_id = r.Text();
  c.owners_committee_id = r.Text();
  c.create_time = r.Time(absl::InfinitePast());
  c.version = r.Int();
  return c;
}

const TableSql& TaskSql() {
  static const TableSql* sql = new TableSql(MakeTableSql("tasks", "task",
                                                         {"id",
                                                          "campaign_id",
                                                          "community_id",
                                                          "street_office_id",
                                                          "category",
                                                          "source",
                                                          "title",
                                                          "description",
                                                          "standard_item",
                                                          "inspection_id",
                                                          "responsible_org_id",
                                                          "responsible_person_id",
                                                          "budget_planned_fen",
                                                          "budget_actual_fen",
                                                          "budget_payer",
                                                          "evidence",
                                                          "urgings",
                                                          "ext_pending",
                                                          "ext_requested_deadline",
                                                          "ext_reason",
                                                          "ext_requested_by",
                                                          "ext_request_time",
                                                          "state",
                                                          "sla_unit",
                                                          "deadline",
                                                          "suspended_at",
                                                          "suspended_until",
                                                          "rework_count",
                                                          "extension_count",
                                                          "return_count",
                                                          "created_by",
                                                          "create_time",
                                                          "update_time",
                                                          "dispatch_time",
                                                          "acknowledge_time",
                                                          "submit_time",
                                                          "close_time",
                                                          "clock_running",
                                                          "version"}));
  return *sql;
}

void BindTask(Binder& b, const domain::Task& t) {
  b.Text(t.id).Ref(t.campaign_id).Ref(t.community_id).Ref(t.street_office_id).Text(t.category);
  b.Int(static_cast<int>(t.source)).Text(t.title).Text(t.description).Text(t.standard_item);
  b.Ref(t.inspection_id).Ref(t.responsible_org_id).Text(t.responsible_person_id);
  b.Int(t.budget.planned_fen).Int(t.budget.actual_fen).Int(static_cast<int>(t.budget.payer));
  b.Text(codec::EncodeEvidence(t.evidence)).Text(codec::EncodeUrgings(t.urgings));
  if (t.pending_extension.has_value()) {
    const domain::ExtensionRequest& ext = *t.pending_extension;
    b.Int(1).Time(ext.requested_deadline).Text(ext.reason).Text(ext.requested_by);
    b.Time(ext.request_time);
  } else {
    b.Int(0).Null().Null().Null().Null();
  }
  b.Int(static_cast<int>(t.state)).Int(static_cast<int>(t.sla_unit)).Time(t.deadline);
  b.Time(t.suspended_at).Time(t.suspended_until);
  b.Int(t.rework_count).Int(t.extension_count).Int(t.return_count).Text(t.created_by);
  b.Time(t.create_time).Time(t.update_time).Time(t.dispatch_time).Time(t.acknowledge_time);
  b.Time(t.submit_time).Time(t.close_time);
  // Derived from the state, stored so that the open-task indexes (schema v14)
  // change only when a task's clock starts or stops.
  b.Int(domain::ClockRuns(t.state) ? 1 : 0);
}

absl::StatusOr<domain::Task> ReadTask(RowReader& r) {
  domain::Task t;
  t.id = r.Text();
  t.campaign_id = r.Text();
  t.community_id = r.Text();
  t.street_office_id = r.Text();
  t.category = r.Text();
  t.source = r.AsEnum<domain::TaskSource>();
  t.title = r.Text();
  t.description = r.Text();
  t.standard_item = r.Text();
  t.inspection_id = r.Text();
  t.responsible_org_id = r.Text();
  t.responsible_person_id = r.Text();
  t.budget.planned_fen = r.Int();
  t.budget.actual_fen = r.Int();
  t.budget.payer = r.AsEnum<domain::Payer>();
  auto context = [&t](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("task '", t.id, "': ", s.message()));
  };
  absl::StatusOr<std::vector<domain::Evidence>> evidence = codec::DecodeEvidence(r.Text());
  if (!evidence.ok()) return context(evidence.status());
  t.evidence = *std::move(evidence);
  absl::StatusOr<std::vector<domain::Urging>> urgings = codec::DecodeUrgings(r.Text());
  if (!urgings.ok()) return context(urgings.status());
  t.urgings = *std::move(urgings);
  const bool ext_pending = r.Int() != 0;
  domain::ExtensionRequest ext;
  ext.requested_deadline = r.Time(absl::InfinitePast());
  ext.reason = r.Text();
  ext.requested_by = r.Text();
  ext.request_time = r.Time(absl::InfinitePast());
  if (ext_pending) t.pending_extension = std::move(ext);
  t.state = r.AsEnum<domain::TaskState>();
  t.sla_unit = r.AsEnum<domain::SlaUnit>();
  t.deadline = r.Time(absl::InfiniteFuture());
  t.suspended_at = r.Time(absl::InfinitePast());
  t.suspended_until = r.Time(absl::InfiniteFuture());
  t.rework_count = static_cast<int>(r.Int());
  t.extension_count = static_cast<int>(r.Int());
  t.return_count = static_cast<int>(r.Int());
  t.created_by = r.Text();
  t.create_time = r.Time(absl::InfinitePast());
  t.update_time = r.Time(absl::InfinitePast());
  t.dispatch_time = r.Time(absl::InfinitePast());
  t.acknowledge_time = r.Time(absl::InfinitePast());
  t.submit_time = r.Time(absl::InfinitePast());
  t.close_time = r.Time(absl::InfinitePast());
  r.Int();  // clock_running: derived from the state
  t.version = r.Int();
  return t;
}

const TableSql& InspectionSql() {
  static const TableSql* sql = new TableSql(
      MakeTableSql("inspections", "inspection",
                   {"id", "campaign_id", "community_id", "kind", "date", "inspector_id",
                    "standard_id", "standard_version", "deductions", "categories", "total",
                    "max_score", "note", "create_time", "version"}));
  return *sql;
}

void BindInspection(Binder& b, const domain::Inspection& i) {
  b.Text(i.id).Ref(i.campaign_id).Ref(i.community_id).Int(static_cast<int>(i.kind));
  b.Text(codec::DayToText(i.date)).Text(i.inspector_id).Text(i.standard_id);
  b.Text(i.standard_version).Text(codec::EncodeDeductions(i.deductions));
  b.Text(codec::EncodeCategoryScores(i.categories)).Int(i.total).Int(i.max_score).Text(i.note);
  b.Time(i.create_time);
}

absl::StatusOr<domain::Inspection> ReadInspection(RowReader& r) {
  domain::Inspection i;
  i.id = r.Text();
  auto context = [&i](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("inspection '", i.id, "': ", s.message()));
  };
  i.campaign_id = r.Text();
  i.community_id = r.Text();
  i.kind = r.AsEnum<domain::InspectionKind>();
  absl::StatusOr<absl::CivilDay> date = r.Day();
  if (!date.ok()) return context(date.status());
  i.date = *date;
  i.inspector_id = r.Text();
  i.standard_id = r.Text();
  i.standard_version = r.Text();
  absl::StatusOr<std::vector<domain::Deduction>> deductions = codec::DecodeDeductions(r.Text());
  if (!deductions.ok()) return context(deductions.status());
  i.deductions = *std::move(deductions);
  absl::StatusOr<std::vector<domain::CategoryScore>> categories =
      codec::DecodeCategoryScores(r.Text());
  if (!categories.ok()) return context(categories.status());
  i.categories = *std::move(categories);
  i.total = static_cast<int>(r.Int());
  i.max_score = static_cast<int>(r.Int());
  i.note = r.Text();
  i.create_time = r.Time(absl::InfinitePast());
  i.version = r.Int();
  return i;
}

constexpr char kSelfCheckListColumns[] =
    "campaign_id, community_id, submitted_by, submit_time, task_ids";

absl::StatusOr<domain::SelfCheckList> ReadSelfCheckList(RowReader& r) {
  domain::SelfCheckList l;
  l.campaign_id = r.Text();
  l.community_id = r.Text();
  l.submitted_by = r.Text();
  l.submit_time = r.Time(absl::InfinitePast());
  absl::StatusOr<std::vector<std::string>> task_ids = codec::DecodeStrings(r.Text());
  if (!task_ids.ok()) {
    return absl::Status(
        task_ids.status().code(),
        absl::StrCat("self-check list of community '", l.community_id, "' in campaign '",
                     l.campaign_id, "': ", task_ids.status().message()));
  }
  l.task_ids = *std::move(task_ids);
  return l;
}

constexpr char kStandardColumns[] = "id, version, text, load_time";

StandardRecord ReadStandard(RowReader& r) {
  StandardRecord s;
  s.id = r.Text();
  s.version = r.Text();
  s.text = r.Text();
  s.load_time = r.Time(absl::InfinitePast());
  return s;
}

constexpr char kEventColumns[] =
    "seq, type, subject, campaign_id, actor_person_id, actor_org_id, time, from_state, "
    "to_state, reason, details, audience";

absl::StatusOr<domain::Event> ReadEvent(RowReader& r) {
  domain::Event e;
  e.seq = r.Int();
  e.type = r.Text();
  e.subject = r.Text();
  e.campaign_id = r.Text();
  e.actor_person_id = r.Text();
  e.actor_org_id = r.Text();
  e.time = r.Time(absl::InfinitePast());
  e.from_state = r.Text();
  e.to_state = r.Text();
  e.reason = r.Text();
  absl::StatusOr<codec::Details> details = codec::DecodeDetails(r.Text());
  if (!details.ok()) {
    return absl::Status(details.status().code(),
                        absl::StrCat("event ", e.seq, ": ", details.status().message()));
  }
  e.details = *std::move(details);
  absl::StatusOr<std::vector<std::string>> audience = codec::DecodeStrings(r.Text());
  if (!audience.ok()) {
    return absl::Status(audience.status().code(),
                        absl::StrCat("event ", e.seq, ": ", audience.status().message()));
  }
  e.audience = *std::move(audience);
  return e;
}

constexpr char kTokenColumns[] = "token_hash, person_id, label, create_time, expire_time, revoked";

TokenRecord ReadToken(RowReader& r) {
  TokenRecord t;
  t.token_hash = r.Text();
  t.person_id = r.Text();
  t.label = r.Text();
  t.create_time = r.Time(absl::InfinitePast());
  t.expire_time = r.Time(absl::InfiniteFuture());
  t.revoked = r.Int() != 0;
  return t;
}

const TableSql& PenaltySql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "penalties", "penalty",
      {"id", "campaign_id", "org_id", "kind", "amount_fen", "reason", "task_ids", "proposed_by",
       "escalation_step", "state", "decided_by", "decision_comment", "revoked_by",
       "revoke_reason", "propose_time", "decide_time", "revoke_time", "update_time",
       "version"}));
  return *sql;
}

void BindPenalty(Binder& b, const domain::Penalty& p) {
  b.Text(p.id).Ref(p.campaign_id).Ref(p.org_id).Int(static_cast<int>(p.kind)).Int(p.amount_fen);
  b.Text(p.reason).Text(codec::EncodeStrings(p.task_ids)).Text(p.proposed_by);
  b.Text(p.escalation_step).Int(static_cast<int>(p.state)).Text(p.decided_by);
  b.Text(p.decision_comment).Text(p.revoked_by).Text(p.revoke_reason).Time(p.propose_time);
  b.Time(p.decide_time).Time(p.revoke_time).Time(p.update_time);
}

absl::StatusOr<domain::Penalty> ReadPenalty(RowReader& r) {
  domain::Penalty p;
  p.id = r.Text();
  p.campaign_id = r.Text();
  p.org_id = r.Text();
  p.kind = r.AsEnum<domain::PenaltyKind>();
  p.amount_fen = r.Int();
  p.reason = r.Text();
  absl::StatusOr<std::vector<std::string>> task_ids = codec::DecodeStrings(r.Text());
  if (!task_ids.ok()) {
    return absl::Status(task_ids.status().code(),
                        absl::StrCat("penalty '", p.id, "': ", task_ids.status().message()));
  }
  p.task_ids = *std::move(task_ids);
  p.proposed_by = r.Text();
  p.escalation_step = r.Text();
  p.state = r.AsEnum<domain::PenaltyState>();
  p.decided_by = r.Text();
  p.decision_comment = r.Text();
  p.revoked_by = r.Text();
  p.revoke_reason = r.Text();
  p.propose_time = r.Time(absl::InfinitePast());
  p.decide_time = r.Time(absl::InfinitePast());
  p.revoke_time = r.Time(absl::InfinitePast());
  p.update_time = r.Time(absl::InfinitePast());
  p.version = r.Int();
  return p;
}

// Builds the WHERE clause of a list query from the filter fields that are set.
class Where {
 public:
  // column = value, when value is not empty.
  Where& Eq(const char* column, const std::string& value) {
    if (!value.empty()) Add(absl::StrCat(column, " = ?"), value);
    return *this;
  }
  // column = the enum's number, when set.
  template <typename Enum>
  Where& Eq(const char* column, const std::optional<Enum>& value) {
    if (value.has_value()) Add(absl::StrCat(column, " = ?"), static_cast<int64_t>(*value));
    return *this;
  }
  // column IN (the enums' numbers), when any.
  template <typename Enum>
  Where& In(const char* column, const std::vector<Enum>& values) {
    if (values.empty()) return *this;
    std::vector<std::string> marks(values.size(), "?");
    terms_.push_back(absl::StrCat(column, " IN (", absl::StrJoin(marks, ", "), ")"));
    // Built in place: copying a variant made here trips GCC 12's
    // -Wmaybe-uninitialized at -O3 (a false positive about its string).
    for (Enum v : values) {
      args_.emplace_back(std::in_place_type<int64_t>, static_cast<int64_t>(v));
    }
    return *this;
  }
  // A condition without arguments, when `when`.
  Where& If(bool when, const char* condition) {
    if (when) terms_.push_back(condition);
    return *this;
  }
  std::pair<std::string, std::vector<internal::SqlArg>> Build() {
    return {terms_.empty() ? std::string() : absl::StrCat(" WHERE ", absl::StrJoin(terms_, " AND ")),
            std::move(args_)};
  }

 private:
  void Add(std::string term, internal::SqlArg arg) {
    terms_.push_back(std::move(term));
    args_.push_back(std::move(arg));
  }
  std::vector<std::string> terms_;
  std::vector<internal::SqlArg> args_;
};

// WHERE clause and arguments of a penalty filter.
std::pair<std::string, std::vector<internal::SqlArg>> PenaltyWhere(const PenaltyFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("org_id", f.org_id).Eq("kind", f.kind)
      .Eq("state", f.state).Build();
}

const TableSql& LegalCaseSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "legal_cases", "legal case",
      {"id", "campaign_id", "community_id", "street_office_id", "property_company_id", "task_id",
       "kind", "place", "offender", "description", "state", "steps", "bureau_org_ids",
       "escalate_time", "deadline", "result", "result_text", "opened_by", "open_time",
       "close_time", "update_time", "version"}));
  return *sql;
}

void BindLegalCase(Binder& b, const domain::LegalCase& c) {
  b.Text(c.id).Ref(c.campaign_id).Ref(c.community_id).Ref(c.street_office_id);
  b.Ref(c.property_company_id).Ref(c.task_id).Int(static_cast<int>(c.kind)).Text(c.place);
  b.Text(c.offender).Text(c.description).Int(static_cast<int>(c.state));
  b.Text(codec::EncodeLegalSteps(c.steps)).Text(codec::EncodeStrings(c.bureau_org_ids));
  b.Time(c.escalate_time).Time(c.deadline).Int(static_cast<int>(c.result)).Text(c.result_text);
  b.Text(c.opened_by).Time(c.open_time).Time(c.close_time).Time(c.update_time);
}

absl::StatusOr<domain::LegalCase> ReadLegalCase(RowReader& r) {
  domain::LegalCase c;
  c.id = r.Text();
  auto context = [&c](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("legal case '", c.id, "': ", s.message()));
  };
  c.campaign_id = r.Text();
  c.community_id = r.Text();
  c.street_office_id = r.Text();
  c.property_company_id = r.Text();
  c.task_id = r.Text();
  c.kind = r.AsEnum<domain::LegalCaseKind>();
  c.place = r.Text();
  c.offender = r.Text();
  c.description = r.Text();
  c.state = r.AsEnum<domain::LegalCaseState>();
  absl::StatusOr<std::vector<domain::LegalStep>> steps = codec::DecodeLegalSteps(r.Text());
  if (!steps.ok()) return context(steps.status());
  c.steps = *std::move(steps);
  absl::StatusOr<std::vector<std::string>> bureaus = codec::DecodeStrings(r.Text());
  if (!bureaus.ok()) return context(bureaus.status());
  c.bureau_org_ids = *std::move(bureaus);
  c.escalate_time = r.Time(absl::InfinitePast());
  c.deadline = r.Time(absl::InfiniteFuture());
  c.result = static_cast<domain::LegalResult>(r.Int());
  c.result_text = r.Text();
  c.opened_by = r.Text();
  c.open_time = r.Time(absl::InfinitePast());
  c.close_time = r.Time(absl::InfinitePast());
  c.update_time = r.Time(absl::InfinitePast());
  c.version = r.Int();
  return c;
}

std::pair<std::string, std::vector<internal::SqlArg>> LegalCaseWhere(const LegalCaseFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("community_id", f.community_id)
      .In("state", f.states).If(f.escalated_only, "escalate_time IS NOT NULL").Build();
}

const TableSql& LetterSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "responsibility_letters", "responsibility letter",
      {"id", "campaign_id", "community_id", "street_office_id", "owners_committee_id",
       "property_company_id", "indicators", "responsibilities", "term_start", "term_end",
       "state", "signatures", "drafted_by", "draft_time", "sign_time", "update_time",
       "version"}));
  return *sql;
}

void BindLetter(Binder& b, const domain::ResponsibilityLetter& l) {
  b.Text(l.id).Ref(l.campaign_id).Ref(l.community_id).Ref(l.street_office_id);
  b.Ref(l.owners_committee_id).Ref(l.property_company_id);
  b.Text(codec::EncodeStrings(l.indicators)).Text(l.responsibilities);
  b.Text(codec::DayToText(l.term_start)).Text(codec::DayToText(l.term_end));
  b.Int(static_cast<int>(l.state)).Text(codec::EncodeLetterSignatures(l.signatures));
  b.Text(l.drafted_by).Time(l.draft_time).Time(l.sign_time).Time(l.update_time);
}

absl::StatusOr<domain::ResponsibilityLetter> ReadLetter(RowReader& r) {
  domain::ResponsibilityLetter l;
  l.id = r.Text();
  auto context = [&l](const absl::Status& s) {
    return absl::Status(s.code(),
                        absl::StrCat("responsibility letter '", l.id, "': ", s.message()));
  };
  l.campaign_id = r.Text();
  l.community_id = r.Text();
  l.street_office_id = r.Text();
  l.owners_committee_id = r.Text();
  l.property_company_id = r.Text();
  absl::StatusOr<std::vector<std::string>> indicators = codec::DecodeStrings(r.Text());
  if (!indicators.ok()) return context(indicators.status());
  l.indicators = *std::move(indicators);
  l.responsibilities = r.Text();
  RECTIFY_ASSIGN_OR_RETURN(l.term_start, r.Day());
  RECTIFY_ASSIGN_OR_RETURN(l.term_end, r.Day());
  l.state = r.AsEnum<domain::LetterState>();
  absl::StatusOr<std::vector<domain::LetterSignature>> signatures =
      codec::DecodeLetterSignatures(r.Text());
  if (!signatures.ok()) return context(signatures.status());
  l.signatures = *std::move(signatures);
  l.drafted_by = r.Text();
  l.draft_time = r.Time(absl::InfinitePast());
  l.sign_time = r.Time(absl::InfinitePast());
  l.update_time = r.Time(absl::InfinitePast());
  l.version = r.Int();
  return l;
}

std::pair<std::string, std::vector<internal::SqlArg>> LetterWhere(const LetterFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("community_id", f.community_id)
      .Eq("state", f.state).Build();
}

const TableSql& PlanSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "work_plans", "work plan",
      {"id", "campaign_id", "street_office_id", "state", "items", "revisions", "update_time",
       "version"}));
  return *sql;
}

void BindPlan(Binder& b, const domain::WorkPlan& p) {
  b.Text(p.id).Ref(p.campaign_id).Ref(p.street_office_id).Int(static_cast<int>(p.state));
  b.Text(codec::EncodePlanItems(p.items)).Text(codec::EncodePlanRevisions(p.revisions));
  b.Time(p.update_time);
}

absl::StatusOr<domain::WorkPlan> ReadPlan(RowReader& r) {
  domain::WorkPlan p;
  p.id = r.Text();
  auto context = [&p](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("work plan '", p.id, "': ", s.message()));
  };
  p.campaign_id = r.Text();
  p.street_office_id = r.Text();
  p.state = r.AsEnum<domain::PlanState>();
  absl::StatusOr<std::vector<domain::PlanItem>> items = codec::DecodePlanItems(r.Text());
  if (!items.ok()) return context(items.status());
  p.items = *std::move(items);
  absl::StatusOr<std::vector<domain::PlanRevision>> revisions =
      codec::DecodePlanRevisions(r.Text());
  if (!revisions.ok()) return context(revisions.status());
  p.revisions = *std::move(revisions);
  p.update_time = r.Time(absl::InfinitePast());
  p.version = r.Int();
  return p;
}

std::pair<std::string, std::vector<internal::SqlArg>> PlanWhere(const PlanFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("street_office_id", f.street_office_id)
      .Eq("state", f.state).Build();
}

const TableSql& AssignmentSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "volunteer_assignments", "volunteer assignment",
      {"id", "campaign_id", "volunteer_id", "volunteer_org_id", "community_id",
       "street_office_id", "assigned_by", "assign_time", "ended_by", "end_time", "version"}));
  return *sql;
}

void BindAssignment(Binder& b, const domain::VolunteerAssignment& a) {
  b.Text(a.id).Ref(a.campaign_id).Ref(a.volunteer_id).Ref(a.volunteer_org_id);
  b.Ref(a.community_id).Ref(a.street_office_id).Text(a.assigned_by).Time(a.assign_time);
  b.Text(a.ended_by).Time(a.end_time);
}

absl::StatusOr<domain::VolunteerAssignment> ReadAssignment(RowReader& r) {
  domain::VolunteerAssignment a;
  a.id = r.Text();
  a.campaign_id = r.Text();
  a.volunteer_id = r.Text();
  a.volunteer_org_id = r.Text();
  a.community_id = r.Text();
  a.street_office_id = r.Text();
  a.assigned_by = r.Text();
  a.assign_time = r.Time(absl::InfinitePast());
  a.ended_by = r.Text();
  a.end_time = r.Time(absl::InfinitePast());
  a.version = r.Int();
  return a;
}

std::pair<std::string, std::vector<internal::SqlArg>> AssignmentWhere(const AssignmentFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("volunteer_id", f.volunteer_id)
      .Eq("community_id", f.community_id).Eq("street_office_id", f.street_office_id)
      .If(f.active_only, "end_time IS NULL").Build();
}

const TableSql& ReportSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "supervision_reports", "supervision report",
      {"id", "kind", "campaign_id", "community_id", "street_office_id", "task_id",
       "volunteer_id", "volunteer_org_id", "time", "note", "evidence", "finding", "version"}));
  return *sql;
}

void BindReport(Binder& b, const domain::SupervisionReport& r) {
  b.Text(r.id).Int(static_cast<int>(r.kind)).Ref(r.campaign_id).Ref(r.community_id);
  b.Ref(r.street_office_id).Ref(r.task_id).Ref(r.volunteer_id).Ref(r.volunteer_org_id);
  b.Time(r.time).Text(r.note).Text(codec::EncodeEvidence(r.evidence));
  b.Int(static_cast<int>(r.finding));
}

absl::StatusOr<domain::SupervisionReport> ReadReport(RowReader& r) {
  domain::SupervisionReport out;
  out.id = r.Text();
  out.kind = r.AsEnum<domain::ReportKind>();
  out.campaign_id = r.Text();
  out.community_id = r.Text();
  out.street_office_id = r.Text();
  out.task_id = r.Text();
  out.volunteer_id = r.Text();
  out.volunteer_org_id = r.Text();
  out.time = r.Time(absl::InfinitePast());
  out.note = r.Text();
  absl::StatusOr<std::vector<domain::Evidence>> evidence = codec::DecodeEvidence(r.Text());
  if (!evidence.ok()) {
    return absl::Status(evidence.status().code(),
                        absl::StrCat("supervision report '", out.id, "': ",
                                     evidence.status().message()));
  }
  out.evidence = *std::move(evidence);
  out.finding = r.AsEnum<domain::CheckFinding>();
  out.version = r.Int();
  return out;
}

std::pair<std::string, std::vector<internal::SqlArg>> ReportWhere(
    const SupervisionReportFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("task_id", f.task_id)
      .Eq("community_id", f.community_id).Eq("volunteer_id", f.volunteer_id)
      .Eq("street_office_id", f.street_office_id).Eq("kind", f.kind).Build();
}

const TableSql& HardProblemSql() {
  static const TableSql* sql = new TableSql(MakeTableSql(
      "hard_problems", "hard problem",
      {"id", "campaign_id", "kind", "title", "description", "reported_by", "reporter_org_id",
       "state", "answer", "answered_by", "report_time", "answer_time", "update_time",
       "version"}));
  return *sql;
}

void BindHardProblem(Binder& b, const domain::HardProblem& p) {
  b.Text(p.id).Ref(p.campaign_id).Int(static_cast<int>(p.kind)).Text(p.title);
  b.Text(p.description).Text(p.reported_by).Ref(p.reporter_org_id);
  b.Int(static_cast<int>(p.state)).Text(p.answer).Text(p.answered_by).Time(p.report_time);
  b.Time(p.answer_time).Time(p.update_time);
}

absl::StatusOr<domain::HardProblem> ReadHardProblem(RowReader& r) {
  domain::HardProblem p;
  p.id = r.Text();
  p.campaign_id = r.Text();
  p.kind = r.AsEnum<domain::HardProblemKind>();
  p.title = r.Text();
  p.description = r.Text();
  p.reported_by = r.Text();
  p.reporter_org_id = r.Text();
  p.state = r.AsEnum<domain::HardProblemState>();
  p.answer = r.Text();
  p.answered_by = r.Text();
  p.report_time = r.Time(absl::InfinitePast());
  p.answer_time = r.Time(absl::InfinitePast());
  p.update_time = r.Time(absl::InfinitePast());
  p.version = r.Int();
  return p;
}

std::pair<std::string, std::vector<internal::SqlArg>> HardProblemWhere(
    const HardProblemFilter& f) {
  return Where().Eq("campaign_id", f.campaign_id).Eq("state", f.state).Build();
}

// A reference an entity makes, checked when SQLite reports a FOREIGN KEY
// failure so that the message can name the field at fault.
struct Ref {
  const char* field;
  const char* table;
  const char* noun;
  const std::string& id;
};

// ---------------------------------------------------------------------------

// One transaction on one connection: a read transaction (Store::Read, where
// only the ReadTx part is reachable) or a write transaction (Store::Write).
class SqliteTx final : public WriteTx {
 public:
  SqliteTx(Connection& conn, bool writable) : conn_(conn), writable_(writable) {}

  // Non-OK once SQLite has rolled the whole transaction back by itself.
  const absl::Status& broken() const { return broken_; }
  // Whether this transaction wrote (or tried to write) a token, a person or
  // an organisation: see Store::IdentityGeneration.
  bool touched_identity() const { return touched_identity_; }

  absl::StatusOr<domain::Campaign> GetCampaign(absl::string_view id) override {
    return GetEntity(CampaignSql(), id, ReadCampaign);
  }
  absl::StatusOr<std::vector<domain::Campaign>> ListCampaigns() override {
    return ListEntities(CampaignSql(), "", {}, ReadCampaign);
  }
  absl::StatusOr<domain::Organisation> GetOrganisation(absl::string_view id) override {
    return GetEntity(OrganisationSql(), id, ReadOrganisation);
  }
  absl::StatusOr<std::vector<domain::Organisation>> ListOrganisations(
      std::optional<domain::OrgKind> kind) override {
    if (!kind.has_value()) return ListEntities(OrganisationSql(), "", {}, ReadOrganisation);
    return ListEntities(OrganisationSql(), " WHERE kind = ?", int64_t{static_cast<int>(*kind)},
                        ReadOrganisation);
  }
  absl::StatusOr<domain::Person> GetPerson(absl::string_view id) override {
    return GetEntity(PersonSql(), id, ReadPerson);
  }
  absl::StatusOr<std::vector<domain::Person>> ListPeople(absl::string_view org_id) override {
    if (org_id.empty()) return ListEntities(PersonSql(), "", {}, ReadPerson);
    return ListEntities(PersonSql(), " WHERE organisation_id = ?", std::string(org_id), ReadPerson);
  }
  absl::StatusOr<domain::Community> GetCommunity(absl::string_view id) override {
    return GetEntity(CommunitySql(), id, ReadCommunity);
  }
  absl::StatusOr<std::vector<domain::Community>> ListCommunities(
      absl::string_view street_office_id) override {
    if (street_office_id.empty()) return ListEntities(CommunitySql(), "", {}, ReadCommunity);
    return ListEntities(CommunitySql(), " WHERE street_office_id = ?",
                        std::string(street_office_id), ReadCommunity);
  }
  absl::StatusOr<domain::Task> GetTask(absl::string_view id) override {
    return GetEntity(TaskSql(), id, ReadTask);
  }
  absl::StatusOr<TaskPage> ListTasks(const TaskQuery& query) override;
  absl::StatusOr<std::vector<domain::Event>> ListEvents(absl::string_view subject,
                                                        int64_t after_seq, int limit) override;
  absl::StatusOr<domain::Inspection> GetInspection(absl::string_view id) override {
    return GetEntity(InspectionSql(), id, ReadInspection);
  }
  absl::StatusOr<std::vector<domain::Inspection>> ListInspections(const InspectionFilter& filter,
                                                                  int limit) override;
  absl::StatusOr<domain::SelfCheckList> GetSelfCheckList(absl::string_view campaign_id,
                                                         absl::string_view community_id) override;
  absl::StatusOr<std::vector<domain::SelfCheckList>> ListSelfCheckLists(
      absl::string_view campaign_id) override;
  absl::StatusOr<StandardRecord> GetStandard(absl::string_view id,
                                             absl::string_view version) override;
  absl::StatusOr<std::vector<StandardRecord>> ListStandards() override;
  absl::StatusOr<domain::Penalty> GetPenalty(absl::string_view id) override {
    return GetEntity(PenaltySql(), id, ReadPenalty);
  }
  absl::StatusOr<std::vector<domain::Penalty>> ListPenalties(const PenaltyFilter& filter,
                                                             int limit) override;
  absl::StatusOr<int64_t> CountPenalties(const PenaltyFilter& filter) override;
  absl::StatusOr<bool> EscalationApplied(absl::string_view campaign_id, absl::string_view step_id,
                                         absl::string_view subject) override;
  absl::Status CreatePenalty(domain::Penalty& penalty) override {
    return CreateEntity(PenaltySql(), penalty, BindPenalty, PenaltyRefs(penalty));
  }
  absl::Status SavePenalty(domain::Penalty& penalty) override {
    return SaveEntity(PenaltySql(), penalty, BindPenalty, PenaltyRefs(penalty));
  }
  absl::StatusOr<bool> MarkEscalationApplied(absl::string_view campaign_id,
                                             absl::string_view step_id, absl::string_view subject,
                                             absl::Time time) override;
  absl::StatusOr<domain::LegalCase> GetLegalCase(absl::string_view id) override {
    return GetEntity(LegalCaseSql(), id, ReadLegalCase);
  }
  absl::StatusOr<std::vector<domain::LegalCase>> ListLegalCases(const LegalCaseFilter& filter,
                                                                int limit) override {
    auto [where, args] = LegalCaseWhere(filter);
    return ListNewestFirst(LegalCaseSql(), where, args, limit, ReadLegalCase);
  }
  absl::StatusOr<domain::HardProblem> GetHardProblem(absl::string_view id) override {
    return GetEntity(HardProblemSql(), id, ReadHardProblem);
  }
  absl::StatusOr<std::vector<domain::HardProblem>> ListHardProblems(
      const HardProblemFilter& filter, int limit) override {
    auto [where, args] = HardProblemWhere(filter);
    return ListNewestFirst(HardProblemSql(), where, args, limit, ReadHardProblem);
  }
  absl::StatusOr<domain::ResponsibilityLetter> GetLetter(absl::string_view id) override {
    return GetEntity(LetterSql(), id, ReadLetter);
  }
  absl::StatusOr<std::vector<domain::ResponsibilityLetter>> ListLetters(
      const LetterFilter& filter, int limit) override {
    auto [where, args] = LetterWhere(filter);
    return ListNewestFirst(LetterSql(), where, args, limit, ReadLetter);
  }
  absl::StatusOr<domain::WorkPlan> GetPlan(absl::string_view id) override {
    return GetEntity(PlanSql(), id, ReadPlan);
  }
  absl::StatusOr<std::vector<domain::WorkPlan>> ListPlans(const PlanFilter& filter,
                                                          int limit) override {
    auto [where, args] = PlanWhere(filter);
    return ListNewestFirst(PlanSql(), where, args, limit, ReadPlan);
  }
  absl::Status CreatePlan(domain::WorkPlan& p) override {
    return CreateEntity(PlanSql(), p, BindPlan, PlanRefs(p));
  }
  absl::Status SavePlan(domain::WorkPlan& p) override {
    return SaveEntity(PlanSql(), p, BindPlan, PlanRefs(p));
  }
  absl::StatusOr<domain::VolunteerAssignment> GetAssignment(absl::string_view id) override {
    return GetEntity(AssignmentSql(), id, ReadAssignment);
  }
  absl::StatusOr<std::vector<domain::VolunteerAssignment>> ListAssignments(
      const AssignmentFilter& filter, int limit) override {
    auto [where, args] = AssignmentWhere(filter);
    return ListNewestFirst(AssignmentSql(), where, args, limit, ReadAssignment);
  }
  absl::StatusOr<std::optional<domain::VolunteerAssignment>> ActiveAssignment(
      absl::string_view campaign_id, absl::string_view volunteer_id,
      absl::string_view community_id) override {
    AssignmentFilter filter;
    filter.campaign_id = std::string(campaign_id);
    filter.volunteer_id = std::string(volunteer_id);
    filter.community_id = std::string(community_id);
    filter.active_only = true;
    if (filter.campaign_id.empty() || filter.volunteer_id.empty() ||
        filter.community_id.empty()) {
      return std::optional<domain::VolunteerAssignment>();
    }
    RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::VolunteerAssignment> found,
                             ListAssignments(filter, 1));
    if (found.empty()) return std::optional<domain::VolunteerAssignment>();
    return std::optional<domain::VolunteerAssignment>(std::move(found.front()));
  }
  absl::Status CreateAssignment(domain::VolunteerAssignment& a) override {
    return CreateEntity(AssignmentSql(), a, BindAssignment, AssignmentRefs(a));
  }
  absl::Status SaveAssignment(domain::VolunteerAssignment& a) override {
    return SaveEntity(AssignmentSql(), a, BindAssignment, AssignmentRefs(a));
  }
  absl::StatusOr<domain::SupervisionReport> GetSupervisionReport(absl::string_view id) override {
    return GetEntity(ReportSql(), id, ReadReport);
  }
  absl::StatusOr<std::vector<domain::SupervisionReport>> ListSupervisionReports(
      const SupervisionReportFilter& filter, int limit) override {
    auto [where, args] = ReportWhere(filter);
    return ListNewestFirst(ReportSql(), where, args, limit, ReadReport);
  }
  absl::Status CreateSupervisionReport(domain::SupervisionReport& r) override {
    return CreateEntity(ReportSql(), r, BindReport, ReportRefs(r));
  }
  absl::Status CreateLetter(domain::ResponsibilityLetter& l) override {
    return CreateEntity(LetterSql(), l, BindLetter, LetterRefs(l));
  }
  absl::Status SaveLetter(domain::ResponsibilityLetter& l) override {
    return SaveEntity(LetterSql(), l, BindLetter, LetterRefs(l));
  }
  absl::Status CreateLegalCase(domain::LegalCase& c) override {
    return CreateEntity(LegalCaseSql(), c, BindLegalCase, LegalCaseRefs(c));
  }
  absl::Status SaveLegalCase(domain::LegalCase& c) override {
    return SaveEntity(LegalCaseSql(), c, BindLegalCase, LegalCaseRefs(c));
  }
  absl::Status CreateHardProblem(domain::HardProblem& p) override {
    return CreateEntity(HardProblemSql(), p, BindHardProblem, HardProblemRefs(p));
  }
  absl::Status SaveHardProblem(domain::HardProblem& p) override {
    return SaveEntity(HardProblemSql(), p, BindHardProblem, HardProblemRefs(p));
  }
  absl::StatusOr<TokenRecord> GetToken(absl::string_view token_hash) override;
  absl::StatusOr<int64_t> CountTokens() override;
  absl::StatusOr<std::vector<TokenRecord>> ListTokens(absl::string_view person_id) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAudit(const AuditFilter& filter,
                                                     int limit) override;
  absl::StatusOr<std::map<domain::Payer, int64_t>> SumActualCostByPayer(
      absl::string_view campaign_id, absl::string_view street_office_id) override;
  absl::StatusOr<std::vector<UnitMetricCounts>> CountMetrics(const TaskFilter& filter,
                                                             MetricUnit unit,
                                                             const MetricScope& scope) override;
  absl::StatusOr<std::vector<domain::MetricFigures>> CountMetricSeries(
      const TaskFilter& filter, const std::vector<MetricScope>& periods) override;
  absl::StatusOr<std::map<domain::Payer, PayerSums>> SumBudgetByPayer(
      const TaskFilter& filter) override;
  absl::StatusOr<std::optional<StoredResponse>> LookupRequest(
      absl::string_view principal, absl::string_view request_id) override;

  absl::Status CreateCampaign(domain::Campaign& campaign) override {
    return CreateEntity(CampaignSql(), campaign, BindCampaign, {});
  }
  absl::Status SaveCampaign(domain::Campaign& campaign) override {
    return SaveEntity(CampaignSql(), campaign, BindCampaign, {});
  }
  absl::Status CreateOrganisation(domain::Organisation& org) override {
    touched_identity_ = true;
    return CreateEntity(OrganisationSql(), org, BindOrganisation, OrganisationRefs(org));
  }
  absl::Status SaveOrganisation(domain::Organisation& org) override {
    touched_identity_ = true;
    return SaveEntity(OrganisationSql(), org, BindOrganisation, OrganisationRefs(org));
  }
  absl::Status CreatePerson(domain::Person& person) override {
    touched_identity_ = true;
    return CreateEntity(PersonSql(), person, BindPerson, PersonRefs(person));
  }
  absl::Status SavePerson(domain::Person& person) override {
    touched_identity_ = true;
    return SaveEntity(PersonSql(), person, BindPerson, PersonRefs(person));
  }
  absl::Status CreateCommunity(domain::Community& community) override {
    return CreateEntity(CommunitySql(), community, BindCommunity, CommunityRefs(community));
  }
  absl::Status SaveCommunity(domain::Community& community) override {
    return SaveEntity(CommunitySql(), community, BindCommunity, CommunityRefs(community));
  }
  absl::Status CreateTask(domain::Task& task) override {
    return CreateEntity(TaskSql(), task, BindTask, TaskRefs(task));
  }
  // The hottest write (every transition): SETs only the columns that changed,
  // so that SQLite rewrites only the indexes on those (BENCHMARKS.md, finding 7).
  absl::Status SaveTask(domain::Task& task) override {
    return SaveChangedColumns(TaskSql(), task, BindTask, TaskRefs(task));
  }
  absl::Status CreateInspection(domain::Inspection& inspection) override;
  absl::Status SaveInspection(domain::Inspection& inspection) override;
  absl::Status CreateSelfCheckList(const domain::SelfCheckList& list) override;
  absl::Status PutStandard(const StandardRecord& standard) override;

  absl::Status AppendEvent(domain::Event& event) override;
  absl::StatusOr<int64_t> NextSequence(absl::string_view name) override;
  absl::Status PutToken(const TokenRecord& token) override;
  absl::Status AppendAudit(AuditRecord& record) override;
  absl::Status SaveRequest(absl::string_view principal, absl::string_view request_id,
                           const StoredResponse& response) override;

 private:
  static std::vector<Ref> OrganisationRefs(const domain::Organisation& o) {
    return {{"street_office_id", "organisations", "organisation", o.street_office_id}};
  }
  static std::vector<Ref> PersonRefs(const domain::Person& p) {
    return {{"organisation_id", "organisations", "organisation", p.organisation_id}};
  }
  static std::vector<Ref> CommunityRefs(const domain::Community& c) {
    return {{"street_office_id", "organisations", "organisation", c.street_office_id},
            {"property_company_id", "organisations", "organisation", c.property_company_id},
            {"owners_committee_id", "organisations", "organisation", c.owners_committee_id}};
  }
  static std::vector<Ref> TaskRefs(const domain::Task& t) {
    return {{"campaign_id", "campaigns", "campaign", t.campaign_id},
            {"community_id", "communities", "community", t.community_id},
            {"street_office_id", "organisations", "organisation", t.street_office_id},
            {"inspection_id", "inspections", "inspection", t.inspection_id},
            {"responsible_org_id", "organisations", "organisation", t.responsible_org_id}};
  }
  static std::vector<Ref> InspectionRefs(const domain::Inspection& i) {
    return {{"campaign_id", "campaigns", "campaign", i.campaign_id},
            {"community_id", "communities", "community", i.community_id}};
  }
  static std::vector<Ref> PenaltyRefs(const domain::Penalty& p) {
    return {{"campaign_id", "campaigns", "campaign", p.campaign_id},
            {"organisation_id", "organisations", "organisation", p.org_id}};
  }
  static std::vector<Ref> LegalCaseRefs(const domain::LegalCase& c) {
    return {{"campaign_id", "campaigns", "campaign", c.campaign_id},
            {"community_id", "communities", "community", c.community_id},
            {"street_office_id", "organisations", "organisation", c.street_office_id},
            {"property_company_id", "organisations", "organisation", c.property_company_id},
            {"task_id", "tasks", "task", c.task_id}};
  }
  static std::vector<Ref> LetterRefs(const domain::ResponsibilityLetter& l) {
    return {{"campaign_id", "campaigns", "campaign", l.campaign_id},
            {"community_id", "communities", "community", l.community_id},
            {"street_office_id", "organisations", "organisation", l.street_office_id},
            {"owners_committee_id", "organisations", "organisation", l.owners_committee_id},
            {"property_company_id", "organisations", "organisation", l.property_company_id}};
  }
  static std::vector<Ref> PlanRefs(const domain::WorkPlan& p) {
    return {{"campaign_id", "campaigns", "campaign", p.campaign_id},
            {"street_office_id", "organisations", "organisation", p.street_office_id}};
  }
  static std::vector<Ref> AssignmentRefs(const domain::VolunteerAssignment& a) {
    return {{"campaign_id", "campaigns", "campaign", a.campaign_id},
            {"volunteer_id", "people", "person", a.volunteer_id},
            {"volunteer_org_id", "organisations", "organisation", a.volunteer_org_id},
            {"community_id", "communities", "community", a.community_id},
            {"street_office_id", "organisations", "organisation", a.street_office_id}};
  }
  static std::vector<Ref> ReportRefs(const domain::SupervisionReport& r) {
    return {{"campaign_id", "campaigns", "campaign", r.campaign_id},
            {"community_id", "communities", "community", r.community_id},
            {"street_office_id", "organisations", "organisation", r.street_office_id},
            {"task_id", "tasks", "task", r.task_id},
            {"volunteer_id", "people", "person", r.volunteer_id},
            {"volunteer_org_id", "organisations", "organisation", r.volunteer_org_id}};
  }
  static std::vector<Ref> HardProblemRefs(const domain::HardProblem& p) {
    return {{"campaign_id", "campaigns", "campaign", p.campaign_id},
            {"reporter_org_id", "organisations", "organisation", p.reporter_org_id}};
  }
  static std::vector<Ref> SelfCheckListRefs(const domain::SelfCheckList& l) {
    return {{"campaign_id", "campaigns", "campaign", l.campaign_id},
            {"community_id", "communities", "community", l.community_id}};
  }

  // The campaign and community an inspection or a self-check list belongs to
  // are required (their columns are NOT NULL): kInvalidArgument naming the
  // empty field, before SQLite would report a bare constraint failure.
  static absl::Status RequireOwner(absl::string_view what, const std::string& campaign_id,
                                   const std::string& community_id) {
    if (campaign_id.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": 'campaign_id' is empty; name the campaign it belongs to"));
    }
    if (community_id.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": 'community_id' is empty; name the community it belongs to"));
    }
    return absl::OkStatus();
  }

  // Runs `body` (which may throw SQLite::Exception) and maps what it throws.
  // `what` names the operation for messages. On a FOREIGN KEY failure the
  // message names the first reference in `refs` that does not exist.
  template <typename Body>
  auto Run(const std::function<std::string()>& what, Body&& body, const std::vector<Ref>& refs = {})
      -> decltype(body()) {
    if (!broken_.ok()) return broken_;
    try {
      return body();
    } catch (const SQLite::Exception& e) {
      absl::Status status = SqliteStatus(e, what());
      if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) {
        status = ExplainForeignKey(status, what(), refs);
      }
      // Most errors undo only the failed statement; a few (full disk, I/O
      // error) make SQLite roll back the whole transaction. Later statements
      // would then run outside any transaction, each committed on its own, so
      // refuse them instead.
      if (sqlite3_get_autocommit(conn_.db().getHandle()) != 0) {
        broken_ = absl::Status(
            status.code(),
            absl::StrCat(status.message(),
                         "; the database rolled the whole transaction back, so nothing in it "
                         "was kept; run it again"));
        return broken_;
      }
      return status;
    } catch (const std::bad_alloc&) {
      return absl::ResourceExhaustedError(absl::StrCat(what(), ": out of memory"));
    }
  }

  static std::function<std::string()> What(absl::string_view verb, const TableSql& sql,
                                           absl::string_view id) {
    return [verb, &sql, id] { return absl::StrCat(verb, " ", sql.noun, " '", id, "'"); };
  }

  // Only reachable by casting a ReadTx down: a programmer error.
  absl::Status WritableOrError(const std::function<std::string()>& what) const {
    if (writable_) return absl::OkStatus();
    return absl::InternalError(absl::StrCat(what(), ": called in a read transaction"));
  }

  absl::Status ExplainForeignKey(const absl::Status& status, absl::string_view what,
                                 const std::vector<Ref>& refs) {
    try {
      for (const Ref& ref : refs) {
        if (ref.id.empty()) continue;
        Lease stmt = conn_.Prepare(absl::StrCat("SELECT 1 FROM ", ref.table, " WHERE id = ?"));
        stmt->bind(1, ref.id);
        if (!stmt->executeStep()) {
          return absl::FailedPreconditionError(
              absl::StrCat(what, ": ", ref.field, " '", ref.id, "' names no ", ref.noun,
                           " that exists; create the ", ref.noun, " first or correct the id"));
        }
      }
    } catch (const SQLite::Exception&) {
      // Keep the original status: the diagnosis is a courtesy.
    }
    return status;
  }

  template <typename T>
  absl::StatusOr<T> GetEntity(const TableSql& sql, absl::string_view id,
                              absl::StatusOr<T> (*read)(RowReader&)) {
    return Run(What("get", sql, id), [&]() -> absl::StatusOr<T> {
      Lease stmt = conn_.Prepare(sql.get);
      stmt->bind(1, std::string(id));
      if (!stmt->executeStep()) {
        return absl::NotFoundError(absl::StrCat(sql.noun, " '", id, "' does not exist"));
      }
      RowReader r(*stmt);
      return read(r);
    });
  }

  // All rows in creation order, optionally restricted by `where` with one argument.
  template <typename T>
  absl::StatusOr<std::vector<T>> ListEntities(const TableSql& sql, absl::string_view where,
                                              std::optional<internal::SqlArg> arg,
                                              absl::StatusOr<T> (*read)(RowReader&)) {
    return Run([&sql] { return absl::StrCat("list ", sql.table); },
               [&]() -> absl::StatusOr<std::vector<T>> {
                 Lease stmt = conn_.Prepare(absl::StrCat("SELECT ", sql.columns, " FROM ",
                                                         sql.table, where, " ORDER BY row_id"));
                 if (arg.has_value()) Binder(*stmt).Arg(*arg);
                 std::vector<T> out;
                 while (stmt->executeStep()) {
                   RowReader r(*stmt);
                   RECTIFY_ASSIGN_OR_RETURN(T item, read(r));
                   out.push_back(std::move(item));
                 }
                 return out;
               });
  }

  // Rows matching `where` (with `args`), newest first, at most `limit` (1..1000).
  template <typename T>
  absl::StatusOr<std::vector<T>> ListNewestFirst(const TableSql& sql, const std::string& where,
                                                 const std::vector<internal::SqlArg>& args,
                                                 int limit,
                                                 absl::StatusOr<T> (*read)(RowReader&)) {
    if (limit < 1 || limit > 1000) {
      return absl::InvalidArgumentError(absl::StrCat("limit is ", limit, "; it must be 1..1000"));
    }
    return Run([&sql] { return absl::StrCat("list ", sql.table); },
               [&]() -> absl::StatusOr<std::vector<T>> {
                 Lease stmt = conn_.Prepare(absl::StrCat("SELECT ", sql.columns, " FROM ",
                                                         sql.table, where,
                                                         " ORDER BY row_id DESC LIMIT ?"));
                 Binder b(*stmt);
                 for (const internal::SqlArg& arg : args) b.Arg(arg);
                 b.Int(limit);
                 std::vector<T> out;
                 while (stmt->executeStep()) {
                   RowReader r(*stmt);
                   RECTIFY_ASSIGN_OR_RETURN(T item, read(r));
                   out.push_back(std::move(item));
                 }
                 return out;
               });
  }

  template <typename T, typename BindFn>
  absl::Status CreateEntity(const TableSql& sql, T& obj, BindFn bind,
                            const std::vector<Ref>& refs) {
    auto what = What("create", sql, obj.id);
    RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
    return Run(
        what,
        [&]() -> absl::Status {
          Lease stmt = conn_.Prepare(sql.insert);
          Binder b(*stmt);
          bind(b, obj);
          b.Int(1);
          stmt->exec();
          obj.version = 1;
          return absl::OkStatus();
        },
        refs);
  }

  template <typename T, typename BindFn>
  absl::Status SaveEntity(const TableSql& sql, T& obj, BindFn bind, const std::vector<Ref>& refs) {
    auto what = What("save", sql, obj.id);
    RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
    return Run(
        what,
        [&]() -> absl::Status {
          int changes = 0;
          {
            Lease stmt = conn_.Prepare(sql.update);
            Binder b(*stmt);
            bind(b, obj);
            b.Int(obj.version + 1).Int(obj.version);
            changes = stmt->exec();
          }
          if (changes == 1) {
            obj.version += 1;
            return absl::OkStatus();
          }
          Lease stmt = conn_.Prepare(sql.version_of);
          stmt->bind(1, obj.id);
          if (!stmt->executeStep()) {
            return absl::NotFoundError(absl::StrCat(sql.noun, " '", obj.id, "' does not exist"));
          }
          const int64_t current = stmt->getColumn(0).getInt64();
          return absl::AbortedError(
              absl::StrCat(sql.noun, " '", obj.id, "' was changed by someone else (version ",
                           current, ", you had ", obj.version, "); read it again and retry"));
        },
        refs);
  }

  // SaveEntity that compares the stored row first and updates only the columns
  // whose values differ (and the version). Same codes as SaveEntity.
  template <typename T, typename BindFn>
  absl::Status SaveChangedColumns(const TableSql& sql, T& obj, BindFn bind,
                                  const std::vector<Ref>& refs) {
    auto what = What("save", sql, obj.id);
    RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
    std::vector<SqlValue> values;
    Binder capture(&values);
    bind(capture, obj);
    // `values` holds every column but the version, which comes last.
    if (values.size() + 1 != sql.column_names.size()) return SaveEntity(sql, obj, bind, refs);
    std::vector<size_t> changed;
    bool found = false;
    RECTIFY_RETURN_IF_ERROR(Run(what, [&]() -> absl::Status {
      Lease stmt = conn_.Prepare(absl::StrCat(sql.get, " AND version = ?"));
      stmt->bind(1, obj.id);
      stmt->bind(2, obj.version);
      if (!stmt->executeStep()) return absl::OkStatus();
      found = true;
      for (size_t i = 1; i < values.size(); ++i) {
        if (!ColumnEquals(*stmt, static_cast<int>(i), values[i])) changed.push_back(i);
      }
      return absl::OkStatus();
    }));
    // Missing or stale: the general path names which.
    if (!found) return SaveEntity(sql, obj, bind, refs);
    std::vector<std::string> sets;
    for (size_t i : changed) sets.push_back(absl::StrCat(sql.column_names[i], " = ?"));
    sets.push_back("version = ?");
    const std::string update =
        absl::StrCat("UPDATE ", sql.table, " SET ", absl::StrJoin(sets, ", "),
                     " WHERE id = ? AND version = ?");
    return Run(
        what,
        [&]() -> absl::Status {
          Lease stmt = conn_.Prepare(update);
          Binder b(*stmt);
          for (size_t i : changed) b.Value(values[i]);
          b.Int(obj.version + 1).Text(obj.id).Int(obj.version);
          if (stmt->exec() != 1) {
            return absl::InternalError(absl::StrCat(sql.noun, " '", obj.id,
                                                    "' changed while it was being saved"));
          }
          obj.version += 1;
          return absl::OkStatus();
        },
        refs);
  }

  Connection& conn_;
  const bool writable_;
  absl::Status broken_;
  bool touched_identity_ = false;
};

absl::StatusOr<TaskPage> SqliteTx::ListTasks(const TaskQuery& query) {
  RECTIFY_ASSIGN_OR_RETURN(internal::TaskListPlan plan,
                           internal::PlanTaskList(query, TaskSql().columns));
  return Run([] { return std::string("list tasks"); },
             [&]() -> absl::StatusOr<TaskPage> {
               TaskPage page;
               {
                 Lease count = conn_.Prepare(plan.count_sql);
                 Binder b(*count);
                 for (const internal::SqlArg& arg : plan.count_args) b.Arg(arg);
                 count->executeStep();
                 page.total_count = count->getColumn(0).getInt64();
               }
               Lease stmt = conn_.Prepare(plan.page_sql);
               Binder b(*stmt);
               for (const internal::SqlArg& arg : plan.page_args) b.Arg(arg);
               internal::PageCursor last;
               while (stmt->executeStep()) {
                 if (static_cast<int>(page.tasks.size()) == query.page_size) {
                   // The extra row exists: another page follows the last row kept.
                   page.next_page_token = internal::MakePageToken(plan.listing_hash, last);
                   break;
                 }
                 RowReader r(*stmt);
                 RECTIFY_ASSIGN_OR_RETURN(domain::Task task, ReadTask(r));
                 last.sort_key = stmt->getColumn(r.next()).getInt64();
                 last.row_id = stmt->getColumn(r.next() + 1).getInt64();
                 page.tasks.push_back(std::move(task));
               }
               return page;
             });
}

absl::StatusOr<std::vector<domain::Event>> SqliteTx::ListEvents(absl::string_view subject,
                                                                int64_t after_seq, int limit) {
  if (limit < 0) {
    return absl::InvalidArgumentError(absl::StrCat("limit is ", limit, "; it must be >= 0"));
  }
  if (limit == 0) return std::vector<domain::Event>();
  return Run([] { return std::string("list events"); },
             [&]() -> absl::StatusOr<std::vector<domain::Event>> {
               std::vector<domain::Event> out;
               const bool all = subject.empty();
               Lease stmt = conn_.Prepare(
                   absl::StrCat("SELECT ", kEventColumns, " FROM events WHERE ",
                                all ? "" : "subject = ? AND ", "seq > ? ORDER BY seq LIMIT ?"));
               Binder b(*stmt);
               if (!all) b.Text(std::string(subject));
               b.Int(after_seq).Int(limit);
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 RECTIFY_ASSIGN_OR_RETURN(domain::Event event, ReadEvent(r));
                 out.push_back(std::move(event));
               }
               return out;
             });
}

absl::StatusOr<std::vector<domain::Inspection>> SqliteTx::ListInspections(
    const InspectionFilter& filter, int limit) {
  RECTIFY_ASSIGN_OR_RETURN(internal::InspectionListPlan plan,
                           internal::PlanInspectionList(filter, limit, InspectionSql().columns));
  return Run([] { return std::string("list inspections"); },
             [&]() -> absl::StatusOr<std::vector<domain::Inspection>> {
               Lease stmt = conn_.Prepare(plan.sql);
               Binder b(*stmt);
               for (const internal::SqlArg& arg : plan.args) b.Arg(arg);
               std::vector<domain::Inspection> out;
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 RECTIFY_ASSIGN_OR_RETURN(domain::Inspection inspection, ReadInspection(r));
                 out.push_back(std::move(inspection));
               }
               return out;
             });
}

absl::Status SqliteTx::CreateInspection(domain::Inspection& inspection) {
  RECTIFY_RETURN_IF_ERROR(RequireOwner(What("create", InspectionSql(), inspection.id)(),
                                       inspection.campaign_id, inspection.community_id));
  return CreateEntity(InspectionSql(), inspection, BindInspection, InspectionRefs(inspection));
}

absl::Status SqliteTx::SaveInspection(domain::Inspection& inspection) {
  RECTIFY_RETURN_IF_ERROR(RequireOwner(What("save", InspectionSql(), inspection.id)(),
                                       inspection.campaign_id, inspection.community_id));
  return SaveEntity(InspectionSql(), inspection, BindInspection, InspectionRefs(inspection));
}

absl::StatusOr<domain::SelfCheckList> SqliteTx::GetSelfCheckList(absl::string_view campaign_id,
                                                                 absl::string_view community_id) {
  return Run(
      [&] {
        return absl::StrCat("get the self-check list of community '", community_id,
                            "' in campaign '", campaign_id, "'");
      },
      [&]() -> absl::StatusOr<domain::SelfCheckList> {
        Lease stmt = conn_.Prepare(absl::StrCat("SELECT ", kSelfCheckListColumns,
                                                " FROM self_check_lists "
                                                "WHERE campaign_id = ? AND community_id = ?"));
        Binder(*stmt).Text(std::string(campaign_id)).Text(std::string(community_id));
        if (!stmt->executeStep()) {
          return absl::NotFoundError(
              absl::StrCat("community '", community_id,
                           "' has submitted no self-check list in campaign '", campaign_id, "'"));
        }
        RowReader r(*stmt);
        return ReadSelfCheckList(r);
      });
}

// In submission order; "" lists those of every campaign.
absl::StatusOr<std::vector<domain::SelfCheckList>> SqliteTx::ListSelfCheckLists(
    absl::string_view campaign_id) {
  return Run([] { return std::string("list self-check lists"); },
             [&]() -> absl::StatusOr<std::vector<domain::SelfCheckList>> {
               const bool all = campaign_id.empty();
               Lease stmt = conn_.Prepare(
                   absl::StrCat("SELECT ", kSelfCheckListColumns, " FROM self_check_lists",
                                all ? "" : " WHERE campaign_id = ?", " ORDER BY row_id"));
               if (!all) Binder(*stmt).Text(std::string(campaign_id));
               std::vector<domain::SelfCheckList> out;
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 RECTIFY_ASSIGN_OR_RETURN(domain::SelfCheckList list, ReadSelfCheckList(r));
                 out.push_back(std::move(list));
               }
               return out;
             });
}

absl::Status SqliteTx::CreateSelfCheckList(const domain::SelfCheckList& list) {
  auto what = [&] {
    return absl::StrCat("create the self-check list of community '", list.community_id,
                        "' in campaign '", list.campaign_id, "'");
  };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  RECTIFY_RETURN_IF_ERROR(RequireOwner(what(), list.campaign_id, list.community_id));
  return Run(
      what,
      [&]() -> absl::Status {
        {
          // Said plainly here; the UNIQUE constraint would say "use another id".
          Lease stmt = conn_.Prepare(
              "SELECT 1 FROM self_check_lists WHERE campaign_id = ? AND community_id = ?");
          Binder(*stmt).Text(list.campaign_id).Text(list.community_id);
          if (stmt->executeStep()) {
            return absl::AlreadyExistsError(
                absl::StrCat(what(), ": the community already submitted one in this campaign; ",
                             "there is one per community and campaign"));
          }
        }
        Lease stmt = conn_.Prepare(absl::StrCat("INSERT INTO self_check_lists (",
                                                kSelfCheckListColumns, ") VALUES (?, ?, ?, ?, ?)"));
        Binder(*stmt)
            .Text(list.campaign_id)
            .Text(list.community_id)
            .Text(list.submitted_by)
            .Time(list.submit_time)
            .Text(codec::EncodeStrings(list.task_ids));
        stmt->exec();
        return absl::OkStatus();
      },
      SelfCheckListRefs(list));
}

absl::StatusOr<StandardRecord> SqliteTx::GetStandard(absl::string_view id,
                                                     absl::string_view version) {
  return Run([&] { return absl::StrCat("get standard '", id, "' version '", version, "'"); },
             [&]() -> absl::StatusOr<StandardRecord> {
               Lease stmt = conn_.Prepare(absl::StrCat(
                   "SELECT ", kStandardColumns, " FROM standards WHERE id = ? AND version = ?"));
               Binder(*stmt).Text(std::string(id)).Text(std::string(version));
               if (!stmt->executeStep()) {
                 return absl::NotFoundError(
                     absl::StrCat("standard '", id, "' version '", version, "' was never stored"));
               }
               RowReader r(*stmt);
               return ReadStandard(r);
             });
}

// Oldest first means first stored: the order the server loaded them in, which
// is what tells it the latest version of each standard. load_time is only
// recorded, not ordered by: a clock set back must not make an old version new.
absl::StatusOr<std::vector<StandardRecord>> SqliteTx::ListStandards() {
  return Run([] { return std::string("list standards"); },
             [&]() -> absl::StatusOr<std::vector<StandardRecord>> {
               Lease stmt = conn_.Prepare(
                   absl::StrCat("SELECT ", kStandardColumns, " FROM standards ORDER BY row_id"));
               std::vector<StandardRecord> out;
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 out.push_back(ReadStandard(r));
               }
               return out;
             });
}

absl::Status SqliteTx::PutStandard(const StandardRecord& standard) {
  auto what = [&] {
    return absl::StrCat("put standard '", standard.id, "' version '", standard.version, "'");
  };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  if (standard.id.empty() || standard.version.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what(), ": '", standard.id.empty() ? "id" : "version",
                     "' is empty; a standard is stored by its id and version"));
  }
  return Run(what, [&]() -> absl::Status {
    {
      Lease stmt = conn_.Prepare("SELECT 1 FROM standards WHERE id = ? AND version = ?");
      Binder(*stmt).Text(standard.id).Text(standard.version);
      if (stmt->executeStep()) {
        return absl::AlreadyExistsError(
            absl::StrCat(what(),
                         ": that version is stored already and never changes; give a changed "
                         "standard a new version"));
      }
    }
    Lease stmt = conn_.Prepare(
        absl::StrCat("INSERT INTO standards (", kStandardColumns, ") VALUES (?, ?, ?, ?)"));
    Binder(*stmt)
        .Text(standard.id)
        .Text(standard.version)
        .Text(standard.text)
        .Time(standard.load_time);
    stmt->exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<domain::Penalty>> SqliteTx::ListPenalties(const PenaltyFilter& filter,
                                                                   int limit) {
  if (limit < 1 || limit > 1000) {
    return absl::InvalidArgumentError(absl::StrCat("limit is ", limit, "; it must be 1..1000"));
  }
  auto [where, args] = PenaltyWhere(filter);
  return Run([] { return std::string("list penalties"); },
             [&]() -> absl::StatusOr<std::vector<domain::Penalty>> {
               Lease stmt = conn_.Prepare(absl::StrCat("SELECT ", PenaltySql().columns,
                                                       " FROM penalties", where,
                                                       " ORDER BY row_id DESC LIMIT ?"));
               Binder b(*stmt);
               for (const internal::SqlArg& arg : args) b.Arg(arg);
               b.Int(limit);
               std::vector<domain::Penalty> out;
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 RECTIFY_ASSIGN_OR_RETURN(domain::Penalty p, ReadPenalty(r));
                 out.push_back(std::move(p));
               }
               return out;
             });
}

absl::StatusOr<int64_t> SqliteTx::CountPenalties(const PenaltyFilter& filter) {
  auto [where, args] = PenaltyWhere(filter);
  return Run([] { return std::string("count penalties"); },
             [&]() -> absl::StatusOr<int64_t> {
               Lease stmt = conn_.Prepare(absl::StrCat("SELECT COUNT(*) FROM penalties", where));
               Binder b(*stmt);
               for (const internal::SqlArg& arg : args) b.Arg(arg);
               stmt->executeStep();
               return stmt->getColumn(0).getInt64();
             });
}

absl::StatusOr<bool> SqliteTx::EscalationApplied(absl::string_view campaign_id,
                                                 absl::string_view step_id,
                                                 absl::string_view subject) {
  return Run([] { return std::string("look up an applied escalation step"); },
             [&]() -> absl::StatusOr<bool> {
               Lease stmt = conn_.Prepare(
                   "SELECT 1 FROM escalations WHERE campaign_id = ? AND step_id = ? AND "
                   "subject = ?");
               Binder(*stmt)
                   .Text(std::string(campaign_id))
                   .Text(std::string(step_id))
                   .Text(std::string(subject));
               return stmt->executeStep();
             });
}

absl::StatusOr<bool> SqliteTx::MarkEscalationApplied(absl::string_view campaign_id,
                                                     absl::string_view step_id,
                                                     absl::string_view subject, absl::Time time) {
  auto what = [&] {
    return absl::StrCat("record escalation step '", step_id, "' of '", subject,
                        "' in campaign '", campaign_id, "'");
  };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  if (campaign_id.empty() || step_id.empty() || subject.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what(), ": campaign_id, step_id and subject are required"));
  }
  const std::string campaign(campaign_id);
  const std::vector<Ref> refs = {{"campaign_id", "campaigns", "campaign", campaign}};
  return Run(
      what,
      [&]() -> absl::StatusOr<bool> {
        Lease stmt = conn_.Prepare(
            "INSERT INTO escalations (campaign_id, step_id, subject, apply_time) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, step_id, subject) DO NOTHING");
        Binder(*stmt)
            .Text(campaign)
            .Text(std::string(step_id))
            .Text(std::string(subject))
            .Time(time);
        return stmt->exec() == 1;
      },
      refs);
}

absl::StatusOr<TokenRecord> SqliteTx::GetToken(absl::string_view token_hash) {
  return Run([] { return std::string("get token"); },
             [&]() -> absl::StatusOr<TokenRecord> {
               Lease stmt = conn_.Prepare(
                   absl::StrCat("SELECT ", kTokenColumns, " FROM tokens WHERE token_hash = ?"));
               stmt->bind(1, std::string(token_hash));
               // The hash is not echoed: messages end up in logs, and it identifies a credential.
               if (!stmt->executeStep()) return absl::NotFoundError("no token has this hash");
               RowReader r(*stmt);
               return ReadToken(r);
             });
}

absl::StatusOr<int64_t> SqliteTx::CountTokens() {
  return Run([] { return std::string("count tokens"); },
             [&]() -> absl::StatusOr<int64_t> {
               Lease stmt = conn_.Prepare("SELECT COUNT(*) FROM tokens");
               stmt->executeStep();
               return stmt->getColumn(0).getInt64();
             });
}

absl::StatusOr<std::vector<TokenRecord>> SqliteTx::ListTokens(absl::string_view person_id) {
  return Run([&] { return absl::StrCat("list the tokens of '", person_id, "'"); },
             [&]() -> absl::StatusOr<std::vector<TokenRecord>> {
               auto [where, args] = Where().Eq("person_id", std::string(person_id)).Build();
               Lease stmt = conn_.Prepare(absl::StrCat("SELECT ", kTokenColumns, " FROM tokens",
                                                       where,
                                                       " ORDER BY create_time DESC, token_hash"));
               Binder b(*stmt);
               for (const internal::SqlArg& arg : args) b.Arg(arg);
               std::vector<TokenRecord> out;
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 out.push_back(ReadToken(r));
               }
               return out;
             });
}

constexpr char kAuditColumns[] =
    "seq, time, principal, token_id, method, resource, request_id, code, message";

absl::StatusOr<std::vector<AuditRecord>> SqliteTx::ListAudit(const AuditFilter& filter,
                                                             int limit) {
  if (limit < 1 || limit > 1000) {
    return absl::InvalidArgumentError(absl::StrCat("limit is ", limit, "; it must be 1..1000"));
  }
  return Run([] { return std::string("list the audit trail"); },
             [&]() -> absl::StatusOr<std::vector<AuditRecord>> {
               Where where;
               where.Eq("principal", filter.principal)
                   .Eq("method", filter.method)
                   .Eq("resource", filter.resource);
               std::optional<int64_t> from = codec::TimeToMicros(filter.from);
               std::optional<int64_t> to = codec::TimeToMicros(filter.to);
               where.If(from.has_value(), "time >= ?")
                   .If(to.has_value(), "time < ?")
                   .If(filter.before_seq > 0, "seq < ?");
               auto [clause, args] = where.Build();
               Lease stmt = conn_.Prepare(absl::StrCat("SELECT ", kAuditColumns, " FROM audit",
                                                       clause, " ORDER BY seq DESC LIMIT ?"));
               Binder b(*stmt);
               for (const internal::SqlArg& arg : args) b.Arg(arg);
               if (from.has_value()) b.Int(*from);
               if (to.has_value()) b.Int(*to);
               if (filter.before_seq > 0) b.Int(filter.before_seq);
               b.Int(limit);
               std::vector<AuditRecord> out;
               while (stmt->executeStep()) {
                 RowReader r(*stmt);
                 AuditRecord a;
                 a.seq = r.Int();
                 a.time = r.Time(absl::InfinitePast());
                 a.principal = r.Text();
                 a.token_id = r.Text();
                 a.method = r.Text();
                 a.resource = r.Text();
                 a.request_id = r.Text();
                 a.code = static_cast<int>(r.Int());
                 a.message = r.Text();
                 out.push_back(std::move(a));
               }
               return out;
             });
}

absl::StatusOr<std::map<domain::Payer, int64_t>> SqliteTx::SumActualCostByPayer(
    absl::string_view campaign_id, absl::string_view street_office_id) {
  return Run(
      [&] {
        return absl::StrCat("sum the actual costs of campaign '", campaign_id,
                            "' in street office '", street_office_id, "'");
      },
      [&]() -> absl::StatusOr<std::map<domain::Payer, int64_t>> {
        Lease stmt = conn_.Prepare(
            "SELECT t.budget_payer, SUM(t.budget_actual_fen) FROM tasks t "
            "JOIN communities m ON m.id = t.community_id "
            "WHERE t.campaign_id = ? AND m.street_office_id = ? GROUP BY t.budget_payer");
        Binder(*stmt).Text(std::string(campaign_id)).Text(std::string(street_office_id));
        std::map<domain::Payer, int64_t> out;
        while (stmt->executeStep()) {
          RowReader r(*stmt);
          const int64_t payer = r.Int();
          out[static_cast<domain::Payer>(payer)] = r.Int();
        }
        return out;
      });
}

absl::StatusOr<std::vector<UnitMetricCounts>> SqliteTx::CountMetrics(const TaskFilter& filter,
                                                                     MetricUnit unit,
                                                                     const MetricScope& scope) {
  RECTIFY_ASSIGN_OR_RETURN(internal::MetricCountPlan plan,
                           internal::PlanMetricCount(filter, unit, scope));
  return Run([&] { return absl::StrCat("count the metrics of campaign '", filter.campaign_id, "'"); },
             [&]() -> absl::StatusOr<std::vector<UnitMetricCounts>> {
               Lease stmt = conn_.Prepare(plan.sql);
               Binder b(*stmt);
               for (const internal::SqlArg& arg : plan.args) b.Arg(arg);
               const int keys = unit == MetricUnit::kCell ? 3 : 1;
               std::vector<UnitMetricCounts> out;
               if (!plan.per_task) {  // kCity: SQLite summed
                 while (stmt->executeStep()) {
                   UnitMetricCounts row;
                   int column = 0;
                   row.unit_id = stmt->getColumn(column++).getString();
                   for (domain::Metric m : domain::kAllMetrics) {
                     domain::Ratio& r = row.figures[m];
                     r.numerator = stmt->getColumn(column++).getInt64();
                     r.denominator = stmt->getColumn(column++).getInt64();
                   }
                   out.push_back(std::move(row));
                 }
                 return out;
               }
               // One row per task: its unit and its 18 bits, summed here by
               // unit (a few hundred units; ordered by unit id as GROUP BY was).
               using Key = std::array<std::string, 3>;
               using Sums = std::array<int64_t, internal::kMetricBits>;
               std::map<Key, Sums> sums;
               Key key;
               Sums* last = nullptr;
               while (stmt->executeStep()) {
                 bool same = last != nullptr;
                 for (int k = 0; k < keys; ++k) {
                   const SQLite::Column column = stmt->getColumn(k);
                   const absl::string_view text(static_cast<const char*>(column.getText()),
                                                static_cast<size_t>(column.getBytes()));
                   if (same && text == key[k]) continue;
                   same = false;
                   key[k].assign(text.data(), text.size());
                 }
                 if (!same) {
                   auto [it, inserted] = sums.try_emplace(key);
                   if (inserted) it->second.fill(0);
                   last = &it->second;
                 }
                 const int64_t bits = stmt->getColumn(keys).getInt64();
                 for (int i = 0; i < internal::kMetricBits; ++i) (*last)[i] += (bits >> i) & 1;
               }
               for (const auto& [k, counted] : sums) {
                 UnitMetricCounts row;
                 if (unit == MetricUnit::kCell) {
                   row.street_office_id = k[0];
                   row.community_id = k[1];
                   row.responsible_org_id = k[2];
                 } else {
                   row.unit_id = k[0];
                 }
                 int i = 0;
                 for (domain::Metric m : domain::kAllMetrics) {
                   domain::Ratio& r = row.figures[m];
                   r.numerator = counted[i++];
                   r.denominator = counted[i++];
                 }
                 out.push_back(std::move(row));
               }
               return out;
             });
}

absl::StatusOr<std::vector<domain::MetricFigures>> SqliteTx::CountMetricSeries(
    const TaskFilter& filter, const std::vector<MetricScope>& periods) {
  RECTIFY_ASSIGN_OR_RETURN(internal::MetricSeriesPlan plan,
                           internal::PlanMetricSeries(filter, periods));
  return Run([&] { return absl::StrCat("count the metrics of campaign '", filter.campaign_id, "'"); },
             [&]() -> absl::StatusOr<std::vector<domain::MetricFigures>> {
               Lease stmt = conn_.Prepare(plan.sql);
               Binder b(*stmt);
               for (const internal::SqlArg& arg : plan.args) b.Arg(arg);
               std::vector<domain::MetricFigures> out(periods.size());
               while (stmt->executeStep()) {
                 int column = 0;
                 const int64_t index = stmt->getColumn(column++).getInt64();
                 if (index < 0 || index >= static_cast<int64_t>(out.size())) continue;
                 domain::MetricFigures& figures = out[static_cast<size_t>(index)];
                 for (domain::Metric m : domain::kAllMetrics) {
                   domain::Ratio& r = figures[m];
                   r.numerator = stmt->getColumn(column++).getInt64();
                   r.denominator = stmt->getColumn(column++).getInt64();
                 }
               }
               return out;
             });
}

absl::StatusOr<std::map<domain::Payer, PayerSums>> SqliteTx::SumBudgetByPayer(
    const TaskFilter& filter) {
  const internal::SqlTerm plain = internal::PlainTaskTerms(filter);
  return Run([&] { return absl::StrCat("sum the budgets of campaign '", filter.campaign_id, "'"); },
             [&]() -> absl::StatusOr<std::map<domain::Payer, PayerSums>> {
               Lease stmt = conn_.Prepare(absl::StrCat(
                   "SELECT budget_payer, COUNT(*), SUM(budget_planned_fen), "
                   "SUM(budget_actual_fen) FROM tasks WHERE ",
                   plain.sql, " AND state != ", static_cast<int>(domain::TaskState::kVoided),
                   " GROUP BY budget_payer"));
               Binder b(*stmt);
               for (const internal::SqlArg& arg : plain.args) b.Arg(arg);
               std::map<domain::Payer, PayerSums> out;
               while (stmt->executeStep()) {
                 PayerSums& sums = out[static_cast<domain::Payer>(stmt->getColumn(0).getInt64())];
                 sums.tasks = stmt->getColumn(1).getInt64();
                 sums.planned_fen = stmt->getColumn(2).getInt64();
                 sums.actual_fen = stmt->getColumn(3).getInt64();
               }
               return out;
             });
}

absl::StatusOr<std::optional<StoredResponse>> SqliteTx::LookupRequest(
    absl::string_view principal, absl::string_view request_id) {
  return Run(
      [&] { return absl::StrCat("look up request '", request_id, "' of '", principal, "'"); },
      [&]() -> absl::StatusOr<std::optional<StoredResponse>> {
        Lease stmt = conn_.Prepare(
            "SELECT method, fingerprint, response FROM requests "
            "WHERE principal = ? AND request_id = ?");
        Binder(*stmt).Text(std::string(principal)).Text(std::string(request_id));
        if (!stmt->executeStep()) return std::optional<StoredResponse>();
        RowReader r(*stmt);
        StoredResponse response;
        response.method = r.Text();
        response.fingerprint = r.Text();
        response.response = r.Blob();
        return std::optional<StoredResponse>(std::move(response));
      });
}

absl::Status SqliteTx::AppendEvent(domain::Event& event) {
  auto what = [&] {
    return absl::StrCat("append event '", event.type, "' of '", event.subject, "'");
  };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  return Run(what, [&]() -> absl::Status {
    Lease stmt = conn_.Prepare(
        "INSERT INTO events (type, subject, campaign_id, actor_person_id, actor_org_id, time, "
        "from_state, to_state, reason, details, audience) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Binder b(*stmt);
    b.Text(event.type).Text(event.subject).Text(event.campaign_id).Text(event.actor_person_id);
    b.Text(event.actor_org_id).Time(event.time).Text(event.from_state).Text(event.to_state);
    b.Text(event.reason).Text(codec::EncodeDetails(event.details));
    b.Text(codec::EncodeStrings(event.audience));
    stmt->exec();
    event.seq = conn_.db().getLastInsertRowid();
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> SqliteTx::NextSequence(absl::string_view name) {
  auto what = [&] { return absl::StrCat("advance sequence '", name, "'"); };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  if (name.empty()) return absl::InvalidArgumentError("sequence name is empty; name the counter");
  return Run(what, [&]() -> absl::StatusOr<int64_t> {
    Lease stmt = conn_.Prepare(
        "INSERT INTO sequences (name, value) VALUES (?, 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
    stmt->bind(1, std::string(name));
    stmt->executeStep();  // RETURNING: the change is made by this first step
    const int64_t value = stmt->getColumn(0).getInt64();
    while (stmt->executeStep()) {
    }
    return value;
  });
}

absl::Status SqliteTx::PutToken(const TokenRecord& token) {
  touched_identity_ = true;
  auto what = [] { return std::string("put token"); };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  if (token.token_hash.empty()) {
    return absl::InvalidArgumentError("token_hash is empty; store the hex SHA-256 of the secret");
  }
  return Run(what, [&]() -> absl::Status {
    Lease stmt = conn_.Prepare(
        absl::StrCat("INSERT INTO tokens (", kTokenColumns,
                     ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET "
                     "person_id = excluded.person_id, label = excluded.label, "
                     "create_time = excluded.create_time, expire_time = excluded.expire_time, "
                     "revoked = excluded.revoked"));
    Binder(*stmt)
        .Text(token.token_hash)
        .Text(token.person_id)
        .Text(token.label)
        .Time(token.create_time)
        .Time(token.expire_time)
        .Int(token.revoked ? 1 : 0);
    stmt->exec();
    return absl::OkStatus();
  });
}

absl::Status SqliteTx::AppendAudit(AuditRecord& record) {
  auto what = [&] { return absl::StrCat("append the audit row of '", record.method, "'"); };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  return Run(what, [&]() -> absl::Status {
    Lease stmt = conn_.Prepare(
        "INSERT INTO audit (time, principal, token_id, method, resource, request_id, code, "
        "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    Binder(*stmt)
        .Time(record.time)
        .Text(record.principal)
        .Text(record.token_id)
        .Text(record.method)
        .Text(record.resource)
        .Text(record.request_id)
        .Int(record.code)
        .Text(record.message);
    stmt->exec();
    record.seq = conn_.db().getLastInsertRowid();
    return absl::OkStatus();
  });
}

absl::Status SqliteTx::SaveRequest(absl::string_view principal, absl::string_view request_id,
                                   const StoredResponse& response) {
  auto what = [&] { return absl::StrCat("save request '", request_id, "' of '", principal, "'"); };
  RECTIFY_RETURN_IF_ERROR(WritableOrError(what));
  return Run(what, [&]() -> absl::Status {
    Lease stmt = conn_.Prepare(
        "INSERT INTO requests (principal, request_id, method, fingerprint, response) "
        "VALUES (?, ?, ?, ?, ?)");
    Binder(*stmt)
        .Text(std::string(principal))
        .Text(std::string(request_id))
        .Text(response.method)
        .Text(response.fingerprint)
        .Blob(response.response);
    stmt->exec();
    return absl::OkStatus();
  });
}

}  // namespace

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  RECTIFY_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(options));
  return std::unique_ptr<Store>(std::move(store));
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("path is empty; name the database file");
  }
  if (options.path == ":memory:" || absl::string_view(options.path).substr(0, 5) == "file:") {
    return absl::InvalidArgumentError(absl::StrCat(
        "path '", options.path,
        "' is not a plain file name; the pool's connections must share one file on disk"));
  }
  if (options.read_connections < 1 || options.read_connections > kMaxReadConnections) {
    return absl::InvalidArgumentError(absl::StrCat("read_connections is ", options.read_connections,
                                                   "; it must be in 1..", kMaxReadConnections));
  }
  if (options.checkpoint_pages < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint_pages is ", options.checkpoint_pages, "; it must be 1 or more"));
  }
  if (options.writer_cache_mib < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "writer_cache_mib is ", options.writer_cache_mib, "; it must be 0 (SQLite's default) or more"));
  }
  if (options.max_batch < 1 || options.max_batch > kMaxBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_batch is ", options.max_batch, "; it must be in 1..", kMaxBatch));
  }
  const int latest = internal::LatestSchemaVersion();
  const int target = options.max_schema_version == -1 ? latest : options.max_schema_version;
  if (target < 1 || target > latest) {
    return absl::InvalidArgumentError(absl::StrCat("max_schema_version is ",
                                                   options.max_schema_version,
                                                   "; use -1 for the latest, or 1..", latest));
  }

  const std::string what = absl::StrCat("open database '", options.path, "'");
  std::unique_ptr<Connection> writer;
  try {
    const Connection::Mode mode =
        options.bulk_load ? Connection::Mode::kBulkLoad : Connection::Mode::kReadWrite;
    writer = std::make_unique<Connection>(options.path, mode, kBusyTimeoutMs);
    if (!options.bulk_load && options.writer_cache_mib > 0) {
      writer->db().exec(absl::StrCat("PRAGMA cache_size = -", options.writer_cache_mib * 1024));
    }
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, what);
  }
  RECTIFY_RETURN_IF_ERROR(internal::MigrateSchema(writer->db(), options.path, target));

  std::unique_ptr<Connection> checkpointer;
  std::vector<std::unique_ptr<Connection>> readers;
  try {
    if (!options.bulk_load) {
      checkpointer =
          std::make_unique<Connection>(options.path, Connection::Mode::kReadWrite, kBusyTimeoutMs);
    }
    for (int i = 0; i < options.read_connections; ++i) {
      readers.push_back(
          std::make_unique<Connection>(options.path, Connection::Mode::kReadOnly, kBusyTimeoutMs));
    }
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, what);
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(options.path, options.max_batch, options.checkpoint_pages, std::move(writer),
                      std::move(checkpointer), std::move(readers)));
}

SqliteStore::SqliteStore(std::string path, int max_batch, int checkpoint_pages,
                         std::unique_ptr<Connection> writer,
                         std::unique_ptr<Connection> checkpointer,
                         std::vector<std::unique_ptr<Connection>> readers)
    : path_(std::move(path)),
      max_batch_(static_cast<size_t>(max_batch)),
      checkpoint_pages_(checkpoint_pages),
      writer_(std::move(writer)),
      checkpointer_(std::move(checkpointer)),
      readers_(std::move(readers)) {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    for (const auto& reader : readers_) idle_readers_.push_back(reader.get());
  }
  if (checkpointer_ != nullptr) {
    // Replaces SQLite's automatic checkpoint on this connection (see the header).
    sqlite3_wal_hook(writer_->db().getHandle(), &SqliteStore::OnWalCommit, this);
    checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
  }
  completion_thread_ = std::thread([this] { CompletionLoop(); });
  writer_thread_ = std::thread([this] { WriterLoop(); });
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    closing_ = true;
  }
  queue_changed_.notify_all();
  writer_thread_.join();  // after it has run every queued write
  {
    std::lock_guard<std::mutex> lock(completion_mu_);
    completion_closing_ = true;
  }
  completions_ready_.notify_all();
  completion_thread_.join();  // after it has called every `done`
  if (checkpoint_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(checkpoint_mu_);
      checkpoint_closing_ = true;
    }
    checkpoint_wanted_.notify_all();
    checkpoint_thread_.join();
  }
  // Refreshes the planner's statistics where they are stale; bounded, so cheap.
  writer_->db().tryExec("PRAGMA analysis_limit = 400; PRAGMA optimize;");
}

Connection* SqliteStore::AcquireReader(std::unique_ptr<Connection>* temporary) {
  if (t_read_depth > 0) {
    *temporary = std::make_unique<Connection>(path_, Connection::Mode::kReadOnly, kBusyTimeoutMs);
    return temporary->get();
  }
  std::unique_lock<std::mutex> lock(readers_mu_);
  reader_returned_.wait(lock, [this] { return !idle_readers_.empty(); });
  Connection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return reader;
}

void SqliteStore::ReleaseReader(Connection* reader) {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    idle_readers_.push_back(reader);
  }
  reader_returned_.notify_one();
}

absl::Status SqliteStore::Read(const std::function<absl::Status(ReadTx&)>& fn) {
  std::unique_ptr<Connection> temporary;
  Connection* conn = nullptr;
  try {
    conn = AcquireReader(&temporary);
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, absl::StrCat("open a read connection to '", path_, "'"));
  }
  absl::Cleanup release = [&] {
    if (temporary == nullptr) ReleaseReader(conn);
  };
  ++t_read_depth;
  absl::Cleanup depth = [] { --t_read_depth; };
  try {
    conn->db().exec("BEGIN");
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, "start a read transaction");
  }
  // Ending the transaction releases the snapshot, so the WAL can be checkpointed.
  absl::Cleanup end = [conn] { conn->db().tryExec("ROLLBACK"); };
  SqliteTx tx(*conn, /*writable=*/false);
  return fn(tx);
}

absl::Status SqliteStore::Write(const std::function<absl::Status(WriteTx&)>& fn) {
  if (std::this_thread::get_id() == writer_thread_.get_id()) {
    return absl::InternalError(
        "Write was called from inside another Write on the same thread, which would deadlock; "
        "do all the work in the outer transaction");
  }
  PendingWrite pending;
  pending.fn = &fn;
  {
    std::unique_lock<std::mutex> lock(queue_mu_);
    queue_.push_back(&pending);
    queue_changed_.notify_one();
    pending.woken.wait(lock, [&pending] { return pending.done; });
  }
  if (pending.exception) std::rethrow_exception(pending.exception);
  return pending.status;
}

void SqliteStore::WriteAsync(std::function<absl::Status(WriteTx&)> fn,
                             std::function<void(absl::Status)> done) {
  auto pending = std::make_unique<PendingWrite>();
  pending->owned_fn = std::move(fn);
  pending->fn = &pending->owned_fn;
  pending->then = std::move(done);
  std::lock_guard<std::mutex> lock(queue_mu_);
  queue_.push_back(pending.release());  // owned by the queue, then by completions_
  queue_changed_.notify_one();
}

void SqliteStore::CompletionLoop() {
  pthread_setname_np(pthread_self(), "rectify-done");
  while (true) {
    std::vector<std::unique_ptr<PendingWrite>> finished;
    {
      std::unique_lock<std::mutex> lock(completion_mu_);
      completions_ready_.wait(lock,
                              [this] { return !completions_.empty() || completion_closing_; });
      if (completions_.empty()) return;  // closing, and nothing left to do
      finished.swap(completions_);
    }
    for (const std::unique_ptr<PendingWrite>& pending : finished) {
      absl::Status status = pending->status;
      if (pending->exception) {
        try {
          std::rethrow_exception(pending->exception);
        } catch (const std::exception& e) {
          status = absl::InternalError(
              absl::StrCat("the write failed with an exception and was rolled back: ", e.what()));
        } catch (...) {
          status = absl::InternalError("the write failed with an exception and was rolled back");
        }
      }
      pending->then(std::move(status));
    }
  }
}

void SqliteStore::WriterLoop() {
  pthread_setname_np(pthread_self(), "rectify-writer");  // for top -H, perf and gdb
  // A Read from inside a closure must not wait for a pooled connection that a
  // caller blocked in Write may be holding: give it a connection of its own.
  ++t_read_depth;
  std::vector<std::unique_ptr<PendingWrite>> finished;  // WriteAsyncs of the batch
  while (true) {
    std::vector<PendingWrite*> batch;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and nothing left to do
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    const int64_t transactions = RunBatch(batch);
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      stats_.transactions += transactions;
      stats_.writes += static_cast<int64_t>(batch.size());
      // WriteAsyncs are set aside first: a woken Write's PendingWrite is gone.
      for (PendingWrite*& pending : batch) {
        if (!pending->then) continue;
        finished.emplace_back(pending);
        pending = nullptr;
      }
      // Notified under the lock: the caller cannot return (and destroy the
      // condition variable on its stack) before this thread lets go of it.
      for (PendingWrite* pending : batch) {
        if (pending == nullptr) continue;
        pending->done = true;
        pending->woken.notify_one();
      }
    }
    if (!finished.empty()) {
      {
        std::lock_guard<std::mutex> lock(completion_mu_);
        for (auto& pending : finished) completions_.push_back(std::move(pending));
      }
      finished.clear();
      completions_ready_.notify_one();  // one wake-up for the whole batch
    }
    if (checkpointer_ != nullptr && wal_pages_ >= 4 * checkpoint_pages_) {
      // Copies only what the checkpoint thread has not yet reached; once all
      // is copied the next transaction starts the WAL again from its beginning.
      // SQLITE_BUSY: the checkpoint thread is still at it; tried again after
      // the next batch.
      if (sqlite3_wal_checkpoint_v2(writer_->db().getHandle(), nullptr,
                                    SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK) {
        wal_pages_ = 0;
        std::lock_guard<std::mutex> lock(queue_mu_);
        ++stats_.writer_checkpoints;
      }
    }
  }
}

int64_t SqliteStore::RunBatch(const std::vector<PendingWrite*>& batch) {
  SQLite::Database& db = writer_->db();
  // Savepoint statements are prepared once and reused: no parse per write.
  auto try_run = [this](const char* sql) {
    try {
      writer_->Prepare(sql)->exec();
    } catch (const SQLite::Exception&) {
    }
  };
  int64_t transactions = 0;
  size_t next = 0;  // the first closure not yet run
  while (next < batch.size()) {
    try {
      // IMMEDIATE takes the write lock now, so another process's writer cannot
      // make this transaction fail halfway with SQLITE_BUSY.
      db.exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
      const absl::Status status = SqliteStatus(e, "start a write transaction");
      for (size_t i = next; i < batch.size(); ++i) batch[i]->status = status;
      return transactions;
    }
    ++transactions;
    const size_t first = next;
    bool touched_identity = false;
    // Moved on once this transaction has ended, committed or not (a cached
    // identity is only ever dropped too often), and before RunBatch returns
    // and wakes any caller: an identity read after this is read after the
    // commit, one read before is tagged with the old generation.
    absl::Cleanup move_on = [&] {
      if (touched_identity) ++identity_generation_;
    };
    absl::Status lost;  // set when SQLite rolled the whole transaction back
    for (; next < batch.size() && lost.ok(); ++next) {
      PendingWrite& pending = *batch[next];
      try {
        writer_->Prepare("SAVEPOINT w")->exec();  // prepared once: no parse per write
      } catch (const SQLite::Exception& e) {
        pending.status = SqliteStatus(e, "start a savepoint");
        if (sqlite3_get_autocommit(db.getHandle()) != 0) lost = pending.status;
        continue;
      }
      SqliteTx tx(*writer_, /*writable=*/true);
      try {
        pending.status = (*pending.fn)(tx);
      } catch (...) {
        pending.exception = std::current_exception();
      }
      touched_identity = touched_identity || tx.touched_identity();
      if (!tx.broken().ok()) {
        pending.status = tx.broken();
        pending.exception = nullptr;
        lost = tx.broken();
        continue;
      }
      if (!pending.status.ok() || pending.exception) try_run("ROLLBACK TO w");
      try_run("RELEASE w");
      if (sqlite3_get_autocommit(db.getHandle()) != 0) {
        lost = absl::InternalError("the write transaction ended unexpectedly; run it again");
        if (pending.status.ok() && !pending.exception) pending.status = lost;
      }
    }
    absl::Status commit = lost;
    if (commit.ok() && internal::ActiveFailpoint().kind != internal::Failpoint::Kind::kNone &&
        internal::FailBeforeCommit()) {
      // A deliberately broken build: the batch is acknowledged, never committed.
      db.tryExec("ROLLBACK");
      continue;
    }
    if (commit.ok()) {
      try {
        db.exec("COMMIT");
      } catch (const SQLite::Exception& e) {
        commit = SqliteStatus(e, "commit the write transaction");
        db.tryExec("ROLLBACK");
      }
    } else {
      db.tryExec("ROLLBACK");  // a no-op when SQLite already rolled back
    }
    if (commit.ok()) continue;
    // Nothing of this transaction was kept: every closure that succeeded in it
    // learns so (those that failed keep their own error).
    for (size_t i = first; i < next; ++i) {
      if (batch[i]->status.ok() && !batch[i]->exception) batch[i]->status = commit;
    }
  }
  return transactions;
}

int SqliteStore::OnWalCommit(void* store, sqlite3* /*db*/, const char* /*name*/, int pages) {
  auto* self = static_cast<SqliteStore*>(store);
  self->wal_pages_ = pages;
  // From four times checkpoint_pages on, the writer finishes the job itself.
  if (pages >= self->checkpoint_pages_ && pages < 4 * self->checkpoint_pages_) {
    {
      std::lock_guard<std::mutex> lock(self->checkpoint_mu_);
      self->checkpoint_due_ = true;
    }
    self->checkpoint_wanted_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteStore::CheckpointLoop() {
  pthread_setname_np(pthread_self(), "rectify-ckpt");
  sqlite3* db = checkpointer_->db().getHandle();
  while (true) {
    {
      std::unique_lock<std::mutex> lock(checkpoint_mu_);
      checkpoint_wanted_.wait(lock, [this] { return checkpoint_due_ || checkpoint_closing_; });
      if (checkpoint_closing_) return;
      checkpoint_due_ = false;
    }
    if (wal_pages_ >= 4 * checkpoint_pages_) continue;  // the writer's turn (see the header)
    // PASSIVE copies what no reader still needs and never waits for a lock;
    // SQLITE_BUSY (another checkpoint running) only means "not this time".
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                             nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      RECTIFY_LOG(WARNING) << "database " << path_ << ": background checkpoint failed: "
                           << sqlite3_errmsg(db) << " (the writer will checkpoint instead)";
    }
    std::lock_guard<std::mutex> lock(queue_mu_);
    ++stats_.checkpoints;
  }
}

SqliteStore::WriteStats SqliteStore::write_stats() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  WriteStats stats = stats_;
  stats.waiting = static_cast<int64_t>(queue_.size());
  return stats;
}

}  // namespace rectify::storage
