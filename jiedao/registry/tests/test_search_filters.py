"""找人's declared filters (registry.filters.ResidentFilter), on the page and the API: they narrow the list, refuse
what they cannot parse with a message naming the field, and never reach past the reader's scope."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from jiedao.registry import services
from jiedao.registry.tests.test_pages_support import editor, make_household


@pytest.fixture
def people(world):
    """An elderly couple in 兰溪园 (c2, the social worker's 居委), a young family in 曹杨一村 (c1); one moved out."""
    couple = make_household(world, world.b21, people=(("王秀英", "19380501"), ("李建国", "19360203")))
    family = make_household(world, world.b11, room="502", people=(("张伟", "19850101"), ("刘芳", "19870303")))
    services.move_out(resident=couple.residents.get(name="李建国"), on=dt.date.today(), by=editor(world))
    return couple, family


def _names(response) -> set[str]:
    return {item["name"] for item in response.json()["items"]}


def test_the_api_narrows_by_tag_colour_and_community(world, login, people):
    client = login(world.operator)
    assert _names(client.get("/api/v1/registry/residents", {"tag": "高龄"})) == {"王秀英"}
    assert _names(client.get("/api/v1/registry/residents", {"community_id": world.c1.pk})) == {"张伟", "刘芳"}
    assert _names(client.get("/api/v1/registry/residents")) == {"王秀英", "张伟", "刘芳"}


def test_moved_out_residents_are_found_only_when_asked_for(world, login, people):
    client = login(world.operator)
    body = {"name": "李"}
    assert _names(client.post("/api/v1/registry/residents/search", body, content_type="application/json")) == set()
    body["include_moved_out"] = True
    assert _names(client.post("/api/v1/registry/residents/search", body, content_type="application/json")) \
        == {"李建国"}


@pytest.mark.parametrize("params, field, message", [
    ({"colour": "purple"}, "colour", "分色只能是红、黄、绿"),
    ({"tag": "会飞"}, "tag", "未知标签：会飞"),
    ({"phone_last4": "56"}, "phone_last4", "手机尾号应为 4 位数字"),
])
def test_the_api_refuses_an_invalid_filter_naming_the_field(world, login, people, params, field, message):
    response = login(world.operator).get("/api/v1/registry/residents", params)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert "items" not in response.json()


def test_the_page_explains_an_invalid_phone_tail_next_to_the_field_and_lists_nobody(world, login, people):
    response = login(world.operator).get("/registry/", {"phone_last4": "56a", "name": "王"})
    html = response.content.decode()
    assert response.status_code == 400
    field = html.split('for="id_phone_last4"')[1].split('<div class="field">')[0]
    assert "手机尾号应为 4 位数字" in field
    assert "<td class=\"name\">王秀英" not in html and "没有符合条件的居民" in html


def test_a_social_worker_filtering_by_another_juweis_community_gets_nobody_from_it(world, login, people):
    client = login(world.social_worker)
    assert _names(client.get("/api/v1/registry/residents")) == {"王秀英"}
    assert _names(client.get("/api/v1/registry/residents", {"community_id": world.c1.pk})) == set()
    body = {"community_id": world.c1.pk, "include_moved_out": True}
    assert _names(client.post("/api/v1/registry/residents/search", body, content_type="application/json")) == set()
    html = client.get("/registry/", {"community": world.c1.pk}).content.decode()
    assert "张伟" not in html and "刘芳" not in html
    body = {"address": "兰溪路200弄5号502室"}
    assert _names(client.post("/api/v1/registry/residents/search", body, content_type="application/json")) == set()


def test_the_export_applies_the_same_filters_within_the_scope(world, login, people):
    response = login(world.social_worker).get("/registry/export.xlsx", {"community": world.c1.pk})
    assert response.status_code == 400
    response = login(world.social_worker).get("/api/v1/registry/export.xlsx", {"community_id": world.c1.pk})
    assert response.status_code == 200
    cells = {c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for c in row}
    assert not cells & {"王秀英", "张伟", "刘芳"}
