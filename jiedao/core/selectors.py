"""Reads of the core module."""

import datetime as dt

from django.db.models import Q, QuerySet

from jiedao.core.models import AuditLog, Department, User
from jiedao.core.scope import scope_of


def audit_search(
    *,
    user: User,
    q: str = "",
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditLog]:
    """审计查询: the audit log within the user's scope, newest first, filtered."""
    qs = AuditLog.objects.within(scope_of(user))
    if q:
        qs = qs.filter(
            Q(actor_username__icontains=q) | Q(object_repr__icontains=q) | Q(reason__icontains=q)
            | Q(path__icontains=q)
        )
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_username=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    return qs.order_by("-created_at", "-id")


def department_list(*, user: User) -> QuerySet[Department]:
    """Departments the user may see (every department of the subdistrict is shared reference data)."""
    return Department.objects.within(scope_of(user)).filter(active=True)
