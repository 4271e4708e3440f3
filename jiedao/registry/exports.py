"""导出 in the background: a big export (the whole subdistrict is ~100,000 residents, 40 s of work) is
written by a task (``registry.export_residents``) while its page shows the progress, then downloaded by the
worker who asked for it, and no one else.

The file holds what the requester may see when it is written (their scope, the search's filters), masked
as every export is, and is kept encrypted (core.crypto) under MEDIA_ROOT for a day (``prune_exports``). It is
audited like the export the page answers at once: one ``export`` record with the row count and the filters
(never a name or phone digits), written when the file is; each download is recorded too.
``services.start_export`` creates the row and enqueues the task.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit, crypto
from jiedao.core import tasks as core_tasks
from jiedao.core.access import ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.registry import selectors, spreadsheets
from jiedao.registry.models import ResidentExport

KEEP_FOR = dt.timedelta(days=1)


def inline_limit() -> int:
    """Exports of up to this many residents are answered at once; bigger ones run in the background."""
    return getattr(settings, "REGISTRY_EXPORT_INLINE_ROWS", 5000)


def audited_filters(filters: dict) -> dict:
    """What the audit log keeps of a search's filters: which were used, but no name or phone digits."""
    kept = {k: filters.get(k) for k in ("address", "tag", "colour", "community_id") if filters.get(k)}
    kept.update(by_name=bool(filters.get("name")), by_phone_last4=bool(filters.get("phone_last4")))
    return {k: v for k, v in kept.items() if v}


def run_export(*, export_id: int) -> int:
    """Write the export's file (the task's body). Safe to run again after an interruption: it starts over.
    Returns the number of rows written."""
    export = ResidentExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status == ResidentExport.Status.DONE:
        return export.rows_done
    rows = ResidentExport.objects.filter(pk=export.pk)
    rows.update(status=ResidentExport.Status.RUNNING, rows_done=0)
    user = export.requested_by
    try:
        ensure_perm(user, Perm.EXPORT_REGISTRY)  # the role may have changed since the request
        residents = selectors.resident_search(user=user, filters=export.filters)
        total = residents.count()
        rows.update(rows_total=total)
        data = spreadsheets.export_residents(residents, progress=lambda n: rows.update(rows_done=n))
        export.file.save(f"{secrets.token_hex(16)}.bin", ContentFile(crypto.fernet().encrypt(data)), save=False)
    except PermissionDenied:
        rows.update(status=ResidentExport.Status.FAILED, finished_at=timezone.now(),
                    error=_("您的账号已无导出权限"), filters=audited_filters(export.filters))
        return 0
    except Exception as exc:
        message = _("生成文件时出错（%(error)s），请稍后重试或联系系统管理员") % {"error": exc.__class__.__name__}
        rows.update(status=ResidentExport.Status.FAILED, finished_at=timezone.now(), error=message[:200])
        raise  # the task's own record says what failed, for the administrator
    kept = audited_filters(export.filters)
    rows.update(status=ResidentExport.Status.DONE, rows_total=total, rows_done=total, file=export.file.name,
                finished_at=timezone.now(), filters=kept)  # the search terms are no longer needed
    audit.record(actor=user, action=AuditAction.EXPORT, object_type="registry.resident",
                 subdistrict_id=export.subdistrict_id,
                 detail={"rows": total, "filters": kept, "background": export.pk})
    return total


def get_export(*, user: User, export_id: int) -> ResidentExport:
    """A background export of ``user``'s; 404 for anyone else's, as for one that does not exist."""
    ensure_perm(user, Perm.EXPORT_REGISTRY)
    export = ResidentExport.objects.filter(pk=export_id, requested_by=user).first()
    if export is None:
        raise Http404
    return export


def export_state(*, export: ResidentExport, user: User) -> dict:
    """What the export's page, its polling and the API show: progress, whether the file is ready, and what
    went wrong, including a task that failed or was cut off by a worker that died (core.tasks): cut off and
    retried, it is still on its way; failed, it is over."""
    failed = export.status == ResidentExport.Status.FAILED
    problem = export.error if failed else ""
    if not failed and export.status != ResidentExport.Status.DONE and export.task_id:
        run = core_tasks.task_run(user=user, perm=Perm.EXPORT_REGISTRY, result_id=export.task_id)
        if run is not None and run.needs_attention:
            problem, failed = run.message, run.failed
    return {
        "id": export.pk, "status": "failed" if failed else export.status,
        "status_label": str(ResidentExport.Status.FAILED.label if failed else export.get_status_display()),
        "percent": export.percent, "rows_done": export.rows_done, "rows_total": export.rows_total,
        "problem": problem, "failed": failed, "ready": export.status == ResidentExport.Status.DONE,
    }


def export_file(*, export: ResidentExport, by: User) -> bytes:
    """下载: the finished file, for its requester (recorded in the audit log)."""
    if export.requested_by_id != by.pk or export.status != ResidentExport.Status.DONE or not export.file:
        raise Http404
    try:
        with export.file.open("rb") as fh:
            data = crypto.fernet().decrypt(fh.read())
    except OSError as exc:
        raise Http404 from exc
    audit.record(actor=by, action=AuditAction.VIEW, obj=export, detail={"download": True, "rows": export.rows_done})
    return data


def prune_exports(*, now: dt.datetime | None = None) -> int:
    """Delete background exports (and their files) older than a day; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = list(ResidentExport.objects.filter(requested_at__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)
