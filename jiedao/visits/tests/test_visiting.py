"""完成任务 and 问题处置: scan to check in, submit the visit once, file a problem as a case; and the issue's
bad input: a household outside the scope, a revoked code, a check-in 2 km away, a duplicate submission, an
empty note."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiedao.cases.models import Case, Channel
from jiedao.core.models import AuditAction, AuditLog
from jiedao.registry.services import InvalidCode
from jiedao.visits import services
from jiedao.visits.models import CheckInVia, FeedbackCode, Outcome, TaskEvent, TaskStatus, Visit, VisitTask
from jiedao.visits.tests.conftest import issue_code, visit_form

# About 2 km north of 兰溪园's buildings (a degree of latitude is ~111 km).
FAR = {"lat": 31.2325 + 0.018, "lon": 121.4125}


@pytest.fixture
def tasks(vw, clock):
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    return vw


def test_scanning_a_household_code_checks_in_with_the_servers_time(tasks, clock):
    token = issue_code(tasks.red)
    check_in = services.check_in_by_code(token=token, by=tasks.social_worker)
    assert (check_in.household, check_in.via, check_in.at) == (tasks.red, CheckInVia.QR, clock.now)
    assert services.read_check_in(token=check_in.token, by=tasks.social_worker).household == tasks.red


def test_a_household_outside_the_workers_scope_is_refused_and_audited(tasks):
    token = issue_code(tasks.c1_home)  # 曹杨一村; the worker is of 兰溪园
    with pytest.raises(PermissionDenied):
        services.check_in_by_code(token=token, by=tasks.social_worker)
    denied = AuditLog.objects.filter(action=AuditAction.DENIED, actor=tasks.social_worker).last()
    assert (denied.object_type, denied.object_id) == ("registry.household", str(tasks.c1_home.pk))


def test_a_revoked_or_forged_code_is_refused(tasks):
    token = issue_code(tasks.red)
    tasks.red.codes.update(revoked_at=timezone.now())
    with pytest.raises(InvalidCode) as revoked:
        services.check_in_by_code(token=token, by=tasks.social_worker)
    assert revoked.value.reason == "revoked"
    with pytest.raises(InvalidCode) as forged:
        services.check_in_by_code(token=token[:-3] + "abc", by=tasks.social_worker)
    assert forged.value.reason == "forged"


def test_a_leader_cannot_check_in(tasks):
    with pytest.raises(PermissionDenied):
        services.check_in_by_code(token=issue_code(tasks.red), by=tasks.leader)


def test_a_visit_completes_the_households_begun_tasks_and_leaves_a_feedback_code(tasks, clock):
    check_in = services.check_in_by_code(token=issue_code(tasks.yellow), by=tasks.social_worker)
    resident = tasks.yellow.residents.first()
    clock.advance(minutes=12)
    visit = services.submit_visit(form=visit_form(
        check_in, answers={"gas": "ok", "smoke": "problem", "mind": "na"}, met_residents=[resident.pk],
        met_others=["carer"], lat=tasks.b21.lat + 0.0002, lon=tasks.b21.lon), by=tasks.social_worker).visit
    visit.refresh_from_db()
    assert visit.checked_in_at == check_in.at < visit.submitted_at
    assert 15 < visit.distance_m < 30
    assert visit.answer_map == {"gas": "ok", "smoke": "problem"}
    assert list(visit.met_residents.all()) == [resident]
    task = VisitTask.objects.get(household=tasks.yellow)
    assert (task.status, task.visit_id) == (TaskStatus.DONE, visit.pk)
    assert TaskEvent.objects.get(task=task).kind == "done"
    assert FeedbackCode.objects.get(visit=visit).used_at is None
    assert visit.assessed and visit.risk


def test_the_note_is_encrypted_at_rest_and_not_in_the_audit_log(tasks):
    from django.db import connection

    note = "独居的张老伯说最近晚上睡不着，想念去世的老伴"
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    visit = services.submit_visit(form=visit_form(check_in, note=note), by=tasks.social_worker).visit
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM visits_visit WHERE id = %s", [visit.pk])
        stored = cursor.fetchone()[0]
    assert "老伯" not in stored and Visit.objects.get(pk=visit.pk).note == note
    assert not any("老伯" in str(a.detail) + a.object_repr + a.reason for a in AuditLog.objects.all())


def test_a_duplicate_submission_changes_nothing(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    form = visit_form(check_in, problems=[services.Problem("楼道里堆满杂物，堵住了消防通道")])
    first = services.submit_visit(form=form, by=tasks.social_worker)
    counts = [Visit.objects.count(), Case.objects.count(), TaskEvent.objects.count(), AuditLog.objects.count(),
              FeedbackCode.objects.count()]
    again = services.submit_visit(form=form, by=tasks.social_worker)
    assert (first.created, again.created, again.visit.pk) == (True, False, first.visit.pk)
    assert [Visit.objects.count(), Case.objects.count(), TaskEvent.objects.count(), AuditLog.objects.count(),
            FeedbackCode.objects.count()] == counts


def test_an_empty_note_is_refused_with_a_clear_message_and_nothing_is_written(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    with pytest.raises(ValidationError) as refused:
        services.submit_visit(form=visit_form(check_in, note="  \n "), by=tasks.social_worker)
    assert refused.value.message_dict["note"] == ["请填写走访记录：见到了谁、看到了什么、有什么困难或需要"]
    assert not Visit.objects.exists()
    assert VisitTask.objects.get(household=tasks.red).status == TaskStatus.OPEN


def test_bad_fields_are_named_each(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    other = tasks.yellow.residents.first()
    with pytest.raises(ValidationError) as refused:
        services.submit_visit(form=visit_form(
            check_in, answers={"gas": "maybe"}, met_residents=[other.pk], lat=95.0, lon=121.4,
            problems=[services.Problem("漏")], outcome="gone"), by=tasks.social_worker)
    assert set(refused.value.message_dict) == {"answers", "met_residents", "location", "problems", "outcome"}


def test_a_check_in_2_km_away_is_kept_and_flagged(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    visit = services.submit_visit(form=visit_form(check_in, **FAR), by=tasks.social_worker).visit
    visit.refresh_from_db()
    assert 1900 < visit.distance_m < 2100
    assert visit.flagged and "far_checkin" in [f["code"] for f in visit.flags]
    assert VisitTask.objects.get(household=tasks.red).status == TaskStatus.DONE


def test_a_visit_without_a_scan_is_flagged_for_the_head(tasks, clock):
    check_in = services.check_in_from_file(household=tasks.red, by=tasks.social_worker)
    assert check_in.via == CheckInVia.FILE
    visit = services.submit_visit(form=visit_form(check_in), by=tasks.social_worker).visit
    visit.refresh_from_db()
    assert [f["code"] for f in visit.flags] == ["no_scan"]


def test_opening_the_file_right_after_scanning_the_code_counts_as_a_scan(tasks, clock):
    from jiedao.registry import services as registry_services

    registry_services.open_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    clock.advance(minutes=2)
    assert services.check_in_from_file(household=tasks.red, by=tasks.social_worker).via == CheckInVia.QR


def test_a_check_in_of_another_worker_or_a_week_old_is_refused(tasks, clock):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    with pytest.raises(ValidationError) as other:
        services.submit_visit(form=visit_form(check_in), by=tasks.worker2)
    assert "其他社工" in other.value.message_dict["check_in"][0]
    clock.advance(days=8)
    with pytest.raises(ValidationError) as old:
        services.submit_visit(form=visit_form(check_in), by=tasks.social_worker)
    assert "重新扫码" in old.value.message_dict["check_in"][0]


def test_nobody_home_keeps_the_task_open_and_leaves_no_feedback_code(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    visit = services.submit_visit(form=visit_form(check_in, note="敲门两次无人应答，邻居说老人去女儿家了",
                                                  outcome=Outcome.NOBODY), by=tasks.social_worker).visit
    assert VisitTask.objects.get(household=tasks.red).status == TaskStatus.OPEN
    assert not FeedbackCode.objects.filter(visit=visit).exists()


def test_a_problem_becomes_a_visit_case_linked_to_the_household_and_the_visit(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    visit = services.submit_visit(form=visit_form(check_in, problems=[
        services.Problem("楼道里电动车在充电，电线从窗户拉下来，有火灾隐患")]), by=tasks.social_worker).visit
    case = Case.objects.get()
    assert (case.channel, case.household_id, case.building_id) == (Channel.VISIT, tasks.red.pk, tasks.b21.pk)
    assert case.external_id == f"V{visit.pk}-1"
    assert case.events.first().data["visit"] == visit.pk
    assert [p.case for p in visit.problems.all()] == [case]


def test_a_client_id_that_is_not_a_uuid_is_refused(tasks):
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    with pytest.raises(ValidationError) as refused:
        services.submit_visit(form=visit_form(check_in, client_id="1; drop table"), by=tasks.social_worker)
    assert "client_id" in refused.value.message_dict


def test_the_same_client_id_of_another_worker_is_another_visit(tasks):
    client_id = str(uuid.uuid4())
    a = services.check_in_by_code(token=issue_code(tasks.red), by=tasks.social_worker)
    b = services.check_in_by_code(token=issue_code(tasks.yellow), by=tasks.worker2)
    first = services.submit_visit(form=visit_form(a, client_id=client_id), by=tasks.social_worker)
    second = services.submit_visit(form=visit_form(b, client_id=client_id), by=tasks.worker2)
    assert second.created and first.visit.pk != second.visit.pk
