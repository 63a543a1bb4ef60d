#!/usr/bin/env python3
"""Fills a rectify database with a large city for timing the supervisors' view.

    bench/report_load.py DB [TASKS]

DB must have been created (migrated) by rectify-server (start it once on DB
and stop it). Adds a campaign 'perf', 20 street offices, 200
communities, 20 property companies and TASKS tasks (default 1,000,000) spread
over May to October 2024 in every state, by raw SQL in the current schema's
columns (the directory and tasks only; no events). Then time, against a server
on DB:
    rectifyctl reports monthly --campaign perf --month 2024-07 --format csv
    rectifyctl reports metrics --campaign perf --unit community --month 2024-07
    rectifyctl reports overdue --campaign perf --street-office so-3 --min-days 2
"""
import random
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rnd = random.Random(42)
US = 1_000_000
T0 = 1714492800 * US  # 2024-04-30 16:00 UTC = 2024-05-01 00:00 +08:00
SPAN = 184 * 86400 * US
cur = db.cursor()
cur.execute("BEGIN")
cur.execute("INSERT INTO campaigns (id, name, city, time_zone, self_check_start, rectification_start,"
            " final_assault_start, close_date, phase, max_extensions, version)"
            " VALUES ('perf', '压力测试', '某市', 'Asia/Shanghai', '2024-04-01', '2024-05-01',"
            " '2024-10-01', '2024-11-01', 3, 2, 1)")
for s in range(20):
    cur.execute("INSERT INTO organisations (id, kind, name, head_person_id, street_office_id, version)"
                " VALUES (?, 4, ?, '', NULL, 1)", (f"so-{s}", f"街道{s}"))
    cur.execute("INSERT INTO organisations (id, kind, name, head_person_id, street_office_id, version)"
                " VALUES (?, 6, ?, '', NULL, 1)", (f"pc-{s}", f"物业{s}"))
for c in range(200):
    cur.execute("INSERT INTO communities (id, name, address, street_office_id, property_company_id,"
                " owners_committee_id, version) VALUES (?, ?, '', ?, ?, NULL, 1)",
                (f"cm-{c}", f"小区{c}", f"so-{c % 20}", f"pc-{c % 20}"))
cols = ("id, campaign_id, community_id, street_office_id, category, source, title, description,"
        " standard_item, inspection_id, responsible_org_id, responsible_person_id,"
        " budget_planned_fen, budget_actual_fen, budget_payer, evidence, urgings, ext_pending,"
        " state, sla_unit, deadline, rework_count, extension_count, return_count, created_by,"
        " create_time, update_time, dispatch_time, acknowledge_time, submit_time, close_time,"
        " version")
marks = ", ".join("?" * len(cols.split(",")))
rows = []
for i in range(n):
    c = rnd.randrange(200)
    create = T0 + rnd.randrange(SPAN)
    dispatch = create + rnd.randrange(3600 * US)
    deadline = dispatch + 3 * 86400 * US
    state = rnd.choice([2, 3, 4, 5, 6, 6, 6, 6, 7, 8])
    ack = dispatch + rnd.randrange(48 * 3600 * US) if state >= 3 else None
    submit = dispatch + rnd.randrange(6 * 86400 * US) if state in (5, 6) else None
    close = submit + 3600 * US if state == 6 else None
    rows.append((f"T-{i + 1}", "perf", f"cm-{c}", f"so-{c % 20}", "sanitation", 1, "垃圾箱满溢", "",
                 "", None, f"pc-{c % 20}", "", 50000, 42000 if submit else 0, 1 + i % 4, "[]", "[]",
                 0, state, 3, deadline, int(rnd.random() < .1), int(rnd.random() < .05),
                 int(rnd.random() < .03), "bench", create, create, dispatch, ack, submit, close, 1))
    if len(rows) == 50_000:
        cur.executemany(f"INSERT INTO tasks ({cols}) VALUES ({marks})", rows)
        rows = []
if rows:
    cur.executemany(f"INSERT INTO tasks ({cols}) VALUES ({marks})", rows)
cur.execute("COMMIT")
cur.execute("ANALYZE")
print(f"{n} tasks over 200 communities and 20 street offices")
