// The campaign's phases: what each allows, which phase its dates put it in,
// and the gate each advance must pass.
//
//   planning ─► self_check (自查) ─► rectification (整改) ─► final_assault (攻坚决胜) ─► closed
//
// Gates (what must be true to leave a phase):
//   planning       → self_check:     the city has communities and the campaign a standard;
//   self_check     → rectification:  every community submitted its self-check list (整治清单);
//   rectification  → final_assault:  every community had an inspection in rectification;
//   final_assault  → closed:         every community had its final evaluation.
// A supervisor may force a failed gate with a reason; the event records both.
#ifndef RECTIFY_DOMAIN_PHASE_H_
#define RECTIFY_DOMAIN_PHASE_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "domain/directory.h"
#include "domain/inspection.h"
#include "domain/service_level.h"

namespace rectify::domain {

// The phase after `phase`; nullopt after kClosed.
std::optional<Phase> NextPhase(Phase phase);

// The phase the campaign's dates give `day`: planning before
// self_check_start, ..., closed from close_date.
Phase PhaseOnDate(const Campaign& campaign, absl::CivilDay day);

// A community's rectification list (整治清单), submitted in the self-check.
struct SelfCheckList {
  std::string campaign_id;
  std::string community_id;
  std::string submitted_by;
  absl::Time submit_time = absl::InfinitePast();
  std::vector<std::string> task_ids;
};

// What a gate looks at.
struct GateFacts {
  std::vector<std::string> community_ids;          // every community of the city
  bool has_standard = false;                       // the campaign's standard is loaded
  std::set<std::string> self_checked;              // submitted a self-check list
  std::set<std::string> inspected_in_rectification;  // weekly inspection dated in rectification
  std::set<std::string> final_evaluated;           // had a final evaluation
};

// What is missing to leave `from`; empty when the gate passes. Each entry is
// a sentence for people: "self-check list not submitted: cm-1, cm-3".
std::vector<std::string> GateShortfalls(Phase from, const GateFacts& facts);

// kFailedPrecondition, naming the campaign's phase and the phases that would
// allow it, unless `kind` of inspection may be recorded now:
// self-checks in self_check; weekly inspections in rectification and
// final_assault; final evaluations in final_assault.
absl::Status CheckInspectionAllowed(const Campaign& campaign, InspectionKind kind);
// Self-check lists are submitted only in self_check.
absl::Status CheckSelfCheckAllowed(const Campaign& campaign);

// The service level that applies to work dispatched now: in the final assault
// the campaign shortens every level to final_assault_percent of its time
// (rounded up, at least one unit); otherwise `level` as it is.
ServiceLevel ServiceLevelInPhase(const Campaign& campaign, ServiceLevel level);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_PHASE_H_
