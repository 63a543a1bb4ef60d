// The background scheduler: on a period, moves every open campaign along its
// dates (CampaignCommands::AdvanceByDate), each campaign in its own
// transaction. Decisions use the server's Clock; only the wait between passes
// is real time. Tests call RunOnce() directly on a FakeClock.
#ifndef RECTIFY_SERVER_SCHEDULER_H_
#define RECTIFY_SERVER_SCHEDULER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/campaign_commands.h"
#include "storage/store.h"

namespace rectify::server {

class Scheduler {
 public:
  Scheduler(storage::Store& store, const CampaignCommands& campaigns)
      : store_(store), campaigns_(campaigns) {}
  ~Scheduler() { Stop(); }

  // One pass over every campaign not closed. Returns how many phases were
  // entered. A campaign that fails is logged and the pass goes on; the first
  // such error is returned after the pass.
  absl::StatusOr<int> RunOnce();

  // Runs RunOnce now and then every `period` on a thread of its own.
  void Start(absl::Duration period);
  // Stops the thread and waits for it. Idempotent.
  void Stop();

 private:
  storage::Store& store_;
  const CampaignCommands& campaigns_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SCHEDULER_H_
