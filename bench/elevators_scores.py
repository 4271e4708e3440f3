"""Benchmark: feasibility scores (可行性评分) for every building of the Caoyang demo (limit 5 s), and the
elevators demo phase (limit 3 s).

Builds Caoyang's geography and households (the demo builder's own steps, full scale) in a fresh SQLite
database in a temporary folder, then in this process times

* the scores of all buildings: ``scoring.inputs_for`` (four queries: households per floor, residents and
  those 60+, 失能/残疾 tags, surveys) and ``scoring.score`` for each, after the elevators demo's surveys;
* ``selectors.candidate_list`` for a subdistrict-wide reader (what the ranked page and the map ask);
* ``jiedao.demo.elevators.build`` (after consult's demo, as the builder runs them).

    .venv/bin/python bench/elevators_scores.py [--pg]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from _common import JIEDAO, ROOT, database_url, use_database

sys.path.insert(0, str(ROOT))
LIMIT_S = 5.0
DEMO_LIMIT_S = 3.0
DATABASE = "jiedao_bench_elevators"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help=f"PostgreSQL (database {DATABASE} on 127.0.0.1)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="elevators-bench-")
    if args.pg:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    use_database(os.environ, DATABASE if args.pg else None, data_dir)
    subprocess.run([*JIEDAO, "migrate", "--verbosity", "0"], check=True, env=dict(os.environ), cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    import django

    django.setup()
    from jiedao.core.models import User
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.demo import caoyang
    from jiedao.demo import consult as demo_consult
    from jiedao.demo import elevators as demo_elevators
    from jiedao.demo.builder import DemoBuilder
    from jiedao.elevators import scoring, selectors
    from jiedao.geo.models import Building

    started = time.perf_counter()
    builder = DemoBuilder(scale=1.0, log=lambda line: None)
    sub = builder.build_subdistrict(caoyang.SUBDISTRICT, caoyang.AREAS, caoyang.GRID_SPLIT, caoyang.ROADS,
                                    caoyang.ROAD_ALIASES, caoyang.BUILDINGS_PER_COMMUNITY)
    builder.build_households(sub)
    setup = time.perf_counter() - started
    demo_consult.build(builder=builder, subdistrict=sub)
    t0 = time.perf_counter()
    demo_elevators.build(builder=builder, subdistrict=sub)
    demo_s = time.perf_counter() - t0

    ids = dict(Building.objects.filter(subdistrict=sub).values_list("pk", "floors"))
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        weights = scoring.weights()
        inputs = scoring.inputs_for(list(ids), buildings=ids)
        scores = [scoring.score(inputs[pk], weights) for pk in ids]
        runs.append(time.perf_counter() - t0)
    reader = User.objects.create(username="bench_leader", role=Role.LEADER, subdistrict=sub,
                                 scope_level=ScopeLevel.SUBDISTRICT)
    t0 = time.perf_counter()
    ranked = selectors.candidate_list(user=reader, subdistrict=sub)
    ranked_s = time.perf_counter() - t0
    missing = sum(1 for s in scores if s.missing)
    best = min(runs)
    where = "PostgreSQL" if args.pg else "SQLite"
    print(f"elevators: scores for {len(scores):,} buildings in {best:.2f} s on {where} (limit {LIMIT_S:.0f} s; "
          f"best of 3, runs {', '.join(f'{r:.2f}' for r in runs)}; {missing:,} with missing inputs); ranked list of "
          f"{len(ranked):,} candidates {ranked_s:.2f} s; demo phase {demo_s:.2f} s (limit {DEMO_LIMIT_S:.0f} s); "
          f"geography and households built in {setup:.0f} s; load average {os.getloadavg()[0]:.2f}")
    if args.pg:
        print(f"  ({database_url(DATABASE)})")
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if best <= LIMIT_S and demo_s <= DEMO_LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
