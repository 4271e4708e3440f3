"""Benchmark of issue #19: coverage of every facility type for all demo buildings, beside the raw csgraph
multi-source Dijkstra on the same graph in the same run (limit: at most 2× the raw time).

    .venv/bin/python bench/facilities_coverage.py              # SQLite (a temporary folder)
    .venv/bin/python bench/facilities_coverage.py --pg         # PostgreSQL
    .venv/bin/python bench/facilities_coverage.py --data-dir /tmp/fb   # keep the demo for the next run

"Coverage" is what the coverage table computes for each type: every building's nearest open facility of
the type (distance and which one) by one multi-source Dijkstra, then the covered residents and residents
aged 60+ within the type's circle per 居委. "Raw" is scipy's ``dijkstra(graph, indices=sources,
min_only=True)`` alone, once per type, on the same sparse matrix. Best of 7 runs each, alternated. Also
printed: building the engine (load the network, attach buildings and facilities), storing every building's
distance to every type (the first time), and the coverage page's selector with its queries.
"""

import sys
import time

import numpy as np
from facilities_common import arguments, demo

LIMIT_RATIO = 2.0
RUNS = 7


def main() -> int:
    args = arguments(__doc__)
    sub = demo(args)
    from scipy.sparse.csgraph import dijkstra

    from jiedao.core.models import User
    from jiedao.facilities import coverage, selectors
    from jiedao.facilities.circles import CIRCLES
    from jiedao.facilities.engine import build_engine
    from jiedao.facilities.models import BuildingAccess
    from jiedao.facilities.services import refresh_access

    started = time.perf_counter()
    engine = build_engine(sub.pk)
    built = time.perf_counter() - started
    weights = coverage.weights_for(engine)
    types = list(engine.types.values())
    sources = [engine.facility_nodes[engine.open_mask(type_id=t.pk)] for t in types]
    reach = [CIRCLES[t.circle].within_m(engine.speed_for(t)) for t in types]
    everyone = np.ones(len(engine.building_ids), dtype=bool)

    def raw():
        for s in sources:
            if len(s):
                dijkstra(engine.graph.matrix, directed=False, indices=s, min_only=True)

    def ours():
        out = []
        for t, within in zip(types, reach, strict=True):
            found = engine.nearest_of_type(t.pk)
            out.append(coverage.tally(distance=found.distance, within=within, weights=weights, mask=everyone,
                                      groups=engine.communities))
        return out

    best_raw = best_ours = float("inf")
    for _ in range(RUNS):
        t0 = time.perf_counter()
        raw()
        t1 = time.perf_counter()
        result = ours()
        t2 = time.perf_counter()
        best_raw, best_ours = min(best_raw, t1 - t0), min(best_ours, t2 - t1)

    BuildingAccess.objects.filter(subdistrict=sub).delete()
    started = time.perf_counter()
    refresh_access(subdistrict_id=sub.pk)
    stored = time.perf_counter() - started
    operator = User.objects.get(username="operator")
    selectors.coverage_overview(user=operator, subdistrict=sub)  # the engine and weights of this process
    started = time.perf_counter()
    rows = selectors.coverage_overview(user=operator, subdistrict=sub)
    page = time.perf_counter() - started

    n_types = sum(1 for s in sources if len(s))
    ratio = best_ours / best_raw
    print(f"facilities coverage: {len(types)} types × {len(engine.building_ids):,} buildings "
          f"({engine.graph.n_nodes:,} nodes, {len(engine.graph.u):,} edges, {n_types} types with open facilities): "
          f"{best_ours * 1000:.1f} ms; raw csgraph Dijkstra {best_raw * 1000:.1f} ms; ratio {ratio:.2f} "
          f"(limit {LIMIT_RATIO:g})")
    print(f"facilities engine: built in {built:.2f} s; every distance stored in {stored:.2f} s "
          f"({BuildingAccess.objects.filter(subdistrict=sub).count():,} rows); coverage table selector "
          f"{page * 1000:.0f} ms ({len(rows)} types, {len(result)} computed)")
    return 0 if ratio <= LIMIT_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
