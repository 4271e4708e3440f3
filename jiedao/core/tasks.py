"""Background work core keeps for every app: task workers' heartbeats, tasks orphaned by a worker that
died, what became of a task for the page that started it, and pruning old results.

Every ``jiedao worker`` writes a heartbeat row (``WorkerHeartbeat``) when it starts and every few seconds
after, and deletes it when it stops; django-tasks-db records in each task result the ids of the workers
that claimed it. A task still RUNNING whose last worker is lost (not seen for ``WORKER_LOST_AFTER``, or no
longer in this machine's process table) was cut off: the workers still alive put it back in the queue
until it has been tried ``MAX_ATTEMPTS`` times, then mark it failed, and record each decision as a
``TaskInterruption``. Every task must therefore be safe to run again after being cut off midway, as the
platform's are (recomputing, refreshing, warning once per limit, pruning). docs/tasks.md has the rules.
"""

import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task

from jiedao.core import periodic
from jiedao.core.access import ensure_perm
from jiedao.core.models import TaskInterruption, WorkerHeartbeat

# Twelve missed beats at the scheduler's default of one every 5 s: long enough for a worker busy with a
# slow database to catch up, short enough that a cut-off task is picked up again within a minute or two.
WORKER_LOST_AFTER = dt.timedelta(seconds=60)
# One run and one retry: a task that kills its worker twice (memory, a crash in a library) is not tried
# a third time, it is reported failed.
MAX_ATTEMPTS = 2
HOSTNAME = socket.gethostname()[:255]
LOST = "jiedao.core.tasks.WorkerLost"  # DBTaskResult.exception_class_path of a task failed here


# ---- heartbeats ---------------------------------------------------------------------------------------

def register_worker(*, worker_id: str, now: dt.datetime | None = None) -> None:
    """Record that a worker started in this process (before it claims any task)."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"hostname": HOSTNAME, "pid": os.getpid(), "started_at": now, "last_seen": now}
    )


def beat(*, worker_id: str, now: dt.datetime | None = None) -> None:
    """Record that the worker is alive (read by /healthz and by the other workers)."""
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now):
        register_worker(worker_id=worker_id, now=now)  # its row was pruned while it could not reach us


def unregister_worker(*, worker_id: str) -> None:
    """Forget a worker that stops on its own (its tasks are finished or recorded failed by then)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_workers(*, now: dt.datetime | None = None) -> list[WorkerHeartbeat]:
    """The workers that are not lost."""
    now = now or timezone.now()
    recent = WorkerHeartbeat.objects.filter(last_seen__gte=now - WORKER_LOST_AFTER)
    return [w for w in recent if not _is_lost(w, now)]


def _is_lost(worker: WorkerHeartbeat, now: dt.datetime) -> bool:
    if now - worker.last_seen > WORKER_LOST_AFTER:
        return True
    # On this machine a dead process is known at once, without waiting for its heartbeat to go stale.
    return worker.hostname == HOSTNAME and not _process_exists(worker.pid)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


# ---- orphaned tasks -----------------------------------------------------------------------------------

