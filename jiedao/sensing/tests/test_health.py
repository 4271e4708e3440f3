"""Device health: offline after the type's time without a heartbeat or event, back online when heard,
low battery, and a maintenance task for the responsible department after a day offline."""

import datetime as dt

import pytest

from jiedao.sensing import selectors
from jiedao.sensing.models import Device, HealthChange, MaintenanceTask
from jiedao.sensing.services import check_health, close_task, ingest
from jiedao.sensing.tests.conftest import event, heartbeat, make_device


@pytest.fixture
def devices(sensing_world, clock):
    w = sensing_world
    lift = make_device(w, "EV-1", "ebike_in_elevator", offline_minutes=10, department=w.wygs)
    smoke = make_device(w, "SM-1", "smoke", offline_minutes=720, department=w.wygs)
    ingest([heartbeat(lift, battery=90), heartbeat(smoke, battery=60)])
    return lift, smoke


def test_a_device_goes_offline_after_its_types_time_without_a_sign_of_life(devices, clock):
    lift, smoke = devices
    clock.advance(minutes=9)
    assert check_health()["offline"] == 0
    clock.advance(minutes=2)
    assert check_health()["offline"] == 1  # the lift's 10 minutes are up, the smoke detector's 12 hours not
    lift.refresh_from_db()
    smoke.refresh_from_db()
    assert (lift.online, smoke.online) == (False, True) and lift.offline_since == clock.now
    assert HealthChange.objects.filter(device=lift, kind="offline").count() == 1
    assert check_health()["offline"] == 0  # once


def test_an_event_brings_a_device_back_online(devices, clock):
    lift, _smoke = devices
    clock.advance(minutes=30)
    check_health()
    ingest([event(lift, "e1", "ebike_in_elevator", at=clock.now)], open_cases=False)
    lift.refresh_from_db()
    assert lift.online is True and lift.offline_since is None
    assert list(HealthChange.objects.filter(device=lift).values_list("kind", flat=True)) == ["online", "offline",
                                                                                              "online"]


def test_a_day_offline_opens_one_maintenance_task_for_the_department_closed_when_it_returns(devices, clock,
                                                                                            sensing_world):
    lift, _smoke = devices
    clock.advance(minutes=11)
    check_health()
    clock.advance(hours=23)
    assert check_health()["tasks"] == 0
    clock.advance(hours=2)
    assert check_health()["tasks"] == 1
    assert check_health()["tasks"] == 0  # one open task per device and reason
    task = MaintenanceTask.objects.get(device=lift)
    assert task.department == sensing_world.wygs and task.reason == "offline" and task.closed_at is None
    assert list(selectors.maintenance_tasks(user=sensing_world.wygs_handler)) == [task]
    assert list(selectors.maintenance_tasks(user=sensing_world.operator)) == [task]
    ingest([heartbeat(lift)])
    task.refresh_from_db()
    assert task.closed_at == clock.now and task.note


def test_the_department_records_a_task_done_and_others_may_not(devices, clock, sensing_world):
    from django.core.exceptions import PermissionDenied

    lift, _smoke = devices
    clock.advance(minutes=11)
    check_health()
    clock.advance(days=1, minutes=1)
    check_health()
    task = MaintenanceTask.objects.get(device=lift, reason="offline")
    with pytest.raises(PermissionDenied):
        close_task(task=task, by=sensing_world.handler)  # another department's handler
    done = close_task(task=task, by=sensing_world.wygs_handler, note="已更换网关")
    assert done.closed_at and done.closed_by == sensing_world.wygs_handler and done.note == "已更换网关"


def test_low_battery_is_noted_once_and_recovers_above_thirty_per_cent(devices):
    _lift, smoke = devices
    ingest([heartbeat(smoke, battery=15)])
    ingest([heartbeat(smoke, battery=18)])
    smoke.refresh_from_db()
    assert smoke.low_battery and smoke.battery == 15  # a change under 5 points is not written
    assert HealthChange.objects.filter(device=smoke, kind="low_battery").count() == 1
    assert MaintenanceTask.objects.filter(device=smoke, reason="low_battery", closed_at=None).count() == 1
    ingest([heartbeat(smoke, battery=25)])
    assert Device.objects.get(pk=smoke.pk).low_battery  # not yet: 30 % ends it
    ingest([heartbeat(smoke, battery=100)])
    assert not Device.objects.get(pk=smoke.pk).low_battery
    assert not MaintenanceTask.objects.filter(device=smoke, closed_at=None).exists()


def test_a_device_heard_often_writes_its_last_seen_once_a_minute(devices, clock, django_assert_max_num_queries):
    lift, _smoke = devices
    clock.advance(seconds=10)
    with django_assert_max_num_queries(12):
        ingest([heartbeat(lift)])
    assert Device.objects.get(pk=lift.pk).last_seen_at == clock.now - dt.timedelta(seconds=10)
    clock.advance(seconds=60)
    ingest([heartbeat(lift)])
    assert Device.objects.get(pk=lift.pk).last_seen_at == clock.now
