// Enum values as people type them: TASK_STATE_IN_PROGRESS ↔ "in_progress".
// The prefix is the enum's type name in UPPER_SNAKE (TaskState → TASK_STATE_),
// the API's convention; the names come from the generated descriptors, so a
// new enum value needs no change here.
//
//   EnumName(v1::TASK_STATE_IN_PROGRESS)          → "in_progress"
//   ParseEnum<v1::TaskState>("in-progress")       → v1::TASK_STATE_IN_PROGRESS
#ifndef RECTIFY_CLIENT_CLI_ENUM_NAMES_H_
#define RECTIFY_CLIENT_CLI_ENUM_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace rectify::client::cli {

// "TASK_STATE_" for TaskState.
std::string EnumPrefix(const google::protobuf::EnumDescriptor& type);

// The short lowercase name of `number` ("in_progress"); "" for the
// *_UNSPECIFIED value; the number in decimal if the enum has no such value
// (a newer server).
std::string EnumName(const google::protobuf::EnumDescriptor& type, int number);

// The number named by `text`: the short name in any case, with '-' or '_'
// ("in_progress", "In-Progress"), or the full name ("TASK_STATE_IN_PROGRESS").
// Returns kInvalidArgument listing the accepted names if none matches;
// *_UNSPECIFIED is never accepted.
absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor& type, absl::string_view text);

// "open|dispatched|…": the accepted short names, for usage text.
std::string EnumChoices(const google::protobuf::EnumDescriptor& type);

template <typename E>
std::string EnumName(E value) {
  return EnumName(*google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
absl::StatusOr<E> ParseEnum(absl::string_view text) {
  absl::StatusOr<int> number = ParseEnum(*google::protobuf::GetEnumDescriptor<E>(), text);
  if (!number.ok()) return number.status();
  return static_cast<E>(*number);
}

template <typename E>
std::string EnumChoices() {
  return EnumChoices(*google::protobuf::GetEnumDescriptor<E>());
}

}  // namespace rectify::client::cli

#endif  // RECTIFY_CLIENT_CLI_ENUM_NAMES_H_
