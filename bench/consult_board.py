"""Benchmark of issue #16 (征询与表决): the live progress board during a vote of 1,302 households (打浦桥's
旧改 round), p95 ≤ 100 ms.

    .venv/bin/python bench/consult_board.py          # SQLite (a temporary data folder)
    .venv/bin/python bench/consult_board.py --pg     # PostgreSQL (database jiedao_bench_consult)

A fresh database (migrated, static files collected, no demo: this bench builds its own place) gets a 居委 of
31 seven-storey buildings with 42 households each (1,302), a 旧改 first-round consultation over all of them
(share of households ≥ 9/10), owners and areas filled through the services, opened (1,302 voting codes), and
60 % of the owners' ballots. Then, as the vote goes on, 200 requests alternate between the staff board page
(``/consult/<pk>/``, rendered) and its API (``/api/v1/consult/consultations/<pk>/board``) through Django's test
client signed in as the 居委 head, and an owner votes online (``cast_online``, a new ballot each time) before
every request, so every board is computed from the ballots as they stand. Printed: the p95 of the request's CPU
time (the limit applies to it: what the board costs) and the wall-clock p95 and median (which on a shared machine
include the time spent waiting for a core; the load average is printed beside them), and the queries per board.
The request runs in this process, so its CPU time is the server's.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from _common import JIEDAO, ROOT, use_database

sys.path.insert(0, str(ROOT))
DATABASE = "jiedao_bench_consult"
LIMIT_MS = 100.0
BUILDINGS, FLOORS, PER_FLOOR = 31, 7, 6


def prepare(database: str | None, data_dir: str) -> None:
    if database:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    use_database(os.environ, database, data_dir)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    for args in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run([*JIEDAO, *args, "--verbosity", "0"], check=True, env=dict(os.environ), cwd=ROOT,
                       stdout=subprocess.DEVNULL)


def world():
    from django.utils import timezone

    from jiedao.consult import services
    from jiedao.consult.models import Ballot, BallotState, Channel
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.geo.models import Road, Unit
    from jiedao.registry.models import Household
    from jiedao.testing import make_area, make_building, make_community, make_grid, make_subdistrict, make_user, square

    sub = make_subdistrict(code="310101014", name="打浦桥街道", lon=121.46, lat=31.20)
    area = make_area(sub, seq=1, name="打浦桥片区", geometry=square(121.46, 31.20, 0.01))
    community = make_community(area, seq=1, name="建国东路居委", geometry=square(121.46, 31.20, 0.01))
    grid = make_grid(community, seq=1, geometry=square(121.46, 31.20, 0.01))
    road = Road.objects.create(subdistrict=sub, name="建国东路")
    head = make_user("bench_head", role=Role.COMMUNITY_HEAD, subdistrict=sub, level=ScopeLevel.COMMUNITY,
                     community=community)
    households = []
    for b in range(BUILDINGS):
        building = make_building(grid, road=road, lane="68", number=str(b + 1))
        unit = Unit.objects.create(building=building, number=1)
        households += [Household(subdistrict=sub, building=building, unit=unit, room=f"{f}{r:02d}",
                                 code=f"{building.code}R{f}{r:02d}")
                       for f in range(1, FLOORS + 1) for r in range(1, PER_FLOOR + 1)]
    Household.objects.bulk_create(households)
    now = timezone.now()
    c = services.create_consultation(
        subdistrict=sub, kind="renewal", title="建国东路旧改第一轮意愿征询", rule="share", share_of="heads",
        share_at_least="9/10", estate=households[0].building.estate, opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=27), created_by=head)
    rng = random.Random(1302)
    services.fill_electorate(consultation=c, by=head, reason="bench", entries=[
        {"label": d.label, "owner_name": f"业主{i}", "owner_document": f"沪房地黄字(1998)第{100000 + i}号",
         "area": str(Decimal(rng.randrange(1200, 4800)) / 100)} for i, d in enumerate(c.dwellings.order_by("pk"))])
    services.open_consultation(c, by=head)
    dwellings = list(c.dwellings.order_by("pk"))
    voted = dwellings[: int(len(dwellings) * 0.6)]
    Ballot.objects.bulk_create([Ballot(
        consultation=c, subdistrict=sub, community=community, building_id=d.building_id, dwelling=d,
        owner_key=d.owner_key, choice=rng.choice(["agree"] * 9 + ["disagree"]), channel=Channel.BOOTH,
        state=BallotState.COUNTED, cast_at=now - dt.timedelta(hours=rng.randrange(1, 70)))
        for d in voted])
    return c, head, dwellings[len(voted):]


def bench(db: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiedao.consult import selectors, services

    c, head, waiting = world()
    tokens = {row["label"]: row["token"] for row in selectors.letters(consultation=c, user=head)}
    client = Client()
    client.force_login(head)
    page, api = f"/consult/{c.pk}/", f"/api/v1/consult/consultations/{c.pk}/board"
    for url in (page, api):  # warm
        assert client.get(url).status_code == 200
    times: dict[str, list[float]] = {page: [], api: []}
    cpu: dict[str, list[float]] = {page: [], api: []}
    for i in range(200):
        services.cast_online(token=tokens[waiting[i].label], choice="agree" if i % 5 else "disagree")
        url = page if i % 2 == 0 else api
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times[url].append((time.perf_counter() - started) * 1000)
        cpu[url].append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(api)
    load = os.getloadavg()[0]
    worst = 0.0
    for name, url in (("page", page), ("API", api)):
        samples, cpu_samples = sorted(times[url]), sorted(cpu[url])
        p95, p95_cpu = samples[int(len(samples) * 0.95) - 1], cpu_samples[int(len(cpu_samples) * 0.95) - 1]
        worst = max(worst, p95_cpu)
        print(f"consult board {name} ({db}): p95 {p95_cpu:.1f} ms CPU (limit {LIMIT_MS:.0f} ms), wall p95 {p95:.1f} ms "
              f"median {statistics.median(samples):.1f} ms, over {len(samples)} requests during a vote of "
              f"{len(tokens):,} households, {len(queries)} queries per API board; load average {load:.1f} on "
              f"{os.cpu_count()} cores")
    return 0 if worst <= LIMIT_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    import django

    with tempfile.TemporaryDirectory() as data_dir:
        prepare(DATABASE if args.pg else None, data_dir)
        django.setup()
        return bench("PostgreSQL" if args.pg else "SQLite")


if __name__ == "__main__":
    sys.exit(main())
