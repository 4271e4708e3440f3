"""``jiedao worker``: run background tasks (django-tasks-db) and the periodic scheduler (core.periodic).

All of django-tasks-db's ``db_worker`` options apply (``--queue-name``, ``--batch``, ``--interval`` …).
The worker records its heartbeat when it starts (before it takes any task) and, from a thread beside
the task loop, every ``--schedule-every`` seconds: each tick also puts back in the queue (or fails) the
tasks of workers that died while running them (core.tasks) and enqueues the periodic jobs that are due.
``--batch`` enqueues due jobs once, runs every ready task and exits: that is how a cron-only installation
runs the schedule. The heartbeat row is removed when the worker stops.
"""

import logging
import threading

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jiedao.core import periodic, tasks

logger = logging.getLogger("jiedao.worker")


def _tick(*, worker_id: str, schedule: bool) -> None:
    try:
        tasks.beat(worker_id=worker_id)
        for cut in tasks.recover_orphaned_tasks():
            logger.warning("task %s (%s) lost its worker %s: %s", cut.result_id, cut.task_path, cut.worker_id,
                           cut.outcome)
        if schedule:
            for name in periodic.enqueue_due():
                logger.info("enqueued periodic job %s", name)
    finally:
        close_old_connections()


def _ticker(stop: threading.Event, every: float, worker_id: str, schedule: bool) -> None:
    while not stop.wait(every):
        try:
            _tick(worker_id=worker_id, schedule=schedule)
        except Exception:  # the heartbeat must outlive a database hiccup; the next tick retries
            logger.exception("worker heartbeat tick failed")


class Command(DbWorkerCommand):
    help = "运行后台任务与定时任务（健康检查依赖其心跳）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-every", type=float, default=5.0, help="心跳与检查定时任务的间隔（秒）"
        )

    def handle(self, *args, schedule_every: float, **options):
        autodiscover_modules("tasks")  # registers every app's @periodic.every jobs
        worker_id = options["worker_id"]
        tasks.register_worker(worker_id=worker_id)
        _tick(worker_id=worker_id, schedule=True)
        stop = threading.Event()
        # Beats in --batch mode too: a long task must not look orphaned to the other workers.
        ticker = threading.Thread(target=_ticker, args=(stop, schedule_every, worker_id, not options.get("batch")),
                                  daemon=True, name="heartbeat")
        ticker.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            ticker.join(timeout=5)
            tasks.unregister_worker(worker_id=worker_id)
