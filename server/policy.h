// Who may see and create what: the read scope of each role, and the rules for
// creating tasks and directory entries. (Who may move a task is the state
// machine's table, domain/task.h.)
#ifndef RECTIFY_SERVER_POLICY_H_
#define RECTIFY_SERVER_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "domain/directory.h"
#include "domain/task.h"
#include "server/auth.h"
#include "storage/store.h"

namespace rectify::server {

// kPermissionDenied unless `who` may read `task`:
//   supervisors, admins, centre staff: every task;
//   street officers: tasks of their street office's communities;
//   volunteers: tasks of their team's street office;
//   everyone else: tasks their organisation is responsible for.
absl::Status CheckCanSee(const Principal& who, const domain::Task& task);

// Narrows `filter` to what `who` may see; kPermissionDenied if the filter
// asks explicitly for something outside it.
absl::Status ScopeTaskFilter(const Principal& who, storage::TaskFilter& filter);

// kPermissionDenied unless `who` may open a task in `community` in campaign
// `campaign_id`: supervisors anywhere; street officers in their street
// office; volunteers where they are assigned (CheckVolunteerAssigned);
// property staff in communities their company manages; committee members in
// their community.
absl::Status CheckCanCreateTask(storage::ReadTx& tx, const Principal& who,
                                absl::string_view campaign_id,
                                const domain::Community& community);

// kPermissionDenied, naming the community and saying who assigns volunteers,
// unless `who` is a volunteer with an active assignment to `community` in
// campaign `campaign_id`. The one check behind a volunteer's CreateTask,
// ReportProblem and RecordOnSiteCheck.
absl::Status CheckVolunteerAssigned(storage::ReadTx& tx, const Principal& who,
                                    absl::string_view campaign_id,
                                    const domain::Community& community);

// kPermissionDenied unless `who` may see a community's inspections and
// self-check list: supervisors and centre staff, and the community's street
// office, property company and owners' committee.
absl::Status CheckCanSeeCommunity(const Principal& who, const domain::Community& community);

// Reports (the supervisors' view): supervisors, admins and centre staff read
// every unit; a street officer her own street office's only: an empty
// `*street_office_id` becomes hers, another one is kPermissionDenied. Everyone
// else: kPermissionDenied. `city_wide` (rankings across offices, the monthly
// bulletin) is for those who read every unit.
absl::Status ScopeReport(const Principal& who, std::string* street_office_id, bool city_wide);

// kPermissionDenied unless `who` is an admin (directory changes, tokens).
absl::Status CheckAdmin(const Principal& who, absl::string_view what);
// kPermissionDenied unless `who` is a supervisor or admin.
absl::Status CheckSupervisor(const Principal& who, absl::string_view what);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_POLICY_H_
