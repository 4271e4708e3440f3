"""``jiedao worker``: run background tasks (django-tasks-db) and the periodic scheduler (core.periodic).

All of django-tasks-db's ``db_worker`` options apply (``--queue-name``, ``--batch``, ``--interval`` …).
Beside the task loop a scheduler thread, every ``--schedule-every`` seconds, records a heartbeat (read by
/healthz) and enqueues the periodic jobs that are due. ``--batch`` enqueues due jobs once, runs every
ready task and exits: that is how a cron-only installation runs the schedule.
"""

import logging
import threading

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jiedao.core import periodic

logger = logging.getLogger("jiedao.worker")


def _schedule_once() -> None:
    try:
        periodic.beat()
        for name in periodic.enqueue_due():
            logger.info("enqueued periodic job %s", name)
    finally:
        close_old_connections()


def _scheduler(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            _schedule_once()
        except Exception:  # the scheduler must outlive a database hiccup; the next tick retries
            logger.exception("periodic scheduler tick failed")


class Command(DbWorkerCommand):
    help = "运行后台任务与定时任务（健康检查依赖其心跳）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-every", type=float, default=5.0, help="调度器检查定时任务的间隔（秒）"
        )

    def handle(self, *args, schedule_every: float, **options):
        autodiscover_modules("tasks")  # registers every app's @periodic.every jobs
        _schedule_once()
        stop = threading.Event()
        if not options.get("batch"):
            threading.Thread(target=_scheduler, args=(stop, schedule_every), daemon=True, name="scheduler").start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
