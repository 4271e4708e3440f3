"""Benchmark of issue #15 (四百走访): a social worker's today list with a year of visits in the database
(limit p95 100 ms), on the demo with its year of visits.

    .venv/bin/python bench/visits_today.py                        # SQLite (a temporary file)
    .venv/bin/python bench/visits_today.py --pg                   # PostgreSQL (database jiedao_bench_visits)
    .venv/bin/python bench/visits_today.py --data-dir /tmp/d      # an existing demo data folder (SQLite)

The demo's year of visits (demo.visits) is built if the demo has none. Timed: the today page (GET /visits/,
in-process, server time: the selector, the template, the unread reminders) for the ten social workers with
the most open tasks, 20 requests each, p95 and median; and the page's queries counted.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from _common import ROOT, setup_database, use_database

sys.path.insert(0, str(ROOT))
DATABASE = "jiedao_bench_visits"  # its own, so that it never drops another bench's database
LIMIT_MS = 100.0


def bench(db: str) -> int:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiedao.core.models import Subdistrict, User
    from jiedao.visits.models import Visit, VisitTask

    sub = Subdistrict.objects.get(code="310107005")
    if not VisitTask.objects.filter(subdistrict=sub).exists():
        from jiedao.demo import visits
        from jiedao.demo.builder import DemoBuilder

        started = time.perf_counter()
        visits.build(builder=DemoBuilder(log=lambda m: None), subdistrict=sub)
        print(f"(demo visits built in {time.perf_counter() - started:.1f} s)")
    busiest = [row["assignee"] for row in VisitTask.objects.filter(subdistrict=sub, status="open")
               .values("assignee").annotate(n=Count("pk")).order_by("-n")[:10]]
    client = Client(HTTP_HOST="127.0.0.1")
    samples, queries = [], 0
    for worker in User.objects.filter(pk__in=busiest):
        client.force_login(worker)
        client.get("/visits/")  # warm templates and caches
        for _ in range(20):
            started = time.perf_counter()
            response = client.get("/visits/")
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get("/visits/")
        queries = max(queries, len(captured))
    samples.sort()
    p95, median = samples[int(len(samples) * 0.95) - 1], statistics.median(samples)
    open_tasks = VisitTask.objects.filter(assignee_id=busiest[0], status="open").count()
    print(f"visits today list ({db}): p95 {p95:.1f} ms, median {median:.1f} ms server time (limit {LIMIT_MS:.0f} ms) "
          f"over {len(samples)} requests of the 10 busiest workers (up to {open_tasks} open tasks), "
          f"{queries} queries; {Visit.objects.filter(subdistrict=sub).count():,} visits and "
          f"{VisitTask.objects.filter(subdistrict=sub).count():,} tasks in the database")
    return 0 if p95 <= LIMIT_MS else 1


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
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)  # the pages use the manifest's static files
        return bench(db)
    with tempfile.TemporaryDirectory() as data_dir:
        setup_database(DATABASE if args.pg else None, data_dir, environ=os.environ)
        django.setup()
        return bench(db)


if __name__ == "__main__":
    sys.exit(main())
