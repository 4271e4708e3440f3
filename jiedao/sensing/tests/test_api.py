"""The JSON API: devices by type, which alarm and case an event produced, rules, dead letters, figures,
and who may read or change what."""

import pytest
from django.utils import timezone

from jiedao.sensing.models import AlarmRule, DeadLetter
from jiedao.sensing.services import Message, directory, ingest, rules_for
from jiedao.sensing.tests.conftest import event, make_device


@pytest.fixture
def devices(sensing_world):
    w = sensing_world
    return {
        "lift": make_device(w, "EV-1", "ebike_in_elevator", place="1号楼电梯"),
        "smoke": make_device(w, "SM-1", "smoke", building=w.b21),
        "elsewhere": make_device(w, "EV-X", "ebike_in_elevator", building=None, sub=w.other_sub),
    }


def test_devices_are_listed_by_type_with_their_place_and_status(login, sensing_world, devices):
    client = login(sensing_world.operator)
    data = client.get("/api/v1/sensing/devices?type=ebike_in_elevator").json()
    assert [d["code"] for d in data["items"]] == ["EV-1"]  # not the other subdistrict's EV-X
    lift = data["items"][0]
    assert lift["types"] == ["ebike_in_elevator"] and lift["place"] == "1号楼电梯"
    assert lift["community"] == sensing_world.c1.name and lift["status"] == "active" and lift["online"] is None
    assert client.get("/api/v1/sensing/devices?type=nope").status_code == 422


def test_an_event_can_be_followed_to_its_alarm_and_case(login, sensing_world, devices):
    [out] = ingest([event(devices["lift"], "track-1", "ebike_in_elevator")])
    client = login(sensing_world.operator)
    [alarm] = client.get("/api/v1/sensing/alarms?device=EV-1&event=track-1").json()["items"]
    assert alarm["number"] == f"SENS-{out.alarm_id}" and alarm["case"] and alarm["type"] == "ebike_in_elevator"
    detail = client.get(f"/api/v1/sensing/alarms/{alarm['number']}").json()
    assert [e["id"] for e in detail["events"]] == ["track-1"]
    assert detail["commands"][0]["code"] == "hold_and_warn"
    assert client.get("/api/v1/sensing/alarms?device=EV-1&event=nope").status_code == 404


def test_an_event_that_raised_nothing_answers_an_empty_list(login, sensing_world, devices):
    rules_for(subdistrict_id=sensing_world.sub.pk)
    AlarmRule.objects.filter(type__code="smoke").update(enabled=False)
    directory.clear()
    ingest([Message(topic=f"jiedao/{sensing_world.sub.code}/SM-1/event",
                    payload=b'{"id": "quiet", "type": "smoke", "at": "2026-11-02T03:00:00+08:00"}')])
    client = login(sensing_world.operator)
    assert client.get("/api/v1/sensing/alarms?device=SM-1&event=quiet").json()["items"] == []


@pytest.mark.parametrize("persona", ["grid_worker", "handler", "resident", "auditor"])
def test_roles_without_sensing_are_refused(login, sensing_world, devices, persona):
    client = login(getattr(sensing_world, persona))
    assert client.get("/api/v1/sensing/devices").status_code == 403
    assert client.get("/api/v1/sensing/alarms").status_code == 403


def test_another_subdistrict_cannot_see_or_follow_this_ones_devices(login, sensing_world, devices):
    ingest([event(devices["lift"], "mine", "ebike_in_elevator")])
    client = login(sensing_world.other_operator)
    assert client.get("/api/v1/sensing/devices").json()["items"][0]["code"] == "EV-X"
    assert client.get("/api/v1/sensing/devices/EV-1").status_code == 404
    assert client.get("/api/v1/sensing/alarms?device=EV-1&event=mine").status_code == 404
    assert client.get("/api/v1/sensing/alarms").json()["items"] == []


def test_an_area_leader_sees_the_alarms_of_their_area_only(login, sensing_world, devices):
    ingest([event(devices["lift"], "a1", "ebike_in_elevator"),  # 武宁片区 (area1)
            event(devices["smoke"], "s1", "smoke")])             # 梅岭北片区 (area2)
    client = login(sensing_world.area_leader)  # area2
    assert [a["device"] for a in client.get("/api/v1/sensing/alarms").json()["items"]] == ["SM-1"]


def test_only_an_admin_changes_rules_and_reads_dead_letters(login, sensing_world, devices):
    ingest([Message(topic="jiedao/310107005/GHOST/event", payload=b'{"id": "1", "type": "smoke"}')])
    operator = login(sensing_world.operator)
    assert operator.patch("/api/v1/sensing/rules/smoke", {"merge_minutes": 5},
                          content_type="application/json").status_code == 403
    assert operator.get("/api/v1/sensing/dead-letters").status_code == 403
    admin = login(sensing_world.admin)
    changed = admin.patch("/api/v1/sensing/rules/water_level", {"threshold": 20, "duration_seconds": 600},
                          content_type="application/json")
    assert changed.status_code == 200 and changed.json()["threshold"] == 20
    bad = admin.patch("/api/v1/sensing/rules/smoke", {"command": "launch_rockets"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "command"
    [letter] = admin.get("/api/v1/sensing/dead-letters").json()["items"]
    assert letter["reason"] == "unknown_device" and letter["device_code"] == "GHOST"


def test_an_admin_replays_a_dead_letter_once_the_device_is_registered(login, sensing_world, devices):
    ingest([Message(topic="jiedao/310107005/NEW-1/event", payload=b'{"id": "early", "type": "smoke"}')])
    letter = DeadLetter.objects.get()
    admin = login(sensing_world.admin)
    assert admin.post(f"/api/v1/sensing/dead-letters/{letter.pk}/replay").json()["resolved"] is False
    created = admin.post("/api/v1/sensing/devices", {"code": "NEW-1", "types": ["smoke"], "building": "兰溪路200弄5号"},
                         content_type="application/json")
    assert created.status_code == 201 and created.json()["secret"] and created.json()["community"]
    replayed = admin.post(f"/api/v1/sensing/dead-letters/{letter.pk}/replay").json()
    assert replayed["resolved"] is True and replayed["replay_result"] == "已入库"
    assert admin.get("/api/v1/sensing/dead-letters").json()["items"] == []


def test_figures_count_devices_online_and_alarms_by_type_and_place(login, sensing_world, devices):
    ingest([event(devices["lift"], "f1", "ebike_in_elevator", at=timezone.now()),
            event(devices["smoke"], "f2", "smoke", at=timezone.now())])
    data = login(sensing_world.leader).get("/api/v1/sensing/figures?days=7").json()
    assert data["devices"] == 2 and data["online"] == 2 and data["online_rate"] == 100.0
    assert data["alarms"] == 2 and {t["type"] for t in data["alarms_by_type"]} == {"ebike_in_elevator", "smoke"}
    assert len(data["alarms_by_day"]) == 7 and sum(sum(d["by_type"].values()) for d in data["alarms_by_day"]) == 2
