"""21 天打卡 pages and API: the 监督员's phone page (a day's form sent twice changes nothing), enrolment by
户编码, the 小区 leaderboard, the ledger and redemption, and who may do what."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections.campaigns import services
from jiedao.inspections.models import Campaign, Enrolment, PointsEntry, SortingRecord
from jiedao.registry.models import Household
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    manager = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                        community=world.c1)
    volunteer = make_user("volunteer", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                          community=world.c1)
    today = timezone.localdate()
    campaign = services.create_campaign(by=manager, name="21天打卡", starts_on=today - dt.timedelta(days=5),
                                        streak_days=2, reward_points=50)
    households = [Household.objects.create(subdistrict=world.sub, building=world.b11, room=f"{i}01", code=f"P{i}")
                  for i in range(1, 4)]
    enrolments = [services.enrol_household(by=volunteer, campaign=campaign, household=h,
                                           on=today - dt.timedelta(days=5))[0] for h in households[:2]]
    return manager, volunteer, campaign, households, enrolments


def test_the_volunteer_records_a_day_on_the_phone_page_and_a_second_send_changes_nothing(world, setup, login):
    _manager, volunteer, campaign, _households, (e1, e2) = setup
    client = login(volunteer)
    url = f"/m/inspections/campaigns/{campaign.pk}/record/?estate={e1.estate_id}"
    page = client.get(url).content.decode()
    assert 'class="mobile"' in page and f'name="h{e1.pk}"' in page and f'name="h{e2.pk}"' in page
    assert client.post(url, {f"h{e1.pk}": "1", f"h{e2.pk}": "0"}).status_code == 302
    assert client.post(url, {f"h{e1.pk}": "0", f"h{e2.pk}": "1"}).status_code == 400  # nothing left to record
    assert dict(SortingRecord.objects.values_list("enrolment_id", "correct")) == {e1.pk: True, e2.pk: False}
    page = client.get(url).content.decode()
    assert f'name="h{e1.pk}"' not in page and "已记：正确" in page and "已记：不正确" in page


def test_yesterday_and_today_earn_the_two_day_reward_shown_on_the_leaderboard(world, setup, login):
    manager, volunteer, campaign, _households, (e1, e2) = setup
    today = timezone.localdate()
    client = login(volunteer)
    base = f"/m/inspections/campaigns/{campaign.pk}/record/?estate={e1.estate_id}"
    client.post(f"{base}&day={today - dt.timedelta(days=1)}", {f"h{e1.pk}": "1", f"h{e2.pk}": "1"})
    response = client.post(base, {f"h{e1.pk}": "1", f"h{e2.pk}": "0"}, follow=True)
    assert "获得奖励积分" in response.content.decode()
    assert list(PointsEntry.objects.values_list("household_id", "points", "run_end")) == [
        (e1.household_id, 50, today)]
    board = login(manager).get(f"/inspections/campaigns/{campaign.pk}/?estate={e1.estate_id}").content.decode()
    table = board[board.index('data-testid="leaderboard"'):]
    assert table.index(str(e1.household)) < table.index(str(e2.household))


def test_households_join_by_their_code_within_the_volunteers_scope(world, setup, login):
    _manager, volunteer, campaign, households, _enrolments = setup
    client = login(volunteer)
    assert client.post(f"/inspections/campaigns/{campaign.pk}/", {"household": "P3"}).status_code == 302
    assert Enrolment.objects.filter(campaign=campaign, household=households[2]).exists()
    elsewhere = Household.objects.create(subdistrict=world.sub, building=world.b21, room="101", code="Q1")
    assert client.post(f"/inspections/campaigns/{campaign.pk}/", {"household": elsewhere.code}).status_code == 404
    assert not Enrolment.objects.filter(household=elsewhere).exists()


def test_the_ledger_page_redeems_for_the_manager_only(world, setup, login):
    manager, volunteer, campaign, _households, (e1, _e2) = setup
    today = timezone.localdate()
    for offset in (1, 0):
        services.record_day(by=volunteer, campaign=campaign, day=today - dt.timedelta(days=offset),
                            findings={e1.pk: True})
    url = f"/inspections/campaigns/households/{e1.household_id}/"
    assert login(volunteer).post(url, {"points": "10", "note": "垃圾袋"}).status_code == 403
    assert login(manager).post(url, {"points": "80", "note": "垃圾袋"}).status_code == 400  # only 50
    assert login(manager).post(url, {"points": "30", "note": "垃圾袋"}).status_code == 302
    page = login(manager).get(url).content.decode()
    assert 'data-testid="balance">20<' in page


def test_the_api_records_idempotently_and_gives_the_ledger(world, setup, login):
    manager, volunteer, campaign, _households, (e1, e2) = setup
    today = timezone.localdate()
    url = f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}/records"
    client = login(volunteer)
    for offset in (1, 0):
        body = {"day": str(today - dt.timedelta(days=offset)), "findings": [{"enrolment": e1.pk, "correct": True}]}
        first = client.post(url, body, content_type="application/json").json()
    again = client.post(url, body, content_type="application/json").json()
    assert first["rewards"] == [{"household": e1.household_id, "points": 50, "run_end": str(today)}]
    assert again == {"created": 0, "unchanged": 1, "rewards": [], "reversals": []}
    rows = client.get(f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}/households").json()
    assert {r["enrolment"]: (r["streak"], r["points"], r["recorded"]) for r in rows} == {
        e1.pk: (0, 50, True), e2.pk: (0, 0, None)}
    ledger = login(manager).get(f"/api/v1/inspections/campaigns/households/{e1.household_id}/ledger").json()
    assert ledger["balance"] == 50 and [e["kind"] for e in ledger["entries"]] == ["reward"]
    future = {"day": str(today + dt.timedelta(days=1)), "findings": [{"enrolment": e1.pk, "correct": True}]}
    assert client.post(url, future, content_type="application/json").status_code == 422


def test_people_outside_are_refused(world, setup, login):
    _manager, _volunteer, campaign, _households, (e1, _e2) = setup
    outsider = make_user("volunteer2", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                         community=world.c2)
    url = f"/m/inspections/campaigns/{campaign.pk}/record/?estate={e1.estate_id}"
    page = login(outsider).get(url).content.decode()
    assert f'name="h{e1.pk}"' not in page  # no households of another 居委
    api = f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}/records"
    body = {"day": str(timezone.localdate()), "findings": [{"enrolment": e1.pk, "correct": True}]}
    assert login(outsider).post(api, body, content_type="application/json").status_code == 403
    assert login(world.resident).get("/inspections/campaigns/").status_code == 403
    assert login(world.handler).get(f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}/households") \
        .status_code == 403
    other = make_user("other_head", role=Role.COMMUNITY_HEAD, subdistrict=world.other_sub,
                      level=ScopeLevel.SUBDISTRICT)
    assert login(other).get(f"/inspections/campaigns/{campaign.pk}/").status_code == 404
    assert not SortingRecord.objects.exists()


def test_the_api_refuses_a_campaign_with_impossible_rules_clearly_and_creates_nothing(world, setup, login):
    """Found by the API fuzz test: negative reward points reached the database's constraint (a 500)."""
    manager, *_rest = setup
    client = login(manager)
    for body, field, message in (
            ({"reward_points": -1464}, "reward_points", "奖励积分须在 1 到 100000 之间"),
            ({"reward_points": 10**12}, "reward_points", "奖励积分须在 1 到 100000 之间"),
            ({"reward_points": 0}, "reward_points", "奖励积分须在 1 到 100000 之间"),
            ({"name": "  "}, "name", "请填写活动名称"),
            ({"correction_days": -3}, "correction_days", "更正期须在 0 到 366 天之间")):
        response = client.post("/api/v1/inspections/campaigns/campaigns",
                               {"name": "新一期打卡", "starts_on": str(timezone.localdate()), **body},
                               content_type="application/json")
        assert response.status_code == 422, (body, response.content)
        assert message in str(response.json()) and field in str(response.json())
    assert Campaign.objects.count() == 1  # the fixture's


def test_the_admin_keeps_a_campaigns_rules_once_households_have_joined(world, setup, client):
    """Rewards are settled against the records under the campaign's rules: changed after households joined, they
    would take back and pay again the runs of the households recorded next only."""
    _manager, _volunteer, campaign, _households, _enrolments = setup
    fresh = services.create_campaign(by=_manager, name="下一期", starts_on=timezone.localdate())
    admin = make_user("root", role=Role.ADMIN, subdistrict=world.sub)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    joined = client.get(f"/admin/inspections/campaign/{campaign.pk}/change/").content.decode()
    empty = client.get(f"/admin/inspections/campaign/{fresh.pk}/change/").content.decode()
    for field in ("streak_days", "reward_points", "missed_rule", "starts_on"):
        assert f'name="{field}"' not in joined and f'name="{field}"' in empty
    assert 'name="correction_days"' in joined and 'name="ends_on"' in joined  # these may still change
