"""The JSON API edits what it creates, with the desk forms' rules: PATCH points, rounds, shops and garbage
rooms (only the fields sent change), DELETE a roster duty. Each edit is audited once, by its service; bad
input is answered 422 in Chinese and changes nothing; a row of another 居委 is answered 404, as every lookup
outside the scope; a role that may not manage inspections gets 403; a shop's contact never comes back in clear."""

import json

import pytest

from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections import services
from jiedao.inspections.models import GarbageRoom, Point, RoomDuty, Round, Shop
from jiedao.inspections.tests.conftest import all_pass, client_id
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


@pytest.fixture
def w(insp_world):
    """The inspections world and a head of 兰溪园 (c2), the other 居委."""
    insp_world.head2 = make_user("head2", role=Role.COMMUNITY_HEAD, subdistrict=insp_world.sub,
                                 level=ScopeLevel.COMMUNITY, community=insp_world.c2)
    return insp_world


def patch(client, path, body, **extra):
    return client.patch(f"{API}{path}", json.dumps(body), content_type="application/json", **extra)


def text_of(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def errors_of(response) -> dict:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def audits(action: str, model: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action, object_type=f"inspections.{model}").order_by("pk"))


def snapshot(model, pk: int) -> dict:
    """A row's stored values, to show that a refused request changed nothing."""
    return model.objects.filter(pk=pk).values().get()


def shop_of(w, **overrides) -> Shop:
    return services.register_shop(by=w.head, building=w.b11, **{
        "name": "老王面馆", "licence_no": "91310107MA1FL00001", "kind": "food", "number": "202",
        "contact_name": "王建国", "contact_phone": "13812345678", **overrides})


def room_of(w) -> GarbageRoom:
    return services.create_room(by=w.head, building=w.b11, name="一村1号垃圾厢房", hours=["07:00-09:00"],
                                bins={"wet": 2, "dry": 2})


# ------------------------------------------------------------------------------------------------ points

def test_a_head_edits_only_the_fields_sent_of_a_point(w, login):
    client = login(w.head)
    answer = patch(client, f"/points/{w.point.pk}", {"name": "5号楼道（东）"})
    assert answer.status_code == 200 and answer.json()["name"] == "5号楼道（东）"
    w.point.refresh_from_db()
    assert (w.point.code, w.point.kind, w.point.building, w.point.address, w.point.active) == (
        "LD-0001", w.stairwell, w.b11, w.b11.address, True)
    assert [a.detail for a in audits(AuditAction.UPDATE, "point")] == [{"fields": ["name"]}]
    answer = patch(client, f"/points/{w.point.pk}", {"kind": "elevator", "active": False, "code": None})
    assert answer.status_code == 200 and (answer.json()["kind"], answer.json()["active"]) == ("elevator", False)
    w.point.refresh_from_db()
    assert (w.point.kind.code, w.point.code, w.point.active) == ("elevator", "LD-0001", False)
    assert audits(AuditAction.UPDATE, "point")[-1].detail == {"fields": ["active", "kind_id"]}


def test_a_point_moves_from_its_building_to_coordinates_in_its_community(w, login):
    answer = patch(login(w.head), f"/points/{w.point.pk}", {"building_id": None, "lat": 31.2325, "lon": 121.4025,
                                                          "address": "兰溪路200弄口东侧"})
    assert answer.status_code == 200, answer.content
    w.point.refresh_from_db()
    assert (w.point.building, w.point.community, w.point.grid, w.point.address) == (None, w.c1, w.g11,
                                                                                    "兰溪路200弄口东侧")
    assert answer.json()["grid"] == w.g11.name
    back = patch(login(w.head), f"/points/{w.point.pk}", {"building_id": w.b12.pk, "address": ""})
    w.point.refresh_from_db()
    assert back.status_code == 200 and (w.point.building, w.point.address) == (w.b12, w.b12.address)


