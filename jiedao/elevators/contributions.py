"""What the elevators app (加装电梯) offers the apps above it (docs/architecture.md, "Contributions"):
planning's data elements, in place of the placeholder ``elevators.retrofits_completed`` planning announced.

- ``elevators.retrofits_completed`` 加装电梯竣工数: projects completed (竣工验收, entered 运维) by the period's end;
- ``elevators.completed_in_period`` 报告期内加装电梯竣工数: completed within the period (the 13th plan's 9);
- ``elevators.under_construction`` 在施加装电梯数: projects in 施工 or 验收 at the end of the period;
- ``elevators.voted`` 表决通过加装电梯数: projects past their vote (公示 or later) at the end of the period.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import planning_element
from jiedao.elevators import selectors
from jiedao.elevators.models import STAGES, Stage

SOURCE = _("加装电梯")


@planning_element("elevators.retrofits_completed", name=_("加装电梯竣工数"), unit="个", source=SOURCE,
                  definition=_("报告期末前竣工的加装电梯项目数（竣工验收通过、进入运维阶段的项目）"))
def retrofits_completed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.completed_between(subdistrict_id=subdistrict_id, start=None, end=end)


@planning_element("elevators.completed_in_period", name=_("报告期内加装电梯竣工数"), unit="个", source=SOURCE,
                  definition=_("报告期内竣工验收通过（进入运维阶段）的加装电梯项目数"))
def completed_in_period(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.completed_between(subdistrict_id=subdistrict_id, start=start, end=end)


@planning_element("elevators.under_construction", name=_("在施加装电梯数"), unit="个", source=SOURCE,
                  definition=_("报告期末处于施工或验收阶段的加装电梯项目数"))
def under_construction(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.in_stage_on(subdistrict_id=subdistrict_id, day=end,
                                 stages=[Stage.CONSTRUCTION.value, Stage.ACCEPTANCE.value])


@planning_element("elevators.voted", name=_("表决通过加装电梯数"), unit="个", source=SOURCE,
                  definition=_("报告期末已通过业主表决（进入公示及以后阶段）的加装电梯项目数"))
def voted(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.in_stage_on(subdistrict_id=subdistrict_id, day=end,
                                 stages=[s.value for s in STAGES if STAGES.index(s) >= STAGES.index(Stage.NOTICE)])
