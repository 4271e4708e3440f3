"""The case text index holds each text's characters beside its bigrams (see cases.search.grams), so that a
one-character search (灯, 火, a surname) reads the index instead of every case.

Written by hand, as 0006 and 0007 were. On both databases the index is rebuilt from cases_case in one go:
SQLite's contentless FTS5 table deletes a row by being told its tokens again, so old rows (bigrams only)
and new ones (characters too) must never be mixed. The triggers call a new function, ``jiedao_grams``;
``jiedao_bigrams`` stays registered on SQLite for migration 0006 and is dropped on PostgreSQL.
"""

from django.db import migrations

from jiedao.cases.search import FTS_TABLE, register

SQLITE_TRIGGERS = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{t}" for t in ("insert", "delete", "update")]


def _sqlite(function: str) -> list[str]:
    return [
        *SQLITE_TRIGGERS,
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
        f"INSERT INTO {FTS_TABLE}(rowid, grams) SELECT id, {function}(description, address) FROM cases_case",
        f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON cases_case BEGIN
            INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (new.id, {function}(new.description, new.address));
        END""",
        f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON cases_case BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
                VALUES ('delete', old.id, {function}(old.description, old.address));
        END""",
        f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF description, address ON cases_case BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
                VALUES ('delete', old.id, {function}(old.description, old.address));
            INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (new.id, {function}(new.description, new.address));
        END""",
    ]


# Every character and every two-character substring of the text, as it is (PostgreSQL's LIKE is
# case-sensitive); 0007's function gave the substrings alone.
PG_GRAMS = """CREATE FUNCTION jiedao_grams(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(coalesce(array_agg(substr(t, i, 2)) FILTER (WHERE i < char_length(t)), '{}')
                             || coalesce(array_agg(substr(t, i, 1)), '{}'))
    FROM generate_series(1, char_length(t)) AS i
$$"""
PG_BIGRAMS = """CREATE FUNCTION jiedao_bigrams(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(coalesce(array_agg(substr(t, i, 2)), '{}'))
    FROM generate_series(1, char_length(t) - 1) AS i
$$"""


def _postgresql(function: str) -> list[str]:
    # Rebuilt rather than updated: a fresh GIN index is built in one pass, updating a million rows of it is not.
    return [
        f"""CREATE OR REPLACE FUNCTION cases_case_text_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO cases_case_text (case_id, grams)
                VALUES (NEW.id, {function}(NEW.description || chr(10) || NEW.address))
                ON CONFLICT (case_id) DO UPDATE SET grams = EXCLUDED.grams;
            RETURN NULL;
        END
        $$""",
        "DROP INDEX cases_case_text_grams",
        "TRUNCATE cases_case_text",
        f"""INSERT INTO cases_case_text (case_id, grams)
            SELECT id, {function}(description || chr(10) || address) FROM cases_case""",
        "CREATE INDEX cases_case_text_grams ON cases_case_text USING gin (grams)",
        "ANALYZE cases_case_text",
    ]


POSTGRESQL = [PG_GRAMS, *_postgresql("jiedao_grams"), "DROP FUNCTION jiedao_bigrams(text)"]
POSTGRESQL_REVERSE = [PG_BIGRAMS, *_postgresql("jiedao_bigrams"), "DROP FUNCTION jiedao_grams(text)"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        register(None, connection)  # the triggers' functions, on this connection too
        for sql in statements_by_vendor.get(connection.vendor, ()):
            schema_editor.execute(sql, params=None)
    return run


class Migration(migrations.Migration):

    dependencies = [("cases", "0007_case_text_index_postgresql")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite("jiedao_grams"), "postgresql": POSTGRESQL}),
            _run({"sqlite": _sqlite("jiedao_bigrams"), "postgresql": POSTGRESQL_REVERSE}),
            elidable=False,
        ),
    ]
