// The store: the contract between the application and whatever engine keeps
// its data. All SQL lives in implementations (SqliteStore today; a PostgreSQL
// engine would implement the same interfaces). Nothing above this layer knows
// which engine it talks to.
//
//   RECTIFY_RETURN_IF_ERROR(store.Write([&](WriteTx& tx) -> absl::Status {
//     RECTIFY_ASSIGN_OR_RETURN(domain::Task task, tx.GetTask(id));
//     ...change task...
//     RECTIFY_RETURN_IF_ERROR(tx.SaveTask(task));
//     return tx.AppendEvent(event);
//   }));
//
// Error codes shared by every method: kNotFound for a missing row, kAborted for
// a stale version, kAlreadyExists for a duplicate id, kUnavailable when the
// engine is busy (retry), kResourceExhausted when the disk is full, kDataLoss
// on corruption, kInternal otherwise.
#ifndef RECTIFY_STORAGE_STORE_H_
#define RECTIFY_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/hard_problem.h"
#include "domain/inspection.h"
#include "domain/legal_case.h"
#include "domain/metrics.h"
#include "domain/penalty.h"
#include "domain/phase.h"
#include "domain/responsibility_letter.h"
#include "domain/volunteer.h"
#include "domain/work_plan.h"
#include "domain/task.h"

