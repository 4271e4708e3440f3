"""可行性评分: each factor shown with its weight and value, missing inputs counted neutral and named, weights as
data, demand from the registry, the ranked list in the reader's scope."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.elevators import selectors, services
from jiedao.elevators.models import Factor, FactorWeight

pytestmark = pytest.mark.django_db


def factors(result):
    return {f.factor: f for f in result["score"].factors}


def test_an_unsurveyed_building_is_scored_and_says_which_inputs_are_missing(estate, head):
    b = estate.building(floors=6, per_floor=2, ages=(70, 40))
    result = selectors.building_feasibility(user=head, building_id=b.pk)
    f = factors(result)
    assert set(result["score"].missing) == {"entry", "clearance", "pipes", "fire_lane", "sunlight"}
    assert f["floors"].value == 1 and f["floors"].weight == 15 and not f["floors"].missing
    assert f["dwellings"].value == Decimal("0.8")  # 一梯两户
    assert f["aged"].value == 1 and f["aged"].shown == "12 / 24 人"  # half the residents are 60+
    assert f["entry"].value == Decimal("0.5") and f["entry"].missing
    # 15·1 + 10·0.8 + 10·1 + 5·0 (no one tagged) + 60·0.5 (missing) = 63 of 100
    assert result["score"].score == Decimal("63.0")


def test_a_survey_fills_the_missing_inputs_and_moves_the_score(estate, head):
    b = estate.building(floors=6, per_floor=2, ages=(70, 40))
    services.save_survey(building=b, by=head, entry="level", front_clearance_m=Decimal("3.5"),
                         rear_clearance_m=Decimal("1.0"), pipes="relocate", fire_lane_clear=True, sunlight="minor")
    result = selectors.building_feasibility(user=head, building_id=b.pk)
    f = factors(result)
    assert result["score"].missing == []
    assert f["clearance"].value == 1 and "3.5" in f["clearance"].shown  # the wider side counts
    assert f["pipes"].value == Decimal("0.5") and f["sunlight"].value == Decimal("0.6")
    # 15 + 8 + 15 + 15 + 5 + 10 + 6 + 10 + 0 = 84
    assert result["score"].score == Decimal("84.0")


def test_disabled_residents_raise_the_demand(estate, head):
    b = estate.building(floors=5, per_floor=2)
    estate.tag(b, "disabled_care", 2)
    estate.tag(b, "disability", 1, skip=2)
    estate.tag(b, "disability", 1)  # already counted: one resident is one person
    f = factors(selectors.building_feasibility(user=head, building_id=b.pk))
    assert f["disabled"].value == 1 and f["disabled"].shown == "3 人"
    assert f["floors"].value == Decimal("0.8")


def test_weights_are_data(estate, head):
    b = estate.building(floors=6, per_floor=2, ages=(70, 40))
    FactorWeight.objects.exclude(factor=Factor.FLOORS).update(weight=0)
    result = selectors.building_feasibility(user=head, building_id=b.pk)
    assert result["score"].score == Decimal("100.0")
    FactorWeight.objects.filter(factor=Factor.FLOORS).update(weight=0)
    FactorWeight.objects.filter(factor=Factor.ENTRY).update(weight=10)
    assert selectors.building_feasibility(user=head, building_id=b.pk)["score"].score == Decimal("50.0")


def test_a_three_storey_or_high_rise_building_scores_nothing_for_floors(estate, head):
    low = estate.building(floors=3)
    high = estate.building(floors=12)
    for b in (low, high):
        assert factors(selectors.building_feasibility(user=head, building_id=b.pk))["floors"].value == 0


def test_the_ranked_list_has_the_readers_buildings_best_first_without_those_with_an_elevator(world, estate, head):
    good = estate.building(floors=7, per_floor=3, ages=(80,))
    poor = estate.building(floors=4, per_floor=1)
    served = estate.building(floors=6)
    services.save_survey(building=served, by=head, has_elevator=True)
    outside = estate.building(floors=6, grid=world.g11)  # 曹杨一村, not the head's 居委
    ranked = selectors.candidate_list(user=head, subdistrict=world.sub)
    ids = [c.building.pk for c in ranked]
    assert ids.index(good.pk) < ids.index(poor.pk)
    assert served.pk not in ids and outside.pk not in ids
    assert [c.score.score for c in ranked] == sorted((c.score.score for c in ranked), reverse=True)


def test_bad_survey_input_is_refused_in_chinese(estate, head):
    b = estate.building()
    with pytest.raises(ValidationError) as e:
        services.save_survey(building=b, by=head, front_clearance_m=Decimal("-1"), dwellings_per_floor=40,
                             entry="ladder")
    assert e.value.message_dict == {
        "front_clearance_m": ["间距应在 0 到 200 米之间（单位：米）"],
        "dwellings_per_floor": ["每层户数应在 1 到 12 之间"],
        "entry": ["入户方式应为“平层入户”或“半层入户”"],
    }


def test_only_the_buildings_community_head_may_survey_it(world, estate, other_head):
    b = estate.building()
    with pytest.raises(PermissionDenied):
        services.save_survey(building=b, by=other_head, entry="level")
    with pytest.raises(PermissionDenied):
        services.save_survey(building=b, by=world.social_worker, entry="level")  # may view, not survey
    assert selectors.building_feasibility(user=world.social_worker, building_id=b.pk)["score"]
