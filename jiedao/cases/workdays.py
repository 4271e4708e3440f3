"""Working days on the Chinese calendar (工作日): public holidays and 调休 working weekends.

The calendar comes from the maintained ``chinesecalendar`` library (the State Council's schedule, updated
each year when it is published); ``HolidayOverride`` rows, editable in the admin, win over it, so that a
new year's schedule can be entered before the library catches up. For a year the library does not know
yet, days fall back to Monday–Friday plus the overrides.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

from jiedao.core.cache import ProcessCache

# date → is_workday of every override, kept by each process for a minute and cleared when one is saved.
_overrides: ProcessCache[dict[dt.date, bool]] = ProcessCache(ttl=60, cleared_by=["cases.HolidayOverride"])


def _override_map() -> dict[dt.date, bool]:
    from jiedao.cases.models import HolidayOverride

    return _overrides.get("all", lambda: dict(HolidayOverride.objects.values_list("date", "is_workday")))


def is_workday(day: dt.date) -> bool:
    override = _override_map().get(day)
    if override is not None:
        return override
    return _calendar_workday(day)


@lru_cache(maxsize=4096)  # ~11 years of days
def _calendar_workday(day: dt.date) -> bool:
    """The library's answer, kept per day: it is fixed for the life of the process (the schedule ships with the
    installed library), while asking it validates the date each time (138,537 asks for the demo's few hundred
    days took 2.5 s). Overrides are looked up before, on every call, so a saved one is seen at once."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The deadline ``days`` working days after ``start``: the end (23:59:59 local time) of the ``days``-th
    working day after the day of ``start``. A case dispatched on Friday evening with one working day is
    due at the end of Monday (or of the next working day after a holiday)."""
    local = timezone.localtime(start)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def working_days_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole working days from the day after ``start`` up to and including the day of ``end``."""
    a, b = timezone.localtime(start).date(), timezone.localtime(end).date()
    count = 0
    while a < b:
        a += dt.timedelta(days=1)
        count += is_workday(a)
    return count
