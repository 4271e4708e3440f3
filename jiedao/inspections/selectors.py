"""Reads of the inspections app, each starting from the reader's scope: points, rounds, checks, missed
rounds and coverage (per grid, point and person), shops and garbage rooms. The 五星 ratings are in
``stars``."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.models import User
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.inspections.models import Check, Frequency, GarbageRoom, ItemResult, Point, PointKind, Round, Shop


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of a round's frequency holding ``day``: the day, its week (Monday–Sunday) or its month."""
    if frequency == Frequency.DAILY:
        return day, day
    if frequency == Frequency.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def periods_between(frequency: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every whole or partial period of ``frequency`` from ``start`` to ``end``, in order."""
    out, day = [], start
    while day <= end:
        p_start, p_end = period_of(frequency, day)
        out.append((p_start, p_end))
        day = p_end + dt.timedelta(days=1)
    return out


def kinds() -> QuerySet[PointKind]:
    return PointKind.objects.prefetch_related("items").order_by("order", "code")


def point_list(*, user: User, kind: str = "", community_id: int | None = None, q: str = "") -> QuerySet[Point]:
    """Points in the reader's scope, with kind and place."""
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    qs = Point.objects.within(scope_of(user)).select_related("kind", "community", "grid")
    if kind:
        qs = qs.filter(kind__code=kind)
    if community_id:
        qs = qs.filter(community_id=community_id)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    return qs.order_by("code")


def get_point(*, user: User, point_id: int) -> Point:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    return get_in_scope(Point.objects.select_related("kind", "community", "grid", "building"), user=user,
                        pk=point_id)


def round_list(*, user: User) -> QuerySet[Round]:
    """Rounds the reader sees: a scanner (no view permission) only their own."""
    if not _may_view(user):
        ensure_perm(user, Perm.DO_INSPECTIONS)
        return Round.objects.filter(active=True, assignees=user).prefetch_related("points")
    return Round.objects.within(scope_of(user)).prefetch_related("points", "assignees").distinct()


def get_round(*, user: User, round_id: int) -> Round:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    return get_in_scope(Round.objects.all(), user=user, pk=round_id)


def _may_view(user: User) -> bool:
    from jiedao.core.roles import has_perm

    return has_perm(user, Perm.VIEW_INSPECTIONS)


def check_list(*, user: User, point_id: int | None = None, failed: bool | None = None,
               far: bool | None = None) -> QuerySet[Check]:
    """Checks in the reader's scope (a scanner without view permission: their own), newest first."""
    if _may_view(user):
        qs = Check.objects.within(scope_of(user))
    else:
        ensure_perm(user, Perm.DO_INSPECTIONS)
        qs = Check.objects.filter(by=user)
    qs = qs.select_related("point__kind", "round", "by", "community", "grid")
    if point_id:
        qs = qs.filter(point_id=point_id)
    if failed is not None:
        qs = qs.filter(failed__gt=0) if failed else qs.filter(failed=0)
    if far is not None:
        qs = qs.filter(far=far)
    return qs.order_by("-at", "-pk")


def get_check(*, user: User, check_id: int) -> Check:
    """One check with its results and cases: the reader's scope, or their own check."""
    qs = Check.objects.select_related("point__kind", "round", "by").prefetch_related(
        Prefetch("results", queryset=ItemResult.objects.select_related("item", "case").order_by("item__order")))
    if not _may_view(user):
        ensure_perm(user, Perm.DO_INSPECTIONS)
        return get_in_scope(qs.filter(by=user), user=user, pk=check_id)
    return get_in_scope(qs, user=user, pk=check_id)


@dataclass
class Missed:
    """漏检: a point of a round with no check in one of the round's whole periods."""

    round: Round
    point: Point
    start: dt.date
    end: dt.date


def _expected(rounds, start: dt.date, end: dt.date, *, whole_only: bool):
    """(round, point, period) for every point of every round over the periods from ``start`` to ``end``
    (periods from the round's start; ``whole_only``: only periods ended before today)."""
    today = timezone.localdate()
    for rnd in rounds:
        first = max(start, rnd.starts_on)
        for p_start, p_end in periods_between(rnd.frequency, first, end):
            if whole_only and p_end >= today:
                continue
            for point in rnd.points.all():
                if point.active:
                    yield rnd, point, (p_start, p_end)


def _done(round_ids, start: dt.date, end: dt.date) -> dict[tuple[int, int], list[tuple[dt.date, int]]]:
    """(round, point) → [(local day, checker)] of the checks made on those rounds in the window."""
    done: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start - dt.timedelta(days=31), dt.time.min, tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=31), dt.time.min, tz)
    rows = Check.objects.filter(round_id__in=round_ids, at__gte=lo, at__lt=hi).values_list(
        "round_id", "point_id", "at", "by_id")
    for round_id, point_id, at, by_id in rows:
        done[(round_id, point_id)].append((timezone.localtime(at, tz).date(), by_id))
    return done


