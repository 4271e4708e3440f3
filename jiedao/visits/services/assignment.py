"""分配任务 by the 居委 head: who visits which building (balanced by load), and the head's changes to single
tasks: reassign (改派), postpone with a reason (延期), cancel (取消). Every change is a task event and an audit
record."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, Role, ScopeLevel
from jiedao.geo.models import Building, Community
from jiedao.registry.models import Household
from jiedao.visits.models import BuildingAssignment, TaskEvent, TaskEventKind, TaskKind, TaskStatus, VisitTask
from jiedao.visits.services.rules import periodic_rule_for, rules_by_community, rules_for

MAX_REASON = 200


def community_workers(*, community_id: int, heads: bool = False) -> list[User]:
    """The 居委's active social workers (and, with ``heads``, its heads, who may take tasks themselves)."""
    roles = [Role.SOCIAL_WORKER, Role.COMMUNITY_HEAD] if heads else [Role.SOCIAL_WORKER]
    return list(User.objects.filter(is_active=True, role__in=roles, scope_level=ScopeLevel.COMMUNITY,
                                    community_id=community_id).order_by("pk"))


def community_heads(*, community_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.COMMUNITY_HEAD, scope_level=ScopeLevel.COMMUNITY,
                                    community_id=community_id).order_by("pk"))


def building_loads(*, community_id: int) -> dict[int, float]:
    """building id → expected visits a year (12 / the months of each household's periodic rule)."""
    community = Community.objects.get(pk=community_id)
    rules = rules_for(rules_by_community(subdistrict_id=community.subdistrict_id), community_id)
    loads: dict[int, float] = {pk: 0.0 for pk in Building.objects.filter(community_id=community_id)
                               .values_list("pk", flat=True)}
    for building_id, colour in Household.objects.filter(building__community_id=community_id).values_list(
            "building_id", "care_colour"):
        rule = periodic_rule_for(rules, colour)
        loads[building_id] = loads.get(building_id, 0.0) + (12 / rule.every_months if rule else 0)
    return loads


def balance(*, community_id: int, rebalance: bool = False, by: User | None = None) -> int:
    """Give every building of the 居委 a social worker, balancing expected visits a year between them
    (heaviest building first, to the least loaded worker). Buildings the head assigned by hand keep their
    worker; automatic ones whose worker left the 居委 are given again, and with ``rebalance`` all automatic
    ones are. Returns how many buildings were (re)assigned; open tasks follow their building's worker."""
    workers = community_workers(community_id=community_id)
    if not workers:
        return 0
    worker_ids = {w.pk for w in workers}
    staff = {w.pk for w in community_workers(community_id=community_id, heads=True)}
    loads = building_loads(community_id=community_id)
    current = {a.building_id: a for a in BuildingAssignment.objects.filter(community_id=community_id)}
    load_of: dict[int, float] = defaultdict(float, {w: 0.0 for w in worker_ids})
    todo = []
    for building_id, load in loads.items():
        a = current.get(building_id)
        manual = a is not None and not a.auto and a.worker_id in staff
        keep = manual or (a is not None and a.worker_id in worker_ids and not rebalance)
        if keep:
            if a.worker_id in worker_ids:
                load_of[a.worker_id] += load
        else:
            todo.append(building_id)
    todo.sort(key=lambda b: (-loads[b], b))
    community = Community.objects.get(pk=community_id)
    new, changed = [], []
    for building_id in todo:
        worker_id = min(worker_ids, key=lambda w: (load_of[w], w))
        load_of[worker_id] += loads[building_id]
        a = current.get(building_id)
        if a is None:
            new.append(BuildingAssignment(subdistrict_id=community.subdistrict_id, community_id=community_id,
                                          building_id=building_id, worker_id=worker_id, auto=True))
        elif a.worker_id != worker_id:
            a.worker_id, a.auto = worker_id, True
            changed.append(a)
    with transaction.atomic():
        BuildingAssignment.objects.bulk_create(new, batch_size=500)
        BuildingAssignment.objects.bulk_update(changed, ["worker", "auto"], batch_size=500)
        by_worker: dict[int, list[int]] = defaultdict(list)
        for a in [*new, *changed]:
            by_worker[a.worker_id].append(a.building_id)
        for worker_id, buildings in by_worker.items():
            _move_open_tasks(building_ids=buildings, worker_id=worker_id, by=by, reason=_("楼栋分工调整"))
    return len(new) + len(changed)


