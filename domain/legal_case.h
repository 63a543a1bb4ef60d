// Legal cases (涉法问题): a problem that involves the law, worked up the
// escalation ladder of the seed's 四(二)5 — the property company notifies,
// dissuades, stops and reports; if the offender refuses to rectify (拒不执行整改)
// the street office escalates to the enforcement bureau (执法局), which
// acknowledges, acts and closes the case with a result. Pure: the caller
// passes `now` and the acting party, and stores the case with the event each
// step returns (server/legal_commands.h decides who is which party).
//
// clang-format off
//   open        dissuade       stop         report        escalate
//  ─────► NOTIFIED ───► DISSUADED ───► STOPPED ───► REPORTED ───► ESCALATED
//            │              │             │            │             │ acknowledge
//            └──────────────┴── resolve ──┴────────────┘             ▼
//                               ▼                              ACKNOWLEDGED ◄─┐
//                           RESOLVED                               │   └──────┘ record_action
//                                                                  │ close (result)
//                                                                  ▼
//                                                               CLOSED
//
// clang-format on
//   NOTIFIED      opened: the offender has been told (通知). Property company.
//   DISSUADED     劝阻 recorded. Property company.
//   STOPPED       制止 recorded. Property company.
//   REPORTED      上报 to the street office. Property company.
//   ESCALATED     the offender refused: the street office (or a supervisor)
//                 hands it to the enforcement bureau; its service level starts
//                 (`deadline`): acknowledgement and closure are due by it.
//   ACKNOWLEDGED  the bureau has it; it records actions (any number).
//   CLOSED        the bureau closed it with a result (terminal).
//   RESOLVED      the offender complied before escalation (terminal).
//
//   LegalCase c = ...;   // campaign, community, kind, place, offender
//   RECTIFY_ASSIGN_OR_RETURN(Event e, OpenLegalCase(c, step, now));
//   RECTIFY_ASSIGN_OR_RETURN(Event e2, ApplyLegalAction(c, LegalAction::kDissuade,
//                                                       LegalParty::kPropertyCompany, step, now));
#ifndef RECTIFY_DOMAIN_LEGAL_CASE_H_
#define RECTIFY_DOMAIN_LEGAL_CASE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/event.h"
#include "domain/task.h"

