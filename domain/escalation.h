// The escalation policy (催办/督办/追责 ladder) as data: ordered steps, each a
// trigger on a task (or on an organisation's overdue tasks) and an action the
// scheduler takes once per (task or organisation, step). Parsed from a
// line-based file a city edits (data/escalation.txt); pure, no clock.
//
//   RECTIFY_ASSIGN_OR_RETURN(EscalationPolicy policy,
//                            EscalationPolicy::LoadFile("data/escalation.txt"));
//   for (const EscalationStep& step : policy.steps()) {
//     if (step.IsPerTask() && TaskStepHolds(step, task, now, calculator)) ...
//   }
//
// File format (one statement a line, `#` comments):
//   red_after_yellow <N> [campaign <id>]   N yellow cards make a red (default 3);
//                                          with `campaign`, for that campaign only
//   step <id> <trigger> <action>
//     trigger: due_within <N> hours        the clock runs; deadline within N hours
//              overdue <N> hours|working_hours|working_days
//                                          overdue by at least N (0: overdue at all)
//              repeat <N> overdue_tasks per_org
//                                          an organisation has N+ overdue tasks
//                                          in the campaign
//     action:  remind | urge | propose <penalty kind> [amount_fen]
// Step ids are [a-z0-9_]+ and unique; `repeat` steps may only propose.
#ifndef RECTIFY_DOMAIN_ESCALATION_H_
#define RECTIFY_DOMAIN_ESCALATION_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/deadline.h"
#include "domain/penalty.h"
#include "domain/service_level.h"
#include "domain/task.h"

namespace rectify::domain {

enum class TriggerKind { kDueWithin = 1, kOverdue, kRepeat };
enum class EscalationActionKind { kRemind = 1, kUrge, kPropose };
absl::string_view EscalationActionName(EscalationActionKind action);  // "remind", ...

struct EscalationStep {
  std::string id;
  TriggerKind trigger = TriggerKind::kOverdue;
  int64_t amount = 0;                     // hours, units overdue, or tasks
  SlaUnit unit = SlaUnit::kNaturalHours;  // due_within and overdue
  EscalationActionKind action = EscalationActionKind::kRemind;
  PenaltyKind penalty_kind = PenaltyKind::kNoticeOfCriticism;  // kPropose
  int64_t amount_fen = 0;                                      // kPropose of a fine
  int line = 0;

  // due_within and overdue steps apply to one task; repeat steps to an organisation.
  bool IsPerTask() const { return trigger != TriggerKind::kRepeat; }
};

class EscalationPolicy {
 public:
  // The shipped default (the same as data/escalation.txt): remind 24 hours
  // before; urge when overdue; propose a notice of criticism after 3 working
  // days overdue and a 2000-yuan fine after 10; propose a yellow card for an
  // organisation with 3 or more overdue tasks; red after 3 yellow.
  static EscalationPolicy Default();
  // Parses a policy. `source` (e.g. the file path) prefixes every error as
  // "<source>:<line>: ..." naming the field; kInvalidArgument.
  static absl::StatusOr<EscalationPolicy> Parse(absl::string_view text, absl::string_view source);
  // kNotFound / kFailedPrecondition if unreadable, otherwise what Parse returns.
  static absl::StatusOr<EscalationPolicy> LoadFile(const std::string& path);

  const std::vector<EscalationStep>& steps() const { return steps_; }
  // The global value, and the one that applies in a campaign (its own if the
  // file gives one, else the global one).
  int red_after_yellow() const { return red_after_yellow_; }
  int RedAfterYellow(const std::string& campaign_id) const;
  // The widest due_within window among the steps (zero if none).
  absl::Duration MaxDueWithin() const;

 private:
  std::vector<EscalationStep> steps_;
  int red_after_yellow_ = 3;
  std::map<std::string, int> red_after_yellow_by_campaign_;
};

// Whether a per-task step's trigger holds for `task` at `now`. Overdue time is
// counted with `calculator` (the campaign's calendar and time zone) in the
// step's unit.
bool TaskStepHolds(const EscalationStep& step, const Task& task, absl::Time now,
                   const DeadlineCalculator& calculator);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_ESCALATION_H_
