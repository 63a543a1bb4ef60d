#include "domain/penalty.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "domain/task.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

using S = PenaltyState;
using A = PenaltyAction;

// clang-format off
constexpr PenaltyTransition kTable[] = {
    // from         action        to
    {S::kProposed, A::kIssue,   S::kIssued},
    {S::kProposed, A::kDismiss, S::kDismissed},
    {S::kIssued,   A::kRevoke,  S::kRevoked},
};
// clang-format on

Event NewEvent(const Penalty& p, absl::string_view type, absl::string_view actor_person,
               absl::string_view actor_org, absl::Time now) {
  Event event;
  event.type = std::string(type);
  event.subject = absl::StrCat("penalties/", p.id);
  event.campaign_id = p.campaign_id;
  event.actor_person_id = std::string(actor_person);
  event.actor_org_id = std::string(actor_org);
  event.time = now;
  event.audience = PenaltyAudience(p);
  event.details = {{"organisation_id", p.org_id}, {"kind", std::string(PenaltyKindName(p.kind))}};
  if (p.kind == PenaltyKind::kFine)
    event.details.push_back({"amount_fen", absl::StrCat(p.amount_fen)});
  if (!p.task_ids.empty()) event.details.push_back({"task_ids", absl::StrJoin(p.task_ids, ",")});
  if (!p.escalation_step.empty()) event.details.push_back({"escalation_step", p.escalation_step});
  return event;
}

// Checks the move, applies it and returns its event.
absl::StatusOr<Event> Move(Penalty& p, PenaltyAction action, absl::string_view actor_person,
                           absl::string_view actor_org, absl::string_view words, absl::Time now) {
  const PenaltyTransition* row = FindPenaltyTransition(p.state, action);
  if (row == nullptr) {
    std::vector<std::string> needs;
    for (const PenaltyTransition& r : kTable) {
      if (r.action == action) needs.push_back(std::string(PenaltyStateName(r.from)));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("penalty '", p.id, "' is in state ", PenaltyStateName(p.state), "; '",
                     PenaltyActionName(action), "' needs ", absl::StrJoin(needs, " or ")));
  }
  Event event = NewEvent(p, PenaltyEventType(action), actor_person, actor_org, now);
  event.from_state = std::string(PenaltyStateName(row->from));
  event.to_state = std::string(PenaltyStateName(row->to));
  event.reason = std::string(words);
  p.state = row->to;
  p.update_time = now;
  return event;
}

}  // namespace

absl::string_view PenaltyKindName(PenaltyKind kind) {
  switch (kind) {
    case PenaltyKind::kFine:
      return "fine";
    case PenaltyKind::kNoticeOfCriticism:
      return "notice_of_criticism";
    case PenaltyKind::kSummonsTalk:
      return "summons_talk";
    case PenaltyKind::kYellowCard:
      return "yellow_card";
    case PenaltyKind::kRedCard:
      return "red_card";
    case PenaltyKind::kContractTermination:
      return "contract_termination";
  }
  return "unknown";
}

