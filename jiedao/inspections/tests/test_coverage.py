"""Missed rounds (漏检) and coverage per grid, point and person over a window's whole periods."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.inspections import selectors, services
from jiedao.inspections.models import Check
from jiedao.inspections.tests.conftest import all_pass, client_id

pytestmark = pytest.mark.django_db


def checked_on(w, user, point, day: dt.date):
    token = services.label_token(point)
    form = services.open_scan(by=user, token=token)
    check = services.submit_check(by=user, token=token, client_id=client_id(), results=all_pass(form)).check
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Check.objects.filter(pk=check.pk).update(at=at)


def test_a_week_without_a_check_is_missed_and_lowers_coverage(insp_world):
    w = insp_world
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    weeks = [monday - dt.timedelta(weeks=n) for n in (3, 2, 1)]
    w.round.starts_on = weeks[0]
    w.round.save()
    second = services.create_point(by=w.head, kind=w.stairwell, code="LD-0002", name="6号楼道", building=w.b12)
    w.round.points.add(second)
    w.round.assignees.add(w.head)
    checked_on(w, w.grid_worker, w.point, weeks[0] + dt.timedelta(days=1))
    checked_on(w, w.grid_worker, w.point, weeks[2] + dt.timedelta(days=4))
    checked_on(w, w.head, second, weeks[1])
    start, end = weeks[0], monday - dt.timedelta(days=1)
    missed = selectors.missed_rounds(user=w.head, start=start, end=end)
    assert sorted((m.point.code, m.start) for m in missed) == [
        ("LD-0001", weeks[1]), ("LD-0002", weeks[0]), ("LD-0002", weeks[2])]
    by_point = {c.label.split()[0]: (c.expected, c.done) for c in
                selectors.coverage(user=w.head, start=start, end=end, by="point")}
    assert by_point == {"LD-0001": (3, 2), "LD-0002": (3, 1)}
    by_grid = {c.key: (c.expected, c.done, c.rate) for c in
               selectors.coverage(user=w.head, start=start, end=end, by="grid")}
    assert by_grid == {str(w.g11.pk): (3, 2, 0.667), str(w.g12.pk): (3, 1, 0.333)}
    by_person = selectors.coverage(user=w.head, start=start, end=end, by="person")
    assert [(c.label, c.expected, c.done) for c in by_person] == [
        (w.head.display_name, 6, 1), (w.grid_worker.display_name, 6, 2)]


def test_the_current_period_is_not_missed_yet(insp_world):
    w = insp_world
    today = timezone.localdate()
    assert selectors.missed_rounds(user=w.head, start=today - dt.timedelta(days=today.weekday()), end=today) == []
