#!/usr/bin/env bash
# Issue 4's "done when", through rectifyctl against the real binary (the
# README's accountability walk-through): a street office and the community's
# parties sign a responsibility letter; the office's work plan is returned by
# the property-management centre, resubmitted and approved; a task goes overdue
# and the scheduler escalates it step by step (reminder, then urging); a
# penalty is proposed and issued; and a legal case reaches the enforcement
# bureau, whose watcher was offline when it happened and prints it when back.
#   accountability_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="accountability cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo 127.0.0.1:0 --scheduler_period=1s
as() { local who=$1; shift; RECTIFY_TOKEN=demo-$who "$ctl" "$@"; }
field() { sed -n "s/^$1: *//p"; }

# The bureau's integration reads what there is for it, then goes offline.
as bureau watch --once --cursor-file "$dir/cursor" >/dev/null

# 1. The responsibility letter (责任书): drafted by the office, signed by every party.
letter=$(as street letters draft --campaign demo --community cm-xingfu \
  --indicator 垃圾日产日清 --indicator 楼道无杂物 --responsibilities 街道牵头，物业落实，业委会监督 \
  --from 2024-05-01 --to 2024-12-31 | field id)
[[ -n $letter ]] || fail "no letter id"
as street letters sign "$letter" >/dev/null || fail "the office's signature"
as committee letters sign "$letter" >/dev/null || fail "the committee's signature"
out=$(as property letters sign "$letter") || fail "the company's signature"
grep -Eq "^state: +signed$" <<<"$out" || fail "not signed after the last party: $out"

# 2. The work plan (工作方案/经费预算): returned with comments, resubmitted, approved.
plan=$(as street plans save --campaign demo --item "更换3号楼垃圾箱|zhang-wei|800|property_company" |
  field plan)
[[ -n $plan ]] || fail "no plan id"
as street plans submit "$plan" >/dev/null || fail "submit"
as centre plans return "$plan" --comments 缺楼道清理经费 >/dev/null || fail "return"
as street plans save --plan "$plan" --item "更换3号楼垃圾箱|zhang-wei|800|property_company" \
  --item "清理楼道杂物|li-min|300|street_office" >/dev/null || fail "save again"
as street plans submit "$plan" >/dev/null || fail "resubmit"
out=$(as centre plans approve "$plan") || fail "approve"
grep -Eq "^state: +approved$" <<<"$out" &&
  grep -q "^revision 1: .*; returned by he-li .*「缺楼道清理经费」" <<<"$out" &&
  grep -q "^revision 2: .*; approved by he-li" <<<"$out" || fail "the plan's history: $out"
out=$(as street --output=csv budget --campaign demo --office so-xingfu)
grep -q "^street_office,300.00,300.00," <<<"$out" || fail "the approved budget: $out"

# 3. A task goes overdue: the scheduler reminds, then urges, each step once.
task=$(as street tasks create --campaign demo --community cm-xingfu --category sanitation \
  --title 5号楼垃圾满溢 | field id)
[[ -n $task ]] || fail "no task id"
as street tasks dispatch "$task" --org pc-tahe \
  --deadline "$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null || fail "dispatch"
wait_for_event() {
  for _ in $(seq 100); do
    as street tasks history "$task" | grep -q "$1" && return 0
    sleep 0.1
  done
  fail "no $1 event for $task: $(as street tasks history "$task")"
}
wait_for_event task.reminded
as street tasks history "$task" | grep -q task.urged && fail "urged before the deadline"
wait_for_event task.urged
sleep 1.5  # more scheduler passes: each step stays applied once
history=$(as street tasks history "$task")
[[ $(grep -c task.reminded <<<"$history") -eq 1 && $(grep -c task.urged <<<"$history") -eq 1 ]] ||
  fail "a step repeated: $history"

# 4. A penalty proposed for it and issued.
penalty=$(as supervisor penalties propose --campaign demo --org pc-tahe --kind notice_of_criticism \
  --reason "5号楼垃圾逾期未清运" --task "$task" | field id)
[[ -n $penalty ]] || fail "no penalty id"
out=$(as supervisor penalties issue "$penalty") || fail "issue"
[[ $out == *issued* ]] || fail "not issued: $out"

# 5. A legal case up the ladder to the enforcement bureau.
case=$(as property legal open --campaign demo --community cm-tuanjie --kind illegal_construction \
  --place 7号楼北侧 --offender 7号楼102住户 --note 已书面通知限期拆除 | field id)
for step in dissuade stop report; do as property legal "$step" "$case" --note "$step" >/dev/null; done
as street legal escalate "$case" --note 拒不整改，移交执法局 >/dev/null || fail "escalate"

# The bureau comes back online: the escalation is printed, nothing of the tasks.
as bureau watch --once --cursor-file "$dir/cursor" >"$dir/seen"
grep -q "legal_case.escalated  legal_cases/$case " "$dir/seen" || fail "the bureau missed it: $(cat "$dir/seen")"
! grep -q "tasks/" "$dir/seen" || fail "the bureau saw tasks: $(cat "$dir/seen")"
pass
