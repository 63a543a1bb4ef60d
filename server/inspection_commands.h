// Inspections: scoring one community against the campaign's standard, opening
// rectification tasks from deductions, and comparing a re-inspection with the
// one before it.
#ifndef RECTIFY_SERVER_INSPECTION_COMMANDS_H_
#define RECTIFY_SERVER_INSPECTION_COMMANDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/inspection.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/task_commands.h"
#include "storage/store.h"

namespace rectify::server {

// An inspection with its predecessor (the same community's inspection in the
// campaign just before it), for the comparison.
struct InspectionView {
  domain::Inspection inspection;
  std::optional<domain::Inspection> previous;
  domain::DeductionDiff diff;
};

class InspectionCommands {
 public:
  InspectionCommands(const Clock& clock, const Rules& rules, const TaskCommands& tasks)
      : clock_(clock), rules_(rules), tasks_(tasks) {}

  // Scores `draft` (campaign, community, kind, date, deductions, note) by the
  // campaign's standard and stores it. Self-checks are recorded by the
  // community's property company (or supervisors), weekly inspections and
  // final evaluations by supervisors; the phase must allow the kind. Each
  // deduction with open_task opens a task (source: inspection), dispatched at
  // once to the item's assignee in the community when the inspector may
  // dispatch and that organisation has a head; otherwise it stays open for
  // the street office. A date in the future is kInvalidArgument.
  absl::StatusOr<InspectionView> Record(storage::WriteTx& tx, const Principal& who,
                                        domain::Inspection draft) const;

  // Anyone who may see the community's tasks may see its inspections:
  // supervisors and centre staff, its street office, its property company.
  absl::StatusOr<InspectionView> Get(storage::ReadTx& tx, const Principal& who,
                                     absl::string_view id) const;
  absl::StatusOr<std::vector<domain::Inspection>> List(storage::ReadTx& tx, const Principal& who,
                                                       const storage::InspectionFilter& filter,
                                                       int limit) const;

 private:
  absl::StatusOr<InspectionView> WithPrevious(storage::ReadTx& tx,
                                              domain::Inspection inspection) const;
  // Opens (and if possible dispatches) the task for deductions[index].
  absl::StatusOr<std::string> OpenTask(storage::WriteTx& tx, const Principal& who,
                                       const domain::Standard& standard,
                                       const domain::Inspection& inspection,
                                       const domain::Community& community, size_t index) const;

  const Clock& clock_;
  const Rules& rules_;
  const TaskCommands& tasks_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_INSPECTION_COMMANDS_H_