def test_a_checked_point_keeps_its_kind_and_bad_point_edits_change_nothing(w, login):
    form = services.open_scan(by=w.grid_worker, token=w.token)
    services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=all_pass(form))
    services.create_point(by=w.head, kind=w.stairwell, code="LD-0002", name="6号楼道", building=w.b12)
    before = snapshot(Point, w.point.pk)
    client = login(w.head)
    refused = errors_of(patch(client, f"/points/{w.point.pk}", {"kind": "elevator"}))
    assert "已有检查记录，不能更改类型" in refused["kind"]
    assert errors_of(patch(client, f"/points/{w.point.pk}", {"code": "LD-0002", "name": ""})) == {
        "code": "点位编码 LD-0002 已被使用", "name": "名称必填，最多 60 个字符"}
    assert errors_of(patch(client, f"/points/{w.point.pk}", {"kind": "lamp"}))["kind"] == "未知的巡检点类型：lamp"
    assert "不能改成这两种类型" in errors_of(patch(client, f"/points/{w.point.pk}", {"kind": "shopfront"}))["kind"]
    assert "请选择楼栋，或填写居委会和经纬度" in text_of(patch(client, f"/points/{w.point.pk}", {"building_id": None,
                                                                                      "lat": None}))
    assert patch(client, f"/points/{w.point.pk}", {"active": "maybe"}).status_code == 422
    assert snapshot(Point, w.point.pk) == before and not audits(AuditAction.UPDATE, "point")


def test_a_shops_or_rooms_point_is_edited_through_the_shop_or_the_room(w, login):
    shop, room = shop_of(w), room_of(w)
    client = login(w.head)
    answer = patch(client, f"/points/{shop.point_id}", {"name": "改名", "active": False})
    assert answer.status_code == 422 and f"PATCH shops/{shop.pk}" in answer.json()["detail"]
    assert f"PATCH rooms/{room.pk}" in patch(client, f"/points/{room.point_id}", {"code": "X-1"}).json()["detail"]
    shop.point.refresh_from_db()
    assert (shop.point.name, shop.point.active) == ("老王面馆", True)


