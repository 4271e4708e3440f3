"""Working days on the Chinese calendar: holidays, 调休 working weekends, admin overrides."""

import datetime as dt

import pytest

from jiedao.cases import workdays
from jiedao.cases.models import HolidayOverride

from .conftest import TZ


@pytest.fixture(autouse=True)
def _fresh():
    workdays._overrides.clear()
    yield
    workdays._overrides.clear()


@pytest.mark.django_db
def test_national_day_holiday_and_its_makeup_saturday():
    assert not workdays.is_workday(dt.date(2026, 10, 1))   # 国庆节
    assert workdays.is_workday(dt.date(2026, 10, 10))      # 调休: a Saturday worked
    # Dispatched on 9-30 with 5 working days: 10-1…10-7 are holidays, so 10-8, 10-9, 10-10 (Sat), 10-12, 10-13.
    due = workdays.add_working_days(dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ), 5)
    assert due == dt.datetime(2026, 10, 13, 23, 59, 59, tzinfo=TZ)


@pytest.mark.django_db
def test_friday_evening_with_one_working_day_is_due_monday_night():
    due = workdays.add_working_days(dt.datetime(2026, 11, 6, 20, 0, tzinfo=TZ), 1)
    assert due == dt.datetime(2026, 11, 9, 23, 59, 59, tzinfo=TZ)


@pytest.mark.django_db
def test_an_admin_override_wins_and_unknown_years_fall_back_to_weekdays():
    assert workdays.is_workday(dt.date(2027, 2, 8))         # read, so the overrides are cached
    override = HolidayOverride.objects.create(date=dt.date(2027, 2, 8), is_workday=False, note="春节（假设）")
    assert not workdays.is_workday(dt.date(2027, 2, 8))     # a Monday, made a holiday
    assert workdays.is_workday(dt.date(2027, 2, 9))         # the library has no 2027 yet: weekdays
    assert not workdays.is_workday(dt.date(2027, 2, 13))    # a Saturday
    assert workdays.working_days_between(dt.datetime(2027, 2, 5, tzinfo=TZ), dt.datetime(2027, 2, 12, tzinfo=TZ)) == 4
    override.delete()
    assert workdays.is_workday(dt.date(2027, 2, 8))         # a deleted override is seen at once too


@pytest.mark.django_db
def test_the_calendar_is_asked_once_per_day_and_overrides_still_win(monkeypatch):
    workdays._calendar_workday.cache_clear()
    asked = []
    real = workdays.chinese_calendar.is_workday
    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", lambda day: asked.append(day) or real(day))
    day = dt.date(2026, 10, 1)  # 国庆节
    assert [workdays.is_workday(day) for _ in range(3)] == [False] * 3
    assert asked == [day]  # the library's answer is kept
    HolidayOverride.objects.create(date=day, is_workday=True, note="假设：补班")
    assert workdays.is_workday(day)  # a saved override wins over the kept answer at once
    assert asked == [day]
    workdays._calendar_workday.cache_clear()
