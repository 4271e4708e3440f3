"""``/healthz``: what a load balancer or a monitor asks before sending users here."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from jiedao.core import periodic


def healthz(request):
    """Database and task-queue health as JSON: "ok" (200), "degraded" or "error" (503)."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        checks["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # any failure to reach the database is what this check reports
        checks["database"] = {"status": "error", "error": exc.__class__.__name__}
    if checks["database"]["status"] == "ok":
        checks["tasks"] = _task_queue_health()
    else:
        checks["tasks"] = {"status": "error", "error": "database unavailable"}
    statuses = {c["status"] for c in checks.values()}
    status = "error" if "error" in statuses else "degraded" if "degraded" in statuses else "ok"
    return JsonResponse(
        {"status": status, "checks": checks, "time": timezone.now().isoformat()},
        status=200 if status == "ok" else 503,
    )


def _task_queue_health() -> dict:
    from django_tasks_db.models import DBTaskResult

    stale = dt.timedelta(seconds=settings.TASK_QUEUE_STALE_SECONDS)
    now = timezone.now()
    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        beat = periodic.last_beat()
    except Exception as exc:  # a missing table means migrations have not run
        return {"status": "error", "error": exc.__class__.__name__}
    out = {
        "status": "ok",
        "waiting": waiting,
        "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "worker_last_seen": beat.isoformat() if beat else None,
    }
    if beat is None or now - beat > stale:
        out["status"] = "degraded"
        out["problem"] = "no worker has been seen recently (run `jiedao worker`)"
    elif oldest and now - oldest > stale:
        out["status"] = "degraded"
        out["problem"] = "tasks are waiting longer than expected"
    return out
