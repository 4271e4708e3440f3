"""Training, evaluating, saving and loading the classifier's model.

TF-IDF of character 1–3-grams → multinomial logistic regression. Character n-grams need no dictionary
and carry the words anyway (噪音, 飞线, 居改非 are 2–3 characters); jieba word features add training time and
take throughput away for no held-out accuracy (docs/classifier.md), so the model does without. Logistic
regression gives probabilities that sum to one across the 29 categories, so the confidence and the two
alternatives come straight from them.
"""

import hashlib
import os
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from jiedao.cases.classifier import corpus
from jiedao.cases.classifier.text import clean, normalise

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout.tsv"  # hand-written, never trained on (see docs/classifier.md)
FORMAT = 1  # bump when the saved bundle's layout changes


def fingerprint() -> str:
    """What the saved model was built from: this package's sources and the scikit-learn version. A model
    whose fingerprint differs (the corpus or the code changed, or scikit-learn was upgraded) is rebuilt."""
    digest = hashlib.sha256(f"{FORMAT}:{sklearn.__version__}".encode())
    for path in sorted(HERE.rglob("*.py")):
        digest.update(path.relative_to(HERE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_pipeline() -> Pipeline:
    return Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                                  preprocessor=normalise, dtype=np.float32)),
        # newton-cg: deterministic, and faster than lbfgs here for the same accuracy (docs/cases.md). C=10: the
        # corpus is clean and varied, so little smoothing is needed.
        ("logreg", LogisticRegression(C=10.0, solver="newton-cg", max_iter=200)),
    ])


@dataclass
class Model:
    """A trained pipeline with what it was built from and how well it did."""

    pipeline: Pipeline
    fingerprint: str
    metrics: dict
    _one: "_OneText | None" = field(default=None, init=False, repr=False, compare=False)

    @property
    def classes(self) -> list[str]:
        return list(self.pipeline.classes_)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per (already cleaned, non-empty) text, one column per category in ``classes`` order."""
        if len(texts) == 1:  # intake: one case at a time
            if self._one is None:
                self._one = _OneText(self.pipeline)
            return self._one.probabilities(texts[0])[None, :]
        # TF-IDF rows are finite by construction, so sklearn's finiteness check only costs time (docs/cases.md).
        with sklearn.config_context(assume_finite=True):
            return self.pipeline.predict_proba(texts)


class _OneText:
    """The pipeline's predict_proba for a single text, from the fitted vocabulary, idf and coefficients.

    Intake classifies one text per case; for one text, sklearn's input checks and sparse-matrix building
    are most of the call (docs/classifier.md). This is the same arithmetic without them: the vectoriser's
    own analyser (normalise, character 1–3-grams), sublinear tf × idf, l2 norm, then the multinomial
    logistic regression's softmax. Written by hand only for that overhead; tests check it against
    ``predict_proba`` on the whole held-out set.
    """

    def __init__(self, pipeline: Pipeline):
        tfidf, logreg = pipeline.named_steps["tfidf"], pipeline.named_steps["logreg"]
        if not (tfidf.sublinear_tf and tfidf.use_idf and tfidf.norm == "l2" and len(logreg.classes_) > 2):
            raise ValueError("the one-text path follows sublinear tf-idf with l2 norm and a multiclass model")
        self.analyse = tfidf.build_analyzer()
        self.vocabulary = tfidf.vocabulary_
        self.idf = tfidf.idf_.astype(np.float64)
        self.coef = np.ascontiguousarray(logreg.coef_.T, dtype=np.float64)  # features × classes
        self.intercept = logreg.intercept_.astype(np.float64)

    def probabilities(self, text: str) -> np.ndarray:
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for gram in self.analyse(text):
            j = vocabulary.get(gram)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        scores = self.intercept.copy()
        if counts:
            columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) \
                * self.idf[columns]
            weights /= np.sqrt(weights @ weights)
            scores += weights @ self.coef[columns]
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """(category, text) rows of a ``category<TAB>text`` UTF-8 file; blank lines and ``#`` lines skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            category, text = line.split("\t", 1)
            rows.append((category.strip(), text.strip()))
    return rows


def evaluate(model: Model, rows: list[tuple[str, str]]) -> dict:
    """Top-1 and top-3 accuracy (首选正确率, 前三正确率) over (category, text) rows: the share of rows whose
    category is the first suggestion, or among the first three."""
    if not rows:
        return {"n": 0, "top1": 0.0, "top3": 0.0, "misses": []}
    probabilities = model.probabilities([clean(text) for _, text in rows])
    classes = np.array(model.classes)
    ranked = classes[np.argsort(-probabilities, axis=1)[:, :3]]
    hits1 = ranked[:, 0] == np.array([c for c, _ in rows])
    hits3 = np.array([category in top for (category, _), top in zip(rows, ranked, strict=True)])
    misses = [(category, str(top[0]), text) for (category, text), top, hit in zip(rows, ranked, hits1, strict=True)
              if not hit]
    return {"n": len(rows), "top1": float(hits1.mean()), "top3": float(hits3.mean()), "misses": misses}


def fit(*, seed: int = corpus.SEED, per_category: int = corpus.PER_CATEGORY) -> Model:
    """Generate the corpus, train on it and evaluate on the held-out set; deterministic for a given seed."""
    started = time.perf_counter()
    rows = list(corpus.generate(count=per_category, seed=seed))
    pipeline = build_pipeline()
    pipeline.fit([text for _, text in rows], [category for category, _ in rows])
    seconds = time.perf_counter() - started
    model = Model(pipeline=pipeline, fingerprint=fingerprint(), metrics={})
    model.metrics = {
        "texts": len(rows),
        "categories": len(model.classes),
        "features": len(pipeline.named_steps["tfidf"].vocabulary_),
        "seconds": round(seconds, 2),
        "heldout": evaluate(model, read_tsv(HELDOUT)) if HELDOUT.exists() else None,
    }
    return model


def save(model: Model, path: Path) -> None:
    """Write atomically (a temporary file renamed into place), so a reader never sees half a model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".classifier-", suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump(model, tmp, compress=3)
        os.chmod(tmp, 0o644)  # not secret; the server may run as another user than the command
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path) -> Model | None:
    """The model saved at ``path``, or None when there is none, it is unreadable, or it is out of date."""
    if not path.exists():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a model from another scikit-learn version fails the fingerprint
            model = joblib.load(path)
    except Exception:  # any unreadable file is simply rebuilt
        return None
    if not isinstance(model, Model) or model.fingerprint != fingerprint():
        return None
    return model
