"""Benchmark of issue #15 (四百走访): generating a year of visit tasks for the demo's 41,601 households
(limit 10 s), on a fresh demo database.

    .venv/bin/python bench/visits_tasks.py                        # SQLite (a temporary file)
    .venv/bin/python bench/visits_tasks.py --pg                   # PostgreSQL (database jiedao_bench_visits)
    .venv/bin/python bench/visits_tasks.py --data-dir /tmp/d      # an existing demo data folder (SQLite)

What is timed is ``services.generate_routine`` over the whole year, as the periodic job would do it period by
period: every occupied household's rule (the most frequent that applies: 红 monthly, 黄 quarterly, the rest
yearly), one task per period, each assigned to its building's social worker; the buildings of 居委 nobody
has laid out yet are balanced between their workers first. A second run (the job's every hour) must make
nothing new; its time is printed too. Every task the demo had is deleted first, inside a transaction that
is rolled back at the end, so a reused data folder is left as it was.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time

from _common import ROOT, setup_database, use_database

sys.path.insert(0, str(ROOT))
DATABASE = "jiedao_bench_visits"  # its own, so that it never drops another bench's database
LIMIT_S = 10.0


def bench(db: str) -> int:
    import random

    from django.db import transaction
    from django.utils import timezone

    from jiedao.core.models import Subdistrict, User
    from jiedao.core.roles import Role
    from jiedao.registry.models import Household
    from jiedao.visits import services
    from jiedao.visits.models import BuildingAssignment, Reminder, TaskEvent, VisitTask

    sub = Subdistrict.objects.get(code="310107005")
    year = timezone.localdate().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            if not User.objects.filter(subdistrict=sub, role=Role.COMMUNITY_HEAD).exists():
                from jiedao.demo.visits import _people  # the demo's heads and social workers for every 居委

                _people(sub, random.Random(1))
            Reminder.objects.filter(subdistrict=sub).delete()
            events = TaskEvent.objects.filter(task__subdistrict=sub)
            events._raw_delete(events.db)
            VisitTask.objects.filter(subdistrict=sub).update(visit=None)
            VisitTask.objects.filter(subdistrict=sub).delete()
            BuildingAssignment.objects.filter(subdistrict=sub).delete()
            households = Household.objects.filter(subdistrict=sub).count()
            started = time.perf_counter()
            made = services.generate_routine(subdistrict_id=sub.pk, start=start, end=end, today=start)
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            again = services.generate_routine(subdistrict_id=sub.pk, start=start, end=end, today=start)
            rerun = time.perf_counter() - started
            assigned = VisitTask.objects.filter(subdistrict=sub, assignee__isnull=False).count()
            raise Rollback
    except Rollback:
        pass
    print(f"visits task generation ({db}): a year of tasks for {households:,} households in {elapsed:.2f} s "
          f"(limit {LIMIT_S:.0f} s): {made:,} tasks, {assigned:,} assigned by building; "
          f"run again: {again} new in {rerun:.2f} s")
    return 0 if elapsed <= LIMIT_S and again == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--data-dir", help="an existing demo data folder (SQLite) instead of a fresh demo")
    args = parser.parse_args()
    db = "PostgreSQL" if args.pg else "SQLite"
    import django

    if args.data_dir:
        use_database(os.environ, None, args.data_dir)
        django.setup()
        return bench(db)
    with tempfile.TemporaryDirectory() as data_dir:
        setup_database(DATABASE if args.pg else None, data_dir, environ=os.environ)
        django.setup()
        return bench(db)


if __name__ == "__main__":
    sys.exit(main())
