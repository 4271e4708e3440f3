"""Managers' writes: indicator definitions (target, formula …), publication of a plan, and the next plan."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm
from jiedao.planning.models import Goal, Indicator, IndicatorValue, Plan
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


# Indicator fields a next plan takes over unchanged: what is measured, how, and by whom. Targets, the plan's
# chapters and the quotations of the last plan's text are the new plan's to write.
NEXT_PLAN_INDICATOR_FIELDS = (
    "code", "order", "name", "description", "unit", "direction", "binding", "measure", "source", "numerator",
    "denominator", "factor", "lead_unit_id", "public",
)


def create_next_plan(*, source: Plan, by, code: str, name: str, start_year: int, end_year: int,
                     indicators: Iterable[Indicator] | None = None, copy_goals: bool = True) -> Plan:
    """新建下一期规划: a plan that follows ``source`` (the 15th Five-Year plan after the 14th), with the last
    plan's goals and the chosen indicators (all by default) copied, unpublished.

    Each copied indicator keeps its definition, formula and lead unit; its baseline is the last plan's value
    for its final year (the level at its end, or the total over it for a cumulative indicator), when one
    was reported or computed; targets are left for the managers to set. Chapters, text and projects are not
    copied. Everything is validated before anything is written; the audit record names the source plan.
    """
    ensure_perm(by, Perm.MANAGE_PLANNING, message=_("只有街道规划管理人员可以新建规划"), obj=source)
    ensure_in_scope(source, user=by)
    chosen = list(source.indicators.all() if indicators is None else indicators)
    if any(i.plan_id != source.pk for i in chosen):
        raise ValidationError({"indicators": _("只能复制上一期规划「%(plan)s」的指标") % {"plan": source.name}})
    plan = Plan(subdistrict_id=source.subdistrict_id, code=code, name=name, start_year=start_year,
                end_year=end_year, baseline_year=source.end_year, published=False)
    errors: dict[str, list] = {}
    if start_year is not None and start_year <= source.end_year:
        errors["start_year"] = [_("下一期规划应在上一期结束（%(end)s 年）之后开始") % {"end": source.end_year}]
    try:
        plan.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    goals = list(source.goals.all()) if copy_goals else []
    final = _final_values(source, chosen)
    copies = [_next_indicator(indicator, plan=plan, final=final.get(indicator.pk)) for indicator in chosen]
    problems = []
    for copy in copies:
        try:
            copy.full_clean(exclude=["plan", "goal"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problem = "；".join(exc.messages)
            problems.append(_("指标「%(name)s」：%(problem)s") % {"name": copy.name, "problem": problem})
    if problems:
        raise ValidationError({"indicators": problems})
    with transaction.atomic():
        plan.save()
        new_goals = {}
        for goal in goals:
            new_goals[goal.pk] = Goal.objects.create(
                subdistrict_id=plan.subdistrict_id, plan=plan, number=goal.number, kind=goal.kind, title=goal.title,
                text=goal.text)
        for copy, indicator in zip(copies, chosen, strict=True):
            copy.plan = plan
            copy.goal = new_goals.get(indicator.goal_id)
        Indicator.objects.bulk_create(copies)
        audit.record(actor=by, action=AuditAction.CREATE, obj=plan, detail={
            "from_plan": source.pk, "goals": len(goals), "indicators": len(copies),
            "baselines": sum(c.baseline is not None for c in copies)})
    return plan


def _final_values(source: Plan, indicators: list[Indicator]) -> dict[int, IndicatorValue]:
    """Each indicator's value for the source plan's final year: the whole-year value, else the last quarter's."""
    found: dict[int, IndicatorValue] = {}
    values = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in indicators], year=source.end_year, value__isnull=False,
    ).order_by("indicator_id", "-quarter")
    for value in values:
        best = found.get(value.indicator_id)
        if best is None or value.quarter == 0:
            found[value.indicator_id] = value
    return found


def _next_indicator(indicator: Indicator, *, plan: Plan, final: IndicatorValue | None) -> Indicator:
    copy = Indicator(subdistrict_id=indicator.subdistrict_id, plan=plan,
                     **{field: getattr(indicator, field) for field in NEXT_PLAN_INDICATOR_FIELDS})
    if final is not None and not indicator.is_milestone:
        source = indicator.plan
        copy.baseline, copy.baseline_year = final.value, source.end_year
        # The basis is data in the plan's language, like the notes a plan file gives ("“十三五”期间累计").
        copy.baseline_note = (f"{source.start_year}–{source.end_year}年累计"
                              if indicator.measure == Indicator.Measure.CUMULATIVE else f"{source.end_year}年末")
    return copy
