// The background scheduler: on a period, moves every open campaign along its
// dates (CampaignCommands::AdvanceByDate), each campaign in its own
// transaction, then applies the escalation policy to the campaign's due-soon
// and overdue tasks (AccountabilityCommands::Escalate: each step once per task
// or organisation, recorded with its effect, so a restart repeats nothing),
// and marks legal cases the enforcement bureau let pass their deadline
// (LegalCommands::MarkOverdue: once per case, likewise). Decisions use the
// server's Clock; only the wait between passes is real time. Tests call
// RunOnce() directly on a FakeClock.
#ifndef RECTIFY_SERVER_SCHEDULER_H_
#define RECTIFY_SERVER_SCHEDULER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/accountability_commands.h"
#include "server/campaign_commands.h"
#include "server/legal_commands.h"
#include "storage/store.h"

namespace rectify::server {

class Scheduler {
 public:
  Scheduler(storage::Store& store, const CampaignCommands& campaigns,
            const AccountabilityCommands& accountability, const LegalCommands& legal)
      : store_(store), campaigns_(campaigns), accountability_(accountability), legal_(legal) {}
  ~Scheduler() { Stop(); }

  // One pass over every campaign not closed: phases, escalation, overdue
  // legal cases. Returns
  // how many phases were entered. A campaign that fails is logged and the pass goes on; the first
  // such error is returned after the pass.
  absl::StatusOr<int> RunOnce();

  // Runs RunOnce now and then every `period` on a thread of its own.
  void Start(absl::Duration period);
  // Stops the thread and waits for it. Idempotent.
  void Stop();

 private:
  storage::Store& store_;
  const CampaignCommands& campaigns_;
  const AccountabilityCommands& accountability_;
  const LegalCommands& legal_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SCHEDULER_H_
