"""Periodic jobs: the one mechanism later modules use for time-limit checks and other schedules.

A module declares a django-tasks task and registers it with an interval::

    @periodic.every(minutes=5)
    @task()
    def check_time_limits(): ...

``jiedao worker`` runs the task queue and, beside it, a scheduler loop that calls ``enqueue_due()``
every few seconds. ``enqueue_due`` enqueues each registered task whose interval has passed since it was
last enqueued, recording that moment in ``PeriodicRun`` inside one transaction per job (row lock on
PostgreSQL, IMMEDIATE transactions on SQLite), so several workers never enqueue the same run twice.
The task itself runs on whichever worker picks it up; workers' heartbeats, and what happens to a task whose
worker dies, are core.tasks'.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jiedao.core.models import PeriodicRun


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object
    interval: dt.timedelta


_registry: dict[str, Periodic] = {}


def every(*, seconds: int = 0, minutes: int = 0, hours: int = 0, name: str = ""):
    """Register a django-tasks ``Task`` to be enqueued every given interval."""
    interval = dt.timedelta(seconds=seconds, minutes=minutes, hours=hours)
    if interval.total_seconds() < 1:
        raise ValueError("interval must be at least one second")

    def register(task):
        key = name or task.module_path
        _registry[key] = Periodic(key, task, interval)
        return task

    return register


def registered() -> dict[str, Periodic]:
    return dict(_registry)


def enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered job that is due; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in _registry.values():
        with transaction.atomic():
            run, _ = PeriodicRun.objects.select_for_update().get_or_create(name=job.name)
            if run.last_enqueued_at is not None and now - run.last_enqueued_at < job.interval:
                continue
            job.task.enqueue()
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            enqueued.append(job.name)
    return enqueued
