"""The desk forms that lay out inspection work: a 居委 head (or the 城运中心) registers and edits points,
rounds, shops and garbage rooms with their rosters. Each form: created and edited through the page, audited;
bad input comes back with the reason in Chinese on the field and what was typed; a head of another 居委 is
refused (403 creating there, 404 editing); a grid worker sees no button and is refused."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections import services
from jiedao.inspections.models import GarbageRoom, Point, PointKind, RoomDuty, Round, Shop
from jiedao.inspections.services.points import update_point, update_round
from jiedao.inspections.tests.conftest import all_pass, client_id
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(insp_world):
    """The inspections world and a head of 兰溪园 (c2), the other 居委."""
    insp_world.head2 = make_user("head2", role=Role.COMMUNITY_HEAD, subdistrict=insp_world.sub,
                                 level=ScopeLevel.COMMUNITY, community=insp_world.c2)
    return insp_world


def html_of(response) -> str:
    return response.content.decode()


def field_errors(html: str, name: str) -> str:
    """The text of the field ``name``'s block (label, control, help and errors)."""
    found = re.search(rf'<div class="field[^"]*" data-field="{name}".*?(?=data-field=|</form>)', html, re.S)
    return found.group(0) if found else ""


def audits(action: str, model: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action, object_type=f"inspections.{model}").order_by("pk"))


def point_data(w, **overrides) -> dict:
    return {"kind": w.stairwell.pk, "code": "LD-0101", "name": "兰溪路200弄6号楼道", "building": w.b12.pk,
            "community": "", "lat": "", "lon": "", "address": "", **overrides}


# ------------------------------------------------------------------------------------------------ access

LIST_BUTTONS = {"/inspections/": "new-point", "/inspections/rounds/": "new-round",
                "/inspections/shops/": "new-shop", "/inspections/garbage/": "new-room"}
FORMS = ["/inspections/points/new/", "/inspections/rounds/new/", "/inspections/shops/new/",
         "/inspections/garbage/rooms/new/"]


def test_the_list_pages_offer_the_forms_to_those_who_manage_only(w, login):
    head = login(w.head)
    for url, button in LIST_BUTTONS.items():
        assert f'data-testid="{button}"' in html_of(head.get(url)), url
    for url in FORMS:
        assert head.get(url).status_code == 200, url
    worker = login(w.grid_worker)
    for url, button in LIST_BUTTONS.items():
        page = worker.get(url)
        assert page.status_code == 200 and f'data-testid="{button}"' not in html_of(page), url


def test_a_grid_worker_is_refused_every_form_and_nothing_is_written(w, login):
    room = services.create_room(by=w.head, building=w.b11, name="一村1号垃圾厢房", hours=[], bins={})
    duty = services.add_duty(by=w.head, room=room, role="monitor", name="张秀兰")
    worker = login(w.grid_worker)
    counts = (Point.objects.count(), Round.objects.count(), Shop.objects.count(), RoomDuty.objects.count())
    for url in FORMS:
        assert worker.get(url).status_code == 403, url
    assert worker.post("/inspections/points/new/", point_data(w)).status_code == 403
    assert worker.post("/inspections/rounds/new/", {"name": "x", "points": [w.point.pk]}).status_code == 403
    assert worker.post(f"/inspections/points/{w.point.pk}/edit/", point_data(w)).status_code == 403
    assert worker.post(f"/inspections/rounds/{w.round.pk}/edit/", {"name": "x"}).status_code == 403
    assert worker.post(f"/inspections/garbage/rooms/{room.pk}/duties/{duty.pk}/remove/").status_code == 403
    assert worker.post(f"/inspections/garbage/rooms/{room.pk}/duties/",
                       {"role": "monitor", "name": "李四"}).status_code == 403
    assert counts == (Point.objects.count(), Round.objects.count(), Shop.objects.count(), RoomDuty.objects.count())
    assert AuditLog.objects.filter(actor=w.grid_worker, action=AuditAction.DENIED).count() >= 4