def test_the_new_refusals_speak_english_to_an_english_reader(w, login):
    shop = shop_of(w)
    client = login(w.head)
    answer = patch(client, f"/points/{shop.point_id}", {"name": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 422 and "PATCH shops/" in answer.json()["detail"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["detail"]), answer.json()["detail"]
    answer = patch(client, f"/shops/{shop.pk}", {"contact_phone": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "clear_contact" in answer.json()["detail"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["detail"]), answer.json()["detail"]


# ------------------------------------------------------------------------------------------------ rounds

def test_a_head_edits_only_the_fields_sent_of_a_round(w, login):
    client = login(w.head)
    answer = patch(client, f"/rounds/{w.round.pk}", {"name": "楼道日巡", "frequency": "daily"})
    assert answer.status_code == 200, answer.content
    assert answer.json() | {"id": 0} == {"id": 0, "name": "楼道日巡", "tier": "routine", "frequency": "daily",
                                         "community": w.c1.name, "points": [w.point.pk],
                                         "assignees": ["grid_worker"], "active": True}
    assert audits(AuditAction.UPDATE, "round")[-1].detail == {"fields": ["frequency", "name"]}
    second = services.create_point(by=w.head, kind=w.stairwell, code="LD-0002", name="6号楼道", building=w.b12)
    answer = patch(client, f"/rounds/{w.round.pk}", {"points": [second.pk], "assignees": ["fangzhang", "ducha"]})
    assert answer.status_code == 200, answer.content
    w.round.refresh_from_db()
    assert [p.pk for p in w.round.points.all()] == [second.pk] and w.round.name == "楼道日巡"
    assert {u.username for u in w.round.assignees.all()} == {"fangzhang", "ducha"}
    assert audits(AuditAction.UPDATE, "round")[-1].detail == {"fields": ["assignees", "points"]}
    assert patch(client, f"/rounds/{w.round.pk}", {"active": False}).json()["active"] is False
    assert "楼道日巡" not in [r["name"] for r in login(w.volunteer).get(f"{API}/rounds").json() if r["active"]]


def test_a_round_keeps_its_points_outside_the_editors_scope_sent_or_not(w, login):
    elsewhere = services.create_point(by=w.operator, kind=w.stairwell, code="LD-0201", name="兰溪园楼道",
                                      building=w.b21)
    rnd = services.create_round(by=w.operator, name="两村联巡", points=[w.point, elsewhere], community=w.c1)
    client = login(w.head)
    listed = client.get(f"{API}/rounds").json()
    sent_back = next(r for r in listed if r["id"] == rnd.pk)["points"]  # both points, as GET gives them
    assert patch(client, f"/rounds/{rnd.pk}", {"points": sent_back, "name": "两村联巡（月）"}).status_code == 200
    assert patch(client, f"/rounds/{rnd.pk}", {"points": [w.point.pk], "tier": "self"}).status_code == 200
    rnd.refresh_from_db()
    assert {p.code for p in rnd.points.all()} == {"LD-0001", "LD-0201"} and (rnd.name, rnd.tier) == (
        "两村联巡（月）", "self")


def test_bad_round_edits_are_refused_in_chinese_and_change_nothing(w, login):
    before = snapshot(Round, w.round.pk)
    client = login(w.head)
    assert errors_of(patch(client, f"/rounds/{w.round.pk}", {"frequency": "hourly", "name": " "})) == {
        "frequency": "频次应为：daily、weekly、monthly", "name": "请填写计划名称"}
    assert "不在您的负责范围内" in errors_of(patch(client, f"/rounds/{w.round.pk}",
                                                {"assignees": ["social_worker"]}))["assignees"]
    assert errors_of(patch(client, f"/rounds/{w.round.pk}", {"assignees": ["nobody"]}))["assignees"] == \
        "未知的账号：nobody"
    assert errors_of(patch(client, f"/rounds/{w.round.pk}", {"points": []}))["points"] == "请至少选择一个巡检点"
    assert "全街道的巡检计划由城运中心布置" in errors_of(patch(client, f"/rounds/{w.round.pk}",
                                                      {"community_id": None}))["community_id"]
    w.round.refresh_from_db()
    assert snapshot(Round, w.round.pk) == before and [p.pk for p in w.round.points.all()] == [w.point.pk]
    assert [u.username for u in w.round.assignees.all()] == ["grid_worker"] and not audits(AuditAction.UPDATE, "round")
    # the 城运中心 may make a round subdistrict-wide
    assert patch(login(w.operator), f"/rounds/{w.round.pk}", {"community_id": None}).json()["community"] is None


# ------------------------------------------------------------------------------------------------ shops

def test_a_head_edits_a_shop_and_its_contact_never_comes_back_in_clear(w, login):
    shop = shop_of(w)
    client = login(w.head)
    answers = [patch(client, f"/shops/{shop.pk}", {"name": "王记面馆"})]
    assert answers[-1].status_code == 200 and answers[-1].json()["contact_phone"] == "138****5678"
    shop.refresh_from_db()
    shop.point.refresh_from_db()
    assert (shop.name, shop.address, shop.licence_no, shop.kind, shop.contact_name, shop.contact_phone) == (
        "王记面馆", "兰溪路202号", "91310107MA1FL00001", "food", "王建国", "13812345678")
    assert (shop.point.name, shop.point.address, shop.point.active) == ("王记面馆", "兰溪路202号", True)
    assert audits(AuditAction.UPDATE, "shop")[-1].detail == {"fields": ["name"]}
    answers.append(patch(client, f"/shops/{shop.pk}", {"contact_phone": "139 8765 4321"}))
    shop.refresh_from_db()
    assert answers[-1].json()["contact_phone"] == "139****4321"
    assert (shop.contact_name, shop.contact_phone) == ("王建国", "13987654321")
    record = audits(AuditAction.UPDATE, "shop")[-1]
    assert record.detail == {"fields": ["contact_phone"]} and "1398765" not in json.dumps(record.detail)
    answers.append(patch(client, f"/shops/{shop.pk}", {"clear_contact": True}))
    shop.refresh_from_db()
    assert answers[-1].json()["contact_phone"] == "" and (shop.contact_name, shop.contact_phone) == ("", "")
    answers.append(patch(client, f"/shops/{shop.pk}", {"active": False, "duties": ["门前市容整洁"], "number": ""}))
    shop.refresh_from_db()
    shop.point.refresh_from_db()
    assert answers[-1].json()["active"] is False and shop.point.active is False and shop.duties == ["门前市容整洁"]
    assert shop.address == w.b11.address  # no street number of its own: the building's door plate
    answers.append(client.get(f"{API}/shops"))
    answers.append(client.get(f"{API}/shops/stars"))  # not taken for a shop's id
    assert all(a.status_code == 200 for a in answers)
    for secret in ("王建国", "13812345678", "1381234", "13987654321", "1398765"):
        assert not any(secret in a.content.decode() or secret in text_of(a) for a in answers), secret
    assert len(audits(AuditAction.UPDATE, "shop")) == 4  # one record per edit, none from the endpoint


def test_bad_shop_edits_are_refused_in_chinese_and_change_nothing(w, login):
    shop = shop_of(w)
    shop_of(w, name="便民超市", licence_no="91310107MA1FL00002", number="204")
    before = snapshot(Shop, shop.pk)
    client = login(w.head)
    assert errors_of(patch(client, f"/shops/{shop.pk}", {"licence_no": "12345", "contact_phone": "1381234"})) == {
        "licence_no": "营业执照号应为 18 位统一社会信用代码或 15 位注册号",
        "contact_phone": "手机号应为 11 位，实际为 7 位"}
    assert errors_of(patch(client, f"/shops/{shop.pk}", {"licence_no": "91310107ma1fl00002"}))["licence_no"] == \
        "营业执照号 91310107MA1FL00002 已登记"
    assert "clear_contact" in errors_of(patch(client, f"/shops/{shop.pk}", {"contact_phone": ""}))["contact_phone"]
    assert "不能同时填写" in errors_of(patch(client, f"/shops/{shop.pk}", {
        "clear_contact": True, "contact_phone": "13987654321"}))["clear_contact"]
    assert "业态应为" in errors_of(patch(client, f"/shops/{shop.pk}", {"kind": "casino"}))["kind"]
    answers = [patch(client, f"/shops/{shop.pk}", {"contact_phone": "1381234"})]
    assert all("13812345678" not in a.content.decode() for a in answers)
    assert snapshot(Shop, shop.pk) == before and not audits(AuditAction.UPDATE, "shop")


# ------------------------------------------------------------------------------------------------ rooms

def test_a_head_edits_a_room_in_the_fields_sent(w, login):
    room = room_of(w)
    client = login(w.head)
    answer = patch(client, f"/rooms/{room.pk}", {"hours": ["06:30-08:30", "18:00–20:00"]})
    assert answer.status_code == 200 and answer.json()["hours"] == ["06:30-08:30", "18:00-20:00"]
    room.refresh_from_db()
    assert (room.name, room.bins, room.active, room.grid) == ("一村1号垃圾厢房", {"wet": 2, "dry": 2}, True, w.g11)
    assert audits(AuditAction.UPDATE, "garbageroom")[-1].detail == {"fields": ["hours"]}
    answer = patch(client, f"/rooms/{room.pk}", {"building_id": w.b12.pk, "bins": {"wet": 3}, "active": False})
    assert answer.status_code == 200 and (answer.json()["bins"], answer.json()["active"]) == ({"wet": 3}, False)
    room.refresh_from_db()
    room.point.refresh_from_db()
    assert (room.grid, room.point.building, room.point.active) == (w.g12, w.b12, False)
    assert set(audits(AuditAction.UPDATE, "garbageroom")[-1].detail["fields"]) == {"active", "bins", "building",
                                                                                   "grid_id"}


def test_bad_room_edits_are_refused_in_chinese_and_change_nothing(w, login):
    room = room_of(w)
    before = snapshot(GarbageRoom, room.pk)
    client = login(w.head)
    assert errors_of(patch(client, f"/rooms/{room.pk}", {"hours": ["7点到9点"], "bins": {"wet": 80}, "name": ""})) == {
        "hours": "投放时间“7点到9点”格式应为 07:00-09:00", "bins": "桶数应为 0–50 的整数",
        "name": "名称必填，最多 60 个字符"}
    assert "未知的垃圾类别：glass" in errors_of(patch(client, f"/rooms/{room.pk}", {"bins": {"glass": 1}}))["bins"]
    assert snapshot(GarbageRoom, room.pk) == before and not audits(AuditAction.UPDATE, "garbageroom")


def test_a_head_takes_a_volunteer_off_the_roster(w, login):
    room, other = room_of(w), services.create_room(by=w.head, building=w.b12, name="二号厢房", hours=[], bins={})
    duty = services.add_duty(by=w.head, room=room, role="room_head", name="李桂英", phone="13912345678")
    kept = services.add_duty(by=w.head, room=room, role="monitor", name="张秀兰")
    client = login(w.head)
    roster = client.get(f"{API}/rooms").json()[0]["roster"]
    assert {d["id"] for d in roster} == {duty.pk, kept.pk}  # the ids DELETE takes
    answer = client.delete(f"{API}/rooms/{room.pk}/duties/{duty.pk}")
    assert answer.status_code == 200 and [d["id"] for d in answer.json()["roster"]] == [kept.pk]
    assert "李桂英" not in answer.content.decode() and list(RoomDuty.objects.all()) == [kept]
    assert [(a.object_id, a.detail) for a in audits(AuditAction.DELETE, "roomduty")] == [
        (str(duty.pk), {"room": room.pk, "role": "room_head"})]
    assert client.delete(f"{API}/rooms/{room.pk}/duties/{duty.pk}").status_code == 404  # gone
    assert client.delete(f"{API}/rooms/{other.pk}/duties/{kept.pk}").status_code == 404  # another room's
    assert list(RoomDuty.objects.all()) == [kept] and len(audits(AuditAction.DELETE, "roomduty")) == 1


# ------------------------------------------------------------------------------------------------ access

def edits(w) -> list[tuple[str, str, dict]]:
    """One request per new operation on c1's rows, each one that the head of c1 may send."""
    shop, room = shop_of(w), room_of(w)
    duty = services.add_duty(by=w.head, room=room, role="monitor", name="张秀兰")
    return [("patch", f"/points/{w.point.pk}", {"name": "越界"}), ("patch", f"/rounds/{w.round.pk}", {"name": "越界"}),
            ("patch", f"/shops/{shop.pk}", {"name": "越界"}), ("patch", f"/rooms/{room.pk}", {"name": "越界"}),
            ("delete", f"/rooms/{room.pk}/duties/{duty.pk}", {})]


def rows() -> list:
    return [list(m.objects.values()) for m in (Point, Round, Shop, GarbageRoom, RoomDuty)]


def send(client, method: str, path: str, body: dict):
    return patch(client, path, body) if method == "patch" else client.delete(f"{API}{path}")


def test_another_communitys_rows_are_answered_404_and_audited(w, login):
    requests, before = edits(w), rows()
    client = login(w.head2)
    for method, path, body in requests:
        answer = send(client, method, path, body)
        assert answer.status_code == 404 and answer.json()["detail"] == "对象不存在或不在您的数据范围内", path
    assert rows() == before and not AuditLog.objects.filter(actor=w.head2, action__in=[
        AuditAction.UPDATE, AuditAction.DELETE]).exists()
    assert AuditLog.objects.filter(actor=w.head2, action=AuditAction.DENIED).count() == len(requests)


def test_a_head_cannot_move_a_row_to_another_communitys_building(w, login):
    requests = edits(w)
    other = services.create_point(by=w.operator, kind=w.stairwell, code="LD-0201", name="兰溪园楼道", building=w.b21)
    before = rows()
    client = login(w.head)
    for _method, path, _body in requests[:4]:
        body = {"community_id": w.c2.pk} if path.startswith("/rounds") else {"building_id": w.b21.pk}
        assert patch(client, path, body).status_code == 404, path  # as the API's other lookups by id
    assert patch(client, f"/rounds/{w.round.pk}", {"points": [w.point.pk, other.pk]}).status_code == 404
    assert patch(client, f"/points/{w.point.pk}", {"community_id": w.c2.pk, "lat": 31.2325,
                                                   "lon": 121.4125}).status_code == 404
    assert rows() == before and not AuditLog.objects.filter(actor=w.head, action=AuditAction.UPDATE).exists()


def test_a_role_that_does_not_manage_inspections_gets_403_and_nothing_changes(w, login):
    requests, before = edits(w), rows()
    for user in (w.grid_worker, w.volunteer, w.leader):
        client = login(user)
        for method, path, body in requests:
            assert send(client, method, path, body).status_code == 403, (user.username, path)
    assert rows() == before
    assert AuditLog.objects.filter(actor=w.grid_worker, action=AuditAction.DENIED).count() == len(requests)


def test_the_openapi_schema_lists_the_edits(w, login):
    paths = login(w.head).get("/api/openapi.json").json()["paths"]
    for path, method in [("points/{point_id}", "patch"), ("rounds/{round_id}", "patch"),
                         ("shops/{shop_id}", "patch"), ("rooms/{room_id}", "patch"),
                         ("rooms/{room_id}/duties/{duty_id}", "delete")]:
        assert method in paths[f"{API}/{path}"], path
    shop = paths[f"{API}/shops/{{shop_id}}"]["patch"]
    assert "clear_contact" in json.dumps(login(w.head).get("/api/openapi.json").json()["components"]) and shop