namespace rectify::storage {

// The period and rules the metrics of domain/metrics.h are evaluated with.
struct MetricScope {
  absl::Time from = absl::InfinitePast();  // tasks dispatched in [from, to)
  absl::Time to = absl::InfiniteFuture();
  absl::Time as_of = absl::InfinitePast();  // min(now, to): "before as_of", "overdue at as_of"
  bool suspended_leave_denominator = true;
  absl::Duration timely_ack = absl::Hours(24);
};

// One side of one metric: the tasks behind a figure (drill-down).
struct MetricSelection {
  domain::Metric metric = domain::Metric::kDisposal;
  bool numerator = true;  // false: the denominator
  MetricScope scope;
};

// What CountMetrics groups by.
enum class MetricUnit {
  kCity,            // one row, unit_id ""
  kStreetOffice,    // street_office_id
  kCommunity,       // community_id
  kResponsibleOrg,  // responsible_org_id (the property company, for its tasks)
  // (street office, community, responsible organisation) together: one query
  // from which the caller sums every unit kind. unit_id "", the three ids set.
  kCell,
};

struct UnitMetricCounts {
  std::string unit_id;
  domain::MetricFigures figures;  // every metric, numerator and denominator
  std::string street_office_id, community_id, responsible_org_id;  // kCell only
};

// Planned and actual budget of tasks, by payer.
struct PayerSums {
  int64_t tasks = 0;
  int64_t planned_fen = 0;
  int64_t actual_fen = 0;
};

// Which tasks ListTasks returns. Empty strings and empty vectors do not filter.
struct TaskFilter {
  std::string campaign_id;
  std::string street_office_id;
  std::string community_id;
  std::string responsible_org_id;
  std::string category;
  std::vector<domain::TaskState> states;  // any of
  // Overdue and due-within are relative to `now`; they select tasks whose clock
  // runs (DISPATCHED, ACCEPTED, IN_PROGRESS) with deadline < now, or with
  // now <= deadline < now + due_within.
  bool overdue = false;
  std::optional<absl::Duration> due_within;
  absl::Time now = absl::InfinitePast();
  // Only tasks overdue by at least this (deadline <= now - min_overdue; needs
  // `overdue`), when positive. Like `now`, evaluated per page.
  absl::Duration min_overdue = absl::ZeroDuration();
  // Only tasks with at least this many escalation steps applied (scheduler,
  // data/escalation.txt; the escalations table), when > 0.
  int min_escalation_level = 0;
  // Only the tasks behind one side of a metric, when set: the same predicate
  // CountMetrics counts with, so a drill-down's total equals the figure.
  std::optional<MetricSelection> metric;
};

enum class TaskOrder {
  kCreateTime,       // oldest first (the default)
  kCreateTimeDesc,
  kDeadline,         // soonest (or most overdue) first; tasks without one last
  kDeadlineDesc,
  kUpdateTimeDesc,   // most recently changed first
};

struct TaskQuery {
  TaskFilter filter;
  TaskOrder order = TaskOrder::kCreateTime;
  int page_size = 50;      // 1..1000; the caller clamps
  std::string page_token;  // from a previous TaskPage; opaque
};

struct TaskPage {
  std::vector<domain::Task> tasks;
  std::string next_page_token;  // empty on the last page
  int64_t total_count = 0;      // tasks matching the filter, all pages together
};

// Which inspections ListInspections returns. Empty strings do not filter.
struct InspectionFilter {
  std::string campaign_id;
  std::string community_id;
  std::optional<domain::InspectionKind> kind;
  // Only inspections dated in [from, to), when set.
  std::optional<absl::CivilDay> from;
  std::optional<absl::CivilDay> to;
};

// One version of a scoring standard, kept as the text it was loaded from so
// that sheets scored by it can be shown after the city moves to a newer one.
struct StandardRecord {
  std::string id;
  std::string version;
  std::string text;
  absl::Time load_time = absl::InfinitePast();
};

// A bearer token, stored by the hash of its secret only.
struct TokenRecord {
  std::string token_hash;  // hex SHA-256 of the secret
  std::string person_id;
  std::string label;
  absl::Time create_time = absl::InfinitePast();
  absl::Time expire_time = absl::InfiniteFuture();
  bool revoked = false;
};

// One line of the audit trail: who did what, when, with which token, and how
// it ended. Append-only: no method changes or removes a row, and the SQLite
// engine refuses UPDATE and DELETE of these rows outright.
struct AuditRecord {
  int64_t seq = 0;          // set by AppendAudit; strictly increasing
  absl::Time time = absl::InfinitePast();
  std::string principal;    // person id; empty when the caller was not identified
  std::string token_id;     // short non-secret prefix of the token's hash; empty: no token
  std::string method;       // e.g. "DispatchTask"
  std::string resource;     // what it acted on, e.g. "tasks/T-3"; empty when unknown
  std::string request_id;
  int code = 0;             // the canonical status code of the answer (0: OK)
  std::string message;      // the refusal's message; empty on success
};

// Which audit rows ListAudit returns. Empty strings and unset times do not filter.
struct AuditFilter {
  std::string principal;
  std::string method;
  std::string resource;
  absl::Time from = absl::InfinitePast();  // time >= from
  absl::Time to = absl::InfiniteFuture();  // time < to
  int64_t before_seq = 0;                  // keyset paging: only seq < before_seq (0: no bound)
};

// The first answer to a mutating request, kept so that a retry with the same
// request id returns it unchanged.
struct StoredResponse {
  std::string method;       // e.g. "DispatchTask"
  std::string fingerprint;  // hash of the request body without its request id
  std::string response;     // the serialized reply
};

// Which penalties ListPenalties returns. Empty strings and unset optionals do
// not filter.
struct PenaltyFilter {
  std::string campaign_id;
  std::string org_id;
  std::optional<domain::PenaltyKind> kind;
  std::optional<domain::PenaltyState> state;
};

// Which legal cases ListLegalCases returns. Empty strings and vectors do not filter.
struct LegalCaseFilter {
  std::string campaign_id;
  std::string community_id;
  std::vector<domain::LegalCaseState> states;  // any of
  bool escalated_only = false;  // only cases that reached the enforcement bureau
};

// Which hard/hot problems ListHardProblems returns.
struct HardProblemFilter {
  std::string campaign_id;
  std::optional<domain::HardProblemState> state;
};

// Which responsibility letters ListLetters returns. Empty strings do not filter.
struct LetterFilter {
  std::string campaign_id;
  std::string community_id;
  std::optional<domain::LetterState> state;
};

// Which work plans ListPlans returns. Empty strings do not filter.
struct PlanFilter {
  std::string campaign_id;
  std::string street_office_id;
  std::optional<domain::PlanState> state;
};

// Which volunteer assignments ListAssignments returns. Empty strings do not
// filter.
struct AssignmentFilter {
  std::string campaign_id;
  std::string volunteer_id;
  std::string community_id;
  std::string street_office_id;
  bool active_only = false;  // only assignments not ended
};

// Which supervision reports ListSupervisionReports returns. Empty strings and
// unset optionals do not filter.
struct SupervisionReportFilter {
  std::string campaign_id;
  std::string task_id;
  std::string community_id;
  std::string volunteer_id;
  std::string street_office_id;
  std::optional<domain::ReportKind> kind;
};

// Reads within one consistent snapshot.
class ReadTx {
 public:
  virtual ~ReadTx() = default;

