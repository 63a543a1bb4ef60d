#!/usr/bin/env bash
# Soak and overload through the real binary and the client library.
#   scripts/soak.sh [MINUTES] [CLIENTS]     (defaults: 10 minutes, 64 clients;
#                                            0 minutes: the overload check alone)
# 1. Soak: CLIENTS concurrent clients for MINUTES (create, dispatch, urge, get,
#    list, void); the server's RSS is sampled every 5 s. Fails on any error, or
#    if RSS at the end exceeds RSS after the first minute by more than 25% + 16 MB.
# 2. Overload: a server with --max_inflight=16 under 128 clients for 20 s must
#    refuse only with RESOURCE_EXHAUSTED (and do so), then serve 8 clients for
#    10 s with no error: it recovers when the load drops.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
CLIENTS=${2:-64}
[[ -x build/bin/rectify-server && -x build/bin/rectify-soak ]] || scripts/build.sh
cmake --build build --target rectify-server rectify-soak >/dev/null
BIN=build/bin
WORK=$(mktemp -d /tmp/rectify-soak-XXXXXX)
SERVER_PID=""
SAMPLER_PID=""
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT

start_server() {  # name, extra flags...
  local name=$1
  shift
  rm -f "$WORK/$name.port"
  "$BIN/rectify-server" --listen=127.0.0.1:0 --db="$WORK/$name.db" --port_file="$WORK/$name.port" \
    --data_dir=data --scheduler_period=0 --rate_limit=0 "$@" 2>"$WORK/$name.log" &
  SERVER_PID=$!
  for _ in $(seq 1 250); do
    [[ -s $WORK/$name.port ]] && break
    sleep 0.02
  done
  PORT=$(cat "$WORK/$name.port")
}
stop_server() {
  kill "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=""
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

status=0
if ((MINUTES > 0)); then
echo "soak: $CLIENTS clients for $MINUTES min (work dir $WORK)"
start_server soak
(
  t=0
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    echo "$t $(rss_kb "$SERVER_PID")" >>"$WORK/rss.log"
    sleep 5
    t=$((t + 5))
  done
) &
SAMPLER_PID=$!
"$BIN/rectify-soak" --addr "127.0.0.1:$PORT" --token_file "$WORK/soak.db.admin-token" \
  --clients "$CLIENTS" --seconds $((MINUTES * 60)) --seed_city || status=$?
END_RSS=$(rss_kb "$SERVER_PID")
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
stop_server
START_RSS=$(awk 'NR == 1 {print $2}' "$WORK/rss.log")
WARM_RSS=$(awk '$1 >= 60 {print $2; exit}' "$WORK/rss.log")
WARM_RSS=${WARM_RSS:-$START_RSS}
MAX_RSS=$(awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$WORK/rss.log")
echo "soak: server RSS start ${START_RSS} kB, after 1 min ${WARM_RSS} kB, end ${END_RSS} kB, max ${MAX_RSS} kB ($(wc -l <"$WORK/rss.log") samples in $WORK/rss.log)"
if ((END_RSS > WARM_RSS * 125 / 100 + 16384)); then
  echo "soak: FAILED: memory grew from ${WARM_RSS} kB to ${END_RSS} kB"
  status=1
fi
ls -l "$WORK/soak.db" | awk '{print "soak: database " $5 " bytes"}'
fi

echo "overload: --max_inflight=16, 128 clients for 20 s, then 8 clients for 10 s"
start_server overload --max_inflight=16
"$BIN/rectify-soak" --addr "127.0.0.1:$PORT" --token_file "$WORK/overload.db.admin-token" \
  --clients 128 --seconds 20 --seed_city --allow RESOURCE_EXHAUSTED >"$WORK/overload.out" ||
  { echo "overload: FAILED: an error other than RESOURCE_EXHAUSTED past capacity"; status=1; }
grep -v ' s .*calls ok' "$WORK/overload.out" || true
grep -q 'RESOURCE_EXHAUSTED=' "$WORK/overload.out" ||
  { echo "overload: FAILED: nothing was refused past capacity"; status=1; }
"$BIN/rectify-soak" --addr "127.0.0.1:$PORT" --token_file "$WORK/overload.db.admin-token" \
  --clients 8 --seconds 10 >"$WORK/recovered.out" ||
  { echo "overload: FAILED: errors after the load dropped"; status=1; }
grep -v ' s .*calls ok' "$WORK/recovered.out" || true
stop_server
if ((status == 0)); then
  echo "soak: passed"
  rm -rf "$WORK"
else
  echo "soak: FAILED (files in $WORK)"
fi
exit $status
