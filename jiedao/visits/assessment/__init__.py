"""AI回访评估: the automatic assessment of a visit note (走访记录) or a 回访 note.

    assess_note("一进门就闻到很重的煤气味，老人独居，腿脚不便")
    # Assessment(risk="高", types=["健康", "安全"], confidence=0.9…,
    #            evidence=["一进门就闻到很重的煤气味", "腿脚不便"], follow_up=FollowUp(task_within_days=3, …))
    assess_notes(notes)  # one Assessment per note, in order; thousands of notes a second

``risk`` is 低 / 中 / 高 (风险等级), ``types`` the risk types among 健康, 安全, 心理, 环境, 生活困难 (empty for
a 低 note), ``confidence`` the model's probability of the risk it gives (0–1), ``evidence`` the clauses of
the note that support the types (real substrings of the note, for highlighting), ``follow_up`` a suggestion
for a 高 note (followup.py). Visit quality (走过场) is ``assessment.quality``.

The model is trained by the project on notes it generates (corpus.py), never downloaded. It is a generated
file, not in git: ``jiedao train-visit-assessment`` builds it under ``DATA_DIR/models/``, and the first
assessment in a process builds it when it is missing or out of date (a few seconds). The loaded model is
cached per process. See docs/visit-assessment.md.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from jiedao.cases.classifier.text import clean
from jiedao.core.modelfile import GeneratedModel
from jiedao.visits.assessment import lexicon
from jiedao.visits.assessment import model as _model
from jiedao.visits.assessment.followup import CaseDraft, FollowUp, suggest
from jiedao.visits.assessment.lexicon import LEVELS, TYPES

__all__ = ["LEVELS", "TYPES", "Assessment", "CaseDraft", "FollowUp", "assess_note", "assess_notes",
           "cross_validate", "loaded_model", "model_path", "reset", "train"]

BATCH = 2048  # notes per model call in assess_notes: bounds memory


@dataclass(frozen=True)
class Assessment:
    """The assessment of one note. ``evidence_by_type`` maps each type to its evidence phrases."""

    risk: str
    types: list[str]
    confidence: float
    evidence: list[str]
    follow_up: FollowUp | None = None
    evidence_by_type: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def as_dict(self) -> dict:
        """The JSON form of ``jiedao assess-visit --json``: risk, types, confidence, evidence."""
        return {"risk": self.risk, "types": list(self.types), "confidence": round(self.confidence, 4),
                "evidence": list(self.evidence)}


EMPTY = Assessment(risk="低", types=[], confidence=1.0, evidence=[])  # an empty note: nothing to assess


def _fit() -> _model.Model:
    """Train (model.fit, looked up at each call so that a test may replace it) and measure: on the held-out
    set (heldout, never trained on) and on the hand-written notes it was trained on (dev: how well it fits
    them, not how well it generalises; cross_validate() tells that)."""
    trained = _model.fit()
    trained.metrics |= {name: _model.evaluate(_assess(trained, [note for _, _, note in rows]), rows)
                        for name, rows in (("dev", _model.hand_rows()), ("heldout", _rows(_model.HELDOUT)))}
    trained.metrics["dev"]["trained_on"] = True
    return trained


# The file under DATA_DIR/models/, loaded once per process, trained when missing or stale (core.modelfile).
_file = GeneratedModel("visit_assessment.joblib", label="走访评估模型", load=lambda path: _model.load(path),
                       fit=_fit, save=lambda trained, path: _model.save(trained, path))


def model_path() -> Path:
    return _file.path()


def loaded_model() -> _model.Model:
    """The model for the current ``DATA_DIR``, loaded once per process; trained first if missing or stale."""
    return _file.get()


def _rows(path: Path) -> list:
    return _model.read_tsv(path) if path.exists() else []


def train(path: Path | str | None = None) -> dict:
    """Train on the generated corpus and the hand-written development notes, save to ``path`` (default:
    ``model_path()``) and return the metrics: notes, hand_notes, features, seconds, path, and for the held-out
    set (heldout, never trained on) and the development notes (dev, trained on) n, accuracy, high_recall,
    type_f1, macro_f1 and misses."""
    trained = _file.train(path)
    return trained.metrics | {"path": str(Path(path) if path is not None else model_path())}


def cross_validate() -> dict:
    """Development figures of notes no model was trained on, each writer's as a new writer's: the notes of one
    writer of ``model.WRITERS`` at a time are assessed by a model trained on the generated corpus and the
    other writers' notes. A writer's words reach a model trained without them only in as far as it
    generalises, which a random split of all the notes hides (a writer's other notes would be in the training
    part). Returns {writer: …, "all": …} (the figures of ``model.evaluate``) and the seconds taken; nothing is
    saved."""
    started = time.perf_counter()
    sets = {writer: [row for name in files for row in _rows(_model.HERE / name)]
            for writer, files in _model.WRITERS.items()}
    out: dict = {}
    found: list[Assessment] = []
    for writer, rows in sets.items():
        notes = {note for _, _, note in rows}  # a note written twice (by two writers) is never trained on
        trained = _model.fit(hand=[row for other, others in sets.items() if other != writer
                                   for row in others if row[2] not in notes])
        assessed = _assess(trained, [note for _, _, note in rows])
        out[writer] = _model.evaluate(assessed, rows)
        found += assessed
    out["all"] = _model.evaluate(found, [row for rows in sets.values() for row in rows])
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def reset() -> None:
    """Forget the loaded model (tests, or after replacing the file under a running process)."""
    _file.reset()


def assess_note(text: str | None) -> Assessment:
    """The assessment of one note; an empty note is 低 with nothing found (quality flags it)."""
    return assess_notes([text])[0]


def assess_notes(texts: list[str | None]) -> list[Assessment]:
    """One assessment per note, in order; much faster per note than ``assess_note``."""
    plain = [_plain(text) for text in texts]
    out: list[Assessment] = [EMPTY] * len(plain)
    todo = [i for i, text in enumerate(plain) if text]
    if not todo:
        return out
    model = loaded_model()
    for start in range(0, len(todo), BATCH):
        chunk = todo[start:start + BATCH]
        for i, assessment in zip(chunk, _assess(model, [plain[i] for i in chunk]), strict=True):
            out[i] = assessment
    return out


def _plain(text: str | None) -> str:
    """The note as assessed. A plain note is kept as written (only trimmed), so that every evidence phrase is
    a substring of what the caller passed; HTML, if any, is removed first (then of the cleaned text)."""
    text = str(text or "").replace("\x00", "")
    if "<" in text or "&" in text:
        return clean(text)
    return text.strip()


def _assess(model: _model.Model, texts: list[str]) -> list[Assessment]:
    """Assess non-empty plain notes with ``model``."""
    hits = [lexicon.hits(text) for text in texts]
    risk_p, type_p = model.assess(texts, hits)
    decided = [_model.decide(risk_p[i], type_p[i]) for i in range(len(texts))]
    # A type the model gives without a cue in the note: its evidence is the clause the model finds likeliest
    # for that type, all such clauses scored in one batch.
    wanted = [(i, kind) for i, (_, types, _) in enumerate(decided) for kind in types
              if not any(h.type == kind for h in hits[i])]
    fallback = _likeliest_clauses(model, texts, wanted)
    out = []
    for i, (risk, types, confidence) in enumerate(decided):
        by_type = {kind: list(dict.fromkeys(h.clause for h in hits[i] if h.type == kind)) or fallback.get((i, kind), [])
                   for kind in types}
        evidence = list(dict.fromkeys(phrase for kind in types for phrase in by_type[kind]))
        evidence.sort(key=texts[i].find)  # in the note's order, for highlighting
        out.append(Assessment(risk=risk, types=types, confidence=confidence, evidence=evidence,
                              follow_up=suggest(risk=risk, types=types, evidence_by_type=by_type),
                              evidence_by_type=by_type))
    return out


def _likeliest_clauses(model: _model.Model, texts: list[str], wanted: list[tuple[int, str]]) -> dict:
    """(note index, type) → [the note's clause with the highest probability of that type, by the plain model]."""
    if not wanted:
        return {}
    notes = sorted({i for i, _ in wanted})
    clauses = {i: [c for _, _, c in lexicon.clauses(texts[i])] for i in notes}
    flat = [(i, c) for i in notes for c in clauses[i]]
    if not flat:
        return {}
    type_p = model.plain_types([c for _, c in flat])
    best: dict[tuple[int, str], tuple[float, str]] = {}
    for row, (i, clause) in enumerate(flat):
        for kind in TYPES:
            p = float(type_p[row, TYPES.index(kind)])
            if p > best.get((i, kind), (-1.0, ""))[0]:
                best[(i, kind)] = (p, clause)
    return {key: [best[key][1]] for key in wanted if key in best}



