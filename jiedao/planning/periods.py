"""Reporting periods (报告期): a year, or one quarter of it. Quarter 0 is the whole year (全年)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int = 0  # 0: the whole year

    @property
    def start(self) -> dt.date:
        month = 1 if self.quarter == 0 else 3 * self.quarter - 2
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter in (0, 4):
            return dt.date(self.year, 12, 31)
        first_of_next = dt.date(self.year, 3 * self.quarter + 1, 1)
        return first_of_next - dt.timedelta(days=1)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A year's value sorts after its fourth quarter: both end on 31 December, the annual one sums up.
        return (self.year, 4 if self.quarter == 0 else self.quarter, 1 if self.quarter == 0 else 0)

    @property
    def label(self) -> str:
        if self.quarter == 0:
            return _("%(year)s年度") % {"year": self.year}
        return _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}

    @property
    def code(self) -> str:
        return f"{self.year}" if self.quarter == 0 else f"{self.year}Q{self.quarter}"

    def __str__(self) -> str:
        return self.code

    def previous_quarter(self) -> "Period":
        if self.quarter in (0, 1):
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)


def current_quarter(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today.year, (today.month - 1) // 3 + 1)


def last_closed_quarter(today: dt.date | None = None) -> Period:
    """The most recent quarter that has ended: the one lead units report on now."""
    return current_quarter(today).previous_quarter()


def parse_period(text: str) -> Period:
    """``2023`` or ``2023Q2``; a clear Chinese error otherwise."""
    value = (text or "").strip().upper()
    try:
        if "Q" in value:
            year, quarter = value.split("Q")
            return validate_shape(int(year), int(quarter))
        return validate_shape(int(value), 0)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _("报告期「%(text)s」格式有误：应为年份（如 2023）或年份加季度（如 2023Q2）") % {"text": text},
            code="period",
        ) from exc


def validate_shape(year: int, quarter: int) -> Period:
    if quarter not in (0, 1, 2, 3, 4):
        raise ValidationError(_("季度只能是 1–4（0 表示全年），收到 %(q)s") % {"q": quarter}, code="period")
    if not 1900 <= year <= 2200:
        raise ValidationError(_("年份 %(year)s 不是有效年份") % {"year": year}, code="period")
    return Period(year, quarter)


def validate_in_plan(period: Period, *, start_year: int, end_year: int, today: dt.date | None = None) -> Period:
    """A value's period must lie in the plan's years and must have begun (no values for the future)."""
    if not start_year <= period.year <= end_year:
        raise ValidationError(
            _("报告期 %(period)s 不在规划期 %(start)s–%(end)s 年内") % {
                "period": period.label, "start": start_year, "end": end_year},
            code="period",
        )
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError(
            _("报告期 %(period)s 尚未开始，不能填报") % {"period": period.label}, code="period"
        )
    return period


def plan_quarters(start_year: int, end_year: int, *, until: Period | None = None) -> list[Period]:
    """Every quarter of a plan, up to ``until`` when given."""
    out = [Period(y, q) for y in range(start_year, end_year + 1) for q in (1, 2, 3, 4)]
    return [p for p in out if until is None or p.sort_key <= until.sort_key]
