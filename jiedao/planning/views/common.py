from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm
from jiedao.planning import selectors
from jiedao.planning.periods import Period, parse_period


def require_view(request) -> None:
    """Refuse (403, audited) a user whose role may not view planning."""
    ensure_perm(request.user, Perm.VIEW_PLANNING, message=_("您的角色无权查看规划监测"))


def period_param(request, plan, *, default: Period | None = None) -> Period:
    """The ``period`` query parameter (2023 or 2023Q2) within the plan, else the default."""
    default = default or selectors.default_as_of(plan=plan)
    text = request.GET.get("period", "").strip()
    if not text:
        return default
    try:
        period = parse_period(text)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return default
    if not plan.start_year <= period.year <= plan.end_year:
        messages.error(request, _("报告期 %(p)s 不在规划期 %(s)s–%(e)s 年内") % {
            "p": period.label, "s": plan.start_year, "e": plan.end_year})
        return default
    return period


def filtered_rows(request, selector, **kwargs) -> tuple[list, int]:
    """A list selector's rows for the page's filters (``filters=request.GET``) and the page's status: filters
    that do not parse show as messages naming the field, and the page lists nothing (400)."""
    try:
        return selector(filters=request.GET, **kwargs), 200
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return [], 400


def period_choices(plan) -> list[Period]:
    return [Period(y, q) for y in plan.years for q in (0, 1, 2, 3, 4)]
