"""/api/v1/planning/…: indicators and projects with the fields the issue names, filters, token auth,
and the write endpoints with the same checks as the pages."""


import pytest

from jiedao.core import services as core_services
from jiedao.planning import services
from jiedao.planning.models import IndicatorValue


@pytest.fixture
def reported(plan, greening_reporter, roads_reporter):
    services.submit_indicator_value(indicator=plan.indicators.get(code="public-green-per-capita"),
                                    by=greening_reporter, year=2024, quarter=4, value="0.97", evidence="普查")
    services.submit_progress_report(project=plan.projects.get(code="baixi-park"), by=roads_reporter, year=2025,
                                    quarter=2, progress=100, status="completed", public_note="公园已开放")
    return plan


def test_indicators_carry_name_unit_baseline_target_and_latest_value(reported, login, world, elevators_not_connected):
    items = login(world.operator).get("/api/v1/planning/indicators").json()["items"]
    assert len(items) == reported.indicators.count()
    assert all(item["name"] for item in items)
    by_code = {item["code"]: item for item in items}
    green = by_code["public-green-per-capita"]
    assert (green["unit"], green["target"], green["target_year"], green["binding"]) == ("平方米", 1.02, 2025, "binding")
    assert green["latest"] == {"value": 0.97, "achieved": None, "period": "2024Q4", "period_label": "2024年第4季度",
                               "origin": "entered"}
    assert green["status"] == "on_track" and green["lead_unit"] == "绿化市容管理所"
    beds = by_code["elderly-beds"]
    assert (beds["baseline"], beds["baseline_year"], beds["unit"], beds["latest"]) == (36.0, 2020, "张", None)
    elevators = by_code["elevators-completed"]
    assert elevators["status"] == "unavailable" and "数据来源尚未接入" in elevators["problem"]
    closure = by_code["on-time-closure-rate"]  # computed from cases; the test world has none closed
    assert closure["status"] == "no_data" and "分母为 0" in closure["problem"]


def test_projects_carry_name_lead_unit_status_and_progress(reported, login, world):
    items = login(world.operator).get("/api/v1/planning/projects").json()["items"]
    assert len(items) == reported.projects.count()
    park = next(item for item in items if item["name"] == "百禧公园")
    assert (park["lead_unit"], park["status"], park["progress"], park["last_report"]) == (
        "城市建设管理中心", "completed", 100, "2025Q2")
    row = next(item for item in items if item["table"] == 2 and item["row"] == 13)
    assert row["name"] == "兰溪路 200 弄屋面及相关设施改造工程" and row["lead_unit"] == "房管办"


def test_lists_filter_by_plan_and_chapter(reported, login, world):
    client = login(world.operator)
    chapter5 = client.get("/api/v1/planning/projects", {"plan": reported.pk, "chapter": 5}).json()["items"]
    assert {item["chapter"] for item in chapter5} == {5} and len(chapter5) == 27 + 6
    chapter6 = client.get("/api/v1/planning/indicators", {"plan": reported.pk, "chapter": 6}).json()["items"]
    assert {item["chapter"] for item in chapter6} == {6}
    assert "劳动人事争议案件调解率" in {item["name"] for item in chapter6}
    roads = client.get("/api/v1/planning/projects", {"category": "road"}).json()
    assert roads["count"] == 8


def test_indicator_detail_lists_values_and_the_source_sentences(reported, login, world):
    green = reported.indicators.get(code="public-green-per-capita")
    body = login(world.operator).get(f"/api/v1/planning/indicators/{green.pk}").json()
    assert body["target_source_text"] == "人均公共绿地面积达到 1.02 平方米"
    assert [(v["period"], v["value"], v["evidence"]) for v in body["values"]] == [("2024Q4", 0.97, "普查")]


def test_plan_detail_has_chapters_sections_tasks_and_goals(plan, login, world):
    body = login(world.operator).get(f"/api/v1/planning/plans/{plan.pk}").json()
    assert [c["heading"] for c in body["chapters"]][:2] == ["第一章", "第二章"]
    housing = body["chapters"][4]["sections"][0]["tasks"][0]
    assert housing["title"] == "着力推进旧住房成套改造"
    assert {g["title"] for g in body["goals"]} >= {"城市更新转型样板区", "民生服务全面提档"}


