"""The channel 走访发现 (visit) everywhere channels matter: the KPIs by channel with their drill-down, the queue's
channel filter on the page and the API, and in English."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jiedao.cases import selectors, services
from jiedao.cases.models import Case, Channel, household_model

from .conftest import TZ


@pytest.fixture
def mixed(cases_world, clock):
    """On 2026-11-02: three cases found on visits (two linked to a household, one closed the same day) and two
    12345 calls, all registered."""
    w = cases_world
    b = w.b21
    household = household_model().objects.create(subdistrict_id=b.subdistrict_id, building=b, room="302",
                                                 code=f"{b.code}R302")
    visits = [services.intake(subdistrict=w.sub, channel=Channel.VISIT, description=text, by=w.social_worker,
                              household_id=household.pk if i < 2 else None, address="梅岭北路41号").case
              for i, text in enumerate(["走访发现楼道堆物严重", "走访发现燃气软管老化", "走访发现单元门禁损坏"])]
    calls = [services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, address="兰溪路200弄5号",
                             by=w.operator).case
             for text in ["路灯不亮", "垃圾满溢无人清运"]]
    for case in visits + calls:
        services.perform(case=case, action="register", by=w.operator)
    return {"visits": visits, "calls": calls}


def november():
    return dt.datetime(2026, 11, 1, tzinfo=TZ), dt.datetime(2026, 12, 1, tzinfo=TZ)


def test_kpis_by_channel_count_the_visit_channel_under_its_name(cases_world, mixed):
    start, end = november()
    data = selectors.kpis(user=cases_world.operator, start=start, end=end, by="channel")
    rows = {r["key"]: r for r in data["rows"]}
    assert set(rows) == {"visit", "hotline"}
    assert rows["visit"]["label"] == "走访发现" and rows["hotline"]["label"] == "12345 热线"
    assert rows["visit"]["metrics"]["registered"] == 3 and rows["hotline"]["metrics"]["registered"] == 2
    assert data["total"]["registered"] == 5


def test_the_drill_down_by_channel_lists_exactly_the_visit_cases(cases_world, mixed):
    start, end = november()
    listed = selectors.kpi_cases(user=cases_world.operator, metric="registered", start=start, end=end, by="channel",
                                 key="visit")
    assert {c.number for c in listed} == {c.number for c in mixed["visits"]}
    with pytest.raises(ValidationError) as refused:
        selectors.kpi_cases(user=cases_world.operator, metric="registered", start=start, end=end, by="channel",
                            key="carrier-pigeon")
    assert "未知的来源渠道" in refused.value.message_dict["key"][0]
    with pytest.raises(ValidationError):
        selectors.kpi_cases(user=cases_world.operator, metric="registered", start=start, end=end, by="department",
                            key="abc")


def test_the_kpi_page_groups_by_channel_and_drills_down(cases_world, mixed, login):
    client = login(cases_world.operator)
    page = html.unescape(client.get("/cases/kpis/?period=month&date=2026-11-15&by=channel").content.decode())
    row = re.search(r'<tr data-key="visit"><th scope="row">(.*?)</th>(.*?)</tr>', page, re.S)
    assert row.group(1) == "走访发现"
    link = next(u for u in re.findall(r'href="(cases/\?[^"]*)"', row.group(2)) if "metric=registered" in u)
    listed = html.unescape(client.get(f"/cases/kpis/{link}").content.decode())
    assert all(c.number in listed for c in mixed["visits"]) and not any(c.number in listed for c in mixed["calls"])
    api = client.get("/api/v1/cases/kpis/cases", {"metric": "registered", "start": "2026-11-01", "end": "2026-12-01",
                                                  "by": "channel", "key": "visit"}).json()
    assert {c["number"] for c in api["items"]} == {c.number for c in mixed["visits"]}


def test_the_queue_filters_the_visit_channel_on_the_page_and_the_api(cases_world, mixed, login):
    client = login(cases_world.operator)
    page = client.get("/cases/?channel=visit").content.decode()
    shown = set(re.findall(r'<tr class="case-row[^"]*" data-number="([^"]+)"', page))
    assert shown == {c.number for c in mixed["visits"]}
    assert '<option value="visit" selected>走访发现</option>' in page
    api = client.get("/api/v1/cases/", {"channel": "visit"}).json()
    assert {c["number"] for c in api["items"]} == shown and {c["channel"] for c in api["items"]} == {"visit"}


def test_the_visit_channel_in_english(cases_world, mixed, login):
    client = login(cases_world.operator)
    page = client.get("/cases/?channel=visit", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="visit" selected>Found on a visit</option>' in page
    start, end = november()
    with translation.override("en"):
        rows = selectors.kpis(user=cases_world.operator, start=start, end=end, by="channel")["rows"]
    assert {r["label"] for r in rows} == {"Found on a visit", "12345 hotline"}
    case = Case.objects.get(pk=mixed["visits"][0].pk)
    detail = client.get(f"/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Found on a visit" in detail
