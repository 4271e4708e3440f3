"""Pages of the core module: home, sign-in, the audit log, the health check, and the one refusal page."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core import periodic, selectors
from jiedao.core.access import ensure_perm
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def permission_denied(request, exception: Exception | None = None):
    """The one refusal page (handler403): every PermissionDenied a page raises, already audited where it was
    raised (``core.access``), shows as ``403.html`` with its message; a client asking for JSON gets JSON."""
    message = str(exception) if exception is not None and str(exception) else _("您无权执行此操作")
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


@login_required
def home(request):
    return render(request, "core/home.html", {"scope": scope_of(request.user)})


@login_required
def audit_log(request):
    """审计日志: search who did what, including every reveal of personal data."""
    ensure_perm(request.user, Perm.VIEW_AUDIT, message=_("只有审计员和管理员可以查询审计日志"))
    try:
        entries = selectors.audit_search(user=request.user, filters=request.GET)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        page, status = None, 400
    else:
        page, status = Paginator(entries.select_related(None), 50).get_page(request.GET.get("page")), 200
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request, "core/audit.html",
        {"page": page, "params": request.GET, "query": query, "actions": AuditAction.choices}, status=status,
    )


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
