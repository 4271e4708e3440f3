"""案件分类器: suggests one of the 29 事件 categories (taxonomy.CLASSIFIED) for a complaint text.

    classify("楼上邻居半夜还在装修，电钻声吵得睡不着")
    # Suggestion(category="噪音扰民", code="S0504", confidence=0.9…, alternatives=[("犬只扰民", 0.0…), …])

The model is trained by the project on a corpus it generates (corpus.py), never downloaded. It is a
generated file, not in git: ``jiedao train-classifier`` builds it under ``DATA_DIR/models/``, and the first
classification in a process builds it when it is missing or out of date (a few seconds). The loaded model
is cached per process (``loaded_model()``). See docs/classifier.md.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jiedao.cases.classifier import model as _model
from jiedao.cases.classifier.text import clean
from jiedao.cases.taxonomy import CLASSIFIED
from jiedao.core.modelfile import GeneratedModel

BATCH = 2048  # texts per predict call in classify_many: bounds memory, keeps the vectoriser's speed


@dataclass(frozen=True)
class Suggestion:
    """The suggested category, its confidence (a probability, 0–1) and the next two (name, confidence)."""

    category: str
    code: str
    confidence: float
    alternatives: list[tuple[str, float]]


# Looked up in the model module at each call, so a test may replace its fit or save.
_file = GeneratedModel("classifier.joblib", label="案件分类模型", load=lambda path: _model.load(path),
                       fit=lambda: _model.fit(), save=lambda trained, path: _model.save(trained, path))


def model_path() -> Path:
    return _file.path()


def loaded_model() -> _model.Model:
    """The model for the current ``DATA_DIR``, loaded once per process; trained first if missing or stale.
    For code that reads texts with the classifier's own features (the duplicate scorer, cases.duplicates);
    the same object until the file changes or ``reset`` is called."""
    return _file.get()


def train(path: Path | str | None = None) -> dict:
    """Train on the generated corpus, save to ``path`` (default: ``model_path()``) and return the metrics:
    texts, categories, features, seconds, path, and heldout = {n, top1, top3, misses}."""
    trained = _file.train(path)
    return trained.metrics | {"path": str(Path(path) if path is not None else model_path())}


def reset() -> None:
    """Forget the loaded model (tests, or after replacing the file under a running process)."""
    _file.reset()


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