  virtual absl::StatusOr<domain::Campaign> GetCampaign(absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<domain::Campaign>> ListCampaigns() = 0;
  virtual absl::StatusOr<domain::Organisation> GetOrganisation(absl::string_view id) = 0;
  // All organisations, or those of one kind.
  virtual absl::StatusOr<std::vector<domain::Organisation>> ListOrganisations(
      std::optional<domain::OrgKind> kind) = 0;
  virtual absl::StatusOr<domain::Person> GetPerson(absl::string_view id) = 0;
  // All people, or those of one organisation ("" for all).
  virtual absl::StatusOr<std::vector<domain::Person>> ListPeople(absl::string_view org_id) = 0;
  virtual absl::StatusOr<domain::Community> GetCommunity(absl::string_view id) = 0;
  // All communities, or those of one street office ("" for all).
  virtual absl::StatusOr<std::vector<domain::Community>> ListCommunities(
      absl::string_view street_office_id) = 0;

  virtual absl::StatusOr<domain::Task> GetTask(absl::string_view id) = 0;
  // kInvalidArgument if the page token is malformed or was made for another
  // filter or order.
  virtual absl::StatusOr<TaskPage> ListTasks(const TaskQuery& query) = 0;
  // Numerator and denominator of every metric (domain/metrics.h) per unit,
  // over the tasks matching `filter` (its campaign, street office, community,
  // responsible organisation and category; the other fields must be unset,
  // else kInvalidArgument). One query (one pass over D); units without a dispatched
  // task in the period are absent. Ordered by unit id.
  virtual absl::StatusOr<std::vector<UnitMetricCounts>> CountMetrics(const TaskFilter& filter,
                                                                     MetricUnit unit,
                                                                     const MetricScope& scope) = 0;
  // City-wide figures of each of `periods` over the tasks matching `filter`
  // (as CountMetrics), in one statement for them all: a bulletin's rates
  // month by month. One entry per period, in order; a period without a
  // dispatched task has empty figures. Each entry equals CountMetrics(filter,
  // kCity, that period). kInvalidArgument as CountMetrics, and if there are no
  // periods or more than 120, or they differ in suspended_leave_denominator
  // or timely_ack.
  virtual absl::StatusOr<std::vector<domain::MetricFigures>> CountMetricSeries(
      const TaskFilter& filter, const std::vector<MetricScope>& periods) = 0;
  // Planned and actual budget of the tasks matching `filter` (as
  // CountMetrics), not voided, by payer; payers with no task are absent.
  virtual absl::StatusOr<std::map<domain::Payer, PayerSums>> SumBudgetByPayer(
      const TaskFilter& filter) = 0;

  // Events of one subject ("" for all subjects) with seq > after_seq, in seq
  // order, at most `limit`.
  virtual absl::StatusOr<std::vector<domain::Event>> ListEvents(absl::string_view subject,
                                                                int64_t after_seq,
                                                                int limit) = 0;

  virtual absl::StatusOr<domain::Inspection> GetInspection(absl::string_view id) = 0;
  // Newest first: by date, then by creation. At most `limit` (1..1000).
  virtual absl::StatusOr<std::vector<domain::Inspection>> ListInspections(
      const InspectionFilter& filter, int limit) = 0;

  // kNotFound if no self-check list was submitted for the community.
  virtual absl::StatusOr<domain::SelfCheckList> GetSelfCheckList(
      absl::string_view campaign_id, absl::string_view community_id) = 0;
  virtual absl::StatusOr<std::vector<domain::SelfCheckList>> ListSelfCheckLists(
      absl::string_view campaign_id) = 0;

  // kNotFound if this version of the standard was never stored.
  virtual absl::StatusOr<StandardRecord> GetStandard(absl::string_view id,
                                                     absl::string_view version) = 0;
  // Every stored version, oldest first.
  virtual absl::StatusOr<std::vector<StandardRecord>> ListStandards() = 0;

  virtual absl::StatusOr<domain::Penalty> GetPenalty(absl::string_view id) = 0;
  // Newest first (by creation), at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::Penalty>> ListPenalties(const PenaltyFilter& filter,
                                                                     int limit) = 0;
  // How many penalties match, all together.
  virtual absl::StatusOr<int64_t> CountPenalties(const PenaltyFilter& filter) = 0;
  // Whether escalation step `step_id` was applied to `subject` (e.g.
  // "tasks/T-3", "organisations/pc-1") in the campaign.
  virtual absl::StatusOr<bool> EscalationApplied(absl::string_view campaign_id,
                                                 absl::string_view step_id,
                                                 absl::string_view subject) = 0;

