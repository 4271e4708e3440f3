"""Benchmark of issue #18 (平安建设动态评估 pages are slow): the safety index's pages as a leader opens them, through
Django's test client on the Caoyang demo, on SQLite and on PostgreSQL. Limits: a 居委's page ≤ 500 ms and the
12-month trend ≤ 1 s (the wall-clock p95).

For each database the demo is built in a fresh bench database, unless ``--reuse`` names one already built (a
JIEDAO_DATA_DIR for SQLite, a database name for PostgreSQL). Signed in as the demo's subdistrict leader, each
page is requested ``--runs`` times for the current month (open, as a leader opens it by default), last month
and, while last month is still open (``inspections.safety.counts.SETTLE_DAYS``), the latest closed month, a
different 居委 or grid each time. Before each of the current month's requests a new safety case is reported
(through the cases service), so every one of them sees an event the one before did not. Printed per page: the
median and p95 of the wall-clock time (the limits apply to it; on a shared machine it includes the waiting for
a core, so the load average is printed too), those of the CPU time (the request runs in this process, so its
CPU time is the server's, the database's own excepted for PostgreSQL) and the queries of one request. First,
the trend once the stored months are deleted (it counts and stores them again, as the first request after a
deployment does). The bench writes to the database it measures: the cases it reports, the months it stores.

    .venv/bin/python bench/safety_pages.py [--db sqlite|pg|both] [--reuse DIR_OR_DB] [--runs 10]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from _common import ROOT, setup_database, use_database

COMMUNITY_LIMIT_MS = 500.0
TREND_LIMIT_MS = 1000.0
DATABASE = "jiedao_bench_safety"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def measure(runs: int) -> int:
    """In a process whose environment points at the bench database: time the pages."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jiedao.cases import services as case_services
    from jiedao.cases.models import Channel
    from jiedao.core.models import Subdistrict, User
    from jiedao.geo.models import Community, Grid
    from jiedao.inspections.models import SafetyMonth
    from jiedao.inspections.safety import counts, index

    sub = Subdistrict.objects.get(code="310107005")
    leader = User.objects.get(username="leader")
    operator = User.objects.get(username="operator")
    communities = list(Community.objects.filter(subdistrict=sub).order_by("pk").values_list("pk", flat=True))
    grids = list(Grid.objects.filter(subdistrict=sub).order_by("pk").values_list("pk", flat=True))
    current = timezone.localdate().replace(day=1)
    client = Client()
    client.force_login(leader)

    def pages(month):
        q = f"?month={month:%Y-%m}"
        return [("ranking", lambda i: f"/safety/{q}"),
                ("trend", lambda i: f"/safety/trend/{q}"),
                ("community", lambda i: f"/safety/communities/{communities[i % len(communities)]}/{q}"),
                ("grid", lambda i: f"/safety/grids/{grids[i * 7 % len(grids)]}/{q}"),
                ("api index", lambda i: f"/api/v1/safety/index{q}")]

    def new_case(i: int) -> None:
        """A 飞线充电 case reported now in one of the 居委 (the current month's events change)."""
        c = Community.objects.get(pk=communities[i % len(communities)])
        point = c.grids.exclude(geometry__isnull=True).first()
        ring = point.geometry["coordinates"][0]
        lon, lat = sum(p[0] for p in ring[:-1]) / (len(ring) - 1), sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        case_services.intake(subdistrict=sub, channel=Channel.HOTLINE, description="楼道里有人拉电线给电瓶车充电",
                             by=operator, category="S0802", lat=lat, lon=lon, reported_at=timezone.now())

    # The process's first requests import the URL configuration and read a cold disk: not timed.
    for _name, url in pages(current):
        assert client.get(url(0)).status_code == 200, url(0)
    # The first trend once months have closed counts them and stores them (the months' rows, SafetyMonth).
    SafetyMonth.objects.filter(subdistrict=sub).delete()
    started = time.perf_counter()
    assert client.get(f"/safety/trend/?month={current:%Y-%m}").status_code == 200
    first = (time.perf_counter() - started) * 1000
    stored = SafetyMonth.objects.filter(subdistrict=sub).count()
    db = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"safety trend page, first request after {stored} months closed [{db}]: {first:.0f} ms (counts and "
          f"stores them)")
    last = index.previous_month(current)
    closed = last if counts.is_closed(last) else index.previous_month(last)
    measured = [("current month (open)", current, True),
                (f"last month ({'closed' if closed == last else 'open'})", last, False)]
    if closed != last:
        measured.append(("the latest closed month", closed, False))
    worst = {"community": 0.0, "trend": 0.0}
    for label, month, live in measured:
        for name, url in pages(month):
            times, cpu = [], []
            for i in range(runs):
                if live:
                    new_case(i)
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url(i))
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                assert response.status_code == 200, (url(i), response.status_code)
            if live:
                new_case(runs)
            with CaptureQueriesContext(connection) as queries:
                client.get(url(runs))
            if name in worst:
                worst[name] = max(worst[name], p95(times))
            limit = {"community": COMMUNITY_LIMIT_MS, "trend": TREND_LIMIT_MS}.get(name)
            print(f"safety {name} page, {label} {month:%Y-%m} [{db}]: median {statistics.median(times):.0f} ms, "
                  f"p95 {p95(times):.0f} ms over {runs} requests"
                  + (f" (limit {limit:.0f} ms, {'ok' if p95(times) <= limit else 'OVER'})" if limit else "")
                  + f"; CPU median {statistics.median(cpu):.0f} ms, p95 {p95(cpu):.0f} ms; {len(queries)} queries")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    ok = worst["community"] <= COMMUNITY_LIMIT_MS and worst["trend"] <= TREND_LIMIT_MS
    return 0 if ok else 1


def run(db: str, args) -> int:
    environ = dict(os.environ)
    if args.reuse:
        use_database(environ, args.reuse if db == "pg" else None,
                     os.environ.get("JIEDAO_DATA_DIR", "") if db == "pg" else args.reuse)
    else:
        folder = tempfile.mkdtemp(prefix=f"safety-pages-{db}-")
        environ = setup_database(DATABASE if db == "pg" else None, folder)
    environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    return subprocess.run([sys.executable, __file__, "--measure", "--runs", str(args.runs)], env=environ,
                          cwd=ROOT).returncode


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--reuse", default="", help="an already built demo: a data folder (sqlite) or a database")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.runs)
    return max(run(db, args) for db in (("sqlite", "pg") if args.db == "both" else (args.db,)))


if __name__ == "__main__":
    sys.exit(main())
