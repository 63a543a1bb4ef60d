#include "storage/schema.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <iterator>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/log.h"
#include "storage/sqlite_connection.h"

namespace rectify::storage::internal {
namespace {

// 'RCTY': marks the file as ours, so that an unrelated SQLite file is refused
// instead of being "migrated".
constexpr int kApplicationId = 0x52435459;

// Conventions for every table:
// - STRICT: a column holds only its declared type.
// - Entities have a hidden `row_id INTEGER PRIMARY KEY` (stable creation order,
//   never renumbered by VACUUM) and their string `id` UNIQUE.
// - Enums are their explicit domain numbers; times are int64 microseconds since
//   the Unix epoch, NULL for "unset" (absl::InfinitePast/InfiniteFuture); days
//   are 'YYYY-MM-DD'.
// - References to other entities are NULL when empty and must exist otherwise
//   (FOREIGN KEY). References to people are not enforced: they record who
//   acted, and bootstrap principals or imported history may name people the
//   directory does not (yet) hold.
constexpr char kV1[] = R"sql(
CREATE TABLE campaigns (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  city TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  self_check_start TEXT NOT NULL,
  rectification_start TEXT NOT NULL,
  final_assault_start TEXT NOT NULL,
  close_date TEXT NOT NULL,
  phase INTEGER NOT NULL,
  max_extensions INTEGER NOT NULL,
  version INTEGER NOT NULL,
  create_time INTEGER,
  update_time INTEGER
) STRICT;

CREATE TABLE organisations (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind INTEGER NOT NULL,
  name TEXT NOT NULL,
  head_person_id TEXT,
  street_office_id TEXT REFERENCES organisations(id),
  version INTEGER NOT NULL,
  create_time INTEGER
) STRICT;
CREATE INDEX organisations_by_kind ON organisations(kind);

CREATE TABLE people (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  organisation_id TEXT REFERENCES organisations(id),
  role INTEGER NOT NULL,
  phone TEXT NOT NULL,
  version INTEGER NOT NULL,
  create_time INTEGER
) STRICT;
CREATE INDEX people_by_organisation ON people(organisation_id);

CREATE TABLE communities (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  street_office_id TEXT REFERENCES organisations(id),
  property_company_id TEXT REFERENCES organisations(id),
  owners_committee_id TEXT REFERENCES organisations(id),
  version INTEGER NOT NULL,
  create_time INTEGER
) STRICT;
CREATE INDEX communities_by_street_office ON communities(street_office_id);

-- Everything ListTasks filters or sorts on is a column of its own. Evidence and
-- urgings are JSON arrays: they belong to one task, are always read and written
-- with it and never queried on their own, so one row per task keeps a read to
-- one b-tree lookup and a save to one UPDATE (json_each still reaches them ad
-- hoc). The pending extension, a single optional value that "awaiting a
-- decision" lists will want to filter on, has columns (ext_*).
CREATE TABLE tasks (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT REFERENCES campaigns(id),
  community_id TEXT REFERENCES communities(id),
  street_office_id TEXT REFERENCES organisations(id),
  category TEXT NOT NULL,
  source INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  standard_item TEXT NOT NULL,
  responsible_org_id TEXT REFERENCES organisations(id),
  responsible_person_id TEXT NOT NULL,
  budget_planned_fen INTEGER NOT NULL,
  budget_actual_fen INTEGER NOT NULL,
  budget_payer INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  urgings TEXT NOT NULL,
  ext_pending INTEGER NOT NULL,
  ext_requested_deadline INTEGER,
  ext_reason TEXT,
  ext_requested_by TEXT,
  ext_request_time INTEGER,
  state INTEGER NOT NULL,
  sla_unit INTEGER NOT NULL,
  deadline INTEGER,
  suspended_at INTEGER,
  suspended_until INTEGER,
  rework_count INTEGER NOT NULL,
  extension_count INTEGER NOT NULL,
  return_count INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  create_time INTEGER,
  update_time INTEGER,
  dispatch_time INTEGER,
  acknowledge_time INTEGER,
  submit_time INTEGER,
  close_time INTEGER,
  version INTEGER NOT NULL,
  -- Sort keys without NULLs, so that keyset paging compares plain integers and
  -- an index serves each order: no deadline sorts last, no time first.
  create_key INTEGER GENERATED ALWAYS AS (IFNULL(create_time, -9223372036854775808)) VIRTUAL,
  update_key INTEGER GENERATED ALWAYS AS (IFNULL(update_time, -9223372036854775808)) VIRTUAL,
  deadline_key INTEGER GENERATED ALWAYS AS (IFNULL(deadline, 9223372036854775807)) VIRTUAL
) STRICT;
-- Each index ends, implicitly, in row_id: the tie-break of every order.
CREATE INDEX tasks_by_campaign_create ON tasks(campaign_id, create_key);
CREATE INDEX tasks_by_campaign_deadline ON tasks(campaign_id, deadline_key);
CREATE INDEX tasks_by_campaign_update ON tasks(campaign_id, update_key);
CREATE INDEX tasks_by_campaign_state ON tasks(campaign_id, state, deadline_key);
CREATE INDEX tasks_by_campaign_category ON tasks(campaign_id, category, create_key);
CREATE INDEX tasks_by_street_office ON tasks(street_office_id, create_key);
CREATE INDEX tasks_by_community ON tasks(community_id, create_key);
CREATE INDEX tasks_by_responsible_org ON tasks(responsible_org_id, create_key);

-- AUTOINCREMENT: a seq is never reused, even after the newest event's
-- transaction rolls back, so a reader's resume cursor can never skip one.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  actor_person_id TEXT NOT NULL,
  actor_org_id TEXT NOT NULL,
  time INTEGER,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  details TEXT NOT NULL  -- JSON [[key, value], ...]: order and duplicates kept
) STRICT;
CREATE INDEX events_by_subject ON events(subject, seq);

CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,  -- hex SHA-256 of the secret; the secret is never stored
  person_id TEXT NOT NULL,
  label TEXT NOT NULL,
  create_time INTEGER,
  expire_time INTEGER,
  revoked INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

PRAGMA application_id = 1380144217;
)sql";

