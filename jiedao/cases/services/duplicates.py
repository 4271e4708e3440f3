"""Duplicates (重复件): the likely earlier reports of the same incident, scored and explained, for the operator
to merge (合并) or to set aside (不是重复).

Intake (``find_duplicate``) and the case's page and API (``duplicate_matches``) read the same candidates:
the cases of the subdistrict reported in the week before the case, still open, of any category, within
150 m or in the same building, at most 50 of them, in one indexed query (``rows.duplicate_candidates``).
Each is scored by the duplicate scorer (``cases.duplicates``: place, time, category, text; weights learned
from generated pairs) and comes with its probability and reasons in words. The operator's answer
(``decide_duplicate``) is recorded on the case, and ``duplicate_acceptance`` gives the share of flags
accepted per month: the flag's precision, measured on real use. See docs/duplicates.md.
"""

import datetime as dt
import functools
import json
import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases import duplicates as scorer_package
from jiedao.cases import rows
from jiedao.cases.duplicates import (
    MIN_CHARACTERS,
    TEXT_FEATURE,
    Facts,
    Side,
    categories_of,
    pair_features,
    with_text,
)
from jiedao.cases.duplicates.features import metres_between
from jiedao.cases.models import OPEN_STATUSES, Case, EventKind, Status
from jiedao.cases.services.loop import Conflict, perform
from jiedao.cases.services.text import MAX_NOTE, clean_text
from jiedao.cases.services.timeline import record_event
from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, ScopeLevel
from jiedao.core.scope import scope_of

__all__ = [
    "DUPLICATE_METRES", "DUPLICATE_WINDOW", "MAX_MATCHES", "DuplicateMatch", "decide_duplicate",
    "duplicate_acceptance", "duplicate_matches", "find_duplicate", "metres_between", "similarity",
]

DUPLICATE_WINDOW = dt.timedelta(days=7)
DUPLICATE_METRES = 150
MAX_MATCHES = 3
# Degrees of latitude and longitude either side of a case's point (~165 m in Shanghai): the box the candidates
# are read from, the circle of DUPLICATE_METRES is checked on them after.
_BOX = (0.0015, 0.0018)
_MAX_CANDIDATES = 50
_INTAKE_STATUSES = tuple(s.value for s in OPEN_STATUSES)
# A page shows its flag's reasons after the flagged case was closed too: it is still the same incident.
_SHOWN_STATUSES = (*_INTAKE_STATUSES, Status.CLOSED.value)
_SIMILAR_TEXT = 0.3  # from here the reasons say 描述相近; below, the similarity is given as a plain figure
_LETTERS = re.compile(r"\w")


