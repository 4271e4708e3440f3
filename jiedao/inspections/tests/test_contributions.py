"""What the app offers above it: the safety index's failed-item events and planning's elements."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.core.contributions import planning_elements, safety_factors
from jiedao.inspections import services
from jiedao.inspections.tests.conftest import all_pass, client_id

pytestmark = pytest.mark.django_db


def test_failed_items_are_safety_events_placed_and_linked(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    out = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(),
                                results=all_pass(form, flying_wire=False, clutter=False))
    today = timezone.localdate()
    factor = safety_factors.get("inspections.failed_items")
    events = factor.events(subdistrict_id=w.sub.pk, start=today, end=today)
    assert sorted(e.label for e in events) == ["LD-0001 堆物", "LD-0001 飞线充电"]
    assert {(e.community_id, e.grid_id, e.url, e.weight) for e in events} == {
        (w.c1.pk, w.g11.pk, f"/inspections/checks/{out.check.pk}/", 1.0)}
    assert factor.events(subdistrict_id=w.other_sub.pk, start=today, end=today) == []
    assert factor.events(subdistrict_id=w.sub.pk, start=today - dt.timedelta(days=9),
                         end=today - dt.timedelta(days=1)) == []


def test_planning_counts_checks_failed_items_and_rooms(insp_world):
    w = insp_world
    services.create_room(by=w.head, building=w.b11, name="一村厢房", hours=[], bins={})
    form = services.open_scan(by=w.grid_worker, token=w.token)
    services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(),
                          results=all_pass(form, lighting=False))
    today = timezone.localdate()
    count = {code: planning_elements.get(code).compute(subdistrict_id=w.sub.pk, start=today, end=today)
             for code in ("inspections.checks", "inspections.failed_items", "inspections.garbage_rooms")}
    assert count == {"inspections.checks": 1, "inspections.failed_items": 1, "inspections.garbage_rooms": 1}