// Added once overdue lists at a million tasks and request retries showed up.
constexpr char kV2[] = R"sql(
-- Only tasks whose clock runs (DISPATCHED, ACCEPTED, IN_PROGRESS) can be
-- overdue or due soon: a few percent of all tasks once a campaign is under way.
-- Without these, "overdue in campaign C, worst first" walks every closed task
-- with a past deadline (~130 ms at a million tasks; ~1 ms with them). The WHERE
-- clauses must stay equivalent to ClockRunningTerm() in task_query.cc, or
-- SQLite will not use them; schema_test checks the plans.
CREATE INDEX tasks_open_by_deadline ON tasks(deadline_key) WHERE state IN (2, 3, 4);
CREATE INDEX tasks_open_by_campaign_deadline ON tasks(campaign_id, deadline_key)
  WHERE state IN (2, 3, 4);

-- The first answer to each mutating request, for idempotent retries.
CREATE TABLE requests (
  principal TEXT NOT NULL,
  request_id TEXT NOT NULL,
  method TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response BLOB NOT NULL,
  save_time TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,  -- UTC; for pruning old entries
  PRIMARY KEY (principal, request_id)
) STRICT, WITHOUT ROWID;
)sql";

// Added for the campaign's phases: inspections and their score sheets, the
// communities' self-check lists, the scoring standards they were scored by,
// and the new campaign and task fields. Existing rows take the defaults the
// domain gives (no standard, a 90% target, final-assault service levels at 50%;
// tasks opened by no inspection).
constexpr char kV3[] = R"sql(
ALTER TABLE campaigns ADD COLUMN standard_id TEXT;  -- NULL: none chosen yet
ALTER TABLE campaigns ADD COLUMN target_percent INTEGER NOT NULL DEFAULT 90;
ALTER TABLE campaigns ADD COLUMN final_assault_percent INTEGER NOT NULL DEFAULT 50;

