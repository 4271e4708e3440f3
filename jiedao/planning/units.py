"""Units of measure (计量单位) of indicators, and the few conversions a lead unit may rely on.

A value entered in another unit of the same kind is converted (1.7 万户 → 17,000 户); a value in a unit
of another kind (平方米 for an indicator counted in 户) is refused with a message naming both.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

# unit → (kind, factor to the kind's base unit). Counting words (量词) are their own kind: 张 beds
# and 个 canteens are not interchangeable, even though both count things.
UNITS: dict[str, tuple[str, Decimal]] = {
    "%": ("percent", Decimal(1)),
    "平方米": ("area", Decimal(1)),
    "万平方米": ("area", Decimal(10_000)),
    "元": ("money", Decimal(1)),
    "万元": ("money", Decimal(10_000)),
    "亿元": ("money", Decimal(100_000_000)),
    "人": ("persons", Decimal(1)),
    "万人": ("persons", Decimal(10_000)),
    "人次": ("person_times", Decimal(1)),
    "万人次": ("person_times", Decimal(10_000)),
    "户": ("households", Decimal(1)),
    "万户": ("households", Decimal(10_000)),
    "幢": ("buildings", Decimal(1)),
    "张": ("beds", Decimal(1)),
    "个": ("items", Decimal(1)),
    "家": ("organisations", Decimal(1)),
    "处": ("sites", Decimal(1)),
    "条": ("roads", Decimal(1)),
    "支": ("teams", Decimal(1)),
    "次": ("times", Decimal(1)),
    "项": ("projects", Decimal(1)),
    "": ("milestone", Decimal(1)),  # 是/否 milestones carry no unit
}

# Each unit's name in the reader's language. Units are data the project ships (indicators store the Chinese
# code), so each is marked here and translated where it is shown (``label``, the ``unit`` template filter).
# The context keeps 户 the unit (households) apart from 户 the household record.
LABELS = {
    "%": "%",
    "平方米": pgettext_lazy("计量单位", "平方米"),
    "万平方米": pgettext_lazy("计量单位", "万平方米"),
    "元": pgettext_lazy("计量单位", "元"),
    "万元": pgettext_lazy("计量单位", "万元"),
    "亿元": pgettext_lazy("计量单位", "亿元"),
    "人": pgettext_lazy("计量单位", "人"),
    "万人": pgettext_lazy("计量单位", "万人"),
    "人次": pgettext_lazy("计量单位", "人次"),
    "万人次": pgettext_lazy("计量单位", "万人次"),
    "户": pgettext_lazy("计量单位", "户"),
    "万户": pgettext_lazy("计量单位", "万户"),
    "幢": pgettext_lazy("计量单位", "幢"),
    "张": pgettext_lazy("计量单位", "张"),
    "个": pgettext_lazy("计量单位", "个"),
    "家": pgettext_lazy("计量单位", "家"),
    "处": pgettext_lazy("计量单位", "处"),
    "条": pgettext_lazy("计量单位", "条"),
    "支": pgettext_lazy("计量单位", "支"),
    "次": pgettext_lazy("计量单位", "次"),
    "项": pgettext_lazy("计量单位", "项"),
    "": "",
}


def label(unit: str) -> str:
    """``unit`` as the reader reads it: 户 → households in English; a unit not listed shows as stored."""
    return str(LABELS.get(unit, unit or ""))


def suffix(unit: str) -> str:
    """``unit`` written after a number: straight after it in Chinese (12户), after a space in English
    (12 households)."""
    text = label(unit)
    return f" {text}" if text[:1].isascii() and text[:1].isalnum() else text


def validate_unit(unit: str) -> str:
    if unit not in UNITS:
        known = "、".join(u for u in UNITS if u)
        raise ValidationError(
            _("未知的计量单位「%(unit)s」。可用单位：%(known)s") % {"unit": unit, "known": known}, code="unit"
        )
    return unit


def convert(value: Decimal, *, from_unit: str, to_unit: str, indicator: str = "") -> Decimal:
    """``value`` given in ``from_unit`` expressed in ``to_unit``, or a ValidationError naming both."""
    if from_unit == to_unit:
        return value
    source, target = UNITS.get(from_unit), UNITS.get(to_unit)
    if source is None or target is None or source[0] != target[0]:
        raise ValidationError(
            _("单位不符：指标「%(indicator)s」以「%(to)s」计，填报的单位是「%(from)s」，无法换算") % {
                "indicator": indicator, "to": to_unit or _("是/否"), "from": from_unit},
            code="unit",
        )
    return value * source[1] / target[1]
