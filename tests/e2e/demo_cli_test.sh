#!/usr/bin/env bash
# The README's promise, checked: the server started with --demo serves a city
# whose overdue tasks rectifyctl lists, and the walk-through's first steps work.
#   demo_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="demo cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo

# The supervisor's overdue list: the demo has four overdue tasks.
overdue=$(RECTIFY_TOKEN=demo-supervisor "$ctl" --output=csv tasks list --overdue --order-by deadline)
rows=$(($(printf '%s\n' "$overdue" | wc -l) - 1))
[[ $rows -eq 4 ]] || fail "expected 4 overdue tasks, got $rows: $overdue"

# The walk-through: dispatch the volunteer's report, work it, verify it.
RECTIFY_TOKEN=demo-street "$ctl" tasks dispatch T-11 --org pc-tahe >/dev/null || fail "dispatch"
RECTIFY_TOKEN=demo-property "$ctl" tasks ack T-11 >/dev/null || fail "ack"
RECTIFY_TOKEN=demo-property "$ctl" tasks start T-11 >/dev/null || fail "start"
RECTIFY_TOKEN=demo-property "$ctl" tasks submit T-11 \
  --evidence "https://photos.example/T-11.jpg#$(printf after | sha256sum | cut -c1-64)" \
  --actual 120.50 >/dev/null || fail "submit"
set +e
out=$(RECTIFY_TOKEN=demo-property "$ctl" tasks verify T-11 2>&1)
code=$?
set -e
[[ $code -eq 1 && $out == *PERMISSION_DENIED* ]] || fail "a company verifying its own work: $code $out"
RECTIFY_TOKEN=demo-street "$ctl" tasks verify T-11 --comment 现场核查通过 >/dev/null || fail "verify"
state=$(RECTIFY_TOKEN=demo-street "$ctl" --output=json tasks get T-11)
[[ $state == *TASK_STATE_CLOSED* ]] || fail "T-11 is not closed: $state"
# Penalties: the scheduler's pass at start proposed some from the escalation
# policy; a supervisor proposes and issues one more, a company may not issue.
export RECTIFY_TOKEN=demo-supervisor
proposed=$("$ctl" --output=csv penalties list --state proposed --org pc-tahe | tail -n +2 | wc -l)
[[ $proposed -ge 1 ]] || fail "the escalation policy proposed no penalty against pc-tahe"
"$ctl" penalties propose --campaign demo --org pc-huyang --kind fine --amount 2000 \
  --reason 违章搭建逾期未处置 --task T-4 >"$dir/proposed" || fail "propose"
id=$(sed -n 's/^id: *//p' "$dir/proposed")
[[ -n $id ]] || fail "no penalty id in: $(cat "$dir/proposed")"
set +e
out=$(RECTIFY_TOKEN=demo-property "$ctl" penalties issue "$id" 2>&1)
code=$?
set -e
[[ $code -eq 1 && $out == *PERMISSION_DENIED* ]] || fail "a company issuing a penalty: $code $out"
"$ctl" penalties issue "$id" >/dev/null || fail "issue"
issued=$("$ctl" --output=csv penalties list --state issued --org pc-huyang)
[[ $issued == *"$id"*"200000"* || $issued == *"$id"*"2000.00"* ]] || fail "not issued: $issued"
pass
