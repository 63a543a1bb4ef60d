#!/usr/bin/env bash
# `rectifyctl watch` as an integration uses it: it keeps a cursor file, picks up
# exactly where it stopped after being offline, and rides out a restart of the
# server while following.
#   watch_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="watch cli"
source "$(dirname "$0")/demo_server.sh" "$@"
watcher=""
cleanup_hooks+=('[[ -n $watcher ]] && kill "$watcher" 2>/dev/null')

start_demo
port=$(cat "$dir/port")
export RECTIFY_TOKEN=demo-supervisor

# First read: everything so far; the cursor file holds the last seq.
"$ctl" watch --once --cursor-file "$dir/cursor" >"$dir/first"
first_last=$(cat "$dir/cursor")
[[ $first_last -gt 50 ]] || fail "expected the demo's history, cursor is $first_last"
tail -1 "$dir/first" | grep -q "^#$first_last " || fail "last line is not #$first_last"

# Offline: the watcher is not running while work happens and the server restarts.
RECTIFY_TOKEN=demo-street "$ctl" tasks dispatch T-11 --org pc-tahe >/dev/null
stop_demo
start_demo "127.0.0.1:$port"
RECTIFY_TOKEN=demo-property "$ctl" tasks ack T-11 >/dev/null

"$ctl" watch --once --cursor-file "$dir/cursor" --type task. >"$dir/second"
[[ $(wc -l <"$dir/second") -eq 2 ]] || fail "expected exactly 2 new task events: $(cat "$dir/second")"
head -1 "$dir/second" | grep -q "task.dispatched  tasks/T-11" || fail "missed the dispatch"
tail -1 "$dir/second" | grep -q "task.acknowledged  tasks/T-11" || fail "missed the acknowledgement"
[[ $(head -1 "$dir/second" | sed 's/^#\([0-9]*\).*/\1/') -gt $first_last ]] || fail "replayed old events"

# Following across a restart: the watcher reconnects and goes on.
"$ctl" watch --cursor-file "$dir/cursor" --type task. >"$dir/follow" 2>"$dir/follow.err" &
watcher=$!
sleep 0.5
stop_demo
sleep 0.5
start_demo "127.0.0.1:$port"
RECTIFY_TOKEN=demo-property "$ctl" tasks start T-11 >/dev/null
for _ in $(seq 100); do grep -q "task.started  tasks/T-11" "$dir/follow" && break; sleep 0.1; done
grep -q "task.started  tasks/T-11" "$dir/follow" || fail "the follower missed the start: $(cat "$dir/follow.err")"
grep -q "reconnecting" "$dir/follow.err" || fail "the follower did not say it reconnected"
pass
