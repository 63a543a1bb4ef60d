#!/usr/bin/env bash
# A supervisor's week in the demo campaign, through rectifyctl against the real
# binary: inspect two communities (one deduction opening a task), read their
# scores, follow the task through the property company and the street office,
# re-inspect and see the rule cleared and the total risen, and list the
# communities not ready for the final evaluation.
#   campaign_week_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="campaign week cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo
supervisor() { RECTIFY_TOKEN=demo-supervisor "$ctl" "$@"; }
street() { RECTIFY_TOKEN=demo-street "$ctl" "$@"; }
company() { RECTIFY_TOKEN=demo-property "$ctl" "$@"; }
# From a printed sheet: its id, and its total.
sheet_id() { sed -n 's/^inspection: *//p' <<<"$1"; }
sheet_total() { sed -n 's|^total \([0-9]*\) / [0-9]*$|\1|p' <<<"$1"; }

# Monday: the weekly inspection of 幸福小区. Two overflowing bins, for which a
# task is opened at once ('!'), and a badly parked car.
xingfu=$(supervisor inspections record --campaign demo --community cm-xingfu --kind weekly \
  --deduct '2.2bx2!:3号楼东侧' --deduct 3.2a --note 周检查) || fail "record cm-xingfu: $xingfu"
first=$(sheet_id "$xingfu")
first_total=$(sheet_total "$xingfu")
[[ $first == I-* && -n $first_total ]] || fail "no id or total in the sheet: $xingfu"
[[ $xingfu == *"2.2b  垃圾箱满溢每个扣2分"*"×2  −4  task T-"*"3号楼东侧"* ]] ||
  fail "the bins deduction is not shown with its rule, count, points and task: $xingfu"
[[ $xingfu == *"查环境卫生  16/20  (−4)"* ]] || fail "sanitation is not 16/20: $xingfu"
task=$(grep -o 'task T-[0-9]*' <<<"$xingfu" | cut -d' ' -f2)
[[ $(wc -l <<<"$task") -eq 1 && $task == T-* ]] || fail "expected one task opened: $xingfu"

# 团结小区, from a sheet file written on site.
cat >"$dir/tuanjie.sheet" <<'EOF'
# 团结小区 周检查
campaign  demo
community cm-tuanjie
kind      weekly
3.4a 1 5号楼私拉电线充电
2.3a 2 2单元楼道堆物
EOF
tuanjie=$(supervisor inspections record --file "$dir/tuanjie.sheet") ||
  fail "record cm-tuanjie: $tuanjie"
tuanjie_id=$(sheet_id "$tuanjie")
[[ $(sheet_total "$tuanjie") == 57 ]] || fail "cm-tuanjie should score 57 of 60: $tuanjie"
[[ $tuanjie != *"task T-"* ]] || fail "no task was asked for at cm-tuanjie: $tuanjie"

# Their scores, as a spreadsheet would read them.
scores=$(supervisor --output=csv inspections list --campaign demo --kind weekly 2>/dev/null) ||
  fail "inspections list: $scores"
grep -q "^$first,[0-9-]*,cm-xingfu,weekly,$first_total,60,2"$'\r'"$" <<<"$scores" ||
  fail "cm-xingfu's score is not listed: $scores"
grep -q "^$tuanjie_id,[0-9-]*,cm-tuanjie,weekly,57,60,2"$'\r'"$" <<<"$scores" ||
  fail "cm-tuanjie's score is not listed: $scores"

# The opened task: in the community's list, dispatched to its property company.
tasks=$(supervisor --output=csv tasks list --community cm-xingfu 2>/dev/null) ||
  fail "tasks list: $tasks"
grep -q "^$task,dispatched,false,sanitation,2.2 垃圾箱满溢每个扣2分 ×2" <<<"$tasks" ||
  fail "$task is not listed as dispatched: $tasks"
detail=$(supervisor --output=json tasks get "$task") || fail "tasks get: $detail"
for want in "\"inspection_id\": \"$first\"" '"responsible_org_id": "pc-tahe"' \
  '"source": "TASK_SOURCE_INSPECTION"' '"standard_item": "2.2"'; do
  [[ $detail == *"$want"* ]] || fail "$task lacks $want: $detail"
done

# The company does the work; the street office checks it on site.
company tasks ack "$task" >/dev/null || fail "ack $task"
company tasks start "$task" >/dev/null || fail "start $task"
company tasks submit "$task" \
  --evidence "https://photos.example/$task-after.jpg#$(printf emptied | sha256sum | cut -c1-64)" \
  >/dev/null || fail "submit $task"
street tasks verify "$task" --comment 现场核查通过 >/dev/null || fail "verify $task"
state=$(street --output=json tasks get "$task") || fail "tasks get $task as the street office"
[[ $state == *TASK_STATE_CLOSED* ]] || fail "$task is not closed: $state"

# Friday: the re-inspection finds the bins emptied; the car is still there.
again=$(supervisor inspections record --campaign demo --community cm-xingfu --kind weekly \
  --deduct 3.2a) || fail "re-inspect cm-xingfu: $again"
second=$(sheet_id "$again")
second_total=$(sheet_total "$again")
((second_total > first_total)) || fail "the total did not rise: $first_total → $second_total"
comparison="previous: $first ($first_total) → now $second_total; cleared: 2.2b; persisting: 3.2a; new: —"
[[ $again == *"$comparison"* ]] || fail "expected '$comparison' in: $again"
shown=$(supervisor inspections get "$second") || fail "inspections get: $shown"
[[ $shown == *"$comparison"* && $shown == *"查环境卫生  20/20"* ]] ||
  fail "inspections get differs from the recorded sheet: $shown"

# Who is not ready for the final evaluation, and the street office's own view.
readiness=$(supervisor campaigns readiness demo --not-ready) || fail "readiness: $readiness"
[[ $readiness == *"NOT READY"* && $readiness == *cm-xingfu* ]] ||
  fail "cm-xingfu should be listed as not ready: $readiness"
ready_column=$(supervisor --output=csv campaigns readiness demo --not-ready 2>/dev/null |
  tail -n +2 | cut -d, -f3 | sort -u) || fail "readiness --not-ready as CSV"
[[ $ready_column == false ]] || fail "--not-ready listed a ready community: $ready_column"
[[ $(tail -n 1 <<<"$readiness") =~ ^ready:\ [0-9]+\ of\ 6$ ]] ||
  fail "no 'ready: N of 6' footer: $readiness"
mine=$(street --output=csv campaigns readiness demo 2>"$dir/footer") || fail "street readiness"
communities=$(tail -n +2 <<<"$mine" | cut -d, -f1 | sort | tr '\n' ' ')
[[ $communities == "cm-tuanjie cm-xingfu " ]] ||
  fail "the street office should see its two communities, saw: $communities"
[[ $(cat "$dir/footer") =~ ^ready:\ [0-9]+\ of\ 2$ ]] || fail "street footer: $(cat "$dir/footer")"

pass
