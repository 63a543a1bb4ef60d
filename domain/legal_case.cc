#include "domain/legal_case.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "domain/penalty.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

using S = LegalCaseState;
using A = LegalAction;
using P = LegalParty;

// The parties, short, for the table.
constexpr P kPc = P::kPropertyCompany;
constexpr P kSo = P::kStreetOffice;
constexpr P kEb = P::kEnforcementBureau;

// clang-format off
constexpr LegalTransition kTable[] = {
    // from            action            to                who   or also
    {S::kNotified,     A::kDissuade,     S::kDissuaded,    kPc,  kPc},
    {S::kDissuaded,    A::kStop,         S::kStopped,      kPc,  kPc},
    {S::kStopped,      A::kReport,       S::kReported,     kPc,  kPc},
    {S::kReported,     A::kEscalate,     S::kEscalated,    kSo,  kSo},
    {S::kEscalated,    A::kAcknowledge,  S::kAcknowledged, kEb,  kEb},
    {S::kAcknowledged, A::kRecordAction, S::kAcknowledged, kEb,  kEb},  // a side action
    {S::kAcknowledged, A::kClose,        S::kClosed,       kEb,  kEb},
    {S::kNotified,     A::kResolve,      S::kResolved,     kPc,  kSo},
    {S::kDissuaded,    A::kResolve,      S::kResolved,     kPc,  kSo},
    {S::kStopped,      A::kResolve,      S::kResolved,     kPc,  kSo},
    {S::kReported,     A::kResolve,      S::kResolved,     kPc,  kSo},
};
// clang-format on

constexpr size_t kMaxText = 2000;

LegalStep NewStep(LegalAction action, const LegalStepArgs& args, absl::Time now) {
  LegalStep step;
  step.action = action;
  step.actor_person_id = args.actor_person_id;
  step.actor_org_id = args.actor_org_id;
  step.time = now;
  step.note = args.note;
  step.evidence = args.evidence;
  for (Evidence& e : step.evidence) {
    e.added_by = args.actor_person_id;
    e.add_time = now;
  }
  return step;
}

Event NewEvent(const LegalCase& c, absl::string_view type, absl::string_view actor_person,
               absl::string_view actor_org, absl::Time now) {
  Event event;
  event.type = std::string(type);
  event.subject = absl::StrCat("legal_cases/", c.id);
  event.campaign_id = c.campaign_id;
  event.actor_person_id = std::string(actor_person);
  event.actor_org_id = std::string(actor_org);
  event.time = now;
  event.audience = LegalCaseAudience(c);
  event.details = {{"community_id", c.community_id},
                   {"kind", std::string(LegalCaseKindName(c.kind))}};
  if (!c.task_id.empty()) event.details.push_back({"task_id", c.task_id});
  return event;
}

std::string PartiesOf(LegalAction action) {
  std::vector<std::string> names;
  for (LegalParty party : kAllLegalParties) {
    if (PartyMay(party, action)) names.push_back(std::string(LegalPartyName(party)));
  }
  return absl::StrJoin(names, " or the ");
}