-- One score sheet. Deductions and category scores are JSON arrays (codec.h):
-- they belong to the sheet, are always read and written whole with it and are
-- never queried on their own. The generated create_key (as in tasks) lets the
-- indexes serve "newest first" (date DESC, create_time DESC, row_id DESC) to
-- the end, so the latest sheet of a community is one index seek.
CREATE TABLE inspections (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  community_id TEXT NOT NULL REFERENCES communities(id),
  kind INTEGER NOT NULL,
  date TEXT NOT NULL,
  inspector_id TEXT NOT NULL,
  standard_id TEXT NOT NULL,
  standard_version TEXT NOT NULL,
  deductions TEXT NOT NULL,
  categories TEXT NOT NULL,
  total INTEGER NOT NULL,
  max_score INTEGER NOT NULL,
  note TEXT NOT NULL,
  create_time INTEGER,
  version INTEGER NOT NULL,
  create_key INTEGER GENERATED ALWAYS AS (IFNULL(create_time, -9223372036854775808)) VIRTUAL
) STRICT;
CREATE INDEX inspections_by_community_date ON inspections(community_id, date, create_key);
CREATE INDEX inspections_by_campaign_kind_date
  ON inspections(campaign_id, kind, date, create_key);

-- A task opened by an inspection's deduction names it. Enforced like every
-- other entity reference: the inspection is created first (scores and all),
-- then its tasks, then SaveInspection records their ids in the deductions.
ALTER TABLE tasks ADD COLUMN inspection_id TEXT REFERENCES inspections(id);

-- One per community and campaign; row_id keeps the submission order.
CREATE TABLE self_check_lists (
  row_id INTEGER PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  community_id TEXT NOT NULL REFERENCES communities(id),
  submitted_by TEXT NOT NULL,
  submit_time INTEGER,
  task_ids TEXT NOT NULL,  -- JSON array of task ids, in the list's order
  UNIQUE (campaign_id, community_id)
) STRICT;

-- Every version of a scoring standard ever loaded, as the text it was loaded
-- from; row_id is the load order ("oldest first").
CREATE TABLE standards (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  text TEXT NOT NULL,
  load_time INTEGER,
  UNIQUE (id, version)
) STRICT;
)sql";

// v4: who must hear of each event, for the event feed's scopes.
constexpr char kV4[] = R"sql(
ALTER TABLE events ADD COLUMN audience TEXT NOT NULL DEFAULT '[]';
)sql";

// v5: accountability: penalties, and the escalation steps the scheduler has
// applied (one row per (campaign, step, subject): the UNIQUE key is what makes
// each step happen once, across restarts).
constexpr char kV5[] = R"sql(
CREATE TABLE penalties (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  org_id TEXT NOT NULL REFERENCES organisations(id),
  kind INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  reason TEXT NOT NULL,
  task_ids TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  escalation_step TEXT NOT NULL,
  state INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  decision_comment TEXT NOT NULL,
  revoked_by TEXT NOT NULL,
  revoke_reason TEXT NOT NULL,
  propose_time INTEGER,
  decide_time INTEGER,
  revoke_time INTEGER,
  update_time INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX penalties_by_org ON penalties (org_id, campaign_id, kind, state);
CREATE INDEX penalties_by_campaign ON penalties (campaign_id, row_id);

CREATE TABLE escalations (
  row_id INTEGER PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  step_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  apply_time INTEGER,
  UNIQUE (campaign_id, step_id, subject)
) STRICT;
)sql";

