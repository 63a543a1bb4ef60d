// Penalties (追究责任) against a responsible subject that fails its tasks, and
// their state machine. Pure: the caller passes `now`, checks who may act
// (server/accountability_commands.h), and stores the penalty with the event
// each transition returns.
//
//              issue                      revoke (reason)
//   PROPOSED ──────────► ISSUED ───────────────────────► REVOKED
//       │
//       └──── dismiss ──► DISMISSED
//
//   PROPOSED   someone (a supervisor, a street officer, the escalation policy)
//              asks for it; nothing has happened to the organisation yet.
//   ISSUED     in force: counts toward red cards, a termination has taken effect.
//   DISMISSED  refused at the proposal (terminal).
//   REVOKED    withdrawn after issue; the fact stays recorded (terminal).
//
//   Penalty p = ...;                        // campaign, org, kind, reason
//   RECTIFY_ASSIGN_OR_RETURN(Event e, ProposePenalty(p, "sup-1", "sup", now));
//   RECTIFY_ASSIGN_OR_RETURN(Event e2, IssuePenalty(p, "sup-1", "sup", "", now));
#ifndef RECTIFY_DOMAIN_PENALTY_H_
#define RECTIFY_DOMAIN_PENALTY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/event.h"

namespace rectify::domain {

enum class PenaltyKind {
  kFine = 1,           // 罚款: amount_fen > 0
  kNoticeOfCriticism,  // 通报批评
  kSummonsTalk,        // 约谈
  kYellowCard,
  kRedCard,
  kContractTermination,  // 解除合同 (property companies: their communities lose them)
};
// "fine", "notice_of_criticism", "summons_talk", "yellow_card", "red_card",
// "contract_termination": the names the policy file uses.
absl::string_view PenaltyKindName(PenaltyKind kind);
// kInvalidArgument listing the names if `name` is none of them.
absl::StatusOr<PenaltyKind> ParsePenaltyKind(absl::string_view name);
inline constexpr PenaltyKind kAllPenaltyKinds[] = {
    PenaltyKind::kFine,       PenaltyKind::kNoticeOfCriticism, PenaltyKind::kSummonsTalk,
    PenaltyKind::kYellowCard, PenaltyKind::kRedCard,           PenaltyKind::kContractTermination};

enum class PenaltyState { kProposed = 1, kIssued, kDismissed, kRevoked };
absl::string_view PenaltyStateName(PenaltyState state);  // "PROPOSED", ...
inline constexpr PenaltyState kAllPenaltyStates[] = {PenaltyState::kProposed, PenaltyState::kIssued,
                                                     PenaltyState::kDismissed,
                                                     PenaltyState::kRevoked};

enum class PenaltyAction { kIssue = 1, kDismiss, kRevoke };
absl::string_view PenaltyActionName(PenaltyAction action);  // "issue", "dismiss", "revoke"
// "penalty.issued", "penalty.dismissed", "penalty.revoked".
absl::string_view PenaltyEventType(PenaltyAction action);
inline constexpr PenaltyAction kAllPenaltyActions[] = {
    PenaltyAction::kIssue, PenaltyAction::kDismiss, PenaltyAction::kRevoke};

struct PenaltyTransition {
  PenaltyState from;
  PenaltyAction action;
  PenaltyState to;
};
// Every legal (state, action) pair; a pair not listed is illegal.
absl::Span<const PenaltyTransition> PenaltyTransitionTable();
const PenaltyTransition* FindPenaltyTransition(PenaltyState from, PenaltyAction action);

// Who proposes on behalf of the escalation policy.
inline constexpr char kSchedulerActor[] = "scheduler";
// Who acts for the system in the consequences of a penalty (releasing tasks).
inline constexpr char kSystemActor[] = "system";

struct Penalty {
  std::string id;  // "PN-7"
  std::string campaign_id;
  std::string org_id;  // the target organisation
  PenaltyKind kind = PenaltyKind::kNoticeOfCriticism;
  int64_t amount_fen = 0;  // fines only; 0 otherwise
  std::string reason;
  std::vector<std::string> task_ids;
  std::string proposed_by;      // person id or kSchedulerActor
  std::string escalation_step;  // the policy step that proposed it, else empty
  PenaltyState state = PenaltyState::kProposed;
  std::string decided_by;  // issued or dismissed by
  std::string decision_comment;
  std::string revoked_by;
  std::string revoke_reason;
  absl::Time propose_time = absl::InfinitePast();
  absl::Time decide_time = absl::InfinitePast();
  absl::Time revoke_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  int64_t version = 0;  // 0 before it is first stored; the etag is its decimal form
};

// Checks a penalty about to be proposed: campaign_id, org_id, reason and
// proposed_by required; a fine needs 0 < amount_fen <= kMaxFen, other kinds
// amount_fen == 0; at most 100 task ids, none empty. kInvalidArgument naming
// the field.
absl::Status ValidateNewPenalty(const Penalty& penalty);

// Who must hear of a penalty: its target organisation.
std::vector<std::string> PenaltyAudience(const Penalty& penalty);

// Validates and records the proposal: state PROPOSED, propose/update time;
// event "penalty.proposed". kInvalidArgument as ValidateNewPenalty.
absl::StatusOr<Event> ProposePenalty(Penalty& penalty, absl::string_view actor_person,
                                     absl::string_view actor_org, absl::Time now);
// The transitions. kFailedPrecondition "penalty 'PN-1' is in state ISSUED;
// 'issue' needs PROPOSED"; Revoke needs a reason (kInvalidArgument 'reason').
absl::StatusOr<Event> IssuePenalty(Penalty& penalty, absl::string_view actor_person,
                                   absl::string_view actor_org, absl::string_view comment,
                                   absl::Time now);
absl::StatusOr<Event> DismissPenalty(Penalty& penalty, absl::string_view actor_person,
                                     absl::string_view actor_org, absl::string_view reason,
                                     absl::Time now);
absl::StatusOr<Event> RevokePenalty(Penalty& penalty, absl::string_view actor_person,
                                    absl::string_view actor_org, absl::string_view reason,
                                    absl::Time now);

// Red cards: whether an organisation that now has `issued_yellow_cards`
// issued, unrevoked yellow cards in a campaign earns a red card with the one
// just issued, under "red after N yellow" (N >= 1).
bool EarnsRedCard(int64_t issued_yellow_cards, int red_after_yellow);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_PENALTY_H_
