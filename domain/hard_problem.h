// Hard and hot problems (难点、热点问题, the seed's 五(四)): reported up to the
// city office (创城办) by a street office or a supervisor, answered there.
// Pure: the caller passes `now` and checks who may act (server/legal_commands.h).
//
//            answer (text)
//   REPORTED ─────────────► ANSWERED
#ifndef RECTIFY_DOMAIN_HARD_PROBLEM_H_
#define RECTIFY_DOMAIN_HARD_PROBLEM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/event.h"

namespace rectify::domain {

// Numbered as stored and as the API's: never renumber.
enum class HardProblemKind { kHard = 1, kHot };               // 难点, 热点
absl::string_view HardProblemKindName(HardProblemKind kind);  // "hard", "hot"

enum class HardProblemState { kReported = 1, kAnswered };
absl::string_view HardProblemStateName(HardProblemState state);  // "REPORTED", "ANSWERED"

struct HardProblem {
  std::string id;  // "HP-3"
  std::string campaign_id;
  HardProblemKind kind = HardProblemKind::kHard;
  std::string title;
  std::string description;
  std::string reported_by;      // person id
  std::string reporter_org_id;  // their organisation
  HardProblemState state = HardProblemState::kReported;
  std::string answer;
  std::string answered_by;
  absl::Time report_time = absl::InfinitePast();
  absl::Time answer_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  int64_t version = 0;
};

// Checks and records a report: campaign_id, title, description required and
// bounded, kind known (kInvalidArgument naming the field). Event
// "hard_problem.reported" for `audience` (the reporter's organisation and the
// city offices).
absl::StatusOr<Event> ReportHardProblem(HardProblem& p, std::vector<std::string> audience,
                                        absl::Time now);
// kFailedPrecondition "hard problem 'HP-1' is in state ANSWERED; 'answer'
// needs REPORTED"; kInvalidArgument 'answer' when empty. Event "hard_problem.answered".
absl::StatusOr<Event> AnswerHardProblem(HardProblem& p, absl::string_view actor_person,
                                        absl::string_view actor_org, absl::string_view answer,
                                        std::vector<std::string> audience, absl::Time now);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_HARD_PROBLEM_H_
