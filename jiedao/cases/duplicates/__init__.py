"""疑似重复 scorer: the probability that two cases report one incident, from their place, time, category and
text, with weights learned from generated pairs (see docs/duplicates.md).

    scorer, space = loaded()
    features, facts = pair_features(new_side, candidate_side)
    scorer.probability(features)  # 0.93

Like the classifier, the scorer is trained by the project, never downloaded, and is a generated file, not in
git: ``jiedao train-duplicates`` builds it under ``DATA_DIR/models/``, and the first case that has
candidates to score builds it when it is missing or out of date (it reads texts with the classifier, so a
new classifier makes it out of date too). The loaded scorer is cached per process.
"""

import logging
import threading
from pathlib import Path

from django.conf import settings

from jiedao.cases import classifier
from jiedao.cases.duplicates import model as _model
from jiedao.cases.duplicates.features import (
    FEATURES,
    MIN_CHARACTERS,
    TEXT_FEATURE,
    Facts,
    Profile,
    Side,
    TextSpace,
    categories_of,
    metres_between,
    pair_features,
    with_text,
)

__all__ = [
    "FEATURES", "MIN_CHARACTERS", "TEXT_FEATURE", "Facts", "Profile", "Side", "TextSpace", "categories_of",
    "loaded", "metres_between", "model_path", "pair_features", "reset", "train", "with_text",
]

log = logging.getLogger(__name__)


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "models" / "duplicates.joblib"


_lock = threading.Lock()
_cache: dict[tuple[str, int], tuple[_model.Scorer, TextSpace]] = {}


def loaded() -> tuple[_model.Scorer, TextSpace]:
    """The scorer for the current ``DATA_DIR`` and the classifier's text space, loaded once per process
    (and per classifier model); trained first when missing or out of date."""
    reader = classifier.loaded_model()  # the classifier's own model: the scorer reads texts with its features
    key = (str(settings.DATA_DIR), id(reader))  # asked once a case: no path to build for a hit
    found = _cache.get(key)
    if found is not None:
        return found
    with _lock:  # one thread loads or trains; the others wait for it
        found = _cache.get(key)
        if found is None:
            path = model_path()
            scorer = _model.load(path, expected=_model.fingerprint(reader))
            if scorer is None:
                log.info("疑似重复评分模型不存在或已过期，正在训练：%s", path)
                scorer = _train_and_save(reader, path)
            found = (scorer, TextSpace(reader.pipeline))
            _cache.clear()
            _cache[key] = found
        return found


def _train_and_save(reader, path: Path, *, must_save: bool = False) -> _model.Scorer:
    trained = _model.fit(reader)
    try:
        _model.save(trained, path)
    except OSError:
        if must_save:
            raise
        # A read-only DATA_DIR must not stop intake: use the scorer in memory, train again next process.
        log.warning("无法保存疑似重复评分模型：%s", path, exc_info=True)
    return trained


def train(path: Path | str | None = None) -> dict:
    """Train on generated pairs, save to ``path`` (default: ``model_path()``) and return the metrics: pairs,
    seconds, weights, generated = {n, recall, false_flags}, heldout = {same, different: {n, flagged, wrong}},
    threshold and path."""
    target = Path(path) if path is not None else model_path()
    reader = classifier.loaded_model()
    with _lock:
        trained = _train_and_save(reader, target, must_save=True)
        if target == model_path():
            _cache.clear()
            _cache[(str(settings.DATA_DIR), id(reader))] = (trained, TextSpace(reader.pipeline))
    return trained.metrics | {"threshold": trained.threshold, "path": str(target)}


def reset() -> None:
    """Forget the loaded scorer (tests, or after replacing the file under a running process)."""
    with _lock:
        _cache.clear()
