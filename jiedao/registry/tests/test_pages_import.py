"""批量导入 page: an upload is only checked (只校验), every bad row reported exactly; 确认导入 then writes exactly
the checked file, once; the error file is the uploader's alone, masked and not cached; an export re-imports."""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jiedao.core.models import AuditLog
from jiedao.registry import services
from jiedao.registry.models import Household, ImportUpload, Resident
from jiedao.registry.staging import prune_staged
from jiedao.registry.tests.test_pages_support import denied_count, editor, make_household, make_id

HEADER = ["姓名", "身份证号", "手机号", "小区", "楼号", "室号", "与户主关系", "人户状态", "标签"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rows():
    good = make_id("19400101")
    bad_checksum = good[:17] + ("1" if good[17] != "1" else "2")
    return [
        ["周秀兰", good, "13912340001", "兰溪园小区", "41", "502", "户主", "人户一致", "孤老"],
        ["吴强", bad_checksum, "13912340002", "兰溪园小区", "41", "503", "户主", "人户一致", ""],
        ["郑华", make_id("19500101"), "1391234", "不存在小区", "41", "504", "户主", "人户一致", ""],
        ["孙丽", make_id("19600101"), "", "兰溪园小区", "41", "505", "户主", "人户一致", "会飞"],
    ]


def _csv(rows) -> SimpleUploadedFile:
    text = "\n".join(",".join(r) for r in [HEADER, *rows])
    return SimpleUploadedFile("residents.csv", text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows, header=HEADER, name="residents.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    for r in [header, *rows]:
        wb.active.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _report(html: str) -> dict:
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    errors = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", html)
    return {"counts": {k: int(v) for k, v in counts.items()}, "errors": errors}


def _upload(client, file):
    """Upload a file; returns (the upload's page URL, its HTML)."""
    response = client.post("/registry/import/", {"file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    return response["Location"], page.content.decode()


def test_an_upload_is_only_checked_every_bad_row_reported_and_nothing_written(world, login, rows):
    _url, html = _upload(login(world.social_worker), _csv(rows))
    assert "校验结果（只校验，尚未写入）" in html and 'id="confirm-import"' in html
    report = _report(html)
    assert report["counts"]["rows"] == 4 and report["counts"]["valid"] == 1 and report["counts"]["errors"] == 4
    assert report["counts"]["to_create_residents"] == 1 and report["counts"]["to_create_households"] == 1
    assert report["errors"][0][:2] == ("3", "身份证号") and report["errors"][0][2].startswith("身份证号校验位错误")
    assert report["errors"][1:] == [
        ("4", "手机号", report["errors"][1][2]),
        ("4", "小区", "小区“不存在小区”不在本街道的小区名录中"),
        ("5", "标签", "未知标签：会飞"),
    ]
    assert rows[0][1] not in html and rows[1][1] not in html  # messages never repeat an ID number
    assert not Resident.objects.exists() and not Household.objects.exists()
    assert not AuditLog.objects.filter(action="import").exists()


def test_the_uploaded_file_is_kept_encrypted_between_check_and_confirm(world, login, rows, media):
    _upload(login(world.social_worker), _csv(rows))
    upload = ImportUpload.objects.get()
    stored = b"".join((media / name).read_bytes() for name in (upload.file.name, upload.error_file.name))
    assert rows[0][1].encode() not in stored and "周秀兰".encode() not in stored


def test_the_error_file_is_the_uploaders_alone_uncached_and_masks_id_numbers(world, login, rows):
    url, html = _upload(login(world.social_worker), _csv(rows))
    assert "data:" not in html  # no longer carried in the page
    link = re.search(r'href="(/registry/import/[^"]+/errors\.xlsx)"', html).group(1)
    response = login(world.social_worker).get(link)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    table = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert table[0][0] == "行号" and table[0][-1] == "错误"
    assert [r[0] for r in table[1:]] == [3, 4, 5]
    assert "[标签] 未知标签：会飞" in table[3][-1]
    cells = "".join(str(c) for r in table for c in r)
    assert rows[1][1] not in cells and rows[2][1] not in cells and "13912340002" not in cells
    assert f"{rows[1][1][:4]}**********{rows[1][1][-4:]}" in cells  # the row number and the mask lead back
    other = login(world.grid_worker)  # may edit the registry too, but did not upload it
    assert other.get(link).status_code == 404 and other.get(url).status_code == 404
    assert other.post(url + "confirm/").status_code == 404
    assert not Resident.objects.exists()


def test_confirming_writes_the_checked_rows_once(world, login, rows):
    client = login(world.social_worker)
    url, _html = _upload(client, _xlsx(rows))
    response = client.post(url + "confirm/", follow=True)
    html = response.content.decode()
    report = _report(html)
    assert "导入结果" in html and 'id="confirm-import"' not in html
    assert report["counts"]["created_residents"] == 1 and report["counts"]["created_households"] == 1
    person = Resident.objects.get()
    assert (person.name, person.household.room, person.care_colour) == ("周秀兰", "502", "red")
    assert AuditLog.objects.filter(action="import", actor=world.social_worker).count() == 1
    again = client.post(url + "confirm/", follow=True).content.decode()  # a double click, a reloaded POST
    assert "这个文件已经导入过，没有重复写入" in again
    assert Resident.objects.count() == 1 and AuditLog.objects.filter(action="import").count() == 1


def test_a_file_uploaded_again_after_its_import_is_all_unchanged(world, login, rows):
    client = login(world.social_worker)
    url, _html = _upload(client, _xlsx(rows))
    client.post(url + "confirm/")
    _url, html = _upload(client, _xlsx(rows))
    report = _report(html)
    assert report["counts"]["unchanged"] == 1 and report["counts"]["to_create_residents"] == 0
    assert 'id="confirm-import"' not in html and "没有需要写入的行" in html


def test_nothing_is_written_when_the_registry_changed_since_the_check(world, login, rows):
    client = login(world.social_worker)
    url, _html = _upload(client, _xlsx(rows))
    household = services.register_household(building=world.b21, room="502", by=editor(world))
    services.add_resident(household=household, by=editor(world), name="周秀兰", id_number=rows[0][1])
    html = client.post(url + "confirm/", follow=True).content.decode()
    assert "校验之后登记情况有变化" in html and 'id="confirm-import"' not in html
    assert _report(html)["counts"]["unchanged"] == 1
    assert Resident.objects.count() == 1 and not AuditLog.objects.filter(action="import").exists()


def test_a_confirm_of_a_file_no_longer_on_the_server_writes_nothing(world, login, rows, media):
    client = login(world.social_worker)
    url, _html = _upload(client, _xlsx(rows))
    upload = ImportUpload.objects.get()
    os.remove(media / upload.file.name)
    html = client.post(url + "confirm/", follow=True).content.decode()
    assert "服务器上已没有这个文件" in html
    assert not Resident.objects.exists()
    upload.refresh_from_db()
    assert upload.status == ImportUpload.Status.CHECKED


def test_a_file_the_server_cannot_keep_is_a_clear_error_and_nothing_is_written(world, login, rows, media):
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_text("not a folder")  # the media path broken, as a full or read-only disk would be
    response = login(world.social_worker).post("/registry/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400 and "服务器无法保存上传的文件" in response.content.decode()
    assert not ImportUpload.objects.exists() and not Resident.objects.exists()


def test_an_export_imports_back_with_no_change_and_no_error(world, login):
    make_household(world, people=(("王秀英", "19380501"), ("李建国", "19360303")))
    couple = make_household(world, room="302", people=(("张伟", "19800101"),))
    services.add_tag(resident=couple.residents.get(), tag="disabled_care", by=editor(world))  # 失能/失智: a "/"
    client = login(world.social_worker)
    export = client.get("/registry/export.xlsx")
    before = list(Resident.objects.order_by("pk").values_list(
        "pk", "name", "household_id", "relation", "residence_status", "phone", "care_colour", "care_reason"))
    _url, html = _upload(client, SimpleUploadedFile("residents.xlsx", export.content))
    report = _report(html)
    assert report["errors"] == [] and report["counts"]["errors"] == 0
    assert report["counts"]["unchanged"] == 3 and report["counts"]["to_create_residents"] == 0
    # Rows added to an export with full ID numbers are registered; the exported rows stay as they are.
    sheet = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    header, first = sheet[0], dict(zip(sheet[0], sheet[1], strict=True))
    added = {**first, "姓名": "赵新", "身份证号": make_id("19900101"), "手机号": "", "室号": "303",
             "与户主关系": "户主", "标签": ""}
    url, html = _upload(client, _xlsx([list(r) for r in sheet[1:]] + [[added[c] for c in header]], header=header))
    report = _report(html)
    assert report["errors"] == [] and report["counts"]["to_create_residents"] == 1
    client.post(url + "confirm/")
    after = list(Resident.objects.order_by("pk").values_list(
        "pk", "name", "household_id", "relation", "residence_status", "phone", "care_colour", "care_reason"))
    assert after[:3] == before and after[3][1] == "赵新"


def test_a_masked_row_that_names_no_registered_resident_is_an_error(world, login):
    household = make_household(world)
    head = household.residents.get()
    masked = f"{head.id_number[:4]}**********{head.id_number[-4:]}"
    rows = [
        ["王秀英", masked, "139****5600", "兰溪园小区", "41", "301", "户主", "人户一致", ""],  # the head: unchanged
        ["王秀英", masked, "", "兰溪园小区", "41", "309", "户主", "人户一致", ""],  # not there
        ["新人", make_id("19900101"), "139****5601", "兰溪园小区", "41", "310", "户主", "", ""],  # a masked phone
    ]
    _url, html = _upload(login(world.social_worker), _xlsx(rows))
    report = _report(html)
    assert report["counts"]["unchanged"] == 1
    assert [e[:2] for e in report["errors"]] == [("3", "身份证号"), ("4", "手机号")]
    assert report["errors"][0][2].startswith("身份证号已脱敏，只能用来核对已登记的居民")


def test_uploads_are_deleted_after_a_day(world, login, rows, media):
    import datetime as dt

    from django.utils import timezone

    _upload(login(world.social_worker), _csv(rows))
    upload = ImportUpload.objects.get()
    assert prune_staged() == 0
    assert prune_staged(now=timezone.now() + dt.timedelta(days=1, minutes=1)) == 1
    assert not ImportUpload.objects.exists() and not (media / upload.file.name).exists()


def test_a_file_that_cannot_be_read_is_explained_by_the_file_field(world, login):
    client = login(world.social_worker)
    response = client.post("/registry/import/", {"file": SimpleUploadedFile("people.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "只支持 .xlsx、.xls、.ods 或 .csv 文件" in response.content.decode()
    no_columns = SimpleUploadedFile("people.csv", "姓名,电话\n张三,1\n".encode())
    response = client.post("/registry/import/", {"file": no_columns})
    assert response.status_code == 400 and "缺少必填列：身份证号、小区、楼号、室号" in response.content.decode()
    assert not ImportUpload.objects.exists()


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
    assert not Resident.objects.exists() and not ImportUpload.objects.exists()


def test_import_needs_sign_in(world, client):
    assert client.get("/registry/import/")["Location"].startswith("/login/?next=")


def test_a_database_that_stops_taking_writes_at_confirm_is_a_clear_error_and_nothing_is_written(
        world, login, rows, monkeypatch):
    from django.db import OperationalError

    from jiedao.registry import importer

    client = login(world.social_worker)
    url, _html = _upload(client, _xlsx(rows))

    def disk_full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(importer, "_write", disk_full)
    html = client.post(url + "confirm/", follow=True).content.decode()
    assert "数据库暂时无法写入" in html and 'id="confirm-import"' in html  # it can be confirmed again
    assert not Resident.objects.exists()
    assert ImportUpload.objects.get().status == ImportUpload.Status.CHECKED
    monkeypatch.undo()
    client.post(url + "confirm/")
    assert Resident.objects.count() == 1


def test_a_disk_that_fills_while_the_upload_is_kept_leaves_no_partial_file(world, login, rows, media, monkeypatch):
    import errno

    from django.core.files.storage import FileSystemStorage

    def half_then_full(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as half:
            half.write(content.read()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", half_then_full)
    response = login(world.social_worker).post("/registry/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400 and "服务器无法保存上传的文件" in response.content.decode()
    assert not ImportUpload.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