def _move_open_tasks(*, building_ids: list[int], worker_id: int, by: User | None, reason: str) -> int:
    tasks = list(VisitTask.objects.filter(building_id__in=building_ids, status=TaskStatus.OPEN)
                 .exclude(assignee_id=worker_id).values_list("pk", "assignee_id"))
    if not tasks:
        return 0
    VisitTask.objects.filter(pk__in=[pk for pk, _ in tasks]).update(assignee_id=worker_id)
    TaskEvent.objects.bulk_create([
        TaskEvent(task_id=pk, kind=TaskEventKind.REASSIGNED if old else TaskEventKind.ASSIGNED, actor=by,
                  actor_name=by.display_name if by else "系统", reason=reason, data={"from": old, "to": worker_id})
        for pk, old in tasks
    ])
    return len(tasks)


def _eligible(worker: User, community_id: int) -> None:
    if worker.pk not in {w.pk for w in community_workers(community_id=community_id, heads=True)}:
        raise ValidationError({"worker": _("只能分配给本居委在岗的社工")})


def assign_building(*, building: Building, worker: User, by: User) -> BuildingAssignment:
    """楼栋分工 by hand: the head gives a building to one of the 居委's social workers; its open tasks go too."""
    ensure_perm(by, Perm.MANAGE_VISITS)
    ensure_in_scope(building, user=by)
    _eligible(worker, building.community_id)
    with transaction.atomic():
        assignment, _created = BuildingAssignment.objects.update_or_create(building=building, defaults={
            "subdistrict_id": building.subdistrict_id, "community_id": building.community_id, "worker": worker,
            "auto": False})
        moved = _move_open_tasks(building_ids=[building.pk], worker_id=worker.pk, by=by, reason=_("楼栋分工调整"))
        audit.record(actor=by, action=AuditAction.UPDATE, obj=assignment,
                     detail={"building": building.pk, "worker": worker.pk, "tasks_moved": moved})
    return assignment


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = " ".join((reason or "").split())
    if required and len(reason) < 2:
        raise ValidationError({"reason": _("请填写原因（至少 2 个字）")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("原因太长：最多 %(n)s 个字") % {"n": MAX_REASON}})
    return reason


def _managed(task: VisitTask, by: User) -> None:
    ensure_perm(by, Perm.MANAGE_VISITS, message=_("只有居委负责人可以调整走访任务"))
    ensure_in_scope(task, user=by)


def _locked_open(task: VisitTask) -> VisitTask:
    locked = VisitTask.objects.select_for_update().get(pk=task.pk)
    if locked.status != TaskStatus.OPEN:
        raise ValidationError({"task": _("任务已%(status)s，不能再调整") % {"status": locked.get_status_display()}})
    return locked


@audit.records_refusals
def reassign_task(*, task: VisitTask, to: User, by: User, reason: str = "") -> VisitTask:
    """改派: give one open task to another social worker of the 居委."""
    _managed(task, by)
    reason = _clean_reason(reason, required=False)
    _eligible(to, task.community_id)
    with transaction.atomic():
        task = _locked_open(task)
        old = task.assignee_id
        task.assignee = to
        task.save(update_fields=["assignee"])
        TaskEvent.objects.create(task=task, kind=TaskEventKind.REASSIGNED, actor=by, actor_name=by.display_name,
                                 reason=reason, data={"from": old, "to": to.pk})
        audit.record(actor=by, action=AuditAction.UPDATE, obj=task, detail={"reassigned": [old, to.pk]})
    return task


