"""The counts behind the 平安指数, month by month: each factor's events and weighted events by the place the
events name (居委, grid), and the residents (现住居民) per grid at the month's end. ``index`` scores them.

A month is open until ``SETTLE_DAYS`` days after its end, as its records still arrive or change in that time (a
12345 order imported days later, a visit assessed after its check-in, a case reclassified or merged as a
repeat on review). An open month is counted from the factors' events at every request, so an event reported a
minute ago counts at once. A closed month is counted once, the first time a page needs it, and stored
(``SafetyMonth``): the ranking, the pages and the 12-month trend read its row instead of the month's events. A
factor installed or enabled later is counted for the stored months when first needed and added to their rows;
a row deleted (in the admin, after a correction of the month's records) is counted again.

The residents at an open month's end take one pass over the subdistrict's residents (about 0.1 s for the
Caoyang demo's 98,000): they are kept in process memory for a few minutes (``core.cache.ProcessCache``),
dropped at once in this process when a resident, household or building is saved.
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from jiedao.core.cache import ProcessCache
from jiedao.core.contributions import SafetyEvent, safety_factors
from jiedao.inspections.models import SafetyMonth
from jiedao.registry.models import Resident

SETTLE_DAYS = 7

Place = tuple[int | None, int | None]  # (居委 id, grid id) as an event names them; either may be None
# A resident moving in or out changes an open month's denominator by one in thousands: minutes late is fine
# for a process that did not see the save (another worker, an import by bulk_create).
_open_residents: ProcessCache[dict[dt.date, dict[int | None, int]]] = ProcessCache(
    ttl=300, cleared_by=["registry.Resident", "registry.Household", "geo.Building"])


@dataclass
class MonthCounts:
    month: dt.date
    residents: dict[int | None, int]            # 现住居民 per grid at the month's end (None: in no grid)
    factors: dict[str, dict[Place, list]]       # factor code → place → [events, weighted events]
    events: dict[str, list[SafetyEvent]] | None = None  # each factor's events, when asked for
    counted_at: dt.datetime | None = None       # when a closed month was stored; None for an open one


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def previous_month(month: dt.date) -> dt.date:
    return month_start(month - dt.timedelta(days=1))


def is_closed(month: dt.date, *, today: dt.date | None = None) -> bool:
    """Whether ``month`` has closed: ``SETTLE_DAYS`` days have passed since its end."""
    return (today or timezone.localdate()) > month_end(month) + dt.timedelta(days=SETTLE_DAYS)


def month_counts(*, subdistrict_id: int, months: Iterable[dt.date], codes: Collection[str],
                 events_of: Collection[dt.date] = ()) -> dict[dt.date, MonthCounts]:
    """The counts of each of ``months`` (their first days) for the factors ``codes``: a closed month's from its
    row (counted and stored first when it has none or lacks one of ``codes``), an open month's from the
    factors' events. The months in ``events_of`` come with their events (the lists behind a score)."""
    months = sorted(set(months))
    closed = {m for m in months if is_closed(m)}
    rows = {row.month: row for row in SafetyMonth.objects.filter(subdistrict_id=subdistrict_id, month__in=closed)}
    to_count = {code: {m for m in months if m not in closed or m not in rows or code not in rows[m].factors}
                for code in codes}
    fetched = {code: _events_by_month(subdistrict_id, code, sorted(to_count[code] | (closed & set(events_of))))
               for code in codes}
    people = _residents(subdistrict_id, [m for m in months if m not in closed],
                        [m for m in closed if m not in rows])

    out: dict[dt.date, MonthCounts] = {}
    now = timezone.now()
    for m in months:
        row = rows.get(m)
        out[m] = MonthCounts(
            month=m, residents=people[m] if m in people else {g: n for g, n in row.residents},
            factors={code: _tally(fetched[code].get(m, ())) if m in to_count[code] else
                     {(c, g): [n, w] for c, g, n, w in row.factors[code]} for code in codes},
            events={code: fetched[code].get(m, []) for code in codes} if m in events_of else None,
            counted_at=None if m not in closed else row.counted_at if row else now)
    _store(subdistrict_id, [out[m] for m in closed if m not in rows],
           [(rows[m], out[m]) for m in closed if m in rows and any(code not in rows[m].factors for code in codes)])
    return out


