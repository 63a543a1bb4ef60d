// Work plans and budgets (工作方案/经费预算): the application commands behind
// the plan methods of AccountabilityPlanService. Each command runs inside the
// caller's transaction: load, check, apply (domain/work_plan.h), save with its
// event. Who: the plan's street officers edit and submit; centre staff
// (Role::kCentreStaff) approve or return; supervisors, centre staff and the
// office's own people read. No gRPC here.
#ifndef RECTIFY_SERVER_PLAN_COMMANDS_H_
#define RECTIFY_SERVER_PLAN_COMMANDS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/work_plan.h"
#include "server/auth.h"
#include "server/clock.h"
#include "storage/store.h"

namespace rectify::server {

struct PlanRef {
  std::string id;
  std::string etag;  // optional; a stale one is kAborted
};

// What SavePlanDraft carries: `ref.id` empty creates the plan of
// (campaign_id, street_office_id) (office default: the caller's organisation).
struct SavePlanArgs {
  PlanRef ref;
  std::string campaign_id;
  std::string street_office_id;
  std::vector<domain::PlanItem> items;
};

// One payer's figures, in fen.
struct PayerFigures {
  int64_t planned_fen = 0;
  int64_t approved_fen = 0;
  int64_t actual_fen = 0;
};
struct BudgetView {
  std::string campaign_id;
  std::string street_office_id;
  std::string plan_id;  // empty: no plan yet
  domain::PlanState plan_state = domain::PlanState::kDraft;
  std::map<domain::Payer, PayerFigures> payers;  // payers with any figure
};

class PlanCommands {
 public:
  explicit PlanCommands(const Clock& clock) : clock_(clock) {}

  // Creates the DRAFT plan or replaces the working items (DRAFT or RETURNED).
  // The office's street officers may (kPermissionDenied otherwise);
  // kNotFound for an unknown campaign, office or plan; kAlreadyExists naming
  // the existing plan if the office has one for the campaign; kInvalidArgument
  // naming 'items[i].field'; kFailedPrecondition naming the state or a closed
  // campaign; kAborted for a stale etag.
  absl::StatusOr<domain::WorkPlan> SaveDraft(storage::WriteTx& tx, const Principal& who,
                                             const SavePlanArgs& args) const;
  // Submits a DRAFT or resubmits a RETURNED plan as a new revision (the
  // office's street officers); codes as SaveDraft.
  absl::StatusOr<domain::WorkPlan> Submit(storage::WriteTx& tx, const Principal& who,
                                          const PlanRef& ref) const;
  // Centre staff decide on a SUBMITTED plan's latest revision; kReturn needs
  // comments (kInvalidArgument naming 'comments').
  absl::StatusOr<domain::WorkPlan> Decide(storage::WriteTx& tx, const Principal& who,
                                          const PlanRef& ref, domain::PlanAction action,
                                          const std::string& comments) const;
  absl::StatusOr<domain::WorkPlan> Get(storage::ReadTx& tx, const Principal& who,
                                       const std::string& id) const;
  // The newest `limit` plans matching `filter`, less those the caller may not see.
  absl::StatusOr<std::vector<domain::WorkPlan>> List(storage::ReadTx& tx, const Principal& who,
                                                     const storage::PlanFilter& filter,
                                                     int limit) const;
  // Planned (latest revision), approved (the approved revision) and actual
  // (the campaign's tasks in the office's communities) costs by payer. Who
  // may read the office's plan may read its budget; kNotFound for an unknown
  // campaign or office.
  absl::StatusOr<BudgetView> Budget(storage::ReadTx& tx, const Principal& who,
                                    const std::string& campaign_id,
                                    const std::string& street_office_id) const;

 private:
  const Clock& clock_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PLAN_COMMANDS_H_
