"""告警规则: a subdistrict's rules (written from the defaults the first time they are read) and the admin's
edits of them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.sensing import defaults
from jiedao.sensing.models import AlarmRule, SensorType

EDITABLE = ("enabled", "threshold", "duration_seconds", "quiet_start", "quiet_end", "merge_minutes", "opens_case",
            "urgent", "command")


def rules_for(*, subdistrict_id: int) -> list[AlarmRule]:
    """Every sensor type's rule in the subdistrict; the types without one get theirs from
    ``defaults.RULES`` now (disabled for a type the defaults do not name)."""
    rules = {r.type_id: r for r in AlarmRule.objects.filter(subdistrict_id=subdistrict_id).select_related("type")}
    missing = [t for t in SensorType.objects.all() if t.pk not in rules]
    for sensor_type in missing:
        spec = defaults.RULES.get(sensor_type.code)
        fields = {"enabled": spec is not None, **(spec or {})}
        try:
            with transaction.atomic():
                rule, _created = AlarmRule.objects.get_or_create(subdistrict_id=subdistrict_id, type=sensor_type,
                                                                 defaults=fields)
        except IntegrityError:  # another process wrote it meanwhile
            rule = AlarmRule.objects.get(subdistrict_id=subdistrict_id, type=sensor_type)
        rules[sensor_type.pk] = rule
    return sorted(rules.values(), key=lambda r: (r.type.order, r.type.code))


def update_rule(*, rule: AlarmRule, by: User, **fields) -> AlarmRule:
    """An admin's edit of a rule (管理告警规则), validated whole and audited with what changed."""
    ensure_perm(by, Perm.MANAGE_SENSING)
    ensure_in_scope(rule, user=by)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = {f: getattr(rule, f) for f in EDITABLE}
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.command and rule.command not in (rule.type.commands or []):
        raise ValidationError({"command": _("“%(t)s”设备不支持指令 %(c)s") % {
            "t": _(rule.type.name), "c": rule.command}})
    rule.full_clean(exclude=["subdistrict", "type", "updated_by"])
    rule.updated_by = by
    changed = {f: [str(before[f]), str(getattr(rule, f))] for f in EDITABLE if before[f] != getattr(rule, f)}
    with transaction.atomic():
        rule.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=rule, detail={"changed": changed})
    return rule
