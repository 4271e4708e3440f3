"""What the sensing pages share: the section tabs each reader gets, and how a duration reads."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.core.roles import Perm, has_perm

# (url name, label, permission)
SECTIONS = [
    ("sensing:alarms", gettext_lazy("告警"), Perm.VIEW_SENSING),
    ("sensing:devices", gettext_lazy("设备"), Perm.VIEW_SENSING),
    ("sensing:map", gettext_lazy("设备地图"), Perm.VIEW_SENSING),
    ("sensing:maintenance", gettext_lazy("维护任务"), Perm.VIEW_SENSING),
    ("sensing:figures", gettext_lazy("统计"), Perm.VIEW_SENSING),
    ("sensing:rules", gettext_lazy("告警规则"), Perm.VIEW_SENSING),
    ("sensing:dead-letters", gettext_lazy("死信"), Perm.MANAGE_SENSING),
    ("sensing:import", gettext_lazy("导入设备"), Perm.MANAGE_SENSING),
]


def sections(request, current: str) -> list[dict]:
    return [{"url": reverse(name), "label": label, "current": name == current}
            for name, label, perm in SECTIONS if has_perm(request.user, perm)]


def duration(delta: dt.timedelta | None) -> str:
    """3 天 4 小时 / 5 小时 20 分 / 12 分."""
    if delta is None:
        return "—"
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s 天 %(h)s 小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s 小时 %(m)s 分") % {"h": hours, "m": mins}
    return _("%(m)s 分") % {"m": mins}
