"""Core's writes and reads that go around the ORM, gathered here so that they stay few and checked.

Each one is here because ``bench/cases_intake.py`` depends on it: the 12345 intake rate, and beside it the
rate of ``/api/v1/core/me`` with a token, both reached only with these in place (the figures, with what
they were compared against, are in docs/operations.md, "Measured reasons"). ``core/tests/test_rows.py``
checks that each writes or reads exactly what the ORM would, on SQLite and PostgreSQL alike.

``insert``: ``Model.save()`` compiles its INSERT statement on every call, and for a wide model compiling
costs more than the database spends writing the row. ``insert`` writes what ``save(force_insert=True)``
writes (each field's ``pre_save``, then ``get_db_prep_save``: defaults already set by the constructor,
``auto_now``, encryption and blind indexes, JSON, time zones) with a statement compiled once per model and
connection; Django has no API for reusing a compiled INSERT. It sends no signals and skips ``save()``
overrides, so it is only for append-only models whose ``save()`` adds nothing on insert (CaseEvent,
AuditLog) and for Case, which has neither. Intake writes all three for every case.

``token_user``: every API request with a token looks its user up, and through the ORM (``select_related``
of token, user and subdistrict) about half of that lookup's cost is compiling the query. Here it is one
statement written out once; the user's columns are mapped by name (RawQuerySet), so a new column needs no
change here.
"""

import datetime as dt

from django.db import connections, router
from django.db.models import Model

from jiedao.core.models import ApiToken, User

_statements: dict[tuple, tuple[str, list, bool]] = {}


def _statement(model: type[Model], alias: str, with_pk: bool) -> tuple[str, list, bool]:
    key = (model, alias, with_pk)
    found = _statements.get(key)
    if found is None:
        connection = connections[alias]
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.generated and (with_pk or not f.primary_key)]
        qn = connection.ops.quote_name
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        returning = not with_pk and connection.features.can_return_columns_from_insert
        if returning:
            sql += f" RETURNING {qn(meta.pk.column)}"
        found = _statements[key] = (sql, fields, returning)
    return found


def insert(obj: Model, *, using: str | None = None) -> Model:
    """INSERT ``obj`` as one row and give it its primary key; returns ``obj``, now saved."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)
    connection = connections[alias]
    with_pk = obj.pk is not None
    sql, fields, returning = _statement(model, alias, with_pk)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not with_pk:
            obj.pk = cursor.fetchone()[0] if returning else connection.ops.last_insert_id(
                cursor, model._meta.db_table, model._meta.pk.column)
    obj._state.adding = False
    obj._state.db = alias
    return obj


_TOKEN_USER_SQL = (
    "SELECT u.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_stale "
    f"FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "
    "WHERE t.digest = %s AND t.revoked_at IS NULL"
)


def token_user(digest: str, *, stale_before: dt.datetime) -> User | None:
    """The user of the unrevoked token with this digest, or None. The user carries ``token_id`` and
    ``token_stale`` (the token was last used before ``stale_before``, or never)."""
    alias = router.db_for_read(User)
    params = [connections[alias].ops.adapt_datetimefield_value(stale_before), digest]
    return next(iter(User.objects.using(alias).raw(_TOKEN_USER_SQL, params)), None)
