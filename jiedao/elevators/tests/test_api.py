"""The JSON API: what the pages do, the documented shapes, errors in Chinese, and who may read or write what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

API = "/api/v1/elevators"


def test_candidates_and_a_buildings_factors(world, estate, head, login):
    good = estate.building(floors=6, per_floor=2, ages=(70,))
    estate.building(floors=4, per_floor=1)
    client = login(head)
    ranked = client.get(f"{API}/candidates").json()
    assert ranked[0]["building"] == good.pk and Decimal(ranked[0]["score"]) >= Decimal(ranked[1]["score"])
    assert "entry" in ranked[0]["missing"]
    data = client.get(f"{API}/buildings/{good.pk}/feasibility").json()
    floors = next(f for f in data["factors"] if f["factor"] == "floors")
    assert floors == {"factor": "floors", "label": "层数（多层 4–7 层）", "weight": 15, "value": "1", "points": "15.0",
                      "input": "6 层", "missing": False}
    geo = client.get(f"{API}/candidates.geojson").json()
    assert {f["properties"]["building"] for f in geo["features"]} == {r["building"] for r in ranked}


def test_a_survey_through_the_api_fills_the_missing_inputs(estate, head, login):
    b = estate.building()
    body = {"entry": "level", "front_clearance_m": "2.6", "rear_clearance_m": None, "pipes": "clear",
            "fire_lane_clear": True, "sunlight": "major"}
    data = login(head).put(f"{API}/buildings/{b.pk}/survey", body, content_type="application/json").json()
    assert data["missing"] == []
    assert next(f for f in data["factors"] if f["factor"] == "clearance")["value"] == "0.6"


def test_bad_survey_input_is_a_422_in_chinese(estate, head, login):
    b = estate.building()
    response = login(head).put(f"{API}/buildings/{b.pk}/survey", {"sunlight": "dark", "rear_clearance_m": "500"},
                               content_type="application/json")
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        "rear_clearance_m": "间距应在 0 到 200 米之间（单位：米）", "sunlight": "日照影响应为“无影响”“轻微”或“严重”"}


def test_a_project_through_the_api_from_quote_to_a_refused_skip(estate, head, login):
    b = estate.building(floors=5, per_floor=2)
    client = login(head)
    client.put(f"{API}/buildings/{b.pk}/survey", {"entry": "half", "pipes": "clear"}, content_type="application/json")
    created = client.post(f"{API}/projects", {"building": b.pk, "unit": b.units.get().pk},
                          content_type="application/json")
    assert created.status_code == 201
    p = created.json()
    assert p["stage"] == "consent" and p["next_stage"] == "design" and p["blocked_by"] == ""
    quote = client.post(f"{API}/projects/{p['id']}/quote", {}, content_type="application/json")
    assert quote.status_code == 201
    q = quote.json()
    assert sum(Decimal(s["amount"]) for s in q["shares"]) == Decimal(q["net"])
    assert Decimal(q["subsidy"]) == (Decimal(q["total"]) * Decimal("0.4")).quantize(Decimal("0.01"))
    skip = client.post(f"{API}/projects/{p['id']}/advance", {"to": "vote"}, content_type="application/json")
    assert skip.status_code == 422 and skip.json()["detail"] == "不能跳过阶段：当前为“意愿征询”，下一阶段应为“方案设计”"
    moved = client.post(f"{API}/projects/{p['id']}/advance", {"to": "design", "on": str(dt.date.today())},
                        content_type="application/json").json()
    assert moved["stage"] == "design" and moved["blocked_by"] == "请先发起表决征询（民法典第二百七十八条特别事项）"
    kpis = client.get(f"{API}/kpis").json()
    assert {s["stage"]: s["count"] for s in kpis["by_stage"]}["design"] == 1


def test_the_vote_is_started_through_the_api(estate, head, login, project_at_design):
    now = timezone.localtime().replace(tzinfo=None)  # as a datetime-local field sends it: local, no zone
    client = login(head)
    response = client.post(f"{API}/projects/{project_at_design.pk}/vote",
                           {"opens_at": now.isoformat(), "closes_at": (now + dt.timedelta(days=10)).isoformat()},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["consultation"] and response.json()["closed"] is False
    opened = client.post(f"{API}/projects/{project_at_design.pk}/vote/open")
    assert opened.status_code == 422 and "信息不全" in opened.json()["detail"]


def test_readers_and_writers_by_role_and_scope(world, estate, head, other_head, login, client):
    b = estate.building()
    project = login(head).post(f"{API}/projects", {"building": b.pk}, content_type="application/json").json()
    assert login(world.social_worker).get(f"{API}/projects/{project['id']}").status_code == 200
    assert login(world.social_worker).post(f"{API}/projects/{project['id']}/advance", {"to": "design"},
                                           content_type="application/json").status_code == 403
    assert login(other_head).get(f"{API}/projects/{project['id']}").status_code == 404
    assert login(other_head).get(f"{API}/buildings/{b.pk}/feasibility").status_code == 404
    assert login(world.grid_worker).get(f"{API}/candidates").status_code == 403
    client.logout()
    assert client.get(f"{API}/candidates").status_code == 401
