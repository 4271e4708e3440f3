"""Benchmark of the visit assessment (AI回访评估), trained from scratch into a temporary DATA_DIR.

    .venv/bin/python bench/visit_assessment.py [--misses] [--no-cv]

Prints one line per figure with its limit and exits non-zero when one is missed:
- training time (corpus generation + fit + evaluation) ≤ 30 s;
- on the hand-written held-out set (heldout2.tsv, never trained on, never tuned on): risk accuracy ≥ 0.85,
  recall of 高 ≥ 0.95, macro-F1 of the five types ≥ 0.80 (issue 15), with each type's F1;
- the development notes (dev.tsv and the first held-out set heldout.tsv, both trained on) cross-validated
  five-fold, for reference (``--no-cv`` skips it: five more trainings);
- batch throughput over 20,000 notes ≥ 200 notes/s (best of three), and one note's latency for reference;
- quality flags: one visit's flags against 200 earlier notes of the worker and 200 of other households.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRAIN_LIMIT_S = 30.0
ACCURACY_LIMIT, HIGH_RECALL_LIMIT, MACRO_F1_LIMIT = 0.85, 0.95, 0.80
RATE_LIMIT = 200.0
N_NOTES = 20_000


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jiedao-bench-visit-assessment-") as data_dir:
        os.environ["JIEDAO_DATA_DIR"] = data_dir
        return run(misses="--misses" in sys.argv, cv="--no-cv" not in sys.argv)


def run(*, misses: bool, cv: bool) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiedao.settings"
    import django

    django.setup()
    from jiedao.visits import assessment
    from jiedao.visits.assessment import model
    from jiedao.visits.assessment.quality import quality_flags

    ok = True
    started = time.perf_counter()
    metrics = assessment.train()
    seconds = time.perf_counter() - started
    ok &= seconds <= TRAIN_LIMIT_S
    print(f"visit assessment training: {seconds:.1f} s for {metrics['notes']:,} generated and "
          f"{metrics['hand_notes']:,} hand-written notes, {metrics['features']:,} features (limit {TRAIN_LIMIT_S:g} s)")

    results = [("held-out heldout2.tsv, never trained on", metrics["heldout"])]
    if cv:
        folds = assessment.cross_validate()
        results += [(f"development {name}, 5-fold cross-validated ({folds['seconds']:.0f} s)", folds[key])
                    for name, key in (("dev.tsv", "dev"), ("heldout.tsv", "heldout1"), ("all", "all"))]
    for name, result in results:
        per_type = ", ".join(f"{kind} {f1:.2f}" for kind, f1 in result["type_f1"].items())
        print(f"visit assessment {name} ({result['n']} notes): risk accuracy {result['accuracy']:.3f}, "
              f"高 recall {result['high_recall']:.3f}, type macro-F1 {result['macro_f1']:.3f} ({per_type})"
              + (f" (limits {ACCURACY_LIMIT}, {HIGH_RECALL_LIMIT}, {MACRO_F1_LIMIT})" if result is metrics["heldout"]
                 else " (for reference)"))
    held = metrics["heldout"]
    ok &= (held["accuracy"] >= ACCURACY_LIMIT and held["high_recall"] >= HIGH_RECALL_LIMIT
           and held["macro_f1"] >= MACRO_F1_LIMIT)
    if misses:
        for risk, types, got_risk, got_types, note in held["misses"]:
            print(f"  {risk} {','.join(types) or '-'} → {got_risk} {','.join(got_types) or '-'}: {note}")

    pool = [note for path in (model.HELDOUT, model.DEV, model.HELDOUT1) for _, _, note in model.read_tsv(path)]
    notes = [f"{pool[i % len(pool)]}（{i}）" for i in range(N_NOTES)]  # distinct notes, realistic lengths
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        assessment.assess_notes(notes)
        best = min(best, time.perf_counter() - started)
    rate = N_NOTES / best
    ok &= rate >= RATE_LIMIT
    print(f"visit assessment batch: {rate:,.0f} notes/s over {N_NOTES:,} notes (limit {RATE_LIMIT:,.0f} notes/s)")

    samples = []
    for note in pool[:200]:
        started = time.perf_counter()
        assessment.assess_note(note)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"visit assessment one note: median {statistics.median(samples):.2f} ms (for reference)")

    rng = random.Random(15)
    samples = []
    for note in pool[:200]:
        own, others = rng.sample(pool, 200), rng.sample(pool, 200)
        started = time.perf_counter()
        quality_flags(note=note, same_worker_notes=own, other_household_notes=others, distance_m=80.0,
                      visits_in_hour=3)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"visit quality flags, 400 notes compared: median {statistics.median(samples):.2f} ms a visit "
          "(for reference)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
