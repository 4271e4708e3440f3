"""Coverage per type and circle, weighted by residents and by residents aged 60+, per 居委 and 片区."""

import datetime as dt

import pytest

from jiedao.facilities import selectors, services
from jiedao.facilities.circles import CIRCLES
from jiedao.facilities.engine import engine_for
from jiedao.facilities.models import AccessSettings, BuildingAccess, Facility, FacilityType
from jiedao.facilities.network.lines import Line
from jiedao.facilities.tests.conftest import at


@pytest.fixture
def meal_town(town, world):
    """A 助餐点 at 100 m; buildings at 0 m (70, 30 years old), 300 m (65) and 700 m (80, 20, 20) in 兰溪园."""
    town.street()
    near = town.building(0, (70, 30))
    middle = town.building(300, (65,))
    far = town.building(700, (80, 20, 20), grid=world.g21)
    point = town.facility("meal_point", 100, name="兰溪路长者食堂")
    return near, middle, far, point


def meal(world, user, within=None, circle=None):
    return selectors.type_coverage(user=user, subdistrict=world.sub, within=within, circle=circle,
                                   facility_type=FacilityType.objects.get(code="meal_point"))


def row(result, building):
    return next(b for b in result.buildings if b["building"] == building.pk)


def test_a_building_is_covered_when_its_walk_to_the_nearest_open_facility_is_within_the_circle(meal_town, world):
    near, middle, far, point = meal_town
    result = meal(world, world.operator)  # 社区助餐点: the seed's 500 m circle
    assert result.within_m == 500
    assert row(result, near) == {"building": near.pk, "facility": point.pk, "distance_m": pytest.approx(110, abs=0.2),
                                 "covered": True}
    assert row(result, middle)["distance_m"] == pytest.approx(210, abs=0.2) and row(result, middle)["covered"]
    assert row(result, far)["distance_m"] == pytest.approx(610, abs=0.2) and not row(result, far)["covered"]


def test_an_elderly_service_is_weighted_by_residents_aged_60_and_over(meal_town, world):
    result = meal(world, world.operator)
    # Residents: 2 + 1 covered of 6; aged 60+: 70 and 65 covered, 80 not.
    assert (result.total.covered_residents, result.total.residents) == (3, 6)
    assert (result.total.covered_elderly, result.total.elderly) == (2, 3)
    assert result.total.elderly_rate == 66.7 and result.total.resident_rate == 50.0
    assert result.total.rate(elderly=result.type.elderly) == 66.7


def test_coverage_is_given_per_community_and_per_area(meal_town, world):
    result = meal(world, world.operator)
    by_community = {t.key: t for t in result.by_community}
    assert by_community[world.c1.pk].elderly_rate == 100.0
    assert by_community[world.c2.pk].elderly_rate == 0.0 and by_community[world.c2.pk].uncovered_residents == 3
    by_area = {t.key: t.name for t in result.by_area}
    assert by_area == {world.area1.pk: "武宁片区", world.area2.pk: "梅岭北片区"}


def test_minutes_become_metres_at_the_elderlys_slower_speed_for_elderly_services(meal_town, world):
    near, middle, _far, _point = meal_town
    assert meal(world, world.operator, circle="5min").within_m == 5 * 55
    AccessSettings.objects.create(subdistrict=world.sub, elderly_speed=40, adult_speed=80)
    result = meal(world, world.operator, circle="5min")
    assert result.within_m == 200  # 5 minutes at 40 m a minute
    assert row(result, near)["covered"] and not row(result, middle)["covered"]
    party = selectors.type_coverage(user=world.operator, subdistrict=world.sub, circle="5min",
                                    facility_type=FacilityType.objects.get(code="party_station"))
    assert party.within_m == 400  # not an elderly service: the adults' speed


def test_a_building_in_a_part_of_the_network_without_facilities_is_unreachable(town, world):
    town.street(300, Line([at(1000, 100), at(1100, 100)], "estate_path", "孤立小路"))
    island = town.building(1050, (75,), y=110)
    town.facility("meal_point", 50)
    result = meal(world, world.operator, within=100_000)
    assert row(result, island) == {"building": island.pk, "facility": None, "distance_m": None, "covered": False}
    gaps = selectors.uncovered_buildings(user=world.operator, subdistrict=world.sub, within=100_000,
                                         facility_type=FacilityType.objects.get(code="meal_point"))
    assert [(g["id"], g["reason"]) for g in gaps if g["residents"]] == [(island.pk, "disconnected")]


