"""Training, evaluating, saving and loading the duplicate scorer.

Logistic regression over the pair features (features.FEATURES), fitted on generated pairs (pairs.py) whose
texts the classifier scores as intake would. The fitted weights are kept as plain numbers: scoring a pair
is a dot product and a logistic, a few microseconds, so intake can score every candidate.
"""

import datetime as dt
import hashlib
import math
import os
import random
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from jiedao.cases.classifier import corpus
from jiedao.cases.classifier import model as classifier_model
from jiedao.cases.classifier.text import clean
from jiedao.cases.duplicates import pairs as generated
from jiedao.cases.duplicates.features import FEATURES, Side, TextSpace, categories_of, pair_features
from jiedao.cases.taxonomy import CLASSIFIED

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout_pairs.tsv"  # hand-written before the scorer was trained, never trained on
FORMAT = 1  # bump when the saved bundle's layout changes
TEMPERATURE_TEXTS = 20  # generated texts per category whose confidence is matched with people's
CONFUSION_TEXTS = 60  # texts per category whose alternatives say which categories the classifier confuses
THRESHOLD = 0.5  # the pairs are balanced, so the probability's middle is where one incident becomes likelier
# A point north of another by this many metres, for pairs given as a distance.
_METRES_PER_DEGREE = 111_320
_ORIGIN = (31.2300, 121.4000)
_T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def fingerprint(classifier: classifier_model.Model) -> str:
    """What a saved scorer was built from: this package's sources, the classifier it reads the texts with
    and the scikit-learn version. A scorer whose fingerprint differs is rebuilt."""
    digest = hashlib.sha256(f"{FORMAT}:{sklearn.__version__}:{classifier.fingerprint}".encode())
    for path in sorted(HERE.rglob("*.py")):
        digest.update(path.relative_to(HERE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Scorer:
    """The fitted weights (one per feature, in FEATURES order), the threshold, what they were built from
    and how well they did."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float
    fingerprint: str
    metrics: dict

    def probability(self, features: list[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def ceiling(self, features: list[float], free: int) -> float:
        """The highest probability the pair can reach whatever feature ``free`` (a value in [0, 1]) turns out
        to be, the others as given: a pair whose ceiling is under the threshold need not have it computed."""
        known = [0.0 if i == free else x for i, x in enumerate(features)]
        z = self.intercept + sum(w * x for w, x in zip(self.weights, known, strict=True)) \
            + max(self.weights[free], 0.0)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def suggestions(classifier: classifier_model.Model, texts: list[str], *, temperature: float = 1.0) -> dict[str, dict]:
    """text → the suggestion intake would store for it (category, confidence, two alternatives); with a
    ``temperature`` above 1, as a less certain reader would give it (see ``temperature``)."""
    unique = [text for text in dict.fromkeys(texts) if clean(text)]
    if not unique:
        return {}
    probabilities = _tempered(_probabilities(classifier, unique), temperature)
    classes = classifier.classes
    ranked = np.argsort(-probabilities, axis=1)[:, :3]
    out: dict[str, dict] = {}
    for text, row, top in zip(unique, probabilities, ranked, strict=True):
        first, *rest = (int(j) for j in top)
        out[text] = {"category": str(classes[first]), "confidence": round(float(row[first]), 4),
                     "alternatives": [{"category": str(classes[j]), "confidence": round(float(row[j]), 4)}
                                      for j in rest]}
    return out


def _probabilities(classifier: classifier_model.Model, texts: list[str]) -> np.ndarray:
    cleaned = [clean(text) for text in texts]
    return np.vstack([classifier.probabilities(cleaned[i:i + 2048]) for i in range(0, len(cleaned), 2048)])


def _tempered(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    if temperature == 1.0:
        return probabilities
    flattened = probabilities ** (1.0 / temperature)
    return flattened / flattened.sum(axis=1, keepdims=True)


def temperature(classifier: classifier_model.Model, *, seed: int = generated.SEED) -> float:
    """The temperature at which the classifier is as sure of generated texts as it is of people's.

    It is surer of the corpus's texts (mean confidence about 0.93) than of the hand-written development
    texts (dev.tsv, about 0.83), and the scorer's category weights are learned from the confidences it
    sees: learned at 0.93, they would ask more of a person's text than it ever gets. So the training pairs'
    suggestions are flattened (p ** (1 / T), scaled to sum to 1) until their mean confidence is the
    development texts'."""
    people = [text for _, text in classifier_model.read_tsv(classifier_model.HERE / "dev.tsv")]
    target = float(_probabilities(classifier, people).max(axis=1).mean())
    rng = random.Random(f"temperature:{seed}")
    raw = _probabilities(classifier, [generated.write(name, rng) for name in CLASSIFIED
                                      for _ in range(TEMPERATURE_TEXTS)])
    low, high = 1.0, 8.0
    for _ in range(30):
        mid = (low + high) / 2
        low, high = (mid, high) if _tempered(raw, mid).max(axis=1).mean() > target else (low, mid)
    return round((low + high) / 2, 3)


def _side(space: TextSpace, suggestion: dict | None, text: str, *, building_id, lat, lon, at, confirmed=None):
    categories = categories_of(suggestion, confirmed)
    category = confirmed or (suggestion or {}).get("category")
    return Side(building_id=building_id, lat=lat, lon=lon, at=at, category=category, categories=categories,
                profile=space.profile(text))


def placed_sides(space: TextSpace, suggested: dict[str, dict], *, text_a: str, text_b: str, same_building: bool,
                 buildings: bool, metres: float | None, hours: float, confirmed_a: str | None = None,
                 confirmed_b: str | None = None) -> tuple[Side, Side]:
    """The two sides of a pair given as texts, a distance and a time apart: ``a`` the newer case at the
    origin, ``b`` reported ``hours`` before it, ``metres`` to the north."""
    lat, lon = _ORIGIN
    building_a, building_b = (1, 1) if same_building else ((1, 2) if buildings else (None, None))
    a = _side(space, suggested.get(text_a), text_a, building_id=building_a, lat=lat, lon=lon, at=_T0,
              confirmed=confirmed_a)
    b = _side(space, suggested.get(text_b), text_b, building_id=building_b,
              lat=None if metres is None else lat + metres / _METRES_PER_DEGREE,
              lon=None if metres is None else lon, at=_T0 - dt.timedelta(hours=hours), confirmed=confirmed_b)
    return a, b


def _matrix(space: TextSpace, classifier: classifier_model.Model, items: list[generated.Pair], *,
            temperature: float = 1.0):
    suggested = suggestions(classifier, [p.text_a for p in items] + [p.text_b for p in items],
                            temperature=temperature)
    rows = []
    for p in items:
        a, b = placed_sides(space, suggested, text_a=p.text_a, text_b=p.text_b, same_building=p.same_building,
                            buildings=p.buildings, metres=p.metres, hours=p.hours,
                            confirmed_a=p.category_a if p.confirmed_a else None,
                            confirmed_b=p.category_b if p.confirmed_b else None)
        rows.append(pair_features(a, b)[0])
    return np.array(rows, dtype=np.float64), np.array([p.same for p in items], dtype=np.int8)


def _confusions(classifier: classifier_model.Model, seed: int) -> dict[str, list]:
    """category → [(another category, the summed probability the classifier gives it on this one's texts)]."""
    texts = {name: corpus.texts_for(name, count=CONFUSION_TEXTS, seed=seed) for name in CLASSIFIED}
    out: dict[str, dict[str, float]] = {}
    suggested = suggestions(classifier, [t for items in texts.values() for t in items])
    for name, items in texts.items():
        weights = out.setdefault(name, {})
        for text in items:
            s = suggested.get(text)
            for alternative in (s or {}).get("alternatives", ()):
                weights[alternative["category"]] = weights.get(alternative["category"], 0.0) \
                    + alternative["confidence"] + 1e-3
    return {name: sorted(w.items()) for name, w in out.items()}


def fit(classifier: classifier_model.Model, *, seed: int = generated.SEED, count: int = generated.PAIRS) -> Scorer:
    """Generate the pairs, fit the weights, and measure them on other generated pairs (another seed) and on
    the hand-written held-out pairs; deterministic for a given seed and classifier."""
    started = time.perf_counter()
    space = TextSpace(classifier.pipeline)
    confusions = _confusions(classifier, seed)
    tempered = temperature(classifier, seed=seed)
    x, y = _matrix(space, classifier, list(generated.generate(confusions=confusions, seed=seed, count=count)),
                   temperature=tempered)
    logreg = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    scorer = Scorer(weights=tuple(float(w) for w in logreg.coef_[0]), intercept=float(logreg.intercept_[0]),
                    threshold=THRESHOLD, fingerprint=fingerprint(classifier), metrics={})
    seconds = time.perf_counter() - started
    vx, vy = _matrix(space, classifier, list(generated.generate(confusions=confusions, seed=seed + 1,
                                                                count=count // 4)), temperature=tempered)
    flagged = np.array([scorer.probability(list(row)) >= scorer.threshold for row in vx])
    scorer.metrics = {
        "pairs": len(y),
        "temperature": tempered,
        "seconds": round(seconds, 2),
        "weights": dict(zip(FEATURES, (round(w, 3) for w in scorer.weights), strict=True)),
        "intercept": round(scorer.intercept, 3),
        "generated": {"n": len(vy), "recall": float(flagged[vy == 1].mean()),
                      "false_flags": float(flagged[vy == 0].mean())},
        "heldout": evaluate(scorer, space, classifier, read_heldout(HELDOUT)) if HELDOUT.exists() else None,
    }
    return scorer


@dataclass(frozen=True)
class HeldoutPair:
    """One line of heldout_pairs.tsv."""

    same: bool
    hours: float
    same_building: bool
    metres: float
    channel_a: str
    text_a: str
    channel_b: str
    text_b: str


def read_heldout(path: Path) -> list[HeldoutPair]:
    """The pairs of a held-out file (see its header for the columns); ``#`` lines and blank lines skipped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, hours, place, channel_a, text_a, channel_b, text_b = line.split("\t")
        if kind not in ("same", "different"):
            raise ValueError(f"留出集的类型应为 same 或 different：{kind}")
        out.append(HeldoutPair(same=kind == "same", hours=float(hours), same_building=place == "楼",
                               metres=0.0 if place == "楼" else float(place), channel_a=channel_a, text_a=text_a,
                               channel_b=channel_b, text_b=text_b))
    return out


def evaluate(scorer: Scorer, space: TextSpace, classifier: classifier_model.Model,
             items: list[HeldoutPair]) -> dict:
    """The share of one-incident pairs flagged (target ≥ 80 %) and of different problems at one place
    flagged (target ≤ 10 %), with the pairs on the wrong side, as intake scores one case of a pair with the
    other (categories as the classifier suggests them, none confirmed)."""
    suggested = suggestions(classifier, [p.text_a for p in items] + [p.text_b for p in items])
    scored = []
    for p in items:
        a, b = placed_sides(space, suggested, text_a=p.text_a, text_b=p.text_b, same_building=p.same_building,
                            buildings=True, metres=p.metres, hours=p.hours)
        probability = scorer.probability(pair_features(a, b)[0])
        scored.append((p, probability, probability >= scorer.threshold))
    out = {}
    for kind, same in (("same", True), ("different", False)):
        rows = [(p, prob, flag) for p, prob, flag in scored if p.same is same]
        wrong = [(round(prob, 3), p.text_a, p.text_b) for p, prob, flag in rows if flag is not same]
        out[kind] = {"n": len(rows), "flagged": sum(flag for _, _, flag in rows) / len(rows) if rows else 0.0,
                     "wrong": wrong}
    return out


def save(scorer: Scorer, path: Path) -> None:
    """Write atomically (a temporary file renamed into place), so a reader never sees half a scorer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".duplicates-", suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump(scorer, tmp)
        os.chmod(tmp, 0o644)  # not secret; the server may run as another user than the command
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path, *, expected: str) -> Scorer | None:
    """The scorer saved at ``path``, or None when there is none, it is unreadable, or its fingerprint is not
    ``expected`` (built from other sources or another classifier)."""
    if not path.exists():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scorer = joblib.load(path)
    except Exception:  # any unreadable file is simply rebuilt
        return None
    if not isinstance(scorer, Scorer) or scorer.fingerprint != expected:
        return None
    return scorer
