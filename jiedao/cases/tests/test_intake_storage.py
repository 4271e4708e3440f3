"""A report with photos creates the case with its photos or nothing: with the media folder broken or the
disk full, the API answers a clear JSON error, the pages say so on the form, and sending again after the
fault is fixed makes one case, not two."""

import errno
import io
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiedao.cases import services
from jiedao.cases.models import Attachment, Case, CaseEvent, Channel
from jiedao.core.models import AuditAction, AuditLog


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def photo(name="p.png", colour=(200, 30, 30)):
    return SimpleUploadedFile(name, png(colour), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def broken_media(settings, tmp_path):
    """The media path is a file, not a folder: every photo write fails, as with an unmounted volume."""
    blocked = tmp_path / "media"
    blocked.write_text("not a folder")
    settings.MEDIA_ROOT = blocked
    return blocked


@pytest.fixture
def disk_full_after(monkeypatch, media):
    """The disk fills up after ``n`` photo files: the next write stores half a file and fails (ENOSPC)."""

    def arm(n: int):
        real = FileSystemStorage._save
        written = []

        def save(self, name, content):
            if len(written) >= n:
                path = self.path(name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as half:
                    half.write(content.read()[:10])
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(name)
            return real(self, name, content)

        monkeypatch.setattr(FileSystemStorage, "_save", save)

    return arm


def files_under(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def nothing_written():
    return (not Case.objects.exists() and not CaseEvent.objects.exists() and not Attachment.objects.exists()
            and not AuditLog.objects.filter(action=AuditAction.CREATE, object_type="cases.case").exists())


def test_patrol_api_with_a_broken_media_folder_answers_503_json_and_creates_nothing(cases_world, login,
                                                                                     broken_media, settings, tmp_path):
    client = login(cases_world.grid_worker)
    form = {"description": "人行道上共享单车乱停一大片", "lat": "31.2310", "lon": "121.4010"}
    response = client.post("/api/v1/cases/patrol", {**form, "photos": [photo()]})
    assert response.status_code == 503, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "照片未能保存" in response.json()["detail"] and "请稍后重试" in response.json()["detail"]
    assert nothing_written()

    settings.MEDIA_ROOT = tmp_path / "fixed"  # the folder is repaired; the grid worker sends it again
    again = client.post("/api/v1/cases/patrol", {**form, "photos": [photo()]})
    assert again.status_code == 201, again.content
    case = Case.objects.get()
    assert case.channel == Channel.PATROL and case.attachments.count() == 1
    assert len(again.json()["photos"]) == 1
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="cases.case").count() == 1


def test_a_disk_filling_up_on_the_second_photo_leaves_no_case_and_no_file(cases_world, login, media, disk_full_after):
    disk_full_after(1)
    client = login(cases_world.grid_worker)
    response = client.post("/api/v1/cases/patrol", {
        "description": "人行道上共享单车乱停一大片", "lat": "31.2310", "lon": "121.4010",
        "photos": [photo("a.png"), photo("b.png", (10, 200, 10))]})
    assert response.status_code == 507, response.content
    assert "存储空间已满" in response.json()["detail"]
    assert nothing_written()
    assert files_under(media) == []  # neither the first photo nor what the full disk left of the second


def test_the_portal_report_with_a_broken_media_folder_shows_the_error_and_keeps_the_text(cases_world, login,
                                                                                         broken_media):
    client = login(cases_world.resident)
    text = "兰溪路200弄5号楼下饭店半夜搬东西很吵"
    response = client.post("/portal/report/", {"description": text, "address": "兰溪路200弄5号",
                                               "phone": "13900001111", "photos": [photo()]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "照片未能保存：服务器存储暂不可用" in page and text in page
    assert nothing_written()


def test_the_field_report_page_with_a_full_disk_says_so(cases_world, login, disk_full_after, media):
    disk_full_after(0)
    client = login(cases_world.grid_worker)
    response = client.post("/m/cases/report/", {"description": "小区门口井盖松动", "lat": "31.2325",
                                                "lon": "121.4025", "address": "", "photos": [photo()]})
    assert response.status_code == 400 and "服务器存储空间已满" in response.content.decode()
    assert nothing_written() and files_under(media) == []


def test_a_failure_after_the_photos_are_stored_removes_their_files(cases_world, media, monkeypatch):
    from jiedao.core import audit

    def audit_down(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", audit_down)
    with pytest.raises(RuntimeError):
        services.report(by=cases_world.grid_worker, description="井盖缺失", lat=31.231, lon=121.401,
                        photos=[photo(), photo("b.png")])
    assert nothing_written() and files_under(media) == []


def test_adding_photos_to_a_case_on_a_full_disk_answers_507_and_adds_nothing(cases_world, login, media,
                                                                              disk_full_after):
    client = login(cases_world.grid_worker)
    case = services.report(by=cases_world.grid_worker, description="井盖缺失", lat=31.231, lon=121.401)
    events = case.events.count()
    disk_full_after(0)
    response = client.post(f"/api/v1/cases/{case.number}/photos", {"photos": [photo()], "note": "补拍"})
    assert response.status_code == 507, response.content
    assert "存储空间已满" in response.json()["detail"]
    case.refresh_from_db()
    assert case.events.count() == events and case.version == 0 and not Attachment.objects.exists()


def test_adding_two_photos_when_the_disk_fills_after_the_first_leaves_no_file(cases_world, login, media,
                                                                               disk_full_after):
    client = login(cases_world.grid_worker)
    case = services.report(by=cases_world.grid_worker, description="井盖缺失", lat=31.231, lon=121.401)
    disk_full_after(1)
    response = client.post(f"/api/v1/cases/{case.number}/photos",
                           {"photos": [photo(), photo("b.png", (30, 200, 30))], "note": "补拍"})
    assert response.status_code == 507, response.content
    assert not Attachment.objects.exists() and files_under(media) == []
