"""AI回访评估: the automatic assessment of a visit note (走访记录) or a 回访 note.

    assess_note("一进门就闻到很重的煤气味，老人独居，腿脚不便")
    # Assessment(risk="高", types=["健康", "安全"], confidence=0.9…,
    #            evidence=["一进门就闻到很重的煤气味", "腿脚不便"], follow_up=FollowUp(task_within_days=3, …))
    assess_notes(notes)  # one Assessment per note, in order; hundreds of notes a second

``risk`` is 低 / 中 / 高 (风险等级), ``types`` the risk types among 健康, 安全, 心理, 环境, 生活困难 (empty for
a 低 note), ``confidence`` the model's probability of the risk it gives (0–1), ``evidence`` the clauses of
the note that support the types (real substrings, for highlighting), ``follow_up`` a suggestion for a 高
note (followup.py). Visit quality (走过场) is ``assessment.quality``.
"""

from dataclasses import dataclass, field

from jiedao.cases.classifier.text import clean
from jiedao.visits.assessment import lexicon
from jiedao.visits.assessment.followup import CaseDraft, FollowUp, suggest
from jiedao.visits.assessment.lexicon import LEVELS, TYPES

__all__ = ["LEVELS", "TYPES", "Assessment", "CaseDraft", "FollowUp", "assess_note", "assess_notes"]


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


EMPTY = Assessment(risk="低", types=[], confidence=1.0, evidence=[])


def assess_note(text: str | None) -> Assessment:
    """The assessment of one note; an empty note is 低 with nothing found (quality flags it)."""
    return assess_notes([text])[0]


def assess_notes(texts: list[str | None]) -> list[Assessment]:
    """One assessment per note, in order."""
    return [_from_rules(_plain(text)) for text in texts]


def _plain(text: str | None) -> str:
    """The note as assessed. A plain note is kept as written (only trimmed), so that every evidence phrase is
    a substring of what the caller passed; HTML, if any, is removed first (then of the cleaned text)."""
    text = str(text or "").replace("\x00", "")
    if "<" in text or "&" in text:
        return clean(text)
    return text.strip()


def _from_rules(text: str) -> Assessment:
    if not text:
        return EMPTY
    found = lexicon.hits(text)
    if not found:
        return Assessment(risk="低", types=[], confidence=0.6, evidence=[])
    risk = "高" if any(h.level == "高" for h in found) else "中"
    types = [kind for kind in TYPES if any(h.type == kind for h in found)]
    by_type = {kind: list(dict.fromkeys(h.clause for h in found if h.type == kind)) for kind in types}
    evidence = list(dict.fromkeys(h.clause for h in found))
    follow_up = suggest(risk=risk, types=types, evidence_by_type=by_type)
    return Assessment(risk=risk, types=types, confidence=0.6, evidence=evidence, follow_up=follow_up,
                      evidence_by_type=by_type)