namespace rectify::domain {

// The service-level category whose time the enforcement bureau has to
// acknowledge and close an escalated case (data/service_levels.txt). It is
// the bureau's clock, not a kind of problem: no task has it as its category.
inline constexpr char kEnforcementServiceLevel[] = "enforcement";

// Numbered as stored and as the API's LegalCaseKind: never renumber.
enum class LegalCaseKind {
  kIllegalConstruction = 1,  // 违章搭建
  kPrivateCharging,          // 私拉电线充电
  kStreetVending,            // 占道经营
  kOther,
};
// "illegal_construction", "private_charging", "street_vending", "other".
absl::string_view LegalCaseKindName(LegalCaseKind kind);

enum class LegalCaseState {
  kNotified = 1,
  kDissuaded,
  kStopped,
  kReported,
  kEscalated,
  kAcknowledged,
  kClosed,
  kResolved,
};
absl::string_view LegalCaseStateName(LegalCaseState state);  // "NOTIFIED", ...
inline constexpr LegalCaseState kAllLegalCaseStates[] = {
    LegalCaseState::kNotified, LegalCaseState::kDissuaded, LegalCaseState::kStopped,
    LegalCaseState::kReported, LegalCaseState::kEscalated, LegalCaseState::kAcknowledged,
    LegalCaseState::kClosed,   LegalCaseState::kResolved};
// Whether the case is at the bureau and its service level runs.
bool AtBureau(LegalCaseState state);

// kNotify opens a case (it is no transition of the table); the others move it.
enum class LegalAction {
  kNotify = 1,
  kDissuade,
  kStop,
  kReport,
  kEscalate,
  kAcknowledge,
  kRecordAction,
  kClose,
  kResolve,
};
// "notify", "dissuade", ...: also the stored name of a step.
absl::string_view LegalActionName(LegalAction action);
// "legal_case.opened", "legal_case.dissuaded", ..., "legal_case.action_recorded".
absl::string_view LegalEventType(LegalAction action);
inline constexpr LegalAction kAllLegalTransitions[] = {
    LegalAction::kDissuade, LegalAction::kStop,        LegalAction::kReport,
    LegalAction::kEscalate, LegalAction::kAcknowledge, LegalAction::kRecordAction,
    LegalAction::kClose,    LegalAction::kResolve};

// Who acts on a case; the server maps a person to one of these (a supervisor
// acts as the street office).
enum class LegalParty { kPropertyCompany = 1, kStreetOffice, kEnforcementBureau };
absl::string_view LegalPartyName(LegalParty party);  // "property company", ...
inline constexpr LegalParty kAllLegalParties[] = {
    LegalParty::kPropertyCompany, LegalParty::kStreetOffice, LegalParty::kEnforcementBureau};

struct LegalTransition {
  LegalCaseState from;
  LegalAction action;
  LegalCaseState to;
  LegalParty party;  // who may take it
  LegalParty also;   // a second party who may (== party when only one)
};
// Every legal (state, action) pair and who may take it; a pair not listed is illegal.
absl::Span<const LegalTransition> LegalTransitionTable();
const LegalTransition* FindLegalTransition(LegalCaseState from, LegalAction action);
// Whether `party` may take `action` at all (in some state).
bool PartyMay(LegalParty party, LegalAction action);

enum class LegalResult { kUnspecified = 0, kResolved = 1, kNotResolved = 2 };
absl::string_view LegalResultName(LegalResult result);  // "resolved", "not_resolved", ""

// One step of the ladder or one bureau action: when, who, what was said, what
// proves it.
struct LegalStep {
  LegalAction action = LegalAction::kNotify;
  std::string actor_person_id;
  std::string actor_org_id;
  absl::Time time = absl::InfinitePast();
  std::string note;
  std::vector<Evidence> evidence;
};

// What the caller brings to a step. `deadline` and `bureau_org_ids` only for
// kEscalate; `result` only for kClose.
struct LegalStepArgs {
  std::string actor_person_id;
  std::string actor_org_id;
  std::string note;
  std::vector<Evidence> evidence;
  absl::Time deadline = absl::InfiniteFuture();
  std::vector<std::string> bureau_org_ids;
  LegalResult result = LegalResult::kUnspecified;
};

struct LegalCase {
  std::string id;  // "LC-7"
  std::string campaign_id;
  std::string community_id;
  std::string street_office_id;     // the community's, copied at opening
  std::string property_company_id;  // the community's at opening; may be empty
  std::string task_id;              // a linked rectification task; may be empty
  LegalCaseKind kind = LegalCaseKind::kOther;
  std::string place;
  std::string offender;
  std::string description;
  LegalCaseState state = LegalCaseState::kNotified;
  std::vector<LegalStep> steps;             // every step and bureau action, oldest first
  std::vector<std::string> bureau_org_ids;  // set at escalation
  absl::Time escalate_time = absl::InfinitePast();
  absl::Time deadline = absl::InfiniteFuture();  // the bureau's, set at escalation
  LegalResult result = LegalResult::kUnspecified;
  std::string result_text;
  std::string opened_by;
  absl::Time open_time = absl::InfinitePast();
  absl::Time close_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  int64_t version = 0;  // 0 before it is first stored; the etag is its decimal form
};

// Who must hear of a case: its street office and property company, and the
// bureau(s) once escalated.
std::vector<std::string> LegalCaseAudience(const LegalCase& c);

// Checks a case about to be opened and records the notice (通知) as its first
// step: campaign_id, community_id, street_office_id, place, offender
// required; kind known; texts bounded; evidence with a uri and a SHA-256.
// kInvalidArgument naming the field. Event "legal_case.opened".
absl::StatusOr<Event> OpenLegalCase(LegalCase& c, const LegalStepArgs& args, absl::Time now);

// Takes one step. kPermissionDenied "'acknowledge' is for the enforcement
// bureau; the property company may not" when `party` may never take it;
// kFailedPrecondition "legal case 'LC-1' is in state NOTIFIED; 'escalate'
// needs REPORTED"; kInvalidArgument naming the field: escalate needs a note
// (the refusal), a deadline and bureau_org_ids; record_action needs a note;
// close needs a result and a note (the result's text).
absl::StatusOr<Event> ApplyLegalAction(LegalCase& c, LegalAction action, LegalParty party,
                                       const LegalStepArgs& args, absl::Time now);

// Whether the bureau has let its service level pass: at the bureau and
// `now` > deadline.
bool LegalCaseOverdue(const LegalCase& c, absl::Time now);
// The event of an overdue case, for the bureau(s) and supervisors:
// "legal_case.overdue", actor "scheduler".
Event LegalCaseOverdueEvent(const LegalCase& c, absl::Time now);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_LEGAL_CASE_H_
