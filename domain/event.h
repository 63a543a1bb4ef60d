// Events: the append-only record of every change. Each command produces one,
// stored in the same transaction as the change it records.
#ifndef RECTIFY_DOMAIN_EVENT_H_
#define RECTIFY_DOMAIN_EVENT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace rectify::domain {

struct Event {
  int64_t seq = 0;             // global order, assigned by the store on append
  std::string type;            // dotted, e.g. "task.dispatched", "campaign.created"
  std::string subject;         // resource name, e.g. "tasks/T-42"
  std::string campaign_id;     // may be empty for directory events
  std::string actor_person_id;
  std::string actor_org_id;
  absl::Time time = absl::InfinitePast();
  std::string from_state;      // for state changes, else empty
  std::string to_state;
  std::string reason;          // the person's words: return reason, comment, opinion
  std::vector<std::pair<std::string, std::string>> details;  // small typed facts, as text
  // The organisations that must hear of it (besides supervisors, who hear of
  // everything): for a task, its street office and responsible organisation.
  std::vector<std::string> audience;

  // The value of detail `key`, or "" if absent.
  absl::string_view Detail(absl::string_view key) const;
};

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_EVENT_H_