  virtual absl::StatusOr<domain::LegalCase> GetLegalCase(absl::string_view id) = 0;
  // Newest first (by opening), at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::LegalCase>> ListLegalCases(
      const LegalCaseFilter& filter, int limit) = 0;
  virtual absl::StatusOr<domain::HardProblem> GetHardProblem(absl::string_view id) = 0;
  // Newest first, at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::HardProblem>> ListHardProblems(
      const HardProblemFilter& filter, int limit) = 0;

  virtual absl::StatusOr<domain::ResponsibilityLetter> GetLetter(absl::string_view id) = 0;
  // Newest first (by drafting), at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::ResponsibilityLetter>> ListLetters(
      const LetterFilter& filter, int limit) = 0;

  // kNotFound naming the work plan if no plan has this id.
  virtual absl::StatusOr<domain::WorkPlan> GetPlan(absl::string_view id) = 0;
  // Newest first (by creation), at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::WorkPlan>> ListPlans(const PlanFilter& filter,
                                                                  int limit) = 0;

  // kNotFound naming the assignment if no assignment has this id.
  virtual absl::StatusOr<domain::VolunteerAssignment> GetAssignment(absl::string_view id) = 0;
  // Newest first (by assignment), at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::VolunteerAssignment>> ListAssignments(
      const AssignmentFilter& filter, int limit) = 0;
  // The active assignment of `volunteer_id` to `community_id` in `campaign_id`,
  // or nullopt if there is none (unknown ids simply have none).
  virtual absl::StatusOr<std::optional<domain::VolunteerAssignment>> ActiveAssignment(
      absl::string_view campaign_id, absl::string_view volunteer_id,
      absl::string_view community_id) = 0;
  // kNotFound naming the report if no supervision report has this id.
  virtual absl::StatusOr<domain::SupervisionReport> GetSupervisionReport(
      absl::string_view id) = 0;
  // Newest first (by filing), at most `limit` (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<domain::SupervisionReport>> ListSupervisionReports(
      const SupervisionReportFilter& filter, int limit) = 0;

  // The sum of budget.actual_fen of campaign `campaign_id`'s tasks in the
  // communities of street office `street_office_id`, by payer (payers with no
  // task are absent). One query; unknown ids simply sum to nothing.
  virtual absl::StatusOr<std::map<domain::Payer, int64_t>> SumActualCostByPayer(
      absl::string_view campaign_id, absl::string_view street_office_id) = 0;

  virtual absl::StatusOr<TokenRecord> GetToken(absl::string_view token_hash) = 0;
  virtual absl::StatusOr<int64_t> CountTokens() = 0;
  // The tokens of one person ("" for everyone's), newest first.
  virtual absl::StatusOr<std::vector<TokenRecord>> ListTokens(absl::string_view person_id) = 0;
  // Audit rows matching `filter`, newest first (by seq), at most `limit`
  // (1..1000; else kInvalidArgument).
  virtual absl::StatusOr<std::vector<AuditRecord>> ListAudit(const AuditFilter& filter,
                                                             int limit) = 0;
  // The stored first answer for (principal, request_id), or nullopt.
  virtual absl::StatusOr<std::optional<StoredResponse>> LookupRequest(
      absl::string_view principal, absl::string_view request_id) = 0;
};

