"""The database file (SQLite) or dump (PostgreSQL) holds no plain ID number or phone number."""

import shutil
import subprocess

import pytest
from django.db import connection

from jiedao.registry.tests.conftest import make_id


def database_bytes(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        with connection.cursor() as cur:
            cur.execute("VACUUM INTO %s", [str(target)])
        return target.read_bytes()
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump 不可用")
        s = connection.settings_dict
        env_args = ["-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"] or "postgres"]
        return subprocess.run(["pg_dump", *env_args, "--data-only", s["NAME"]], check=True, capture_output=True).stdout
    pytest.skip(f"no dump for {connection.vendor}")


def test_no_plain_id_number_or_phone_at_rest(world, head, transactional_db, tmp_path):
    id_number, phone = make_id("19400101", 2), "13812345678"
    dump = database_bytes(tmp_path)
    assert "王阿婆".encode() in dump  # the dump really has the resident's row
    for secret in (id_number, phone, id_number[6:]):
        assert secret.encode() not in dump
        assert secret.encode("utf-16-le") not in dump
