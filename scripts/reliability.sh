#!/usr/bin/env bash
# The long reliability command (not CI): the long crash loop, the soak and the
# overload check, the fuzzers under libFuzzer+ASan+UBSan, and the whole test
# suite under ASan+UBSan. Prints each part's verdict and time.
#   scripts/reliability.sh
# Environment: CRASH_ROUNDS (100), SOAK_MINUTES (10), FUZZ_SECONDS (300 per
# target), SKIP_SANITIZE=1 to leave out the sanitizer suite.
set -uo pipefail
cd "$(dirname "$0")/.."
CRASH_ROUNDS=${CRASH_ROUNDS:-100}
SOAK_MINUTES=${SOAK_MINUTES:-10}
FUZZ_SECONDS=${FUZZ_SECONDS:-300}
scripts/build.sh || exit 1
failed=()
part() {  # name, command...
  local name=$1 start=$SECONDS
  shift
  echo "=== $name"
  if "$@"; then
    echo "=== $name: passed in $((SECONDS - start)) s"
  else
    echo "=== $name: FAILED after $((SECONDS - start)) s"
    failed+=("$name")
  fi
}
part "crash loop ($CRASH_ROUNDS rounds)" build/bin/rectify-crash-harness \
  --server build/bin/rectify-server --data_dir data --rounds "$CRASH_ROUNDS" --seed "$RANDOM" \
  --writers 8 --min_ms 50 --max_ms 2000
part "crash harness catches a broken build" bash -c \
  'RECTIFY_FAILPOINT=ack_before_commit:40 build/bin/rectify-crash-harness \
     --server build/bin/rectify-server --data_dir data --rounds 3 --seed 5 --writers 4 \
     --min_ms 1500 --max_ms 1500 | grep -q "LOST acknowledged write"'
part "crash loop with a stall before every commit" env RECTIFY_FAILPOINT=stall_before_commit:20 \
  build/bin/rectify-crash-harness --server build/bin/rectify-server --data_dir data \
  --rounds 20 --seed "$RANDOM" --writers 8 --min_ms 50 --max_ms 1000
part "soak ($SOAK_MINUTES min) and overload" scripts/soak.sh "$SOAK_MINUTES" 64
part "fuzz (${FUZZ_SECONDS}s per target)" scripts/fuzz.sh "$FUZZ_SECONDS"
[[ ${SKIP_SANITIZE:-0} == 1 ]] || part "test suite under ASan+UBSan" scripts/sanitize.sh
if ((${#failed[@]})); then
  echo "reliability: FAILED: ${failed[*]}"
  exit 1
fi
echo "reliability: every part passed"
