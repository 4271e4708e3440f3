"""Benchmarks of issue #4 (实有人口), on a fresh demo database with ~98,000 residents.

    .venv/bin/python bench/registry.py            # SQLite (a temporary file)
    .venv/bin/python bench/registry.py --pg       # PostgreSQL (database jiedao_bench on 127.0.0.1)

Prints one line per figure with its limit:
- exact search by ID number (blind index) ≤ 20 ms, median and p95 of 50 searches;
- household file page ≤ 100 ms server time (in-process request, no network), median and p95 of 30;
- colour recomputation for the whole subdistrict ≤ 5 s;
- import of 100,000 residents from XLSX with full validation ≤ 60 s, beside a plain bulk insert of the same rows.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time

from _common import ROOT, setup_database

sys.path.insert(0, str(ROOT))
DATABASE = "jiedao_bench"


def timings(fn, n: int) -> tuple[float, float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bench_queries(db: str) -> None:
    from django.test import Client

    from jiedao.core.models import User
    from jiedao.registry import colours, selectors
    from jiedao.registry.models import Resident

    operator = User.objects.get(username="operator")
    social = User.objects.get(username="social_worker")
    sample = list(Resident.objects.current().filter(subdistrict=operator.subdistrict).order_by("?")[:50])
    ids = [r.id_number for r in sample]

    def search(i):
        found = list(selectors.resident_search(user=operator, filters={"id_number": ids[i]}))
        assert len(found) == 1

    med, p95 = timings(search, 50)
    print(f"registry search by ID number ({db}): median {med:.1f} ms, p95 {p95:.1f} ms (limit 20 ms)")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(social)
    households = list(Resident.objects.current().filter(household__building__community=social.community)
                      .values_list("household_id", flat=True).distinct()[:30])
    client.get(f"/registry/households/{households[0]}/")  # warm templates and caches

    def page(i):
        response = client.get(f"/registry/households/{households[i]}/")
        assert response.status_code == 200, response.status_code

    med, p95 = timings(page, len(households))
    print(f"registry household file page ({db}): median {med:.1f} ms, p95 {p95:.1f} ms server time (limit 100 ms)")

    Resident.objects.filter(subdistrict=operator.subdistrict).update(care_colour="", care_reason="")
    started = time.perf_counter()
    changed = colours.recompute(subdistrict_id=operator.subdistrict_id)
    elapsed = time.perf_counter() - started
    print(f"registry colour recomputation ({db}): {elapsed:.2f} s for the whole subdistrict, "
          f"{changed:,} residents coloured (limit 5 s)")


def make_rows(n: int) -> list[list[str]]:
    from jiedao.core.validators import id_check_digit
    from jiedao.geo.models import Building

    rng = random.Random(7)
    buildings = list(Building.objects.filter(subdistrict__code="310107005").select_related("estate")
                     .order_by("code"))
    rows, seen, i = [], set(), 0
    while len(rows) < n:
        b = buildings[i % len(buildings)]
        room = f"2{i // len(buildings):03d}"  # rooms 2000+ are free: the demo's highest floor is 18
        i += 1
        for relation in ["户主", "配偶", "子女"][: rng.choice((1, 2, 3, 3))]:
            while True:
                first17 = f"350102{rng.randint(1930, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
                          f"{rng.randint(0, 999):03d}"
                number = first17 + id_check_digit(first17)
                if number not in seen:
                    seen.add(number)
                    break
            phone = f"139{rng.randint(0, 10**8 - 1):08d}" if rng.random() < 0.8 else ""
            rows.append(["测试居民", number, phone, b.estate.name, b.number, room, relation, "人户一致",
                         "慢性病" if rng.random() < 0.1 else ""])
    return rows[:n]


def bench_import(db: str, n: int) -> None:
    from openpyxl import Workbook

    from jiedao.core.models import Subdistrict
    from jiedao.registry.importer import COLUMNS, import_residents
    from jiedao.registry.models import Household, Resident

    rows = make_rows(n)
    # The last row of a household may be cut off by n; keep whole households only.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    sub = Subdistrict.objects.get(code="310107005")
    started = time.perf_counter()
    report = import_residents(data=data, filename="bench.xlsx", subdistrict=sub, by=None)
    elapsed = time.perf_counter() - started
    assert not report.errors, report.errors[:3]

    # The same rows, plainly: households and residents built in memory and bulk-inserted, no validation.
    from jiedao.core.validators import birth_date_from_id, sex_from_id

    Resident.objects.filter(name="测试居民").delete()
    Household.objects.filter(room__regex=r"^2\d{3}$").delete()
    from jiedao.geo.models import Building

    by_key = {(b.estate.name, b.number): b for b in Building.objects.filter(subdistrict=sub).select_related("estate")}
    started = time.perf_counter()
    households = {}
    for r in rows:
        key = (r[3], r[4], r[5])
        if key not in households:
            b = by_key[(r[3], r[4])]
            households[key] = Household(subdistrict=sub, building=b, room=r[5], code=f"{b.code}R{r[5]}")
    Household.objects.bulk_create(households.values(), batch_size=2000)
    Resident.objects.bulk_create([
        Resident(subdistrict=sub, household=households[(r[3], r[4], r[5])], name=r[0], id_number=r[1], phone=r[2],
                 sex=sex_from_id(r[1]), birth_date=birth_date_from_id(r[1]), relation="head")
        for r in rows
    ], batch_size=2000)
    plain = time.perf_counter() - started
    print(f"registry import ({db}): {report.created_residents:,} residents from XLSX with full validation in "
          f"{elapsed:.1f} s (limit 60 s); plain bulk insert of the same rows {plain:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    db = "PostgreSQL" if args.pg else "SQLite"
    with tempfile.TemporaryDirectory() as data_dir:
        setup_database(DATABASE if args.pg else None, data_dir, environ=os.environ)
        import django

        django.setup()
        bench_queries(db)
        if not args.skip_import:
            bench_import(db, args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
