"""The 城运中心's desk form for 12345 orders (cases/hotline/): who may use it, what it saves through intake,
an order number received twice, and the hints it shows while the operator types (classifier, address,
likely duplicate), read from cases/hotline/preview/."""

import datetime as dt
import html

import pytest

from jiedao.cases import selectors, services
from jiedao.cases.models import Case, CaseEvent, Channel, Status
from jiedao.core.crypto import lookup_value

from .conftest import TZ

NOISE = "兰溪路200弄5号楼下饭店每天半夜搬东西，声音很大，睡不着"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def order(**overrides) -> dict:
    data = {"channel": "hotline", "external_id": "2611020001", "reported_at": "2026-11-02T08:45",
            "description": NOISE, "address": "兰溪路200弄5号", "reporter_name": "王先生",
            "reporter_phone": "13812345678", "category": "", "urgent": ""}
    return {**data, **overrides}


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_operators_report_button_opens_the_desk_form_and_the_grid_workers_the_phone_form(cases_world, login):
    w = cases_world
    page = login(w.operator).get("/cases/").content.decode()
    assert 'href="/cases/hotline/" data-testid="report"' in page
    form = login(w.operator).get("/cases/hotline/")
    assert form.status_code == 200 and "<h1>12345 工单录入</h1>" in text_of(form)
    assert 'id="hotline-form"' in text_of(form) and "无法定位" not in text_of(form)  # not the phone form
    page = login(w.grid_worker).get("/cases/").content.decode()
    assert 'href="/m/cases/report/" data-testid="report"' in page


@pytest.mark.parametrize("persona", ["grid_worker", "social_worker", "chengguan", "leader", "resident"])
def test_only_the_operator_may_enter_an_order_or_ask_for_hints(cases_world, login, persona):
    client = login(getattr(cases_world, persona))
    assert client.get("/cases/hotline/").status_code == 403
    assert client.post("/cases/hotline/", order()).status_code == 403
    assert client.get("/cases/hotline/preview/", {"description": NOISE}).status_code == 403
    assert not Case.objects.exists()


def test_an_order_is_received_through_intake_with_every_field(cases_world, clock, login):
    w = cases_world
    response = login(w.operator).post("/cases/hotline/", order())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert (case.channel, case.external_id, case.status) == (Channel.HOTLINE, "2611020001", Status.NEW)
    assert (case.reporter_name, case.address, case.building_id, case.grid_id) == (
        "王先生", "兰溪路200弄5号", w.b11.pk, w.g11.pk)
    assert case.reported_at == dt.datetime(2026, 11, 2, 8, 45, tzinfo=TZ)
    assert Case.objects.filter(**lookup_value(Case, "reporter_phone", "13812345678")).get() == case
    assert case.category is None and case.suggested_category.name == "噪音扰民"  # the classifier's, as intake does
    event = CaseEvent.objects.get(case=case)
    assert event.kind == "created" and event.actor == w.operator
    page = text_of(login(w.operator).get(response["Location"]))
    assert f"已受理，案件编号 {case.number}" in page


def test_a_hotline_order_needs_its_number_and_a_call_or_visit_does_not(cases_world, clock, login):
    client = login(cases_world.operator)
    refused = client.post("/cases/hotline/", order(external_id=""))
    assert refused.status_code == 400 and "12345 工单请填写工单编号" in text_of(refused)
    assert NOISE in text_of(refused)  # the operator's text is kept
    assert client.post("/cases/hotline/", order(channel="resident", external_id="")).status_code == 302
    assert Case.objects.get().channel == Channel.RESIDENT


def test_the_services_messages_land_on_their_fields(cases_world, clock, login):
    refused = login(cases_world.operator).post("/cases/hotline/", order(reporter_phone="12345", category="S9999"))
    page = text_of(refused)
    assert refused.status_code == 400 and not Case.objects.exists()
    assert 'data-field="reporter_phone"' in page and "has-error" in page


def test_an_order_number_received_twice_names_the_case_it_became(cases_world, clock, login):
    client = login(cases_world.operator)
    client.post("/cases/hotline/", order())
    first = Case.objects.get()
    again = client.post("/cases/hotline/", order(description="同一工单再次录入"))
    assert again.status_code == 400 and Case.objects.count() == 1
    assert f"工单编号 2611020001 已受理为案件 {first.number}" in text_of(again)
    assert f'href="/cases/{first.number}/"' in again.content.decode()


def test_the_hints_give_the_suggestion_the_place_and_the_open_case_it_repeats(cases_world, clock, login):
    w = cases_world
    earlier = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=NOISE,
                              address="兰溪路200弄5号", category="噪音扰民", reporter_phone="13812345678").case
    hints = login(w.operator).get("/cases/hotline/preview/", {
        "description": "兰溪路200弄5号楼下饭店半夜搬东西，声音太大", "address": "兰溪路 200弄5号"}).json()
    assert hints["suggestion"]["category"] == "噪音扰民" and hints["suggestion"]["code"] == "S0504"
    assert all(a["pct"] >= 5 for a in hints["suggestion"]["alternatives"])
    assert hints["address"] == {"building": "兰溪路200弄5号", "message": None,
                                "place": f"{w.c1.name} {w.g11.name}"}
    [likely] = hints["duplicates"]
    assert likely["number"] == earlier.number and likely["status"] == "待立案" and likely["pct"] >= 50
    assert "同一楼栋" in likely["reasons"]
    assert "13812345678" not in str(hints)
    assert Case.objects.count() == 1  # asking writes nothing


def test_the_hints_say_when_an_address_is_not_recognised_and_stay_quiet_on_short_text(cases_world, login):
    hints = login(cases_world.operator).get("/cases/hotline/preview/", {"description": "你好", "address": "菜场后面"})
    assert hints.json() == {"suggestion": None, "duplicates": [],
                            "address": {"building": None, "message": "无法识别地址中的道路或小区", "place": None}}


def test_the_hints_list_no_case_outside_the_operators_subdistrict(cases_world, clock, login):
    w = cases_world
    services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=NOISE,
                    address="兰溪路200弄5号", category="噪音扰民")
    hints = login(w.other_operator).get("/cases/hotline/preview/", {"description": NOISE,
                                                                     "address": "兰溪路200弄5号"}).json()
    assert hints["duplicates"] == [] and hints["address"]["building"] is None


def test_the_classifiers_alternatives_below_the_floor_are_not_shown(cases_world, clock, login):
    w = cases_world
    case = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=NOISE,
                           address="兰溪路200弄5号").case
    Case.objects.filter(pk=case.pk).update(suggestion={
        "category": "噪音扰民", "code": "S0504", "confidence": 0.9,
        "alternatives": [{"category": "犬只扰民", "confidence": 0.06}, {"category": "餐饮油烟", "confidence": 0.004}]})
    page = text_of(login(w.operator).get(f"/cases/{case.number}/"))
    assert "其他可能：犬只扰民 6%" in page and "餐饮油烟 0%" not in page
    assert selectors.suggestion_shown({"category": "噪音扰民", "code": "S0504", "confidence": 0.99, "alternatives": [
        {"category": "犬只扰民", "confidence": 0.0049}]})["alternatives"] == []
