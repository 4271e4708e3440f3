"""The closed loop (闭环): every path, who may take each step from which state, the timeline, the audit,
and two operators acting on one case at once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.cases import services
from jiedao.cases.models import Case, CaseEvent, Channel, EventKind, Status
from jiedao.core.models import AuditAction, AuditLog

NOISE = "兰溪路200弄5号楼下饭店每天半夜十二点还在搬东西，声音很大，吵得睡不着"


def hotline(world, text=NOISE, address="兰溪路200弄5号", **kw) -> Case:
    return services.intake(subdistrict=world.sub, channel=Channel.HOTLINE, description=text, address=address,
                           by=world.operator, reporter_name="王先生", reporter_phone="13812345678", **kw).case


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("kind", flat=True))


@pytest.fixture
def noise(cases_world, clock):
    return hotline(cases_world, category="噪音扰民")


def test_the_full_loop_writes_one_event_per_step_and_projects_the_times(cases_world, clock, noise):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    assert case.status == Status.REGISTERED and case.registered_at == clock.now
    clock.advance(minutes=10)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    # 噪音扰民 in 武宁片区 goes to the 城管 squad (an area scenario), with the 1-working-day process.
    assert case.department == w.cgzd and case.process.code == "QUICK1"
    assert case.handle_due == dt.datetime(2026, 11, 3, 23, 59, 59, tzinfo=clock.now.tzinfo)
    assert case.first_contact_due == clock.now + dt.timedelta(hours=2)
    clock.advance(minutes=30)
    case = services.perform(case=case, action="accept", by=w.chengguan)
    case = services.perform(case=case, action="contact", by=w.chengguan, note="已电话联系王先生，今晚到场")
    assert case.first_contacted_at == clock.now
    clock.advance(hours=20)
    case = services.perform(case=case, action="handle", by=w.chengguan, note="已责令饭店夜间停止装卸")
    assert case.status == Status.HANDLED and case.handled_at == clock.now
    clock.advance(hours=1)
    case = services.perform(case=case, action="close", by=w.operator)
    assert case.status == Status.CLOSED and case.closed_on_time is True
    case = services.perform(case=case, action="visit", by=w.operator, rating=3, note="市民表示满意")
    assert case.rating == 3
    assert kinds(case) == ["created", "registered", "dispatched", "accepted", "contacted", "handled", "closed",
                           "visited"]
    steps = list(case.events.order_by("at", "id").values_list("from_status", "to_status"))
    assert steps[3] == (Status.DISPATCHED, Status.HANDLING)
    assert case.version == 7
    audited = AuditLog.objects.filter(object_type="cases.case", object_id=str(case.pk), action=AuditAction.UPDATE)
    assert [a.detail["transition"] for a in audited.order_by("id")] == [
        "register", "dispatch", "accept", "contact", "handle", "close", "visit"]


def test_return_rework_extension_and_reopen(cases_world, clock, noise):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator, department="PCS")
    assert case.department == w.pcs
    # 退回: the police say it is not theirs; the case goes back to the operator, without a department.
    case = services.perform(case=case, action="return", by=w.police, note="属商户噪音，应由城管处理")
    assert case.status == Status.REGISTERED and case.department is None and case.returned_count == 1
    case = services.perform(case=case, action="dispatch", by=w.operator, department="CGZD")
    case = services.perform(case=case, action="accept", by=w.chengguan)
    case = services.perform(case=case, action="contact", by=w.chengguan, note="已联系")
    due = case.handle_due
    case = services.perform(case=case, action="request_extension", by=w.chengguan, days=3, note="需协调商户")
    assert case.extension_pending
    with pytest.raises(ValidationError):
        services.perform(case=case, action="request_extension", by=w.chengguan, days=2, note="再申请")
    case = services.perform(case=case, action="approve_extension", by=w.operator)
    assert case.extended and not case.extension_pending and case.handle_due > due
    case = services.perform(case=case, action="handle", by=w.chengguan, note="已处理")
    case = services.perform(case=case, action="rework", by=w.operator, note="现场核查仍有噪音")
    assert case.status == Status.HANDLING and case.rework_count == 1 and case.handled_at is None
    case = services.perform(case=case, action="handle", by=w.chengguan, note="已再次处理")
    case = services.perform(case=case, action="close", by=w.operator)
    case = services.perform(case=case, action="visit", by=w.operator, rating=1, note="仍然吵")
    case = services.perform(case=case, action="reopen", by=w.operator, note="市民不满意，重新办理")
    assert case.status == Status.DISPATCHED and case.department == w.cgzd and case.closed_at is None
    assert kinds(case)[-2:] == [EventKind.VISITED, EventKind.REOPENED]


def test_suspend_resume_cancel_and_merge(cases_world, clock, noise):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    case = services.perform(case=case, action="suspend", by=w.operator, note="需区级协调，挂账")
    assert case.status == Status.SUSPENDED
    case = services.perform(case=case, action="resume", by=w.operator)
    assert case.status == Status.DISPATCHED  # back where it was
    other = hotline(w, text="兰溪路200弄5号楼下饭店半夜搬东西，声音很大吵得睡不着觉", category="噪音扰民")
    assert other.possible_duplicate_of == case
    other = services.perform(case=other, action="merge", by=w.operator)
    assert other.status == Status.CANCELLED and other.duplicate_of == case
    third = hotline(w, text="测试工单，请忽略", address="")
    third = services.perform(case=third, action="cancel", by=w.operator, note="测试数据")
    assert third.status == Status.CANCELLED


@pytest.mark.parametrize("action, who, error", [
    ("accept", "operator", PermissionDenied),      # operators do not handle
    ("dispatch", "chengguan", PermissionDenied),   # handlers do not dispatch
    ("close", "operator", ValidationError),        # not handled yet
    ("handle", "chengguan", ValidationError),      # not accepted yet (still 待签收)
    ("accept", "police", PermissionDenied),        # dispatched to 城管, not the police
    ("accept", "other_operator", PermissionDenied),  # another subdistrict
])
def test_wrong_role_or_state_is_refused_and_nothing_is_written(cases_world, clock, noise, action, who, error):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    before = (kinds(case), Case.objects.get(pk=case.pk).version)
    with pytest.raises(error):
        services.perform(case=case, action=action, by=getattr(w, who), note="试一下")
    after = Case.objects.get(pk=case.pk)
    assert (kinds(after), after.version) == before and after.status == Status.DISPATCHED
    if error is PermissionDenied:
        assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=getattr(w, who)).exists()


def test_a_note_is_required_where_the_step_needs_one(cases_world, clock, noise):
    case = services.perform(case=noise, action="register", by=cases_world.operator)
    with pytest.raises(ValidationError) as exc:
        services.perform(case=case, action="cancel", by=cases_world.operator, note="  ")
    assert "note" in exc.value.message_dict


def test_first_contact_is_required_before_feedback(cases_world, clock, noise):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    case = services.perform(case=case, action="accept", by=w.chengguan)
    with pytest.raises(ValidationError, match="先行联系"):
        services.perform(case=case, action="handle", by=w.chengguan, note="已处理")


def test_two_operators_at_once_the_second_gets_a_conflict(cases_world, clock, noise):
    w = cases_world
    seen_by_a = Case.objects.get(pk=noise.pk)
    seen_by_b = Case.objects.get(pk=noise.pk)
    services.perform(case=seen_by_a, action="register", by=w.operator, version=seen_by_a.version)
    with pytest.raises(services.Conflict):
        services.perform(case=seen_by_b, action="cancel", by=w.operator, note="重复", version=seen_by_b.version)
    case = Case.objects.get(pk=noise.pk)
    assert case.status == Status.REGISTERED and kinds(case) == ["created", "registered"]


def test_the_timeline_is_append_only(cases_world, clock, noise):
    event = noise.events.first()
    event.note = "改写历史"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        CaseEvent.objects.filter(case=noise).delete()


def test_overdue_check_warns_once_per_time_limit(cases_world, clock, noise):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    assert services.warn_overdue() == 0
    clock.advance(days=3)
    assert services.warn_overdue() == 1
    assert services.warn_overdue() == 0
    case = Case.objects.get(pk=case.pk)
    assert case.overdue_warned and kinds(case)[-1] == EventKind.OVERDUE and case.is_overdue()


def test_projection_rebuilds_from_the_timeline_alone(cases_world, clock, noise):
    w = cases_world
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    case = services.perform(case=case, action="accept", by=w.chengguan)
    Case.objects.filter(pk=case.pk).update(first_contacted_at=clock.now, rework_count=4)  # corrupt the columns
    assert services.rebuild_facts(fix=True) == 1
    case = Case.objects.get(pk=case.pk)
    assert case.first_contacted_at is None and case.rework_count == 0
    assert services.rebuild_facts(fix=False) == 0


def test_allowed_actions_follow_role_and_state(cases_world, clock, noise):
    w = cases_world
    assert {t.kind for t in services.allowed_actions(case=noise, user=w.operator)} >= {
        "register", "cancel", "reclassify"}
    assert "accept" not in {t.kind for t in services.allowed_actions(case=noise, user=w.operator)}
    case = services.perform(case=noise, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    assert {t.kind for t in services.allowed_actions(case=case, user=w.chengguan)} >= {"accept", "return", "contact"}


def test_rebuild_command_checks_and_repairs(cases_world, clock, noise):
    import io

    from django.core.management import call_command

    Case.objects.filter(pk=noise.pk).update(rework_count=2)
    with pytest.raises(SystemExit):
        call_command("rebuild_case_facts", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_case_facts", stdout=out)
    assert "1" in out.getvalue() and Case.objects.get(pk=noise.pk).rework_count == 0
