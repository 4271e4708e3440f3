"""平安指数 with the real cases factor, and its pages and API: ranking, the events behind a score, missing
factors, the weights, and who may see them."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.cases import services as case_services
from jiedao.cases.models import Channel
from jiedao.core.contributions import safety_factors
from jiedao.core.models import AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections.models import SafetyMonth, SafetyWeight
from jiedao.inspections.safety import index
from jiedao.inspections.tests.test_safety_index import residents
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db

IN_G11 = {"lat": 31.2325, "lon": 121.4025}   # world.g11, 居委 c1
IN_G21 = {"lat": 31.2325, "lon": 121.4125}   # world.g21, 居委 c2


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


@pytest.fixture
def cases_history(world):
    """This month: c1 has two safety cases (飞线充电 by hotline, 高空抛物 by patrol) and a noise complaint;
    c2 one 消防通道占用 and a sensor-channel 电瓶车入梯 (the sensing factor's, not this one's)."""
    residents(world.b11, 400)
    residents(world.b21, 250)
    now = timezone.now()

    def intake(channel, category, where, text, **kw):
        return case_services.intake(subdistrict=world.sub, channel=channel, description=text, by=world.operator,
                                    category=category, reported_at=now, **where, **kw).case

    made = [
        intake(Channel.HOTLINE, "S0802", IN_G11, "楼下有人从窗户拉电线给电瓶车充电"),
        intake(Channel.HOTLINE, "S0402", IN_G11, "楼上有人往下扔垃圾"),
        intake(Channel.HOTLINE, "S0504", IN_G11, "晚上装修噪音很大"),
        intake(Channel.HOTLINE, "S0803", IN_G21, "消防通道被杂物堵住"),
        intake(Channel.SENSOR, "S0801", IN_G21, "识别到电瓶车进入电梯轿厢", external_id="SENS-1"),
    ]
    return made


def test_the_cases_factor_counts_the_safety_categories_per_thousand_residents(world, cases_history):
    cases = safety_factors.get("cases.safety_cases")
    with safety_factors.alone(cases):
        [result] = index.compute(subdistrict_id=world.sub.pk, month=timezone.localdate())
    c = {a.id: a for a in result.communities}
    c1 = c[world.c1.pk].factors[0]
    # Two safety cases (the noise complaint is not one), weighted 1 each unless the category is urgent.
    expected_weight = sum(1.5 if k.urgent else 1.0 for k in cases_history[:2])
    assert (c1.events, c1.weighted) == (2, expected_weight)
    gone, days = result.days  # the month under way counts as a month's worth (index.compute)
    assert c1.rate == pytest.approx(expected_weight / 400 * 1000 * days / gone)
    assert sorted(e.label for e in c1.items) == sorted(f"{k.number} {k.category.name}" for k in cases_history[:2])
    assert {e.url for e in c1.items} == {f"/cases/{k.number}/" for k in cases_history[:2]}
    # c2: the fire-lane case only; the sensor channel's case belongs to the alarms factor.
    assert [e.label for e in c[world.c2.pk].factors[0].items] == [f"{cases_history[3].number} 消防通道占用"]


def test_the_ranking_page_shows_scores_trend_map_and_missing_factors(world, cases_history, login):
    cases = safety_factors.get("cases.safety_cases")
    with safety_factors.alone(cases):
        response = login(world.leader).get("/safety/")
        [result] = index.compute(subdistrict_id=world.sub.pk, month=timezone.localdate())
    page = response.content.decode()
    assert response.status_code == 200
    gone, days = result.days
    assert f"本月已过 {gone}/{days} 天，事件数按整月折算" in page  # the month under way says how it is counted
    ranking = page[page.index('data-testid="ranking"'):page.index('data-testid="safety-map"')]
    assert ranking.index(result.communities[0].name) < ranking.index(result.communities[1].name)
    assert str(result.communities[0].score) in ranking
    trend = login(world.leader).get("/safety/trend/").content.decode()
    assert "<svg" in trend and trend.count('<td class="num">') == 12
    missing = page[page.index('data-testid="missing-factors"'):]
    assert "sensing.alarms" in missing and "visits.high_risk" in missing
    assert "leaflet/leaflet.js" in page and "//cdn" not in page


def test_a_community_page_links_each_factor_to_its_events(world, cases_history, login):
    cases = safety_factors.get("cases.safety_cases")
    with safety_factors.alone(cases):
        response = login(world.leader).get(f"/safety/communities/{world.c1.pk}/")
    page = response.content.decode()
    for case in cases_history[:2]:
        assert f'href="/cases/{case.number}/"' in page
    assert cases_history[2].number not in page
    assert world.g11.name in page


def test_the_api_gives_the_same_index(world, cases_history, login):
    cases = safety_factors.get("cases.safety_cases")
    with safety_factors.alone(cases):
        body = login(world.operator).get("/api/v1/safety/index").json()
        [result] = index.compute(subdistrict_id=world.sub.pk, month=timezone.localdate())
        detail = login(world.operator).get(f"/api/v1/safety/communities/{world.c1.pk}").json()
    assert [(a["id"], a["score"]) for a in body["communities"]] == [(a.id, a.score) for a in result.communities]
    assert "sensing.alarms" in body["missing"]
    assert sorted(i["url"] for i in detail["factors"][0]["items"]) == sorted(
        f"/cases/{k.number}/" for k in cases_history[:2])


def test_a_case_reported_this_month_shows_at_once_beside_the_stored_months(world, cases_history, login):
    cases = safety_factors.get("cases.safety_cases")
    with safety_factors.alone(cases):
        trend = login(world.leader).get("/api/v1/safety/trend?months=3").json()
        before = login(world.leader).get(f"/api/v1/safety/communities/{world.c2.pk}").json()
        case_services.intake(subdistrict=world.sub, channel=Channel.HOTLINE, description="消防通道又被堵住了",
                             by=world.operator, category="S0803", reported_at=timezone.now(), **IN_G21)
        after = login(world.leader).get(f"/api/v1/safety/communities/{world.c2.pk}").json()
        trend_after = login(world.leader).get("/api/v1/safety/trend?months=3").json()
    assert SafetyMonth.objects.filter(subdistrict=world.sub).exists()  # the closed months, stored
    assert (before["factors"][0]["events"], after["factors"][0]["events"]) == (1, 2)
    assert trend_after[:-1] == trend[:-1]


def test_people_without_the_permission_are_refused(world, login):
    for user in (world.handler, world.resident, world.auditor):
        assert login(user).get("/safety/").status_code == 403
        assert login(user).get("/api/v1/safety/index").status_code == 403
    other = make_user("other_leader", role=Role.LEADER, subdistrict=world.other_sub, level=ScopeLevel.SUBDISTRICT)
    assert login(other).get(f"/safety/communities/{world.c1.pk}/").status_code == 404
    assert login(other).get(f"/api/v1/safety/communities/{world.c1.pk}").status_code == 404


def test_a_bad_month_is_a_clear_error(world, login):
    response = login(world.leader).get("/api/v1/safety/index?month=2026-13")
    assert response.status_code == 422
    assert "YYYY-MM" in response.json()["detail"] + str(response.json().get("errors"))
    # A month from before the platform is refused, not counted and stored (0001-01 overflowed into a 500).
    from jiedao.inspections.models import SafetyMonth

    for month in ("1990-01", "0001-01"):
        response = login(world.leader).get(f"/api/v1/safety/index?month={month}")
        assert response.status_code == 422 and "只能查看 2000 年以来的月份" in str(response.json())
    page = login(world.leader).get("/safety/?month=0001-01")  # the page shows this month, and says why
    assert page.status_code == 200 and "只能查看 2000 年以来的月份" in page.content.decode()
    assert not SafetyMonth.objects.filter(month__year__lt=2000).exists()


def test_the_administrator_sets_a_weight_and_others_may_not(world, login):
    admin = make_user("admin1", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)
    response = login(admin).post("/safety/weights/", {
        "cases.safety_cases-weight": "50", "cases.safety_cases-saturation": "8", "cases.safety_cases-enabled": "on",
        "safety.trend-weight": "15", "safety.trend-saturation": "10", "safety.trend-enabled": "on",
        "sensing.alarms-weight": "15", "sensing.alarms-saturation": "4",  # unchecked: disabled
    })
    assert response.status_code == 302
    rows = {w.code: (w.weight, w.saturation, w.enabled) for w in SafetyWeight.objects.filter(subdistrict=world.sub)}
    assert rows["cases.safety_cases"] == (50.0, 8.0, True)
    assert rows["sensing.alarms"] == (15.0, 4.0, False)
    assert AuditLog.objects.filter(object_type="inspections.safetyweight").count() >= 2
    bad = login(admin).put("/api/v1/safety/weights/cases.safety_cases", {"weight": 120, "saturation": 0},
                           content_type="application/json")
    assert bad.status_code == 422
    assert SafetyWeight.objects.get(subdistrict=world.sub, code="cases.safety_cases").weight == 50.0
    assert login(world.leader).get("/safety/weights/").status_code == 403
    assert login(world.leader).put("/api/v1/safety/weights/cases.safety_cases", {"weight": 1, "saturation": 1},
                                   content_type="application/json").status_code == 403
