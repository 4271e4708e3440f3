"""The demo's 物联感知: a few thousand devices at full scale (here a tenth), their health, the alarm behind
each sensor case whose category has a sensor type, routine traffic, dead letters and passes."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from jiedao.cases import defaults as case_defaults
from jiedao.cases.models import Case, Channel, Status
from jiedao.demo import caoyang
from jiedao.demo import cases as demo_cases
from jiedao.demo import sensing as demo_sensing
from jiedao.demo.builder import DemoBuilder
from jiedao.sensing import selectors
from jiedao.sensing.models import (
    AccessPass,
    Alarm,
    Command,
    DeadLetter,
    Device,
    Event,
    MaintenanceTask,
)
from jiedao.sensing.services import passes


@pytest.fixture
def demo_caoyang(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    builder = DemoBuilder(scale=0.1, log=lambda line: None)
    sub = builder.build_subdistrict(caoyang.SUBDISTRICT, caoyang.AREAS, caoyang.GRID_SPLIT, caoyang.ROADS,
                                    caoyang.ROAD_ALIASES, caoyang.BUILDINGS_PER_COMMUNITY)
    builder.build_households(sub)
    builder.build_departments(sub)
    case_defaults.install(subdistrict=sub)
    demo_cases.generate(subdistrict=sub, count=800, seed=3, now=timezone.now())
    started = time.perf_counter()
    counts = demo_sensing.build(builder=builder, subdistrict=sub)
    return sub, counts, time.perf_counter() - started


def test_the_demo_registers_its_devices_with_places_types_and_health(demo_caoyang):
    sub, counts, seconds = demo_caoyang
    devices = Device.objects.filter(subdistrict=sub)
    assert counts["sensing_devices"] == devices.count() > 200  # ~3,500 at full scale
    assert not devices.filter(community__isnull=True).exists() and not devices.filter(lat__isnull=True).exists()
    kinds = {code[:2] for code in devices.values_list("code", flat=True)}
    assert {"SM", "CY", "EV", "GB", "MJ", "XF", "WL", "JG", "RQ"} <= kinds
    assert set(devices.get(code="EV-00001").types.values_list("code", flat=True)) == {"ebike_in_elevator",
                                                                                       "elevator_trapped"}
    assert seconds < 10
    # Most are online; those offline for a day have their maintenance task.
    online = devices.filter(online=True).count()
    assert online / devices.count() > 0.9 and devices.filter(online=False).exists()
    day_ago = timezone.now() - dt.timedelta(days=1)
    long_offline = set(devices.filter(online=False, offline_since__lte=day_ago).values_list("pk", flat=True))
    tasks = set(MaintenanceTask.objects.filter(subdistrict=sub, reason="offline").values_list("device_id", flat=True))
    assert long_offline == tasks


def test_each_sensor_case_of_a_covered_category_has_the_alarm_that_opened_it(demo_caoyang):
    sub, _counts, _seconds = demo_caoyang
    covered = Case.objects.filter(subdistrict=sub, channel=Channel.SENSOR,
                                  category__name__in=list(demo_sensing.CASE_TYPES))
    assert covered.exists()
    assert Alarm.objects.filter(subdistrict=sub).count() == covered.count()
    for alarm in Alarm.objects.filter(subdistrict=sub).select_related("case", "type", "device"):
        assert demo_sensing.CASE_TYPES[alarm.case.category.name] == alarm.type.code
        assert alarm.type.code in set(alarm.device.types.values_list("code", flat=True))
        assert Event.objects.filter(alarm=alarm).count() == alarm.count
        assert alarm.false_alarm == (alarm.case.status == Status.CANCELLED and alarm.case.duplicate_of_id is None
                                     if alarm.closed_at else None)
    assert Command.objects.filter(subdistrict=sub, status="acked").exists()
    # The figures and pages have something to show.
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.testing import make_user

    operator = make_user("operator", role=Role.OPERATOR, subdistrict=sub, level=ScopeLevel.SUBDISTRICT)
    figures = selectors.figures(user=operator, days=365)
    assert figures.alarms > 0 and figures.online_rate > 90 and figures.false_known > 0
    assert DeadLetter.objects.filter(subdistrict=sub, resolved=False).count() == 4
    assert Event.objects.filter(subdistrict=sub, type__code="pass_granted").count() > 1000


def test_demo_passes_verify_at_their_estates_gate_and_a_reset_removes_the_rows(demo_caoyang):
    sub, _counts, _seconds = demo_caoyang
    valid = AccessPass.objects.filter(subdistrict=sub, kind="resident", revoked_at=None).first()
    verdict = passes.verify(passes.token(valid), key=passes.public_key(), estate_code=valid.estate_code)
    assert verdict.granted
    revoked = [p for p, _at in passes.revocation_list(subdistrict_id=sub.pk)]
    assert len(revoked) == 1 and AccessPass.objects.filter(kind="visitor").exists()
    # The demo's reset removes the sensing rows before their buildings and households.
    demo_sensing.delete_for_reset(subdistricts=[sub])
    assert not Device.objects.filter(subdistrict=sub).exists() and not Event.objects.exists()
    assert not AccessPass.objects.exists()
