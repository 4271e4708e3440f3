"""Ingest's two statements that go around the ORM, because ``bench/sensing_ingest.py`` needs them (docs/sensing.md,
"Measured reasons"): which of a batch's events are stored already, and writing the new ones.

``existing_events``: the ORM can only say ``device_id IN (…) AND event_id IN (…)``, which SQLite answers by
probing the unique index with every device × every id of the batch (500 × 500 probes for a batch of 500: a
third of the batch's time). A row-value ``(device_id, event_id) IN (VALUES …)`` probes it once per event, on
SQLite (3.15+) and PostgreSQL alike.

``insert_events``: ``bulk_create`` builds a model instance per row and prepares each of its ten values through
its field (about 100 µs a row, more than the database spends on it); here rows are tuples, only the times and
the JSON are adapted (as their fields do it), and they go in one ``executemany`` (psycopg pipelines it on
PostgreSQL). What is stored is what ``bulk_create`` stores (tests/test_rows.py compares them).
"""

from collections.abc import Iterable

from django.db import connection

from jiedao.sensing.models import Event

CHUNK = 2000  # pairs per statement: 4,000 parameters, well under SQLite's and PostgreSQL's limits

COLUMNS = ["subdistrict_id", "device_id", "event_id", "type_id", "at", "received_at", "value", "evidence", "source",
            "alarm_id"]


def _pairs_sql(n: int) -> str:
    return ", ".join(["(%s, %s)"] * n)


def existing_events(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """(device id, event id) → row id of those of ``pairs`` that are stored."""
    pairs = list(pairs)
    found: dict[tuple[int, str], int] = {}
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(pairs), CHUNK):
            chunk = pairs[i:i + CHUNK]
            cursor.execute(
                f"SELECT device_id, event_id, id FROM {table} WHERE (device_id, event_id) IN "
                f"(VALUES {_pairs_sql(len(chunk))})", [v for pair in chunk for v in pair])
            found.update({(device, event): pk for device, event, pk in cursor.fetchall()})
    return found


def insert_events(events: list[tuple]) -> None:
    """INSERT events given as tuples in ``COLUMNS`` order (ids are not returned: ``existing_events`` finds
    them when wanted). The two values a database represents its own way, the times and the evidence, are
    adapted as their fields adapt them; the others are plain numbers and text."""
    if not events:
        return
    ops = connection.ops
    when, evidence = ops.adapt_datetimefield_value, Event._meta.get_field("evidence")
    rows = [(sub, device, event_id, type_id, when(at), when(received), value,
             ops.adapt_json_value(data, evidence.encoder), source, alarm)
            for sub, device, event_id, type_id, at, received, value, data, source, alarm in events]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(), rows)


def _insert_sql() -> str:
    qn = connection.ops.quote_name
    return (f"INSERT INTO {qn(Event._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