# ------------------------------------------------------------------------------------------------ points

def test_a_head_registers_a_point_and_is_sent_to_print_its_label(w, login):
    head = login(w.head)
    form = html_of(head.get("/inspections/points/new/"))
    assert w.b11.address in form and w.b21.address not in form  # only the head's own buildings on offer
    assert "沿街门店" not in form  # shops and rooms have their own forms
    answer = head.post("/inspections/points/new/", point_data(w))
    point = Point.objects.get(code="LD-0101")
    assert answer.status_code == 302 and answer["Location"] == f"/inspections/points/{point.pk}/"
    page = html_of(head.get(answer["Location"]))
    assert "已登记巡检点 LD-0101" in page and f"/inspections/labels/?point={point.pk}" in page
    assert (point.building, point.community, point.grid, point.address) == (w.b12, w.c1, w.g12, w.b12.address)
    assert [a.object_id for a in audits(AuditAction.CREATE, "point")][-1] == str(point.pk)


def test_a_point_at_coordinates_is_placed_in_its_grid(w, login):
    answer = login(w.head).post("/inspections/points/new/", point_data(
        w, kind=PointKind.objects.get(code="manhole").pk, code="JG-0001", name="兰溪路井盖", building="",
        community=w.c1.pk, lat="31.2325", lon="121.4025", address="兰溪路200弄口东侧"))
    assert answer.status_code == 302
    point = Point.objects.get(code="JG-0001")
    assert (point.building, point.community, point.grid, point.address) == (None, w.c1, w.g11, "兰溪路200弄口东侧")


def test_a_bad_point_comes_back_with_the_reason_in_chinese_and_what_was_typed(w, login):
    head = login(w.head)
    page = head.post("/inspections/points/new/", point_data(w, code="LD-0001", name="六号楼道新标签"))
    html = html_of(page)
    assert page.status_code == 400 and "点位编码 LD-0001 已被使用" in field_errors(html, "code")
    assert 'value="六号楼道新标签"' in html and f'<option value="{w.b12.pk}" selected>' in html
    page = head.post("/inspections/points/new/", point_data(w, building="", lat="31.2325"))
    assert page.status_code == 400 and "请选择楼栋，或填写居委会和经纬度" in field_errors(html_of(page), "building")
    assert 'value="31.2325"' in html_of(page)
    page = head.post("/inspections/points/new/", point_data(w, building="", community=w.c1.pk, lat="95", lon="121"))
    assert page.status_code == 400 and "90" in field_errors(html_of(page), "lat")
    assert Point.objects.filter(code="LD-0101").count() == 0


def test_the_form_speaks_english_to_an_english_reader(w, login):
    page = login(w.head).post("/inspections/points/new/", point_data(w, code="LD-0001"), HTTP_ACCEPT_LANGUAGE="en")
    html = html_of(page)
    assert page.status_code == 400 and "Point code LD-0001 is taken" in field_errors(html, "code")
    assert "Location note" in html and "位置说明" not in html


def test_a_head_edits_a_point_and_takes_it_out_of_use(w, login):
    head = login(w.head)
    form = html_of(head.get(f"/inspections/points/{w.point.pk}/edit/"))
    assert 'value="LD-0001"' in form and 'name="active"' in form
    answer = head.post(f"/inspections/points/{w.point.pk}/edit/", point_data(
        w, code="LD-0001", name="5号楼道（东）", building=w.b11.pk))  # active left unticked: out of use
    assert answer.status_code == 302
    w.point.refresh_from_db()
    assert (w.point.name, w.point.active) == ("5号楼道（东）", False)
    assert audits(AuditAction.UPDATE, "point")[-1].detail == {"fields": ["active", "name"]}
    scan = login(w.grid_worker).get(f"/inspections/q/{w.token}/")
    assert scan.status_code == 400 and "已停用" in html_of(scan)


