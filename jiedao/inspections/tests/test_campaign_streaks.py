"""21 天打卡: the count over hand-built histories, the reward ledger, and a day's form sent twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections.campaigns import selectors, services
from jiedao.inspections.models import LedgerKind, MissedRule, PointsEntry, SortingRecord
from jiedao.registry.models import Household
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 1)


@pytest.fixture
def today(monkeypatch):
    """Today is 2026-04-15 for the services and selectors."""
    day = {"value": dt.date(2026, 4, 15)}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day["value"])
    return day


@pytest.fixture
def people(world):
    manager = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                        community=world.c1)
    volunteer = make_user("volunteer", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                          community=world.c1)
    outsider = make_user("volunteer2", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                         community=world.c2)
    return manager, volunteer, outsider


def household(world, room: str, building=None) -> Household:
    building = building or world.b11
    return Household.objects.create(subdistrict=world.sub, building=building, room=room, code=f"H{building.pk}-{room}")


def record_days(campaign, enrolment, by, days: dict[int, bool]) -> list:
    """Record day offsets from START (0 = START) in order; returns the rewards earned."""
    earned = []
    for offset, ok in sorted(days.items()):
        result = services.record_day(by=by, campaign=campaign, day=START + dt.timedelta(days=offset),
                                     findings={enrolment.pk: ok})
        earned += result.rewards
    return earned


def test_twenty_one_correct_days_earn_the_reward_once(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START, reward_points=100)
    enrolment, created = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "101"),
                                                  on=START)
    assert created
    earned = record_days(campaign, enrolment, volunteer, dict.fromkeys(range(21), True))
    assert [(e.points, e.run_end) for e in earned] == [(100, START + dt.timedelta(days=20))]
    assert services.balance(household_id=enrolment.household_id) == 100
    [row] = selectors.household_rows(user=manager, campaign=campaign, on=START + dt.timedelta(days=20))
    assert (row["streak"], row["rewards"], row["points"]) == (0, 1, 100)


def test_a_missed_day_restarts_the_count(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START)
    enrolment, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "102"),
                                            on=START)
    # Days 0–9 correct, day 10 not recorded (missed), days 11–31 correct: the reward falls on day 31.
    history = {d: True for d in range(32) if d != 10}
    earned = record_days(campaign, enrolment, volunteer, history)
    assert [e.run_end for e in earned] == [START + dt.timedelta(days=31)]
    [row] = selectors.household_rows(user=manager, campaign=campaign, on=START + dt.timedelta(days=35))
    # The reward on day 31 starts the count again; days 32–34 have no record and break nothing (at 0).
    assert (row["streak"], row["restarts"], row["rewards"]) == (0, 1, 1)
    [row] = selectors.household_rows(user=manager, campaign=campaign, on=START + dt.timedelta(days=9))
    assert (row["streak"], row["to_go"]) == (10, 11)


def test_an_incorrect_day_restarts_the_count_while_unrecorded_days_pass_under_the_lenient_rule(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="宽松规则", starts_on=START, streak_days=5, reward_points=20,
                                        missed_rule=MissedRule.INCORRECT_ONLY)
    enrolment, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "103"),
                                            on=START)
    # 0,1 ✓ | 2 — | 3,4 ✓ (4 in a row: 0,1,3,4) | 5 ✗ | 6..10 ✓ → reward on day 10; 11 ✓ → count 1.
    history = {0: True, 1: True, 3: True, 4: True, 5: False, 6: True, 7: True, 8: True, 9: True, 10: True, 11: True}
    earned = record_days(campaign, enrolment, volunteer, history)
    assert [(e.points, e.run_end) for e in earned] == [(20, START + dt.timedelta(days=10))]
    [row] = selectors.household_rows(user=manager, campaign=campaign, on=START + dt.timedelta(days=13))
    assert (row["streak"], row["restarts"]) == (1, 1)


def test_a_day_sent_twice_changes_nothing(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START, streak_days=2, reward_points=10)
    enrolment, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "104"),
                                            on=START)
    services.record_day(by=volunteer, campaign=campaign, day=START, findings={enrolment.pk: True})
    second = services.record_day(by=volunteer, campaign=campaign, day=START + dt.timedelta(days=1),
                                 findings={enrolment.pk: True})
    again = services.record_day(by=volunteer, campaign=campaign, day=START + dt.timedelta(days=1),
                                findings={enrolment.pk: False})
    assert (len(second.rewards), again.created, again.unchanged, len(again.rewards)) == (1, 0, 1, 0)
    assert list(SortingRecord.objects.filter(enrolment=enrolment).order_by("day").values_list("correct", flat=True)) \
        == [True, True]
    assert PointsEntry.objects.filter(household_id=enrolment.household_id).count() == 1
    assert services.enrol_household(by=volunteer, campaign=campaign, household=enrolment.household)[1] is False


def test_the_ledger_is_append_only_and_redemption_cannot_overdraw(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START, streak_days=1, reward_points=30)
    enrolment, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "105"),
                                            on=START)
    record_days(campaign, enrolment, volunteer, {0: True, 1: True})
    services.redeem_points(by=manager, household=enrolment.household, points=50, note="兑换垃圾袋")
    with pytest.raises(ValidationError) as exc:
        services.redeem_points(by=manager, household=enrolment.household, points=20, note="兑换")
    assert "积分不足" in str(exc.value)
    _hh, entries, total = selectors.household_ledger(user=manager, household_id=enrolment.household_id)
    assert [(e.kind, e.points) for e in entries] == [(LedgerKind.REWARD, 30), (LedgerKind.REWARD, 30),
                                                      (LedgerKind.REDEEM, -50)]
    assert total == 10 == services.balance(household_id=enrolment.household_id)
    with pytest.raises(PermissionDenied):
        entries[0].save()
    with pytest.raises(PermissionDenied):
        PointsEntry.objects.filter(household_id=enrolment.household_id).update(points=999)


def test_leaderboard_ranks_households_of_each_estate(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START, streak_days=3, reward_points=10)
    a, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "201"), on=START)
    b, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "202"), on=START)
    c, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "203"), on=START)
    for offset in range(4):
        services.record_day(by=volunteer, campaign=campaign, day=START + dt.timedelta(days=offset),
                            findings={a.pk: True, b.pk: offset != 1, c.pk: True})
    board = selectors.leaderboard(user=manager, campaign=campaign, on=START + dt.timedelta(days=3))
    [(estate_id, rows)] = board.items()
    assert estate_id == world.b11.estate_id
    assert [(r["household"].room, r["points"], r["streak"], r["rank"]) for r in rows] == [
        ("201", 10, 1, 1), ("203", 10, 1, 1), ("202", 0, 2, 3)]


def test_a_volunteer_outside_the_community_is_refused(world, people, today):
    manager, volunteer, outsider = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START)
    enrolment, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "106"),
                                            on=START)
    with pytest.raises(PermissionDenied):
        services.record_day(by=outsider, campaign=campaign, day=START, findings={enrolment.pk: True})
    with pytest.raises(PermissionDenied):
        services.enrol_household(by=outsider, campaign=campaign, household=household(world, "107"))
    with pytest.raises(PermissionDenied):
        services.create_campaign(by=volunteer, name="x", starts_on=START)
    assert not SortingRecord.objects.exists()


def test_days_outside_the_campaign_or_in_the_future_are_refused(world, people, today):
    manager, volunteer, _ = people
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=START)
    enrolment, _ = services.enrol_household(by=volunteer, campaign=campaign, household=household(world, "108"),
                                            on=START + dt.timedelta(days=3))
    for day in (START - dt.timedelta(days=1), START + dt.timedelta(days=1), today["value"] + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.record_day(by=volunteer, campaign=campaign, day=day, findings={enrolment.pk: True})
