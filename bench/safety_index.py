"""Benchmark: the 平安建设动态评估 index for every 居委 and grid of a month ≤ 2 s with a year of demo history,
on SQLite and on PostgreSQL; beside it, the leader's 12-month trend (the ranking page's chart).

For each database: the Caoyang demo (a year of cases, sensor alarms and visits, ~100,000 residents) is built
in a fresh bench database, unless ``--reuse`` names one already built (a JIEDAO_DATA_DIR for SQLite, a
database name for PostgreSQL). The month is the latest closed one (``inspections.safety.counts``: a week after
its end), whose counts the index stores. The figure is the slowest of ``--runs`` computations of its index
(``inspections.safety.index.compute``, the scores with their events kept) from the events, with the stored
months deleted first: every installed factor's events over the month and the two before it and the residents
per grid at each month's end, counted and stored. Beside it: the same index once stored (only the month's
events are fetched, for the lists behind the scores), the 12-month trend up to the current month with nothing
stored (it counts and stores the closed months) and stored (it counts the open months only), and the
process's first call (untimed in the figure).

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
    from jiedao.inspections.models import SafetyMonth
    from jiedao.inspections.safety import counts, index

    sub = Subdistrict.objects.get(code="310107005")
    current = timezone.localdate().replace(day=1)
    month = index.previous_month(current)
    if not counts.is_closed(month):
        month = index.previous_month(month)
    stored = SafetyMonth.objects.filter(subdistrict=sub)

    def timed(call) -> float:
        t = time.perf_counter()
        call()
        return time.perf_counter() - t

    # The process's first call also imports the URL configuration (the factors link their events), as a
    # server does at its first request, and reads the tables from a cold disk cache: shown on its own.
    stored.delete()
    first = timed(lambda: index.compute(subdistrict_id=sub.pk, month=month, keep_events=True))
    one, one_stored, trend, trend_stored = [], [], [], []
    for _ in range(runs):
        stored.delete()
        one.append(timed(lambda: index.compute(subdistrict_id=sub.pk, month=month, keep_events=True)))
        one_stored.append(timed(lambda: index.compute(subdistrict_id=sub.pk, month=month, keep_events=True)))
        stored.delete()
        trend.append(timed(lambda: index.compute(subdistrict_id=sub.pk, month=current, count=12, keep_events=False)))
        trend_stored.append(timed(
            lambda: index.compute(subdistrict_id=sub.pk, month=current, count=12, keep_events=False)))
    [result] = index.compute(subdistrict_id=sub.pk, month=month, keep_events=True)
    events = sum(f.events for f in result.subdistrict.factors)
    factors = ", ".join(s.code for s in result.specs if s.counts and s.code != "safety.trend")
    db = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"safety index {month:%Y-%m} [{db}]: {max(one):.2f} s from the events for {len(result.communities)} 居委 "
          f"and {len(result.grids)} grids, {events} events (limit {LIMIT_S:.0f} s, "
          f"{'ok' if max(one) <= LIMIT_S else 'OVER'}), {max(one_stored):.2f} s stored; 12-month trend to "
          f"{current:%Y-%m} {max(trend):.2f} s counting and storing {stored.count()} closed months, "
          f"{max(trend_stored):.2f} s stored; first call of the process {first:.2f} s; factors: {factors}; "
          f"missing: {', '.join(s.code for s in result.missing) or 'none'}; load average {os.getloadavg()[0]:.1f}")


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
