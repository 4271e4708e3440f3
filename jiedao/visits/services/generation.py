"""分配任务: tasks made from the plan's rules, by the periodic job (``visits.tasks.run_schedule``).

Everything here is idempotent (one task per household and key, inserted with ``ignore_conflicts``), so the
job can run as often as it likes and two workers running it at once make each task once. Tasks are
assigned by building (``assignment.balance``) as they are made.
"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jiedao.core.models import Subdistrict
from jiedao.registry.models import Household, Residence, Resident
from jiedao.visits.models import (
    BuildingAssignment,
    Outcome,
    RuleKind,
    TaskEvent,
    TaskEventKind,
    TaskKind,
    TaskStatus,
    Visit,
    VisitTask,
)
from jiedao.visits.services.rules import periodic_rule_for, rules_by_community, rules_for

BATCH = 5000


@dataclass(frozen=True)
class Period:
    """One period of a periodic rule: ``every_months`` months from the first of ``start``'s month."""

    start: dt.date
    end: dt.date

    @classmethod
    def containing(cls, day: dt.date, every_months: int) -> "Period":
        first_month = (day.month - 1) // every_months * every_months + 1
        start = dt.date(day.year, first_month, 1)
        last_month = first_month + every_months - 1
        end = dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
        return cls(start, end)

    def key(self, code: str) -> str:
        return f"{code}:{self.start:%Y%m}"


def periods_between(start: dt.date, end: dt.date, every_months: int) -> list[Period]:
    """The periods of a rule that overlap ``start`` … ``end``, in order."""
    out = []
    period = Period.containing(start, every_months)
    while period.start <= end:
        out.append(period)
        period = Period.containing(period.end + dt.timedelta(days=1), every_months)
    return out


def _occupied_households(subdistrict_id: int) -> set[int]:
    """Households with someone registered there now: an empty dwelling has no one to visit."""
    return set(Resident.objects.filter(subdistrict_id=subdistrict_id, moved_out_on__isnull=True)
               .values_list("household_id", flat=True).distinct().order_by())


def _insert(tasks: list[VisitTask]) -> int:
    """Insert new tasks, skipping any another run inserted meanwhile; returns how many were offered."""
    from jiedao.visits.rows import insert_tasks

    insert_tasks(tasks)
    return len(tasks)


def generate_routine(*, subdistrict_id: int, start: dt.date, end: dt.date, today: dt.date | None = None) -> int:
    """例行走访: one task per occupied household for every period of its rule that overlaps ``start`` …
    ``end`` (the daily job asks for today's periods; the benchmark for a whole year). A period in which the
    household was already visited gets its task as done, with that visit, so the coverage counts it.
    Returns the number of tasks made."""
    today = today or timezone.localdate()
    rules = rules_by_community(subdistrict_id=subdistrict_id)
    occupied = _occupied_households(subdistrict_id)
    households = Household.objects.filter(subdistrict_id=subdistrict_id).values_list(
        "pk", "building_id", "building__community_id", "care_colour").order_by()
    existing = set(VisitTask.objects.filter(
        subdistrict_id=subdistrict_id, kind=TaskKind.ROUTINE, due_on__gte=start, starts_on__lte=end,
    ).values_list("household_id", "key").order_by())
    assignees = assignment_map(subdistrict_id=subdistrict_id)
    now = timezone.now()
    periods_cache: dict[tuple[int, dt.date, dt.date], list[Period]] = {}
    new: list[VisitTask] = []
    for pk, building_id, community_id, colour in households:
        if pk not in occupied:
            continue
        rule = periodic_rule_for(rules_for(rules, community_id), colour)
        if rule is None:
            continue
        cache_key = (rule.every_months, start, end)
        if cache_key not in periods_cache:
            periods_cache[cache_key] = periods_between(start, end, rule.every_months)
        for period in periods_cache[cache_key]:
            key = period.key(rule.code)
            if (pk, key) in existing:
                continue
            new.append(VisitTask(
                subdistrict_id=subdistrict_id, community_id=community_id, building_id=building_id,
                household_id=pk, kind=TaskKind.ROUTINE, rule=rule, key=key, colour=colour, reason=rule.name,
                assignee_id=assignees.get(building_id), starts_on=period.start, due_on=period.end,
                original_due_on=period.end, created_at=now,
            ))
    _mark_already_visited(new, today=today)
    return _insert(new)


