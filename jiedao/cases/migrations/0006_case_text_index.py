"""The character-bigram index of 诉求内容 and 地址 that the queue's text search reads (see cases.search).

SQLite only (PostgreSQL: see cases.search). Written by hand: an FTS5 table with its triggers is nothing
Django's model state describes. A later migration that makes Django rebuild cases_case (SQLite's ALTER TABLE
emulation copies the table and drops the old one) drops these triggers with the old table: test_search checks on the migrated test database that the index still follows the cases.
"""

from django.db import migrations

from jiedao.cases.search import FTS_TABLE, register

SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(grams, content='', detail=none, columnsize=0, tokenize='ascii')",
    f"INSERT INTO {FTS_TABLE}(rowid, grams) SELECT id, jiedao_bigrams(description, address) FROM cases_case",
    f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON cases_case BEGIN
        INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (new.id, jiedao_bigrams(new.description, new.address));
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON cases_case BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
            VALUES ('delete', old.id, jiedao_bigrams(old.description, old.address));
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF description, address ON cases_case BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams)
            VALUES ('delete', old.id, jiedao_bigrams(old.description, old.address));
        INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (new.id, jiedao_bigrams(new.description, new.address));
    END""",
]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{t}" for t in ("insert", "delete", "update")),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

def _run(statements_by_vendor):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        register(None, connection)  # the triggers' function, on this connection too
        for sql in statements_by_vendor.get(connection.vendor, ()):
            schema_editor.execute(sql, params=None)
    return run


class Migration(migrations.Migration):

    dependencies = [("cases", "0005_case_closed_with_status")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE}),  # PostgreSQL: none (see cases.search)
            _run({"sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
