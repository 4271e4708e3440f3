"""Who may write plan data: lead units report their own projects and entered indicators; managers
(街道领导, 管理员) maintain definitions and evaluations. Refusals are audited *before* any transaction
opens, so that the record survives the refusal."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiedao.core.access import in_scope
from jiedao.core.audit import record_denied
from jiedao.core.roles import Perm, has_perm


def may_report(*, user, obj) -> bool:
    """True when ``user`` reports for ``obj``'s lead unit (a project or an entered indicator)."""
    return (
        has_perm(user, Perm.REPORT_PLANNING) and in_scope(obj, user=user)
        and obj.lead_unit_id is not None and user.department_id == obj.lead_unit_id
    )


def ensure_may_report(*, user, obj) -> None:
    """Refuse (PermissionDenied, audited) a report on ``obj`` by anyone but its lead unit's reporters."""
    if may_report(user=user, obj=obj):
        return
    if not has_perm(user, Perm.REPORT_PLANNING):
        message = _("您的角色无权填报规划进展")
    elif not in_scope(obj, user=user):
        message = _("该对象不在您的数据范围内")
    elif obj.lead_unit_id is None:
        message = _("「%(obj)s」尚未指定牵头单位，暂不能填报") % {"obj": obj}
    else:
        message = _("只有牵头单位「%(lead)s」可以填报「%(obj)s」的进展；您所在的部门是「%(mine)s」") % {
            "lead": obj.lead_unit.name, "obj": obj, "mine": user.department.name if user.department_id else _("无")}
    record_denied(actor=user, obj=obj, detail={"action": "planning.report", "reason": message})
    raise PermissionDenied(message)


def may_manage(*, user, obj=None) -> bool:
    return has_perm(user, Perm.MANAGE_PLANNING) and (obj is None or in_scope(obj, user=user))


def ensure_may_manage(*, user, obj) -> None:
    if may_manage(user=user, obj=obj):
        return
    message = _("只有街道规划管理人员可以修改规划、指标定义和评估报告")
    record_denied(actor=user, obj=obj, detail={"action": "planning.manage", "reason": message})
    raise PermissionDenied(message)


def may_report_anything(*, user) -> bool:
    """True for a reporter of some unit (the overview then shows what that unit has to report)."""
    return has_perm(user, Perm.REPORT_PLANNING) and user.department_id is not None