def _mark_already_visited(tasks: list[VisitTask], *, today: dt.date) -> None:
    """A task whose period has begun and whose household was visited (someone met) in it is made done."""
    begun = defaultdict(list)
    for t in tasks:
        if t.starts_on <= today:
            begun[t.starts_on].append(t)
    for starts_on, group in begun.items():
        since = timezone.make_aware(dt.datetime.combine(starts_on, dt.time()))
        ids = [t.household_id for t in group]
        last: dict[int, tuple] = {}
        for i in range(0, len(ids), 900):  # SQLite's limit on bound parameters
            for household_id, visit_id, at in Visit.objects.filter(
                household_id__in=ids[i:i + 900], checked_in_at__gte=since, outcome=Outcome.MET,
            ).values_list("household_id", "pk", "checked_in_at").order_by("checked_in_at"):
                last[household_id] = (visit_id, at)
        for t in group:
            if t.household_id in last:
                t.visit_id, t.done_at = last[t.household_id]
                t.status = TaskStatus.DONE


def generate_moved_in(*, subdistrict_id: int, today: dt.date | None = None) -> int:
    """新迁入走访: a task for each household someone moved into within the rule's window, due the rule's
    number of days after the move."""
    today = today or timezone.localdate()
    rules = rules_by_community(subdistrict_id=subdistrict_id)
    windows = [r.within_days for rs in rules.values() for r in rs if r.kind == RuleKind.MOVED_IN]
    if not windows:
        return 0
    since = today - dt.timedelta(days=max(windows))
    moves = Residence.objects.filter(
        household__subdistrict_id=subdistrict_id, moved_in_on__gte=since, moved_in_on__lte=today,
        moved_out_on__isnull=True,
    ).values("household_id").annotate(on=Max("moved_in_on")).values_list(
        "household_id", "on", "household__building_id", "household__building__community_id",
        "household__care_colour").order_by()
    moves = list(moves)
    existing = set(VisitTask.objects.filter(
        household_id__in=[m[0] for m in moves], kind=TaskKind.MOVED_IN).values_list("household_id", "key"))
    assignees = assignment_map(subdistrict_id=subdistrict_id)
    new = []
    for household_id, on, building_id, community_id, colour in moves:
        rule = next((r for r in rules_for(rules, community_id) if r.kind == RuleKind.MOVED_IN), None)
        if rule is None or on < today - dt.timedelta(days=rule.within_days):
            continue
        key = f"{rule.code}:{on:%Y%m%d}"
        if (household_id, key) in existing:
            continue
        due = on + dt.timedelta(days=rule.due_days or rule.within_days)
        new.append(VisitTask(
            subdistrict_id=subdistrict_id, community_id=community_id, building_id=building_id,
            household_id=household_id, kind=TaskKind.MOVED_IN, rule=rule, key=key, colour=colour,
            reason=rule.name, assignee_id=assignees.get(building_id), starts_on=on, due_on=max(due, today),
            original_due_on=max(due, today),
        ))
    return _insert(new)


def generate_follow_ups(*, subdistrict_id: int, today: dt.date | None = None, look_back_days: int = 30) -> int:
    """案件回访: a task for each case linked to a household and closed in the last ``look_back_days``, due
    the rule's working days after it was closed (cases.workdays)."""
    from jiedao.cases import workdays
    from jiedao.cases.models import Case, Status

    today = today or timezone.localdate()
    rules = rules_by_community(subdistrict_id=subdistrict_id)
    if not any(r.kind == RuleKind.CASE_CLOSED for rs in rules.values() for r in rs):
        return 0
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=look_back_days), dt.time()))
    closed = list(Case.objects.filter(
        subdistrict_id=subdistrict_id, household__isnull=False, status=Status.CLOSED, closed_at__gte=since,
    ).values_list("pk", "household_id", "closed_at", "household__building_id",
                  "household__building__community_id", "household__care_colour").order_by())
    existing = set(VisitTask.objects.filter(
        household_id__in=[c[1] for c in closed], kind=TaskKind.FOLLOW_UP).values_list("household_id", "key"))
    occupied = _occupied_households(subdistrict_id) if closed else set()
    assignees = assignment_map(subdistrict_id=subdistrict_id)
    new = []
    for case_id, household_id, closed_at, building_id, community_id, colour in closed:
        rule = next((r for r in rules_for(rules, community_id) if r.kind == RuleKind.CASE_CLOSED), None)
        key = f"case:{case_id}"
        if rule is None or (household_id, key) in existing or household_id not in occupied:
            continue
        if rule.working_days:
            due = workdays.add_working_days(closed_at, rule.due_days).date()
        else:
            due = timezone.localtime(closed_at).date() + dt.timedelta(days=rule.due_days)
        new.append(VisitTask(
            subdistrict_id=subdistrict_id, community_id=community_id, building_id=building_id,
            household_id=household_id, kind=TaskKind.FOLLOW_UP, rule=rule, key=key, colour=colour,
            reason=rule.name, assignee_id=assignees.get(building_id), source_case_id=case_id,
            starts_on=timezone.localtime(closed_at).date(), due_on=due, original_due_on=due,
        ))
    return _insert(new)


