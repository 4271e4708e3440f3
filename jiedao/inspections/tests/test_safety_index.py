"""平安指数 from hand-made factor events (``safety_factors.alone``), worked out by hand in the comments."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from jiedao.core.contributions import SafetyEvent, SafetyFactor, safety_factors
from jiedao.core.validators import id_check_digit
from jiedao.inspections.models import TREND, SafetyWeight
from jiedao.inspections.safety import index
from jiedao.registry.models import Household, Resident

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


_ids = itertools.count(1)


def id_number() -> str:
    """A valid ID number, different on every call."""
    i = next(_ids)
    first17 = f"310107{dt.date(1950, 1, 1) + dt.timedelta(days=i):%Y%m%d}{i % 1000:03d}"
    return first17 + id_check_digit(first17)


def residents(building, n: int, *, moved_in_on=None):
    household = Household.objects.create(subdistrict=building.subdistrict, building=building, room=str(n),
                                         code=f"S{building.pk}-{n}")
    Resident.objects.bulk_create([
        Resident(subdistrict=building.subdistrict, household=household, name="居民", sex="F",
                 birth_date=dt.date(1970, 1, 1), id_number=id_number(),
                 moved_in_on=moved_in_on)
        for _ in range(n)])


def factor(code: str, events: list[SafetyEvent]) -> SafetyFactor:
    def give(*, subdistrict_id, start, end):
        return [e for e in events if start <= timezone.localtime(e.at).date() <= end]

    return SafetyFactor(code=code, name=code, definition="", source="test", events=give)


def event(day: dt.date, *, community=None, grid=None, weight: float = 1.0, label: str = "e") -> SafetyEvent:
    return SafetyEvent(at=at(day), community_id=community.pk if community else None,
                       grid_id=grid.pk if grid else None, label=label, url=f"/x/{label}/", weight=weight)


@pytest.fixture
def history(world):
    return build_history(world)


def build_history(world) -> tuple[SafetyFactor, SafetyFactor]:
    """c1: 200 residents (all in g11); c2: 500 (all in g21). Weights: cases 60 (full at 10 ‰), alarms 20
    (full at 5 ‰), trend 20 (full at a rise of 10 points): W = 100."""
    residents(world.b11, 200)
    residents(world.b21, 500)
    for code, weight, saturation in (("test.cases", 60, 10), ("test.alarms", 20, 5), (TREND, 20, 10)):
        SafetyWeight.objects.create(subdistrict=world.sub, code=code, weight=weight, saturation=saturation)
    feb = dt.date(2026, 2, 10)
    cases = [
        event(dt.date(2026, 3, 5), community=world.c1, grid=world.g11, label="C1"),   # c1, g11
        event(dt.date(2026, 3, 6), grid=world.g22, label="C2"),                       # c2 by its grid
        event(dt.date(2026, 3, 7), grid=world.g22, label="C3"),
        event(dt.date(2026, 3, 8), label="C4"),                                        # placed nowhere
        *[event(feb, community=world.c2, grid=world.g22, label=f"F{i}") for i in range(3)],
    ]
    alarms = [event(dt.date(2026, 3, 9), community=world.c1, weight=0.5, label="A1")]
    return factor("test.cases", cases), factor("test.alarms", alarms)


def test_the_index_matches_the_hand_computed_scores(world, history):
    with safety_factors.alone(*history):
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    c = {a.id: a for a in march.communities}
    # c1: cases 1/200 = 5 ‰ → 60 × 0.5 = 30; alarms 0.5/200 = 2.5 ‰ → 20 × 0.5 = 10; February took 0, so the
    # rise of 40 takes the whole trend (20): 100 − 60 = 40.
    c1 = c[world.c1.pk]
    assert (c1.residents, c1.score, c1.trend_deduction) == (200, 40.0, 20.0)
    assert {f.spec.code: round(f.deduction, 2) for f in c1.factors} == {"test.cases": 30.0, "test.alarms": 10.0}
    # c2: March 2/500 = 4 ‰ → 24; February 3/500 = 6 ‰ → 36, a fall: no trend. 100 − 24 = 76. February's own
    # score: 36 and a rise of 36 from January (0) → trend 20: 44. So March moved it by +32.
    c2 = c[world.c2.pk]
    assert (c2.score, c2.previous_score, c2.change, c2.trend_deduction) == (76.0, 44.0, 32.0, 0.0)
    assert [f.spec.code for f in c2.moved_by] == ["test.cases"]
    assert [round(f.change, 1) for f in c2.moved_by] == [-12.0]
    # The ranking, best first.
    assert [a.id for a in march.communities] == [world.c2.pk, world.c1.pk]
    # Grids: g22 has no residents, counted as 100: 2/100 = 20 ‰ → 60 (full) in both months: 40.
    g = {a.id: a for a in march.grids}
    assert g[world.g22.pk].score == 40.0
    # g11: cases 30 (the alarm was placed in the 居委 only), a rise of 30 → trend 20: 50.
    assert g[world.g11.pk].score == 50.0
    # The subdistrict counts the unplaced case: 4/700 → 60 × 0.5714 = 34.29; alarms 0.5/700 → 2.86;
    # February 3/700 → 25.71; rise 11.43 → trend 20: 100 − 57.14 = 42.9.
    assert (march.subdistrict.residents, march.subdistrict.score, march.unplaced) == (700, 42.9, 1)


def test_each_score_links_to_the_events_behind_it(world, history):
    with safety_factors.alone(*history):
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    c1 = next(a for a in march.communities if a.id == world.c1.pk)
    items = {f.spec.code: [(e.label, e.url) for e in f.items] for f in c1.factors}
    assert items == {"test.cases": [("C1", "/x/C1/")], "test.alarms": [("A1", "/x/A1/")]}


def test_factors_not_installed_are_named_and_left_out_of_the_scale(world, history):
    cases, _alarms = history
    with safety_factors.alone(cases):
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    missing = {s.code for s in march.missing}
    assert {"test.alarms", "cases.safety_cases", "sensing.alarms", "visits.high_risk",
            "inspections.failed_items"} <= missing
    # W = 60 + 20 = 80: c1 loses 30 (cases) and 20 (trend, a rise of 30) → 100 × (1 − 50/80) = 37.5.
    c1 = next(a for a in march.communities if a.id == world.c1.pk)
    assert c1.score == 37.5


def test_a_disabled_factor_counts_for_nothing(world, history):
    SafetyWeight.objects.filter(code="test.alarms").update(enabled=False)
    with safety_factors.alone(*history):
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    c1 = next(a for a in march.communities if a.id == world.c1.pk)
    assert [f.spec.code for f in c1.factors] == ["test.cases"]
    assert c1.score == 37.5
    assert "test.alarms" not in {s.code for s in march.missing}


def test_residents_are_counted_at_each_month_end(world, history):
    residents(world.b12, 100, moved_in_on=dt.date(2026, 3, 20))  # 100 more in c1 (g12) from 20 March
    with safety_factors.alone(*history):
        feb, march = index.compute(subdistrict_id=world.sub.pk, month=MARCH, count=2, keep_events=False)
    assert [a.residents for a in feb.communities if a.id == world.c1.pk] == [200]
    c1 = next(a for a in march.communities if a.id == world.c1.pk)
    # 300 residents: cases 1/300 = 3.33 ‰ → 20; alarms 0.5/300 = 1.67 ‰ → 6.67; rise 26.67 → trend 20: 53.3.
    assert (c1.residents, c1.score, c1.previous_score) == (300, 53.3, 100.0)
    assert all(not f.items for f in c1.factors)


def test_a_subdistrict_without_residents_or_events_scores_full_marks(world):
    with safety_factors.alone(factor("test.cases", [])):
        [march] = index.compute(subdistrict_id=world.sub.pk, month=MARCH)
    assert march.subdistrict.score == 100.0 and march.subdistrict.residents == 0
    assert [a.score for a in march.communities] == [100.0, 100.0]