@dataclass(frozen=True)
class DuplicateMatch:
    """A candidate earlier report of the same incident: which case, how likely (0–1), and why, in words the
    operator reads at a glance (``reasons``)."""

    case_id: int
    number: str
    status: str
    reported_at: dt.datetime
    probability: float
    facts: Facts
    categories: tuple[str | None, str | None]  # the case's 认定分类 and the candidate's, by name

    @property
    def reasons(self) -> tuple[str, ...]:
        """同一楼栋 · 2 小时内 · 同为路灯损坏 · 描述相近 0.71, in the language active when asked (made when asked:
        intake scores every candidate and shows none)."""
        return _reasons(self.facts, *self.categories)

    @property
    def reasons_text(self) -> str:
        """The reasons on one line: 同一楼栋 · 2 小时内 · 同为路灯损坏 · 描述相近 0.71"""
        return " · ".join(self.reasons)

    def as_dict(self) -> dict:
        """For an API answer: number, status, reported_at, probability and the reasons."""
        return {"number": self.number, "status": self.status, "reported_at": self.reported_at.isoformat(),
                "probability": round(self.probability, 2), "reasons": list(self.reasons)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams (intake's rule before the scorer, kept for comparison in
    bench/duplicates.py)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\W+", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def find_duplicate(*, case: Case) -> Case | None:
    """The likeliest earlier report of the same incident, when the scorer's probability reaches its
    threshold; None otherwise (and for a text of fewer than three letters or a case without a place). The
    operator decides whether to merge (合并)."""
    return flagged(intake_matches(case=case))


def intake_matches(*, case: Case) -> list[DuplicateMatch]:
    """The open cases of the subdistrict whose probability of reporting ``case``'s incident reaches the
    threshold, likeliest first, as intake sees them (whatever the scope of whoever reported it)."""
    return _scored(case, statuses=_INTAKE_STATUSES, floor=_threshold())


def flagged(matches: list[DuplicateMatch]) -> Case | None:
    """The case intake flags (``possible_duplicate_of``) from its ``intake_matches``: the likeliest."""
    if not matches:
        return None
    best = matches[0]
    return Case.from_db(connection.alias, ["id", "number"], (best.case_id, best.number))  # as .only() would


def shown_to(matches: list[DuplicateMatch], *, user: User, subdistrict_id: int,
             limit: int = MAX_MATCHES) -> list[DuplicateMatch]:
    """``matches`` (cases of subdistrict ``subdistrict_id``) the user may see, at most ``limit``: a candidate
    outside their scope is left out, as if it did not exist."""
    if not matches:
        return []
    scope = scope_of(user)
    if not (scope.is_all or (scope.level == ScopeLevel.SUBDISTRICT and scope.subdistrict_id == subdistrict_id)):
        visible = set(Case.objects.within(scope).filter(pk__in=[m.case_id for m in matches])
                      .values_list("pk", flat=True))
        matches = [m for m in matches if m.case_id in visible]
    return matches[:limit]


def duplicate_matches(*, case: Case, user: User | None = None, limit: int = MAX_MATCHES) -> list[DuplicateMatch]:
    """The candidates (at most ``limit``, likeliest first) whose probability reaches the threshold, and the
    flagged case (``possible_duplicate_of``) whatever it scores now. For a case not saved yet (a preview of
    intake), the open candidates intake would score; for a saved one, those closed since too. With ``user``,
    a saved case must be in their scope (else PermissionDenied, audited), and a candidate outside it is left
    out, as if it did not exist."""
    if user is not None and case.pk is not None:
        ensure_in_scope(case, user=user)
    if case.status == Status.CANCELLED:
        return []
    shown = _scored(case, statuses=_INTAKE_STATUSES if case.pk is None else _SHOWN_STATUSES, floor=_threshold(),
                    keep=case.possible_duplicate_of_id)
    if user is None:
        return shown[:limit]
    return shown_to(shown, user=user, subdistrict_id=case.subdistrict_id, limit=limit)


def _threshold() -> float:
    scorer, _space = scorer_package.loaded()
    return scorer.threshold


def _scored(case: Case, *, statuses: tuple[str, ...], floor: float = 0.0, keep: int | None = None) \
        -> list[DuplicateMatch]:
    """The candidates of ``case`` whose probability reaches ``floor`` (and ``keep``, a case id, whatever it
    scores), with their probability and reasons, likeliest first."""
    return _score(case, _candidates(case, statuses=statuses), floor=floor, keep=keep)


def _candidates(case: Case, *, statuses: tuple[str, ...]) -> list[tuple]:
    """The rows of ``rows.duplicate_candidates`` for ``case``; none for a case without a place or with a text
    of fewer than three letters and digits."""
    if case.lat is None and case.building_id is None:
        return []
    if len(_LETTERS.findall(case.description or "")) < MIN_CHARACTERS:
        return []
    return rows.duplicate_candidates(case=case, since=case.reported_at - DUPLICATE_WINDOW, statuses=statuses,
                                     box=_BOX, limit=_MAX_CANDIDATES)


def _score(case: Case, found: list[tuple], *, floor: float = 0.0, keep: int | None = None) -> list[DuplicateMatch]:
    """The candidate rows ``found`` scored against ``case``, with their reasons, likeliest first; those
    beyond DUPLICATE_METRES (and not in its building), those with too short a text and those under
    ``floor`` (but ``keep``) left out.

    A pair's place, time and categories are scored first; its text only when the pair could still reach
    ``floor`` with the most similar text there is (``Scorer.ceiling``). In a busy week most candidates
    nearby are about other things, and the text's cosine was most of the scorer's time (the intake
    benchmark, docs/duplicates.md): the answer is the same, with a fraction of the work."""
    if not found:
        return []
    scorer, space = scorer_package.loaded()
    confirmed = case.category.name if case.category_id is not None else None
    mine = Side(building_id=case.building_id, lat=case.lat, lon=case.lon, at=case.reported_at,
                category=confirmed or (case.suggestion or {}).get("category"),
                categories=categories_of(case.suggestion, confirmed), profile=space.profile(case.description))
    out = []
    for pk, number, description, lat, lon, building_id, reported_at, status, category, suggestion in found:
        same_building = building_id is not None and building_id == case.building_id
        if not same_building and case.lat is not None and lat is not None \
                and metres_between(case.lat, case.lon, lat, lon) > DUPLICATE_METRES:
            continue
        profile = space.profile(description)
        if profile.characters < MIN_CHARACTERS:
            continue
        suggested, categories = _suggested(suggestion, category)
        theirs = Side(building_id=building_id, lat=lat, lon=lon, at=reported_at, category=category or suggested,
                      categories=categories, profile=profile)
        features, facts = pair_features(mine, theirs, text=False)
        if pk != keep and scorer.ceiling(features, TEXT_FEATURE) < floor:
            continue
        features, facts = with_text(mine, theirs, features, facts)
        probability = scorer.probability(features)
        if probability < floor and pk != keep:
            continue
        out.append(DuplicateMatch(case_id=pk, number=number, status=status, reported_at=reported_at,
                                  probability=probability, facts=facts,
                                  categories=(mine.category, theirs.category)))
    out.sort(key=lambda m: -m.probability)
    return out


def _suggested(suggestion: str | dict | None, confirmed: str | None) -> tuple[str | None, dict[str, float]]:
    """A candidate's suggested category and its category → probability (``categories_of``), from the
    suggestion as the database gives it: JSON text (kept parsed per process, as the same open cases come
    back as candidates case after case) or already parsed."""
    if isinstance(suggestion, str):
        return _parsed_suggestion(suggestion, confirmed)
    return (suggestion or {}).get("category"), categories_of(suggestion, confirmed)


@functools.lru_cache(maxsize=4096)
def _parsed_suggestion(suggestion: str, confirmed: str | None) -> tuple[str | None, dict[str, float]]:
    return _suggested(json.loads(suggestion), confirmed)


def _reasons(facts: Facts, mine: str | None, theirs: str | None) -> tuple[str, ...]:
    """同一楼栋 · 2 小时内 · 同为路灯损坏 · 描述相近 0.71, in the active language."""
    out = []
    if facts.same_building:
        out.append(_("同一楼栋"))
    elif facts.metres is not None:
        out.append(_("相距 %(m)s 米") % {"m": round(facts.metres)})
    if facts.hours < 1:
        out.append(_("%(n)s 分钟内") % {"n": max(1, math.ceil(facts.hours * 60))})
    elif facts.hours < 24:
        out.append(_("%(n)s 小时内") % {"n": math.ceil(facts.hours)})
    else:
        out.append(_("%(n)s 天内") % {"n": math.ceil(facts.hours / 24)})
    if facts.same_category and mine:
        out.append(_("同为%(c)s") % {"c": _(mine)})
    elif mine and theirs:
        out.append(_("分类：%(a)s / %(b)s") % {"a": _(mine), "b": _(theirs)})
    similar = f"{facts.text_similarity:.2f}"
    out.append(_("描述相近 %(s)s") % {"s": similar} if facts.text_similarity >= _SIMILAR_TEXT
               else _("描述相似度 %(s)s") % {"s": similar})
    return tuple(out)


@audit.records_refusals
def decide_duplicate(*, by: User, case: Case, accepted: bool, into: str = "", note: str = "",
                     version: int | None = None) -> Case:
    """The operator's answer to a 疑似重复 flag, recorded on the case (``duplicate_accepted``,
    ``duplicate_decided_at``), on its timeline and in the audit log.

    Only a flagged case is answered (a ValidationError otherwise; the plain merge step merges any case).
    合并 (``accepted``): the case is merged into ``into`` (a case number; default the flagged case) by the
    closed loop's merge step, then the decision is written; a merge whose decision could not be written
    still counts as accepted in ``duplicate_acceptance`` (its ``duplicate_of`` is set). 不是重复: the flag is
    cleared (the queue stops showing it) and a 判定不是重复 event names the case it pointed to."""
    ensure_perm(by, Perm.OPERATE_CASES)
    ensure_in_scope(case, user=by)
    _ensure_open_flag(case)
    if accepted:
        return _merge(by=by, case=case, into=into, note=note, version=version)
    note = clean_text(note, field="note", limit=MAX_NOTE, required=False)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if version is not None and int(version) != locked.version:
            raise Conflict(_("案件 %(n)s 已被他人更新，请刷新后再操作") % {"n": locked.number})
        _ensure_open_flag(locked)
        flagged = Case.objects.filter(pk=locked.possible_duplicate_of_id).values_list("number", flat=True).first()
        locked.duplicate_accepted, locked.duplicate_decided_at = False, timezone.now()
        locked.possible_duplicate_of = None
        locked.version += 1
        locked.save(update_fields=["duplicate_accepted", "duplicate_decided_at", "possible_duplicate_of", "version",
                                   "updated_at"])
        record_event(case=locked, kind=EventKind.NOT_DUPLICATE, by=by, from_status=locked.status,
                     to_status=locked.status, note=note, data={"candidate": flagged})
        audit.record(actor=by, action=AuditAction.UPDATE, obj=locked,
                     detail={"duplicate": "rejected", "candidate": flagged})
    return locked


def _ensure_open_flag(case: Case) -> None:
    """A flag is answered once: not when there is none, nor once answered or merged (a merged case keeps
    the flag it was merged on, and answering it 不是重复 would count a merge as refused)."""
    if case.possible_duplicate_of_id is None:
        raise ValidationError({"possible_duplicate_of": _("该案件没有待判定的疑似重复")})
    if case.duplicate_accepted is not None or case.duplicate_of_id is not None:
        raise ValidationError({"possible_duplicate_of": _("该案件的疑似重复已判定")})


def _merge(*, by: User, case: Case, into: str, note: str, version: int | None) -> Case:
    number = str(into or "").strip() or \
        Case.objects.filter(pk=case.possible_duplicate_of_id).values_list("number", flat=True).first() or ""
    # Only into a case the operator may see: another answer would tell them a number exists outside their scope.
    target = Case.objects.within(scope_of(by)).filter(subdistrict_id=case.subdistrict_id, number=number) \
        .values_list("number", flat=True).first() if number else None
    if target is None:
        raise ValidationError({"into": _("请填写要合并到的有效案件编号")})
    merged = perform(case=case, action="merge", by=by, note=note, version=version, into=target)
    with transaction.atomic():
        merged.duplicate_accepted, merged.duplicate_decided_at = True, timezone.now()
        Case.objects.filter(pk=merged.pk).update(duplicate_accepted=True,
                                                 duplicate_decided_at=merged.duplicate_decided_at)
        audit.record(actor=by, action=AuditAction.UPDATE, obj=merged, detail={"duplicate": "merged", "into": target})
    return merged


# 疑似重复采纳率: of the flags the operators answered, the share they merged. A flag is a case intake marked as a
# possible duplicate (its possible_duplicate_of, or a decision on it); accepted: merged (by decide_duplicate,
# or by the plain merge step of a flagged case); rejected: 不是重复. Counted by the month the flag was raised
# (the case's 上报时间).
_FLAGGED = Q(possible_duplicate_of__isnull=False) | Q(duplicate_accepted__isnull=False)
_ACCEPTED = Q(duplicate_accepted=True) | Q(duplicate_accepted__isnull=True, possible_duplicate_of__isnull=False,
                                          duplicate_of__isnull=False)
_REJECTED = Q(duplicate_accepted=False)


def duplicate_acceptance(*, user: User, months: list[dt.date]) -> list[dict]:
    """疑似重复采纳率 for each month starting at ``months[i]`` (local time), over the cases in the user's
    scope: ``{"month", "flagged", "accepted", "rejected", "pending", "rate"}``, ``rate`` the percentage
    accepted of those answered (None when none was). One query for all the months."""
    ensure_perm(user, Perm.VIEW_CASE_KPIS)
    if not months:
        return []
    tz = timezone.get_current_timezone()
    bounds = []
    for first in months:
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()), tz)
        end = timezone.make_aware(dt.datetime.combine((first + dt.timedelta(days=32)).replace(day=1), dt.time()), tz)
        bounds.append((start, end))
    aggregates = {}
    for i, (start, end) in enumerate(bounds):
        month = Q(reported_at__gte=start, reported_at__lt=end)
        aggregates[f"f{i}"] = Count("id", filter=month)
        aggregates[f"a{i}"] = Count("id", filter=month & _ACCEPTED)
        aggregates[f"r{i}"] = Count("id", filter=month & _REJECTED)
    counts = Case.objects.within(scope_of(user)).filter(
        _FLAGGED, reported_at__gte=min(s for s, _ in bounds), reported_at__lt=max(e for _, e in bounds),
    ).aggregate(**aggregates)
    out = []
    for i, first in enumerate(months):
        flagged, accepted, rejected = counts[f"f{i}"], counts[f"a{i}"], counts[f"r{i}"]
        answered = accepted + rejected
        out.append({"month": first, "flagged": flagged, "accepted": accepted, "rejected": rejected,
                    "pending": flagged - answered, "rate": round(100 * accepted / answered, 1) if answered else None})
    return out
