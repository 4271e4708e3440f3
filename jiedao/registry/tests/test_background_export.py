"""后台导出: a search bigger than the inline limit is exported by a task, with progress and a download link on
its page (and over the API); the file holds only what the requester may see, masked, is audited, and is
downloaded by the requester alone. A task that failed or was cut off is said so on the page."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jiedao.core import tasks as core_tasks
from jiedao.core.models import AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.registry.models import ResidentExport
from jiedao.registry.tests.test_pages_support import make_household
from jiedao.testing import make_user


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTRY_EXPORT_INLINE_ROWS = 2


@pytest.fixture
def people(world):
    """Four residents of the social worker's 居委 (兰溪园, b21) and one of another (曹杨一村, b11)."""
    make_household(world, people=(("王秀英", "19380501"), ("李建国", "19360303")))
    make_household(world, room="302", people=(("张伟", "19800101"), ("刘芳", "19820202")))
    make_household(world, world.b11, room="101", people=(("外区人", "19700101"),))


def _run_tasks():
    """Run the queued tasks as the worker would, by what was enqueued (the worker command itself closes the
    test's database connection on PostgreSQL; core's tests run it)."""
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])


def _start(client, **filters) -> str:
    """Ask for an export of a search; returns its page's URL."""
    page = client.get("/registry/export.xlsx", filters)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert 'id="start-export"' in page.content.decode()
    response = client.post("/registry/exports/", filters)
    assert response.status_code == 302
    return response["Location"]


def test_a_big_export_runs_in_the_background_with_progress_and_a_download_link(world, login, people):
    client = login(world.social_worker)
    url = _start(client)
    export = ResidentExport.objects.get()
    assert (export.status, export.rows_total, export.requested_by) == ("queued", 4, world.social_worker)
    page = client.get(url).content.decode()
    assert 'data-poll="' in page and 'id="export-download"' in page and "排队中" in page
    state = client.get(url + "status.json").json()
    assert (state["status"], state["percent"], state["download"]) == ("queued", 0, "")

    _run_tasks()
    state = client.get(url + "status.json").json()
    assert (state["status"], state["percent"], state["rows_done"]) == ("done", 100, 4)
    assert state["download"] == f"/registry/exports/{export.pk}/residents.xlsx"
    assert 'data-poll="' not in client.get(url).content.decode()
    response = client.get(state["download"])
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == sorted(["王秀英", "李建国", "张伟", "刘芳"])  # not 外区人: scoped
    assert all("**********" in r[1] for r in rows[1:])  # masked as the inline export
    export.refresh_from_db()
    assert export.filters == {}  # the search terms are not kept once the file is written
    entry = AuditLog.objects.get(action="export")
    assert entry.actor == world.social_worker and entry.detail == {"rows": 4, "filters": {}, "background": export.pk}
    assert AuditLog.objects.filter(action="view", object_type="registry.residentexport").count() == 1  # the download


def test_the_file_is_kept_encrypted(world, login, people, settings):
    _start(login(world.social_worker))
    _run_tasks()
    export = ResidentExport.objects.get()
    stored = (settings.MEDIA_ROOT / export.file.name).read_bytes()
    assert not stored.startswith(b"PK") and "王秀英".encode() not in stored


def test_filters_apply_and_the_audit_keeps_no_name(world, login, people, settings):
    settings.REGISTRY_EXPORT_INLINE_ROWS = 0
    client = login(world.social_worker)
    url = _start(client, name="王秀英", tag="aged_80")
    _run_tasks()
    sheet = load_workbook(io.BytesIO(client.get(url + "residents.xlsx").content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["王秀英"]
    entry = AuditLog.objects.get(action="export")
    assert entry.detail["filters"] == {"tag": "aged_80", "by_name": True} and "王秀英" not in str(entry.detail)


def test_only_the_requester_sees_the_export_and_its_file(world, login, people):
    url = _start(login(world.social_worker))
    _run_tasks()
    colleague = make_user("social_worker_2", role=Role.SOCIAL_WORKER, subdistrict=world.sub,
                          level=ScopeLevel.COMMUNITY)
    colleague.community = world.c2
    colleague.save()
    client = login(colleague)
    for path in ("", "status.json", "residents.xlsx"):
        assert client.get(url + path).status_code == 404
    assert login(world.operator).get(url).status_code == 403  # no export right at all


def test_a_small_export_is_still_answered_at_once(world, login, people, settings):
    settings.REGISTRY_EXPORT_INLINE_ROWS = 5000
    response = login(world.social_worker).get("/registry/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ResidentExport.objects.exists()


def test_the_page_says_when_the_task_failed_or_was_cut_off(world, login, people):
    from django_tasks_db.models import DBTaskResult

    client = login(world.social_worker)
    url = _start(client)
    export = ResidentExport.objects.get()
    # The worker running it died twice: core.tasks marked the run failed (WorkerLost).
    DBTaskResult.objects.filter(pk=export.task_id).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path=core_tasks.LOST, worker_ids=["w1", "w2"])
    state = client.get(url + "status.json").json()
    assert state["failed"] and state["status"] == "failed" and "后台任务进程在执行中停止" in state["problem"]
    page = client.get(url).content.decode()
    assert "后台任务进程在执行中停止" in page and 'data-poll="' not in page and "返回查询，重新导出" in page


def test_an_export_that_raised_says_it_failed(world, login, people, monkeypatch):
    from jiedao.registry import spreadsheets

    def broken(*args, **kwargs):
        raise OSError("disk full")

    client = login(world.social_worker)
    url = _start(client)
    monkeypatch.setattr(spreadsheets, "export_residents", broken)
    with pytest.raises(OSError):  # the task fails, and its record in the queue says why
        _run_tasks()
    state = client.get(url + "status.json").json()
    assert state["failed"] and state["problem"] and not state["download"]
    assert not AuditLog.objects.filter(action="export").exists()


def test_the_api_runs_big_exports_in_the_background_too(world, login, people):
    client = login(world.social_worker)
    response = client.get("/api/v1/registry/export.xlsx")
    assert response.status_code == 409 and "POST /api/v1/registry/exports" in response.json()["detail"]
    response = client.post("/api/v1/registry/exports", {"tag": "aged_80"}, content_type="application/json")
    assert "这次查询共 4 人" in client.get("/registry/export.xlsx").content.decode()  # the page says it too
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["rows_total"], body["file"]) == ("queued", 2, None)
    assert client.get(f"/api/v1/registry/exports/{body['id']}/residents.xlsx").status_code == 409
    _run_tasks()
    body = client.get(f"/api/v1/registry/exports/{body['id']}").json()
    assert body["ready"] and body["file"] == f"/api/v1/registry/exports/{body['id']}/residents.xlsx"
    rows = list(load_workbook(io.BytesIO(client.get(body["file"]).content)).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["李建国", "王秀英"]
    assert login(world.grid_worker).get(f"/api/v1/registry/exports/{body['id']}").status_code == 403
    assert login(world.leader).post("/api/v1/registry/exports", {}, content_type="application/json").status_code == 403