// v6: legal cases (涉法问题) with their steps as JSON, and hard/hot problems
// reported to the city office. The overdue mark of a legal case reuses the
// escalations table (step 'legal_case.overdue', subject 'legal_cases/LC-n').
constexpr char kV6[] = R"sql(
CREATE TABLE legal_cases (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  community_id TEXT NOT NULL REFERENCES communities(id),
  street_office_id TEXT REFERENCES organisations(id),
  property_company_id TEXT REFERENCES organisations(id),
  task_id TEXT REFERENCES tasks(id),
  kind INTEGER NOT NULL,
  place TEXT NOT NULL,
  offender TEXT NOT NULL,
  description TEXT NOT NULL,
  state INTEGER NOT NULL,
  steps TEXT NOT NULL,
  bureau_org_ids TEXT NOT NULL,
  escalate_time INTEGER,
  deadline INTEGER,
  result INTEGER NOT NULL,
  result_text TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  open_time INTEGER,
  close_time INTEGER,
  update_time INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX legal_cases_by_campaign ON legal_cases (campaign_id, state, row_id);
CREATE INDEX legal_cases_by_community ON legal_cases (community_id, row_id);

CREATE TABLE hard_problems (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  kind INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  reported_by TEXT NOT NULL,
  reporter_org_id TEXT REFERENCES organisations(id),
  state INTEGER NOT NULL,
  answer TEXT NOT NULL,
  answered_by TEXT NOT NULL,
  report_time INTEGER,
  answer_time INTEGER,
  update_time INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX hard_problems_by_campaign ON hard_problems (campaign_id, state, row_id);
)sql";

// v7: responsibility letters (责任书) with their indicators and signatures as
// JSON, and the campaign's rule that dispatch needs a signed letter.
constexpr char kV7[] = R"sql(
ALTER TABLE campaigns ADD COLUMN require_letter INTEGER NOT NULL DEFAULT 0;

CREATE TABLE responsibility_letters (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  community_id TEXT NOT NULL REFERENCES communities(id),
  street_office_id TEXT REFERENCES organisations(id),
  owners_committee_id TEXT REFERENCES organisations(id),
  property_company_id TEXT REFERENCES organisations(id),
  indicators TEXT NOT NULL,
  responsibilities TEXT NOT NULL,
  term_start TEXT NOT NULL,
  term_end TEXT NOT NULL,
  state INTEGER NOT NULL,
  signatures TEXT NOT NULL,
  drafted_by TEXT NOT NULL,
  draft_time INTEGER,
  sign_time INTEGER,
  update_time INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX letters_by_community ON responsibility_letters (campaign_id, community_id, state, row_id);
)sql";

// v8: work plans and budgets (工作方案/经费预算): the working items and every
// submitted revision (with the centre's decision and comments) as JSON.
constexpr char kV8[] = R"sql(
CREATE TABLE work_plans (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  street_office_id TEXT NOT NULL REFERENCES organisations(id),
  state INTEGER NOT NULL,
  items TEXT NOT NULL,
  revisions TEXT NOT NULL,
  update_time INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX work_plans_by_office ON work_plans (campaign_id, street_office_id, state, row_id);
)sql";

// v9: volunteers assigned to communities and their supervision reports (监督
// 上报): problems seen (each opened a task) and on-site checks of submitted
// tasks. An assignment is active while end_time is NULL; one active
// assignment per (campaign, volunteer, community).
constexpr char kV9[] = R"sql(
CREATE TABLE volunteer_assignments (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  volunteer_id TEXT NOT NULL REFERENCES people(id),
  volunteer_org_id TEXT NOT NULL REFERENCES organisations(id),
  community_id TEXT NOT NULL REFERENCES communities(id),
  street_office_id TEXT NOT NULL REFERENCES organisations(id),
  assigned_by TEXT NOT NULL,
  assign_time INTEGER,
  ended_by TEXT NOT NULL,
  end_time INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX volunteer_assignments_active
  ON volunteer_assignments (campaign_id, volunteer_id, community_id) WHERE end_time IS NULL;
CREATE INDEX volunteer_assignments_by_volunteer ON volunteer_assignments (volunteer_id, row_id);
CREATE INDEX volunteer_assignments_by_community
  ON volunteer_assignments (community_id, campaign_id, row_id);
CREATE TABLE supervision_reports (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind INTEGER NOT NULL,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  community_id TEXT NOT NULL REFERENCES communities(id),
  street_office_id TEXT NOT NULL REFERENCES organisations(id),
  task_id TEXT NOT NULL REFERENCES tasks(id),
  volunteer_id TEXT NOT NULL REFERENCES people(id),
  volunteer_org_id TEXT REFERENCES organisations(id),
  time INTEGER,
  note TEXT NOT NULL,
  evidence TEXT NOT NULL,
  finding INTEGER NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX supervision_reports_by_task ON supervision_reports (task_id, row_id);
CREATE INDEX supervision_reports_by_community ON supervision_reports (community_id, row_id);
CREATE INDEX supervision_reports_by_volunteer ON supervision_reports (volunteer_id, row_id);
)sql";

// v10: the audit trail (who did what, when, with which token). Append-only:
// triggers refuse UPDATE and DELETE, so not even a bug in this program (or a
// hand with the sqlite3 shell that forgets to drop them) rewrites history.
constexpr char kV10[] = R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER,
  principal TEXT NOT NULL,
  token_id TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  request_id TEXT NOT NULL,
  code INTEGER NOT NULL,
  message TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_principal ON audit (principal, seq);
CREATE INDEX audit_by_resource ON audit (resource, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: they cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: they cannot be deleted'); END;
)sql";

// v11: the supervisors' view. Metrics count a campaign's tasks dispatched in a
// period, grouped by unit (task_query.cc PlanMetricCount). The index holds
// every column the metrics read, so that a month's count walks the index
// alone instead of looking up each task's row. The escalation-level filter
// counts the steps applied to a task by its subject.
constexpr char kV11[] = R"sql(
CREATE INDEX tasks_by_campaign_dispatch ON tasks (campaign_id, dispatch_time, state,
  street_office_id, community_id, responsible_org_id, deadline, submit_time, close_time,
  acknowledge_time, rework_count, extension_count, return_count);
CREATE INDEX escalations_by_subject ON escalations (subject, campaign_id);
)sql";

// v12: the overdue and due-soon pages of one street office, one responsible
// organisation or one community. With only v2's indexes, "overdue in campaign
// C for street office S" read every overdue task of the campaign from the
// table to test its office, and counted them the same way (~360 ms at a
// million tasks, 83,000 of them overdue); with these, page and count read
// only the index entries they return (~0.1 ms). Same WHERE as v2's.
constexpr char kV12[] = R"sql(
CREATE INDEX tasks_open_by_office_deadline ON tasks(street_office_id, campaign_id, deadline_key)
  WHERE state IN (2, 3, 4);
CREATE INDEX tasks_open_by_org_deadline ON tasks(responsible_org_id, campaign_id, deadline_key)
  WHERE state IN (2, 3, 4);
CREATE INDEX tasks_open_by_community_deadline ON tasks(community_id, campaign_id, deadline_key)
  WHERE state IN (2, 3, 4);
)sql";