// Reads and writes within one transaction. Create* inserts (kAlreadyExists on
// a duplicate id) and sets version to 1. Save* updates the row whose version
// equals the object's version (kAborted if it changed meanwhile, kNotFound if
// absent) and increments the object's version.
class WriteTx : public ReadTx {
 public:
  virtual absl::Status CreateCampaign(domain::Campaign& campaign) = 0;
  virtual absl::Status SaveCampaign(domain::Campaign& campaign) = 0;
  virtual absl::Status CreateOrganisation(domain::Organisation& org) = 0;
  virtual absl::Status SaveOrganisation(domain::Organisation& org) = 0;
  virtual absl::Status CreatePerson(domain::Person& person) = 0;
  virtual absl::Status SavePerson(domain::Person& person) = 0;
  virtual absl::Status CreateCommunity(domain::Community& community) = 0;
  virtual absl::Status SaveCommunity(domain::Community& community) = 0;
  virtual absl::Status CreateTask(domain::Task& task) = 0;
  virtual absl::Status SaveTask(domain::Task& task) = 0;

  // Inspections are written once (scores and all) and never changed, but for
  // the ids of tasks their deductions opened: SaveInspection is for that.
  virtual absl::Status CreateInspection(domain::Inspection& inspection) = 0;
  virtual absl::Status SaveInspection(domain::Inspection& inspection) = 0;
  // kAlreadyExists if the community already has one in the campaign.
  virtual absl::Status CreateSelfCheckList(const domain::SelfCheckList& list) = 0;
  // kAlreadyExists if (id, version) is stored already.
  virtual absl::Status PutStandard(const StandardRecord& standard) = 0;

  // Penalties: kFailedPrecondition naming the field if the campaign or the
  // organisation does not exist.
  virtual absl::Status CreatePenalty(domain::Penalty& penalty) = 0;
  virtual absl::Status SavePenalty(domain::Penalty& penalty) = 0;
  // Records that escalation step `step_id` was applied to `subject` in the
  // campaign at `time`. Returns true if newly recorded, false (changing
  // nothing) if it was already: the caller applies the step only on true, in
  // the same transaction, so each (campaign, step, subject) happens once.
  virtual absl::StatusOr<bool> MarkEscalationApplied(absl::string_view campaign_id,
                                                     absl::string_view step_id,
                                                     absl::string_view subject,
                                                     absl::Time time) = 0;

  // Legal cases and hard problems: kFailedPrecondition naming the field if a
  // campaign, community, organisation or task they name does not exist.
  virtual absl::Status CreateLegalCase(domain::LegalCase& legal_case) = 0;
  virtual absl::Status SaveLegalCase(domain::LegalCase& legal_case) = 0;
  virtual absl::Status CreateHardProblem(domain::HardProblem& problem) = 0;
  virtual absl::Status SaveHardProblem(domain::HardProblem& problem) = 0;

  // Responsibility letters: kFailedPrecondition naming the field if the
  // campaign, community or a party organisation does not exist.
  virtual absl::Status CreateLetter(domain::ResponsibilityLetter& letter) = 0;
  virtual absl::Status SaveLetter(domain::ResponsibilityLetter& letter) = 0;

