"""平安指数 months: a closed month counted once and stored (``SafetyMonth``), an open month counted from its
events at every look, and both giving the same index. The hand-made factors and residents of
``test_safety_index`` (c1: 200 residents in g11, c2: 500 in g21; cases 60 points full at 10 ‰, alarms 20 full
at 5 ‰, trend 20 full at a rise of 10 points)."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.core.contributions import safety_factors
from jiedao.inspections.models import SafetyMonth, SafetyWeight
from jiedao.inspections.safety import counts, index
from jiedao.inspections.tests.test_safety_index import MARCH, build_history, event, factor, residents
from jiedao.registry.models import Resident

pytestmark = pytest.mark.django_db

FEBRUARY = dt.date(2026, 2, 1)


def c1_of(result: index.MonthIndex, world) -> index.AreaScore:
    return next(a for a in result.communities if a.id == world.c1.pk)


def as_figures(results: list[index.MonthIndex]) -> list:
    """Everything a page or the API shows of the index, events included."""
    return [(m.month, m.unplaced, [s.code for s in m.missing],
             [(a.level, a.id, a.residents, a.score, a.previous_score, a.trend_deduction, a.rise,
               [(f.spec.code, f.events, f.weighted, f.rate, f.deduction, f.previous,
                 [(e.label, e.url, e.at) for e in f.items]) for f in a.factors])
              for a in [m.subdistrict, *m.communities, *m.grids]])
            for m in results]


def test_a_month_closes_a_week_after_its_end():
    assert not counts.is_closed(MARCH, today=dt.date(2026, 4, 7))
    assert counts.is_closed(MARCH, today=dt.date(2026, 4, 8))
    assert not counts.is_closed(dt.date(2026, 12, 1), today=dt.date(2026, 12, 31))


def test_stored_months_give_the_same_index_as_months_counted_from_their_events(world, monkeypatch):
    history = build_history(world)
    with safety_factors.alone(*history):
        monkeypatch.setattr(counts, "SETTLE_DAYS", 100_000)  # every month open: counted from the events
        live = index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=2)
        assert not SafetyMonth.objects.exists()
        monkeypatch.undo()
        first = index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=2)   # counts and stores
        stored = index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=2)  # reads the rows
    assert sorted(SafetyMonth.objects.values_list("month", flat=True)) == [
        dt.date(2025, 12, 1), dt.date(2026, 1, 1), FEBRUARY, MARCH]
    assert as_figures(first) == as_figures(stored) == as_figures(live)
    assert c1_of(stored[1], world).score == 40.0  # as test_safety_index works it out


def test_a_closed_month_keeps_its_stored_counts_until_its_row_is_deleted(world):
    cases, alarms = build_history(world)
    late = [event(dt.date(2026, 3, 20), community=world.c1, grid=world.g11, label="late")]
    with safety_factors.alone(cases, alarms):
        [stored] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    # A case of March reported after March was stored: the month stays as it was counted.
    cases_now = factor("test.cases", [*cases.events(subdistrict_id=world.sub.pk, start=dt.date(2000, 1, 1),
                                                    end=dt.date(2026, 3, 31)), *late])
    with safety_factors.alone(cases_now, alarms):
        [again] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
        assert (c1_of(again, world).score, c1_of(again, world).factors[1].events) == (40.0, 1)
        # After a correction the administrator deletes the month: it is counted again. c1: cases 2/200 =
        # 10 ‰ → 60 (full); alarms 10; rise 70 → trend 20: 100 − 90 = 10.
        SafetyMonth.objects.filter(month=MARCH).delete()
        [recounted] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    assert (c1_of(recounted, world).score, c1_of(recounted, world).factors[1].events) == (10.0, 2)
    assert c1_of(stored, world).score == 40.0


def test_the_current_month_counts_an_event_as_soon_as_it_is_reported(world):
    today = timezone.localdate()
    residents(world.b11, 200)
    SafetyWeight.objects.create(subdistrict=world.sub, code="test.cases", weight=60, saturation=10)
    reported = []
    with safety_factors.alone(factor("test.cases", reported)):
        [before] = index.compute(subdistrict_id=world.sub.pk, month=today)
        reported.append(event(today, community=world.c1, label="new"))
        [after] = index.compute(subdistrict_id=world.sub.pk, month=today)
    assert SafetyMonth.objects.exists()  # the closed month before last was stored
    assert not SafetyMonth.objects.filter(month=today.replace(day=1)).exists()
    assert (c1_of(before, world).factors[0].events, c1_of(after, world).factors[0].events) == (0, 1)
    assert [e.label for e in c1_of(after, world).factors[0].items] == ["new"]
    # W = 60 + the trend's 15 (full at a rise of 10). The month under way counts its one case as a month's
    # worth: 1/200 = 5 ‰ × days / gone; 60 points are full at 10 ‰; the rise is as large, so the trend's 15
    # are taken whole once the rise reaches 10.
    gone, days = after.days
    assert (gone, days) == (today.day, counts.month_end(today).day)
    taken = 60 * min(1.0, 5 * days / gone / 10)
    taken += 15 * min(1.0, taken / 10)
    expected = round(max(0.0, 100 - taken / 75 * 100), 1)
    assert (c1_of(before, world).score, c1_of(after, world).score) == (100.0, expected)


def test_the_month_under_way_counts_its_events_as_a_months_worth(world, monkeypatch):
    """On the 10th of a 30-day month, 2 events weigh as 6 would in a whole month: an area is not scored safer
    for the days not yet gone, and the change from last month compares like with like."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 10))
    residents(world.b11, 200)
    SafetyWeight.objects.create(subdistrict=world.sub, code="test.cases", weight=60, saturation=10)
    april = [event(dt.date(2026, 4, d), community=world.c1, label=f"a{d}") for d in (2, 9)]
    march = [event(dt.date(2026, 3, d), community=world.c1, label=f"m{d}") for d in (3, 8, 13, 18, 23, 28)]
    with safety_factors.alone(factor("test.cases", [*march, *april])):
        previous, current = index.compute(subdistrict_id=world.sub.pk, month=dt.date(2026, 4, 1), count=2)
    assert (previous.days, current.days) == (None, (10, 30))
    now, before = c1_of(current, world).factors[0], c1_of(previous, world).factors[0]
    assert (now.events, before.events) == (2, 6)
    assert now.rate == pytest.approx(before.rate) == pytest.approx(6 / 200 * 1000)
    assert c1_of(current, world).factors[0].change == 0.0


