// Conversion between the API's protobuf messages and domain types: the one
// place where the two meet. Enum conversions from the wire return
// kInvalidArgument naming the field for unknown or unspecified values where a
// value is required.
#ifndef RECTIFY_SERVER_CONVERT_H_
#define RECTIFY_SERVER_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/directory.h"
#include "domain/event.h"
#include "domain/inspection.h"
#include "domain/penalty.h"
#include "domain/phase.h"
#include "domain/standard.h"
#include "domain/task.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "rectify/v1/resources.pb.h"

namespace rectify::server {

namespace v1 = ::rectify::v1;

// Infinite times are "unset": they clear the message.
void ToProto(absl::Time t, google::protobuf::Timestamp* out);
// An unset message (nullptr or default) is `if_unset`. kInvalidArgument
// naming `field` if out of range.
absl::StatusOr<absl::Time> FromProto(const google::protobuf::Timestamp& ts, absl::string_view field,
                                     absl::Time if_unset);
absl::StatusOr<absl::Duration> FromProto(const google::protobuf::Duration& d,
                                         absl::string_view field);

v1::Campaign ToProto(const domain::Campaign& c);
absl::StatusOr<domain::Campaign> FromProto(const v1::Campaign& c);

v1::Organisation ToProto(const domain::Organisation& o);
absl::StatusOr<domain::Organisation> FromProto(const v1::Organisation& o);

v1::Person ToProto(const domain::Person& p);
absl::StatusOr<domain::Person> FromProto(const v1::Person& p);

v1::Community ToProto(const domain::Community& c);
domain::Community FromProto(const v1::Community& c);

// `now` decides the derived `overdue`; `head_person_id` is the responsible
// organisation's head.
v1::Task ToProto(const domain::Task& t, absl::Time now, const std::string& head_person_id);
// The fields a client may set when creating a task.
absl::StatusOr<domain::Task> NewTaskFromProto(const v1::Task& t);

v1::Event ToProto(const domain::Event& e);

absl::StatusOr<domain::TaskState> FromProto(v1::TaskState state, absl::string_view field);
absl::StatusOr<domain::Phase> FromProto(v1::Phase phase, absl::string_view field);
absl::StatusOr<domain::InspectionKind> FromProto(v1::InspectionKind kind, absl::string_view field);

v1::Penalty ToProto(const domain::Penalty& p);
absl::StatusOr<domain::PenaltyKind> FromProto(v1::PenaltyKind kind, absl::string_view field);
absl::StatusOr<domain::PenaltyState> FromProto(v1::PenaltyState state, absl::string_view field);

v1::Standard ToProto(const domain::Standard& s);
// The fields a client sets when recording: campaign_id, community_id, kind,
// date (empty: today), deductions (rule_id, count, note, evidence,
// open_task), note.
absl::StatusOr<domain::Inspection> NewInspectionFromProto(const v1::Inspection& i);
// `standard` (the version that scored it; may be null) names categories and
// places deductions in their item and category.
v1::Inspection ToProto(const domain::Inspection& i, const domain::Standard* standard);
v1::SelfCheckList ToProto(const domain::SelfCheckList& l);
domain::Evidence FromProto(const v1::Evidence& e);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CONVERT_H_
