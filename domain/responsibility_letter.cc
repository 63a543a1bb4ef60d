#include "domain/responsibility_letter.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rectify::domain {
namespace {

constexpr LetterTransition kTable[] = {
    {LetterState::kDrafted, LetterAction::kSign, LetterState::kDrafted, LetterState::kSigned},
};

bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

Event LetterEvent(const ResponsibilityLetter& l, absl::string_view type,
                  const std::string& person_id, const std::string& org_id, absl::Time now) {
  Event e;
  e.type = std::string(type);
  e.subject = absl::StrCat("letters/", l.id);
  e.campaign_id = l.campaign_id;
  e.actor_person_id = person_id;
  e.actor_org_id = org_id;
  e.time = now;
  e.details.emplace_back("community_id", l.community_id);
  e.audience = LetterParties(l);
  return e;
}

}  // namespace

absl::string_view LetterStateName(LetterState state) {
  switch (state) {
    case LetterState::kDrafted:
      return "DRAFTED";
    case LetterState::kSigned:
      return "SIGNED";
  }
  return "UNKNOWN";
}

absl::string_view LetterActionName(LetterAction action) {
  switch (action) {
    case LetterAction::kDraft:
      return "draft";
    case LetterAction::kSign:
      return "sign";
  }
  return "unknown";
}

absl::Span<const LetterTransition> LetterTransitionTable() { return kTable; }

const LetterTransition* FindLetterTransition(LetterState from, LetterAction action) {
  for (const LetterTransition& t : kTable) {
    if (t.from == from && t.action == action) return &t;
  }
  return nullptr;
}

std::vector<std::string> LetterParties(const ResponsibilityLetter& l) {
  std::vector<std::string> out;
  for (const std::string* id : {&l.street_office_id, &l.owners_committee_id,
                                &l.property_company_id}) {
    if (!id->empty() && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  }
  return out;
}

std::vector<std::string> MissingSignatures(const ResponsibilityLetter& l) {
  std::vector<std::string> out;
  for (const std::string& party : LetterParties(l)) {
    const bool signed_already =
        std::any_of(l.signatures.begin(), l.signatures.end(),
                    [&](const LetterSignature& s) { return s.org_id == party; });
    if (!signed_already) out.push_back(party);
  }
  return out;
}

absl::StatusOr<Event> DraftLetter(ResponsibilityLetter& l, const std::string& actor_person_id,
                                  const std::string& actor_org_id, absl::Time now) {
  if (l.campaign_id.empty()) return absl::InvalidArgumentError("'campaign_id' is empty");
  if (l.community_id.empty()) return absl::InvalidArgumentError("'community_id' is empty");
  if (l.street_office_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'street_office_id' is empty: community '", l.community_id, "' has no street office"));
  }
  if (l.indicators.empty()) {
    return absl::InvalidArgumentError("'indicators' is empty; list at least one indicator (指标)");
  }
  for (size_t i = 0; i < l.indicators.size(); ++i) {
    if (Blank(l.indicators[i])) {
      return absl::InvalidArgumentError(absl::StrCat("'indicators' item ", i, " is blank"));
    }
  }
  if (Blank(l.responsibilities)) {
    return absl::InvalidArgumentError("'responsibilities' is blank; state the responsibilities");
  }
  if (l.term_end < l.term_start) {
    return absl::InvalidArgumentError(absl::StrCat("'term_end' ", absl::FormatCivilTime(l.term_end),
                                                   " is before 'term_start' ",
                                                   absl::FormatCivilTime(l.term_start)));
  }
  l.state = LetterState::kDrafted;
  l.signatures.clear();
  l.drafted_by = actor_person_id;
  l.draft_time = now;
  l.sign_time = absl::InfinitePast();
  l.update_time = now;
  Event e = LetterEvent(l, "letter.drafted", actor_person_id, actor_org_id, now);
  e.to_state = std::string(LetterStateName(l.state));
  return e;
}

absl::StatusOr<Event> SignLetter(ResponsibilityLetter& l, const std::string& org_id,
                                 const std::string& person_id, absl::Time now) {
  const LetterTransition* t = FindLetterTransition(l.state, LetterAction::kSign);
  if (t == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("responsibility letter '", l.id,
                                                      "' is in state ", LetterStateName(l.state),
                                                      "; 'sign' needs DRAFTED"));
  }
  const std::vector<std::string> parties = LetterParties(l);
  if (std::find(parties.begin(), parties.end(), org_id) == parties.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'organisation_id' '", org_id, "' is no party of responsibility letter '",
                     l.id, "'; its parties are ", absl::StrJoin(parties, ", ")));
  }
  std::vector<std::string> missing = MissingSignatures(l);
  if (std::find(missing.begin(), missing.end(), org_id) == missing.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "party '", org_id, "' has already signed responsibility letter '", l.id, "'"));
  }
  const LetterState from = l.state;
  l.signatures.push_back({org_id, person_id, now});
  const bool complete = missing.size() == 1;
  l.state = complete ? t->to_complete : t->to_partial;
  if (complete) l.sign_time = now;
  l.update_time = now;
  Event e = LetterEvent(l, complete ? "letter.signed" : "letter.signature_added", person_id,
                        org_id, now);
  e.from_state = std::string(LetterStateName(from));
  e.to_state = std::string(LetterStateName(l.state));
  e.details.emplace_back("party", org_id);
  return e;
}

}  // namespace rectify::domain
