#include "domain/escalation.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "domain/text_lines.h"

namespace rectify::domain {
namespace {

constexpr char kDefaultText[] = R"(
red_after_yellow 3
step remind_due_soon   due_within 24 hours               remind
step urge_overdue      overdue 0 hours                   urge
step criticise_3d      overdue 3 working_days            propose notice_of_criticism
step fine_10d          overdue 10 working_days           propose fine 200000
step yellow_repeat     repeat 3 overdue_tasks per_org    propose yellow_card
)";

bool IsStepId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

class LineParser {
 public:
  LineParser(absl::string_view source, const DataLine& line)
      : source_(source), line_(line), rest_(line.text) {}

  template <typename... Parts>
  absl::Status Error(const Parts&... parts) const {
    return absl::InvalidArgumentError(absl::StrCat(source_, ":", line_.number, ": ", parts...));
  }
  absl::string_view Next() { return NextToken(&rest_); }
  bool AtEnd() const { return rest().empty(); }
  absl::string_view rest() const { return absl::StripAsciiWhitespace(rest_); }

  // A whole number in [min, max] for `field`.
  absl::StatusOr<int64_t> Number(absl::string_view field, int64_t min, int64_t max) {
    const absl::string_view token = Next();
    int64_t value = 0;
    if (token.empty()) return Error("'", field, "' is missing; expected a number");
    if (!absl::SimpleAtoi(token, &value) || value < min || value > max) {
      return Error("'", field, "' is '", token, "'; expected a whole number in ", min, "..", max);
    }
    return value;
  }
  absl::Status Expect(absl::string_view field, absl::string_view word) {
    const absl::string_view token = Next();
    if (token != word) {
      return Error("'", field, "' is '", token, "'; expected '", word, "'");
    }
    return absl::OkStatus();
  }

 private:
  absl::string_view source_;
  const DataLine& line_;
  absl::string_view rest_;
};

absl::Status ParseStep(LineParser& p, EscalationStep& step) {
  step.id = std::string(p.Next());
  if (!IsStepId(step.id)) {
    return p.Error("'id' is '", step.id, "'; a step id is 1..64 of [a-z0-9_]");
  }
  const absl::string_view trigger = p.Next();
  if (trigger == "due_within") {
    step.trigger = TriggerKind::kDueWithin;
    RECTIFY_ASSIGN_OR_RETURN(step.amount, p.Number("due_within", 1, 24 * 366));
    RECTIFY_RETURN_IF_ERROR(p.Expect("due_within unit", "hours"));
    step.unit = SlaUnit::kNaturalHours;
  } else if (trigger == "overdue") {
    step.trigger = TriggerKind::kOverdue;
    RECTIFY_ASSIGN_OR_RETURN(step.amount, p.Number("overdue", 0, 10000));
    const absl::string_view unit = p.Next();
    if (unit == "hours") {
      step.unit = SlaUnit::kNaturalHours;
    } else if (unit == "working_hours") {
      step.unit = SlaUnit::kWorkingHours;
    } else if (unit == "working_days") {
      step.unit = SlaUnit::kWorkingDays;
    } else {
      return p.Error("'overdue unit' is '", unit,
                     "'; expected hours, working_hours or working_days");
    }
  } else if (trigger == "repeat") {
    step.trigger = TriggerKind::kRepeat;
    RECTIFY_ASSIGN_OR_RETURN(step.amount, p.Number("repeat", 1, 100000));
    RECTIFY_RETURN_IF_ERROR(p.Expect("repeat what", "overdue_tasks"));
    RECTIFY_RETURN_IF_ERROR(p.Expect("repeat scope", "per_org"));
  } else {
    return p.Error("'trigger' is '", trigger, "'; expected due_within, overdue or repeat");
  }
  const absl::string_view action = p.Next();
  if (action == "remind") {
    step.action = EscalationActionKind::kRemind;
  } else if (action == "urge") {
    step.action = EscalationActionKind::kUrge;
  } else if (action == "propose") {
    step.action = EscalationActionKind::kPropose;
    const absl::string_view kind = p.Next();
    absl::StatusOr<PenaltyKind> parsed = ParsePenaltyKind(kind);
    if (!parsed.ok()) return p.Error("'penalty kind': ", parsed.status().message());
    step.penalty_kind = *parsed;
    if (step.penalty_kind == PenaltyKind::kFine) {
      RECTIFY_ASSIGN_OR_RETURN(step.amount_fen, p.Number("amount_fen", 1, kMaxFen));
    }
  } else {
    return p.Error("'action' is '", action, "'; expected remind, urge or propose <kind>");
  }
  if (step.trigger == TriggerKind::kRepeat && step.action != EscalationActionKind::kPropose) {
    return p.Error("'action' is '", action,
                   "'; a repeat step concerns an organisation, so it can only propose a penalty");
  }
  if (!p.AtEnd()) return p.Error("unexpected '", p.rest(), "' at the end of the step");
  return absl::OkStatus();
}

}  // namespace

