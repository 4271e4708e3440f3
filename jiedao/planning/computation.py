"""Evaluating computed indicators for a period: numerator / denominator × factor over data elements."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from jiedao.planning import elements, formula
from jiedao.planning.periods import Period

PLACES = Decimal("0.01")


@dataclass
class Computed:
    value: Decimal | None
    unavailable: list[elements.DataElement] = field(default_factory=list)
    problem: str = ""  # why there is no value, for people

    @property
    def ok(self) -> bool:
        return self.value is not None


def evaluate_indicator(indicator, period: Period, *, cache: dict | None = None) -> Computed:
    """The indicator's value for the subdistrict at the end of ``period``.

    An element whose module is not connected yields no value and names the missing source (never a
    stand-in number); a zero denominator yields no value and says so.
    """
    cache = {} if cache is None else cache
    missing = [
        elements.get(code) for code in indicator.element_codes()
        if elements.get(code) is not None and not elements.get(code).available
    ]
    if missing:
        reasons = "；".join(f"{e.name}：{e.unavailable}" for e in missing)
        return Computed(None, missing, _("数据来源尚未接入（%(reasons)s）") % {"reasons": reasons})

    def lookup(code: str) -> Decimal:
        return elements.value_of(code, subdistrict_id=indicator.subdistrict_id, period=period, cache=cache)

    try:
        numerator = formula.evaluate(formula.parse(indicator.numerator), lookup)
        denominator = (
            formula.evaluate(formula.parse(indicator.denominator), lookup) if indicator.denominator.strip()
            else Decimal(1)
        )
        if denominator == 0:
            raise ZeroDivisionError
    except ZeroDivisionError:
        return Computed(None, problem=_("分母为 0，本期无法计算"))
    value = numerator / denominator * indicator.factor
    return Computed(value.quantize(PLACES))
