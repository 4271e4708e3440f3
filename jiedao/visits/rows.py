"""The visits writes that go around the ORM, here so that they stay few and checked
(``tests/test_rows.py``: each writes what the ORM would, on SQLite and PostgreSQL).

``insert_tasks``: a year of tasks for Caoyang's 41,601 households is ~80,000 rows. ``bulk_create`` with
``ignore_conflicts`` splits them into batches the size of SQLite's parameter limit (~45 rows of 22 columns)
and compiles each batch's SQL anew: 3,700 compilations took ~14 of the 18 s the generation took
(``bench/visits_tasks.py``). Here the INSERT is written once and run over all rows with ``executemany``,
with ``ON CONFLICT (household_id, key) DO NOTHING`` (SQLite ≥ 3.24 and PostgreSQL alike), so a task another
run made meanwhile is skipped as ``ignore_conflicts`` would skip it.
"""

from django.db import connection

from jiedao.visits.models import VisitTask

BATCH = 5000


def insert_tasks(tasks: list[VisitTask]) -> None:
    """INSERT the new ``tasks`` (no primary keys), skipping any whose (household, key) exists already."""
    if not tasks:
        return
    meta = VisitTask._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT ({qn(meta.get_field('household').column)}, {qn(meta.get_field('key').column)}) DO NOTHING")
    with connection.cursor() as cursor:
        for i in range(0, len(tasks), BATCH):
            cursor.executemany(sql, [[f.get_db_prep_save(f.pre_save(t, True), connection) for f in fields]
                                     for t in tasks[i:i + BATCH]])
