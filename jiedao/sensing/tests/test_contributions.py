"""What sensing offers planning and the household file, counted by their stated definitions."""

import datetime as dt

from django.utils import timezone

from jiedao.core.contributions import household_sections, planning_elements
from jiedao.sensing.models import Alarm
from jiedao.sensing.services import ingest
from jiedao.sensing.tests.conftest import event, make_device


def test_planning_elements_count_devices_alarms_false_alarms_and_connected_garbage_rooms(sensing_world):
    w = sensing_world
    lift = make_device(w, "EV-1", "ebike_in_elevator")
    bins = [make_device(w, f"GB-{i}", "garbage_overflow", place=place)
            for i, place in enumerate(["1号垃圾厢房", "1号垃圾厢房", "2号垃圾厢房"])]
    make_device(w, "GB-9", "garbage_overflow", place="3号垃圾厢房")  # never reported
    now = timezone.now() - dt.timedelta(minutes=1)
    ingest([event(lift, "a", "ebike_in_elevator", at=now), *(event(b, "g", "garbage_overflow", at=now) for b in bins)],
           open_cases=False)
    Alarm.objects.filter(device=lift).update(false_alarm=True)
    today = timezone.localdate()
    span = {"subdistrict_id": w.sub.pk, "start": today - dt.timedelta(days=30), "end": today}
    counts = {code: planning_elements.get(code).compute(**span) for code in
              ("sensing.devices", "sensing.alarms", "sensing.false_alarms", "sensing.garbage_rooms_connected")}
    alarms = Alarm.objects.filter(subdistrict=w.sub).count()  # the bins alarm too, unless in their quiet hours
    assert counts == {"sensing.devices": 5, "sensing.alarms": alarms, "sensing.false_alarms": 1,
                      "sensing.garbage_rooms_connected": 2}
    other = {"subdistrict_id": w.other_sub.pk, "start": span["start"], "end": today}
    assert planning_elements.get("sensing.alarms").compute(**other) == 0


def test_the_household_file_gets_a_passes_section_for_registry_readers_only(sensing_world):
    section = household_sections.get("sensing.passes")
    assert section is not None and section.template == "sensing/household_passes.html"
    from jiedao.registry import services as registry

    household = registry.register_household(building=sensing_world.b21, room="201", by=sensing_world.social_worker)
    assert section.context(user=sensing_world.handler, household=household) is None
    assert section.data(user=sensing_world.social_worker, household=household) == []
