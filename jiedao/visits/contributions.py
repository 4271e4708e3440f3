"""What the visits app (四百走访) offers the apps above it (docs/architecture.md, "Contributions"): planning's
data elements (走访覆盖率 and the other figures, as numerators and denominators, defined in
``visits.figures``) and the household file's visits section."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import (
    HouseholdSection,
    SafetyEvent,
    SafetyFactor,
    household_sections,
    planning_element,
    safety_factors,
)
from jiedao.core.roles import Perm, has_perm
from jiedao.visits import selectors
from jiedao.visits.models import TaskStatus, VisitTask

SOURCE = _("四百走访")


def _figures(subdistrict_id: int, start: dt.date, end: dt.date):
    return selectors.subdistrict_figures(subdistrict_id=subdistrict_id, start=start, end=end)


@planning_element("visits.visits_due", name=_("应走访户次"), unit="户次", source=SOURCE,
                  definition=_("报告期内到期的走访任务数（每户每个到期任务计一次），不含已取消和因迁出关闭的任务"
                               "（走访覆盖率的分母）"))
def visits_due(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).visits_due


@planning_element("visits.visits_done", name=_("已走访户次"), unit="户次", source=SOURCE,
                  definition=_("报告期内到期的走访任务中，在期末前已完成的数目（走访覆盖率的分子）"))
def visits_done(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).visits_done


@planning_element("visits.tasks_matured", name=_("到期走访任务数"), unit="个", source=SOURCE,
                  definition=_("报告期内到期、截止日期已过或已完成的走访任务数（按时完成率的分母）"))
def tasks_matured(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).tasks_matured


@planning_element("visits.tasks_on_time", name=_("按时完成走访任务数"), unit="个", source=SOURCE,
                  definition=_("报告期内到期、在截止日期当天或之前完成的走访任务数（按时完成率的分子）"))
def tasks_on_time(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).tasks_on_time


@planning_element("visits.high_risk_found", name=_("走访高风险发现数"), unit="次", source=SOURCE,
                  definition=_("报告期内签到的走访中，AI回访评估为高风险的次数"))
def high_risk_found(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).high_risk


@planning_element("visits.problems_referred", name=_("走访问题转办数"), unit="个", source=SOURCE,
                  definition=_("报告期内走访发现并转为案件的问题数（办结率的分母）"))
def problems_referred(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).referred


@planning_element("visits.problems_closed", name=_("走访转办问题办结数"), unit="个", source=SOURCE,
                  definition=_("报告期内走访转办的问题中，案件已结案的数目（办结率的分子）"))
def problems_closed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).referred_closed


@planning_element("visits.ratings", name=_("走访居民评价数"), unit="个", source=SOURCE,
                  definition=_("报告期内居民扫码评价走访或问题处置的次数（回访满意率的分母）"))
def ratings(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).rated


@planning_element("visits.ratings_satisfied", name=_("走访居民满意评价数"), unit="个", source=SOURCE,
                  definition=_("报告期内居民扫码评价为满意或基本满意的次数（回访满意率的分子）"))
def ratings_satisfied(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return _figures(subdistrict_id, start, end).satisfied


# ------------------------------------------------------------------------- the household file's section

def household_visits_context(*, user, household) -> dict | None:
    """走访 in the household file: the latest visits and the open tasks, and 开始走访 for a worker who may
    visit it; hidden from a reader who may not read visits."""
    visits = selectors.household_visits(user=user, household=household)
    if visits is None:
        return None
    tasks = list(VisitTask.objects.filter(household=household, status=TaskStatus.OPEN)
                 .select_related("assignee").order_by("due_on"))
    return {"visits": visits, "open_tasks": tasks, "can_visit": has_perm(user, Perm.DO_VISITS)}


def household_visits_data(*, user, household) -> dict | None:
    """The same for the household's JSON API: visits (no notes) and open tasks."""
    context = household_visits_context(user=user, household=household)
    if context is None:
        return None
    return {
        "visits": [{"id": v.pk, "checked_in_at": v.checked_in_at.isoformat(), "worker": v.worker.display_name,
                    "outcome": v.outcome, "risk": v.risk, "risk_types": v.risk_types, "return_visit": v.return_visit}
                   for v in context["visits"]],
        "open_tasks": [{"id": t.pk, "kind": t.kind, "due_on": t.due_on.isoformat(),
                        "assignee": t.assignee.display_name if t.assignee else None} for t in context["open_tasks"]],
    }


household_sections.add(HouseholdSection(
    code="visits.visits", title=_("走访"), order=30, template="visits/household_section.html",
    context=household_visits_context, data=household_visits_data,
))


# ---------------------------------------------------------------------- the safety index's factor (平安指数)

def high_risk_visits(*, subdistrict_id: int, start: dt.date, end: dt.date) -> list[SafetyEvent]:
    """Visits in the period whose assessment (AI回访评估) found a high risk; one with a 安全 risk counts twice."""
    from django.urls import reverse
    from django.utils import timezone

    from jiedao.visits.models import Risk, Visit

    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = (Visit.objects.filter(subdistrict_id=subdistrict_id, risk=Risk.HIGH, checked_in_at__gte=begin,
                                 checked_in_at__lt=until).order_by()
            .values_list("pk", "checked_in_at", "community_id", "building__grid_id", "risk_types"))
    detail = reverse("visits:visit", args=[0])
    label = str(_("走访 #%(id)s 高风险（%(types)s）"))
    return [SafetyEvent(at=at, community_id=community, grid_id=grid,
                        label=label % {"id": pk, "types": "、".join(types or [])},
                        url=detail.replace("/0/", f"/{pk}/"), weight=2.0 if "安全" in (types or []) else 1.0)
            for pk, at, community, grid, types in rows]


safety_factors.add(SafetyFactor(
    code="visits.high_risk", name=_("高风险走访"), source=SOURCE, events=high_risk_visits,
    definition=_("报告期内签到的走访中，AI回访评估为高风险的次数；风险类型含“安全”的计 2 次"),
))