@audit.records_refusals
def postpone_task(*, task: VisitTask, to: dt.date, by: User, reason: str) -> VisitTask:
    """延期: move an open task's due date later, with a reason; its reminders start over for the new date."""
    _managed(task, by)
    reason = _clean_reason(reason, required=True)
    today = timezone.localdate()
    if to is None or to <= max(task.due_on, today - dt.timedelta(days=1)):
        raise ValidationError({"due_on": _("新的截止日期须晚于原截止日期（%(d)s）和今天") % {"d": task.due_on}})
    if to > task.due_on + dt.timedelta(days=366):
        raise ValidationError({"due_on": _("延期不能超过一年")})
    with transaction.atomic():
        task = _locked_open(task)
        old = task.due_on
        task.due_on, task.due_version = to, task.due_version + 1
        task.save(update_fields=["due_on", "due_version"])
        TaskEvent.objects.create(task=task, kind=TaskEventKind.POSTPONED, actor=by, actor_name=by.display_name,
                                 reason=reason, data={"from": old.isoformat(), "to": to.isoformat()})
        audit.record(actor=by, action=AuditAction.UPDATE, obj=task, detail={"postponed": [str(old), str(to)]})
    return task


@audit.records_refusals
def cancel_task(*, task: VisitTask, by: User, reason: str) -> VisitTask:
    """取消: an open task that should not be done (with the reason); it leaves the coverage figures."""
    _managed(task, by)
    reason = _clean_reason(reason, required=True)
    with transaction.atomic():
        task = _locked_open(task)
        task.status, task.closed_reason = TaskStatus.CANCELLED, reason
        task.save(update_fields=["status", "closed_reason"])
        TaskEvent.objects.create(task=task, kind=TaskEventKind.CANCELLED, actor=by, actor_name=by.display_name,
                                 reason=reason)
        audit.record(actor=by, action=AuditAction.UPDATE, obj=task, detail={"cancelled": True})
    return task


@audit.records_refusals
def add_task(*, household: Household, by: User, due_on: dt.date, reason: str, worker: User | None = None,
             kind: str = TaskKind.MANUAL, source_visit=None) -> VisitTask:
    """临时走访 (or a confirmed 高风险复访): one task for one household, to its building's worker unless
    another is named. A worker may add one for a household of their own 居委; a head may name the worker."""
    ensure_perm(by, Perm.DO_VISITS)
    ensure_in_scope(household, user=by)
    reason = _clean_reason(reason, required=True)
    building = household.building
    today = timezone.localdate()
    if due_on is None or due_on < today:
        raise ValidationError({"due_on": _("截止日期不能早于今天")})
    if worker is not None:
        if worker != by:
            ensure_perm(by, Perm.MANAGE_VISITS, message=_("只有居委负责人可以把任务分给别人"))
        _eligible(worker, building.community_id)
    else:
        assigned = BuildingAssignment.objects.filter(building_id=building.pk).values_list("worker_id", flat=True)
        worker_id = next(iter(assigned), None) or by.pk
        worker = User.objects.get(pk=worker_id)
    key = f"visit:{source_visit.pk}" if source_visit is not None else f"manual:{timezone.now():%Y%m%d%H%M%S%f}"
    with transaction.atomic():
        task, created = VisitTask.objects.get_or_create(household=household, key=key, defaults={
            "subdistrict_id": household.subdistrict_id, "community_id": building.community_id,
            "building": building, "kind": kind, "colour": household.care_colour, "reason": reason[:120],
            "assignee": worker, "starts_on": today, "due_on": due_on, "original_due_on": due_on,
            "source_visit": source_visit,
        })
        if created:
            TaskEvent.objects.create(task=task, kind=TaskEventKind.CREATED, actor=by, actor_name=by.display_name,
                                     reason=reason, data={"to": worker.pk})
            audit.record(actor=by, action=AuditAction.CREATE, obj=task, detail={"kind": kind})
    return task
