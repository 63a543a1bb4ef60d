#include "domain/hard_problem.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/validation.h"

namespace rectify::domain {
namespace {

Event NewEvent(const HardProblem& p, absl::string_view type, absl::string_view actor_person,
               absl::string_view actor_org, std::vector<std::string> audience, absl::Time now) {
  Event event;
  event.type = std::string(type);
  event.subject = absl::StrCat("hard_problems/", p.id);
  event.campaign_id = p.campaign_id;
  event.actor_person_id = std::string(actor_person);
  event.actor_org_id = std::string(actor_org);
  event.time = now;
  event.audience = std::move(audience);
  event.details = {{"kind", std::string(HardProblemKindName(p.kind))}, {"title", p.title}};
  return event;
}

}  // namespace

absl::string_view HardProblemKindName(HardProblemKind kind) {
  switch (kind) {
    case HardProblemKind::kHard:
      return "hard";
    case HardProblemKind::kHot:
      return "hot";
  }
  return "unknown";
}

absl::string_view HardProblemStateName(HardProblemState state) {
  switch (state) {
    case HardProblemState::kReported:
      return "REPORTED";
    case HardProblemState::kAnswered:
      return "ANSWERED";
  }
  return "UNKNOWN";
}

absl::StatusOr<Event> ReportHardProblem(HardProblem& p, std::vector<std::string> audience,
                                        absl::Time now) {
  RECTIFY_RETURN_IF_ERROR(Required("campaign_id", p.campaign_id));
  if (HardProblemKindName(p.kind) == "unknown") {
    return absl::InvalidArgumentError("'kind' is not a problem kind; use HARD or HOT");
  }
  RECTIFY_RETURN_IF_ERROR(Required("title", p.title));
  RECTIFY_RETURN_IF_ERROR(MaxLength("title", p.title, 200));
  RECTIFY_RETURN_IF_ERROR(Required("description", p.description));
  RECTIFY_RETURN_IF_ERROR(MaxLength("description", p.description, 4000));
  RECTIFY_RETURN_IF_ERROR(Required("reported_by", p.reported_by));
  p.state = HardProblemState::kReported;
  p.answer.clear();
  p.answered_by.clear();
  p.report_time = now;
  p.answer_time = absl::InfinitePast();
  p.update_time = now;
  Event event = NewEvent(p, "hard_problem.reported", p.reported_by, p.reporter_org_id,
                         std::move(audience), now);
  event.to_state = std::string(HardProblemStateName(p.state));
  return event;
}

absl::StatusOr<Event> AnswerHardProblem(HardProblem& p, absl::string_view actor_person,
                                        absl::string_view actor_org, absl::string_view answer,
                                        std::vector<std::string> audience, absl::Time now) {
  if (p.state != HardProblemState::kReported) {
    return absl::FailedPreconditionError(absl::StrCat("hard problem '", p.id, "' is in state ",
                                                      HardProblemStateName(p.state),
                                                      "; 'answer' needs REPORTED"));
  }
  RECTIFY_RETURN_IF_ERROR(Required("answer", answer));
  RECTIFY_RETURN_IF_ERROR(MaxLength("answer", answer, 4000));
  p.state = HardProblemState::kAnswered;
  p.answer = std::string(answer);
  p.answered_by = std::string(actor_person);
  p.answer_time = now;
  p.update_time = now;
  Event event =
      NewEvent(p, "hard_problem.answered", actor_person, actor_org, std::move(audience), now);
  event.from_state = "REPORTED";
  event.to_state = "ANSWERED";
  event.reason = p.answer;
  return event;
}

}  // namespace rectify::domain
