"""Intake links a case to a registry household (户) of its own subdistrict, on any channel, including 走访发现."""

import pytest
from django.core.exceptions import ValidationError

from jiedao.cases import services
from jiedao.cases.models import Case, CaseEvent, Channel
from jiedao.core.models import AuditLog
from jiedao.geo.models import Road
from jiedao.testing import make_area, make_building, make_community, make_grid, square

# The registry's model, reached through the case's field as cases' own code does (cases never imports registry).
Household = Case._meta.get_field("household").related_model


def make_household(building, room: str = "301"):
    return Household.objects.create(subdistrict_id=building.subdistrict_id, building=building, room=room,
                                    code=f"{building.code}R{room}")


@pytest.fixture
def foreign_household(world):
    """A household of the other subdistrict (古美路)."""
    area = make_area(world.other_sub, seq=1, name="古美片区", geometry=square(121.38, 31.14, 0.01))
    community = make_community(area, seq=1, name="古美一村", geometry=square(121.38, 31.14, 0.01))
    grid = make_grid(community, seq=1, geometry=square(121.38, 31.14, 0.005))
    road = Road.objects.create(subdistrict=world.other_sub, name="古美路")
    return make_household(make_building(grid, road=road, number="1"))


def test_a_visit_case_links_its_household_and_is_placed_in_the_households_building(cases_world):
    world = cases_world
    household = make_household(world.b21)
    result = services.intake(subdistrict=world.sub, channel=Case.Channel.VISIT, household_id=household.pk,
                             description="走访发现楼道堆物严重，影响通行", by=world.social_worker)
    case = Case.objects.get(pk=result.case.pk)
    assert result.created
    assert case.household_id == household.pk
    assert case.channel == Channel.VISIT == "visit"
    assert (case.building_id, case.grid_id, case.community_id) == (world.b21.pk, world.g21.pk, world.c2.pk)
    assert not case.needs_placement


def test_the_households_building_places_the_case_even_against_a_far_point(cases_world):
    world = cases_world
    household = make_household(world.b21)
    case = services.intake(subdistrict=world.sub, channel=Channel.VISIT, household_id=household.pk,
                           description="走访发现独居老人家中燃气灶老化", lat=31.2325, lon=121.4025,  # in grid g11
                           by=world.social_worker).case
    assert (case.building_id, case.grid_id) == (world.b21.pk, world.g21.pk)


def test_a_household_of_another_subdistrict_is_refused_and_nothing_is_written(cases_world, foreign_household):
    world = cases_world
    cases, events, audits = Case.objects.count(), CaseEvent.objects.count(), AuditLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.intake(subdistrict=world.sub, channel=Channel.VISIT, household_id=foreign_household.pk,
                        description="走访发现楼道灯不亮", by=world.social_worker)
    assert "household" in refused.value.message_dict
    assert "不属于曹杨新村街道" in refused.value.message_dict["household"][0]
    assert (Case.objects.count(), CaseEvent.objects.count(), AuditLog.objects.count()) == (cases, events, audits)


def test_an_unknown_household_is_named_with_the_other_wrong_fields_at_once(cases_world):
    with pytest.raises(ValidationError) as refused:
        services.intake(subdistrict=cases_world.sub, channel=Channel.VISIT, household_id=987654,
                        description="", by=cases_world.social_worker)
    assert set(refused.value.message_dict) == {"household", "description"}
    assert not Case.objects.exists()


def test_a_case_without_a_household_is_as_before(cases_world):
    case = services.intake(subdistrict=cases_world.sub, channel=Channel.HOTLINE, description="路灯不亮",
                           address="兰溪路200弄5号", by="12345").case
    assert case.household_id is None
    assert case.building_id == cases_world.b11.pk


def test_deleting_the_household_keeps_the_case_without_its_link(cases_world):
    household = make_household(cases_world.b21)
    case = services.intake(subdistrict=cases_world.sub, channel=Channel.VISIT, household_id=household.pk,
                           description="走访发现窗户玻璃破损", by=cases_world.social_worker).case
    household.delete()
    case.refresh_from_db()
    assert case.household_id is None
