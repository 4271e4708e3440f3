"""Core background jobs."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from jiedao.core import periodic


@periodic.every(hours=24, name="core.prune_task_results")
@task()
def prune_task_results(days: int = 30) -> int:
    """Delete finished task results older than ``days`` so the queue table stays small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
