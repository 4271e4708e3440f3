"""What the case pages share: how a time limit reads on screen."""

import datetime as dt

from django.utils.translation import gettext as _

from jiedao.cases.models import IN_HAND_STATUSES, Case


def duration(delta: dt.timedelta) -> str:
    """3 天 4 小时 / 5 小时 20 分 / 12 分."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s 天 %(h)s 小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s 小时 %(m)s 分") % {"h": hours, "m": mins}
    return _("%(m)s 分") % {"m": mins}


def time_left(case: Case, now: dt.datetime) -> dict | None:
    """The time limit of a case in a department's hands: how long is left, or how long it is over."""
    if case.status not in IN_HAND_STATUSES or case.handle_due is None:
        return None
    delta = case.handle_due - now
    if delta.total_seconds() < 0:
        return {"overdue": True, "text": _("超期 %(t)s") % {"t": duration(delta)}}
    return {"overdue": False, "text": _("剩余 %(t)s") % {"t": duration(delta)}}