def test_a_checked_point_keeps_its_kind(w):
    form = services.open_scan(by=w.grid_worker, token=w.token)
    services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=all_pass(form))
    with pytest.raises(ValidationError) as exc:
        update_point(point=w.point, by=w.head, kind=PointKind.objects.get(code="elevator"), code="LD-0001",
                     name=w.point.name, building=w.b11)
    assert "已有检查记录" in exc.value.message_dict["kind"][0]


def test_a_head_cannot_register_or_edit_points_of_another_community(w, login):
    other = login(w.head2)
    assert other.post("/inspections/points/new/", point_data(w, building=w.b11.pk)).status_code == 403
    assert other.post("/inspections/points/new/", point_data(
        w, building="", community=w.c1.pk, lat="31.2325", lon="121.4025")).status_code == 403
    assert other.get(f"/inspections/points/{w.point.pk}/edit/").status_code == 404
    assert other.post(f"/inspections/points/{w.point.pk}/edit/", point_data(w, building=w.b21.pk)).status_code == 404
    assert not Point.objects.filter(code="LD-0101").exists() and Point.objects.get(pk=w.point.pk).building == w.b11
    assert AuditLog.objects.filter(actor=w.head2, action=AuditAction.DENIED).count() == 4
    mine = login(w.head)  # and the head of c1 cannot move a point to c2
    assert mine.post(f"/inspections/points/{w.point.pk}/edit/", point_data(
        w, code="LD-0001", building=w.b21.pk, active="on")).status_code == 403


# ------------------------------------------------------------------------------------------------ rounds

def round_data(w, **overrides) -> dict:
    return {"name": "一村楼道日巡", "tier": "routine", "frequency": "daily", "community": w.c1.pk,
            "starts_on": "2026-03-02", "points": [w.point.pk], "assignees": [w.volunteer.pk], **overrides}


def test_a_head_lays_out_a_round_of_ticked_points_and_people(w, login):
    second = services.create_point(by=w.head, kind=w.stairwell, code="LD-0002", name="6号楼道", building=w.b12)
    services.create_point(by=w.operator, kind=w.stairwell, code="LD-0201", name="兰溪园楼道", building=w.b21)
    head = login(w.head)
    form = html_of(head.get("/inspections/rounds/new/"))
    assert "LD-0002" in form and "LD-0201" not in form  # the head's points only, grouped by 居委
    assert w.volunteer.display_name in form and w.social_worker.display_name not in form  # people in scope
    assert "全街道" not in form  # a 居委's round belongs to the 居委
    answer = head.post("/inspections/rounds/new/", round_data(w, points=[w.point.pk, second.pk]))
    assert answer.status_code == 302 and answer["Location"] == "/inspections/rounds/"
    rnd = Round.objects.get(name="一村楼道日巡")
    assert {p.code for p in rnd.points.all()} == {"LD-0001", "LD-0002"}
    assert list(rnd.assignees.all()) == [w.volunteer] and rnd.community == w.c1 and rnd.frequency == "daily"
    assert audits(AuditAction.CREATE, "round")[-1].object_id == str(rnd.pk)
    listed = html_of(head.get("/inspections/rounds/"))
    assert "已布置巡检计划“一村楼道日巡”" in listed and f"/inspections/rounds/{rnd.pk}/edit/" in listed


def test_a_bad_round_comes_back_with_the_reason_and_the_ticks(w, login):
    second = services.create_point(by=w.head, kind=w.stairwell, code="LD-0002", name="6号楼道", building=w.b12)
    head = login(w.head)
    page = head.post("/inspections/rounds/new/", round_data(w, name="", points=[second.pk]))
    html = html_of(page)
    assert page.status_code == 400 and "这个字段是必填项" in field_errors(html, "name")
    assert f'value="{second.pk}" checked' in html and f'value="{w.point.pk}">' in html
    assert re.search(rf'name="assignees" value="{w.volunteer.pk}"[^>]*checked', html)
    page = head.post("/inspections/rounds/new/", round_data(w, points=[]))
    assert page.status_code == 400 and "请至少选择一个巡检点" in html_of(page)
    assert 'value="一村楼道日巡"' in html_of(page)
    assert not Round.objects.filter(name="一村楼道日巡").exists()


