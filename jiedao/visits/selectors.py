"""Reads of 四百走访, each starting from the reader's scope (core.scope) and role.

A social worker reads their 居委's tasks and visits (and their own inbox); the 居委 head the same, with
the board; leaders their subdistrict or 片区. Notes are decrypted only for rows the reader may see.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.models import User
from jiedao.core.roles import Perm, Role, has_perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Community
from jiedao.visits import figures as figures_module
from jiedao.visits.filters import TaskFilter, VisitFilter
from jiedao.visits.models import (
    FeedbackCode,
    Reminder,
    ReminderKind,
    Risk,
    TaskStatus,
    Visit,
    VisitProblem,
    VisitSettings,
    VisitTask,
)

DUE_SOON_DAYS = 7  # the today list's 即将到期
BOARD_ROWS = 10  # rows of each list on the head's board; each links to the whole list


def _viewer(user: User) -> None:
    ensure_perm(user, Perm.VIEW_VISITS)


def tasks_for(*, user: User) -> QuerySet[VisitTask]:
    _viewer(user)
    return VisitTask.objects.within(scope_of(user))


def visits_for(*, user: User) -> QuerySet[Visit]:
    _viewer(user)
    return Visit.objects.within(scope_of(user))


def own_only(user: User) -> bool:
    """A social worker's figures and history are their own; heads and leaders read everyone's in scope."""
    return user.role == Role.SOCIAL_WORKER


# ------------------------------------------------------------------------------------------- today list

@dataclass
class BuildingGroup:
    """Open tasks of one building, for the today list's 本期待走访: a worker walks a building at a time."""

    building: object
    tasks: list
    earliest_due: dt.date


@dataclass
class TodayList:
    overdue: list
    due_soon: list
    buildings: list[BuildingGroup]
    open_count: int
    done_today: int
    unread: dict


def today_list(*, user: User, today: dt.date | None = None) -> TodayList:
    """今日任务: the worker's open tasks that have begun, overdue first, then due within a week, then the rest
    by building; with what they did today and their unread reminders."""
    ensure_perm(user, Perm.DO_VISITS)
    today = today or timezone.localdate()
    tasks = list(VisitTask.objects.filter(assignee=user, status=TaskStatus.OPEN, starts_on__lte=today)
                 .select_related("household", "building__road").order_by("due_on", "building_id", "pk"))
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    overdue = [t for t in tasks if t.due_on < today]
    due_soon = [t for t in tasks if today <= t.due_on <= soon]
    rest: dict[int, BuildingGroup] = {}
    for t in tasks:
        if t.due_on > soon:
            group = rest.setdefault(t.building_id, BuildingGroup(t.building, [], t.due_on))
            group.tasks.append(t)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    done_today = Visit.objects.filter(worker=user, checked_in_at__gte=start).count()
    return TodayList(overdue, due_soon, sorted(rest.values(), key=lambda g: (g.earliest_due, g.building.code)),
                     len(tasks), done_today, unread_counts(user=user))


def unread_counts(*, user: User) -> dict[str, int]:
    """Unread reminders of the user by kind, about tasks still open."""
    counts: dict[str, int] = defaultdict(int)
    for kind, n in Reminder.objects.filter(recipient=user, read_at__isnull=True, task__status=TaskStatus.OPEN) \
            .values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"):
        counts[kind] = n
    return dict(counts)


def inbox(*, user: User, unread_only: bool = False) -> QuerySet[Reminder]:
    """站内提醒: the user's own reminders, newest first."""
    qs = Reminder.objects.filter(recipient=user).select_related("task__household", "task__building__road",
                                                                "task__assignee")
    return qs.filter(read_at__isnull=True) if unread_only else qs


# --------------------------------------------------------------------------------------------- records

def get_visit(*, user: User, visit_id: int) -> Visit:
    _viewer(user)
    return get_in_scope(
        Visit.objects.select_related("household", "building__road", "community", "worker", "feedback"),
        user=user, pk=visit_id)


def get_task(*, user: User, task_id: int) -> VisitTask:
    _viewer(user)
    return get_in_scope(VisitTask.objects.select_related("household", "building__road", "assignee", "source_case"),
                        user=user, pk=task_id)


def visit_list(*, user: User, filters: dict | None = None) -> QuerySet[Visit]:
    """走访记录 in scope, narrowed by ``VisitFilter`` (a social worker's are their own)."""
    qs = visits_for(user=user)
    if own_only(user):
        qs = qs.filter(worker=user)
    qs = VisitFilter(filters, queryset=qs).qs
    return qs.select_related("household", "building__road", "community", "worker").order_by("-checked_in_at", "-pk")


def task_list(*, user: User, filters: dict | None = None) -> QuerySet[VisitTask]:
    """走访任务 in scope, narrowed by ``TaskFilter``."""
    qs = TaskFilter(filters, queryset=tasks_for(user=user)).qs
    return qs.select_related("household", "building__road", "assignee").order_by("due_on", "building_id", "pk")


def visit_cases(*, visit: Visit) -> list:
    """The cases the visit filed, with their status (问题处置 as it stands)."""
    return [p.case for p in VisitProblem.objects.filter(visit=visit).select_related("case").order_by("pk")]


def household_visits(*, user: User, household, limit: int = 10) -> list[Visit] | None:
    """The household file's visits section: the latest visits and open tasks, or None for a reader who may
    not read visits or whose scope does not hold the household."""
    if not has_perm(user, Perm.VIEW_VISITS):
        return None
    return list(Visit.objects.within(scope_of(user)).filter(household=household)
                .select_related("worker").order_by("-checked_in_at")[:limit])


# ---------------------------------------------------------------------------------------------- board

@dataclass
class WorkerLoad:
    worker: User | None
    open: int
    overdue: int
    done_this_month: int
    buildings: int


