"""The legend rules for status against target, the trend, planned project progress, periods and units."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jiedao.planning import status, units
from jiedao.planning.periods import Period, parse_period, validate_in_plan
from jiedao.planning.status import Health, Trend

D = Decimal


def numeric(value, period, **kw):
    args = {"higher_is_better": True, "target": D(100), "target_year": 2025, "baseline": D(0), "baseline_year": 2020}
    return status.assess_numeric(value=D(value), period=period, **{**args, **kw}).health


def test_a_value_on_the_straight_path_is_on_track_and_the_target_met_is_achieved():
    assert numeric(60, Period(2023, 0)) == Health.ON_TRACK  # 3 of 5 years, 60 % of the way
    assert numeric(100, Period(2022, 0)) == Health.ACHIEVED


def test_falling_behind_the_path_is_at_risk_then_off_track():
    assert numeric(51, Period(2023, 0)) == Health.ON_TRACK  # 9 points behind
    assert numeric(45, Period(2023, 0)) == Health.AT_RISK  # 15 points behind
    assert numeric(30, Period(2023, 0)) == Health.OFF_TRACK  # 30 points behind


def test_a_target_not_met_when_its_year_is_over_is_off_track():
    assert numeric(95, Period(2025, 4)) == Health.OFF_TRACK
    assert numeric(95, Period(2025, 3)) == Health.ON_TRACK


def test_lower_is_better_reverses_the_comparison():
    kw = {"higher_is_better": False, "target": D(20), "baseline": D(100)}
    assert numeric(20, Period(2024, 0), **kw) == Health.ACHIEVED
    assert numeric(60, Period(2022, 0), **kw) == Health.ON_TRACK  # 50 % of the way after 40 % of the time
    assert numeric(95, Period(2024, 0), **kw) == Health.OFF_TRACK


def test_without_a_baseline_the_share_of_the_target_decides():
    kw = {"baseline": None, "baseline_year": None, "target": D("1.02")}
    assert numeric("0.95", Period(2024, 0), **kw) == Health.ON_TRACK  # 93 % of the target
    assert numeric("0.85", Period(2024, 0), **kw) == Health.AT_RISK  # 83 %
    assert numeric("0.5", Period(2024, 0), **kw) == Health.OFF_TRACK


def test_no_target_is_monitoring_and_no_value_is_no_data():
    assert numeric(5, Period(2023, 0), target=None) == Health.MONITORING
    assert numeric(5, Period(2023, 0), higher_is_better=None) == Health.MONITORING
    assert status.assess_numeric(value=None, period=None, higher_is_better=True, target=D(1),
                                 target_year=2025).health == Health.NO_DATA


@pytest.mark.parametrize(("achieved", "period", "expected"), [
    (True, Period(2022, 1), Health.ACHIEVED),
    (False, Period(2023, 4), Health.ON_TRACK),
    (False, Period(2025, 2), Health.AT_RISK),
    (False, Period(2025, 4), Health.OFF_TRACK),
    (False, Period(2026, 1), Health.OFF_TRACK),
])
def test_milestones_are_judged_against_their_year(achieved, period, expected):
    assert status.assess_milestone(achieved=achieved, period=period, target_year=2025).health == expected


def test_trend_says_improving_or_worsening_by_direction_and_rising_for_background_indicators():
    assert status.trend([D(1), D(2)], higher_is_better=True) == Trend.IMPROVING
    assert status.trend([D(1), D(2)], higher_is_better=False) == Trend.WORSENING
    assert status.trend([D(2), D(2)], higher_is_better=True) == Trend.STEADY
    assert status.trend([D(2), D(3)], higher_is_better=None) == Trend.RISING
    assert status.trend([False, True], higher_is_better=True) == Trend.IMPROVING
    assert status.trend([D(2)], higher_is_better=True) == Trend.NONE


def test_planned_progress_follows_annual_targets_straight_within_a_year():
    targets = {2022: 40, 2023: 100}
    assert status.planned_progress(Period(2021, 4), annual_targets=targets, start_year=2022, end_year=2023) == 0
    assert status.planned_progress(Period(2022, 2), annual_targets=targets, start_year=2022, end_year=2023) == 20
    assert status.planned_progress(Period(2023, 1), annual_targets=targets, start_year=2022, end_year=2023) == 55
    assert status.planned_progress(Period(2024, 0), annual_targets=targets, start_year=2022, end_year=2023) == 100
    # Without targets: a straight line over the planned years.
    assert status.planned_progress(Period(2022, 4), annual_targets={}, start_year=2022, end_year=2023) == D("50.0")


def test_project_health_compares_progress_with_the_plan():
    def grade(progress, planned, **kw):
        return status.assess_project(progress=progress, completed=kw.get("completed", False),
                                     suspended=kw.get("suspended", False), period=Period(2023, 4),
                                     planned=D(planned)).health

    assert grade(100, 80, completed=True) == Health.ACHIEVED
    assert grade(72, 80) == Health.ON_TRACK
    assert grade(60, 80) == Health.AT_RISK
    assert grade(40, 80) == Health.OFF_TRACK
    assert grade(79, 80, suspended=True) == Health.OFF_TRACK
    assert grade(None, 80) == Health.NO_DATA


def test_periods_parse_and_know_their_dates():
    assert parse_period("2023Q2") == Period(2023, 2) and Period(2023, 2).end == dt.date(2023, 6, 30)
    assert parse_period("2024").end == dt.date(2024, 12, 31) and Period(2024, 0).label == "2024年度"
    assert Period(2024, 0).sort_key > Period(2024, 4).sort_key > Period(2024, 3).sort_key
    for bad in ("2023Q5", "二〇二三", "2023-Q1x"):
        with pytest.raises(ValidationError):
            parse_period(bad)


def test_a_period_outside_the_plan_or_not_begun_is_refused():
    with pytest.raises(ValidationError, match="不在规划期 2021–2025 年内"):
        validate_in_plan(Period(2026, 1), start_year=2021, end_year=2025)
    with pytest.raises(ValidationError, match="尚未开始"):
        validate_in_plan(Period(2025, 4), start_year=2021, end_year=2025, today=dt.date(2025, 9, 1))
    assert validate_in_plan(Period(2025, 3), start_year=2021, end_year=2025, today=dt.date(2025, 9, 1))


def test_units_of_the_same_kind_convert_and_others_are_refused():
    assert units.convert(D("1.7"), from_unit="万户", to_unit="户") == 17000
    assert units.convert(D("8.9716"), from_unit="万平方米", to_unit="平方米") == 89716
    with pytest.raises(ValidationError, match="单位不符"):
        units.convert(D(3), from_unit="平方米", to_unit="户", indicator="成套改造受益居民户数")
    with pytest.raises(ValidationError, match="单位不符"):
        units.convert(D(3), from_unit="亩", to_unit="平方米")