def test_an_assignee_who_does_not_work_here_is_refused(w, login):
    page = login(w.head).post("/inspections/rounds/new/", round_data(w, assignees=[w.social_worker.pk]))
    assert page.status_code == 400 and field_errors(html_of(page), "assignees").count("errorlist") == 1
    with pytest.raises(ValidationError) as exc:  # the service says so too (the API's path)
        services.create_round(by=w.head, name="兰溪园的人", points=[w.point], assignees=[w.social_worker])
    assert "不在您的负责范围内" in exc.value.message_dict["assignees"][0]
    # a subdistrict-wide 第三方督察 works everywhere
    assert services.create_round(by=w.head, name="督察", points=[w.point], assignees=[w.auditor3]).pk


def test_a_head_edits_and_stops_a_round_keeping_points_outside_their_scope(w, login):
    elsewhere = services.create_point(by=w.operator, kind=w.stairwell, code="LD-0201", name="兰溪园楼道",
                                      building=w.b21)
    rnd = services.create_round(by=w.operator, name="两村联巡", points=[w.point, elsewhere], community=w.c1,
                                assignees=[w.grid_worker])
    assert "两村联巡" in html_of(login(w.grid_worker).get("/inspections/mine/"))
    head = login(w.head)
    form = html_of(head.get(f"/inspections/rounds/{rnd.pk}/edit/"))
    assert "LD-0201" not in form and "另有 1 个巡检点不在您的负责范围内" in form
    answer = head.post(f"/inspections/rounds/{rnd.pk}/edit/", round_data(
        w, name="两村联巡（月）", frequency="monthly", assignees=[w.grid_worker.pk]))
    assert answer.status_code == 302  # active left unticked: the round stops
    rnd.refresh_from_db()
    assert (rnd.name, rnd.frequency, rnd.active) == ("两村联巡（月）", "monthly", False)
    assert {p.code for p in rnd.points.all()} == {"LD-0001", "LD-0201"}
    assert set(audits(AuditAction.UPDATE, "round")[-1].detail["fields"]) == {"active", "frequency", "name",
                                                                             "starts_on"}
    listed = html_of(head.get(answer["Location"]))
    assert "已保存巡检计划" in listed and re.search(r"两村联巡（月）</a> <span class=\"badge bad\">已停用", listed)
    assert "两村联巡" not in html_of(login(w.grid_worker).get("/inspections/mine/"))


def test_a_head_may_rename_or_stop_a_round_whose_points_are_all_outside_their_scope(w):
    """The round keeps those points, so it is not "without a point" for want of any in the head's sight."""
    elsewhere = services.create_point(by=w.operator, kind=w.stairwell, code="LD-0202", name="兰溪园楼道",
                                      building=w.b21)
    rnd = services.create_round(by=w.operator, name="兰溪园代巡", points=[elsewhere], community=w.c1)
    update_round(rnd=rnd, by=w.head, name="兰溪园代巡（停）", points=[], frequency=rnd.frequency, tier=rnd.tier,
                 community=w.c1, active=False)
    rnd.refresh_from_db()
    assert (rnd.name, rnd.active, [p.code for p in rnd.points.all()]) == ("兰溪园代巡（停）", False, ["LD-0202"])


def test_a_head_cannot_lay_out_or_edit_rounds_of_another_community(w, login):
    other = login(w.head2)
    answer = other.post("/inspections/rounds/new/", round_data(w, community=w.c2.pk, assignees=[]))
    assert answer.status_code == 403 and not Round.objects.filter(name="一村楼道日巡").exists()
    assert other.get(f"/inspections/rounds/{w.round.pk}/edit/").status_code == 404
    assert other.post(f"/inspections/rounds/{w.round.pk}/edit/", round_data(w, points=[])).status_code == 404
    w.round.refresh_from_db()
    assert w.round.name == "楼道周巡" and w.round.active


