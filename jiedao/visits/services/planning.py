"""The 居委's plan (走访计划): the head sets their 居委's own frequency for a rule, or turns it off, in place of
the subdistrict's default (``VisitRule`` with a 居委). The next run of the task job follows it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.geo.models import Community
from jiedao.visits.models import VisitRule


@audit.records_refusals
def set_plan_rule(*, community: Community, code: str, by: User, every_months: int | None = None,
                  due_days: int | None = None, active: bool = True) -> VisitRule:
    """Set the 居委's own version of the default rule ``code`` (frequency or time limit, on or off)."""
    ensure_perm(by, Perm.MANAGE_VISITS, message=_("只有居委负责人可以调整本居委的走访计划"))
    ensure_in_scope(community, user=by)
    default = VisitRule.objects.filter(subdistrict_id=community.subdistrict_id, community__isnull=True,
                                       code=code).first()
    if default is None:
        raise ValidationError({"code": _("没有这条默认规则：%(code)s") % {"code": code}})
    with transaction.atomic():
        rule = VisitRule.objects.filter(community=community, code=code).first() or VisitRule(
            subdistrict_id=community.subdistrict_id, community=community, code=code, name=default.name,
            kind=default.kind, colour=default.colour, every_months=default.every_months,
            within_days=default.within_days, due_days=default.due_days, working_days=default.working_days,
            order=default.order)
        if rule.periodic and every_months is not None:
            rule.every_months = every_months
        if not rule.periodic and due_days is not None:
            rule.due_days = due_days
        rule.active = active
        rule.full_clean(exclude=["subdistrict", "community"])
        rule.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=rule, detail={
            "community": community.pk, "every_months": rule.every_months, "due_days": rule.due_days,
            "active": rule.active})
    return rule


@audit.records_refusals
def reset_plan_rule(*, community: Community, code: str, by: User) -> int:
    """Drop the 居委's own version of a rule: the subdistrict's default applies again."""
    ensure_perm(by, Perm.MANAGE_VISITS, message=_("只有居委负责人可以调整本居委的走访计划"))
    ensure_in_scope(community, user=by)
    deleted, _rows = VisitRule.objects.filter(community=community, code=code).delete()
    if deleted:
        audit.record(actor=by, action=AuditAction.DELETE, object_type="visits.visitrule",
                     subdistrict_id=community.subdistrict_id, detail={"community": community.pk, "code": code})
    return deleted
