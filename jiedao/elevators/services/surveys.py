"""踏勘: record what staff found at a building, the inputs of its feasibility score."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.elevators.models import Entry, Pipes, Sunlight, Survey
from jiedao.geo.models import Building

FIELDS = ("has_elevator", "entry", "front_clearance_m", "rear_clearance_m", "pipes", "fire_lane_clear", "sunlight",
          "dwellings_per_floor", "note", "surveyed_on")
MAX_CLEARANCE_M = Decimal("200")


def can_manage(user: User) -> None:
    from jiedao.core.roles import Perm

    ensure_perm(user, Perm.MANAGE_ELEVATORS, message=_("您的角色无权踏勘、报价或推进加装电梯项目"))


def _check(values: dict) -> None:
    errors = {}
    for name in ("front_clearance_m", "rear_clearance_m"):
        v = values.get(name)
        if v is not None and not (Decimal("0") <= Decimal(str(v)) <= MAX_CLEARANCE_M):
            errors[name] = _("间距应在 0 到 200 米之间（单位：米）")
    if values.get("entry") and values["entry"] not in Entry.values:
        errors["entry"] = _("入户方式应为“平层入户”或“半层入户”")
    if values.get("pipes") and values["pipes"] not in Pipes.values:
        errors["pipes"] = _("地下管线应为“无冲突”“需迁移”或“无法迁移”")
    if values.get("sunlight") and values["sunlight"] not in Sunlight.values:
        errors["sunlight"] = _("日照影响应为“无影响”“轻微”或“严重”")
    n = values.get("dwellings_per_floor")
    if n is not None and not 1 <= int(n) <= 12:
        errors["dwellings_per_floor"] = _("每层户数应在 1 到 12 之间")
    day = values.get("surveyed_on")
    if day is not None and day > timezone.localdate():
        errors["surveyed_on"] = _("踏勘日期不能晚于今天")
    if errors:
        raise ValidationError(errors)


@audit.records_refusals
def save_survey(*, building: Building, by: User, **values) -> Survey:
    """Record (or correct) the survey of ``building``; fields not given keep their value."""
    can_manage(by)
    ensure_in_scope(building, user=by)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(_("未知的踏勘字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    _check(values)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(building=building).first()
        before = {}
        if survey is None:
            survey = Survey(building=building, surveyed_on=values.get("surveyed_on") or timezone.localdate())
        else:
            before = {f: _plain(getattr(survey, f)) for f in values}
        for name, value in values.items():
            if name in ("entry", "pipes", "sunlight", "note") and value is None:
                value = ""
            setattr(survey, name, value)
        if "surveyed_on" not in values or values["surveyed_on"] is None:
            survey.surveyed_on = timezone.localdate()
        survey.surveyed_by = by
        survey.save()
        audit.record(actor=by, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=survey,
                     detail={"building": building.pk, "before": before,
                             "after": {f: _plain(getattr(survey, f)) for f in values}})
    return survey


def _plain(value):
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    return value