# ------------------------------------------------------------------------------------------------ shops

def shop_data(w, **overrides) -> dict:
    return {"name": "老王面馆", "licence_no": "91310107ma1fl00001", "kind": "food", "building": w.b11.pk,
            "number": "202", "contact_name": "王建国", "contact_phone": "138 1234 5678",
            "duties": "门前市容整洁\n不占道经营\n\n油烟达标排放", **overrides}


def test_a_head_registers_a_shop_with_its_contact_kept_private(w, login):
    head = login(w.head)
    form = html_of(head.get("/inspections/shops/new/"))
    assert "不乱设广告店招" in form  # the default duties are offered
    answer = head.post("/inspections/shops/new/", shop_data(w))
    shop = Shop.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/inspections/shops/{shop.pk}/"
    assert (shop.licence_no, shop.address, shop.contact_phone) == ("91310107MA1FL00001", "兰溪路202号", "13812345678")
    assert shop.duties == ["门前市容整洁", "不占道经营", "油烟达标排放"] and shop.point.kind.code == "shopfront"
    page = html_of(head.get(answer["Location"]))
    assert "138****5678" in page and "13812345678" not in page and "王建国" not in page
    assert f"/inspections/labels/?point={shop.point_id}" in page and f"/inspections/shops/{shop.pk}/edit/" in page
    record = audits(AuditAction.CREATE, "shop")[-1]
    assert record.object_id == str(shop.pk) and "王建国" not in record.object_repr


def test_a_shop_edit_never_shows_the_contact_and_keeps_it_unless_told(w, login):
    shop = services.register_shop(by=w.head, building=w.b11, name="老王面馆", licence_no="91310107MA1FL00001",
                                  contact_name="王建国", contact_phone="13812345678")
    head = login(w.head)
    url = f"/inspections/shops/{shop.pk}/edit/"
    form = html_of(head.get(url))
    assert "王**" in form and "138****5678" in form and "王建国" not in form and "13812345678" not in form
    assert 'value="91310107MA1FL00001"' in form
    assert 'name="number" value=' not in form  # at its building's address (兰溪路200弄5号): no street number of its own
    data = shop_data(w, name="王记面馆", number="5", contact_name="", contact_phone="", active="on")
    assert head.post(url, data).status_code == 302
    shop.refresh_from_db()
    shop.point.refresh_from_db()
    assert (shop.name, shop.contact_name, shop.contact_phone, shop.point.name) == ("王记面馆", "王建国", "13812345678",
                                                                                    "王记面馆")
    assert head.post(url, {**data, "contact_phone": "13987654321"}).status_code == 302
    shop.refresh_from_db()
    assert shop.contact_phone == "13987654321"
    record = audits(AuditAction.UPDATE, "shop")[-1]
    assert record.detail == {"fields": ["contact_phone"]} and "1398765" not in json.dumps(record.detail)
    assert head.post(url, {**data, "clear_contact": "on"}).status_code == 302
    shop.refresh_from_db()
    assert (shop.contact_name, shop.contact_phone) == ("", "")
    assert head.post(url, {**data, "active": ""}).status_code == 302  # 歇业: the door label stops working
    shop.point.refresh_from_db()
    assert shop.point.active is False
    assert login(w.head).get(f"/inspections/points/{shop.point_id}/edit/")["Location"] == url


def test_a_bad_shop_comes_back_with_the_reasons_in_chinese(w, login):
    services.register_shop(by=w.head, building=w.b12, name="便民超市", licence_no="91310107MA1FL00002")
    head = login(w.head)
    page = head.post("/inspections/shops/new/", shop_data(w, licence_no="12345", contact_phone="1381234"))
    html = html_of(page)
    assert page.status_code == 400
    assert "营业执照号应为 18 位统一社会信用代码或 15 位注册号" in field_errors(html, "licence_no")
    assert "手机号应为 11 位，实际为 7 位" in field_errors(html, "contact_phone")
    assert 'value="老王面馆"' in html and 'value="1381234"' in html and "油烟达标排放" in html
    page = head.post("/inspections/shops/new/", shop_data(w, licence_no="91310107MA1FL00002"))
    assert "营业执照号 91310107MA1FL00002 已登记" in field_errors(html_of(page), "licence_no")
    assert Shop.objects.count() == 1


