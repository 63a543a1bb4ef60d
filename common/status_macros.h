// Early-return helpers for absl::Status / absl::StatusOr, which Abseil 20220623
// does not ship. Usable in every layer (they depend on Abseil only).
//
//   RECTIFY_RETURN_IF_ERROR(store.Save(task));
//   RECTIFY_ASSIGN_OR_RETURN(Task task, store.Get(id));
#ifndef RECTIFY_COMMON_STATUS_MACROS_H_
#define RECTIFY_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RECTIFY_RETURN_IF_ERROR(expr)                \
  do {                                               \
    const ::absl::Status rectify_status_ = (expr);   \
    if (!rectify_status_.ok()) return rectify_status_; \
  } while (0)

#define RECTIFY_STATUS_CONCAT_INNER_(a, b) a##b
#define RECTIFY_STATUS_CONCAT_(a, b) RECTIFY_STATUS_CONCAT_INNER_(a, b)

#define RECTIFY_ASSIGN_OR_RETURN(lhs, rexpr) \
  RECTIFY_ASSIGN_OR_RETURN_IMPL_(RECTIFY_STATUS_CONCAT_(rectify_statusor_, __LINE__), lhs, rexpr)

#define RECTIFY_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // RECTIFY_COMMON_STATUS_MACROS_H_
