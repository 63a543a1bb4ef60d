// Responsibility letters (责任书) of the seed's 四(二)1: for one community in
// one campaign, the street office, the owners' committee and the property
// company agree on indicators (指标) and responsibilities for a term, and each
// party signs. Pure: the caller passes `now` and the signer; the server decides
// who may draft and who signs for which party (server/letter_commands.h).
//
// clang-format off
//    draft            sign (a party still missing)
//  ──────► DRAFTED ◄──────────┐
//             │  └────────────┘
//             │ sign (the last party)
//             ▼
//           SIGNED
// clang-format on
//   DRAFTED  written by the street office or a supervisor; parties sign one by one.
//   SIGNED   every party the community has (one of each kind present) has
//            signed (terminal). A campaign with `require_letter` dispatches a
//            community's tasks only once it has one.
//
//   ResponsibilityLetter l = ...;  // campaign, community, parties, text, term
//   RECTIFY_ASSIGN_OR_RETURN(Event e, DraftLetter(l, "officer-1", "so-1", now));
//   RECTIFY_ASSIGN_OR_RETURN(Event e2, SignLetter(l, "so-1", "officer-1", now));
#ifndef RECTIFY_DOMAIN_RESPONSIBILITY_LETTER_H_
#define RECTIFY_DOMAIN_RESPONSIBILITY_LETTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/event.h"

namespace rectify::domain {

// Numbered as stored and as the API's LetterState: never renumber.
enum class LetterState { kDrafted = 1, kSigned };
absl::string_view LetterStateName(LetterState state);  // "DRAFTED", "SIGNED"

enum class LetterAction { kDraft = 1, kSign };
absl::string_view LetterActionName(LetterAction action);  // "draft", "sign"

// The whole state machine: a (from, action) pair not listed is illegal. A
// signature leaves the letter DRAFTED (`to_partial`) until the last party
// signs (`to_complete`). kDraft creates a letter and is no transition.
struct LetterTransition {
  LetterState from;
  LetterAction action;
  LetterState to_partial;
  LetterState to_complete;
};
absl::Span<const LetterTransition> LetterTransitionTable();
const LetterTransition* FindLetterTransition(LetterState from, LetterAction action);

struct LetterSignature {
  std::string org_id;     // the party
  std::string person_id;  // who signed for it
  absl::Time time = absl::InfinitePast();
};

struct ResponsibilityLetter {
  std::string id;  // "RL-3"
  std::string campaign_id;
  std::string community_id;
  // The parties, from the community; an empty id is a party the community
  // does not have (e.g. no owners' committee), which then need not sign.
  std::string street_office_id;
  std::string owners_committee_id;
  std::string property_company_id;
  std::vector<std::string> indicators;  // 指标, one per line
  std::string responsibilities;         // 责任
  absl::CivilDay term_start;
  absl::CivilDay term_end;
  LetterState state = LetterState::kDrafted;
  std::vector<LetterSignature> signatures;  // in signing order
  std::string drafted_by;
  absl::Time draft_time = absl::InfinitePast();
  absl::Time sign_time = absl::InfinitePast();  // when it became SIGNED
  absl::Time update_time = absl::InfinitePast();
  int64_t version = 1;
};

// The parties present, street office first.
std::vector<std::string> LetterParties(const ResponsibilityLetter& letter);
// The parties present that have not signed yet, in LetterParties' order.
std::vector<std::string> MissingSignatures(const ResponsibilityLetter& letter);

// Checks the text and term and makes `letter` DRAFTED with no signatures.
// kInvalidArgument naming the field: 'campaign_id', 'community_id',
// 'street_office_id' empty; 'indicators' empty or with a blank line;
// 'responsibilities' blank; 'term_end' before 'term_start'. Returns the
// "letter.drafted" event, heard by every party.
absl::StatusOr<Event> DraftLetter(ResponsibilityLetter& letter, const std::string& actor_person_id,
                                  const std::string& actor_org_id, absl::Time now);

// `person_id` signs for party `org_id`. kFailedPrecondition naming the state
// once SIGNED, or if that party has signed already; kInvalidArgument if
// `org_id` is no party of the letter. Returns "letter.signature_added", or
// "letter.signed" when it was the last party missing.
absl::StatusOr<Event> SignLetter(ResponsibilityLetter& letter, const std::string& org_id,
                                 const std::string& person_id, absl::Time now);

}  // namespace rectify::domain

#endif  // RECTIFY_DOMAIN_RESPONSIBILITY_LETTER_H_
