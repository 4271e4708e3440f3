"""The database stops taking writes (a full disk) during a 12345 import: the import stops with a clear
message, every row already in is a whole case, and importing the same file again takes in the rest once."""

import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import OperationalError

from jiedao.cases import rows as case_rows
from jiedao.cases.importer import ImportInterrupted, import_hotline
from jiedao.cases.models import Case, CaseEvent
from jiedao.cases.tests.test_import import csv_bytes, rows
from jiedao.core.models import AuditAction, AuditLog


@pytest.fixture
def disk_full_after(monkeypatch):
    """The database takes ``n`` more cases, then answers as SQLite does on a full disk."""

    def arm(n: int):
        real, taken = case_rows.insert_case, []

        def insert_case(**kwargs):
            if len(taken) >= n:
                try:
                    raise sqlite3.OperationalError("database or disk is full")
                except sqlite3.OperationalError as exc:
                    raise OperationalError(*exc.args) from exc
            taken.append(1)
            return real(**kwargs)

        monkeypatch.setattr(case_rows, "insert_case", insert_case)

    return arm


def whole(case: Case) -> bool:
    return CaseEvent.objects.filter(case=case).exists() and AuditLog.objects.filter(
        action=AuditAction.CREATE, object_type="cases.case", object_id=str(case.pk)).exists()


def test_a_full_disk_stops_the_import_with_a_clear_message_and_whole_cases(cases_world, disk_full_after,
                                                                           monkeypatch):
    w = cases_world
    data = csv_bytes(rows())
    disk_full_after(1)
    with pytest.raises(ImportInterrupted) as stopped:
        import_hotline(data=data, filename="工单.csv", subdistrict=w.sub, by=w.operator)
    message = str(stopped.value)
    assert "导入在第 3 行中断：服务器存储空间已满" in message and "此前的 1 件已导入" in message
    assert "重新导入同一文件" in message and stopped.value.status_code == 507
    [case] = Case.objects.all()
    assert case.external_id == "2611230001" and whole(case)
    record = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert record.detail["interrupted_at"] == 3 and record.detail["created"] == 1

    monkeypatch.undo()  # space freed: the same file again
    report = import_hotline(data=data, filename="工单.csv", subdistrict=w.sub, by=w.operator)
    assert (report.created, report.existing) == (2, 1)
    assert sorted(Case.objects.values_list("external_id", flat=True)) == ["2611230001", "2611230002", "2611230003"]
    assert all(whole(c) for c in Case.objects.all())


def test_the_upload_and_the_command_say_what_happened(cases_world, login, disk_full_after, tmp_path):
    disk_full_after(0)
    client = login(cases_world.operator)
    response = client.post("/api/v1/case-imports/hotline",
                           {"file": SimpleUploadedFile("工单.csv", csv_bytes(rows()))})
    assert response.status_code == 507, response.content
    assert "导入在第 2 行中断：服务器存储空间已满" in response.json()["detail"]
    path = tmp_path / "工单.csv"
    path.write_bytes(csv_bytes(rows()))
    with pytest.raises(CommandError, match="导入在第 2 行中断"):
        call_command("import_hotline", str(path), "--user", "operator")
    assert not Case.objects.exists()
