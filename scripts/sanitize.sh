#!/usr/bin/env bash
# Builds the whole suite with AddressSanitizer and UndefinedBehaviorSanitizer
# (gcc) in build-asan/ and runs every test there. Part of scripts/reliability.sh.
#   scripts/sanitize.sh [ctest arguments...]
# SANITIZE_TARGETS="domain_test storage_test" builds only those targets (then
# pass a matching ctest filter, e.g. -E 'e2e|client|reliability|fuzz').
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
# shellcheck disable=SC2086
cmake --build build-asan -j "$(nproc)" ${SANITIZE_TARGETS:+--target $SANITIZE_TARGETS}
# Leaks: gRPC keeps some process-wide state to exit; report real errors only.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
cd build-asan
ctest --output-on-failure -j "$(nproc)" --timeout 600 "$@"
