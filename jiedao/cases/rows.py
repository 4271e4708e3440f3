"""The cases module's writes and reads that go around the ORM, gathered here so that they stay few and checked.

Intake runs each of them for every 12345 order, and ``bench/cases_intake.py`` measures intake with them in
place (the figures, each against what the ORM costs, are in docs/cases.md, "Why the code is shaped this
way: measurements"). ``cases/tests/test_rows.py`` checks that each writes or reads what the ORM would, on
SQLite and PostgreSQL alike. The rules they serve (which order numbers count, what makes a duplicate, how a
case is numbered) stay with the services that apply them; these only ask the database.

``external_id_taken`` and ``duplicate_candidates``: plain SQL on the partial unique 工单编号 index and on the
case_reported index. Intake asks both for every case, and through the ORM compiling each query costs more
than the database takes to answer it.

``insert_case``: on PostgreSQL the case's id comes from the table's sequence before the INSERT, so that the
case is written with its 案件编号, which is made from the id, in one statement; written first and numbered
after, the UPDATE of the number rewrites the row and an entry in each index that holds it. Django has no
API for drawing the next id before saving. SQLite has no sequence to draw from, so there the case is
written with a placeholder number and numbered from the id it was given.

The text index's queries stay in ``search.py`` (measured by ``bench/cases_scale.py``): they are the index's
own language (FTS5's MATCH, a tsquery on the side table), which the ORM has no lookup for, and they belong
next to the grams they ask for and the choice of when to ask the index at all.
"""

import datetime as dt
import secrets
from collections.abc import Callable, Sequence

from django.db import connection

from jiedao.cases.models import Case, Category
from jiedao.core.rows import insert


def new_case_id() -> int | None:
    """The next case id from the table's sequence on PostgreSQL; None on SQLite, which has none."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Case._meta.db_table])
        return cursor.fetchone()[0]


def insert_case(*, case: Case, number: Callable[[Case], str]) -> Case:
    """INSERT the unsaved ``case`` with its 案件编号, ``number(case)`` once the case has its id; returns
    ``case``, saved. Numbered before the INSERT where the database has a sequence, else right after it."""
    case.pk = new_case_id()
    if case.pk is not None:
        case.number = number(case)
        return insert(case)
    case.number = f"T{secrets.token_hex(8)}"  # unique until the id is known (case_number_unique)
    insert(case)
    case.number = number(case)
    Case.objects.filter(pk=case.pk).update(number=case.number)
    return case


def external_id_taken(*, subdistrict_id: int, channel: str, external_id: str) -> bool:
    """Whether a case of the subdistrict and channel carries this external order number (12345 工单编号,
    sensor alarm id), whatever its status. The index's condition is spelled as in the index, so that SQLite
    uses it too; an empty number is never taken (the index leaves it out)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Case._meta.db_table} WHERE subdistrict_id = %s AND channel = %s "
                       "AND external_id = %s AND NOT (external_id = '') LIMIT 1",
                       [subdistrict_id, channel, external_id])
        return cursor.fetchone() is not None


def duplicate_candidates(*, case: Case, since: dt.datetime, statuses: Sequence[str], box: tuple[float, float],
                         limit: int) -> list[tuple]:
    """(id, number, description, lat, lon, building_id, reported_at, status, the operator's category's name
    or None, suggestion) of the cases of ``case``'s subdistrict other than ``case``, of any category, in
    one of ``statuses``, reported from ``since`` up to ``case``, newest first, at most ``limit``: within
    ``box`` (degrees of latitude and of longitude either side of its point) when it has a point, else in its
    building. One range scan of the case_reported index; the category's name is joined by its key.
    ``reported_at`` comes back aware; ``suggestion`` as the database gives JSON (text, or already parsed)."""
    adapt = connection.ops.adapt_datetimefield_value
    where = ["c.subdistrict_id = %s", "c.reported_at >= %s", "c.reported_at <= %s",
             f"c.status IN ({', '.join(['%s'] * len(statuses))})"]
    params = [case.subdistrict_id, adapt(since), adapt(case.reported_at), *statuses]
    if case.pk is not None:
        where.append("c.id <> %s")
        params.append(case.pk)
    if case.lat is not None:
        dlat, dlon = box
        where.append("c.lat BETWEEN %s AND %s AND c.lon BETWEEN %s AND %s")
        params += [case.lat - dlat, case.lat + dlat, case.lon - dlon, case.lon + dlon]
    else:
        where.append("c.building_id = %s")
        params.append(case.building_id)
    sql = ("SELECT c.id, c.number, c.description, c.lat, c.lon, c.building_id, c.reported_at, c.status, k.name, "
           f"c.suggestion FROM {Case._meta.db_table} c LEFT JOIN {Category._meta.db_table} k ON k.id = c.category_id "
           f"WHERE {' AND '.join(where)} ORDER BY c.reported_at DESC LIMIT {int(limit)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if connection.vendor == "sqlite":  # SQLite keeps UTC without a zone (USE_TZ)
        found = [(*row[:6], row[6].replace(tzinfo=dt.UTC) if row[6].tzinfo is None else row[6], *row[7:])
                 for row in found]
    return found
