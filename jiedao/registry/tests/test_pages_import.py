"""批量导入 page: dry run reports every bad row exactly, a real import registers, template and error file."""

import base64
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jiedao.core.models import AuditLog
from jiedao.registry.models import Household, Resident
from jiedao.registry.tests.test_pages_support import denied_count, make_id

HEADER = ["姓名", "身份证号", "手机号", "小区", "楼号", "室号", "与户主关系", "人户状态", "标签"]


@pytest.fixture
def rows():
    good = make_id("19400101")
    bad_checksum = good[:17] + ("1" if good[17] != "1" else "2")
    return [
        ["周秀兰", good, "13912340001", "兰溪园小区", "41", "502", "户主", "人户一致", "孤老"],
        ["吴强", bad_checksum, "", "兰溪园小区", "41", "503", "户主", "人户一致", ""],
        ["郑华", make_id("19500101"), "1391234", "不存在小区", "41", "504", "户主", "人户一致", ""],
        ["孙丽", make_id("19600101"), "", "兰溪园小区", "41", "505", "户主", "人户一致", "会飞"],
    ]


def _csv(rows) -> SimpleUploadedFile:
    text = "\n".join(",".join(r) for r in [HEADER, *rows])
    return SimpleUploadedFile("residents.csv", text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    for r in [HEADER, *rows]:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("residents.xlsx", out.getvalue())


def _report(html: str) -> dict:
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    errors = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", html)
    return {"counts": {k: int(v) for k, v in counts.items()}, "errors": errors}


def test_dry_run_reports_every_bad_row_exactly_and_writes_nothing(world, login, rows):
    response = login(world.social_worker).post("/registry/import/", {"file": _csv(rows), "dry_run": "on"})
    html = response.content.decode()
    assert response.status_code == 200 and "试运行" in html
    report = _report(html)
    assert report["counts"]["rows"] == 4 and report["counts"]["valid"] == 1 and report["counts"]["errors"] == 4
    assert report["errors"][0][:2] == ("3", "身份证号") and report["errors"][0][2].startswith("身份证号校验位错误")
    assert report["errors"][1:] == [
        ("4", "手机号", report["errors"][1][2]),
        ("4", "小区", "小区“不存在小区”不在本街道的小区名录中"),
        ("5", "标签", "未知标签：会飞"),
    ]
    assert "手机号" in report["errors"][1][2]
    assert rows[0][1] not in html and rows[1][1] not in html  # messages never repeat an ID number
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_the_error_file_lists_the_failed_rows_with_their_problems(world, login, rows):
    html = login(world.social_worker).post("/registry/import/", {"file": _csv(rows), "dry_run": "on"}).content.decode()
    link = re.search(r'href="data:application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet;base64,'
                     r'([A-Za-z0-9+/=]+)" download="import-errors.xlsx"', html)
    assert link
    sheet = load_workbook(io.BytesIO(base64.b64decode(link.group(1)))).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][0] == "行号" and table[0][-1] == "错误"
    assert [r[0] for r in table[1:]] == [3, 4, 5]
    assert "[标签] 未知标签：会飞" in table[3][-1]


def test_a_real_import_registers_the_valid_rows_and_is_idempotent(world, login, rows):
    client = login(world.social_worker)
    response = client.post("/registry/import/", {"file": _xlsx(rows)})
    report = _report(response.content.decode())
    assert report["counts"]["created_residents"] == 1 and report["counts"]["created_households"] == 1
    person = Resident.objects.get()
    assert (person.name, person.household.room, person.care_colour) == ("周秀兰", "502", "red")
    assert AuditLog.objects.filter(action="import", actor=world.social_worker).count() == 1
    again = _report(client.post("/registry/import/", {"file": _xlsx(rows)}).content.decode())
    assert again["counts"]["unchanged"] == 1 and again["counts"]["created_residents"] == 0
    assert Resident.objects.count() == 1


def test_a_file_that_cannot_be_read_is_explained_by_the_file_field(world, login):
    client = login(world.social_worker)
    response = client.post("/registry/import/", {"file": SimpleUploadedFile("people.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "只支持 .xlsx、.xls、.ods 或 .csv 文件" in response.content.decode()
    no_columns = SimpleUploadedFile("people.csv", "姓名,电话\n张三,1\n".encode())
    response = client.post("/registry/import/", {"file": no_columns})
    assert response.status_code == 400 and "缺少必填列：身份证号、小区、楼号、室号" in response.content.decode()


def test_the_template_download_is_a_spreadsheet_with_the_columns(world, login):
    response = login(world.grid_worker).get("/registry/import/template.xlsx")
    assert response.status_code == 200
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(header) == HEADER
    assert 'href="/registry/import/template.xlsx"' in login(world.grid_worker).get("/registry/import/").content.decode()


@pytest.mark.parametrize("persona", ["operator", "resident"])
def test_import_pages_are_refused_without_edit_rights(world, login, rows, persona):
    user = getattr(world, persona)
    client = login(user)
    assert client.get("/registry/import/").status_code == 403
    assert client.get("/registry/import/template.xlsx").status_code == 403
    assert client.post("/registry/import/", {"file": _csv(rows)}).status_code == 403
    assert denied_count(user) == 3
    assert not Resident.objects.exists()


def test_import_needs_sign_in(world, client):
    assert client.get("/registry/import/")["Location"].startswith("/login/?next=")
