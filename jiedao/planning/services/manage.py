"""Managers' writes: indicator definitions (target, formula …) and publication of a plan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction
from jiedao.planning.models import Indicator, Plan
from jiedao.planning.services.access import ensure_may_manage

EDITABLE_INDICATOR_FIELDS = (
    "name", "description", "unit", "direction", "binding", "measure", "source", "numerator", "denominator", "factor",
    "baseline", "baseline_year", "baseline_note", "target", "target_year", "target_note", "lead_unit", "public",
)


def update_indicator(*, indicator: Indicator, by, **changes) -> Indicator:
    """Change an indicator's definition. Everything is validated (unit, target year within the plan, the
    formula's elements) before anything is saved; the audit record keeps the values before and after."""
    ensure_may_manage(user=by, obj=indicator)
    unknown = set(changes) - set(EDITABLE_INDICATOR_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    before = {name: _plain(getattr(indicator, name if name != "lead_unit" else "lead_unit_id")) for name in changes}
    for name, value in changes.items():
        setattr(indicator, name, value)
    indicator.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        indicator.save()
        after = {name: _plain(getattr(indicator, name if name != "lead_unit" else "lead_unit_id")) for name in changes}
        audit.record(actor=by, action=AuditAction.UPDATE, obj=indicator, detail={"before": before, "after": after})
    return indicator


def _plain(value):
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def set_plan_published(*, plan: Plan, published: bool, by) -> Plan:
    """公开 / 撤回: whether the plan's public page (信息公开) is shown to everyone."""
    ensure_may_manage(user=by, obj=plan)
    with transaction.atomic():
        plan.published = published
        plan.save(update_fields=["published"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=plan, field="published", detail={"published": published})
    return plan
