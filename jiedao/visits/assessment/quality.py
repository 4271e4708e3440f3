"""Visit quality (走访质量, the 事后评价): flags a visit that may have been a formality (走过场).

    quality_flags(note="正常", same_worker_notes=[...], other_household_notes=[...], distance_m=2034,
                  visits_in_hour=9)
    # [QualityFlag(code="short", reason="记录过短：只有 2 个字（少于 10 个字）"), QualityFlag(code="far_checkin", …), …]

Pure functions over plain data, no database: the caller (the visits app) passes the note, the same worker's
earlier notes and other households' notes to compare with (a window of them, e.g. the last 200), the
check-in's distance from the building and how many visits the worker checked in within the hour. A flag is
for the 居委 head to look at, with its reason in words; it does not refuse or change the visit.

The thresholds are data below, each with why it is set where it is (docs/visit-assessment.md).
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

# A note of fewer content characters (汉字, letters, digits; punctuation and blanks do not count) says too
# little to show a visit happened: "正常", "已走访，无异常" (6). A real routine note names who was met and what
# was seen: "王阿姨在家，身体还好，燃气正常" is 13.
SHORT_NOTE_CHARACTERS = 10
# Two notes whose character-bigram sets have a Jaccard similarity of at least this are the same text with
# small edits (a name, a word or two changed or added: a 37-character note with two words changed scores
# 0.76): copied. Independently written notes stay far below: the highest of the 17,578 pairs of the
# hand-written development set is 0.19, two routine notes in other words score ~0.1–0.3.
COPY_SIMILARITY = 0.6
# Notes shorter than this (content characters) are not compared for copying: "无异常" twice is not a copy
# but a short note, flagged as such.
COPY_MIN_CHARACTERS = 6
# A check-in farther than this from the household's building (GPS accuracy in a 新村 is 10–50 m, a building
# is at most ~100 m long) was not made at the door (issue 15: > 200 m).
CHECKIN_MAX_METRES = 200
# A visit (greeting, the checklist, a conversation, the note) takes at least ~8 minutes with the walk
# between doors; more check-ins than this by one worker within an hour leave under 9 minutes each.
MAX_VISITS_PER_HOUR = 6


class FlagCode(models.TextChoices):
    """Why a visit is flagged as possible 走过场."""

    EMPTY = "empty", gettext_lazy("记录为空")
    SHORT = "short", gettext_lazy("记录过短")
    COPIED_OWN = "copied_own", gettext_lazy("与本人以前的记录雷同")
    COPIED_OTHER = "copied_other", gettext_lazy("与其他住户的记录雷同")
    FAR_CHECKIN = "far_checkin", gettext_lazy("签到位置离楼栋太远")
    TOO_MANY_VISITS = "too_many_visits", gettext_lazy("一小时内走访过多")


@dataclass(frozen=True)
class QualityFlag:
    """A reason to look at a visit again: its ``code`` (FlagCode), the ``reason`` in words (the active
    language) and the measured ``value`` (characters, similarity, metres or visits; None for an empty note)."""

    code: str
    reason: str
    value: float | None = None


_NOT_CONTENT = re.compile(r"[^\w]|_", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def content(text: str | None) -> str:
    """The characters that carry meaning: full-width folded, lower case, without punctuation and blanks."""
    return _NOT_CONTENT.sub("", unicodedata.normalize("NFKC", str(text or "")).lower())


@lru_cache(maxsize=8192)  # a worker's earlier notes are compared again with each new note
def _bigrams(text: str) -> frozenset[str]:
    folded = _DIGITS.sub("0", content(text))  # a changed house number or age does not make a note new
    if len(folded) < 2:
        return frozenset([folded]) if folded else frozenset()
    return frozenset(folded[i:i + 2] for i in range(len(folded) - 1))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two notes' character-bigram sets (0–1; 1 for the same content)."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def most_similar(note: str, others: Sequence[str]) -> float:
    """The highest similarity of ``note`` to any of ``others`` (0 when there are none)."""
    mine = _bigrams(note)
    best = 0.0
    for other in others:
        theirs = _bigrams(other)
        if not theirs:
            continue
        # The Jaccard similarity is at most the ratio of the two sizes: a note of very different length is
        # skipped without intersecting.
        if min(len(mine), len(theirs)) / max(len(mine), len(theirs)) <= best:
            continue
        shared = len(mine & theirs)
        best = max(best, shared / (len(mine) + len(theirs) - shared))
    return best


def quality_flags(*, note: str | None, same_worker_notes: Sequence[str] = (), other_household_notes: Sequence[str] = (),
                  distance_m: float | None = None, visits_in_hour: int | None = None) -> list[QualityFlag]:
    """The flags of one visit, in the order of FlagCode; empty for a visit that looks done properly.

    ``same_worker_notes``: the worker's earlier notes (of other visits); ``other_household_notes``: notes of
    other households' visits (any worker); ``distance_m``: metres from the check-in to the building, None
    without GPS; ``visits_in_hour``: the worker's check-ins within the 60 minutes ending at this one,
    this one included, None when not known."""
    flags: list[QualityFlag] = []
    text = content(note)
    if not text:
        flags.append(QualityFlag(FlagCode.EMPTY, _("记录为空：没有写走访情况"), None))
    elif len(text) < SHORT_NOTE_CHARACTERS:
        flags.append(QualityFlag(FlagCode.SHORT, _("记录过短：只有 %(n)d 个字（少于 %(limit)d 个字）")
                                 % {"n": len(text), "limit": SHORT_NOTE_CHARACTERS}, len(text)))
    if len(text) >= COPY_MIN_CHARACTERS:
        for code, others, message in (  # the messages translated only for a flag (a demo year checks 90,000 notes)
            (FlagCode.COPIED_OWN, same_worker_notes,
             gettext_noop("与本人以前的一条记录几乎相同（相似度 %(percent)d%%）")),
            (FlagCode.COPIED_OTHER, other_household_notes,
             gettext_noop("与其他住户的一条记录几乎相同（相似度 %(percent)d%%）")),
        ):
            score = most_similar(str(note), [str(o) for o in others if o])
            if score >= COPY_SIMILARITY:
                flags.append(QualityFlag(code, _(message) % {"percent": int(score * 100)}, round(score, 3)))
    if distance_m is not None and distance_m > CHECKIN_MAX_METRES:
        flags.append(QualityFlag(FlagCode.FAR_CHECKIN, _("签到位置距楼栋 %(metres)s 米（超过 %(limit)d 米）")
                                 % {"metres": f"{distance_m:,.0f}", "limit": CHECKIN_MAX_METRES}, float(distance_m)))
    if visits_in_hour is not None and visits_in_hour > MAX_VISITS_PER_HOUR:
        flags.append(QualityFlag(FlagCode.TOO_MANY_VISITS, _("一小时内签到 %(n)d 户（超过 %(limit)d 户）")
                                 % {"n": visits_in_hour, "limit": MAX_VISITS_PER_HOUR}, visits_in_hour))
    return flags