// v13: the monthly bulletin's budget by payer, over every task of the
// campaign. With only the indexes above it found the campaign's tasks by
// tasks_by_campaign_category, read each one's row from the table for its
// payer and sums, and sorted them by payer: ~0.8 s at a million tasks, about
// half the bulletin. This index holds all it reads, in payer order: one walk
// of the campaign's entries, no table row, no sort (~0.25 s). Its cost: a
// transition changes `state`, so each rewrites this entry too (BENCHMARKS.md,
// finding 8).
constexpr char kV13[] = R"sql(
CREATE INDEX tasks_by_campaign_payer ON tasks (campaign_id, budget_payer, state,
  budget_planned_fen, budget_actual_fen);
)sql";

// v14: durable transitions rewrote every open-task index at every step. A
// transition changes `state`, and the five partial indexes on open tasks
// (v2, v12) had `state IN (2, 3, 4)` as their WHERE, so SQLite deleted and
// re-inserted each task's entry in all five even when the task stayed open
// (accept, start), and built a temporary b-tree to test that IN list, twice
// per index, at every UPDATE. Now the WHERE is a stored flag set from the
// state (domain::ClockRuns) that changes only when the clock starts or stops:
// accepting or starting a task leaves these indexes alone (BENCHMARKS.md,
// finding 9). Same names, same keys.
constexpr char kV14[] = R"sql(
ALTER TABLE tasks ADD COLUMN clock_running INTEGER NOT NULL DEFAULT 0;
DROP INDEX tasks_open_by_deadline;
DROP INDEX tasks_open_by_campaign_deadline;
DROP INDEX tasks_open_by_office_deadline;
DROP INDEX tasks_open_by_org_deadline;
DROP INDEX tasks_open_by_community_deadline;
UPDATE tasks SET clock_running = 1 WHERE state BETWEEN 2 AND 4;
CREATE INDEX tasks_open_by_deadline ON tasks(deadline_key) WHERE clock_running = 1;
CREATE INDEX tasks_open_by_campaign_deadline ON tasks(campaign_id, deadline_key)
  WHERE clock_running = 1;
