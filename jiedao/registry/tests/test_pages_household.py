"""登记新户 and 一户一档 pages: register, add residents, tag, reveal, edit, set head, move out; scope and audit."""

import pytest

from jiedao.core.models import AuditLog
from jiedao.registry.models import Household, Resident
from jiedao.registry.tests.test_pages_support import denied_count, make_household, make_id


def _add(client, household, **fields):
    data = {"add-relation": "head", "add-residence_status": "both", **{f"add-{k}": v for k, v in fields.items()}}
    return client.post(f"/registry/households/{household.pk}/residents/", data)


def _person(household, name) -> Resident:
    return household.residents.get(name=name)


def test_social_worker_registers_tags_reveals_and_moves_out_through_the_pages(world, login):
    client = login(world.social_worker)
    form = client.get("/registry/households/new/").content.decode()
    assert "梅岭北路41号" in form and "兰溪路200弄5号" not in form  # only buildings of their 居委

    response = client.post("/registry/households/new/", {"building": world.b21.pk, "room": "301"})
    household = Household.objects.get(building=world.b21, room="301")
    assert response.status_code == 302 and response["Location"] == f"/registry/households/{household.pk}/"

    head_id, spouse_id = make_id("19380501"), make_id("19360203")
    assert _add(client, household, name="王秀英", id_number=head_id, phone="13912345678").status_code == 302
    assert _add(client, household, name="李建国", id_number=spouse_id, relation="spouse").status_code == 302
    head, spouse = _person(household, "王秀英"), _person(household, "李建国")
    assert (head.relation, spouse.relation) == ("head", "spouse")

    response = client.post(f"/registry/residents/{head.pk}/tags/", {f"r{head.pk}-tag-tag": "disabled_care"})
    assert response.status_code == 302
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert "黄: 高龄 + 失能/失智" in page  # colour and its explanation
    assert "失能/失智" in page and "高龄" in page and "老年人" in page  # entered and derived tags
    assert "3101**********" in page and head_id not in page and "13912345678" not in page

    response = client.post(f"/registry/residents/{head.pk}/reveal/",
                           {"field": "id_number", "reason": "核对高龄津贴"})
    assert response.status_code == 200 and head_id in response.content.decode()
    entry = AuditLog.objects.get(action="reveal", actor=world.social_worker)
    assert (entry.field, entry.reason, entry.object_id) == ("id_number", "核对高龄津贴", str(head.pk))
    assert "no-store" in response["Cache-Control"]

    moved_on = spouse.moved_in_on.isoformat()  # the day they were registered, whatever the clock says now
    response = client.post(f"/registry/residents/{spouse.pk}/move-out/",
                           {f"r{spouse.pk}-move-on": moved_on, f"r{spouse.pk}-move-note": "迁往女儿家"})
    assert response.status_code == 302
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    moved_out = page.split("已迁出居民")[1]
    assert "李建国" in moved_out and moved_on in moved_out
    history = page.split("迁入迁出记录")[1]
    assert "迁往女儿家" in history and history.count("<tr>") == 3  # header + two stays, none overwritten
    head.refresh_from_db()
    assert head.care_colour == "red" and {"独居", "高龄", "失能/失智"} <= set(head.care_reason[3:].split(" + "))
    assert head.care_reason in page  # the head now lives alone: red, and the page says why


def test_household_file_shows_address_places_and_qr_code(world, login):
    household = make_household(world)
    client = login(world.social_worker)
    client.post(f"/registry/households/{household.pk}/code/", {"action": "issue"})
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert "梅岭北路41号301室" in page and world.c2.name in page and world.g21.name in page
    assert page.count("<svg") == 1
    assert "打印本楼户码" in page and f"/registry/buildings/{world.b21.pk}/codes/" in page


def test_household_file_before_reveal_shows_only_masked_values(world, login):
    household = make_household(world)
    head = _person(household, "王秀英")
    page = login(world.social_worker).get(f"/registry/households/{household.pk}/").content.decode()
    assert head.id_number not in page and head.phone not in page
    assert f"{head.id_number[:4]}**********{head.id_number[-4:]}" in page
    assert "139****5600" in page
    assert not AuditLog.objects.filter(action="reveal").exists()


