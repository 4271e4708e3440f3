"""What the facilities module (生活圈) offers the apps above it (docs/architecture.md, "Contributions"):

- planning's data element ``facilities.households_within_5min`` (5 分钟基本公共服务圈), which replaces the
  placeholder planning announced under that code;
- the household file's section 生活圈: how far the household walks to the nearest basic and elderly services.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import HouseholdSection, household_sections, planning_element
from jiedao.core.roles import Perm, has_perm
from jiedao.facilities import selectors

SOURCE = _("设施与生活圈")


@planning_element("facilities.households_within_5min", name=_("5分钟服务圈覆盖户数"), unit="户", source=SOURCE,
                  definition=_("报告期末，所住楼栋沿步行路网 5 分钟内（成年人步行速度）可到达一处当日运营中的"
                               "基本公共服务设施（党群服务站、社区卫生服务站、社区助餐点、24 小时一网通办自助终端等"
                               "标为基本公共服务的类型）的户数；户数按实有人口库的口径"))
def households_within_5min(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.households_within(subdistrict_id=subdistrict_id, day=end, circle="5min")


def household_access_context(*, user, household) -> dict | None:
    """生活圈 in the household file: the walk from the household's building to the nearest open facility of
    each basic or elderly service type; hidden from a reader who may not view facilities."""
    if not has_perm(user, Perm.VIEW_FACILITIES):
        return None
    return {"rows": selectors.building_access(user=user, building_id=household.building_id)}


def household_access_data(*, user, household) -> list | None:
    context = household_access_context(user=user, household=household)
    if context is None:
        return None
    return [{"type": r["type"].code, "facility": r["facility_id"], "name": r["name"], "distance_m": r["distance_m"],
             "minutes": r["minutes"], "within_circle": r["covered"]} for r in context["rows"]]


household_sections.add(HouseholdSection(
    code="facilities.access", title=_("生活圈"), order=60, template="facilities/household_section.html",
    context=household_access_context, data=household_access_data,
))
