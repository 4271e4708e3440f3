"""Benchmark of the case classifier (案件分类器), trained from scratch into a temporary DATA_DIR.

    .venv/bin/python bench/classifier.py

Prints one line per figure with its limit and exits non-zero when one is missed:
- training time (corpus generation + fit + held-out evaluation) ≤ 15 s;
- held-out top-1 ≥ 90 % and top-3 ≥ 98 % (heldout.tsv, hand-written, never trained on);
- the development set (dev.tsv) for reference, with the same limits;
- batch throughput over 20,000 texts ≥ 500 texts/s (best of three), and single-text latency for reference.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRAIN_LIMIT_S = 15.0
TOP1_LIMIT, TOP3_LIMIT = 0.90, 0.98
RATE_LIMIT = 500.0
N_TEXTS = 20_000


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jiedao-bench-classifier-") as data_dir:
        os.environ["JIEDAO_DATA_DIR"] = data_dir
        return run()


def run() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiedao.settings"
    import django

    django.setup()
    from jiedao.cases import classifier
    from jiedao.cases.classifier import model

    ok = True
    started = time.perf_counter()
    metrics = classifier.train()
    seconds = time.perf_counter() - started
    ok &= seconds <= TRAIN_LIMIT_S
    print(f"classifier training: {seconds:.1f} s for {metrics['texts']:,} generated texts, "
          f"{metrics['features']:,} features (limit {TRAIN_LIMIT_S:g} s)")

    loaded = classifier.loaded_model()
    for name, path in (("held-out", model.HELDOUT), ("development", model.HERE / "dev.tsv")):
        result = model.evaluate(loaded, model.read_tsv(path))
        ok &= result["top1"] >= TOP1_LIMIT and result["top3"] >= TOP3_LIMIT
        print(f"classifier {name}: top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%} over {result['n']} texts "
              f"(limits {TOP1_LIMIT:.0%}, {TOP3_LIMIT:.0%})")

    pool = [text for _, text in model.read_tsv(model.HELDOUT) + model.read_tsv(model.HERE / "dev.tsv")]
    texts = [f"{pool[i % len(pool)]}（{i}）" for i in range(N_TEXTS)]  # distinct texts, realistic lengths
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        classifier.classify_many(texts)
        best = min(best, time.perf_counter() - started)
    rate = N_TEXTS / best
    ok &= rate >= RATE_LIMIT
    print(f"classifier batch: {rate:,.0f} texts/s over {N_TEXTS:,} texts (limit {RATE_LIMIT:,.0f} texts/s)")

    samples = []
    for text in pool[:200]:
        started = time.perf_counter()
        classifier.classify(text)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"classifier single text: median {statistics.median(samples):.2f} ms (for reference)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
