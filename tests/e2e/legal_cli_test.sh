#!/usr/bin/env bash
# A legal case from the property company's notice to the enforcement bureau's
# close, through rectifyctl: the bureau's watcher is offline while the case is
# escalated and still gets it, and sees nothing of the ordinary tasks.
#   legal_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="legal cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo
company() { RECTIFY_TOKEN=demo-property "$ctl" "$@"; }
street() { RECTIFY_TOKEN=demo-street "$ctl" "$@"; }
bureau() { RECTIFY_TOKEN=demo-bureau "$ctl" "$@"; }
field() { sed -n "s/^$1: *//p"; }

# The bureau's integration has read everything there is for it, then goes offline.
bureau watch --once --cursor-file "$dir/cursor" >/dev/null
before=$(cat "$dir/cursor" 2>/dev/null || echo 0)

sha=$(printf photo | sha256sum | cut -c1-64)
id=$(company legal open --campaign demo --community cm-tuanjie --kind illegal_construction \
  --place 7号楼北侧 --offender 7号楼102住户 --note 已书面通知限期拆除 \
  --evidence "demo://photos/notice.jpg#$sha" | field id)
[[ -n $id ]] || fail "no case id"
company legal dissuade "$id" --note 上门劝阻 >/dev/null || fail "dissuade"
company legal stop "$id" --note 现场制止施工 >/dev/null || fail "stop"
company legal report "$id" --note 拒不整改，上报街道 >/dev/null || fail "report"
set +e
out=$(bureau legal acknowledge "$id" 2>&1); code=$?
set -e
[[ $code -eq 1 && $out == *FAILED_PRECONDITION* ]] || fail "acknowledged before escalation: $code $out"
street legal escalate "$id" --note 住户拒不执行整改，移交执法局 >/dev/null || fail "escalate"

# Back online: the escalation is there, from where the bureau stopped.
bureau watch --once --cursor-file "$dir/cursor" >"$dir/seen"
grep -q "legal_cases/$id" "$dir/seen" || fail "the bureau did not get the case: $(cat "$dir/seen")"
grep -q "escalated" "$dir/seen" || fail "no escalation event: $(cat "$dir/seen")"
! grep -q "tasks/" "$dir/seen" || fail "the bureau saw ordinary tasks: $(cat "$dir/seen")"
[[ $(head -1 "$dir/seen" | sed 's/^#\([0-9]*\).*/\1/') -gt $before ]] || fail "replayed old events"

bureau legal acknowledge "$id" >/dev/null || fail "acknowledge"
bureau legal act "$id" --note 下达限期拆除通知书 >/dev/null || fail "act"
bureau legal close "$id" --result resolved --text 违章搭建已拆除 >/dev/null || fail "close"
state=$(bureau --output=json legal get "$id")
[[ $state == *CLOSED* ]] || fail "not closed: $state"
[[ $(RECTIFY_TOKEN=demo-supervisor "$ctl" --output=csv legal list --escalated | grep -c "$id") -eq 1 ]] ||
  fail "not in the escalated list"
pass
