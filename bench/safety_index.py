"""Benchmark: the 平安建设动态评估 index for every 居委 and grid of a month ≤ 2 s with a year of demo history,
on SQLite and on PostgreSQL; beside it, the leader's 12-month trend (the ranking page's chart).

For each database: the Caoyang demo (a year of cases, sensor alarms and visits, ~100,000 residents) is built
in a fresh bench database, unless ``--reuse`` names one already built (a JIEDAO_DATA_DIR for SQLite, a
database name for PostgreSQL). The figure is the slowest of ``--runs`` computations of last month's index
(``inspections.safety.index.compute``: every installed factor's events over the month and the two before it,
the residents per grid at each month's end, the scores with their events kept) after one untimed first call
(reported beside it); the index caches nothing, so every run does the whole work.

    .venv/bin/python bench/safety_index.py [--db sqlite|pg|both] [--reuse DIR_OR_DB] [--runs 5] [--scale 1.0]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from _common import ROOT, setup_database, use_database

LIMIT_S = 2.0
DATABASE = "jiedao_bench_safety"


def measure(runs: int) -> None:
    """In a process whose environment points at the bench database: time the index and the trend."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from jiedao.core.models import Subdistrict
    from jiedao.inspections.safety import index

    sub = Subdistrict.objects.get(code="310107005")
    month = index.previous_month(timezone.localdate().replace(day=1))
    # The process's first call also imports the URL configuration (the factors link their events), as a
    # server does at its first request, and reads the tables from a cold disk cache: shown on its own.
    t = time.perf_counter()
    index.compute(subdistrict_id=sub.pk, month=month, keep_events=True)
    first = time.perf_counter() - t
    one, trend, events, communities = [], [], 0, 0
    for _ in range(runs):
        t = time.perf_counter()
        [result] = index.compute(subdistrict_id=sub.pk, month=month, keep_events=True)
        one.append(time.perf_counter() - t)
        t = time.perf_counter()
        index.compute(subdistrict_id=sub.pk, month=month, count=12, keep_events=False)
        trend.append(time.perf_counter() - t)
        communities = len(result.communities)
        events = sum(f.events for f in result.subdistrict.factors)
    factors = ", ".join(s.code for s in result.specs if s.counts and s.code != "safety.trend")
    db = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"safety index {month:%Y-%m} [{db}]: {max(one):.2f} s for {communities} 居委 and {len(result.grids)} grids, "
          f"{events} events (limit {LIMIT_S:.0f} s, {'ok' if max(one) <= LIMIT_S else 'OVER'}); "
          f"12-month trend {max(trend):.2f} s; first call of the process {first:.2f} s; factors: {factors}; missing: "
          f"{', '.join(s.code for s in result.missing) or 'none'}")


def run(db: str, args) -> None:
    environ = dict(os.environ)
    if args.reuse:
        use_database(environ, args.reuse if db == "pg" else None, os.environ.get("JIEDAO_DATA_DIR", "")
                     if db == "pg" else args.reuse)
    else:
        folder = tempfile.mkdtemp(prefix=f"safety-bench-{db}-")
        environ = setup_database(DATABASE if db == "pg" else None, folder, scale=args.scale)
    subprocess.run([sys.executable, __file__, "--measure", "--runs", str(args.runs)], env=environ, check=True,
                   cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--reuse", default="", help="an already built demo: a data folder (sqlite) or a database")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", default="1.0")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.runs)
        return 0
    for db in (("sqlite", "pg") if args.db == "both" else (args.db,)):
        run(db, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
