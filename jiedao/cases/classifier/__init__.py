"""案件分类器: suggests one of the 29 事件 categories (taxonomy.CLASSIFIED) for a complaint text.

    classify("楼上邻居半夜还在装修，电钻声吵得睡不着")
    # Suggestion(category="噪音扰民", code="S0504", confidence=0.9…, alternatives=[("犬只扰民", 0.0…), …])

The model is trained by the project on a corpus it generates (corpus.py), never downloaded. It is a
generated file, not in git: ``jiedao train-classifier`` builds it under ``DATA_DIR/models/``, and the first
classification in a process builds it when it is missing or out of date (a few seconds). The loaded model
is cached per process (``loaded_model()``). See docs/classifier.md.
"""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from jiedao.cases.classifier import model as _model
from jiedao.cases.classifier.text import clean
from jiedao.cases.taxonomy import CLASSIFIED

log = logging.getLogger(__name__)

BATCH = 2048  # texts per predict call in classify_many: bounds memory, keeps the vectoriser's speed


@dataclass(frozen=True)
class Suggestion:
    """The suggested category, its confidence (a probability, 0–1) and the next two (name, confidence)."""

    category: str
    code: str
    confidence: float
    alternatives: list[tuple[str, float]]


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "models" / "classifier.joblib"


_lock = threading.Lock()
_cache: dict[Path, _model.Model] = {}


def loaded_model() -> _model.Model:
    """The model for the current ``DATA_DIR``, loaded once per process; trained first if missing or stale.
    For code that reads texts with the classifier's own features (the duplicate scorer, cases.duplicates);
    the same object until the file changes or ``reset`` is called."""
    path = model_path()
    found = _cache.get(path)
    if found is not None:
        return found
    with _lock:  # one thread loads or trains; the others wait for it
        found = _cache.get(path)
        if found is None:
            found = _model.load(path)
            if found is None:
                log.info("案件分类模型不存在或已过期，正在训练：%s", path)
                found = _train_and_save(path)
            _cache.clear()
            _cache[path] = found
        return found


_loaded = loaded_model  # the name the classifier's own tests use


def _train_and_save(path: Path, *, must_save: bool = False) -> _model.Model:
    trained = _model.fit()
    try:
        _model.save(trained, path)
    except OSError:
        if must_save:
            raise
        # A read-only DATA_DIR must not stop intake: use the model in memory, train again next process.
        log.warning("无法保存案件分类模型：%s", path, exc_info=True)
    return trained


def train(path: Path | str | None = None) -> dict:
    """Train on the generated corpus, save to ``path`` (default: ``model_path()``) and return the metrics:
    texts, categories, features, seconds, path, and heldout = {n, top1, top3, misses}."""
    target = Path(path) if path is not None else model_path()
    with _lock:
        trained = _train_and_save(target, must_save=True)
        if target == model_path():
            _cache.clear()
            _cache[target] = trained
    return trained.metrics | {"path": str(target)}


def reset() -> None:
    """Forget the loaded model (tests, or after replacing the file under a running process)."""
    with _lock:
        _cache.clear()


def classify(text: str | None) -> Suggestion | None:
    """The suggestion for one text, or None when it is empty once HTML and whitespace are stripped."""
    return classify_many([text])[0]


def classify_many(texts: list[str | None]) -> list[Suggestion | None]:
    """One suggestion per text, in order; None for empty texts. Much faster per text than ``classify``."""
    cleaned = [clean(text) for text in texts]
    out: list[Suggestion | None] = [None] * len(cleaned)
    todo = [i for i, text in enumerate(cleaned) if text]
    if not todo:
        return out
    model = loaded_model()
    classes = model.classes
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        probabilities = model.probabilities([cleaned[i] for i in chunk])
        ranked = np.argsort(-probabilities, axis=1)[:, :3]
        for row, i in enumerate(chunk):
            first, *rest = (int(j) for j in ranked[row])
            out[i] = Suggestion(
                category=classes[first],
                code=CLASSIFIED[classes[first]],
                confidence=float(probabilities[row, first]),
                alternatives=[(classes[j], float(probabilities[row, j])) for j in rest],
            )
    return out
