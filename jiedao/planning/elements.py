"""Data elements (数据元素): the named numbers that computed indicators' formulas are written over.

Each app contributes its elements from its own ``contributions`` module, through
``core.contributions.planning_elements``; planning never imports another app's models. The elements of
modules not built yet are announced in ``planning.contributions`` as unavailable, with the reason, so
that an indicator over them says "数据来源尚未接入" instead of showing a made-up number; when the module
arrives, its contribution under the same code takes their place.
"""

from decimal import Decimal

from jiedao.core.contributions import PlanningElement, planning_elements
from jiedao.planning.periods import Period

DataElement = PlanningElement


class DataSourceUnavailable(Exception):
    """The element's source module is not connected yet; carries the element and the reason."""

    def __init__(self, element: DataElement):
        self.element = element
        super().__init__(f"{element.code}: {element.unavailable}")


def get(code: str) -> DataElement | None:
    return planning_elements.get(code)


def registered() -> dict[str, DataElement]:
    """Every known element, sorted by code."""
    return planning_elements.all()


def value_of(code: str, *, subdistrict_id: int, period: Period, cache: dict | None = None) -> Decimal:
    """The element's value for the subdistrict over the period (cached per evaluation)."""
    key = (code, subdistrict_id, period)
    if cache is not None and key in cache:
        return cache[key]
    element = planning_elements.get(code)
    if element is None:
        raise KeyError(code)
    if element.compute is None:
        raise DataSourceUnavailable(element)
    value = Decimal(element.compute(subdistrict_id=subdistrict_id, start=period.start, end=period.end))
    if cache is not None:
        cache[key] = value
    return value
