#!/usr/bin/env bash
# The performance suite in one command: builds Release (build-release/) if
# needed, loads the 1,000,000-task benchmark database once (kept in
# $BENCH_DIR, default /tmp/rectify-bench; delete it to reload), runs the echo
# ceiling, the floors of a durable write (echo answered once on disk) and
# every scenario at 1, 8, 64 and 256 calls in flight, prints the table and
# writes it to bench/results.md (BENCHMARKS.md-ready).
#   scripts/bench.sh                       # the full suite
#   BENCH_DURATION=2s BENCH_TASKS=100000 scripts/bench.sh   # a quicker look
# Timings are only meaningful on a quiet machine: nothing else compiling.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD=${BENCH_BUILD:-build-release}
BENCH_DIR=${BENCH_DIR:-/tmp/rectify-bench}
TASKS=${BENCH_TASKS:-1000000}
DURATION=${BENCH_DURATION:-5s}
CONCURRENCY=${BENCH_CONCURRENCY:-1,8,64,256}
mkdir -p "$BENCH_DIR"
if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    $(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake --build "$BUILD" -j "$(nproc)" --target rectify-bench rectify-server bench-echo-server
db=$BENCH_DIR/bench-$TASKS.db
{
  "$BUILD/bin/rectify-bench" --server="$BUILD/bin/rectify-server" \
    --echo_server="$BUILD/bin/bench-echo-server" --data_dir=data --db="$db" --tasks="$TASKS" \
    --duration="$DURATION" --concurrency="$CONCURRENCY" --work_dir="$BENCH_DIR"
  echo "- SQLite $(sqlite3 --version | cut -d' ' -f1) (Debian 12 libsqlite3); run $(date -u +%FT%TZ)"
} > bench/results.md.new
mv bench/results.md.new bench/results.md
cat bench/results.md
