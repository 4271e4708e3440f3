"""Writes of the safety index: the factors' weights (an administrator's configuration)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_perm
from jiedao.core.audit import record, records_refusals
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm
from jiedao.inspections.models import SafetyWeight
from jiedao.inspections.safety.index import factor_specs


@records_refusals
def set_weight(*, by, code: str, weight: float, saturation: float, enabled: bool = True) -> SafetyWeight:
    """设置平安指数因子权重 for the actor's subdistrict (a factor known to the index or its trend)."""
    ensure_perm(by, Perm.CONFIGURE_INSPECTIONS)
    if by.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未关联街道"))
    specs, trend = factor_specs(subdistrict_id=by.subdistrict_id)
    if code not in {s.code for s in specs} | {trend.code}:
        raise ValidationError({"code": _("没有代码为 %(code)s 的平安指数因子") % {"code": code}})
    row = SafetyWeight.objects.filter(subdistrict_id=by.subdistrict_id, code=code).first() \
        or SafetyWeight(subdistrict_id=by.subdistrict_id, code=code)
    before = {"weight": row.weight, "saturation": row.saturation, "enabled": row.enabled} if row.pk else None
    row.weight, row.saturation, row.enabled = float(weight), float(saturation), bool(enabled)
    row.updated_at, row.updated_by = timezone.now(), by
    row.full_clean(exclude=["subdistrict", "updated_by"])
    row.save()
    record(actor=by, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=row,
           detail={"before": before, "after": {"weight": row.weight, "saturation": row.saturation,
                                               "enabled": row.enabled}})
    return row