absl::StatusOr<PenaltyKind> ParsePenaltyKind(absl::string_view name) {
  std::vector<std::string> names;
  for (PenaltyKind kind : kAllPenaltyKinds) {
    if (PenaltyKindName(kind) == name) return kind;
    names.push_back(std::string(PenaltyKindName(kind)));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown penalty kind '", name, "'; use one of ", absl::StrJoin(names, ", ")));
}

absl::string_view PenaltyStateName(PenaltyState state) {
  switch (state) {
    case S::kProposed:
      return "PROPOSED";
    case S::kIssued:
      return "ISSUED";
    case S::kDismissed:
      return "DISMISSED";
    case S::kRevoked:
      return "REVOKED";
  }
  return "UNKNOWN";
}

absl::string_view PenaltyActionName(PenaltyAction action) {
  switch (action) {
    case A::kIssue:
      return "issue";
    case A::kDismiss:
      return "dismiss";
    case A::kRevoke:
      return "revoke";
  }
  return "unknown";
}

absl::string_view PenaltyEventType(PenaltyAction action) {
  switch (action) {
    case A::kIssue:
      return "penalty.issued";
    case A::kDismiss:
      return "penalty.dismissed";
    case A::kRevoke:
      return "penalty.revoked";
  }
  return "penalty.unknown";
}

absl::Span<const PenaltyTransition> PenaltyTransitionTable() { return kTable; }

const PenaltyTransition* FindPenaltyTransition(PenaltyState from, PenaltyAction action) {
  for (const PenaltyTransition& row : kTable) {
    if (row.from == from && row.action == action) return &row;
  }
  return nullptr;
}

absl::Status ValidateNewPenalty(const Penalty& p) {
  RECTIFY_RETURN_IF_ERROR(Required("campaign_id", p.campaign_id));
  RECTIFY_RETURN_IF_ERROR(Required("organisation_id", p.org_id));
  RECTIFY_RETURN_IF_ERROR(Required("reason", p.reason));
  RECTIFY_RETURN_IF_ERROR(MaxLength("reason", p.reason, 2000));
  RECTIFY_RETURN_IF_ERROR(Required("proposed_by", p.proposed_by));
  if (PenaltyKindName(p.kind) == "unknown") {
    return absl::InvalidArgumentError("'kind' is not a penalty kind");
  }
  if (p.kind == PenaltyKind::kFine) {
    if (p.amount_fen <= 0 || p.amount_fen > kMaxFen) {
      return absl::InvalidArgumentError(absl::StrCat("'amount_fen' is ", p.amount_fen,
                                                     "; a fine needs an amount between 1 and ",
                                                     kMaxFen, " fen"));
    }
  } else if (p.amount_fen != 0) {
    return absl::InvalidArgumentError(absl::StrCat("'amount_fen' is ", p.amount_fen,
                                                   "; only a fine has an amount, not a ",
                                                   PenaltyKindName(p.kind)));
  }
  if (p.task_ids.size() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("'task_ids' has ", p.task_ids.size(), " ids; at most 100 are allowed"));
  }
  for (size_t i = 0; i < p.task_ids.size(); ++i) {
    RECTIFY_RETURN_IF_ERROR(Required(absl::StrCat("task_ids[", i, "]"), p.task_ids[i]));
  }
  return absl::OkStatus();
}

std::vector<std::string> PenaltyAudience(const Penalty& p) {
  if (p.org_id.empty()) return {};
  return {p.org_id};
}

absl::StatusOr<Event> ProposePenalty(Penalty& p, absl::string_view actor_person,
                                     absl::string_view actor_org, absl::Time now) {
  RECTIFY_RETURN_IF_ERROR(ValidateNewPenalty(p));
  p.state = S::kProposed;
  p.propose_time = now;
  p.update_time = now;
  Event event = NewEvent(p, "penalty.proposed", actor_person, actor_org, now);
  event.to_state = std::string(PenaltyStateName(S::kProposed));
  event.reason = p.reason;
  return event;
}

absl::StatusOr<Event> IssuePenalty(Penalty& p, absl::string_view actor_person,
                                   absl::string_view actor_org, absl::string_view comment,
                                   absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(Event event, Move(p, A::kIssue, actor_person, actor_org, comment, now));
  p.decided_by = std::string(actor_person);
  p.decision_comment = std::string(comment);
  p.decide_time = now;
  return event;
}

absl::StatusOr<Event> DismissPenalty(Penalty& p, absl::string_view actor_person,
                                     absl::string_view actor_org, absl::string_view reason,
                                     absl::Time now) {
  RECTIFY_ASSIGN_OR_RETURN(Event event, Move(p, A::kDismiss, actor_person, actor_org, reason, now));
  p.decided_by = std::string(actor_person);
  p.decision_comment = std::string(reason);
  p.decide_time = now;
  return event;
}

absl::StatusOr<Event> RevokePenalty(Penalty& p, absl::string_view actor_person,
                                    absl::string_view actor_org, absl::string_view reason,
                                    absl::Time now) {
  // The state first: revoking a proposal is a wrong move, whatever the words.
  if (FindPenaltyTransition(p.state, A::kRevoke) != nullptr) {
    RECTIFY_RETURN_IF_ERROR(Required("reason", reason));
    RECTIFY_RETURN_IF_ERROR(MaxLength("reason", reason, 2000));
  }
  RECTIFY_ASSIGN_OR_RETURN(Event event, Move(p, A::kRevoke, actor_person, actor_org, reason, now));
  p.revoked_by = std::string(actor_person);
  p.revoke_reason = std::string(reason);
  p.revoke_time = now;
  return event;
}

bool EarnsRedCard(int64_t issued_yellow_cards, int red_after_yellow) {
  return red_after_yellow >= 1 && issued_yellow_cards > 0 &&
         issued_yellow_cards % red_after_yellow == 0;
}

}  // namespace rectify::domain
