"""What the cases module (一网统管) offers the apps above it: planning's data elements, counted by the
same definitions as the KPI page (``cases.selectors.METRICS``), and the household file's 案件 section
(``household_sections``: the cases linked to the household that the reader may see)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.cases import households, selectors
from jiedao.core.contributions import HouseholdSection, household_sections, planning_element
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
