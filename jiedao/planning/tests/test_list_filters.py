"""The indicator and project lists' declared filters (planning.filters), on the pages and the API: they narrow the
list, refuse what they cannot parse with a message naming the field, and never reach past the reader's scope."""

import pytest


def test_the_projects_page_narrows_by_lead_unit_and_keeps_it_selected(plan, login, world, departments):
    housing = departments["FGB"]
    html = login(world.operator).get(f"/planning/{plan.pk}/projects/", {"lead_unit": housing.pk}).content.decode()
    assert "兰溪路 200 弄屋面及相关设施改造工程" in html and "百禧公园" not in html
    assert f'<option value="{housing.pk}" selected>' in html


def test_the_api_narrows_projects_by_lead_unit_and_status(plan, login, world, departments):
    client = login(world.operator)
    housing = client.get("/api/v1/planning/projects", {"lead_unit": departments["FGB"].pk}).json()
    assert housing["count"] and {item["lead_unit"] for item in housing["items"]} == {"房管办"}
    assert client.get("/api/v1/planning/projects", {"status": "completed"}).json()["count"] == 0


@pytest.mark.parametrize("page, params, message, empty", [
    ("indicators", {"chapter": "八"}, "章节：", "没有符合条件的指标"),
    ("indicators", {"health": "great"}, "对标状态：", "没有符合条件的指标"),
    ("projects", {"status": "done", "chapter": 5}, "项目状态：", "没有符合条件的项目"),
    ("projects", {"lead_unit": "房管办"}, "牵头单位：", "没有符合条件的项目"),
])
def test_a_page_explains_an_invalid_filter_by_its_field_and_lists_nothing(plan, login, world, page, params,
                                                                          message, empty):
    response = login(world.operator).get(f"/planning/{plan.pk}/{page}/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and empty in html
    assert "美丽楼组" not in html and "百禧公园" not in html


@pytest.mark.parametrize("path, params, field, message", [
    ("indicators", {"status": "great"}, "status", "对标状态："),
    ("projects", {"category": "bridge"}, "category", "类别："),
    ("projects", {"status": "done"}, "status", "项目状态："),
])
def test_the_api_refuses_an_invalid_filter_naming_the_field(plan, login, world, path, params, field, message):
    response = login(world.operator).get(f"/api/v1/planning/{path}", params)
    assert response.status_code == 422
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field] and body["detail"].startswith(message)


def test_filtering_by_another_subdistricts_lead_unit_or_chapter_finds_nothing(plan, login, world, departments):
    client = login(world.other_operator)
    housing = departments["FGB"].pk
    assert client.get("/api/v1/planning/projects", {"lead_unit": housing}).json()["items"] == []
    assert client.get("/api/v1/planning/indicators", {"chapter": 5}).json()["items"] == []
    # Another subdistrict's plan is answered as a missing one (404), not confirmed by a 403.
    assert client.get("/api/v1/planning/projects", {"plan": plan.pk, "lead_unit": housing}).status_code == 404
    assert client.get(f"/planning/{plan.pk}/projects/", {"lead_unit": housing}).status_code == 404
