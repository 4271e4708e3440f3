"""Rules → alarms → cases: the merge window, thresholds held for a time, quiet hours, commands, 误报."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.cases import services as cases
from jiedao.cases.models import Attachment, Case, Channel, Status
from jiedao.sensing.models import Alarm, AlarmRule, Command, CommandStatus, Event, Exceedance
from jiedao.sensing.services import directory, ingest, open_pending_cases, rules_for, sync_outcomes
from jiedao.sensing.services.alarms import mark_false
from jiedao.sensing.tests.conftest import TZ, event, jpeg, make_device


@pytest.fixture
def lift(sensing_world):
    return make_device(sensing_world, "EV-0001", "ebike_in_elevator", "elevator_trapped", place="3号楼1单元电梯")


def test_an_ebike_in_the_elevator_becomes_a_case_with_its_snapshot_and_the_elevator_gets_its_command(lift):
    [out] = ingest([event(lift, "evt-1", "ebike_in_elevator", image=jpeg())])
    assert out.new_alarm
    alarm = Alarm.objects.get(pk=out.alarm_id)
    case = alarm.case
    assert case.channel == Channel.SENSOR and case.external_id == alarm.external_id
    assert case.category.name == "电瓶车入梯" and case.status == Status.NEW
    assert cases.route(case=case)[0].code == "WYGS"  # its category routes it to 物业联勤
    assert case.building_id == lift.building_id and case.grid_id == lift.grid_id
    assert "3号楼1单元电梯" in case.description and "EV-0001" in case.description
    assert Attachment.objects.filter(case=case).count() == 1
    command = Command.objects.get(alarm=alarm)
    assert command.code == "hold_and_warn" and command.status == CommandStatus.PENDING
    assert command.params["hold_door"] is True


def test_smoke_gas_and_door_alarms_are_filed_under_their_devices_categories(sensing_world):
    """The four types with no event category (烟感, 燃气泄漏, 门禁常开, 门禁异常) map to the 部件 categories of
    their devices; smoke and gas cases are urgent."""
    smoke = make_device(sensing_world, "SM-01", "smoke", place="5号楼2楼走道")
    gas = make_device(sensing_world, "GS-01", "gas", place="长者食堂后厨")
    door = make_device(sensing_world, "DR-01", "door_held_open", "access_denied", place="1号门")
    night = (timezone.now().astimezone(TZ) - dt.timedelta(days=1)).replace(hour=23, minute=0)  # door: not quiet hours
    ingest([event(smoke, "s", "smoke"), event(gas, "g", "gas", value=40), event(door, "d", "door_held_open", at=night),
            event(door, "a", "access_denied")])
    filed = {a.type.code: a.case for a in Alarm.objects.select_related("type", "case__category")}
    assert {code: case.category.name for code, case in filed.items() if case} == {
        "smoke": "烟感探测器", "gas": "燃气报警器", "door_held_open": "门禁设施", "access_denied": "门禁设施"}
    assert filed["smoke"].urgent and filed["gas"].urgent and not filed["door_held_open"].urgent


def test_the_same_device_and_type_within_the_merge_window_is_one_alarm_with_a_counter(lift):
    t0 = timezone.now() - dt.timedelta(minutes=30)
    out = ingest([event(lift, f"e{i}", "ebike_in_elevator", at=t0 + dt.timedelta(minutes=3 * i)) for i in range(4)])
    alarms = Alarm.objects.all()
    assert alarms.count() == 1 and alarms[0].count == 4
    assert [o.new_alarm for o in out] == [True, False, False, False]
    assert Case.objects.filter(channel=Channel.SENSOR).count() == 1
    # 11 minutes after the last one is a new alarm, and a new case.
    ingest([event(lift, "late", "ebike_in_elevator", at=t0 + dt.timedelta(minutes=9 + 11))])
    assert Alarm.objects.count() == 2 and Case.objects.filter(channel=Channel.SENSOR).count() == 2


def test_merging_also_works_across_batches_and_another_type_is_another_alarm(lift):
    ingest([event(lift, "a", "ebike_in_elevator")])
    ingest([event(lift, "b", "ebike_in_elevator")])
    ingest([event(lift, "c", "elevator_trapped")])
    assert sorted(Alarm.objects.values_list("type__code", "count")) == [("ebike_in_elevator", 2),
                                                                         ("elevator_trapped", 1)]
    assert Alarm.objects.get(type__code="elevator_trapped").case.urgent


def test_a_water_level_alarms_only_once_it_has_stayed_above_the_threshold(sensing_world):
    gauge = make_device(sensing_world, "WL-01", "water_level")
    t0 = timezone.now() - dt.timedelta(minutes=20)

    def at(seconds, value, eid):
        return ingest([event(gauge, eid, "water_level", at=t0 + dt.timedelta(seconds=seconds), value=value)])[0]

    assert not at(0, 8, "w0").alarm_id  # below 15 cm
    assert not at(60, 20, "w1").alarm_id  # above, not for 5 minutes yet
    assert not at(200, 25, "w2").alarm_id
    assert not at(240, 10, "w3").alarm_id  # fell back: the run starts again
    assert not at(300, 18, "w4").alarm_id
    assert not at(500, 19, "w5").alarm_id  # 200 s of the new run
    raised = at(610, 22, "w6")  # 310 s above
    assert raised.new_alarm
    alarm = Alarm.objects.get(pk=raised.alarm_id)
    assert alarm.value == 22 and "22cm" in alarm.case.description
    assert Exceedance.objects.filter(device=gauge).count() == 1


def test_quiet_hours_keep_the_event_and_raise_no_alarm(sensing_world):
    gate = make_device(sensing_world, "GATE-01", "door_held_open")
    day = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)
    night = dt.datetime(2026, 11, 2, 23, 0, tzinfo=TZ)
    quiet, loud = ingest([event(gate, "d", "door_held_open", at=day), event(gate, "n", "door_held_open", at=night)],
                         open_cases=False)
    assert quiet.status == "stored" and quiet.alarm_id is None
    assert loud.alarm_id is not None
    assert Event.objects.count() == 2


def test_a_disabled_rule_or_a_device_in_maintenance_raises_nothing(sensing_world, lift):
    rules_for(subdistrict_id=lift.subdistrict_id)  # written from the defaults on first read
    rule = AlarmRule.objects.get(subdistrict=lift.subdistrict, type__code="ebike_in_elevator")
    rule.enabled = False
    rule.save()
    assert ingest([event(lift, "x", "ebike_in_elevator")])[0].alarm_id is None
    rule.enabled = True
    rule.save()
    lift.status = "maintenance"
    lift.save()
    directory.clear()
    assert ingest([event(lift, "y", "ebike_in_elevator")])[0].alarm_id is None
    assert Event.objects.count() == 2


def test_a_case_that_cannot_be_filed_is_tried_again_later(lift, monkeypatch):
    from django.core.exceptions import ValidationError

    real = cases.sensor_alarm

    def refusing(**kwargs):
        raise ValidationError({"description": "暂时不行"})

    monkeypatch.setattr(cases, "sensor_alarm", refusing)
    [out] = ingest([event(lift, "e", "ebike_in_elevator")])
    alarm = Alarm.objects.get(pk=out.alarm_id)
    assert alarm.case is None and "暂时不行" in alarm.case_error and alarm.case_attempts == 1
    monkeypatch.setattr(cases, "sensor_alarm", real)
    assert open_pending_cases(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    alarm.refresh_from_db()
    assert alarm.case is not None and alarm.case_error == ""


def test_filing_the_same_alarm_twice_gives_the_same_case(lift):
    from jiedao.sensing.services import open_cases

    [out] = ingest([event(lift, "e", "ebike_in_elevator")])
    alarm = Alarm.objects.get(pk=out.alarm_id)
    Alarm.objects.filter(pk=alarm.pk).update(case=None)
    open_cases(alarm_ids=[alarm.pk])
    assert Alarm.objects.get(pk=alarm.pk).case_id == alarm.case_id
    assert Case.objects.filter(channel=Channel.SENSOR).count() == 1


def test_a_case_cancelled_or_closed_as_false_makes_the_alarm_false(sensing_world, lift):
    w = sensing_world
    a1, a2 = (Alarm.objects.get(pk=ingest([event(lift, e, t)])[0].alarm_id)
              for e, t in (("1", "ebike_in_elevator"), ("2", "elevator_trapped")))
    cases.perform(case=a1.case, action="cancel", by=w.operator, note="现场核实无电瓶车")
    assert sync_outcomes() == 1
    a1.refresh_from_db()
    assert a1.false_alarm is True and a1.closed_at is not None
    a2 = mark_false(alarm=a2, by=w.operator, note="设备误触发")
    assert a2.false_alarm is True
    assert Case.objects.get(pk=a2.case_id).status == Status.CANCELLED


def test_a_case_handled_and_closed_is_a_true_alarm(sensing_world, lift):
    w = sensing_world
    alarm = Alarm.objects.get(pk=ingest([event(lift, "1", "ebike_in_elevator")])[0].alarm_id)
    case = alarm.case
    for action, by, kw in [("register", w.operator, {}), ("dispatch", w.operator, {"department": "WYGS"}),
                           ("accept", w.wygs_handler, {}), ("contact", w.wygs_handler, {"note": "已联系物业"}),
                           ("handle", w.wygs_handler, {"note": "已劝离"}), ("close", w.operator, {})]:
        case = cases.perform(case=case, action=action, by=by, **kw)
    sync_outcomes()
    alarm.refresh_from_db()
    assert alarm.false_alarm is False and alarm.closed_at == case.closed_at
