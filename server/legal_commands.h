// Legal cases (涉法问题) up the escalation ladder (domain/legal_case.h) and
// hard/hot problems reported to the city office (domain/hard_problem.h). Each
// command runs inside the caller's write transaction: load → check → apply →
// save + event. No gRPC or protobuf here.
//
// Who may act on a case (the party the domain's table checks):
//   open (notify)               the community's property company, its street
//                               office, supervisors;
//   dissuade, stop, report      the case's property company (its staff);
//   escalate                    the case's street office, or a supervisor;
//   resolve                     the property company or the street office;
//   acknowledge, record_action, enforcement officers of an enforcement bureau
//   close                       (once escalated: of a bureau it went to).
// Hard problems: street officers and supervisors report; city-office
// supervisors and admins answer.
#ifndef RECTIFY_SERVER_LEGAL_COMMANDS_H_
#define RECTIFY_SERVER_LEGAL_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/hard_problem.h"
#include "domain/legal_case.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

using domain::kEnforcementServiceLevel;
// The escalation step under which an overdue case is recorded, once.
inline constexpr char kLegalOverdueStep[] = "legal_case.overdue";

// Identifies the case or problem a step acts on; `etag`, when not empty, must
// be its current etag (else kAborted).
struct LegalRef {
  std::string id;
  std::string etag;
};

class LegalCommands {
 public:
  LegalCommands(const Clock& clock, const Rules& rules) : clock_(clock), rules_(rules) {}

  // Opens `draft` (campaign_id, community_id, kind, place, offender,
  // description, task_id) with the notice `step` (note, evidence). kNotFound
  // for an unknown campaign, community or task; kInvalidArgument naming the
  // field (a task of another community or campaign is 'task_id');
  // kPermissionDenied for callers outside the community;
  // kFailedPrecondition once the campaign is closed.
  absl::StatusOr<domain::LegalCase> Open(storage::WriteTx& tx, const Principal& who,
                                         domain::LegalCase draft, domain::LegalStepArgs step) const;
  // Takes `action` (not kNotify) on the case. Escalation goes to every
  // enforcement bureau and sets the deadline from the 'enforcement' service
  // level (kFailedPrecondition if there is no bureau or no such level).
  // kPermissionDenied, kFailedPrecondition, kInvalidArgument as the domain's
  // ApplyLegalAction; kAborted for a stale etag.
  absl::StatusOr<domain::LegalCase> Step(storage::WriteTx& tx, const Principal& who,
                                         const LegalRef& ref, domain::LegalAction action,
                                         domain::LegalStepArgs step) const;
  // Supervisors and centre staff see every case; the property company and
  // street office their own; a bureau the cases escalated to it.
  // kPermissionDenied otherwise.
  absl::StatusOr<domain::LegalCase> Get(storage::ReadTx& tx, const Principal& who,
                                        const std::string& id) const;
  // The newest `limit` cases matching `filter`, less those the caller may not
  // see (an enforcement officer sees escalated cases only).
  absl::StatusOr<std::vector<domain::LegalCase>> List(storage::ReadTx& tx, const Principal& who,
                                                      storage::LegalCaseFilter filter,
                                                      int limit) const;

  // The scheduler's pass over one campaign: every case at the bureau whose
  // deadline has passed gets one "legal_case.overdue" event, recorded under
  // kLegalOverdueStep in the same transaction, so passes and restarts repeat
  // nothing. Returns how many cases were newly marked.
  absl::StatusOr<int> MarkOverdue(storage::Store& store, const std::string& campaign_id) const;

  // Street officers and supervisors. kInvalidArgument naming the field;
  // kNotFound for an unknown campaign.
  absl::StatusOr<domain::HardProblem> Report(storage::WriteTx& tx, const Principal& who,
                                             domain::HardProblem draft) const;
  // City-office supervisors and admins. kFailedPrecondition once answered.
  absl::StatusOr<domain::HardProblem> Answer(storage::WriteTx& tx, const Principal& who,
                                             const LegalRef& ref, const std::string& answer) const;
  // Supervisors and admins see every problem; a street officer those of
  // their office.
  absl::StatusOr<domain::HardProblem> GetProblem(storage::ReadTx& tx, const Principal& who,
                                                 const std::string& id) const;
  absl::StatusOr<std::vector<domain::HardProblem>> ListProblems(
      storage::ReadTx& tx, const Principal& who, const storage::HardProblemFilter& filter,
      int limit) const;

  absl::Time Now() const { return clock_.Now(); }

 private:
  const Clock& clock_;
  const Rules& rules_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_LEGAL_COMMANDS_H_
