"""The pages: scanning a label on the phone form and saving it, the check with its case, the label sheet
with signed QR codes only, a revoked label's clear refusal, a shop's public page without personal data,
the desk pages for the 居委 and the 城运中心, and their access."""

import re

import pytest

from jiedao.cases.models import Case
from jiedao.inspections import services
from jiedao.inspections.models import Check

pytestmark = pytest.mark.django_db


def scan_url(token: str) -> str:
    return f"/inspections/q/{token}/"


def test_the_scan_form_saves_a_check_and_files_the_failed_item(insp_world, login):
    w = insp_world
    client = login(w.grid_worker)
    page = client.get(scan_url(w.token))
    html = page.content.decode()
    assert "LD-0001" in html and html.count('type="radio"') == 8
    client_id = re.search(r'name="client_id" value="([^"]+)"', html).group(1)
    data = {"client_id": client_id, "round": w.round.pk, "lat": w.point.lat, "lon": w.point.lon,
            "item-clutter": "fail", "note-clutter": "楼梯口堆放纸箱", "item-flying_wire": "pass",
            "item-extinguisher": "pass", "item-lighting": "pass"}
    saved = client.post(scan_url(w.token), data, follow=True)
    assert "立案 1 件" in saved.content.decode()
    case = Case.objects.get()
    assert case.number in saved.content.decode() and "楼梯口堆放纸箱" in case.description
    again = client.post(scan_url(w.token), data, follow=True)
    assert "已经提交过" in again.content.decode() and Check.objects.count() == 1 and Case.objects.count() == 1


def test_an_incomplete_form_comes_back_with_the_reason(insp_world, login):
    w = insp_world
    page = login(w.grid_worker).post(scan_url(w.token), {"client_id": "abcdefgh1234", "item-clutter": "pass"})
    html = page.content.decode()
    assert page.status_code == 400 and "检查项“飞线充电”须选择合格或不合格" in html
    assert 'value="pass" required checked' in html  # the answer given is kept
    assert Check.objects.count() == 0


def test_a_revoked_or_forged_label_is_refused_clearly(insp_world, login, client):
    w = insp_world
    services.revoke_label(point=w.point, by=w.head)
    page = login(w.grid_worker).get(scan_url(w.token))
    assert page.status_code == 400 and "已作废" in page.content.decode()
    page = client.get(scan_url("forged:token:value"))
    assert page.status_code == 400 and "无效的巡检标签" in page.content.decode()


def test_a_scanner_outside_the_scope_or_role_is_refused(insp_world, login):
    w = insp_world
    assert login(w.social_worker).get(scan_url(w.token)).status_code == 403  # 兰溪园's social worker
    assert login(w.leader).get(scan_url(w.token)).status_code == 403  # 街道领导 views but does not scan


def test_the_label_sheet_carries_only_a_signed_token(insp_world, login):
    w = insp_world
    page = login(w.head).get(f"/inspections/labels/?point={w.point.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "LD-0001" in html and "扫码登记楼道巡查" in html
    url = re.search(r'data-url="([^"]+)"', html).group(1)
    assert url.endswith(scan_url(w.token))  # the token only: the same label each time it is printed
    assert login(w.grid_worker).get(f"/inspections/labels/?point={w.point.pk}").status_code == 403
    pdf = login(w.head).get(f"/inspections/labels.pdf?point={w.point.pk}")
    assert pdf.status_code in (200, 501)


def test_a_shops_door_label_opens_its_public_page_to_anyone(insp_world, client):
    w = insp_world
    shop = services.register_shop(by=w.head, building=w.b11, name="老王面馆", licence_no="91310107MA1FL00001",
                                  contact_name="王建国", contact_phone="13812345678")
    page = client.get(scan_url(services.label_token(shop.point)))
    html = page.content.decode()
    assert page.status_code == 200 and "老王面馆" in html and "★★★★★" in html
    assert "王建国" not in html and "1381234" not in html and "91310107MA1FL00001" not in html


def test_a_stairwell_label_sends_a_passer_by_to_sign_in(insp_world, client):
    page = client.get(scan_url(insp_world.token))
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_the_desk_pages_show_the_scope_of_the_reader(insp_world, login):
    w = insp_world
    room = services.create_room(by=w.operator, building=w.b21, name="兰溪园垃圾厢房", hours=["07:00-09:00"],
                                bins={"wet": 2})
    services.add_duty(by=w.operator, room=room, role="room_head", name="李桂英", phone="13912345678",
                      shift="07:00-09:00", user=w.volunteer)
    operator = login(w.operator)
    assert "LD-0001" in operator.get("/inspections/").content.decode()
    garbage = operator.get("/inspections/garbage/").content.decode()
    assert "兰溪园垃圾厢房" in garbage and "李**" in garbage and "李桂英" not in garbage and "139****5678" in garbage
    stars_page = operator.get("/inspections/garbage/stars/").content.decode()
    assert w.c1.name in stars_page and w.c2.name in stars_page
    head = login(w.head)  # 曹杨一村's head sees neither 兰溪园's room nor its 小区
    assert "兰溪园垃圾厢房" not in head.get("/inspections/garbage/").content.decode()
    assert w.c2.name not in head.get("/inspections/garbage/stars/").content.decode()
    assert head.get(f"/inspections/points/{w.point.pk}/").status_code == 200
    assert login(w.social_worker).get(f"/inspections/points/{w.point.pk}/").status_code == 404
    assert login(w.resident).get("/inspections/").status_code == 403


def test_my_rounds_show_what_is_left_this_period(insp_world, login):
    w = insp_world
    page = login(w.grid_worker).get("/inspections/mine/").content.decode()
    assert "楼道周巡" in page and "还有 1 个点位未检查" in page
