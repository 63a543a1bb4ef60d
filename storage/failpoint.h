// Test-only failpoints in the commit path, to prove that the crash harness can
// catch a build that loses acknowledged writes. Inert unless the environment
// variable RECTIFY_FAILPOINT is set when the process starts (read once):
//
//   RECTIFY_FAILPOINT=stall_before_commit:MS   sleep MS ms before every COMMIT
//                                              (widens the window a kill -9 hits)
//   RECTIFY_FAILPOINT=ack_before_commit:N      the Nth write of the process is
//                                              acknowledged but never committed,
//                                              and the process aborts 300 ms later
//                                              (after the reply has gone out)
#ifndef RECTIFY_STORAGE_FAILPOINT_H_
#define RECTIFY_STORAGE_FAILPOINT_H_

#include <cstdint>

namespace rectify::storage::internal {

struct Failpoint {
  enum class Kind { kNone, kStallBeforeCommit, kAckBeforeCommit };
  Kind kind = Kind::kNone;
  int64_t arg = 0;
};

// The failpoint named by RECTIFY_FAILPOINT at the first call; kNone when unset
// or not understood (a message on stderr says which).
const Failpoint& ActiveFailpoint();

// Called by the writer just before COMMIT when a failpoint is active. Stalls,
// or returns true if this write must be acknowledged without being committed
// (the process then aborts shortly after).
bool FailBeforeCommit();

}  // namespace rectify::storage::internal

#endif  // RECTIFY_STORAGE_FAILPOINT_H_