absl::string_view EscalationActionName(EscalationActionKind action) {
  switch (action) {
    case EscalationActionKind::kRemind:
      return "remind";
    case EscalationActionKind::kUrge:
      return "urge";
    case EscalationActionKind::kPropose:
      return "propose";
  }
  return "unknown";
}

EscalationPolicy EscalationPolicy::Default() {
  absl::StatusOr<EscalationPolicy> policy = Parse(kDefaultText, "default escalation policy");
  // The default is a constant checked by the tests.
  return policy.ok() ? *std::move(policy) : EscalationPolicy();
}

absl::StatusOr<EscalationPolicy> EscalationPolicy::Parse(absl::string_view text,
                                                         absl::string_view source) {
  EscalationPolicy policy;
  std::set<std::string> ids;
  bool red_seen = false;
  for (const DataLine& line : DataLines(text)) {
    LineParser p(source, line);
    const absl::string_view keyword = p.Next();
    if (keyword == "red_after_yellow") {
      RECTIFY_ASSIGN_OR_RETURN(int64_t n, p.Number("red_after_yellow", 1, 100));
      if (p.AtEnd()) {
        if (red_seen) return p.Error("'red_after_yellow' is given twice");
        red_seen = true;
        policy.red_after_yellow_ = static_cast<int>(n);
        continue;
      }
      RECTIFY_RETURN_IF_ERROR(p.Expect("red_after_yellow scope", "campaign"));
      const std::string campaign(p.Next());
      if (campaign.empty()) return p.Error("'campaign' is missing after red_after_yellow");
      if (!p.AtEnd()) return p.Error("unexpected '", p.rest(), "' after red_after_yellow");
      if (!policy.red_after_yellow_by_campaign_.emplace(campaign, static_cast<int>(n)).second) {
        return p.Error("'red_after_yellow' is given twice for campaign '", campaign, "'");
      }
    } else if (keyword == "step") {
      EscalationStep step;
      step.line = line.number;
      RECTIFY_RETURN_IF_ERROR(ParseStep(p, step));
      if (!ids.insert(step.id).second) {
        return p.Error("'id' '", step.id, "' is used by an earlier step; ids must be unique");
      }
      policy.steps_.push_back(std::move(step));
    } else {
      return p.Error("unknown statement '", keyword, "'; expected step or red_after_yellow");
    }
  }
  return policy;
}

absl::StatusOr<EscalationPolicy> EscalationPolicy::LoadFile(const std::string& path) {
  RECTIFY_ASSIGN_OR_RETURN(std::string text,
                           common::ReadFileToString(path, "escalation policy file"));
  return Parse(text, path);
}

int EscalationPolicy::RedAfterYellow(const std::string& campaign_id) const {
  auto it = red_after_yellow_by_campaign_.find(campaign_id);
  return it == red_after_yellow_by_campaign_.end() ? red_after_yellow_ : it->second;
}

absl::Duration EscalationPolicy::MaxDueWithin() const {
  absl::Duration widest = absl::ZeroDuration();
  for (const EscalationStep& step : steps_) {
    if (step.trigger == TriggerKind::kDueWithin) {
      widest = std::max(widest, absl::Hours(step.amount));
    }
  }
  return widest;
}

bool TaskStepHolds(const EscalationStep& step, const Task& task, absl::Time now,
                   const DeadlineCalculator& calculator) {
  switch (step.trigger) {
    case TriggerKind::kDueWithin:
      return task.IsDueWithin(now, absl::Hours(step.amount));
    case TriggerKind::kOverdue: {
      if (!task.IsOverdue(now)) return false;
      if (step.amount == 0) return true;
      const absl::Duration per_unit =
          step.unit == SlaUnit::kWorkingDays ? absl::Hours(24) : absl::Hours(1);
      return calculator.Counted(task.deadline, now, step.unit) >= per_unit * step.amount;
    }
    case TriggerKind::kRepeat:
      return false;
  }
  return false;
}

}  // namespace rectify::domain
