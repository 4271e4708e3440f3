"""What the cases module (一网统管) offers the apps above it: planning's data elements, counted by the
same definitions as the KPI page (``cases.selectors.METRICS``), and the household file's 案件 section
(``household_sections``: the cases linked to the household that the reader may see)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.cases import households, selectors
from jiedao.core.contributions import (
    HouseholdSection,
    SafetyEvent,
    SafetyFactor,
    household_sections,
    planning_element,
    safety_factors,
)
from jiedao.core.roles import Perm, has_perm

SOURCE = _("一网统管案件")


@planning_element("cases.closed", name=_("已办结案件"), unit="个", source=SOURCE,
                  definition=_("报告期内结案的 12345 热线及网格案件数（按时办结率的分母）"))
def closed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.subdistrict_metric(subdistrict_id=subdistrict_id, metric="on_time_rate", start=start, end=end)[1]


@planning_element("cases.closed_on_time", name=_("按时办结案件"), unit="个", source=SOURCE,
                  definition=_("报告期内结案、且在处置时限内办结的案件数（按时办结率的分子）"))
def closed_on_time(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.subdistrict_metric(subdistrict_id=subdistrict_id, metric="on_time_rate", start=start, end=end)[0]


@planning_element("cases.dispatched", name=_("已派遣案件"), unit="个", source=SOURCE,
                  definition=_("报告期内派遣到处置部门、有先行联系时限的案件数（先行联系率的分母）"))
def dispatched(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.subdistrict_metric(
        subdistrict_id=subdistrict_id, metric="first_contact_rate", start=start, end=end)[1]


@planning_element("cases.contacted_in_time", name=_("时限内先行联系案件"), unit="个", source=SOURCE,
                  definition=_("报告期内派遣、且在先行联系时限内联系市民的案件数（先行联系率的分子）"))
def contacted_in_time(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.subdistrict_metric(
        subdistrict_id=subdistrict_id, metric="first_contact_rate", start=start, end=end)[0]


# ------------------------------------------------------------------------- the household file's section

def household_cases_context(*, user, household) -> dict | None:
    """案件 in the household file: the household's cases the reader may see; hidden from a reader who may
    not read cases and sees none."""
    rows, total = households.household_cases(user=user, household_id=household.pk)
    if not rows and not has_perm(user, Perm.VIEW_CASES):
        return None
    return {"cases": rows, "total": total, "more": total - len(rows)}


def household_cases_data(*, user, household) -> dict | None:
    """The same cases for the household's JSON API (GET /api/v1/registry/households/{id}): ``total`` and the
    newest ``cases``."""
    context = household_cases_context(user=user, household=household)
    if context is None:
        return None
    return {"total": context["total"], "cases": [
        {**{k: v for k, v in row.items() if k != "linked"}, "reported_on": row["reported_on"].isoformat()}
        for row in context["cases"]]}


household_sections.add(HouseholdSection(
    code="cases.cases", title=_("案件"), order=20, template="cases/household_section.html",
    context=household_cases_context, data=household_cases_data,
))


# ---------------------------------------------------------------------- the safety index's factor (平安指数)

# 平安建设 categories: by name, plus every category of the 安全隐患 大类 and any whose name speaks of 治安 or
# 燃气 (an administrator's new category such as 治安纠纷 or 燃气泄漏 joins without a code change).
SAFETY_CATEGORY_NAMES = ("消防通道占用", "飞线充电", "电瓶车入梯", "高空抛物")
SAFETY_NAME_PARTS = ("治安", "燃气")
SAFETY_MAJOR = "安全隐患"


def safety_cases(*, subdistrict_id: int, start: dt.date, end: dt.date) -> list[SafetyEvent]:
    """Cases of the safety categories reported in the period (by 认定分类), not cancelled or merged as a
    repeat; the sensor channel's cases are left to the sensing factor (their alarms), so none counts twice."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils import timezone

    from jiedao.cases.models import Case, Category, Channel, Status

    names = Q(name__in=SAFETY_CATEGORY_NAMES) | Q(major_name=SAFETY_MAJOR)
    for part in SAFETY_NAME_PARTS:
        names |= Q(name__contains=part)
    categories = dict(Category.objects.filter(names).values_list("pk", "name"))
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = (Case.objects.filter(subdistrict_id=subdistrict_id, effective_category_id__in=list(categories),
                                reported_at__gte=begin, reported_at__lt=until)
            .exclude(status=Status.CANCELLED).exclude(channel=Channel.SENSOR).filter(duplicate_of__isnull=True)
            .order_by()  # unordered: the category index answers it (ordered, SQLite walks every case by time)
            .values_list("number", "reported_at", "community_id", "grid_id", "effective_category_id", "urgent"))
    detail = reverse("cases:detail", args=["NUMBER"])
    return [SafetyEvent(at=at, community_id=community, grid_id=grid, label=f"{number} {categories[category]}",
                        url=detail.replace("NUMBER", number), weight=1.5 if urgent else 1.0)
            for number, at, community, grid, category, urgent in rows]


safety_factors.add(SafetyFactor(
    code="cases.safety_cases", name=_("平安类案件"), source=SOURCE, events=safety_cases,
    definition=_("报告期内上报的治安、消防通道占用、飞线充电、电瓶车入梯、高空抛物、燃气等安全类案件（含“安全隐患”大类），"
                 "不含作废、合并为重复和物联感知渠道的案件；紧急案件计 1.5 件"),
))