def test_a_head_cannot_register_or_edit_shops_of_another_community(w, login):
    shop = services.register_shop(by=w.head, building=w.b11, name="老王面馆", licence_no="91310107MA1FL00001")
    other = login(w.head2)
    assert other.post("/inspections/shops/new/", shop_data(w, licence_no="91310107MA1FL00003")).status_code == 403
    assert other.get(f"/inspections/shops/{shop.pk}/edit/").status_code == 404
    assert other.post(f"/inspections/shops/{shop.pk}/edit/", shop_data(w, building=w.b21.pk)).status_code == 404
    assert Shop.objects.count() == 1 and Shop.objects.get().name == "老王面馆"


# ------------------------------------------------------------------------------------------------ rooms

def room_data(w, **overrides) -> dict:
    return {"name": "一村1号垃圾厢房", "building": w.b11.pk, "hours": "06:30-08:30，18:00-20:00",
            "bins_recyclable": "1", "bins_hazardous": "1", "bins_wet": "2", "bins_dry": "2", **overrides}


def test_a_head_registers_a_room_then_puts_its_roster_together(w, login):
    head = login(w.head)
    answer = head.post("/inspections/garbage/rooms/new/", room_data(w, bins_hazardous="0"))
    room = GarbageRoom.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/inspections/garbage/rooms/{room.pk}/"
    assert room.hours == ["06:30-08:30", "18:00-20:00"] and room.bins == {"recyclable": 1, "wet": 2, "dry": 2}
    assert room.point.kind.code == "garbage_room" and audits(AuditAction.CREATE, "garbageroom")[-1].object_id == \
        str(room.pk)
    page = html_of(head.get(answer["Location"]))
    assert "已登记垃圾厢房" in page and f"/inspections/labels/?point={room.point_id}" in page
    assert w.volunteer.display_name in page  # an account that may scan, to choose for the roster
    added = head.post(f"/inspections/garbage/rooms/{room.pk}/duties/", {
        "role": "room_head", "name": "李桂英", "phone": "13912345678", "shift": "06:30-08:30",
        "user": w.volunteer.pk})
    assert added.status_code == 302
    duty = RoomDuty.objects.get()
    assert (duty.role, duty.name, duty.user) == ("room_head", "李桂英", w.volunteer)
    page = html_of(head.get(f"/inspections/garbage/rooms/{room.pk}/"))
    assert "李**" in page and "139****5678" in page and "李桂英" not in page and "13912345678" not in page
    assert audits(AuditAction.CREATE, "roomduty")[-1].detail == {"room": room.pk, "role": "room_head"}
    removed = head.post(f"/inspections/garbage/rooms/{room.pk}/duties/{duty.pk}/remove/")
    assert removed.status_code == 302 and not RoomDuty.objects.exists()
    assert audits(AuditAction.DELETE, "roomduty")[-1].object_id == str(duty.pk)


def test_a_head_edits_a_room_and_takes_it_out_of_use(w, login):
    room = services.create_room(by=w.head, building=w.b11, name="一村1号垃圾厢房", hours=["07:00-09:00"],
                                bins={"wet": 1})
    head = login(w.head)
    form = html_of(head.get(f"/inspections/garbage/rooms/{room.pk}/"))
    assert 'value="07:00-09:00"' in form and 'name="bins_wet" value="1"' in form
    answer = head.post(f"/inspections/garbage/rooms/{room.pk}/", room_data(w, name="一村东门垃圾厢房",
                                                                            building=w.b12.pk))
    assert answer.status_code == 302
    room.refresh_from_db()
    room.point.refresh_from_db()
    assert (room.name, room.grid, room.active) == ("一村东门垃圾厢房", w.g12, False)
    assert (room.point.name, room.point.building, room.point.active) == ("一村东门垃圾厢房", w.b12, False)
    assert set(audits(AuditAction.UPDATE, "garbageroom")[-1].detail["fields"]) == {
        "active", "bins", "building", "grid_id", "hours", "name"}


