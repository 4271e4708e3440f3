"""Writing the audit log (审计日志). Every module records through these functions."""

from typing import Any

from django.db import models

from jiedao.core.middleware import current_request
from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.rows import insert


def _subdistrict_id_of(obj: Any, actor: Any) -> int | None:
    """The tenant an audit record belongs to: the object's subdistrict, else the actor's."""
    from jiedao.core.models import Subdistrict

    if isinstance(obj, Subdistrict):
        return obj.pk
    return getattr(obj, "subdistrict_id", None) or getattr(actor, "subdistrict_id", None)


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    field: str = "",
    reason: str = "",
    detail: dict | None = None,
    subdistrict_id: int | None = None,
) -> AuditLog:
    """Append one audit record. ``obj``'s ``str()`` must not carry personal data (models ensure it)."""
    info = current_request.get()
    is_user = getattr(actor, "is_authenticated", False)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return insert(AuditLog(
        subdistrict_id=subdistrict_id or _subdistrict_id_of(obj, actor if is_user else None),
        actor=actor if is_user else None,
        actor_username=actor.get_username() if is_user else (str(actor) if actor else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        field=field,
        reason=reason[:200],
        ip=info.ip if info else None,
        user_agent=info.user_agent if info else "",
        path=info.path if info else "",
        detail=detail or {},
    ))


def record_denied(*, actor: Any, obj: models.Model | None = None, detail: dict | None = None) -> AuditLog:
    """An access refused by scope or role: an auditor looks for these first."""
    return record(actor=actor, action=AuditAction.DENIED, obj=obj, detail=detail)


def records_refusals(service):
    """Decorate a write service so that a ValidationError it raises is audited, after its transaction has
    rolled back (so the record stays). Only field names and error codes are kept: messages can quote what
    the user typed."""
    import functools

    from django.core.exceptions import ValidationError

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                fields = sorted(exc.error_dict)
                errors = [e for es in exc.error_dict.values() for e in es]
            else:
                fields, errors = [], exc.error_list
            codes = sorted({e.code for e in errors if e.code})
            target = next((v for v in kwargs.values() if isinstance(v, models.Model)
                           and not getattr(v, "is_authenticated", False)), None)
            record(actor=kwargs.get("by"), action=AuditAction.ERROR, obj=target,
                   detail={"service": service.__name__, "fields": fields, "codes": codes})
            raise

    return wrapper
