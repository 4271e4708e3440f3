"""Benchmark of issue #16 (征询与表决): the tally of 10,000 ballots (limit 50 ms).

    .venv/bin/python bench/consult_tally.py

What is timed is the one tally function, ``consult.rules.tally`` (art. 278 special matter: participation
and agreement by area and by head, exact fractions of decimal areas) over an electorate of 10,000 owners'
dwellings (several buyers with more than one dwelling, the developer's unsold dwellings as one owner), with a
ballot from each of 10,000 owners minus the non-voters: the grouping by owner, the sums and the rule. Of 30 runs,
the median CPU time (what the tally costs; the limit applies to it) and the wall-clock median and slowest (which
on a shared machine include time spent waiting for a core; the load average is printed beside them). The
visit-next search over the same electorate (not part of the tally's limit) and the ``consult-tally`` line
protocol are timed too, for the note.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIMIT_MS = 50.0
BALLOTS = 10_000


def electorate(rng: random.Random):
    from jiedao.consult.rules import DEVELOPER_KEY, Unit

    units, owners = [], []
    for i in range(BALLOTS + 400):
        roll = rng.random()
        if roll < 0.01:
            owner = DEVELOPER_KEY
        elif roll < 0.04 and owners:
            owner = rng.choice(owners)  # a buyer of several dwellings
        else:
            owner = f"p{i}"
            owners.append(owner)
        units.append(Unit(f"{i // 100}-{i % 100 + 101}", owner, Decimal(rng.randrange(3000, 14000)) / 100))
    voters = owners[:BALLOTS] if len(owners) >= BALLOTS else owners
    choices = ("agree",) * 8 + ("disagree", "abstain")
    ballots = {o: rng.choice(choices) for o in voters}
    return units, ballots


def main() -> int:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["JIEDAO_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")
        import django

        django.setup()
        from jiedao.consult.rules import Rule, owners_of, tally
        from jiedao.consult.tally_json import answer
        from jiedao.consult.visitnext import visit_next

        rng = random.Random(16)
        units, ballots = electorate(rng)
        rule = Rule.of("278-special")
        tally(rule, units, ballots)  # warm
        samples, cpu = [], []
        for _ in range(30):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = tally(rule, units, ballots)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        median, median_cpu = statistics.median(samples), statistics.median(cpu)
        load = os.getloadavg()[0]
        print(f"consult tally: {len(ballots):,} ballots over {len(units):,} dwellings ({result.total_heads:,} owners): "
              f"median {median_cpu:.1f} ms CPU (limit {LIMIT_MS:.0f} ms), wall median {median:.1f} ms, slowest "
              f"{max(samples):.1f} ms of 30 runs at load average {load:.1f} on {os.cpu_count()} cores; "
              f"passed={result.passed}, participation heads {result.participation_heads}")
        # Visit next over an electorate that falls short (two in five of the voters do not take part).
        short = {k: v for i, (k, v) in enumerate(ballots.items()) if i % 5 > 1}
        owners = owners_of(units, short)
        started, started_cpu = time.perf_counter(), time.process_time()
        plan = visit_next(rule, owners)
        print(f"consult visit-next: {len(owners):,} owners, needed {plan.needed} (exact={plan.exact}) in "
              f"{(time.process_time() - started_cpu) * 1000:.0f} ms CPU, {(time.perf_counter() - started) * 1000:.0f} "
              f"ms wall (no limit set)")
        import json

        line = json.dumps({"rule": "278-special", "units": [{"id": u.id, "owner": u.owner, "area": str(u.area)}
                                                            for u in units[:300]],
                           "ballots": {k: v for k, v in list(short.items())[:150]}})
        started = time.perf_counter()
        for _ in range(20):
            answer(line)
        print(f"consult-tally line protocol: {(time.perf_counter() - started) / 20 * 1000:.1f} ms per line of "
              f"300 dwellings with visit-next (no limit set)")
        return 0 if median_cpu <= LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
