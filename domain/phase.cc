#include "domain/phase.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rectify::domain {
namespace {

// "cm-1, cm-2, cm-3 and 4 more"
std::string ListSome(const std::vector<std::string>& ids) {
  constexpr size_t kShown = 10;
  if (ids.size() <= kShown) return absl::StrJoin(ids, ", ");
  std::vector<std::string> head(ids.begin(), ids.begin() + kShown);
  return absl::StrCat(absl::StrJoin(head, ", "), " and ", ids.size() - kShown, " more");
}

std::vector<std::string> Without(const std::vector<std::string>& all,
                                 const std::set<std::string>& done) {
  std::vector<std::string> missing;
  for (const std::string& id : all) {
    if (done.count(id) == 0) missing.push_back(id);
  }
  return missing;
}

absl::Status WrongPhase(const Campaign& campaign, absl::string_view what,
                        absl::string_view allowed) {
  return absl::FailedPreconditionError(absl::StrCat("campaign '", campaign.id, "' is in phase ",
                                                    PhaseName(campaign.phase), "; ", what,
                                                    " are recorded only in ", allowed));
}

}  // namespace

std::optional<Phase> NextPhase(Phase phase) {
  switch (phase) {
    case Phase::kPlanning: return Phase::kSelfCheck;
    case Phase::kSelfCheck: return Phase::kRectification;
    case Phase::kRectification: return Phase::kFinalAssault;
    case Phase::kFinalAssault: return Phase::kClosed;
    case Phase::kClosed: return std::nullopt;
  }
  return std::nullopt;
}

Phase PhaseOnDate(const Campaign& c, absl::CivilDay day) {
  if (day >= c.close_date) return Phase::kClosed;
  if (day >= c.final_assault_start) return Phase::kFinalAssault;
  if (day >= c.rectification_start) return Phase::kRectification;
  if (day >= c.self_check_start) return Phase::kSelfCheck;
  return Phase::kPlanning;
}

std::vector<std::string> GateShortfalls(Phase from, const GateFacts& facts) {
  std::vector<std::string> shortfalls;
  auto require_all = [&](const std::set<std::string>& done, absl::string_view what) {
    const std::vector<std::string> missing = Without(facts.community_ids, done);
    if (!missing.empty()) {
      shortfalls.push_back(absl::StrCat(what, ": ", ListSome(missing)));
    }
  };
  switch (from) {
    case Phase::kPlanning:
      if (facts.community_ids.empty()) shortfalls.push_back("the city has no communities yet");
      if (!facts.has_standard) shortfalls.push_back("the campaign's scoring standard is not loaded");
      break;
    case Phase::kSelfCheck:
      require_all(facts.self_checked, "self-check list (整治清单) not submitted");
      break;
    case Phase::kRectification:
      require_all(facts.inspected_in_rectification, "no inspection during rectification");
      break;
    case Phase::kFinalAssault:
      require_all(facts.final_evaluated, "no final evaluation (测评)");
      break;
    case Phase::kClosed:
      shortfalls.push_back("the campaign is closed; there is no phase after it");
      break;
  }
  return shortfalls;
}

absl::Status CheckInspectionAllowed(const Campaign& campaign, InspectionKind kind) {
  const Phase p = campaign.phase;
  switch (kind) {
    case InspectionKind::kSelfCheck:
      if (p == Phase::kSelfCheck) return absl::OkStatus();
      return WrongPhase(campaign, "self-check inspections", "self_check");
    case InspectionKind::kWeekly:
      if (p == Phase::kRectification || p == Phase::kFinalAssault) return absl::OkStatus();
      return WrongPhase(campaign, "weekly inspections", "rectification and final_assault");
    case InspectionKind::kFinalEvaluation:
      if (p == Phase::kFinalAssault) return absl::OkStatus();
      return WrongPhase(campaign, "final evaluations", "final_assault");
  }
  return absl::InvalidArgumentError("unknown inspection kind");
}

absl::Status CheckSelfCheckAllowed(const Campaign& campaign) {
  if (campaign.phase == Phase::kSelfCheck) return absl::OkStatus();
  return WrongPhase(campaign, "self-check lists", "self_check");
}

ServiceLevel ServiceLevelInPhase(const Campaign& campaign, ServiceLevel level) {
  if (campaign.phase != Phase::kFinalAssault) return level;
  const int64_t scaled = (level.amount * campaign.final_assault_percent + 99) / 100;
  level.amount = std::max<int64_t>(1, scaled);
  return level;
}

}  // namespace rectify::domain