def test_weights_changed_after_a_month_was_stored_apply_to_it(world):
    history = build_history(world)
    with safety_factors.alone(*history):
        index.compute(subdistrict_id=world.sub.pk, month=MARCH)
        SafetyWeight.objects.filter(code="test.cases").update(weight=30)
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    # W = 30 + 20 + 20 = 70. c1: cases 5 ‰ → 15; alarms 10; rise 25 → trend 20: 100 × (1 − 45/70) = 35.7.
    assert c1_of(march, world).score == 35.7


def test_a_factor_counted_later_is_added_to_the_stored_months(world):
    cases, alarms = build_history(world)
    with safety_factors.alone(cases):
        index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    assert set(SafetyMonth.objects.get(month=MARCH).factors) == {"test.cases"}
    with safety_factors.alone(cases, alarms):
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    assert set(SafetyMonth.objects.get(month=MARCH).factors) == {"test.cases", "test.alarms"}
    assert c1_of(march, world).score == 40.0


def test_the_trend_of_stored_months_takes_the_same_few_queries_for_any_number_of_months(
        world, django_assert_num_queries):
    history = build_history(world)
    with safety_factors.alone(*history):
        index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=12, keep_events=False)
        # The weights, the 居委, the grids and the months' rows.
        with django_assert_num_queries(4):
            months = index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=12, keep_events=False)
        with django_assert_num_queries(4):
            index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=3, keep_events=False)
    assert [c1_of(m, world).score for m in months][-2:] == [100.0, 40.0]


def test_a_resident_moving_out_counts_at_once_in_the_open_month(world):
    residents(world.b11, 200)
    with safety_factors.alone(factor("test.cases", [])):
        [before] = index.compute(subdistrict_id=world.sub.pk, month=timezone.localdate())
        leaving = Resident.objects.filter(household__building=world.b11).first()
        leaving.moved_out_on = timezone.localdate()
        leaving.save()
        [after] = index.compute(subdistrict_id=world.sub.pk, month=timezone.localdate())
    assert (c1_of(before, world).residents, c1_of(after, world).residents) == (200, 199)


def test_the_ranking_and_the_api_say_when_a_closed_month_was_counted(world, login):
    history = build_history(world)
    with safety_factors.alone(*history):
        march = login(world.leader).get("/safety/?month=2026-03").content.decode()
        march_api = login(world.leader).get("/api/v1/safety/index?month=2026-03").json()
        now_api = login(world.leader).get("/api/v1/safety/index").json()
        now = login(world.leader).get("/safety/").content.decode()
    stored = SafetyMonth.objects.get(month=MARCH).counted_at
    shown = march[march.index('data-testid="counted-at"'):]
    assert f"{timezone.localtime(stored):%Y-%m-%d %H:%M}" in shown[:200] and "已结账" in shown[:200]
    assert march_api["counted_at"] is not None and now_api["counted_at"] is None
    assert "实时" in now[now.index('data-testid="counted-at"'):][:100]
