#include "domain/work_plan.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace rectify::domain {
namespace {

constexpr PlanTransition kTable[] = {
    {PlanState::kDraft, PlanAction::kEdit, PlanState::kDraft, PlanParty::kStreetOffice},
    {PlanState::kDraft, PlanAction::kSubmit, PlanState::kSubmitted, PlanParty::kStreetOffice},
    {PlanState::kSubmitted, PlanAction::kApprove, PlanState::kApproved, PlanParty::kCentre},
    {PlanState::kSubmitted, PlanAction::kReturn, PlanState::kReturned, PlanParty::kCentre},
    {PlanState::kReturned, PlanAction::kEdit, PlanState::kReturned, PlanParty::kStreetOffice},
    {PlanState::kReturned, PlanAction::kResubmit, PlanState::kSubmitted, PlanParty::kStreetOffice},
};

absl::Status Illegal(const WorkPlan& plan, PlanAction action) {
  std::string needs;
  for (const PlanTransition& t : kTable) {
    if (t.action != action) continue;
    if (!needs.empty()) needs += " or ";
    needs += std::string(PlanStateName(t.from));
  }
  return absl::FailedPreconditionError(absl::StrCat("work plan '", plan.id, "' is in state ",
                                                    PlanStateName(plan.state), "; '",
                                                    PlanActionName(action), "' needs ", needs));
}

}  // namespace

absl::string_view PlanStateName(PlanState state) {
  switch (state) {
    case PlanState::kDraft:
      return "DRAFT";
    case PlanState::kSubmitted:
      return "SUBMITTED";
    case PlanState::kReturned:
      return "RETURNED";
    case PlanState::kApproved:
      return "APPROVED";
  }
  return "UNKNOWN";
}

absl::string_view PlanActionName(PlanAction action) {
  switch (action) {
    case PlanAction::kEdit:
      return "edit";
    case PlanAction::kSubmit:
      return "submit";
    case PlanAction::kApprove:
      return "approve";
    case PlanAction::kReturn:
      return "return";
    case PlanAction::kResubmit:
      return "resubmit";
  }
  return "unknown";
}

absl::Span<const PlanTransition> PlanTransitionTable() { return kTable; }

const PlanTransition* FindPlanTransition(PlanState from, PlanAction action) {
  for (const PlanTransition& t : kTable) {
    if (t.from == from && t.action == action) return &t;
  }
  return nullptr;
}

absl::Status ValidatePlanItems(absl::Span<const PlanItem> items) {
  for (size_t i = 0; i < items.size(); ++i) {
    const PlanItem& item = items[i];
    if (absl::StripAsciiWhitespace(item.description).empty()) {
      return absl::InvalidArgumentError(absl::StrCat("'items[", i, "].description' is blank"));
    }
    if (item.person_id.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("'items[", i, "].person_id' is empty; name who does it"));
    }
    if (item.cost_fen < 0 || item.cost_fen > kMaxFen) {
      return absl::InvalidArgumentError(absl::StrCat("'items[", i, "].cost_fen' is ",
                                                     item.cost_fen, "; it must be 0..", kMaxFen));
    }
  }
  return absl::OkStatus();
}

absl::Status EditPlan(WorkPlan& plan, std::vector<PlanItem> items, absl::Time now) {
  if (FindPlanTransition(plan.state, PlanAction::kEdit) == nullptr) {
    return Illegal(plan, PlanAction::kEdit);
  }
  if (absl::Status s = ValidatePlanItems(items); !s.ok()) return s;
  plan.items = std::move(items);
  plan.update_time = now;
  return absl::OkStatus();
}

absl::Status ApplyPlanAction(WorkPlan& plan, PlanAction action, PlanParty party,
                             const std::string& actor_person_id, const std::string& comments,
                             absl::Time now) {
  const PlanTransition* t = FindPlanTransition(plan.state, action);
  if (t == nullptr || action == PlanAction::kEdit) return Illegal(plan, action);
  if (t->party != party) {
    return absl::PermissionDeniedError(absl::StrCat(
        "'", PlanActionName(action), "' on work plan '", plan.id, "' is for ",
        t->party == PlanParty::kCentre ? "the property-management centre" : "the street office"));
  }
  switch (action) {
    case PlanAction::kSubmit:
    case PlanAction::kResubmit: {
      if (plan.items.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("'items' of work plan '", plan.id, "' is empty; plan at least one item"));
      }
      if (absl::Status s = ValidatePlanItems(plan.items); !s.ok()) return s;
      PlanRevision r;
      r.number = static_cast<int>(plan.revisions.size()) + 1;
      r.items = plan.items;
      r.submitted_by = actor_person_id;
      r.submit_time = now;
      plan.revisions.push_back(std::move(r));
      break;
    }
    case PlanAction::kReturn:
      if (absl::StripAsciiWhitespace(comments).empty()) {
        return absl::InvalidArgumentError(
            "'comments' is blank; say what the street office must change");
      }
      [[fallthrough]];
    case PlanAction::kApprove: {
      if (plan.revisions.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("work plan '", plan.id, "' is SUBMITTED but has no revision"));
      }
      PlanRevision& r = plan.revisions.back();
      r.decision = t->to;
      r.decided_by = actor_person_id;
      r.comments = comments;
      r.decide_time = now;
      break;
    }
    case PlanAction::kEdit:
      break;
  }
  plan.state = t->to;
  plan.update_time = now;
  return absl::OkStatus();
}

std::map<Payer, int64_t> CostByPayer(absl::Span<const PlanItem> items) {
  std::map<Payer, int64_t> out;
  for (const PlanItem& item : items) out[item.payer] += item.cost_fen;
  return out;
}

}  // namespace rectify::domain