def board(*, user: User, community: Community, today: dt.date | None = None) -> dict:
    """The 居委 head's board: each worker's load, unassigned and overdue tasks, escalations, flagged notes
    and high-risk households of one 居委 in the head's scope."""
    from jiedao.visits.models import BuildingAssignment
    from jiedao.visits.services.assignment import community_workers

    ensure_perm(user, Perm.MANAGE_VISITS)
    get_in_scope(Community.objects.all(), user=user, pk=community.pk)
    today = today or timezone.localdate()
    tasks = VisitTask.objects.filter(community=community)
    month_start = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time()))
    by_worker = {row["assignee_id"]: row for row in tasks.order_by().values("assignee_id").annotate(
        open=Count("pk", filter=Q(status=TaskStatus.OPEN, starts_on__lte=today)),
        overdue=Count("pk", filter=Q(status=TaskStatus.OPEN, due_on__lt=today)),
        done=Count("pk", filter=Q(status=TaskStatus.DONE, done_at__gte=month_start)))}
    buildings = dict(BuildingAssignment.objects.filter(community=community).order_by().values("worker_id")
                     .annotate(n=Count("pk")).values_list("worker_id", "n"))
    loads = []
    for worker in community_workers(community_id=community.pk, heads=True):
        row = by_worker.get(worker.pk, {})
        loads.append(WorkerLoad(worker, row.get("open", 0), row.get("overdue", 0), row.get("done", 0),
                                buildings.get(worker.pk, 0)))
    unassigned = by_worker.get(None, {})
    recent = today - dt.timedelta(days=90)
    visits = Visit.objects.filter(community=community)
    high_risk, seen = [], set()  # each household once, its latest high-risk visit
    for v in visits.filter(risk=Risk.HIGH, checked_in_at__date__gte=recent).select_related(
            "household", "building__road", "worker").order_by("-checked_in_at")[:200]:
        if v.household_id not in seen and len(high_risk) < BOARD_ROWS:
            seen.add(v.household_id)
            high_risk.append(v)
    escalations = list(Reminder.objects.filter(recipient=user, kind=ReminderKind.ESCALATION,
                                               task__status=TaskStatus.OPEN, task__community=community)
                       .select_related("task__household", "task__building__road", "task__assignee")
                       .order_by("-created_at")[:BOARD_ROWS])
    escalated = {r.task_id for r in escalations}
    return {
        "community": community,
        "loads": loads,
        "unassigned_open": unassigned.get("open", 0),
        # Overdue tasks not already in the escalations above.
        "overdue": list(tasks.filter(status=TaskStatus.OPEN, due_on__lt=today).exclude(pk__in=escalated)
                        .select_related("household", "building__road", "assignee")
                        .order_by("due_on", "pk")[:BOARD_ROWS]),
        "overdue_count": sum(load.overdue for load in loads) + unassigned.get("overdue", 0),
        "escalations": escalations,
        "flagged": list(visits.filter(flagged=True, checked_in_at__date__gte=recent)
                        .select_related("household", "building__road", "worker")
                        .order_by("-checked_in_at")[:BOARD_ROWS]),
        "high_risk": high_risk,
        "pending_follow_ups": visits.filter(follow_up_status="pending").count(),
        "settings": VisitSettings.of(community.subdistrict_id),
    }


def head_communities(*, user: User) -> QuerySet[Community]:
    """The 居委 whose board the user may open (a head's own; a leader's in scope read only)."""
    return Community.objects.within(scope_of(user)).order_by("code")


# -------------------------------------------------------------------------------------------- figures

def figures(*, user: User, start: dt.date, end: dt.date, group: str | None = None,
            today: dt.date | None = None) -> dict:
    """走访覆盖率, 按时完成率, 高风险发现数, 问题转办数 and 办结率, 回访满意率 over the reader's scope, per
    ``group`` (community / worker / colour) and in total (``figures.DEFINITIONS``)."""
    tasks = tasks_for(user=user)
    visits = Visit.objects.within(scope_of(user))
    problems = VisitProblem.objects.filter(visit__in=visits.values("pk"))
    feedback = FeedbackCode.objects.within(scope_of(user))
    if own_only(user):
        tasks, visits = tasks.filter(assignee=user), visits.filter(worker=user)
        problems, feedback = problems.filter(visit__worker=user), feedback.filter(visit__worker=user)
    kwargs = {"tasks": tasks, "visits": visits, "problems": problems, "feedback": feedback, "start": start,
              "end": end, "today": today}
    if not group:
        return {"total": figures_module.compute(**kwargs)[None], "rows": {}}
    rows = figures_module.compute(**kwargs, group=group)
    return {"total": figures_module.total_of(rows), "rows": rows}


# ------------------------------------------------------------------------------------ subdistrict figures
# Counts for one subdistrict (planning's data elements, ``visits.contributions``): no person named, no user.

def subdistrict_figures(*, subdistrict_id: int, start: dt.date, end: dt.date) -> figures_module.Figures:
    return figures_module.compute(
        tasks=VisitTask.objects.filter(subdistrict_id=subdistrict_id),
        visits=Visit.objects.filter(subdistrict_id=subdistrict_id),
        problems=VisitProblem.objects.filter(visit__subdistrict_id=subdistrict_id),
        feedback=FeedbackCode.objects.filter(subdistrict_id=subdistrict_id), start=start, end=end,
        today=min(end + dt.timedelta(days=1), timezone.localdate()),
    )[None]


def last_visit_of(*, household_ids: list[int]) -> dict[int, dt.datetime]:
    """household → its latest visit (someone met or not)."""
    return dict(Visit.objects.filter(household_id__in=household_ids).values("household_id")
                .annotate(at=Max("checked_in_at")).values_list("household_id", "at"))
