"""Duplicates (重复件): a likely earlier report of the same problem, for the operator to merge."""

import datetime as dt
import math
import re

from django.db import connection

from jiedao.cases import rows
from jiedao.cases.models import OPEN_STATUSES, Case

DUPLICATE_WINDOW = dt.timedelta(days=7)
DUPLICATE_METRES = 150
DUPLICATE_SIMILARITY = 0.25

_NON_WORD = re.compile(r"\W+")


def _bigrams(text: str) -> set[str]:
    text = _NON_WORD.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: enough to tell 'the same complaint again' in Chinese."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in metres on a flat approximation, close enough within a subdistrict."""
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def find_duplicate(*, case: Case) -> Case | None:
    """A likely earlier report of the same problem: same category, nearby (or the same building), recent,
    still open, with similar text. The operator decides whether to merge (合并)."""
    category_id = case.category_id or case.suggested_category_id
    if category_id is None:
        return None
    if case.lat is None and case.building_id is None:
        return None
    best, best_score = None, 0.0
    mine = _bigrams(case.description)
    for pk, number, description, lat, lon in _duplicate_candidates(case, category_id):
        if case.lat is not None and lat is not None:
            if metres_between(case.lat, case.lon, lat, lon) > DUPLICATE_METRES:
                continue
        theirs = _bigrams(description)
        score = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0  # as similarity()
        if score >= DUPLICATE_SIMILARITY and score > best_score:
            best, best_score = (pk, number), score
    if best is None:
        return None
    return Case.from_db(connection.alias, ["id", "number"], best)  # as .only("id", "number") would load it


_DUPLICATE_STATUSES = tuple(s.value for s in OPEN_STATUSES)
# Degrees of latitude and longitude either side of a case's point (~165 m in Shanghai): the box the candidates
# are read from, the circle of DUPLICATE_METRES is checked on them after.
_BOX = (0.0015, 0.0018)
_MAX_CANDIDATES = 50


def _duplicate_candidates(case: Case, category_id: int) -> list[tuple]:
    """(id, number, description, lat, lon) of the open cases of the category reported in the window before
    ``case``, newest first, at most 50: in a box around its point, else in its building."""
    return rows.duplicate_candidates(case=case, category_id=category_id, since=case.reported_at - DUPLICATE_WINDOW,
                                     statuses=_DUPLICATE_STATUSES, box=_BOX, limit=_MAX_CANDIDATES)
