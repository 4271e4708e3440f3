"""Benchmark of issue #18 (五星): a month's 五星 of every 小区 and 居委 (垃圾分类) and of every street-front shop
(门责任制), ≤ 2 s, on the demo with its year of checks.

    .venv/bin/python bench/inspections_stars.py                     # SQLite (a temporary file)
    .venv/bin/python bench/inspections_stars.py --pg                # PostgreSQL (database jiedao_bench_stars)
    .venv/bin/python bench/inspections_stars.py --data-dir /tmp/d   # an existing demo data folder (SQLite)
    .venv/bin/python bench/inspections_stars.py --pg-database NAME  # an existing PostgreSQL demo database

Timed: ``stars.garbage_ratings`` and ``stars.shop_ratings`` for the whole subdistrict, for each of the last
twelve months; the slowest month is the figure.
"""

import datetime as dt
import sys
import time

from _common import ROOT, run_on_demo

sys.path.insert(0, str(ROOT))
DATABASE = "jiedao_bench_stars"
LIMIT_S = 2.0


def bench(db: str) -> int:
    from django.utils import timezone

    from jiedao.core.models import Subdistrict
    from jiedao.geo.models import Estate
    from jiedao.inspections import stars
    from jiedao.inspections.models import Check, Shop

    sub = Subdistrict.objects.get(code="310107005")
    month = timezone.localdate().replace(day=1)
    # Untimed first call: the process loads the URL configuration (every app's views) on its first reverse().
    stars.garbage_ratings(subdistrict_id=sub.pk, month=month)
    garbage, shops, lost = [], [], 0
    for _n in range(12):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        started = time.perf_counter()
        estates, communities = stars.garbage_ratings(subdistrict_id=sub.pk, month=month)
        garbage.append(time.perf_counter() - started)
        started = time.perf_counter()
        ratings = stars.shop_ratings(subdistrict_id=sub.pk, month=month)
        shops.append(time.perf_counter() - started)
        lost += sum(r.stars < 5 for r in estates) + sum(r.stars < 5 for r in ratings)
    worst = max(g + s for g, s in zip(garbage, shops, strict=True))
    print(f"inspections 五星 ({db}): slowest month {worst * 1000:.0f} ms for {len(estates)} 小区, "
          f"{len(communities)} 居委 and {len(ratings)} shops (limit {LIMIT_S:.0f} s; 小区/居委 max "
          f"{max(garbage) * 1000:.0f} ms, shops max {max(shops) * 1000:.0f} ms); {lost} ratings below five stars "
          f"over 12 months; {Check.objects.filter(subdistrict=sub).count():,} checks, "
          f"{Estate.objects.filter(subdistrict=sub).count()} 小区, "
          f"{Shop.objects.filter(subdistrict=sub).count()} shops")
    return 0 if worst <= LIMIT_S else 1


def main() -> int:
    return run_on_demo(bench, database=DATABASE)


if __name__ == "__main__":
    sys.exit(main())
