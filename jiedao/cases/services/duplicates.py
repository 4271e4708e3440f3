"""Duplicates (重复件): a likely earlier report of the same problem, for the operator to merge."""

import datetime as dt
import math
import re

from django.db import connection

from jiedao.cases.models import Case, Status

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


_DUPLICATE_STATUSES = (Status.NEW, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.HANDLED)


def _duplicate_candidates(case: Case, category_id: int) -> list[tuple]:
    """(id, number, description, lat, lon) of the open cases of the category reported in the window before
    ``case``, newest first, at most 50: in a box around its point (~165 m; the circle is checked by the
    caller), else in its building. One range scan of the case_effective_category index. Plain SQL because
    intake runs it for every case, and the ORM takes longer to compile this query than the database takes
    to run it (docs/cases.md, "measurements")."""
    adapt = connection.ops.adapt_datetimefield_value
    where = ["subdistrict_id = %s", "effective_category_id = %s", "reported_at >= %s", "reported_at <= %s",
             f"status IN ({', '.join(['%s'] * len(_DUPLICATE_STATUSES))})"]
    params = [case.subdistrict_id, category_id, adapt(case.reported_at - DUPLICATE_WINDOW), adapt(case.reported_at),
              *(s.value for s in _DUPLICATE_STATUSES)]
    if case.pk is not None:
        where.append("id <> %s")
        params.append(case.pk)
    if case.lat is not None:
        dlat, dlon = 0.0015, 0.0018
        where.append("lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s")
        params += [case.lat - dlat, case.lat + dlat, case.lon - dlon, case.lon + dlon]
    else:
        where.append("building_id = %s")
        params.append(case.building_id)
    sql = (f"SELECT id, number, description, lat, lon FROM {Case._meta.db_table} WHERE {' AND '.join(where)} "
           "ORDER BY reported_at DESC LIMIT 50")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
