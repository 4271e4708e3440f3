"""The sensing pages: the operator's alarm queue and one alarm, devices, the map's points, the admin's rules,
dead letters and import, maintenance for the department, passes in the household file; each refuses the
roles and places it is not for."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from jiedao.cases.models import Status
from jiedao.core.models import AuditLog
from jiedao.registry import services as registry
from jiedao.sensing.contributions import household_passes_context
from jiedao.sensing.models import AccessPass, Alarm, AlarmRule, DeadLetter, Event, MaintenanceTask
from jiedao.sensing.services import Message, check_health, ingest
from jiedao.sensing.tests.conftest import event, heartbeat, jpeg, make_device
from jiedao.testing import make_id_number


def household_section(user, household) -> str:
    from django.template.loader import render_to_string

    context = household_passes_context(user=user, household=household)
    return render_to_string("sensing/household_passes.html", {**context, "household": household})


@pytest.fixture
def scene(sensing_world):
    w = sensing_world
    lift = make_device(w, "EV-1", "ebike_in_elevator", place="1单元电梯", department=w.wygs)
    gauge = make_device(w, "WL-1", "water_level", building=w.b21, place="下立交")
    ingest([event(lift, "e1", "ebike_in_elevator", image=jpeg()), event(lift, "e2", "ebike_in_elevator"),
            heartbeat(gauge, battery=50),
            Message(topic="jiedao/310107005/GHOST-1/event", payload=b'{"id": "x", "type": "smoke"}')])
    return w, lift, gauge, Alarm.objects.get(device=lift)


def test_the_alarm_queue_shows_the_merged_alarm_with_its_case(login, scene):
    w, _lift, _gauge, alarm = scene
    page = login(w.operator).get("/sensing/").content.decode()
    assert alarm.external_id in page and alarm.case.number in page and "EV-1" in page
    assert f'data-number="{alarm.external_id}"' in page
    filtered = login(w.operator).get("/sensing/?type=water_level").content.decode()
    assert alarm.external_id not in filtered


def test_one_alarm_shows_its_events_evidence_and_command(login, scene):
    w, _lift, _gauge, alarm = scene
    page = login(w.operator).get(f"/sensing/alarms/{alarm.external_id}/").content.decode()
    assert "e1" in page and "e2" in page and "hold_and_warn" in page
    image = Event.objects.get(event_id="e1").image
    assert f"/sensing/images/{image.token}" in page
    response = login(w.operator).get(f"/sensing/images/{image.token}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert login(w.other_operator).get(f"/sensing/images/{image.token}").status_code == 404


def test_the_operator_marks_an_alarm_false_from_its_page(login, scene):
    w, _lift, _gauge, alarm = scene
    client = login(w.operator)
    response = client.post(f"/sensing/alarms/{alarm.external_id}/false/", {"note": "保洁推车，非电瓶车"})
    assert response.status_code == 302
    alarm.refresh_from_db()
    assert alarm.false_alarm is True and alarm.case.status == Status.CANCELLED
    assert "误报" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("persona", ["grid_worker", "social_worker", "handler", "resident", "auditor"])
def test_the_sensing_pages_refuse_roles_without_sensing(login, scene, persona):
    w, _lift, _gauge, alarm = scene
    client = login(getattr(w, persona))
    for url in ("/sensing/", f"/sensing/alarms/{alarm.external_id}/", "/sensing/devices/", "/sensing/devices/map/",
                "/sensing/devices/points/", "/sensing/figures/", "/sensing/rules/"):
        assert client.get(url).status_code == 403, url


def test_another_subdistricts_operator_gets_404_for_this_ones_alarm_and_device(login, scene):
    w, _lift, _gauge, alarm = scene
    client = login(w.other_operator)
    assert client.get(f"/sensing/alarms/{alarm.external_id}/").status_code == 404
    assert client.get("/sensing/devices/EV-1/").status_code == 404
    assert "EV-1" not in client.get("/sensing/devices/").content.decode()


def test_devices_list_and_map_points_with_their_health(login, scene):
    w, _lift, _gauge, _alarm = scene
    client = login(w.leader)
    page = client.get("/sensing/devices/?health=online").content.decode()
    assert 'data-code="EV-1"' in page and 'data-code="WL-1"' in page
    points = json.loads(client.get("/sensing/devices/points/?type=water_level").content)["points"]
    assert [(p["code"], p["health"], p["type"]) for p in points] == [("WL-1", "online", "water_level")]
    assert "下立交" in client.get("/sensing/devices/WL-1/").content.decode()


def test_only_an_admin_sees_a_devices_secret_and_the_reveal_is_audited(login, scene):
    w, lift, _gauge, _alarm = scene
    assert login(w.operator).post("/sensing/devices/EV-1/secret/").status_code == 403
    response = login(w.admin).post("/sensing/devices/EV-1/secret/", {"reason": "配置厂商"})
    assert lift.secret in response.content.decode() and response["Cache-Control"] == "no-store"
    assert AuditLog.objects.filter(action="reveal", field="secret", object_id=str(lift.pk)).exists()


def test_the_admin_edits_a_rule_and_bad_input_is_shown_on_its_row(login, scene):
    w, *_ = scene
    client = login(w.admin)
    ok = client.post("/sensing/rules/", {"type": "water_level", "water_level-enabled": "on",
                                         "water_level-threshold": "25", "water_level-duration_seconds": "120",
                                         "water_level-merge_minutes": "30", "water_level-opens_case": "on"})
    assert ok.status_code == 302
    rule = AlarmRule.objects.get(subdistrict=w.sub, type__code="water_level")
    assert (rule.threshold, rule.duration_seconds, rule.merge_minutes) == (25, 120, 30)
    bad = client.post("/sensing/rules/", {"type": "door_held_open", "door_held_open-enabled": "on",
                                          "door_held_open-quiet_start": "22:00",
                                          "door_held_open-merge_minutes": "10"})
    assert bad.status_code == 422 and "免告警时段须同时填写开始和结束" in bad.content.decode()
    assert login(w.operator).post("/sensing/rules/", {"type": "smoke"}).status_code == 403
    assert "data-type=\"smoke\"" in login(w.operator).get("/sensing/rules/").content.decode()  # read only


def test_the_admin_replays_a_dead_letter_after_registering_the_device(login, scene):
    w, *_ = scene
    client = login(w.admin)
    letter = DeadLetter.objects.get()
    assert "GHOST-1" in client.get("/sensing/dead-letters/").content.decode()
    make_device(w, "GHOST-1", "smoke")
    response = client.post(f"/sensing/dead-letters/{letter.pk}/replay/", follow=True)
    assert "已入库" in response.content.decode()
    assert DeadLetter.objects.get().resolved and Event.objects.filter(event_id="x").exists()
    assert login(w.operator).get("/sensing/dead-letters/").status_code == 403


def test_the_import_page_reports_row_errors_and_imports(login, scene):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiedao.sensing.services.devices import COLUMNS

    w, *_ = scene
    data = ",".join(COLUMNS) + f"\nSM-1,烟感,,,,{w.b12.code},,,,,,,,\nbad!,烟感,,,,,,,,,,,,\n"
    client = login(w.admin)
    response = client.post("/sensing/devices/import/", {"file": SimpleUploadedFile("d.csv", data.encode())})
    page = response.content.decode()
    assert "data-testid=\"errors\"" in page and "设备编码只能由" in page
    assert not w.sub.pk or not Event.objects.filter(device__code="SM-1").exists()
    assert client.get("/sensing/devices/import/template.xlsx").status_code == 200
    assert login(w.operator).get("/sensing/devices/import/").status_code == 403


def test_the_department_sees_and_closes_its_maintenance_task(clock, login, scene):
    w, lift, _gauge, _alarm = scene
    clock.advance(days=1, minutes=20)
    check_health()
    clock.advance(days=1, minutes=20)
    check_health()
    task = MaintenanceTask.objects.get(device=lift)
    handler = login(w.wygs_handler)
    page = handler.get("/sensing/maintenance/").content.decode()
    assert 'data-device="EV-1"' in page and 'data-device="WL-1"' not in page  # the gauge has no department
    assert handler.post(f"/sensing/maintenance/{task.pk}/done/", {"note": "已更换网关"}).status_code == 302
    task.refresh_from_db()
    assert task.closed_at is not None and task.note == "已更换网关"
    assert login(w.handler).get("/sensing/maintenance/").content.decode().count("data-device=") == 0


def test_figures_page_counts_alarms_and_devices(login, scene):
    w, *_ = scene
    page = login(w.leader).get("/sensing/figures/?days=7").content.decode()
    assert "电瓶车入梯" in page and 'data-testid="summary"' in page and "<svg" in page


def test_passes_are_issued_from_the_household_file_and_the_holder_invites_a_visitor(login, client, sensing_world):
    w = sensing_world
    household = registry.register_household(building=w.b21, room="101", by=w.social_worker)
    resident = registry.add_resident(household=household, by=w.social_worker, name="林老伯",
                                     id_number=make_id_number(dt.date(1945, 5, 5), sex="M"))
    worker = login(w.social_worker)
    file_page = household_section(w.social_worker, household)  # as the registry's household file draws it
    assert 'data-testid="issue-pass"' in file_page and "林老伯" in file_page
    assert "issue-pass" not in household_section(w.leader, household)  # reads, does not issue
    assert household_passes_context(user=w.operator, household=household) is not None
    issued = worker.post("/sensing/passes/issue/", {"household": household.pk, "resident": resident.pk})
    assert issued.status_code == 302
    page = worker.get(issued["Location"]).content.decode()
    assert 'data-testid="qr"' in page and 'data-testid="holder-link"' in page
    holder_url = page.split('class="holder-link mono">')[1].split("<")[0]
    assert "data-testid=\"holder-link\"" not in worker.get(issued["Location"]).content.decode()  # shown once
    client.logout()
    holder = client.get(holder_url)
    assert holder.status_code == 200 and "林老伯" not in holder.content.decode()
    assert holder["Referrer-Policy"] == "no-referrer"
    assert "已注销" not in household_section(w.social_worker, household)
    invited = client.post(holder_url, {"day": timezone.localdate().isoformat(), "label": "亲友来访"})
    assert invited.status_code == 200 and 'data-testid="visitor"' in invited.content.decode()
    assert AccessPass.objects.filter(kind="visitor").count() == 1
    assert client.get("/sensing/pass/not-a-key/").status_code == 404
    # A social worker of another 居委 cannot issue for this household.
    assert login(w.grid_worker).post("/sensing/passes/issue/", {"household": household.pk,
                                                               "resident": resident.pk}).status_code == 404


def test_the_pages_read_in_english_shipped_types_and_commands_included(login, scene):
    from django.conf import settings
    from django.utils import translation

    from jiedao.sensing import defaults

    w, _lift, _gauge, alarm = scene
    client = login(w.operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    queue = client.get("/sensing/").content.decode()
    assert "Sensor alarms" in queue and "E-bike taken into a lift" in queue and "物联感知告警" not in queue
    detail = client.get(f"/sensing/alarms/{alarm.external_id}/").content.decode()
    assert "Hold the door open and play a voice warning" in detail
    with translation.override("en"):
        untranslated = [n for _c, n, *_rest in defaults.TYPES if translation.gettext(n) == n]
        untranslated += [n for n in defaults.COMMANDS.values() if translation.gettext(n) == n]
    assert untranslated == []
