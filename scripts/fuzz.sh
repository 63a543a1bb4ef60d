#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/) under libFuzzer with AddressSanitizer and
# UndefinedBehaviorSanitizer, each for SECONDS (default 60), in their own clang
# build (build-fuzz/). New inputs go to build-fuzz/corpus/<target>; the seed
# corpus in fuzz/corpus/<target> is read, never written. A crash leaves its
# input in build-fuzz/ and fails the script.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
scripts/setup.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DRECTIFY_FUZZ=ON "${launcher[@]}" >/dev/null
TARGETS=(task_machine request_validation)
cmake --build build-fuzz -j "$(nproc)" --target "${TARGETS[@]/%/_fuzzer}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for t in "${TARGETS[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "fuzz: $t for ${SECONDS_EACH}s"
  if ! (cd build-fuzz && "./bin/${t}_fuzzer" -max_total_time="$SECONDS_EACH" \
          -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
          "corpus/$t" "../fuzz/corpus/$t" >"$t.log" 2>&1); then
    tail -n 60 "build-fuzz/$t.log"
    echo "fuzz: $t FAILED (input and log in build-fuzz/)"
    exit 1
  fi
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)" "build-fuzz/$t.log" || true
done
echo "fuzz: every target ran ${SECONDS_EACH}s without a failure"
