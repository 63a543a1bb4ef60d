// Running a campaign: advancing its phases through their gates (by a
// supervisor, or by the scheduler on the campaign's dates), the self-check
// lists that open the rectification, and readiness for the final evaluation.
#ifndef RECTIFY_SERVER_CAMPAIGN_COMMANDS_H_
#define RECTIFY_SERVER_CAMPAIGN_COMMANDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/phase.h"
#include "domain/task.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

struct PhaseGate {
  domain::Phase phase = domain::Phase::kPlanning;
  std::optional<domain::Phase> next;
  std::vector<std::string> shortfalls;  // empty: the gate passes
  domain::Phase phase_by_date = domain::Phase::kPlanning;
};

struct PhaseAdvance {
  domain::Campaign campaign;
  domain::Event event;
  std::vector<std::string> overridden;
};

struct SelfCheckResult {
  domain::SelfCheckList list;
  std::vector<domain::Task> tasks;
};

struct CommunityReadiness {
  domain::Community community;
  bool ready = false;
  int64_t open_tasks = 0;
  int64_t overdue_tasks = 0;
  std::optional<domain::Inspection> last_inspection;
  int target_score = 0;
  // Deducted at the inspection before the last and still at the last one.
  std::vector<std::string> uncleared_rule_ids;
  std::vector<std::string> reasons;
};

class CampaignCommands {
 public:
  CampaignCommands(const Clock& clock, const Rules& rules, const TaskCommands& tasks)
      : clock_(clock), rules_(rules), tasks_(tasks) {}

  // Where the campaign stands and what leaving its phase still needs.
  absl::StatusOr<PhaseGate> Gate(storage::ReadTx& tx, const domain::Campaign& campaign) const;

  // Supervisors. kFailedPrecondition listing the shortfalls unless the gate
  // passes or `force` (which needs a `reason`); kInvalidArgument if `to` is
  // given and is not the next phase; kAborted for a stale etag.
  absl::StatusOr<PhaseAdvance> AdvancePhase(storage::WriteTx& tx, const Principal& who,
                                            const std::string& campaign_id,
                                            const std::string& etag,
                                            std::optional<domain::Phase> to, bool force,
                                            const std::string& reason) const;

  // The scheduler's step for one campaign: while its dates put it past its
  // phase and the gate passes, advance (as "scheduler"). A blocked gate is
  // recorded once a day as "campaign.advance_blocked" with its shortfalls; only
  // a supervisor's forced advance moves it then. Returns the phases entered.
  absl::StatusOr<std::vector<domain::Phase>> AdvanceByDate(storage::WriteTx& tx,
                                                           const std::string& campaign_id) const;

  // Property staff of the community's company (or supervisors), in the
  // self-check phase, once per community: opens a task per item.
  absl::StatusOr<SelfCheckResult> SubmitSelfCheckList(storage::WriteTx& tx, const Principal& who,
                                                      const std::string& campaign_id,
                                                      const std::string& community_id,
                                                      std::vector<domain::Task> items) const;

  // Supervisors and centre staff see every community; street officers their own.
  absl::StatusOr<std::vector<CommunityReadiness>> Readiness(storage::ReadTx& tx,
                                                            const Principal& who,
                                                            const std::string& campaign_id,
                                                            std::string street_office_id) const;

 private:
  // Moves `campaign` to the next phase and records it.
  absl::StatusOr<PhaseAdvance> Enter(storage::WriteTx& tx, domain::Campaign campaign,
                                     const std::string& actor_person,
                                     const std::string& actor_org, const std::string& reason,
                                     std::vector<std::string> overridden) const;

  const Clock& clock_;
  const Rules& rules_;
  const TaskCommands& tasks_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CAMPAIGN_COMMANDS_H_
