"""Planning's own data elements (its projects), and the elements of modules not built yet.

The announced elements are placeholders: the plan's indicators already name them, and until their module
contributes the real element under the same code, an indicator over them says "数据来源尚未接入".
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import PlanningElement, planning_element, planning_elements
from jiedao.planning import selectors
from jiedao.planning.models import Project

SOURCE = _("规划项目库")


@planning_element("planning.projects_completed", name=_("已竣工规划项目"), unit="项", source=SOURCE,
                  definition=_("报告期末前竣工的规划项目数"))
def projects_completed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.projects_completed(subdistrict_id=subdistrict_id, by=end)


@planning_element("planning.housing_projects_completed", name=_("已竣工成套改造工程"), unit="项", source=SOURCE,
                  definition=_("报告期末前竣工的旧住房成套改造工程数（表 1）"))
def housing_projects_completed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.projects_completed(subdistrict_id=subdistrict_id, by=end, category=Project.Category.HOUSING)


@planning_element("planning.repair_projects_completed", name=_("已竣工综合修缮工程"), unit="项", source=SOURCE,
                  definition=_("报告期末前竣工的旧住房综合修缮工程数（表 2）"))
def repair_projects_completed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.projects_completed(subdistrict_id=subdistrict_id, by=end, category=Project.Category.REPAIR)


@planning_element("planning.roads_completed", name=_("已建成美丽道路"), unit="条", source=SOURCE,
                  definition=_("报告期末前建成的美丽道路条数（表 3）"))
def roads_completed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.projects_completed(subdistrict_id=subdistrict_id, by=end, category=Project.Category.ROAD)


def _announce(code: str, *, name, unit: str, definition, source, why) -> None:
    planning_elements.add(PlanningElement(code, name, unit, definition, source, unavailable=why))


_announce("elevators.retrofits_completed", name=_("加装电梯竣工数"), unit="个", source=_("加装电梯"),
          why=_("加装电梯模块（elevators）尚未接入"), definition=_("报告期末前竣工的加装电梯项目数"))
_announce("consult.consultations_passed", name=_("征询通过数"), unit="个", source=_("征询与表决"),
          why=_("征询模块（consult）尚未接入"), definition=_("报告期内达到法定比例通过的征询数"))
_announce("facilities.households_within_5min", name=_("5分钟服务圈覆盖户数"), unit="户", source=_("设施与生活圈"),
          why=_("设施与生活圈模块（facilities）尚未接入"), definition=_("步行 5 分钟内可达基本公共服务设施的户数"))
