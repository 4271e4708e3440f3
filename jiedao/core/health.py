"""``/healthz``: what a load balancer or a monitor asks before sending users here.

It checks what users need to work, not only that the process answers: that the database accepts a
write (an insert, rolled back), that the media storage accepts a file (photos, exports; written and
deleted), and that a task worker is alive (core.tasks heartbeats).
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.log import log_response

from jiedao.core import tasks
from jiedao.core.models import PeriodicRun


def healthz(request):
    """Health as JSON: "ok" (200), "degraded" (503: no live worker, tasks waiting too long) or "error"
    (503: the database or the media storage does not accept writes)."""
    now = timezone.now()
    checks: dict[str, dict] = {"database": _database()}
    checks["media"] = _media()
    if checks["database"]["status"] == "ok":
        checks["tasks"] = _task_queue(now)
    else:
        checks["tasks"] = {"status": "error", "error": "database unavailable"}
    statuses = {c["status"] for c in checks.values()}
    status = "error" if "error" in statuses else "degraded" if "degraded" in statuses else "ok"
    response = JsonResponse({"status": status, "checks": checks, "time": now.isoformat()},
                            status=200 if status == "ok" else 503)
    if response.status_code != 200:
        # A 503 here is the answer asked for, not a failure of the request: WARNING, not Django's ERROR
        # (which, while a freshly started server waits for its worker's first heartbeat, is only noise).
        log_response("%s: %s (%s)", response.reason_phrase, request.path, status, response=response,
                     request=request, level="warning")
    return response


def _database() -> dict:
    """The database accepts a write: a row inserted and rolled back, so a read-only database (a replica
    promoted by mistake, a full disk remounted read-only, ``default_transaction_read_only``) fails here."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=f"healthz-probe-{uuid.uuid4().hex}")
            transaction.set_rollback(True)
    except Exception as exc:  # any failure to write is what this check reports
        return {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__,
                "problem": "the database does not accept writes"}
    return {"status": "ok", "vendor": connection.vendor}


def _media() -> dict:
    """The media storage accepts a file: one small file saved and deleted through the storage photos use."""
    try:
        name = default_storage.save(f"healthz-{uuid.uuid4().hex}.tmp", ContentFile(b"ok"))
        default_storage.delete(name)
    except OSError as exc:
        return {"status": "error", "error": exc.__class__.__name__,
                "problem": "the media storage does not accept files"}
    return {"status": "ok"}


def _task_queue(now: dt.datetime) -> dict:
    from django_tasks_db.models import DBTaskResult

    stale = dt.timedelta(seconds=settings.TASK_QUEUE_STALE_SECONDS)
    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        workers = tasks.live_workers(now=now)
    except Exception as exc:  # a missing table means migrations have not run
        return {"status": "error", "error": exc.__class__.__name__}
    out = {
        "status": "ok",
        "waiting": waiting,
        "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "workers": len(workers),
        "worker_last_seen": max(w.last_seen for w in workers).isoformat() if workers else None,
    }
    if not workers:
        out["status"] = "degraded"
        out["problem"] = "no worker is alive (run `jiedao worker`, or `jiedao serve` without --no-worker)"
    elif oldest and now - oldest > stale:
        out["status"] = "degraded"
        out["problem"] = "tasks are waiting longer than expected"
    return out
