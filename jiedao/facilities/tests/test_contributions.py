"""What the facilities module offers above it: planning's 5 分钟基本公共服务圈 element and the household file's
生活圈 section."""

import datetime as dt

import pytest

from jiedao.core.contributions import planning_elements, section_data_for_household, sections_for_household
from jiedao.registry.models import Household


def test_the_five_minute_element_replaces_planning_s_placeholder_and_counts_households(town, world):
    element = planning_elements.get("facilities.households_within_5min")
    assert element.available and element.module == "facilities" and element.unit == "户"
    town.street()
    town.building(0, (40, 41))
    town.building(1000, (40,))
    town.facility("party_station", 50, opened_on=dt.date(2023, 3, 1))
    count = element.compute(subdistrict_id=world.sub.pk, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    assert count == 1  # one household at 60 m; the other walks 960 m
    assert element.compute(subdistrict_id=world.sub.pk, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31)) == 0


@pytest.fixture
def household(town, world):
    town.street()
    building = town.building(900, (82,), grid=world.g21)
    town.facility("meal_point", 100)
    town.facility("party_station", 850)
    return Household.objects.get(building=building)


def test_the_household_file_shows_the_walk_to_the_nearest_services(household, world):
    sections = dict((s.code, context) for s, context in sections_for_household(user=world.social_worker,
                                                                                household=household))
    rows = {r["type"].code: r for r in sections["facilities.access"]["rows"]}
    assert rows["party_station"]["covered"] and rows["party_station"]["distance_m"] == pytest.approx(60, abs=0.2)
    assert not rows["meal_point"]["covered"] and rows["meal_point"]["minutes"] == pytest.approx(810 / 55, abs=0.1)
    assert rows["health_station"]["facility_id"] is None and rows["health_station"]["distance_m"] is None
    data = {d["code"]: d["data"] for d in section_data_for_household(user=world.social_worker, household=household)}
    assert {"type": "party_station", "within_circle": True}.items() <= next(
        r for r in data["facilities.access"] if r["type"] == "party_station").items()


def test_the_section_is_hidden_from_a_reader_who_may_not_view_facilities(household, world):
    assert "facilities.access" not in {s.code for s, _c in sections_for_household(user=world.grid_worker,
                                                                                   household=household)}
