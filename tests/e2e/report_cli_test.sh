#!/usr/bin/env bash
# The supervisors' view through rectifyctl against the real binary and the
# demo city: overdue tasks worst first, metrics with numerators and
# denominators, a drill-down whose rows equal its figure, the weekly summary
# and the monthly bulletin as a table, CSV, Markdown and one self-contained
# HTML page whose charts are checked with python3's html.parser.
#   report_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="report cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo
sup() { RECTIFY_TOKEN=demo-supervisor "$ctl" "$@"; }
street() { RECTIFY_TOKEN=demo-street "$ctl" "$@"; }

# Overdue, worst first: the deadlines ascend.
# CSV lines end in CRLF (RFC 4180); the checks read them without the CR.
csv() { tr -d '\r'; }
sup reports overdue --campaign demo --format csv | csv >"$dir/overdue.csv"
[[ $(head -1 "$dir/overdue.csv") == "Tasks" ]] || fail "overdue csv title: $(head -3 "$dir/overdue.csv")"
rows=$(($(wc -l <"$dir/overdue.csv") - 2))
[[ $rows -ge 1 ]] || fail "no overdue task in the demo: $(cat "$dir/overdue.csv")"
tail -n +3 "$dir/overdue.csv" | cut -d, -f8 >"$dir/deadlines"
sort -c "$dir/deadlines" || fail "overdue not worst first: $(cat "$dir/deadlines")"
sup reports overdue --campaign demo --min-days 100000 --format csv | csv | tail -n +3 | grep -q . &&
  fail "--min-days 100000 still lists tasks"

# Metrics of the street offices this month, in CSV: each figure with its
# numerator and denominator; the city's disposal denominator drills down to
# exactly that many tasks.
sup reports metrics --campaign demo --unit city --format csv | csv >"$dir/city.csv"
den=$(awk -F, '$1=="" && $2=="disposal" {print $5}' "$dir/city.csv")
num=$(awk -F, '$1=="" && $2=="disposal" {print $4}' "$dir/city.csv")
[[ -n $den && $den -gt 0 ]] || fail "no disposal figure: $(cat "$dir/city.csv")"
drilled=$(sup reports drill --campaign demo --metric disposal --denominator --all --format csv |
  csv | tail -n +3 | grep -c . || true)
[[ $drilled -eq $den ]] || fail "drill-down lists $drilled tasks, the figure is $den"
drilled=$(sup reports drill --campaign demo --metric disposal --all --format csv |
  csv | tail -n +3 | grep -c . || true)
[[ $drilled -eq $num ]] || fail "drill-down lists $drilled tasks, the numerator is $num"
sup reports metrics --campaign demo >"$dir/metrics.txt"
grep -q "幸福路街道" "$dir/metrics.txt" || fail "metrics table: $(cat "$dir/metrics.txt")"

# A street officer reads her office only; the bulletin is for supervisors.
street reports metrics --campaign demo --unit community --format csv >"$dir/street.csv"
grep -q "cm-xingfu" "$dir/street.csv" || fail "street officer misses her community"
! grep -q "cm-jinyin" "$dir/street.csv" || fail "street officer sees another office"
set +e
out=$(street reports monthly --campaign demo 2>&1); code=$?
set -e
[[ $code -eq 1 && $out == *PERMISSION_DENIED* ]] || fail "street officer read the bulletin: $code $out"

# The weekly summary and the monthly bulletin in every format.
sup reports weekly --campaign demo --format md --out "$dir/weekly.md" 2>/dev/null
grep -q "^# 周检查通报" "$dir/weekly.md" || fail "weekly md: $(cat "$dir/weekly.md")"
sup reports monthly --campaign demo >"$dir/monthly.txt"
grep -q "月通报" "$dir/monthly.txt" || fail "monthly table: $(head "$dir/monthly.txt")"
sup reports monthly --campaign demo --format csv --out "$dir/monthly.csv" 2>/dev/null
csv <"$dir/monthly.csv" | grep -q "^Budget by payer$" || fail "monthly csv: $(cat "$dir/monthly.csv")"
sup reports monthly --campaign demo --format md --out "$dir/monthly.md" 2>/dev/null
grep -q "^## 红榜" "$dir/monthly.md" || fail "monthly md: $(cat "$dir/monthly.md")"
sup reports monthly --campaign demo --format html --out "$dir/monthly.html" 2>/dev/null
sup reports monthly --campaign demo --output json >"$dir/monthly.json"

# The page: well formed, self-contained (no script, no external reference),
# Chinese, one bar per ranked unit with a score, lines for the rates.
python3 - "$dir/monthly.html" "$dir/monthly.json" <<'PY' || fail "the HTML page is not right"
import json, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.charts, self.lines, self.text = [], [], [], 0, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "link", "iframe", "img", "object", "embed"):
            self.errors.append("has <%s>" % tag)
        for k, v in attrs:
            if k in ("href", "src") or (v and ("http://" in v or "https://" in v) and k != "xmlns"):
                self.errors.append("external reference %s=%s" % (k, v))
        if tag == "svg":
            self.charts.append(0)
        if tag == "rect" and a.get("class") == "bar":
            self.charts[-1] += 1
        if tag == "polyline" and a.get("class") == "line":
            self.lines += 1
        if tag not in ("meta", "circle", "rect", "line", "polyline"):
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
    def handle_endtag(self, tag):
        if tag in ("meta", "circle", "rect", "line", "polyline"):
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
        else:
            self.stack.pop()
    def handle_data(self, data):
        self.text.append(data)

page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
bulletin = json.load(open(sys.argv[2], encoding="utf-8"))
text = "".join(page.text)
problems = list(page.errors)
if page.stack:
    problems.append("unclosed: %s" % page.stack)
for word in ("月通报", "红榜", "黑榜", "考核得分排名", "检查得分排名", "经费"):
    if word not in text:
        problems.append("no %s" % word)
# Each ranking with a scored unit draws one bar per scored unit, in order.
expected = [sum(1 for u in r.get("units", []) if u.get("has_value")) for r in bulletin.get("rankings", [])]
expected = [n for n in expected if n > 0]
bars = [n for n in page.charts if n > 0]
if bars != expected:
    problems.append("bars per chart %s, expected %s" % (bars, expected))
if page.lines != 9:
    problems.append("%d lines in the rates chart, expected 9" % page.lines)
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("html ok: %d bar charts, %d lines" % (len(bars), page.lines))
PY

stop_demo
pass