def test_a_bearer_token_reads_the_lists(reported, world, client):
    token, _ = core_services.issue_token(user=world.auditor)
    response = client.get("/api/v1/planning/indicators", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["count"] == reported.indicators.count()


def test_the_lead_unit_writes_values_and_reports_over_the_api(plan, login, greening_reporter, housing_reporter):
    green = plan.indicators.get(code="public-green-per-capita")
    response = login(greening_reporter).post(
        f"/api/v1/planning/indicators/{green.pk}/values",
        {"year": 2023, "quarter": 0, "value": "0.95", "evidence": "年报"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["value"] == 0.95
    project = plan.projects.get(code="t2-05")
    response = login(housing_reporter).post(
        f"/api/v1/planning/projects/{project.pk}/reports",
        {"year": 2023, "quarter": 3, "progress": 55, "status": "in_progress", "note": "屋面完成"},
        content_type="application/json")
    assert response.status_code == 200 and response.json()["period"] == "2023Q3"


def test_an_api_write_with_a_period_outside_the_plan_is_422_and_writes_nothing(plan, login, greening_reporter):
    green = plan.indicators.get(code="public-green-per-capita")
    response = login(greening_reporter).post(
        f"/api/v1/planning/indicators/{green.pk}/values",
        {"year": 2031, "value": "1.1", "evidence": "x"}, content_type="application/json")
    assert response.status_code == 422 and "不在规划期 2021–2025 年内" in response.json()["detail"]
    assert not IndicatorValue.objects.exists()


def test_managers_patch_a_definition_and_bad_input_is_refused_whole(plan, login, world):
    ageing = plan.indicators.get(code="ageing-rate")
    url = f"/api/v1/planning/indicators/{ageing.pk}"
    client = login(world.leader)
    bad = client.patch(url, {"numerator": "{registry.residents.weight}", "name": "改名"},
                       content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "numerator"
    ageing.refresh_from_db()
    assert ageing.name == "60周岁及以上居民占比"
    green = plan.indicators.get(code="public-green-per-capita")
    outside = client.patch(f"/api/v1/planning/indicators/{green.pk}", {"target_year": 2030},
                           content_type="application/json")
    assert outside.status_code == 422 and "目标年份 2030 不在规划期 2021–2025 年内" in outside.json()["detail"]
    ok = client.patch(url, {"numerator": "{registry.residents_80_plus}", "name": "高龄老人占比"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["numerator"] == "{registry.residents_80_plus}"
    assert login(world.operator).patch(url, {"name": "x"}, content_type="application/json").status_code == 403


def test_the_elements_endpoint_says_which_sources_are_connected(plan, login, world, elevators_not_connected):
    elements = {e["code"]: e for e in login(world.operator).get("/api/v1/planning/elements").json()}
    assert elements["registry.residents_60_plus"]["available"] is True
    assert elements["cases.closed_on_time"]["available"] is True
    assert elements["cases.closed_on_time"]["source"] == "一网统管案件"
    assert elements["elevators.retrofits_completed"]["available"] is False
    assert "尚未接入" in elements["elevators.retrofits_completed"]["unavailable"]


def test_reporting_endpoint_lists_missing_items_per_unit(plan, login, world):
    units = login(world.operator).get(f"/api/v1/planning/reporting?plan={plan.pk}&period=2023Q1").json()
    fgb = next(u for u in units if u["unit_code"] == "FGB")
    assert fgb["missing"] == fgb["due"] and "北岭园屋面及相关设施改造工程" in fgb["projects_missing"]
    bad = login(world.operator).get(f"/api/v1/planning/reporting?plan={plan.pk}&period=2023")
    assert bad.status_code == 422


def test_evaluations_are_listed_and_created_over_the_api(plan, login, world):
    created = login(world.leader).post("/api/v1/planning/evaluations", {"plan": plan.pk, "kind": "final"},
                                       content_type="application/json")
    assert created.status_code == 200 and created.json()["year"] == 2025
    again = login(world.leader).post("/api/v1/planning/evaluations", {"plan": plan.pk, "kind": "final"},
                                     content_type="application/json")
    assert again.status_code == 422 and "已存在" in again.json()["detail"]
    wrong = login(world.leader).post("/api/v1/planning/evaluations",
                                     {"plan": plan.pk, "kind": "annual", "year": 2019},
                                     content_type="application/json")
    assert wrong.status_code == 422
    listed = login(world.operator).get(f"/api/v1/planning/evaluations?plan={plan.pk}").json()
    assert [(e["kind"], e["year"]) for e in listed] == [("final", 2025)]