def test_the_gap_list_puts_the_buildings_with_the_most_elderly_residents_first(town, world):
    town.street()
    town.facility("meal_point", 0)
    a = town.building(800, (30, 30, 30, 30))
    b = town.building(900, (61, 62))
    c = town.building(1000, (90, 20, 20))
    gaps = selectors.uncovered_buildings(user=world.operator, subdistrict=world.sub, within=500,
                                         facility_type=FacilityType.objects.get(code="meal_point"))
    assert [g["id"] for g in gaps if g["residents"]] == [b.pk, c.pk, a.pk]
    assert gaps[0]["elderly"] == 2 and gaps[0]["minutes"] == pytest.approx(910 / 55, abs=0.1)
    park = selectors.uncovered_buildings(user=world.operator, subdistrict=world.sub, within=500,
                                         facility_type=FacilityType.objects.get(code="park"))
    assert [g["id"] for g in park if g["residents"]][:3] == [a.pk, c.pk, b.pk]  # not elderly: by residents
    assert {g["reason"] for g in park if g["residents"]} == {"disconnected"}  # no park anywhere


def test_a_social_worker_sees_the_coverage_of_their_own_community_only(meal_town, world):
    _near, _middle, far, _point = meal_town
    result = meal(world, world.social_worker)  # 兰溪园 (c2)
    assert [b["building"] for b in result.buildings if b["building"] == far.pk] == [far.pk]
    assert {t.key for t in result.by_community} == {world.c2.pk}
    assert (result.total.covered_elderly, result.total.elderly) == (0, 1)


def test_the_stored_distances_follow_the_register(meal_town, world, admin):
    near, _middle, far, point = meal_town
    meal_type = FacilityType.objects.get(code="meal_point")
    stored = BuildingAccess.objects.get(building=near, type=meal_type)
    assert stored.facility_id == point.pk and stored.distance_m == pytest.approx(110, abs=0.2)
    second = services.create_facility(subdistrict=world.sub, by=admin, type=meal_type, name="杏山路助餐点",
                                      lon=at(700)[0], lat=at(700)[1])
    assert BuildingAccess.objects.get(building=far, type=meal_type).facility_id == second.pk
    services.update_facility(facility=second, by=admin, status=Facility.Status.CLOSED, closed_on=dt.date.today())
    services.update_facility(facility=point, by=admin, status=Facility.Status.CLOSED)
    assert not BuildingAccess.objects.filter(type=meal_type, distance_m__isnull=False).exists()
    engine = engine_for(world.sub.pk)
    assert BuildingAccess.objects.filter(type=meal_type).count() == len(engine.building_ids)


def test_the_overview_gives_every_type_at_its_own_circle_and_the_standard_ones(meal_town, world):
    rows = {r["type"].code: r for r in selectors.coverage_overview(user=world.operator, subdistrict=world.sub)}
    assert set(rows) == set(FacilityType.objects.values_list("code", flat=True))
    meal_row = rows["meal_point"]
    assert meal_row["open"] == 1 and meal_row["own"].elderly_rate == 66.7
    assert [code for code, _t in meal_row["circles"]] == ["5min", "10min", "15min", "200m", "500m"]
    assert dict(meal_row["circles"])["200m"].covered_elderly == 1  # the 70-year-old at 110 m
    assert rows["park"]["own"].covered_residents == 0


def test_the_planning_figure_counts_households_within_five_minutes_of_a_basic_service_open_that_day(town, world):
    town.street()
    town.building(0, (40,))
    town.building(100, (40,))
    town.building(900, (40,))
    town.facility("party_station", 50, opened_on=dt.date(2022, 6, 1))
    town.facility("party_station", 950, status=Facility.Status.CLOSED, opened_on=dt.date(2020, 1, 1),
                  closed_on=dt.date(2023, 1, 1))
    town.facility("wet_market", 120)  # not a basic public service
    assert CIRCLES["5min"].within_m(75) == 375
    figure = selectors.households_within
    assert figure(subdistrict_id=world.sub.pk, day=dt.date(2021, 12, 31)) == 1  # only the one at 950 m open
    assert figure(subdistrict_id=world.sub.pk, day=dt.date(2022, 12, 31)) == 3
    assert figure(subdistrict_id=world.sub.pk, day=dt.date.today()) == 2  # the one at 950 m closed since
