"""Data elements (数据元素): the named numbers that computed indicators' formulas are written over.

Modules register elements in code with a definition and a function that counts them for a subdistrict
at the end of a reporting period. An element whose source module does not exist yet is registered
*unavailable*, with the reason, so that an indicator over it says "数据来源尚未接入" instead of showing a
made-up number; when the module arrives it registers the real function under the same code.

Any app may contribute elements in a ``planning_elements`` module (imported by ``load_app_elements``).
The registry and geo elements live here for now because those modules predate this one.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiedao.planning.periods import Period


@dataclass(frozen=True)
class DataElement:
    code: str
    name: str | Promise
    unit: str
    definition: str | Promise
    compute: Callable[..., int | Decimal] | None = None
    unavailable: str | Promise = ""  # why there is no data yet, shown to users

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def available(self) -> bool:
        return self.compute is not None


class DataSourceUnavailable(Exception):
    """The element's source module is not connected yet; carries the element and the reason."""

    def __init__(self, element: DataElement):
        self.element = element
        super().__init__(f"{element.code}: {element.unavailable}")


_registry: dict[str, DataElement] = {}


def register(code: str, *, name, unit: str, definition, compute=None, unavailable="") -> DataElement:
    """Register (or replace) a data element. Exactly one of ``compute`` or ``unavailable`` is given."""
    if (compute is None) == (not unavailable):
        raise ValueError("give either compute or the reason the element is unavailable")
    element = DataElement(code, name, unit, definition, compute, unavailable)
    _registry[code] = element
    return element


def get(code: str) -> DataElement | None:
    return _registry.get(code)


def registered() -> dict[str, DataElement]:
    return dict(sorted(_registry.items()))


def value_of(code: str, *, subdistrict_id: int, period: Period, cache: dict | None = None) -> Decimal:
    """The element's value for the subdistrict at the end of the period (cached per evaluation)."""
    key = (code, subdistrict_id, period)
    if cache is not None and key in cache:
        return cache[key]
    element = _registry[code]
    if element.compute is None:
        raise DataSourceUnavailable(element)
    value = Decimal(element.compute(subdistrict_id=subdistrict_id, period=period))
    if cache is not None:
        cache[key] = value
    return value


