#!/usr/bin/env bash
# Volunteers through rectifyctl against the demo city: the street office's
# assignments, the volunteer's problem report that became T-11, a report
# refused outside the volunteer's communities and accepted once assigned, an
# on-site check of a submitted task that the office's verification records.
#   volunteer_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="volunteer cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo
street() { RECTIFY_TOKEN=demo-street "$ctl" "$@"; }
company() { RECTIFY_TOKEN=demo-property "$ctl" "$@"; }
volunteer() { RECTIFY_TOKEN=demo-volunteer "$ctl" "$@"; }
field() { sed -n "s/^$1: *//p"; }
sha=$(printf photo | sha256sum | cut -c1-64)

# The demo: zhou-xue is assigned to 幸福小区 and reported T-11 there; 钱宇
# checked T-7 on site.
street volunteers list >"$dir/list"
grep -q "zhou-xue *cm-xingfu" "$dir/list" || fail "no demo assignment: $(cat "$dir/list")"
street --output=csv volunteers reports --task T-11 >"$dir/t11"
grep -q "problem,T-11,cm-xingfu,zhou-xue" "$dir/t11" || fail "T-11 has no report: $(cat "$dir/t11")"
RECTIFY_TOKEN=demo-supervisor "$ctl" --output=csv volunteers reports --task T-7 \
  --kind onsite_check >"$dir/t7"
grep -q "onsite_check,T-7,cm-jinyin,qian-yu,fixed" "$dir/t7" || fail "T-7 unchecked: $(cat "$dir/t7")"

# Not assigned to 团结小区: refused, naming the community and who assigns.
set +e
out=$(volunteer volunteers report --campaign demo --community cm-tuanjie --category order \
  --title 楼道堆放杂物 2>&1); code=$?
set -e
[[ $code -eq 1 && $out == *PERMISSION_DENIED* && $out == *cm-tuanjie* && $out == *so-xingfu* ]] ||
  fail "an unassigned report: $code $out"
assignment=$(street volunteers assign --campaign demo --volunteer zhou-xue --community cm-tuanjie |
  field id)
[[ -n $assignment ]] || fail "no assignment id"
volunteer volunteers report --campaign demo --community cm-tuanjie --category order \
  --title 楼道堆放杂物 --description 2单元楼道堆放纸箱 --evidence "demo://photos/hall.jpg#$sha" \
  >"$dir/report"
task=$(field task <"$dir/report")
[[ -n $task && $(field state <"$dir/report") == open &&
   $(field source <"$dir/report") == volunteer_report ]] || fail "report: $(cat "$dir/report")"

# The office works it; the volunteer checks it on site before verification.
street tasks dispatch "$task" --org pc-tahe >/dev/null || fail "dispatch"
company tasks ack "$task" >/dev/null || fail "ack"
company tasks start "$task" >/dev/null || fail "start"
set +e
out=$(volunteer volunteers check "$task" --finding fixed 2>&1); code=$?
set -e
[[ $code -eq 1 && $out == *FAILED_PRECONDITION* && $out == *IN_PROGRESS* ]] ||
  fail "a check before submission: $code $out"
company tasks submit "$task" --evidence "demo://photos/hall-after.jpg#$sha" >/dev/null ||
  fail "submit"
check=$(volunteer volunteers check "$task" --finding fixed --note 楼道已清理 | field id)
[[ -n $check ]] || fail "no check id"
street --output=json tasks verify "$task" >"$dir/verified" || fail "verify"
grep -q "\"onsite_checks\": *\"$check:FIXED\"" "$dir/verified" ||
  fail "the verification does not name the check: $(cat "$dir/verified")"
street tasks history "$task" >"$dir/history"
grep -q "checked_on_site" "$dir/history" || fail "no check in the history: $(cat "$dir/history")"

# The office withdraws the assignment: reporting there stops.
street volunteers end "$assignment" >/dev/null || fail "end"
set +e
out=$(volunteer volunteers report --campaign demo --community cm-tuanjie --category order \
  --title 又见堆物 2>&1); code=$?
set -e
[[ $code -eq 1 && $out == *PERMISSION_DENIED* ]] || fail "a report after the end: $code $out"
pass
