"""The 居委 head reassigns, postpones with a reason, or cancels a task, and lays out buildings; a worker or a
head of another 居委 is refused, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.testing import make_user
from jiedao.visits import services
from jiedao.visits.models import BuildingAssignment, TaskEvent, TaskStatus, VisitTask


@pytest.fixture
def task(vw, clock):
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    return VisitTask.objects.get(household=vw.red)


def test_the_head_reassigns_a_task_to_another_worker_of_the_community(vw, task):
    other = vw.worker2 if task.assignee_id == vw.social_worker.pk else vw.social_worker
    services.reassign_task(task=task, to=other, by=vw.head, reason="原社工休假")
    task.refresh_from_db()
    assert task.assignee_id == other.pk
    event = TaskEvent.objects.get(task=task)
    assert (event.kind, event.reason, event.actor_id, event.data["to"]) == ("reassigned", "原社工休假", vw.head.pk,
                                                                           other.pk)


def test_a_task_cannot_go_to_a_worker_of_another_community(vw, task):
    with pytest.raises(ValidationError) as refused:
        services.reassign_task(task=task, to=vw.worker_c1, by=vw.head)
    assert refused.value.message_dict["worker"] == ["只能分配给本居委在岗的社工"]


def test_postponing_needs_a_reason_and_a_later_date(vw, task, clock):
    with pytest.raises(ValidationError) as no_reason:
        services.postpone_task(task=task, to=dt.date(2026, 4, 15), by=vw.head, reason=" ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as earlier:
        services.postpone_task(task=task, to=dt.date(2026, 3, 20), by=vw.head, reason="住院")
    assert "due_on" in earlier.value.message_dict
    services.postpone_task(task=task, to=dt.date(2026, 4, 15), by=vw.head, reason="住户住院两周")
    task.refresh_from_db()
    assert (task.due_on, task.original_due_on, task.due_version) == (dt.date(2026, 4, 15), dt.date(2026, 3, 31), 1)


def test_cancelling_needs_a_reason_and_a_cancelled_task_cannot_be_changed_again(vw, task):
    services.cancel_task(task=task, by=vw.head, reason="住户长期在外地子女家")
    task.refresh_from_db()
    assert (task.status, task.closed_reason) == (TaskStatus.CANCELLED, "住户长期在外地子女家")
    with pytest.raises(ValidationError):
        services.postpone_task(task=task, to=dt.date(2026, 5, 1), by=vw.head, reason="再延")


def test_a_worker_cannot_change_tasks_and_the_refusal_is_audited(vw, task):
    with pytest.raises(PermissionDenied):
        services.cancel_task(task=task, by=vw.social_worker, reason="不想去")
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=vw.social_worker).exists()
    assert VisitTask.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_a_head_of_another_community_is_refused(vw, task):
    other_head = make_user("head_c1", role=Role.COMMUNITY_HEAD, subdistrict=vw.sub, level=ScopeLevel.COMMUNITY,
                           community=vw.c1)
    with pytest.raises(PermissionDenied):
        services.reassign_task(task=task, to=vw.worker2, by=other_head)
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=other_head,
                                   object_type="visits.visittask").exists()


def test_assigning_a_building_by_hand_moves_its_open_tasks_and_survives_rebalancing(vw, task):
    services.assign_building(building=vw.b21, worker=vw.head, by=vw.head)
    assert set(VisitTask.objects.filter(building=vw.b21, status=TaskStatus.OPEN)
               .values_list("assignee_id", flat=True)) == {vw.head.pk}
    services.balance(community_id=vw.c2.pk, rebalance=True)
    assignment = BuildingAssignment.objects.get(building=vw.b21)
    assert (assignment.worker_id, assignment.auto) == (vw.head.pk, False)


def test_a_worker_who_leaves_gets_their_buildings_balanced_to_the_others(vw, task):
    leaving = BuildingAssignment.objects.get(building=vw.b22).worker
    leaving.is_active = False
    leaving.save()
    services.balance(community_id=vw.c2.pk)
    remaining = ({vw.social_worker.pk, vw.worker2.pk} - {leaving.pk}).pop()
    assert BuildingAssignment.objects.get(building=vw.b22).worker_id == remaining
    assert set(VisitTask.objects.filter(building=vw.b22).values_list("assignee_id", flat=True)) == {remaining}
