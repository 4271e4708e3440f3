"""Where to build next (greedy maximum coverage) and what-if, on a street whose answers are known."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.facilities import siting
from jiedao.facilities.models import Facility, FacilityType
from jiedao.facilities.tests.conftest import at

# Buildings 10 m off the street at these metres along it, with these many residents aged 60+.
# Within 150 m of walking, a site at a building covers the buildings within 130 m of it along the street.
ELDERLY = {0: 5, 100: 1, 200: 5, 600: 6, 1000: 2}


@pytest.fixture
def street(town, world):
    town.street()
    return {x: town.building(x, (70,) * n, grid=world.g21) for x, n in ELDERLY.items()}


def meal_type():
    return FacilityType.objects.get(code="meal_point")


def choose(world, k, *, user=None, **kw):
    candidates = siting.candidates_from(user=user or world.operator, subdistrict=world.sub, kind="buildings",
                                        community_id=world.c2.pk)
    return siting.choose_sites(user=user or world.operator, subdistrict=world.sub, facility_type=meal_type(),
                               within=150, k=k, candidates=candidates, **kw)


def test_each_pick_is_the_site_that_newly_covers_the_most_elderly_residents(street, world):
    result = choose(world, 3)
    assert result.weight == "elderly" and result.total == 19 and result.covered_before == 0
    picks = [(p.candidate.building_id, p.gain_buildings, p.gain_elderly, p.covered_after) for p in result.picks]
    # 100 m covers 0, 100 and 200 (11); then 600 (6); then 1000 (2).
    assert picks == [(street[100].pk, 3, 11, 11), (street[600].pk, 1, 6, 17), (street[1000].pk, 1, 2, 19)]
    assert [p.rate_after for p in result.picks] == [57.9, 89.5, 100.0]


def test_the_choice_stops_when_no_candidate_adds_anyone(street, world):
    assert len(choose(world, 10).picks) == 3


def test_residents_already_covered_count_for_nothing(town, street, world):
    town.facility("meal_point", 0)  # covers the buildings at 0 and 100 (10 and 110 m)
    result = choose(world, 1)
    assert result.covered_before == 6
    assert [(p.candidate.building_id, p.gain_elderly) for p in result.picks] == [(street[600].pk, 6)]


def test_typed_points_are_candidates_and_a_point_off_the_network_is_reported(street, world):
    lon, lat = at(1000, 20)
    text = f"{lon},{lat},杏山路口\n121.4100,31.2480,北面空地"
    candidates = siting.candidates_from(user=world.operator, subdistrict=world.sub, kind="points", points=text)
    result = siting.choose_sites(user=world.operator, subdistrict=world.sub, facility_type=meal_type(), within=150,
                                 k=2, candidates=candidates)
    assert [p.candidate.label for p in result.picks] == ["杏山路口"]
    assert [c.label for c in result.unattached] == ["北面空地"]


def test_typed_points_are_checked_line_by_line(world):
    with pytest.raises(ValidationError, match="第 2 行"):
        siting.parse_points("121.405,31.235\n31.235,121.405", subdistrict=world.sub)
    with pytest.raises(ValidationError, match="第 1 行"):
        siting.parse_points("兰溪路口", subdistrict=world.sub)


def test_at_most_twenty_sites_are_chosen_at_once(street, world):
    with pytest.raises(ValidationError):
        choose(world, 21)


def test_a_what_if_shows_who_a_new_facility_would_cover(town, street, world):
    town.facility("meal_point", 0)
    lon, lat = at(600)
    result = siting.what_if(user=world.operator, subdistrict=world.sub, facility_type=meal_type(), within=150,
                            add=[siting.Candidate("新助餐点", lon, lat)])
    assert (result.before.covered_elderly, result.after.covered_elderly) == (6, 12)
    gained = [b for b in result.gained if b["residents"]]  # the world's own buildings have none
    assert [b["id"] for b in gained] == [street[600].pk] and result.lost == []
    assert gained[0]["before_m"] == pytest.approx(610, abs=0.2) and gained[0]["after_m"] == pytest.approx(10, abs=0.2)
    c2 = next(after for before, after in result.by_community if after.key == world.c2.pk)
    assert c2.covered_elderly == 12


def test_a_what_if_closing_a_facility_or_opening_a_planned_one(town, street, world):
    open_one = town.facility("meal_point", 100)
    planned = town.facility("meal_point", 1000, status=Facility.Status.PLANNED)
    closed = siting.what_if(user=world.operator, subdistrict=world.sub, facility_type=meal_type(), within=150,
                            close=[open_one.pk])
    assert {b["id"] for b in closed.lost if b["residents"]} == {street[0].pk, street[100].pk, street[200].pk}
    assert closed.after.covered_elderly == 0
    opened = siting.what_if(user=world.operator, subdistrict=world.sub, facility_type=meal_type(), within=150,
                            open_planned=[planned.pk])
    assert [b["id"] for b in opened.gained if b["residents"]] == [street[1000].pk]
    with pytest.raises(ValidationError):
        siting.what_if(user=world.operator, subdistrict=world.sub, facility_type=meal_type(), within=150,
                       close=[999_999])


def test_siting_is_refused_to_a_role_without_the_facilities_view(street, world):
    with pytest.raises(PermissionDenied):
        choose(world, 1, user=world.grid_worker)
