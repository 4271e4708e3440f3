"""Benchmark of duplicate detection (疑似重复, issue 20): how often it flags, and what it costs intake.

    .venv/bin/python bench/duplicates.py [--pg] [--data-dir DIR [--database NAME]] [--cases 300]

Prints one line per figure with its limit and exits non-zero when one is missed:
- the held-out pairs (jiedao/cases/duplicates/heldout_pairs.tsv, hand-written before the scorer was trained):
  share of one-incident pairs flagged ≥ 80 %, share of different problems at the same place flagged ≤ 10 %;
  beside them, intake's rule before the scorer (same category, character-bigram Jaccard ≥ 0.25) on the same
  pairs, and the development pairs (the classifier's dev.tsv, same or confusable categories) for reference;
- the scorer's cost per case ≤ 1 ms: ``find_duplicate``'s two steps on the demo's newest placed cases, each
  asked as intake asks it (the case not yet saved), with the candidates it finds there: the candidate query,
  then the scoring of every candidate (median wall time against the limit; CPU time beside it, since the
  machine may be shared). Cold (each text read for the first time in the process) and warm (the texts seen
  before, as in a server that took in the candidates itself).

The demo is built in a fresh database (SQLite in a temporary folder, or PostgreSQL
``jiedao_bench_duplicates`` with ``--pg``), unless ``--data-dir`` names a folder holding one already (SQLite),
or ``--data-dir`` and ``--database`` an existing PostgreSQL demo (the one a ``--pg`` run leaves).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from _common import ROOT, setup_database, use_database

sys.path.insert(0, str(ROOT))

SAME_LIMIT, DIFFERENT_LIMIT = 0.80, 0.10
COST_LIMIT_MS = 1.0
DATABASE = "jiedao_bench_duplicates"
OLD_SIMILARITY = 0.25
CYCLE = [(0.5, None), (2, 30), (6, None), (1, 80), (20, 15), (30, None), (0.2, None), (3, 50), (48, 120), (10, 5)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true", help="PostgreSQL (jiedao_bench_duplicates on 127.0.0.1)")
    parser.add_argument("--data-dir", help="a data folder holding a demo database already (SQLite, or with "
                                           "--database the PostgreSQL database a --pg run left)")
    parser.add_argument("--database", help="an existing PostgreSQL demo database, e.g. jiedao_bench_duplicates")
    parser.add_argument("--cases", type=int, default=300, help="newest placed cases to ask find_duplicate for")
    args = parser.parse_args()
    if args.data_dir:
        use_database(os.environ, args.database, args.data_dir)
        return run(args.cases)
    with tempfile.TemporaryDirectory(prefix="jiedao-bench-duplicates-") as data_dir:
        setup_database(DATABASE if args.pg else None, data_dir, extra=[["train-classifier"]], environ=os.environ)
        return run(args.cases)


def run(cases: int) -> int:
    import django

    django.setup()
    ok = flagging()
    ok &= cost(cases)
    return 0 if ok else 1


def flagging() -> bool:
    from jiedao.cases import classifier, duplicates
    from jiedao.cases.classifier import model as classifier_model
    from jiedao.cases.duplicates import model
    from jiedao.cases.services.duplicates import similarity

    scorer, space = duplicates.loaded()
    reader = classifier.loaded_model()
    pairs = model.read_heldout(model.HELDOUT)
    result = model.evaluate(scorer, space, reader, pairs)
    same, different = result["same"], result["different"]
    ok = same["flagged"] >= SAME_LIMIT and different["flagged"] <= DIFFERENT_LIMIT
    print(f"duplicates held-out: one incident flagged {same['flagged']:.1%} of {same['n']} pairs "
          f"(limit ≥ {SAME_LIMIT:.0%}), different problems at one place flagged {different['flagged']:.1%} "
          f"of {different['n']} (limit ≤ {DIFFERENT_LIMIT:.0%})")

    suggested = model.suggestions(reader, [p.text_a for p in pairs] + [p.text_b for p in pairs])
    old = {True: [], False: []}
    for p in pairs:
        category_a, category_b = suggested[p.text_a]["category"], suggested[p.text_b]["category"]
        near = p.same_building or p.metres <= 150
        old[p.same].append(near and category_a == category_b and similarity(p.text_a, p.text_b) >= OLD_SIMILARITY)
    print(f"duplicates held-out, intake's rule before the scorer: one incident flagged "
          f"{sum(old[True]) / len(old[True]):.1%}, different problems {sum(old[False]) / len(old[False]):.1%} "
          f"(for reference)")

    rows = classifier_model.read_tsv(classifier_model.HERE / "dev.tsv")
    by_category: dict[str, list[str]] = {}
    for category, text in rows:
        by_category.setdefault(category, []).append(text)
    rng = random.Random(20)
    same_pairs = rng.sample([(a, b) for texts in by_category.values() for i, a in enumerate(texts)
                             for b in texts[i + 1:]], 600)
    suggested = model.suggestions(reader, [text for _, text in rows])
    different_pairs = []
    for _ in range(600):
        first = rng.choice(list(by_category))
        text = rng.choice(by_category[first])
        close = [a["category"] for a in suggested[text]["alternatives"] if a["category"] in by_category
                 and a["category"] != first]
        second = rng.choice(close or [c for c in by_category if c != first])
        different_pairs.append((text, rng.choice(by_category[second])))

    def share(items) -> float:
        flagged = 0
        for i, (text_a, text_b) in enumerate(items):
            hours, metres = CYCLE[i % len(CYCLE)]
            a, b = model.placed_sides(space, suggested, text_a=text_a, text_b=text_b, same_building=metres is None,
                                      buildings=True, metres=metres or 0.0, hours=hours)
            flagged += scorer.probability(duplicates.pair_features(a, b)[0]) >= scorer.threshold
        return flagged / len(items)

    print(f"duplicates development (dev.tsv): same category flagged {share(same_pairs):.1%}, confusable "
          f"categories {share(different_pairs):.1%} of {len(same_pairs)} pairs each (for reference)")
    return ok


def cost(n: int) -> bool:
    from django.db import connection

    from jiedao.cases import duplicates
    from jiedao.cases.models import Case
    from jiedao.cases.services import duplicates as service

    fields = ("subdistrict_id", "description", "lat", "lon", "building_id", "category__name", "suggestion",
              "reported_at")  # not the encrypted phone: another data folder's keys cannot read it
    newest = list(Case.objects.filter(lat__isnull=False).select_related("category").only(*fields)
                  .order_by("-reported_at")[:n])
    asked = []
    for case in newest:  # as intake asks: the case not saved yet (its id kept, so that it does not find itself)
        unsaved = Case(id=case.pk, subdistrict_id=case.subdistrict_id, description=case.description, lat=case.lat,
                       lon=case.lon, building_id=case.building_id, category=case.category, suggestion=case.suggestion,
                       reported_at=case.reported_at)
        asked.append(unsaved)
    duplicates.loaded()
    service.find_duplicate(case=asked[0])  # the first query of a connection prepares the statement
    _scorer, space = duplicates.loaded()
    ok = True
    for label in ("cold", "warm"):
        if label == "cold":
            space.profile.cache_clear()
        query_ms, score_ms, score_cpu_ms, counts, flagged = [], [], [], [], 0
        for case in asked:
            started = time.perf_counter()
            found = service._candidates(case, statuses=service._INTAKE_STATUSES)
            query_ms.append((time.perf_counter() - started) * 1000)
            started, cpu = time.perf_counter(), time.process_time()
            matches = service._score(case, found)
            score_ms.append((time.perf_counter() - started) * 1000)
            score_cpu_ms.append((time.process_time() - cpu) * 1000)
            counts.append(len(found))
            flagged += bool(matches) and matches[0].probability >= _scorer.threshold
        # Over the cases that have candidates: the others cost the scorer nothing and would flatter it.
        some = [i for i, n in enumerate(counts) if n]
        wall, cpu = [score_ms[i] for i in some], [score_cpu_ms[i] for i in some]
        scoring = statistics.median(wall)
        ok &= scoring <= COST_LIMIT_MS
        print(f"duplicates cost per case ({connection.vendor}, {label}): the scorer {scoring:.2f} ms median, "
              f"p95 {quantile(wall, 0.95):.2f} ms (CPU time: median {statistics.median(cpu):.2f}, p95 "
              f"{quantile(cpu, 0.95):.2f}) over the {len(some)} of {len(asked)} cases with candidates, "
              f"{statistics.mean(counts[i] for i in some):.1f} candidates each (max {max(counts)}) (limit "
              f"{COST_LIMIT_MS:g} ms); the candidate query {statistics.median(query_ms):.2f} ms median; "
              f"{flagged} cases flagged")
    return ok


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


if __name__ == "__main__":
    sys.exit(main())
