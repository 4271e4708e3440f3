"""What the duplicate scorer knows about a pair of cases: the features of ``pair_features``, from each side's
place, time, category and text.

A side (``Side``) is one case as the scorer sees it: its building and point, when it was reported, its
category (the operator's, else the classifier's suggestion with its two alternatives, as intake stores them
in ``Case.suggestion``) and its text as a vector (``Profile``).

The text vector reuses the classifier's own features (``TextSpace``): its character 1–3-grams, their idf,
and how strongly the classifier's coefficients tie each gram to one category. Weighting by that last part
makes the cosine look at what a text is about (灯, 不亮, 井盖, 油烟) and past the words every complaint
shares (你好, 市民来电反映, 要求相关部门), so two callers describing one lamp in their own words still come out
close, and two complaints from the same caller's template about different things do not.
"""

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from jiedao.cases.classifier.text import clean, normalise

# The features, in the order of the model's weights; docs/duplicates.md describes each.
FEATURES = (
    "same_building",     # both placed in one building (楼栋)
    "other_building",    # both placed in buildings, different ones
    "metres",            # metres between the two points / 160 (the farthest a candidate is); 0 when either
                         # has none. Linear: one incident's distances fall off exponentially, another
                         # incident's spread evenly, so the log-odds fall in a straight line with distance
    "no_distance",       # either point missing
    "hours",             # log(1 + hours apart) / log(1 + 168)
    "same_category",     # the same 认定分类 (the operator's category, else the suggestion), weighed by the
                         # lower of the two confidences (1 for an operator's category): two guesses that
                         # agree by chance, as for two sensor alarms the classifier has no words for, count
                         # for little
    "category_overlap",  # Σ min(p_a, p_b) over both top-three category lists, as the classifier gave them
    "text_similarity",   # cosine of the two texts in the classifier's feature space (see the module docstring)
)
FAR_METRES = 160.0
WEEK_HOURS = 168.0
MIN_CHARACTERS = 3  # a text with fewer letters or digits says nothing to compare (issue: "one- or two-character")


@dataclass(frozen=True)
class Profile:
    """A text as the scorer compares it: feature column → weight (unit length), and how many letters and
    digits it has. A plain dict: a text has about a hundred grams, and at that size a dict is quicker to
    build and to compare than numpy arrays."""

    weights: dict[int, float]
    characters: int


@dataclass(frozen=True)
class Side:
    """One case of a pair. ``categories`` maps category names to the classifier's probabilities (top
    three), or the operator's category to 1.0; ``category`` is the 认定分类's name."""

    building_id: int | None
    lat: float | None
    lon: float | None
    at: dt.datetime
    category: str | None
    categories: dict[str, float]
    profile: Profile


@dataclass(frozen=True)
class Facts:
    """What the reasons shown to the operator are made of (``reasons_for`` in services.duplicates)."""

    same_building: bool
    metres: float | None
    hours: float
    same_category: bool
    category_overlap: float
    text_similarity: float


class TextSpace:
    """Texts as vectors over the classifier's features: sublinear tf × idf × how much each gram tells the
    categories apart (the spread of its coefficients across them), then unit length."""

    def __init__(self, pipeline):
        tfidf, logreg = pipeline.named_steps["tfidf"], pipeline.named_steps["logreg"]
        if not (tfidf.analyzer == "char" and tfidf.ngram_range == (1, 3) and tfidf.preprocessor is normalise):
            raise ValueError("the text space follows the classifier's normalised character 1–3-grams")
        self.vocabulary = tfidf.vocabulary_
        spread = logreg.coef_.std(axis=0)
        self.weight = (tfidf.idf_ * spread / spread.max()).tolist()
        self.profile = lru_cache(maxsize=4096)(self._profile)  # candidates come back case after case

    @staticmethod
    def grams(text: str) -> list[str]:
        """The classifier's analyser (``build_analyzer()``: normalise, then character 1–3-grams), written
        out: a third of its time goes to its generality (tests check the two agree)."""
        t = normalise(text)
        return [*t, *(t[i:i + 2] for i in range(len(t) - 1)), *(t[i:i + 3] for i in range(len(t) - 2))]

    def _profile(self, text: str) -> Profile:
        text = clean(text)
        vocabulary, weight = self.vocabulary, self.weight
        weights = {j: (1.0 + math.log(n)) * weight[j] for gram, n in Counter(self.grams(text)).items()
                   if (j := vocabulary.get(gram)) is not None}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if norm:
            weights = {j: w / norm for j, w in weights.items()}
        return Profile(weights, sum(ch.isalnum() for ch in text))


def categories_of(suggestion: dict | None, confirmed: str | None) -> dict[str, float]:
    """Category name → probability: the operator's category alone when there is one, else the classifier's
    suggestion and its two alternatives as intake stored them."""
    if confirmed:
        return {confirmed: 1.0}
    if not suggestion or not suggestion.get("category"):
        return {}
    out = {str(suggestion["category"]): float(suggestion.get("confidence") or 0.0)}
    for alternative in suggestion.get("alternatives") or ():
        name = str(alternative.get("category") or "")
        if name and name not in out:
            out[name] = float(alternative.get("confidence") or 0.0)
    return out


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in metres on a flat approximation, close enough within a subdistrict."""
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(min(p, b[name]) for name, p in a.items() if name in b)


TEXT_FEATURE = FEATURES.index("text_similarity")


def pair_features(a: Side, b: Side, *, text: bool = True) -> tuple[list[float], Facts]:
    """The features of the pair in ``FEATURES`` order, and the facts behind them. With ``text=False`` the
    text similarity is left at 0 (``with_text`` adds it later): the place, time and category alone may
    already rule the pair out, and the cosine is most of a pair's cost."""
    same_building = a.building_id is not None and a.building_id == b.building_id
    other_building = a.building_id is not None and b.building_id is not None and not same_building
    metres = None
    if a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None:
        metres = metres_between(a.lat, a.lon, b.lat, b.lon)
    hours = abs((a.at - b.at).total_seconds()) / 3600
    same_category = a.category is not None and a.category == b.category
    agreement = min(a.categories.get(a.category, 0.0), b.categories.get(b.category, 0.0)) if same_category else 0.0
    overlap = _overlap(a.categories, b.categories)
    similarity = cosine(a.profile, b.profile) if text else 0.0
    features = [
        float(same_building), float(other_building),
        min(metres, FAR_METRES) / FAR_METRES if metres is not None else 0.0, float(metres is None),
        math.log1p(min(hours, WEEK_HOURS)) / math.log1p(WEEK_HOURS),
        agreement, overlap, similarity,
    ]
    facts = Facts(same_building=same_building, metres=metres, hours=hours, same_category=same_category,
                  category_overlap=overlap, text_similarity=similarity)
    return features, facts


def with_text(a: Side, b: Side, features: list[float], facts: Facts) -> tuple[list[float], Facts]:
    """``pair_features(a, b, text=False)``'s answer completed with the text similarity."""
    similarity = cosine(a.profile, b.profile)
    features = [*features[:TEXT_FEATURE], similarity, *features[TEXT_FEATURE + 1:]]
    return features, replace(facts, text_similarity=similarity)


def cosine(a: Profile, b: Profile) -> float:
    """The cosine of two profiles (both unit length): the sum over the grams they share."""
    small, large = (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (b.weights, a.weights)
    return sum(w * large.get(j, 0.0) for j, w in small.items())