// The checks of the step's own words, per action.
absl::Status ValidateArgs(LegalAction action, const LegalStepArgs& args) {
  RECTIFY_RETURN_IF_ERROR(MaxLength("note", args.note, kMaxText));
  RECTIFY_RETURN_IF_ERROR(ValidateEvidence(args.evidence));
  switch (action) {
    case A::kEscalate:
      if (args.note.empty()) {
        return absl::InvalidArgumentError(
            "'note' is empty; say how the offender refused to rectify (拒不执行整改)");
      }
      if (args.bureau_org_ids.empty()) {
        return absl::FailedPreconditionError(
            "no enforcement bureau to escalate to: create an organisation of kind "
            "ENFORCEMENT_BUREAU first");
      }
      if (args.deadline == absl::InfiniteFuture()) {
        return absl::InvalidArgumentError(
            "'deadline' is unset; escalation starts the bureau's "
            "service level");
      }
      return absl::OkStatus();
    case A::kRecordAction:
      return Required("note", args.note);
    case A::kClose:
      if (args.result != LegalResult::kResolved && args.result != LegalResult::kNotResolved) {
        return absl::InvalidArgumentError("'result' is unset; close with RESOLVED or NOT_RESOLVED");
      }
      return Required("note", args.note);
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::string_view LegalCaseKindName(LegalCaseKind kind) {
  switch (kind) {
    case LegalCaseKind::kIllegalConstruction:
      return "illegal_construction";
    case LegalCaseKind::kPrivateCharging:
      return "private_charging";
    case LegalCaseKind::kStreetVending:
      return "street_vending";
    case LegalCaseKind::kOther:
      return "other";
  }
  return "unknown";
}

absl::string_view LegalCaseStateName(LegalCaseState state) {
  switch (state) {
    case S::kNotified:
      return "NOTIFIED";
    case S::kDissuaded:
      return "DISSUADED";
    case S::kStopped:
      return "STOPPED";
    case S::kReported:
      return "REPORTED";
    case S::kEscalated:
      return "ESCALATED";
    case S::kAcknowledged:
      return "ACKNOWLEDGED";
    case S::kClosed:
      return "CLOSED";
    case S::kResolved:
      return "RESOLVED";
  }
  return "UNKNOWN";
}

bool AtBureau(LegalCaseState state) { return state == S::kEscalated || state == S::kAcknowledged; }

absl::string_view LegalActionName(LegalAction action) {
  switch (action) {
    case A::kNotify:
      return "notify";
    case A::kDissuade:
      return "dissuade";
    case A::kStop:
      return "stop";
    case A::kReport:
      return "report";
    case A::kEscalate:
      return "escalate";
    case A::kAcknowledge:
      return "acknowledge";
    case A::kRecordAction:
      return "record_action";
    case A::kClose:
      return "close";
    case A::kResolve:
      return "resolve";
  }
  return "unknown";
}

absl::string_view LegalEventType(LegalAction action) {
  switch (action) {
    case A::kNotify:
      return "legal_case.opened";
    case A::kDissuade:
      return "legal_case.dissuaded";
    case A::kStop:
      return "legal_case.stopped";
    case A::kReport:
      return "legal_case.reported";
    case A::kEscalate:
      return "legal_case.escalated";
    case A::kAcknowledge:
      return "legal_case.acknowledged";
    case A::kRecordAction:
      return "legal_case.action_recorded";
    case A::kClose:
      return "legal_case.closed";
    case A::kResolve:
      return "legal_case.resolved";
  }
  return "legal_case.unknown";
}

absl::string_view LegalPartyName(LegalParty party) {
  switch (party) {
    case P::kPropertyCompany:
      return "property company";
    case P::kStreetOffice:
      return "street office";
    case P::kEnforcementBureau:
      return "enforcement bureau";
  }
  return "unknown";
}

absl::string_view LegalResultName(LegalResult result) {
  switch (result) {
    case LegalResult::kResolved:
      return "resolved";
    case LegalResult::kNotResolved:
      return "not_resolved";
    case LegalResult::kUnspecified:
      return "";
  }
  return "";
}

absl::Span<const LegalTransition> LegalTransitionTable() { return kTable; }

const LegalTransition* FindLegalTransition(LegalCaseState from, LegalAction action) {
  for (const LegalTransition& row : kTable) {
    if (row.from == from && row.action == action) return &row;
  }
  return nullptr;
}

bool PartyMay(LegalParty party, LegalAction action) {
  if (action == A::kNotify) return party != P::kEnforcementBureau;
  for (const LegalTransition& row : kTable) {
    if (row.action == action && (row.party == party || row.also == party)) return true;
  }
  return false;
}

std::vector<std::string> LegalCaseAudience(const LegalCase& c) {
  std::vector<std::string> out;
  if (!c.street_office_id.empty()) out.push_back(c.street_office_id);
  if (!c.property_company_id.empty()) out.push_back(c.property_company_id);
  for (const std::string& id : c.bureau_org_ids) out.push_back(id);
  return out;
}

absl::StatusOr<Event> OpenLegalCase(LegalCase& c, const LegalStepArgs& args, absl::Time now) {
  RECTIFY_RETURN_IF_ERROR(Required("campaign_id", c.campaign_id));
  RECTIFY_RETURN_IF_ERROR(Required("community_id", c.community_id));
  RECTIFY_RETURN_IF_ERROR(Required("street_office_id", c.street_office_id));
  if (LegalCaseKindName(c.kind) == "unknown") {
    return absl::InvalidArgumentError(
        "'kind' is not a legal case kind; use illegal_construction, private_charging, "
        "street_vending or other");
  }
  RECTIFY_RETURN_IF_ERROR(Required("place", c.place));
  RECTIFY_RETURN_IF_ERROR(MaxLength("place", c.place, 500));
  RECTIFY_RETURN_IF_ERROR(Required("offender", c.offender));
  RECTIFY_RETURN_IF_ERROR(MaxLength("offender", c.offender, 500));
  RECTIFY_RETURN_IF_ERROR(MaxLength("description", c.description, kMaxText));
  RECTIFY_RETURN_IF_ERROR(ValidateArgs(A::kNotify, args));
  c.state = S::kNotified;
  c.steps = {NewStep(A::kNotify, args, now)};
  c.bureau_org_ids.clear();
  c.escalate_time = absl::InfinitePast();
  c.deadline = absl::InfiniteFuture();
  c.result = LegalResult::kUnspecified;
  c.result_text.clear();
  c.opened_by = args.actor_person_id;
  c.open_time = now;
  c.close_time = absl::InfinitePast();
  c.update_time = now;
  Event event =
      NewEvent(c, LegalEventType(A::kNotify), args.actor_person_id, args.actor_org_id, now);
  event.to_state = std::string(LegalCaseStateName(S::kNotified));
  event.reason = args.note;
  event.details.push_back({"place", c.place});
  return event;
}

absl::StatusOr<Event> ApplyLegalAction(LegalCase& c, LegalAction action, LegalParty party,
                                       const LegalStepArgs& args, absl::Time now) {
  if (action == A::kNotify) {
    return absl::InvalidArgumentError("'notify' opens a case; it is no step of an open one");
  }
  if (!PartyMay(party, action)) {
    return absl::PermissionDeniedError(absl::StrCat("'", LegalActionName(action), "' is for the ",
                                                    PartiesOf(action), "; the ",
                                                    LegalPartyName(party), " may not"));
  }
  const LegalTransition* row = FindLegalTransition(c.state, action);
  if (row == nullptr) {
    std::vector<std::string> needs;
    for (const LegalTransition& r : kTable) {
      if (r.action == action) needs.push_back(std::string(LegalCaseStateName(r.from)));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("legal case '", c.id, "' is in state ", LegalCaseStateName(c.state), "; '",
                     LegalActionName(action), "' needs ", absl::StrJoin(needs, " or ")));
  }
  RECTIFY_RETURN_IF_ERROR(ValidateArgs(action, args));
  if (action == A::kEscalate) {
    c.bureau_org_ids = args.bureau_org_ids;
    c.escalate_time = now;
    c.deadline = args.deadline;
  }
  if (action == A::kClose) {
    c.result = args.result;
    c.result_text = args.note;
  }
  if (row->to == S::kClosed || row->to == S::kResolved) c.close_time = now;
  c.steps.push_back(NewStep(action, args, now));
  c.state = row->to;
  c.update_time = now;
  Event event = NewEvent(c, LegalEventType(action), args.actor_person_id, args.actor_org_id, now);
  event.from_state = std::string(LegalCaseStateName(row->from));
  event.to_state = std::string(LegalCaseStateName(row->to));
  event.reason = args.note;
  if (action == A::kEscalate) {
    event.details.push_back({"bureau_org_ids", absl::StrJoin(c.bureau_org_ids, ",")});
    event.details.push_back(
        {"deadline", absl::FormatTime(absl::RFC3339_sec, c.deadline, absl::UTCTimeZone())});
  }
  if (action == A::kClose) {
    event.details.push_back({"result", std::string(LegalResultName(c.result))});
  }
  return event;
}

bool LegalCaseOverdue(const LegalCase& c, absl::Time now) {
  return AtBureau(c.state) && c.deadline != absl::InfiniteFuture() && now > c.deadline;
}

Event LegalCaseOverdueEvent(const LegalCase& c, absl::Time now) {
  Event event = NewEvent(c, "legal_case.overdue", kSchedulerActor, "", now);
  // The bureau that let it pass, and the street office that handed it over.
  event.audience = c.bureau_org_ids;
  event.audience.push_back(c.street_office_id);
  event.details.push_back(
      {"deadline", absl::FormatTime(absl::RFC3339_sec, c.deadline, absl::UTCTimeZone())});
  event.details.push_back({"state", std::string(LegalCaseStateName(c.state))});
  return event;
}

}  // namespace rectify::domain