MOVED_OUT_REASON = "该户已无登记在册的居民（全部迁出），无需走访"


def close_moved_out(*, subdistrict_id: int) -> int:
    """Open tasks of households nobody is registered in any more are closed, with the reason."""
    occupied = _occupied_households(subdistrict_id)
    open_tasks = list(VisitTask.objects.filter(subdistrict_id=subdistrict_id, status=TaskStatus.OPEN)
                      .values_list("pk", "household_id").order_by())
    gone = [pk for pk, household_id in open_tasks if household_id not in occupied]
    return close_tasks(task_ids=gone, reason=MOVED_OUT_REASON)


def close_tasks(*, task_ids: list[int], reason: str, by=None) -> int:
    """Close the given open tasks (``TaskStatus.CLOSED``) with ``reason``, each with its event."""
    closed = 0
    now = timezone.now()
    for i in range(0, len(task_ids), 900):
        chunk = task_ids[i:i + 900]
        with transaction.atomic():
            ids = list(VisitTask.objects.select_for_update().filter(pk__in=chunk, status=TaskStatus.OPEN)
                       .values_list("pk", flat=True))
            VisitTask.objects.filter(pk__in=ids).update(status=TaskStatus.CLOSED, closed_reason=reason[:200])
            TaskEvent.objects.bulk_create([
                TaskEvent(task_id=pk, kind=TaskEventKind.CLOSED, at=now, actor=by,
                          actor_name=by.display_name if by else "系统", reason=reason[:200])
                for pk in ids
            ])
            closed += len(ids)
    return closed


def assignment_map(*, subdistrict_id: int) -> dict[int, int]:
    """building id → the social worker who visits it, balancing the buildings no one has first."""
    from jiedao.visits.services.assignment import balance

    for community_id in _communities_needing_balance(subdistrict_id):
        balance(community_id=community_id)
    return dict(BuildingAssignment.objects.filter(subdistrict_id=subdistrict_id)
                .values_list("building_id", "worker_id").order_by())


def _communities_needing_balance(subdistrict_id: int) -> list[int]:
    from jiedao.geo.models import Building

    assigned = BuildingAssignment.objects.filter(subdistrict_id=subdistrict_id).values("building_id")
    return list(Building.objects.filter(subdistrict_id=subdistrict_id).exclude(pk__in=assigned)
                .values_list("community_id", flat=True).distinct().order_by())


def run_schedule(*, today: dt.date | None = None) -> dict[str, int]:
    """The periodic job's body, for every subdistrict: today's routine tasks, moved-in and 回访 tasks,
    moved-out households' tasks closed, then reminders and escalations (``reminders.send``)."""
    from jiedao.visits.services.reminders import send_reminders

    today = today or timezone.localdate()
    totals: dict[str, int] = defaultdict(int)
    for sub_id in Subdistrict.objects.values_list("pk", flat=True):
        if not Household.objects.filter(subdistrict_id=sub_id).exists():
            continue
        totals["routine"] += generate_routine(subdistrict_id=sub_id, start=today, end=today, today=today)
        totals["moved_in"] += generate_moved_in(subdistrict_id=sub_id, today=today)
        totals["follow_up"] += generate_follow_ups(subdistrict_id=sub_id, today=today)
        totals["closed"] += close_moved_out(subdistrict_id=sub_id)
        totals["reminders"] += send_reminders(subdistrict_id=sub_id, today=today)
    return dict(totals)
