#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test, then
# a short run of the fuzz targets under libFuzzer, ASan and UBSan (clang, in
# build-fuzz/; FUZZ_SECONDS per target, default 10; 0 leaves it out).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
scripts/check_layers.sh
(cd build && ctest --output-on-failure -j "$(nproc)" "$@")
if [[ ${FUZZ_SECONDS:-10} != 0 ]]; then
  scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
fi
