"""Status against target (对标状态) and trend (趋势): the legend rules, in one place.

Numeric indicator with a baseline — compare the share of the way from baseline to target that has been
covered (completion) with the share of time that has passed from the baseline year's end to the target
year's end (elapsed):

* 已实现 achieved: the target is met (≥ target when higher is better, ≤ when lower is better);
* 正常推进 on track: completion ≥ elapsed − ON_TRACK_GAP (at most 10 points behind the straight path);
* 有风险 at risk: completion ≥ elapsed − AT_RISK_GAP (10 to 25 points behind);
* 滞后 off track: further behind, or the target year is over and the target not met.

Numeric indicator without a baseline: the value as a share of the target (higher is better) or the
target as a share of the value (lower is better), against 1 − ON_TRACK_GAP and 1 − AT_RISK_GAP.

Milestone (是/否): 已实现 when achieved; not yet achieved is on track before the target year, at risk in
it, off track after it.

Project: the reported progress (%) against the planned progress for the period (the project's annual
targets, straight within a year), with the same gaps in percentage points.

No quantified target: 监测 (monitoring, trend only). No value: 未填报. Formula over an element whose
module is not connected: 数据来源尚未接入.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.planning.periods import Period

ON_TRACK_GAP = Decimal("0.10")
AT_RISK_GAP = Decimal("0.25")


class Health(models.TextChoices):
    ACHIEVED = "achieved", _("已实现")
    ON_TRACK = "on_track", _("正常推进")
    AT_RISK = "at_risk", _("有风险")
    OFF_TRACK = "off_track", _("滞后")
    MONITORING = "monitoring", _("监测（无量化目标）")
    NO_DATA = "no_data", _("未填报")
    UNAVAILABLE = "unavailable", _("数据来源尚未接入")


# The status charts' colours; the badges' are the same in planning.css (.h-<status>).
HEALTH_COLOURS = {
    Health.ACHIEVED: "#166534",
    Health.ON_TRACK: "#22a34a",
    Health.AT_RISK: "#d97706",
    Health.OFF_TRACK: "#b91c1c",
    Health.MONITORING: "#2563eb",
    Health.NO_DATA: "#9ca3af",
    Health.UNAVAILABLE: "#cbd5e1",
}


class Trend(models.TextChoices):
    IMPROVING = "improving", _("改善")
    WORSENING = "worsening", _("退步")
    STEADY = "steady", _("持平")
    RISING = "rising", _("上升")
    FALLING = "falling", _("下降")
    NONE = "none", _("—")


@dataclass(frozen=True)
class Assessment:
    health: str
    expected: Decimal | None = None  # where the straight path says the value should be now
    completion: Decimal | None = None  # share of the way from baseline to target (0–1+)


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _elapsed(period: Period, *, from_year: int, target_year: int) -> Decimal:
    start, end = _year_end(from_year), _year_end(target_year)
    if end <= start:
        return Decimal(1)
    share = Decimal((period.end - start).days) / Decimal((end - start).days)
    return min(Decimal(1), max(Decimal(0), share))


def _grade(completion: Decimal, expected_share: Decimal) -> str:
    if completion >= expected_share - ON_TRACK_GAP:
        return Health.ON_TRACK
    if completion >= expected_share - AT_RISK_GAP:
        return Health.AT_RISK
    return Health.OFF_TRACK


def assess_numeric(*, value: Decimal | None, period: Period | None, higher_is_better: bool | None,
                   target: Decimal | None, target_year: int | None,
                   baseline: Decimal | None = None, baseline_year: int | None = None) -> Assessment:
    """Status of a numeric indicator's value for a period, by the legend above."""
    if value is None or period is None:
        return Assessment(Health.NO_DATA)
    if target is None or target_year is None or higher_is_better is None:
        return Assessment(Health.MONITORING)
    met = value >= target if higher_is_better else value <= target
    if met:
        return Assessment(Health.ACHIEVED, expected=target, completion=Decimal(1))
    due = period.end >= _year_end(target_year)
    if baseline is not None and baseline_year is not None and baseline != target:
        elapsed = _elapsed(period, from_year=baseline_year, target_year=target_year)
        completion = (value - baseline) / (target - baseline)
        expected = baseline + (target - baseline) * elapsed
        health = Health.OFF_TRACK if due else _grade(completion, elapsed)
        return Assessment(health, expected=expected, completion=completion)
    if higher_is_better:
        share = value / target if target else Decimal(0)
    else:
        share = target / value if value else Decimal(1)
    return Assessment(Health.OFF_TRACK if due else _grade(share, Decimal(1)), expected=target, completion=share)


def assess_milestone(*, achieved: bool | None, period: Period | None, target_year: int | None) -> Assessment:
    """Status of a yes/no milestone for a period."""
    if achieved is None or period is None:
        return Assessment(Health.NO_DATA)
    if achieved:
        return Assessment(Health.ACHIEVED)
    if target_year is None:
        return Assessment(Health.MONITORING)
    if period.year > target_year or period.end >= _year_end(target_year):
        return Assessment(Health.OFF_TRACK)
    return Assessment(Health.AT_RISK if period.year == target_year else Health.ON_TRACK)


def planned_progress(period: Period, *, annual_targets: dict[int, int], start_year: int, end_year: int) -> Decimal:
    """Where a project should stand (%) at the end of ``period``.

    From its annual targets (progress % at each year's end), straight within a year; without targets a
    straight line from 0 % at the start year's beginning to 100 % at the end year's end.
    """
    if annual_targets:
        years = sorted(annual_targets)
        if period.year > years[-1]:
            return Decimal(annual_targets[years[-1]])
        earlier = [y for y in years if y < period.year]
        before = Decimal(annual_targets[earlier[-1]]) if earlier else Decimal(0)
        if period.year not in annual_targets:
            return before
        after = Decimal(annual_targets[period.year])
        quarter = 4 if period.quarter == 0 else period.quarter
        return before + (after - before) * quarter / 4
    start, end = dt.date(start_year, 1, 1), _year_end(end_year)
    share = Decimal((period.end - start).days + 1) / Decimal((end - start).days + 1)
    return (min(Decimal(1), max(Decimal(0), share)) * 100).quantize(Decimal("0.1"))


def assess_project(*, progress: int | None, completed: bool, suspended: bool, period: Period,
                   planned: Decimal) -> Assessment:
    """Status of a project at a period: done, or its progress against the planned progress."""
    if completed:
        return Assessment(Health.ACHIEVED, expected=planned, completion=Decimal(1))
    if progress is None:
        return Assessment(Health.NO_DATA, expected=planned)
    completion = Decimal(progress) / 100
    share = planned / 100
    if suspended:
        return Assessment(Health.OFF_TRACK, expected=planned, completion=completion)
    return Assessment(_grade(completion, share), expected=planned, completion=completion)


def trend(values: list, *, higher_is_better: bool | None) -> str:
    """改善 / 退步 / 持平 from the last two values (numbers, or booleans for milestones); 上升 / 下降 for a
    background indicator (``higher_is_better`` None)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return Trend.NONE
    previous, last = (Decimal(int(v)) if isinstance(v, bool) else Decimal(v) for v in known[-2:])
    if last == previous:
        return Trend.STEADY
    if higher_is_better is None:
        return Trend.RISING if last > previous else Trend.FALLING
    return Trend.IMPROVING if (last > previous) == higher_is_better else Trend.WORSENING