def _checked(done, rnd, point, period) -> int | None:
    """The checker of the first check of ``point`` on ``rnd`` within ``period``, or None (missed)."""
    for day, by_id in done.get((rnd.pk, point.pk), ()):
        if period[0] <= day <= period[1]:
            return by_id
    return None


def _rounds(user: User):
    return list(round_list(user=user).filter(active=True).prefetch_related("points__grid", "assignees"))


def missed_rounds(*, user: User, start: dt.date, end: dt.date) -> list[Missed]:
    """漏检 over the whole periods from ``start`` to ``end`` of the rounds the reader sees."""
    rounds = _rounds(user)
    done = _done([r.pk for r in rounds], start, end)
    return [Missed(rnd, point, *period) for rnd, point, period in _expected(rounds, start, end, whole_only=True)
            if _checked(done, rnd, point, period) is None]


@dataclass
class Coverage:
    key: str
    label: str
    expected: int = 0
    done: int = 0

    @property
    def rate(self) -> float | None:
        """覆盖率: periods checked / periods due (whole periods of the window)."""
        return round(self.done / self.expected, 3) if self.expected else None


def coverage(*, user: User, start: dt.date, end: dt.date, by: str = "grid") -> list[Coverage]:
    """覆盖率 per ``grid``, ``point`` or ``person``: of the (round, point, period) due in the window's whole
    periods, how many were checked. Per person, a period counts for each assignee of the round, and is done
    for the one who checked it."""
    rounds = _rounds(user)
    done = _done([r.pk for r in rounds], start, end)
    rows: dict[str, Coverage] = {}

    def row(key: str, label: str) -> Coverage:
        return rows.setdefault(key, Coverage(key, label))

    for rnd, point, period in _expected(rounds, start, end, whole_only=True):
        checker = _checked(done, rnd, point, period)
        if by == "grid":
            target = [row(str(point.grid_id or 0), point.grid.name if point.grid else "—")]
        elif by == "point":
            target = [row(str(point.pk), f"{point.code} {point.name}")]
        else:
            people = list(rnd.assignees.all())
            target = [row(str(p.pk), p.display_name) for p in people]
            if checker is not None and checker not in {p.pk for p in people}:
                target = []
            for t in target:
                t.expected += 1
                if checker is not None and str(checker) == t.key:
                    t.done += 1
            continue
        for t in target:
            t.expected += 1
            t.done += checker is not None
    return sorted(rows.values(), key=lambda c: (c.rate if c.rate is not None else 2, c.label))


def shop_list(*, user: User, road_id: int | None = None) -> QuerySet[Shop]:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    qs = Shop.objects.within(scope_of(user)).select_related("road", "community", "point")
    return qs.filter(road_id=road_id) if road_id else qs


def get_shop(*, user: User, shop_id: int) -> Shop:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    return get_in_scope(Shop.objects.select_related("road", "community", "point__kind"), user=user, pk=shop_id)


def room_list(*, user: User, estate_id: int | None = None) -> QuerySet[GarbageRoom]:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    qs = GarbageRoom.objects.within(scope_of(user)).select_related("estate", "community", "point") \
        .prefetch_related("duties").annotate(duty_count=Count("duties"))
    return qs.filter(estate_id=estate_id) if estate_id else qs


def get_room(*, user: User, room_id: int) -> GarbageRoom:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    return get_in_scope(GarbageRoom.objects.select_related("estate", "community", "point__kind"), user=user,
                        pk=room_id)