def recover_orphaned_tasks(*, now: dt.datetime | None = None) -> list[TaskInterruption]:
    """Put back in the queue, or mark failed, every RUNNING task whose worker is lost; return what was done.

    Safe to run from several workers at once: each task is taken by one conditional update."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    running = list(DBTaskResult.objects.running().only("id", "task_path", "worker_ids", "started_at"))
    if not running:
        return []
    ids = {r.worker_ids[-1] for r in running if r.worker_ids}
    workers = {w.worker_id: w for w in WorkerHeartbeat.objects.filter(worker_id__in=ids)}
    done = []
    for result in running:
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        worker = workers.get(worker_id)
        if worker is None:
            # Claimed by a worker that never wrote a heartbeat (django-tasks-db's own db_worker) or whose
            # row is gone: judged by the time it has been running.
            if result.started_at and now - result.started_at <= WORKER_LOST_AFTER:
                continue
        elif not _is_lost(worker, now):
            continue
        interruption = _interrupt(result, worker_id=worker_id, worker=worker, now=now)
        if interruption is not None:
            done.append(interruption)
    return done


def _interrupt(result, *, worker_id: str, worker: WorkerHeartbeat | None, now: dt.datetime) -> TaskInterruption | None:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    retry = len(result.worker_ids) < MAX_ATTEMPTS
    where = f"{worker.hostname}:{worker.pid}" if worker else "unknown"
    seen = worker.last_seen.isoformat() if worker else "never"
    if retry:
        change = {"status": TaskResultStatus.READY, "started_at": None}
    else:
        change = {
            "status": TaskResultStatus.FAILED, "finished_at": now, "return_value": None,
            "exception_class_path": LOST,
            "traceback": f"WorkerLost: worker {worker_id} ({where}, last seen {seen}) stopped while running "
                         f"this task, after {len(result.worker_ids)} attempt(s).",
        }
    with transaction.atomic():
        # Only if it is still the run we judged: not finished meanwhile, not taken by another worker.
        taken = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING,
                                            started_at=result.started_at).update(**change)
        if not taken:
            return None
        return TaskInterruption.objects.create(
            result_id=result.pk, task_path=result.task_path[:255], worker_id=worker_id[:64],
            hostname=worker.hostname if worker else "", pid=worker.pid if worker else None,
            worker_last_seen=worker.last_seen if worker else None, detected_at=now,
            outcome=TaskInterruption.Outcome.RETRIED if retry else TaskInterruption.Outcome.FAILED,
        )


# ---- what became of a task, for the page that started it ---------------------------------------------

@dataclass(frozen=True)
class TaskRun:
    """One run of a background task as a page shows it: its state, and any interruption and its outcome."""

    id: str
    task_path: str
    status: str  # django-tasks' TaskResultStatus: READY, RUNNING, SUCCESSFUL, FAILED
    enqueued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    error: str  # the exception's class path when it failed
    interruptions: tuple[TaskInterruption, ...]

    @property
    def failed(self) -> bool:
        return self.status == "FAILED"

    @property
    def retried(self) -> bool:
        return any(i.outcome == TaskInterruption.Outcome.RETRIED for i in self.interruptions)

    @property
    def needs_attention(self) -> bool:
        """Whether the page should tell the user something went wrong (failed, or cut off and retried)."""
        return self.failed or bool(self.interruptions)

    @property
    def message(self) -> str:
        """What happened, in a sentence for the user who started the task."""
        if self.failed and self.error == LOST:
            return _("后台任务进程在执行中停止，已尝试 %(n)s 次仍未完成，任务已标记为失败。"
                     "请稍后重新发起，或请系统管理员检查后台任务进程。") % {"n": self.attempts}
        if self.failed:
            return _("任务执行出错（%(error)s），未完成。请系统管理员查看任务记录。") % {
                "error": self.error.rsplit(".", 1)[-1] or "?"}
        if self.retried:
            at = formats.time_format(timezone.localtime(self.interruptions[-1].detected_at), "H:i")
            if self.status == "SUCCESSFUL":
                return _("已完成（执行中后台任务进程曾停止，已于 %(at)s 自动重试）") % {"at": at}
            return _("执行中后台任务进程停止，已于 %(at)s 自动重新排队，请稍候") % {"at": at}
        return {"READY": _("排队等待执行"), "RUNNING": _("正在执行"), "SUCCESSFUL": _("已完成")}.get(
            self.status, self.status)


def task_run(*, user, perm: str, result_id: str | uuid.UUID) -> TaskRun | None:
    """One task run by its result id (``task.enqueue().id``), for a user holding ``perm`` (the permission
    of the page that started it); None when no such run is kept (results are pruned after 30 days)."""
    from django_tasks_db.models import DBTaskResult

    ensure_perm(user, perm)
    result = DBTaskResult.objects.filter(pk=result_id).first()
    return _run_of(result) if result else None


def latest_task_run(*, user, perm: str, task) -> TaskRun | None:
    """The latest run of ``task`` (a django-tasks Task, or its dotted path), for a user holding ``perm``:
    what a page shows about work started in the background by signals or the schedule."""
    from django_tasks_db.models import DBTaskResult

    ensure_perm(user, perm)
    path = task if isinstance(task, str) else task.module_path
    result = DBTaskResult.objects.filter(task_path=path).order_by("-enqueued_at").first()
    return _run_of(result) if result else None


def _run_of(result) -> TaskRun:
    interruptions = tuple(TaskInterruption.objects.filter(result_id=result.pk))
    return TaskRun(
        id=str(result.pk), task_path=result.task_path, status=result.status, enqueued_at=result.enqueued_at,
        started_at=result.started_at, finished_at=result.finished_at, attempts=len(result.worker_ids),
        error=result.exception_class_path or "", interruptions=interruptions,
    )


# ---- periodic ------------------------------------------------------------------------------------------

@periodic.every(hours=24, name="core.prune_task_results")
@task()
def prune_task_results(days: int = 30) -> int:
    """Delete finished task results older than ``days`` (and their interruptions), and the heartbeat rows
    of workers lost that long ago, so these tables stay small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    TaskInterruption.objects.filter(detected_at__lt=cutoff).delete()
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return deleted
