// Accountability (追究责任): proposing, issuing, dismissing and revoking
// penalties, with their consequences (three yellow cards make a red one; a
// contract termination takes a property company off its communities and sends
// its open tasks back for reassignment), and the scheduler's escalation pass
// that applies the city's escalation policy (domain/escalation.h) to
// due-soon and overdue tasks. Each command runs inside the caller's write
// transaction: load → check → apply → save + events. No gRPC or protobuf here.
//
// Who may act:
//   propose   supervisors anywhere; street officers against an organisation
//             working in their communities (their community's property
//             company, or the responsible organisation of one of their tasks);
//             the scheduler, by the policy;
//   issue, dismiss, revoke   supervisors (and admins) only.
#ifndef RECTIFY_SERVER_ACCOUNTABILITY_COMMANDS_H_
#define RECTIFY_SERVER_ACCOUNTABILITY_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/penalty.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

// Identifies the penalty a transition acts on; `etag`, when not empty, must be
// its current etag (else kAborted).
struct PenaltyRef {
  std::string id;
  std::string etag;
};

struct IssueResult {
  domain::Penalty penalty;
  std::vector<domain::Penalty> consequent;  // a red card issued with a yellow one
  std::vector<std::string> cleared_community_ids;
  std::vector<std::string> released_task_ids;
};

// What one escalation pass over a campaign did.
struct EscalationPass {
  int reminded = 0;
  int urged = 0;
  int proposed = 0;
  int applied() const { return reminded + urged + proposed; }
};

class AccountabilityCommands {
 public:
  AccountabilityCommands(const Clock& clock, const Rules& rules) : clock_(clock), rules_(rules) {}

  // Proposes `draft` (campaign_id, org_id, kind, amount_fen, reason, task_ids).
  // kInvalidArgument naming the field; kNotFound for an unknown campaign,
  // organisation or task; kPermissionDenied for callers who may not propose
  // against that organisation.
  absl::StatusOr<domain::Penalty> Propose(storage::WriteTx& tx, const Principal& who,
                                          domain::Penalty draft) const;
  // Supervisors. kFailedPrecondition naming the state; kAborted for a stale etag.
  absl::StatusOr<IssueResult> Issue(storage::WriteTx& tx, const Principal& who,
                                    const PenaltyRef& ref, const std::string& comment) const;
  absl::StatusOr<domain::Penalty> Dismiss(storage::WriteTx& tx, const Principal& who,
                                          const PenaltyRef& ref, const std::string& reason) const;
  // `reason` required (kInvalidArgument).
  absl::StatusOr<domain::Penalty> Revoke(storage::WriteTx& tx, const Principal& who,
                                         const PenaltyRef& ref, const std::string& reason) const;

  // Supervisors and street officers see every penalty; everyone else those
  // against their own organisation (kPermissionDenied otherwise).
  absl::StatusOr<domain::Penalty> Get(storage::ReadTx& tx, const Principal& who,
                                      const std::string& id) const;
  absl::StatusOr<std::vector<domain::Penalty>> List(storage::ReadTx& tx, const Principal& who,
                                                    storage::PenaltyFilter filter, int limit) const;

  // The scheduler's escalation pass over one campaign: every task whose clock
  // runs and that is overdue or due within the policy's widest window (read
  // page by page), and every organisation with overdue tasks, gets each step
  // whose trigger holds, once: the step is recorded (MarkEscalationApplied) in
  // the same transaction as its effect, one transaction per (subject, step).
  absl::StatusOr<EscalationPass> Escalate(storage::Store& store,
                                          const std::string& campaign_id) const;

 private:
  absl::StatusOr<domain::Penalty> Load(storage::WriteTx& tx, const Principal& who,
                                       const PenaltyRef& ref, domain::PenaltyAction action) const;
  // Stores a new penalty (assigning its id) with its proposal event.
  absl::Status Create(storage::WriteTx& tx, domain::Penalty& penalty,
                      const std::string& actor_person, const std::string& actor_org,
                      absl::Time now) const;
  // The consequences of issuing a contract termination.
  absl::Status Terminate(storage::WriteTx& tx, const domain::Penalty& penalty, absl::Time now,
                         IssueResult& result) const;

  const Clock& clock_;
  const Rules& rules_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ACCOUNTABILITY_COMMANDS_H_