def load_app_elements() -> None:
    """Import every app's ``planning_elements`` module so that its registrations run."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("jiedao.") and find_spec(f"{config.name}.planning_elements") is not None:
            import_module(f"{config.name}.planning_elements")


# ------------------------------------------------------------------------------------------- built-ins
# The registry has no move-in / move-out history yet, so head counts are the registry as it stands; ages
# are taken at the end of the period, which is what changes from one period to the next.

def _born_on_or_before(period: Period, years: int) -> dt.date:
    end = period.end  # always the last day of March, June, September or December: no 29 February
    return end.replace(year=end.year - years)


def _residents(subdistrict_id: int):
    from jiedao.registry.models import Resident

    return Resident.objects.filter(subdistrict_id=subdistrict_id)


def _aged(years: int):
    def compute(*, subdistrict_id: int, period: Period) -> int:
        return _residents(subdistrict_id).filter(birth_date__lte=_born_on_or_before(period, years)).count()

    return compute


def _living_alone_aged(years: int):
    def compute(*, subdistrict_id: int, period: Period) -> int:
        from jiedao.registry.models import Household

        single = Household.objects.filter(subdistrict_id=subdistrict_id).annotate(n=Count("residents")).filter(n=1)
        return _residents(subdistrict_id).filter(
            household__in=single.values("pk"), birth_date__lte=_born_on_or_before(period, years)
        ).count()

    return compute


def _count(model_path: str, **filters):
    def compute(*, subdistrict_id: int, period: Period) -> int:
        from django.apps import apps

        return apps.get_model(model_path).objects.filter(subdistrict_id=subdistrict_id, **filters).count()

    return compute


def _projects_completed(category: str | None):
    def compute(*, subdistrict_id: int, period: Period) -> int:
        from jiedao.planning.models import Project

        qs = Project.objects.filter(subdistrict_id=subdistrict_id, completed_on__lte=period.end)
        return (qs.filter(category=category) if category else qs).count()

    return compute


register("registry.residents", name=_("实有人口"), unit="人", compute=_count("registry.Resident"),
         definition=_("实有人口库中登记的居民人数"))
register("registry.residents_60_plus", name=_("60周岁及以上居民"), unit="人", compute=_aged(60),
         definition=_("报告期末年满 60 周岁的登记居民人数"))
register("registry.residents_80_plus", name=_("80周岁及以上居民"), unit="人", compute=_aged(80),
         definition=_("报告期末年满 80 周岁的登记居民人数（高龄老人）"))
register("registry.elderly_living_alone", name=_("独居老人"), unit="人", compute=_living_alone_aged(60),
         definition=_("一人户中报告期末年满 60 周岁的居民人数"))
register("registry.elderly_80_living_alone", name=_("高龄独居老人"), unit="人", compute=_living_alone_aged(80),
         definition=_("一人户中报告期末年满 80 周岁的居民人数"))
register("registry.households", name=_("户数"), unit="户", compute=_count("registry.Household"),
         definition=_("实有人口库中登记的户数"))
register("registry.migrants", name=_("来沪人员"), unit="人",
         compute=_count("registry.Resident", residence_status="migrant"),
         definition=_("人户状态为“来沪人员”的登记居民人数"))
register("registry.care_priority_residents", name=_("分色管理重点关照对象"), unit="人",
         unavailable=_("居民分色管理（实有人口标签）尚未接入"),
         definition=_("分色管理中标为红色、黄色的居民人数"))
register("geo.buildings", name=_("楼栋数"), unit="幢", compute=_count("geo.Building"),
         definition=_("地理库中登记的楼栋数"))
register("geo.grids", name=_("网格数"), unit="个", compute=_count("geo.Grid"), definition=_("单元网格数"))
register("geo.communities", name=_("居委会数"), unit="个", compute=_count("geo.Community"),
         definition=_("居民委员会数"))
register("planning.projects_completed", name=_("已竣工规划项目"), unit="项", compute=_projects_completed(None),
         definition=_("报告期末前竣工的规划项目数"))
register("planning.housing_projects_completed", name=_("已竣工成套改造工程"), unit="项",
         compute=_projects_completed("housing"), definition=_("报告期末前竣工的旧住房成套改造工程数（表 1）"))
register("planning.repair_projects_completed", name=_("已竣工综合修缮工程"), unit="项",
         compute=_projects_completed("repair"), definition=_("报告期末前竣工的旧住房综合修缮工程数（表 2）"))
register("planning.roads_completed", name=_("已建成美丽道路"), unit="条", compute=_projects_completed("road"),
         definition=_("报告期末前建成的美丽道路条数（表 3）"))

_CASES = _("案件模块（一网统管 cases）尚未接入")
register("cases.closed", name=_("已办结案件"), unit="个", unavailable=_CASES,
         definition=_("报告期内办结的 12345 及网格案件数"))
register("cases.closed_on_time", name=_("按时办结案件"), unit="个", unavailable=_CASES,
         definition=_("报告期内在处置时限内办结的案件数"))
register("cases.dispatched", name=_("已派遣案件"), unit="个", unavailable=_CASES,
         definition=_("报告期内派遣到处置部门的案件数"))
register("cases.contacted_in_time", name=_("时限内先行联系案件"), unit="个", unavailable=_CASES,
         definition=_("报告期内在先行联系时限内联系市民的案件数"))
register("elevators.retrofits_completed", name=_("加装电梯竣工数"), unit="个",
         unavailable=_("加装电梯模块（elevators）尚未接入"), definition=_("报告期末前竣工的加装电梯项目数"))
register("consult.consultations_passed", name=_("征询通过数"), unit="个",
         unavailable=_("征询模块（consult）尚未接入"), definition=_("报告期内达到法定比例通过的征询数"))
register("facilities.households_within_5min", name=_("5分钟服务圈覆盖户数"), unit="户",
         unavailable=_("设施与生活圈模块（facilities）尚未接入"),
         definition=_("步行 5 分钟内可达基本公共服务设施的户数"))
