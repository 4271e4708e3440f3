"""Periodic and repair work on every case: overdue warnings (超期督办) and rebuilding the timing columns."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases.models import IN_HAND_STATUSES, Case, EventKind
from jiedao.cases.services.timeline import project, record_event, reproject


def rebuild_facts(*, subdistrict_id: int | None = None, fix: bool = True) -> int:
    """Recompute every case's timing columns from its timeline; returns how many differed."""
    qs = Case.objects.all()
    if subdistrict_id is not None:
        qs = qs.filter(subdistrict_id=subdistrict_id)
    changed = 0
    for case in qs.iterator(chunk_size=500):
        facts = project(case=case, events=list(case.events.order_by("at", "id")))
        diff = {k: v for k, v in facts.items() if getattr(case, k) != v}
        if diff:
            changed += 1
            if fix:
                Case.objects.filter(pk=case.pk).update(**diff)
    return changed


def warn_overdue(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """超期督办: a timeline event on every case in a department's hands whose time limit has passed and
    that has not been warned for this limit yet. Run by the periodic check (cases.tasks)."""
    now = now or timezone.now()
    ids = list(Case.objects.filter(status__in=IN_HAND_STATUSES, handle_due__lt=now, overdue_warned=False)
               .values_list("pk", flat=True)[:limit])
    warned = 0
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.status not in IN_HAND_STATUSES or case.overdue_warned or not case.handle_due \
                    or case.handle_due >= now:
                continue
            record_event(case=case, kind=EventKind.OVERDUE, by=_("系统"), from_status=case.status,
                         to_status=case.status, data={"handle_due": case.handle_due.isoformat()}, at=now)
            reproject(case=case)
            case.save()
            warned += 1
    return warned
