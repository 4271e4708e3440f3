"""What the planning endpoints share: the plans a list covers, the period parameter, numbers as JSON."""

from jiedao.planning import selectors
from jiedao.planning.periods import Period, parse_period


def plans_for(request, plan: int | None) -> list:
    """The plan asked for (404 / 403 outside the user's scope), or every plan the user may see."""
    if plan is not None:
        return [selectors.get_plan(user=request.user, plan_id=plan)]
    return list(selectors.plan_list(user=request.user))


def period_or_none(text: str | None) -> Period | None:
    return parse_period(text) if text else None


def number(value) -> float | None:
    return None if value is None else float(value)
