"""A task whose worker dies while running it is retried once, then failed with the reason; the page that
started it can say so (core.tasks). Here the dead worker is simulated by its heartbeat; the real killed
process is test_worker_processes.py."""

import datetime as dt
import io
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from jiedao.core import tasks
from jiedao.core.models import TaskInterruption, WorkerHeartbeat
from jiedao.core.roles import Perm

runs: list[str] = []


@task()
def recount(label: str = "all") -> str:
    runs.append(label)
    return label


def started_by(worker_id: str, label: str = "all"):
    """A task result claimed by ``worker_id`` and left RUNNING, as a worker killed mid-task leaves it."""
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.get(pk=recount.enqueue(label).id)
    result.claim(worker_id)
    return result


def lose(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        last_seen=timezone.now() - tasks.WORKER_LOST_AFTER - dt.timedelta(seconds=1))


def status_of(result) -> str:
    result.refresh_from_db()
    return result.status


def test_a_task_whose_worker_stopped_beating_is_queued_again_and_then_runs(transactional_db, world):
    tasks.register_worker(worker_id="killed")
    result = started_by("killed")
    assert tasks.recover_orphaned_tasks() == []  # its worker is alive: nothing to do
    lose("killed")
    [cut] = tasks.recover_orphaned_tasks()
    assert (cut.result_id, cut.outcome, cut.worker_id) == (result.pk, TaskInterruption.Outcome.RETRIED, "killed")
    assert status_of(result) == "READY"
    assert tasks.recover_orphaned_tasks() == []  # decided once, by one worker

    run = tasks.task_run(user=world.operator, perm=Perm.VIEW_CASES, result_id=result.pk)
    assert run.needs_attention and run.retried and not run.failed
    assert "自动重新排队" in run.message

    runs.clear()
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert runs == ["all"] and status_of(result) == "SUCCESSFUL"
    run = tasks.task_run(user=world.operator, perm=Perm.VIEW_CASES, result_id=result.pk)
    assert run.attempts == 2 and run.needs_attention and "已完成" in run.message and "自动重试" in run.message


def test_a_task_cut_off_twice_is_marked_failed_with_the_reason(world):
    from django_tasks_db.models import DBTaskResult

    result = started_by("first")
    tasks.register_worker(worker_id="first")
    lose("first")
    tasks.recover_orphaned_tasks()
    DBTaskResult.objects.get(pk=result.pk).claim("second")
    tasks.register_worker(worker_id="second")
    lose("second")
    [cut] = tasks.recover_orphaned_tasks()
    assert cut.outcome == TaskInterruption.Outcome.FAILED
    result.refresh_from_db()
    assert (result.status, result.exception_class_path) == ("FAILED", tasks.LOST)
    assert "second" in result.traceback and result.finished_at is not None

    run = tasks.latest_task_run(user=world.operator, perm=Perm.VIEW_CASES, task=recount)
    assert run.id == str(result.pk) and run.failed and run.attempts == 2
    assert "后台任务进程在执行中停止" in run.message and "已标记为失败" in run.message


def test_a_dead_process_on_this_machine_is_known_without_waiting_for_its_heartbeat(world):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer exists
    tasks.register_worker(worker_id="crashed")
    WorkerHeartbeat.objects.filter(worker_id="crashed").update(pid=gone.pid)  # beat just now, then died
    result = started_by("crashed")
    assert [c.result_id for c in tasks.recover_orphaned_tasks()] == [result.pk]
    assert tasks.live_workers() == []


def test_a_task_claimed_by_a_worker_without_heartbeat_is_judged_by_its_age(world):
    from django_tasks_db.models import DBTaskResult

    result = started_by("plain-db-worker")
    assert tasks.recover_orphaned_tasks() == []  # just started
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - tasks.WORKER_LOST_AFTER - dt.timedelta(seconds=1))
    assert [c.outcome for c in tasks.recover_orphaned_tasks()] == [TaskInterruption.Outcome.RETRIED]


def test_a_task_that_finished_meanwhile_is_left_as_it_is(world):
    from django_tasks_db.models import DBTaskResult

    tasks.register_worker(worker_id="slow")
    result = started_by("slow")
    lose("slow")
    stale = DBTaskResult.objects.get(pk=result.pk)
    DBTaskResult.objects.get(pk=result.pk).set_successful("done")  # the worker was slow, not dead
    assert tasks._interrupt(stale, worker_id="slow", worker=None, now=timezone.now()) is None
    assert status_of(result) == "SUCCESSFUL" and not TaskInterruption.objects.exists()


def test_the_task_status_is_read_with_the_starting_pages_permission(world):
    result = started_by("anyone")
    with pytest.raises(PermissionDenied):
        tasks.task_run(user=world.resident, perm=Perm.EDIT_REGISTRY, result_id=result.pk)
    run = tasks.task_run(user=world.operator, perm=Perm.VIEW_CASES, result_id=result.pk)
    assert (run.status, run.needs_attention, run.message) == ("RUNNING", False, "正在执行")