def test_reveal_answers_json_for_the_page_script(world, login):
    household = make_household(world)
    head = _person(household, "王秀英")
    response = login(world.social_worker).post(
        f"/registry/residents/{head.pk}/reveal/", {"field": "phone", "reason": "电话回访"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json() == {"field": "phone", "value": head.phone}
    assert AuditLog.objects.filter(action="reveal", field="phone", reason="电话回访").count() == 1


def test_reveal_without_a_reason_shows_the_error_and_reveals_nothing(world, login):
    household = make_household(world)
    head = _person(household, "王秀英")
    client = login(world.social_worker)
    response = client.post(f"/registry/residents/{head.pk}/reveal/", {"field": "id_number", "reason": "x"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写查看事由（至少 2 个字）" in html and head.id_number not in html
    as_json = client.post(f"/registry/residents/{head.pk}/reveal/", {"field": "id_number", "reason": " "},
                          HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400 and "reason" in as_json.json()["errors"]
    assert not AuditLog.objects.filter(action="reveal").exists()


def test_operator_may_reveal_phones_but_not_id_numbers(world, login):
    household = make_household(world)
    head = _person(household, "王秀英")
    client = login(world.operator)
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert 'name="field" value="phone"' in page and 'name="field" value="id_number"' not in page
    assert "添加居民" not in page and "修改信息" not in page  # no editing without EDIT_REGISTRY
    response = client.post(f"/registry/residents/{head.pk}/reveal/", {"field": "id_number", "reason": "核对"})
    assert response.status_code == 403 and head.id_number not in response.content.decode()
    assert denied_count(world.operator) == 1


def test_a_second_head_is_refused_next_to_the_relation_field(world, login):
    household = make_household(world)
    response = _add(login(world.social_worker), household, name="赵四", id_number=make_id("19700101"),
                    relation="head")
    html = response.content.decode()
    assert response.status_code == 400
    assert "该户已有户主；请选择其他关系或先变更户主" in html
    label, field = html.index('for="id_add-relation"'), html.index('name="add-relation"')
    assert label < html.index("该户已有户主") < field  # shown with the field, not only at the top
    assert not Resident.objects.filter(name="赵四").exists()


def test_an_id_number_with_a_wrong_check_digit_is_refused_with_the_fix(world, login):
    household = make_household(world)
    good = make_id("19800101")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = _add(login(world.social_worker), household, name="钱五", id_number=bad, relation="child")
    html = response.content.decode()
    assert response.status_code == 400
    assert f"身份证号校验位错误：应为 {good[17]}" in html
    assert not Resident.objects.filter(name="钱五").exists()


def test_the_head_cannot_move_out_while_others_stay(world, login):
    household = make_household(world, people=(("王秀英", "19380501"), ("李建国", "19360203")))
    head = _person(household, "王秀英")
    response = login(world.social_worker).post(
        f"/registry/residents/{head.pk}/move-out/", {f"r{head.pk}-move-on": head.moved_in_on.isoformat()}
    )
    assert response.status_code == 400
    assert "户主迁出前，请先把留在户内的另一位居民设为户主" in response.content.decode()
    head.refresh_from_db()
    assert head.moved_out_on is None


def test_set_head_hands_the_household_over(world, login):
    household = make_household(world, people=(("王秀英", "19380501"), ("李建国", "19360203")))
    head, spouse = _person(household, "王秀英"), _person(household, "李建国")
    response = login(world.social_worker).post(
        f"/registry/residents/{spouse.pk}/head/", {f"r{spouse.pk}-head-former_head_relation": "spouse"}
    )
    assert response.status_code == 302
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert (spouse.relation, head.relation) == ("head", "spouse")


def test_editing_a_resident_keeps_the_phone_unless_a_new_one_is_given(world, login):
    household = make_household(world)
    head = _person(household, "王秀英")
    client = login(world.social_worker)
    prefix = f"r{head.pk}-edit"
    base = {f"{prefix}-name": "王秀英", f"{prefix}-relation": "head", f"{prefix}-residence_status": "person_only"}
    assert client.post(f"/registry/residents/{head.pk}/edit/", base).status_code == 302
    head.refresh_from_db()
    assert (head.residence_status, head.phone) == ("person_only", "13912345600")
    response = client.post(f"/registry/residents/{head.pk}/edit/", {**base, f"{prefix}-phone": "12345"})
    assert response.status_code == 400 and "手机号" in response.content.decode()
    response = client.post(f"/registry/residents/{head.pk}/edit/", {**base, f"{prefix}-phone": "13700001111"})
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.phone == "13700001111"


def test_removing_an_entered_tag_recolours_the_resident(world, login):
    household = make_household(world)
    head = _person(household, "王秀英")
    client = login(world.social_worker)
    client.post(f"/registry/residents/{head.pk}/tags/", {f"r{head.pk}-tag-tag": "lonely_elderly"})
    head.refresh_from_db()
    assert head.care_colour == "red"
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert f'action="/registry/residents/{head.pk}/tags/remove/"' in page
    assert client.post(f"/registry/residents/{head.pk}/tags/remove/", {"tag": "孤老"}).status_code == 302
    head.refresh_from_db()
    assert head.care_colour != "red"


def test_registering_a_room_twice_shows_the_error_by_the_room_field(world, login):
    make_household(world)
    response = login(world.social_worker).post("/registry/households/new/", {"building": world.b21.pk, "room": "301室"})
    assert response.status_code == 400
    assert "梅岭北路41号301室已登记" in response.content.decode()


@pytest.mark.parametrize("persona, building", [("social_worker", "b11"), ("grid_worker", "b12")])
def test_registering_in_a_building_outside_ones_scope_is_refused_and_audited(world, login, persona, building):
    user, building = getattr(world, persona), getattr(world, building)
    response = login(user).post("/registry/households/new/", {"building": building.pk, "room": "101"})
    assert response.status_code == 403
    assert denied_count(user) == 1
    assert not Household.objects.exists()


# ----------------------------------------------------------------------------- access
def _endpoints(household):
    head = household.residents.get(relation="head")
    return [
        ("get", f"/registry/households/{household.pk}/", {}),
        ("post", f"/registry/households/{household.pk}/residents/", {"add-name": "x"}),
        ("post", f"/registry/households/{household.pk}/code/", {"action": "issue"}),
        ("post", f"/registry/residents/{head.pk}/edit/", {}),
        ("post", f"/registry/residents/{head.pk}/head/", {}),
        ("post", f"/registry/residents/{head.pk}/move-out/", {}),
        ("post", f"/registry/residents/{head.pk}/tags/", {}),
        ("post", f"/registry/residents/{head.pk}/tags/remove/", {"tag": "孤老"}),
        ("post", f"/registry/residents/{head.pk}/reveal/", {"field": "id_number", "reason": "核对信息"}),
    ]


@pytest.mark.parametrize("persona", ["social_worker", "grid_worker", "resident"])
def test_household_pages_refuse_and_audit_users_outside_the_household(world, login, persona):
    household = make_household(world, world.b12)  # 曹杨一村, grid g12: outside both workers' scopes
    user = getattr(world, persona)
    client = login(user)
    expected = 403 if persona == "resident" else 404  # the role refuses; outside the scope reads as missing
    for method, url, data in _endpoints(household):
        before = denied_count(user)
        response = getattr(client, method)(url, data)
        assert response.status_code == expected, url
        assert "王秀英" not in response.content.decode()
        assert denied_count(user) == before + 1, url


def test_household_pages_need_sign_in(world, client):
    household = make_household(world)
    for method, url, data in [*_endpoints(household), ("get", "/registry/households/new/", {})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url


def test_roles_without_edit_rights_cannot_change_a_household(world, login):
    household = make_household(world)
    head = household.residents.get()
    client = login(world.operator)
    assert client.get("/registry/households/new/").status_code == 403
    assert client.post(f"/registry/residents/{head.pk}/tags/", {f"r{head.pk}-tag-tag": "focus"}).status_code == 403
    assert client.post(f"/registry/households/{household.pk}/code/", {"action": "issue"}).status_code == 403
    assert denied_count(world.operator) == 3
    assert not head.tag_links.exists() and not household.codes.exists()
    assert login(world.resident).get("/registry/households/new/").status_code == 403


def test_a_grid_worker_keeps_households_of_their_own_grid(world, login):
    household = make_household(world, world.b11)
    client = login(world.grid_worker)
    assert client.get(f"/registry/households/{household.pk}/").status_code == 200
    assert client.get("/registry/households/999999/").status_code == 404
