"""找人 page: GET filters, the POSTed ID-number search, pagination, scope, and the masked XLSX export."""

import io

import pytest
from openpyxl import load_workbook

from jiedao.core.models import AuditLog
from jiedao.registry import services, views
from jiedao.registry.tests.test_pages_support import denied_count, editor, make_household


@pytest.fixture
def people(world):
    """An elderly couple in 兰溪园 (c2) and a young family in 曹杨一村 (c1, grid g11)."""
    couple = make_household(world, world.b21, people=(("王秀英", "19380501"), ("李建国", "19360203")))
    family = make_household(world, world.b11, room="502", people=(("张伟", "19850101"), ("刘芳", "19870303")))
    services.add_tag(resident=couple.residents.get(name="王秀英"), tag="disabled_care", by=editor(world))
    return couple, family


def test_search_lists_residents_with_masked_values_colour_and_link(world, login, people):
    couple, _family = people
    html = login(world.operator).get("/registry/", {"name": "王"}).content.decode()
    head = couple.residents.get(name="王秀英")
    assert "王秀英" in html and "张伟" not in html
    assert head.id_number not in html and head.phone not in html
    assert f"{head.id_number[:4]}**********{head.id_number[-4:]}" in html and "139****5600" in html
    assert "colour-yellow" in html and head.care_reason in html
    assert f'href="/registry/households/{couple.pk}/"' in html


@pytest.mark.parametrize("params, expected", [
    ({"phone_last4": "5601"}, {"李建国", "刘芳"}),
    ({"tag": "aged_80"}, {"王秀英", "李建国"}),
    ({"tag": "disabled_care"}, {"王秀英"}),
    ({"colour": "yellow"}, {"王秀英"}),
    ({"address": "兰溪路200弄5号502室"}, {"张伟", "刘芳"}),
])
def test_search_filters_by_phone_tail_tag_colour_and_address(world, login, people, params, expected):
    html = login(world.operator).get("/registry/", params).content.decode()
    found = {name for name in ("王秀英", "李建国", "张伟", "刘芳") if f"<td class=\"name\">{name}" in html}
    assert found == expected


def test_search_by_community(world, login, people):
    html = login(world.operator).get("/registry/", {"community": world.c1.pk}).content.decode()
    assert "张伟" in html and "王秀英" not in html


def test_a_malformed_phone_tail_is_explained_by_the_field(world, login, people):
    response = login(world.operator).get("/registry/", {"phone_last4": "12a"})
    assert response.status_code == 400
    assert "手机尾号应为 4 位数字" in response.content.decode()


def test_search_shows_only_residents_within_the_workers_scope(world, login, people):
    social = login(world.social_worker).get("/registry/").content.decode()
    assert "王秀英" in social and "张伟" not in social
    grid = login(world.grid_worker).get("/registry/").content.decode()
    assert "张伟" in grid and "王秀英" not in grid


def test_id_number_search_is_posted_and_finds_the_resident(world, login, people):
    couple, _family = people
    head = couple.residents.get(name="王秀英")
    client = login(world.social_worker)
    page = client.get("/registry/").content.decode()
    assert '<form method="post" class="filters exact-form"' in page
    assert 'name="id_number"' not in page.split('class="filters search-form"')[1].split("</form>")[0]

    response = client.post("/registry/", {"exact-id_number": head.id_number.lower()})
    html = response.content.decode()
    assert response.status_code == 200 and "王秀英" in html and "李建国" not in html
    assert head.id_number not in html  # neither echoed back nor shown unmasked
    assert head.id_number not in response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")
    assert head.id_number not in "".join(e.path + str(e.detail) for e in AuditLog.objects.all())
    assert 'id="export-link"' not in html  # an export never carries the number


def test_an_id_number_in_the_url_is_ignored(world, login, people):
    couple, _family = people
    head = couple.residents.get(name="王秀英")
    html = login(world.operator).get("/registry/", {"id_number": head.id_number}).content.decode()
    assert "张伟" in html and "王秀英" in html  # not filtered: the GET form has no such field


def test_an_invalid_id_number_is_explained(world, login, people):
    response = login(world.operator).post("/registry/", {"exact-id_number": "3101071990"})
    assert response.status_code == 400
    assert "身份证号应为 18 位，实际为 10 位" in response.content.decode()


def test_id_number_search_does_not_cross_the_scope(world, login, people):
    _couple, family = people
    other = family.residents.get(name="张伟")
    html = login(world.social_worker).post("/registry/", {"exact-id_number": other.id_number}).content.decode()
    assert "张伟" not in html and "没有符合条件的居民" in html


def test_results_are_paginated_keeping_the_filters(world, login, people, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = login(world.operator)
    first = client.get("/registry/", {"tag": "elderly"}).content.decode()
    assert "?tag=elderly&amp;page=2" in first and "1 / 2" in first
    second = client.get("/registry/", {"tag": "elderly", "page": 2}).content.decode()
    assert "2 / 2" in second and second.count("一户一档</a>") == 1
    assert ("王秀英" in first) != ("王秀英" in second)


def test_links_follow_the_role(world, login, people):
    social = login(world.social_worker).get("/registry/").content.decode()
    assert "导出 XLSX" in social and "批量导入" in social and "登记新户" in social
    assert f"/registry/buildings/{world.b21.pk}/codes/" in social
    operator = login(world.operator).get("/registry/").content.decode()
    assert "导出 XLSX" not in operator and "批量导入" not in operator and "登记新户" not in operator
    grid = login(world.grid_worker).get("/registry/").content.decode()
    assert "导出 XLSX" not in grid and "批量导入" in grid


def test_export_returns_an_xlsx_of_masked_values_within_scope_and_audits_it(world, login, people):
    couple, _family = people
    response = login(world.social_worker).get("/registry/export.xlsx", {"tag": "aged_80"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "身份证号", "手机号")
    assert {r[0] for r in rows[1:]} == {"王秀英", "李建国"}
    cells = "".join(str(c) for r in rows for c in r)
    for person in couple.residents.all():
        assert person.id_number not in cells and person.phone not in cells
        assert f"{person.id_number[:4]}**********{person.id_number[-4:]}" in cells
    entry = AuditLog.objects.get(action="export")
    assert entry.actor == world.social_worker and entry.detail["rows"] == 2
    assert entry.detail["filters"]["tag"] == "aged_80"


def test_export_is_refused_to_roles_without_the_right(world, login, people):
    for user in (world.grid_worker, world.operator, world.resident):
        before = denied_count(user)
        assert login(user).get("/registry/export.xlsx").status_code == 403
        assert denied_count(user) == before + 1
    assert not AuditLog.objects.filter(action="export").exists()


def test_search_is_refused_to_residents_and_needs_sign_in(world, client, login):
    assert client.get("/registry/")["Location"].startswith("/login/?next=")
    response = login(world.resident).get("/registry/")
    assert response.status_code == 403 and denied_count(world.resident) == 1
    assert login(world.resident).post("/registry/", {"exact-id_number": "x"}).status_code == 403
