"""What the registry (实有人口) offers the apps above it: planning's data elements."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import planning_element
from jiedao.registry import selectors
from jiedao.registry.models import Resident

SOURCE = _("实有人口库")


@planning_element("registry.residents", name=_("实有人口"), unit="人", source=SOURCE,
                  definition=_("报告期末实有人口库中登记在册（已迁入、未迁出）的居民人数"))
def residents(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.residents_on(subdistrict_id=subdistrict_id, day=end).count()


@planning_element("registry.residents_60_plus", name=_("60周岁及以上居民"), unit="人", source=SOURCE,
                  definition=_("报告期末登记在册且年满 60 周岁的居民人数"))
def residents_60_plus(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.residents_aged(subdistrict_id=subdistrict_id, day=end, years=60)


@planning_element("registry.residents_80_plus", name=_("80周岁及以上居民"), unit="人", source=SOURCE,
                  definition=_("报告期末登记在册且年满 80 周岁的居民人数（高龄老人）"))
def residents_80_plus(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.residents_aged(subdistrict_id=subdistrict_id, day=end, years=80)


@planning_element("registry.elderly_living_alone", name=_("独居老人"), unit="人", source=SOURCE,
                  definition=_("报告期末一人户中年满 60 周岁的居民人数"))
def elderly_living_alone(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.residents_aged(subdistrict_id=subdistrict_id, day=end, years=60, living_alone=True)


@planning_element("registry.elderly_80_living_alone", name=_("高龄独居老人"), unit="人", source=SOURCE,
                  definition=_("报告期末一人户中年满 80 周岁的居民人数"))
def elderly_80_living_alone(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.residents_aged(subdistrict_id=subdistrict_id, day=end, years=80, living_alone=True)


@planning_element("registry.households", name=_("户数"), unit="户", source=SOURCE,
                  definition=_("报告期末有居民登记在册的户数"))
def households(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.households_on(subdistrict_id=subdistrict_id, day=end)


@planning_element("registry.migrants", name=_("来沪人员"), unit="人", source=SOURCE,
                  definition=_("报告期末登记在册、人户状态为“来沪人员”的居民人数"))
def migrants(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.residents_on(subdistrict_id=subdistrict_id, day=end).filter(
        residence_status=Resident.ResidenceStatus.MIGRANT
    ).count()


@planning_element("registry.care_priority_residents", name=_("分色管理重点关照对象"), unit="人", source=SOURCE,
                  definition=_("分色管理中当前标为红色、黄色的居民人数（分色只保存现状，各报告期均取当前值）"))
def care_priority_residents(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.care_priority_residents(subdistrict_id=subdistrict_id)
