"""The colour recompute runs in the background, started by a change of the tags or rules in the admin (and
daily): the admin page that starts it and the 分色统计 page say when its last run failed or was cut off."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jiedao.core import tasks as core_tasks
from jiedao.registry.models import ColourRule
from jiedao.registry.tasks import recompute_colours
from jiedao.registry.tests.test_pages_support import editor


@pytest.fixture
def admin(world):
    user = editor(world)  # Role.ADMIN of the subdistrict
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _cut_off_twice() -> None:
    """The last recompute's worker died twice: core.tasks marked the run failed (WorkerLost)."""
    result = recompute_colours.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path=core_tasks.LOST, worker_ids=["w1", "w2"])


def test_the_stats_page_says_the_last_recompute_was_cut_off(world, login):
    _cut_off_twice()
    html = login(world.social_worker).get("/registry/stats/").content.decode()
    status = html.split('id="recompute-status"')[1].split("</p>")[0]
    assert 'role="alert"' in html and "后台任务进程在执行中停止" in status


def test_the_stats_page_says_when_the_last_recompute_ended_well(world, login):
    result = recompute_colours.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL", finished_at=timezone.now())
    html = login(world.social_worker).get("/registry/stats/").content.decode()
    assert "已完成" in html.split('id="recompute-status"')[1].split("</p>")[0]
    assert 'role="alert"' not in html


def test_the_admin_that_starts_the_recompute_says_it_failed(world, client, admin,
                                                           django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/registry/colourrule/add/", {"colour": "green", "name": "测试规则",
                                                                    "priority": 50, "active": "on"}, follow=True)
    assert ColourRule.objects.filter(name="测试规则").exists()
    assert "分色将在后台重新计算" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path=recompute_colours.module_path).exists()  # the signal enqueued it
    DBTaskResult.objects.all().delete()
    _cut_off_twice()
    html = client.get("/admin/registry/colourrule/").content.decode()
    assert "分色重新计算：后台任务进程在执行中停止" in html
