"""Evaluations: creating the annual, mid-term and final evaluation and writing their narrative."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction
from jiedao.planning.models import Evaluation, Plan
from jiedao.planning.services.access import ensure_may_manage


def create_evaluation(*, plan: Plan, kind: str, year: int | None = None, by) -> Evaluation:
    """Open an evaluation of ``plan``: the year defaults to the plan's mid-term year for a mid-term
    evaluation and to its end year for the final one."""
    ensure_may_manage(user=by, obj=plan)
    if kind not in Evaluation.Kind.values:
        kinds = "、".join(str(label) for label in Evaluation.Kind.labels)
        raise ValidationError({"kind": _("评估类型只能是：%(kinds)s") % {"kinds": kinds}})
    if year is None:
        year = {Evaluation.Kind.MIDTERM: plan.midterm_year, Evaluation.Kind.FINAL: plan.end_year}.get(kind)
    if year is None:
        raise ValidationError({"year": _("年度跟踪监测需要指定年份")})
    evaluation = Evaluation(subdistrict_id=plan.subdistrict_id, plan=plan, kind=kind, year=year, updated_by=by)
    evaluation.full_clean(exclude=["plan", "subdistrict", "updated_by"], validate_constraints=False)
    if Evaluation.objects.filter(plan=plan, kind=kind, year=year).exists():
        raise ValidationError(_("%(year)s 年的%(kind)s已存在") % {"year": year, "kind": evaluation.get_kind_display()})
    with transaction.atomic():
        evaluation.save()
        audit.record(actor=by, action=AuditAction.CREATE, obj=evaluation)
    return evaluation


def update_narrative(*, evaluation: Evaluation, by, **texts: str) -> Evaluation:
    """Save the narrative parts staff write (总体评价, 主要成效, 存在问题, 下一步举措)."""
    ensure_may_manage(user=by, obj=evaluation)
    unknown = set(texts) - set(Evaluation.NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    with transaction.atomic():
        changed = [name for name, text in texts.items() if getattr(evaluation, name) != text.strip()]
        for name in changed:
            setattr(evaluation, name, texts[name].strip())
        evaluation.updated_by = by
        evaluation.updated_at = timezone.now()
        evaluation.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=evaluation, detail={"fields": changed})
    return evaluation
