#include "server/scheduler.h"

#include <string>
#include <vector>

#include "common/log.h"
#include "common/status_macros.h"

namespace rectify::server {

absl::StatusOr<int> Scheduler::RunOnce() {
  std::vector<domain::Campaign> campaigns;
  RECTIFY_RETURN_IF_ERROR(store_.Read([&](storage::ReadTx& tx) -> absl::Status {
    RECTIFY_ASSIGN_OR_RETURN(campaigns, tx.ListCampaigns());
    return absl::OkStatus();
  }));
  int entered = 0;
  absl::Status first_error;
  for (const domain::Campaign& campaign : campaigns) {
    if (campaign.phase == domain::Phase::kClosed) continue;
    absl::Status status = store_.Write([&](storage::WriteTx& tx) -> absl::Status {
      RECTIFY_ASSIGN_OR_RETURN(std::vector<domain::Phase> phases,
                               campaigns_.AdvanceByDate(tx, campaign.id));
      for (domain::Phase phase : phases) {
        RECTIFY_LOG(INFO) << "campaign " << campaign.id << " entered phase "
                          << domain::PhaseName(phase) << " on its dates";
      }
      entered += static_cast<int>(phases.size());
      return absl::OkStatus();
    });
    if (!status.ok()) {
      RECTIFY_LOG(WARNING) << "scheduler: campaign " << campaign.id << ": " << status;
      if (first_error.ok()) first_error = status;
    }
    absl::StatusOr<EscalationPass> pass = accountability_.Escalate(store_, campaign.id);
    if (!pass.ok()) {
      RECTIFY_LOG(WARNING) << "scheduler: escalation in campaign " << campaign.id << ": "
                           << pass.status();
      if (first_error.ok()) first_error = pass.status();
    } else if (pass->applied() > 0) {
      RECTIFY_LOG(INFO) << "campaign " << campaign.id << ": escalation reminded "
                        << pass->reminded << ", urged " << pass->urged << ", proposed "
                        << pass->proposed << " penalties";
    }
    absl::StatusOr<int> overdue = legal_.MarkOverdue(store_, campaign.id);
    if (!overdue.ok()) {
      RECTIFY_LOG(WARNING) << "scheduler: overdue legal cases in campaign " << campaign.id << ": "
                           << overdue.status();
      if (first_error.ok()) first_error = overdue.status();
    } else if (*overdue > 0) {
      RECTIFY_LOG(INFO) << "campaign " << campaign.id << ": " << *overdue
                        << " legal case(s) overdue at the enforcement bureau";
    }
  }
  if (!first_error.ok()) return first_error;
  return entered;
}

void Scheduler::Start(absl::Duration period) {
  thread_ = std::thread([this, period] {
    absl::MutexLock lock(&mu_);
    while (!stopping_) {
      mu_.Unlock();
      absl::StatusOr<int> pass = RunOnce();
      (void)pass;  // RunOnce logs what went wrong
      mu_.Lock();
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), period);
    }
  });
}

void Scheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace rectify::server
