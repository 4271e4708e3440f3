"""Benchmark: what SQLite's ``synchronous=FULL`` costs 12345 intake, against ``NORMAL``.

In WAL mode, ``NORMAL`` syncs the write-ahead log to disk only at checkpoints: a case acknowledged (201)
just before a power cut or a kernel crash can be gone after it (the process dying alone loses nothing).
``FULL`` syncs the log at every commit, so an acknowledged case survives. The question is what that costs.

Works on a copy of a demo database (``--from``, default ``data/``, the quick start's; built fresh with
``jiedao demo`` when there is none) in a temporary folder on the same disk, migrated, and runs the real
intake service (``services.intake``, channel 12345: parsing, placement, classification, duplicate search,
the case, its first event and its audit record, one transaction per order, as ``POST /api/v1/cases/``
does) for realistic orders, one after another (SQLite has one writer at a time), alternating rounds of
NORMAL and FULL on the same connection so that both see the same caches and the same disk. Also the bare
cost of one committed one-row transaction in each mode, the part ``FULL`` adds to.

    .venv/bin/python bench/sqlite_durability.py [--cases 200] [--rounds 3] [--from DIR]
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, setup_database

# What SQLite intake must keep up with, FULL or not: the largest 12345 file the API takes (5,000 orders,
# cases.api_import.MAX_UPLOAD_ROWS) imported within two minutes. (The demo's busiest day has 54 cases.)
LIMIT = 5_000 / 120  # cases/s
sys.path.insert(0, str(ROOT))


def prepare(source: Path, folder: str) -> None:
    """The demo database, its secrets and the classifier, copied into ``folder`` (or built there)."""
    if (source / "jiedao.sqlite3").exists():
        for name in ("jiedao.sqlite3", "secrets.json"):
            shutil.copy2(source / name, folder)
        if (source / "models").is_dir():
            shutil.copytree(source / "models", Path(folder) / "models")
        os.environ["JIEDAO_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "jiedao.settings"
    else:
        setup_database(None, folder, extra=[["train-classifier"]], environ=os.environ)


def orders(n: int, start: int) -> list[dict]:
    """n 12345 orders: demo phrases on real demo addresses, one 工单编号 each."""
    from jiedao.demo.cases import ASKS, PLACES, SAID
    from jiedao.geo.models import Building

    rng = random.Random(start)
    addresses = [b.address for b in Building.objects.filter(subdistrict__code="310107005").select_related("road")]
    out = []
    for i in range(start, start + n):
        address = rng.choice(addresses)
        said = rng.choice(SAID[rng.choice(list(SAID))]).format(place=rng.choice(PLACES))
        out.append({"external_id": f"DUR{i:07d}", "address": f"普陀区曹杨新村街道{address}",
                    "description": f"市民来电反映：{address}{said}，{rng.choice(ASKS)}",
                    "reporter_name": "测试先生", "reporter_phone": f"139{rng.randrange(10**8):08d}"})
    return out


def set_mode(mode: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA synchronous = {mode}")
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == {"NORMAL": 1, "FULL": 2}[mode]


def intake_round(batch: list[dict], subdistrict, operator) -> list[float]:
    from jiedao.cases import services
    from jiedao.cases.models import Channel

    times = []
    for order in batch:
        t = time.perf_counter()
        result = services.intake(subdistrict=subdistrict, channel=Channel.HOTLINE, by=operator, **order)
        times.append(time.perf_counter() - t)
        assert result.created
    return times


def commit_round(n: int) -> list[float]:
    """One committed one-row transaction (a PeriodicRun row inserted, then one deleted), n times."""
    from django.db import transaction

    from jiedao.core.models import PeriodicRun

    times = []
    for i in range(n):
        t = time.perf_counter()
        with transaction.atomic():
            PeriodicRun.objects.create(name=f"bench-commit-{time.time_ns()}-{i}")
        times.append(time.perf_counter() - t)
    PeriodicRun.objects.filter(name__startswith="bench-commit-").delete()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="orders per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each mode, alternating")
    parser.add_argument("--from", dest="source", default=str(ROOT / "data"), help="data folder with a demo database")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="jiedao-durability-", dir=os.environ.get("BENCH_TMP"))
    try:
        prepare(Path(args.source), folder)
        import django

        django.setup()
        from django.core.management import call_command

        from jiedao.cases import classifier

        call_command("migrate", verbosity=0)  # a demo built before the latest migrations
        from jiedao.core.models import Subdistrict, User

        subdistrict = Subdistrict.objects.get(code="310107005")
        operator = User.objects.get(username="operator")
        classifier.classify("路灯不亮")  # load the model before timing
        intake_round(orders(20, 9_000_000), subdistrict, operator)  # warm the caches
        per_case = {"NORMAL": [], "FULL": []}
        per_commit = {"NORMAL": [], "FULL": []}
        start = 0
        for _ in range(args.rounds):
            for mode in ("NORMAL", "FULL"):
                set_mode(mode)
                batch = orders(args.cases, start)
                start += args.cases
                per_case[mode] += intake_round(batch, subdistrict, operator)
                per_commit[mode] += commit_round(args.cases)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def rate(times):
        return len(times) / sum(times)

    def ms(times, q):
        return statistics.quantiles(times, n=100)[q - 1] * 1000

    for mode in ("NORMAL", "FULL"):
        print(f"  {mode:6}: intake {rate(per_case[mode]):6.1f} cases/s (p50 {ms(per_case[mode], 50):5.1f} ms, "
              f"p95 {ms(per_case[mode], 95):5.1f} ms); bare commit p50 {ms(per_commit[mode], 50):5.2f} ms, "
              f"p95 {ms(per_commit[mode], 95):5.2f} ms")
    cost = 1 - rate(per_case["FULL"]) / rate(per_case["NORMAL"])
    print(f"sqlite intake: FULL {rate(per_case['FULL']):.1f} cases/s, NORMAL {rate(per_case['NORMAL']):.1f} "
          f"cases/s (limit {LIMIT:.0f} cases/s): FULL costs {cost:.0%} of the rate, "
          f"+{ms(per_case['FULL'], 50) - ms(per_case['NORMAL'], 50):.1f} ms per case at p50 "
          f"({len(per_case['FULL'])} cases each)")


if __name__ == "__main__":
    main()
