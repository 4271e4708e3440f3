"""PATCH /api/v1/planning/indicators/{id} with an explicit null: a 4xx or a cleared text, never a 500."""

import pytest


@pytest.fixture
def ageing(plan):
    return plan.indicators.get(code="ageing-rate")


def patch(client, indicator, body):
    return client.patch(f"/api/v1/planning/indicators/{indicator.pk}", body, content_type="application/json")


@pytest.mark.parametrize("field", ["target_note", "description", "denominator"])
def test_null_for_a_text_field_clears_it(ageing, login, world, field):
    response = patch(login(world.leader), ageing, {field: None})
    assert response.status_code == 200, response.content
    assert response.json()[field] == ""
    ageing.refresh_from_db()
    assert getattr(ageing, field) == ""


@pytest.mark.parametrize("field, message", [
    ("name", "不能为空"), ("factor", "不能为空"), ("public", "不能为空"),
    ("unit", "数值指标必须有计量单位"), ("numerator", "计算类指标必须填写分子公式"),  # cleared, then the model's rules
])
def test_null_for_a_field_that_must_have_a_value_is_a_422_naming_it(ageing, login, world, field, message):
    before = getattr(ageing, field)
    response = patch(login(world.leader), ageing, {field: None})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"][0]["field"] == field and message in body["detail"]
    ageing.refresh_from_db()
    assert getattr(ageing, field) == before


def test_null_for_a_nullable_number_clears_it(ageing, login, world):
    response = patch(login(world.leader), ageing, {"target": None, "target_year": None})
    assert response.status_code == 200, response.content
    assert response.json()["target"] is None and response.json()["target_year"] is None
