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

from pathlib import Path

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
from jiedao.core.modelfile import GeneratedModel

__all__ = [
    "FEATURES", "MIN_CHARACTERS", "TEXT_FEATURE", "Facts", "Profile", "Side", "TextSpace", "categories_of",
    "loaded", "metres_between", "model_path", "pair_features", "reset", "train", "with_text",
]

def _load(path: Path, reader) -> tuple[_model.Scorer, TextSpace] | None:
    scorer = _model.load(path, expected=_model.fingerprint(reader))
    return (scorer, TextSpace(reader.pipeline)) if scorer is not None else None


def _fit(reader) -> tuple[_model.Scorer, TextSpace]:
    return _model.fit(reader), TextSpace(reader.pipeline)


# The classifier's own model: the scorer reads texts with its features, so a new classifier is a new scorer.
_file = GeneratedModel("duplicates.joblib", label="疑似重复评分模型", load=_load, fit=_fit,
                       save=lambda loaded, path: _model.save(loaded[0], path), depends_on=classifier.loaded_model)


def model_path() -> Path:
    return _file.path()


def loaded() -> tuple[_model.Scorer, TextSpace]:
    """The scorer for the current ``DATA_DIR`` and the classifier's text space, loaded once per process
    (and per classifier model); trained first when missing or out of date."""
    return _file.get()


def train(path: Path | str | None = None) -> dict:
    """Train on generated pairs, save to ``path`` (default: ``model_path()``) and return the metrics: pairs,
    seconds, weights, generated = {n, recall, false_flags}, heldout = {same, different: {n, flagged, wrong}},
    threshold and path."""
    scorer, _space = _file.train(path)
    return scorer.metrics | {"threshold": scorer.threshold,
                             "path": str(Path(path) if path is not None else model_path())}


def reset() -> None:
    """Forget the loaded scorer (tests, or after replacing the file under a running process)."""
    _file.reset()
