"""The one access helper (访问控制): role checks, scope checks and fetching one row in scope.

Every page, endpoint and service refuses through these functions, so that each refusal is audited the
same way and shown the same way: a ``PermissionDenied`` that the project's handler turns into one
``403.html`` page (or a JSON answer for API clients, ``core.api_frame``); a row looked up outside the
scope is answered as one that does not exist (404), audited all the same. Services call them **before**
opening their transaction: inside it, the refusal would roll back its own audit record.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from jiedao.core.audit import record_denied
from jiedao.core.roles import Role, ScopeLevel, has_perm
from jiedao.core.scope import scope_of


def ensure_perm(user, perm: str, *, message: str = "", obj: models.Model | None = None) -> None:
    """Refuse (403, audited) a user whose role lacks ``perm``: the role half of every access check.
    ``message`` tells the user what the role may not do, in their language."""
    if not has_perm(user, perm):
        record_denied(actor=user, obj=obj, detail={"perm": perm})
        raise PermissionDenied(message or _("您的角色无权执行此操作"))


def in_scope(obj: models.Model, *, user) -> bool:
    """True when ``obj`` lies within the user's scope (数据范围), by the model's scope declaration."""
    scope = scope_of(user)
    if scope.is_all:
        return True
    if scope.level == ScopeLevel.NONE or scope.subdistrict_id is None:
        return False
    model = type(obj)
    whole_subdistrict = scope.level == ScopeLevel.SUBDISTRICT or (
        getattr(model, "scope_shared", False) and scope.level not in getattr(model, "scope_paths", {})
    )
    # A tenant column on the row itself answers without a query (most checks: a row of the user's subdistrict).
    if whole_subdistrict and model.scope_subdistrict in ("pk", "subdistrict"):
        tenant = obj.pk if model.scope_subdistrict == "pk" else obj.subdistrict_id
        return tenant == scope.subdistrict_id
    return model.objects.within(scope).filter(pk=obj.pk).exists()


def ensure_in_scope(obj: models.Model, *, user, message: str = "") -> None:
    """Refuse (403, audited) when ``obj`` lies outside the user's scope.

    For a row the caller already holds by other means (a service re-checking the case it was given, a
    scanned household code): its existence is no secret to them. A row looked up by its id goes through
    ``get_in_scope``, which does not confirm that it exists."""
    if not in_scope(obj, user=user):
        record_denied(actor=user, obj=obj)
        raise PermissionDenied(message or _("该对象不在您的数据范围内"))


def get_in_scope(queryset: models.QuerySet, *, user, **lookup):
    """Fetch one row for ``user``: 404 when it does not exist, and the same 404 when it lies outside the
    user's scope (audited), so that a refusal does not tell a user which rows exist elsewhere."""
    try:
        obj = queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if not in_scope(obj, user=user):
        record_denied(actor=user, obj=obj, detail={"answered": 404})
        raise Http404
    return obj


def resident_page(view):
    """A page for the signed-in residents of a subdistrict (the portal: reports, bookings); staff use the staff
    pages."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.RESIDENT or request.user.subdistrict_id is None:
            raise PermissionDenied(_("此页面供本街道居民使用"))
        return view(request, *args, **kwargs)

    return wrapped
