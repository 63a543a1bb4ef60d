#include "storage/failpoint.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace rectify::storage::internal {
namespace {

Failpoint Parse(const char* env) {
  Failpoint fp;
  if (env == nullptr || *env == '\0') return fp;
  absl::string_view spec(env);
  const size_t colon = spec.find(':');
  const absl::string_view name = spec.substr(0, colon);
  int64_t arg = 0;
  if (colon != absl::string_view::npos && !absl::SimpleAtoi(spec.substr(colon + 1), &arg)) arg = -1;
  if (name == "stall_before_commit" && arg >= 0) {
    fp.kind = Failpoint::Kind::kStallBeforeCommit;
    fp.arg = arg == 0 ? 100 : arg;
  } else if (name == "ack_before_commit" && arg >= 0) {
    fp.kind = Failpoint::Kind::kAckBeforeCommit;
    fp.arg = arg == 0 ? 50 : arg;
  } else {
    std::fprintf(stderr, "RECTIFY_FAILPOINT='%s' is not understood; ignored\n", env);
    return fp;
  }
  std::fprintf(stderr, "RECTIFY_FAILPOINT='%s' is active: this build is deliberately broken\n",
               env);
  return fp;
}

}  // namespace

const Failpoint& ActiveFailpoint() {
  static const Failpoint fp = Parse(std::getenv("RECTIFY_FAILPOINT"));
  return fp;
}

bool FailBeforeCommit() {
  const Failpoint& fp = ActiveFailpoint();
  static int64_t writes = 0;  // called under the store's writer mutex
  switch (fp.kind) {
    case Failpoint::Kind::kNone:
      return false;
    case Failpoint::Kind::kStallBeforeCommit:
      absl::SleepFor(absl::Milliseconds(fp.arg));
      return false;
    case Failpoint::Kind::kAckBeforeCommit:
      if (++writes != fp.arg) return false;
      // The open transaction is left as it is: later writes fail to BEGIN, and
      // the abort throws the uncommitted write away once the reply is out.
      std::thread([] {
        absl::SleepFor(absl::Milliseconds(300));
        std::abort();
      }).detach();
      return true;
  }
  return false;
}

}  // namespace rectify::storage::internal
