// Work plans and budgets (工作方案/经费预算) of the seed's 四(二)3: a street
// office's plan for a campaign, item by item (to the person and the task, with
// its cost and who bears it), submitted to the property-management centre,
// which approves it or returns it with comments. Every submission is a new
// revision; revisions and the centre's comments are kept. Pure: the caller
// passes `now` and the actor. Stored by storage (schema v8), served by
// server/plan_commands.h through AccountabilityPlanService.
//
// clang-format off
//           submit              approve
//   DRAFT ─────────► SUBMITTED ─────────► APPROVED
//                     ▲     │ return (comments)
//           resubmit  │     ▼
//                     └── RETURNED
// clang-format on
//   DRAFT      the street office edits its items.
//   SUBMITTED  revision n is with the centre; nobody edits.
//   RETURNED   the centre's comments are on revision n; the office edits.
//   APPROVED   revision n is the approved plan (terminal).
#ifndef RECTIFY_DOMAIN_WORK_PLAN_H_
#define RECTIFY_DOMAIN_WORK_PLAN_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/task.h"

namespace rectify::domain {

// Numbered as a future store and API would: never renumber.
enum class PlanState { kDraft = 1, kSubmitted, kReturned, kApproved };
absl::string_view PlanStateName(PlanState state);  // "DRAFT", ...

enum class PlanAction { kEdit = 1, kSubmit, kApprove, kReturn, kResubmit };
absl::string_view PlanActionName(PlanAction action);  // "edit", "submit", ...

// Who takes an action: the plan's street office, or the property-management centre.
enum class PlanParty { kStreetOffice = 1, kCentre };

struct PlanTransition {
  PlanState from;
  PlanAction action;
  PlanState to;
  PlanParty party;
};
// Every legal (state, action) pair and who takes it; a pair not listed is illegal.
absl::Span<const PlanTransition> PlanTransitionTable();
const PlanTransition* FindPlanTransition(PlanState from, PlanAction action);

struct PlanItem {
  std::string task_id;  // optional
  std::string description;
  std::string person_id;  // who does it (具体到人)
  int64_t cost_fen = 0;   // >= 0
  Payer payer = Payer::kPropertyCompany;
};

// One submission and the centre's answer to it.
struct PlanRevision {
  int number = 0;  // 1, 2, ...
  std::vector<PlanItem> items;
  std::string submitted_by;
  absl::Time submit_time = absl::InfinitePast();
  PlanState decision = PlanState::kSubmitted;  // kApproved or kReturned once decided
  std::string decided_by;
  std::string comments;
  absl::Time decide_time = absl::InfinitePast();
};

struct WorkPlan {
  std::string id;  // "WP-2"
  std::string campaign_id;
  std::string street_office_id;
  PlanState state = PlanState::kDraft;
  std::vector<PlanItem> items;          // the working copy
  std::vector<PlanRevision> revisions;  // oldest first
  absl::Time update_time = absl::InfinitePast();
  int64_t version = 1;
};

// Checks each item: description and person present, 0 <= cost_fen <= kMaxFen.
// kInvalidArgument naming 'items[i].field'.
absl::Status ValidatePlanItems(absl::Span<const PlanItem> items);

// Replaces the working items (DRAFT or RETURNED; else kFailedPrecondition
// naming the state).
absl::Status EditPlan(WorkPlan& plan, std::vector<PlanItem> items, absl::Time now);
// `action` is kSubmit, kResubmit (a new revision of the working items; at
// least one item), kApprove or kReturn (on the latest revision; kReturn needs
// comments). kFailedPrecondition naming the state for an illegal move;
// kPermissionDenied if `party` may not take it; kInvalidArgument naming the field.
absl::Status ApplyPlanAction(WorkPlan& plan, PlanAction action, PlanParty party,
                             const std::string& actor_person_id, const std::string& comments,
                             absl::Time now);

// Sum of item costs by payer.
std::map<Payer, int64_t> CostByPayer(absl::Span<const PlanItem> items);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_WORK_PLAN_H_
