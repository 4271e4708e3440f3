"""A case the platform acknowledged survives a power cut: SQLite syncs its log at every commit."""

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL syncs every commit by default")
def test_sqlite_syncs_the_log_at_every_commit(db):
    # synchronous=NORMAL in WAL mode syncs only at checkpoints: the last commits, answered 201, could be lost.
    # FULL (2) costs about one disk sync per case; bench/sqlite_durability.py measures it.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2