def _events_by_month(subdistrict_id: int, code: str, months: list[dt.date]) -> dict[dt.date, list[SafetyEvent]]:
    """The factor's events in ``months`` (sorted), by month: one call of the factor per run of consecutive
    months."""
    factor = safety_factors.get(code)
    out: dict[dt.date, list[SafetyEvent]] = {m: [] for m in months}
    runs: list[list[dt.date]] = []
    for m in months:
        if runs and previous_month(m) == runs[-1][-1]:
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        for e in factor.events(subdistrict_id=subdistrict_id, start=run[0], end=month_end(run[-1])):
            day = timezone.localtime(e.at).date() if isinstance(e.at, dt.datetime) else e.at
            if month_start(day) in out:  # a factor's event outside the period it was asked for is not counted
                out[month_start(day)].append(e)
    return out


def _tally(events: Iterable[SafetyEvent]) -> dict[Place, list]:
    out: dict[Place, list] = {}
    for e in events:
        counted = out.setdefault((e.community_id, e.grid_id), [0, 0.0])
        counted[0] += 1
        counted[1] += e.weight
    return out


def _residents(subdistrict_id: int, open_months: list[dt.date], closed_months: list[dt.date]) \
        -> dict[dt.date, dict[int | None, int]]:
    """The residents per grid at the end of each month: the open months' from the process's cache, the closed
    ones' counted (they are stored with the month)."""
    out: dict[dt.date, dict[int | None, int]] = {}
    if open_months:
        ends = tuple(month_end(m) for m in open_months)
        counted = _open_residents.get((subdistrict_id, ends),
                                      lambda: residents_by_grid(subdistrict_id=subdistrict_id, ends=list(ends)))
        out.update({m: counted[month_end(m)] for m in open_months})
    if closed_months:
        counted = residents_by_grid(subdistrict_id=subdistrict_id, ends=[month_end(m) for m in closed_months])
        out.update({m: counted[month_end(m)] for m in closed_months})
    return out


def residents_by_grid(*, subdistrict_id: int, ends: list[dt.date]) -> dict[dt.date, dict[int | None, int]]:
    """现住居民 per grid at each day of ``ends``: those registered and living there (not 户在人不在), moved in
    on or before the day and not moved out by it. One pass over the residents, one count per day."""
    living = Resident.objects.filter(subdistrict_id=subdistrict_id).exclude(
        residence_status=Resident.ResidenceStatus.HUKOU_ONLY)
    counts = {f"n{i}": Count("id", filter=(Q(moved_in_on__isnull=True) | Q(moved_in_on__lte=end))
                             & (Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=end)))
              for i, end in enumerate(ends)}
    out: dict[dt.date, dict[int | None, int]] = {end: {} for end in ends}
    for row in living.values("household__building__grid_id").annotate(**counts).order_by():
        for i, end in enumerate(ends):
            out[end][row["household__building__grid_id"]] = row[f"n{i}"]
    return out


def _store(subdistrict_id: int, new: list[MonthCounts], extended: list[tuple[SafetyMonth, MonthCounts]]) -> None:
    """Store the closed months counted for the first time, and add the factors counted since to the rows that
    lacked them. A month another request stored meanwhile is left as that one stored it."""
    if new:
        SafetyMonth.objects.bulk_create([
            SafetyMonth(subdistrict_id=subdistrict_id, month=c.month, factors=_factor_rows(c), counted_at=c.counted_at,
                        residents=[[grid, n] for grid, n in c.residents.items()]) for c in new],
            ignore_conflicts=True)
    for row, c in extended:
        row.factors = {**_factor_rows(c), **row.factors}
        row.save(update_fields=["factors"])


def _factor_rows(c: MonthCounts) -> dict[str, list]:
    return {code: [[community, grid, n, w] for (community, grid), (n, w) in places.items()]
            for code, places in c.factors.items()}
