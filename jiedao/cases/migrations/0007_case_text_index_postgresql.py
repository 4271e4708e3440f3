"""PostgreSQL's character-bigram index of 诉求内容 and 地址 (see cases.search); SQLite has its own (0006).

Written by hand: a side table kept by a trigger is nothing Django's model state describes. The bigrams of
each case are stored once, as a ``tsvector`` of two-character lexemes (``array_to_tsvector``: no parser, no
positions), in ``cases_case_text`` with a GIN index. A search matches them with ``@@`` against the stored
value, so nothing recomputes bigrams at query time, and ANALYZE keeps statistics of how common each bigram
is, which the planner uses to choose between the index and reading the cases in order.
"""

from django.db import migrations

POSTGRESQL = [
    # Every two-character substring of the text, as it is (PostgreSQL's LIKE is case-sensitive). Texts are
    # at most 2,000 + 200 characters (cases.services.MAX_TEXT), far below a tsvector's 1 MB.
    """CREATE FUNCTION jiedao_bigrams(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT array_to_tsvector(coalesce(array_agg(substr(t, i, 2)), '{}'))
        FROM generate_series(1, char_length(t) - 1) AS i
    $$""",
    """CREATE TABLE cases_case_text (
        case_id bigint PRIMARY KEY,
        grams tsvector NOT NULL
    )""",
    """INSERT INTO cases_case_text (case_id, grams)
        SELECT id, jiedao_bigrams(description || chr(10) || address) FROM cases_case""",
    "CREATE INDEX cases_case_text_grams ON cases_case_text USING gin (grams)",
    """CREATE FUNCTION cases_case_text_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_case_text (case_id, grams)
            VALUES (NEW.id, jiedao_bigrams(NEW.description || chr(10) || NEW.address))
            ON CONFLICT (case_id) DO UPDATE SET grams = EXCLUDED.grams;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER cases_case_text_sync AFTER INSERT OR UPDATE OF description, address ON cases_case
        FOR EACH ROW EXECUTE FUNCTION cases_case_text_sync()""",
    # Deletes by trigger, not by a foreign key: Django's flush (tests) truncates cases_case without CASCADE,
    # which a referencing table would refuse. A row left behind would be harmless (the search joins on
    # cases_case, and a new case with a reused id overwrites it), but none is.
    """CREATE FUNCTION cases_case_text_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE cases_case_text;
        ELSE
            DELETE FROM cases_case_text WHERE case_id = OLD.id;
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER cases_case_text_delete AFTER DELETE ON cases_case
        FOR EACH ROW EXECUTE FUNCTION cases_case_text_forget()""",
    """CREATE TRIGGER cases_case_text_truncate AFTER TRUNCATE ON cases_case
        FOR EACH STATEMENT EXECUTE FUNCTION cases_case_text_forget()""",
    "ANALYZE cases_case_text",
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS cases_case_text_{t} ON cases_case" for t in ("sync", "delete", "truncate")),
    "DROP FUNCTION IF EXISTS cases_case_text_sync()",
    "DROP FUNCTION IF EXISTS cases_case_text_forget()",
    "DROP TABLE IF EXISTS cases_case_text",
    "DROP FUNCTION IF EXISTS jiedao_bigrams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)
    return run


class Migration(migrations.Migration):

    dependencies = [("cases", "0006_case_text_index")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE), elidable=False)]