def test_bad_room_and_roster_input_comes_back_with_the_reasons(w, login):
    head = login(w.head)
    page = head.post("/inspections/garbage/rooms/new/", room_data(w, hours="7点到9点", bins_wet="80"))
    html = html_of(page)
    assert page.status_code == 400 and 'value="一村1号垃圾厢房"' in html and 'value="7点到9点"' in html
    assert "50" in field_errors(html, "bins_wet")
    page = head.post("/inspections/garbage/rooms/new/", room_data(w, hours="7点到9点"))
    assert "投放时间“7点到9点”格式应为 07:00-09:00" in field_errors(html_of(page), "hours")
    assert not GarbageRoom.objects.exists()
    room = services.create_room(by=w.head, building=w.b11, name="一村1号垃圾厢房", hours=[], bins={})
    page = head.post(f"/inspections/garbage/rooms/{room.pk}/duties/", {
        "role": "bin_head", "name": "赵大妈", "phone": "12345", "shift": "晚上"})
    html = html_of(page)
    assert page.status_code == 400 and "手机号" in field_errors(html, "phone")
    assert "值守时段格式应为 07:00-09:00" in field_errors(html, "shift") and 'value="赵大妈"' in html
    assert not RoomDuty.objects.exists()


def test_a_head_cannot_register_or_edit_rooms_of_another_community(w, login):
    room = services.create_room(by=w.head, building=w.b11, name="一村1号垃圾厢房", hours=[], bins={})
    duty = services.add_duty(by=w.head, room=room, role="monitor", name="张秀兰")
    other = login(w.head2)
    assert other.post("/inspections/garbage/rooms/new/", room_data(w, name="越界厢房")).status_code == 403
    assert other.get(f"/inspections/garbage/rooms/{room.pk}/").status_code == 404
    assert other.post(f"/inspections/garbage/rooms/{room.pk}/", room_data(w, building=w.b21.pk)).status_code == 404
    assert other.post(f"/inspections/garbage/rooms/{room.pk}/duties/",
                      {"role": "monitor", "name": "李四"}).status_code == 404
    assert other.post(f"/inspections/garbage/rooms/{room.pk}/duties/{duty.pk}/remove/").status_code == 404
    assert GarbageRoom.objects.count() == 1 and list(RoomDuty.objects.all()) == [duty]
    # nor may a head put an account of another 居委 on their roster
    page = login(w.head).post(f"/inspections/garbage/rooms/{room.pk}/duties/", {
        "role": "monitor", "name": "王五", "user": w.social_worker.pk})
    assert page.status_code == 400 and RoomDuty.objects.count() == 1


def test_a_shop_takes_its_own_street_number_or_else_the_buildings_address_with_its_lane(w, login):
    """A shop with a door number of its own (沿街门牌) is at that number of the road; without one it is at the
    building's door-plate address, 弄 included (it read 兰溪路5号 for a shop of 兰溪路200弄5号)."""
    road = w.b12.road.name
    plain = services.register_shop(by=w.head, building=w.b12, name="便民超市", licence_no="91310107MA1FL00002")
    assert plain.address == f"{road}200弄6号" == w.b12.address
    street = services.register_shop(by=w.head, building=w.b12, name="老王面馆", licence_no="91310107MA1FL00001",
                                    number="188")
    assert street.address == f"{road}188号"
    head = login(w.head)
    assert 'name="number" value="188"' in html_of(head.get(f"/inspections/shops/{street.pk}/edit/"))
    assert 'name="number" value=' not in html_of(head.get(f"/inspections/shops/{plain.pk}/edit/"))
