"""分色管理: derived tags, entered tags, the rule engine, explanations and counts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiedao.registry import colours, selectors, services
from jiedao.registry.models import ColourRule, Household, Resident, Tag
from jiedao.registry.tests.conftest import make_id


def test_an_elderly_person_living_alone_is_yellow_with_the_reason(world, head):
    head.refresh_from_db()
    assert (head.care_colour, head.care_reason) == ("yellow", "黄: 独居老人")
    assert Household.objects.get(pk=head.household_id).care_colour == "yellow"


def test_alone_aged_and_disabled_is_red_and_explained(world, head):
    services.add_tag(resident=head, tag="失能/失智", by=world.social_worker)
    head.refresh_from_db()
    assert head.care_colour == "red"
    assert head.care_reason == "红: 独居 + 高龄 + 失能/失智"
    names, colour, reason = colours.explain(head)
    assert {"独居", "高龄", "失能/失智", "独居老人"} <= set(names) and colour == "red" and reason == head.care_reason


def test_someone_moving_in_recolours_the_household(world, household, head):
    services.add_resident(household=household, by=world.social_worker, name="孙", id_number=make_id("20000101", 1),
                          relation=Resident.Relation.GRANDCHILD)
    head.refresh_from_db()
    assert (head.care_colour, head.care_reason) == ("green", "绿: 高龄")  # no longer alone


def test_removing_a_tag_recomputes(world, head):
    services.add_tag(resident=head, tag="disabled_care", by=world.social_worker)
    services.remove_tag(resident=head, tag="disabled_care", by=world.social_worker)
    head.refresh_from_db()
    assert head.care_colour == "yellow"


def test_derived_tags_cannot_be_entered_by_hand(world, head):
    with pytest.raises(ValidationError) as exc:
        services.add_tag(resident=head, tag="高龄", by=world.social_worker)
    assert "自动判定" in exc.value.message_dict["tag"][0]


def test_rules_are_data_and_a_changed_rule_applies_on_recompute(world, head):
    rule = ColourRule.objects.get(name="独居老人")
    rule.colour = "red"
    rule.save()
    assert colours.recompute(subdistrict_id=world.sub.pk) == 1
    head.refresh_from_db()
    assert head.care_reason == "红: 独居老人"


def test_age_thresholds_follow_the_date(world, head):
    assert colours.age_on(dt.date(1946, 6, 2), dt.date(2026, 6, 1)) == 79
    assert colours.age_on(dt.date(1946, 6, 1), dt.date(2026, 6, 1)) == 80
    aged = Tag.objects.get(code="aged_80")
    before = Resident.objects.filter(colours.tag_q(aged, dt.date(2019, 12, 31)))
    after = Resident.objects.filter(colours.tag_q(aged, dt.date(2020, 1, 1)))
    assert list(before) == [] and list(after) == [head]


def test_search_by_derived_tag_and_colour_and_counts_per_community(world, head):
    assert list(selectors.resident_search(user=world.social_worker, filters={"tag": "独居老人"})) == [head]
    assert list(selectors.resident_search(user=world.social_worker, filters={"colour": "yellow"})) == [head]
    counts = selectors.colour_counts(user=world.operator)
    row = next(r for r in counts if r["community_id"] == world.c2.pk)
    assert row["total"] == 1 and row["colours"]["yellow"] == 1 and row["tags"]["独居老人"] == 1