CREATE INDEX tasks_open_by_office_deadline ON tasks(street_office_id, campaign_id, deadline_key)
  WHERE clock_running = 1;
CREATE INDEX tasks_open_by_org_deadline ON tasks(responsible_org_id, campaign_id, deadline_key)
  WHERE clock_running = 1;
CREATE INDEX tasks_open_by_community_deadline ON tasks(community_id, campaign_id, deadline_key)
  WHERE clock_running = 1;
)sql";

constexpr Migration kMigrations[] = {
    {1, "base tables", kV1},
    {2, "open-task deadline indexes and requests table", kV2},
    {3, "inspections, self-check lists, standards; campaign targets, task inspection", kV3},
    {4, "event audiences", kV4},
    {5, "penalties and applied escalation steps", kV5},
    {6, "legal cases and hard/hot problems", kV6},
    {7, "responsibility letters; campaign require_letter", kV7},
    {8, "work plans and budgets", kV8},
    {9, "volunteer assignments and supervision reports", kV9},
    {10, "the append-only audit trail", kV10},
    {11, "metric and escalation-level indexes", kV11},
    {12, "open-task deadline indexes by street office, organisation and community", kV12},
    {13, "budget-by-payer index", kV13},
    {14, "open-task indexes keyed on a stored clock_running flag", kV14},
};

static_assert(kApplicationId == 1380144217, "kV1 spells the application id in decimal");

int ReadUserVersion(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

}  // namespace

absl::Span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

absl::StatusOr<int> SchemaVersion(SQLite::Database& db) {
  try {
    return ReadUserVersion(db);
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, "read the schema version");
  }
}

absl::Status MigrateSchema(SQLite::Database& db, const std::string& path, int target_version) {
  const int latest = LatestSchemaVersion();
  if (target_version < 1 || target_version > latest) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema version ", target_version, " is not in 1..", latest));
  }
  int current = 0;
  try {
    current = ReadUserVersion(db);
    if (current > 0 && db.execAndGet("PRAGMA application_id").getInt() != kApplicationId) {
      return absl::FailedPreconditionError(
          absl::StrCat("database '", path, "' is not a rectify database (its application_id is ",
                       "not 'RCTY'); point the server at another file"));
    }
  } catch (const SQLite::Exception& e) {
    return SqliteStatus(e, absl::StrCat("open database '", path, "'"));
  }
  if (current > latest) {
    return absl::FailedPreconditionError(
        absl::StrCat("database '", path, "' has schema version ", current,
                     " but this build knows versions up to ", latest,
                     "; run a newer rectify build, or restore a backup made by this one"));
  }
  for (const Migration& step : kMigrations) {
    if (step.version > target_version) break;
    if (step.version <= current) continue;
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        // Another process may have migrated while we waited for the lock.
        current = ReadUserVersion(db);
        if (current < step.version) {
          db.exec(step.sql);
          db.exec(absl::StrCat("PRAGMA user_version = ", step.version));
        }
        db.exec("COMMIT");
      } catch (const SQLite::Exception&) {
        db.tryExec("ROLLBACK");
        throw;
      }
    } catch (const SQLite::Exception& e) {
      return SqliteStatus(e, absl::StrCat("upgrade database '", path, "' to schema version ",
                                          step.version, " (", step.description, ")"));
    }
    if (current < step.version) {
      RECTIFY_LOG(INFO) << "database " << path << ": schema upgraded to version " << step.version
                        << " (" << step.description << ")";
      current = step.version;
    }
  }
  return absl::OkStatus();
}

}  // namespace rectify::storage::internal