  // Work plans: set `plan.version` (1 on create, +1 on save). kAlreadyExists
  // for a duplicate id; kAborted if the plan's version is no longer current;
  // kFailedPrecondition naming the field if the campaign or street office
  // does not exist.
  virtual absl::Status CreatePlan(domain::WorkPlan& plan) = 0;
  virtual absl::Status SavePlan(domain::WorkPlan& plan) = 0;

  // Volunteer assignments: set `version` (1 on create, +1 on save).
  // kAlreadyExists for a duplicate id or a second active assignment of the
  // same volunteer to the same community in the campaign; kAborted if the
  // version is no longer current; kFailedPrecondition naming the field if the
  // campaign, volunteer, organisation or community does not exist. Ending an
  // assignment is a save with ended_by and end_time set.
  virtual absl::Status CreateAssignment(domain::VolunteerAssignment& assignment) = 0;
  virtual absl::Status SaveAssignment(domain::VolunteerAssignment& assignment) = 0;
  // Supervision reports are written once: kAlreadyExists for a duplicate id;
  // kFailedPrecondition naming the field if the campaign, community, task,
  // volunteer or organisation does not exist.
  virtual absl::Status CreateSupervisionReport(domain::SupervisionReport& report) = 0;

  // Appends an event and sets its seq (strictly increasing, never reused).
  virtual absl::Status AppendEvent(domain::Event& event) = 0;
  // The next value of a named counter, starting at 1 (for readable ids).
  virtual absl::StatusOr<int64_t> NextSequence(absl::string_view name) = 0;

  virtual absl::Status PutToken(const TokenRecord& token) = 0;
  // Appends one audit row and sets its seq. Nothing changes or removes it later.
  virtual absl::Status AppendAudit(AuditRecord& record) = 0;
  virtual absl::Status SaveRequest(absl::string_view principal, absl::string_view request_id,
                                   const StoredResponse& response) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` on a consistent snapshot. Returns fn's status.
  virtual absl::Status Read(const std::function<absl::Status(ReadTx&)>& fn) = 0;
  // Runs `fn` in a transaction. If fn returns an error nothing it wrote is
  // kept and that error is returned; otherwise the transaction is committed
  // durably (it survives a crash and power loss) before Write returns.
  virtual absl::Status Write(const std::function<absl::Status(WriteTx&)>& fn) = 0;
  // Write without waiting: runs `fn` as Write would and calls `done` once with
  // what Write would have returned, after the commit. No thread is held while
  // the write waits, so a server can answer from `done`. `done` may run before
  // WriteAsync returns, on this thread or on one of the engine's (never inside
  // another write's transaction); it should be quick. This default waits.
  virtual void WriteAsync(std::function<absl::Status(WriteTx&)> fn,
                          std::function<void(absl::Status)> done) {
    done(Write(fn));
  }

  // A number that changes, before the Write that caused it returns, whenever
  // a write may have changed who a token identifies: tokens, people or
  // organisations. Callers may cache identities while it stays the same.
  // nullopt: this engine cannot tell, so nothing may be cached.
  virtual std::optional<uint64_t> IdentityGeneration() const { return std::nullopt; }
};

// Runs fn in a write transaction and returns its value.
template <typename T>
absl::StatusOr<T> WriteAndReturn(Store& store,
                                 const std::function<absl::StatusOr<T>(WriteTx&)>& fn) {
  std::optional<T> out;
  absl::Status status = store.Write([&](WriteTx& tx) -> absl::Status {
    absl::StatusOr<T> value = fn(tx);
    if (!value.ok()) return value.status();
    out = *std::move(value);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *std::move(out);
}

// Runs fn on a read snapshot and returns its value.
template <typename T>
absl::StatusOr<T> ReadAndReturn(Store& store,
                                const std::function<absl::StatusOr<T>(ReadTx&)>& fn) {
  std::optional<T> out;
  absl::Status status = store.Read([&](ReadTx& tx) -> absl::Status {
    absl::StatusOr<T> value = fn(tx);
    if (!value.ok()) return value.status();
    out = *std::move(value);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *std::move(out);
}

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_STORE_H_
