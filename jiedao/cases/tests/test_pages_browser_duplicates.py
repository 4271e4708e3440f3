"""疑似重复 in a real browser (issue 20): the operator reads the likely duplicates of a case with how likely and
why, answers 不是重复 on one and 合并 on another, sees each answer on the case afterwards, and finds the
share of flags accepted on the KPI page, drawn by ECharts; on a phone nothing is wider than the screen."""

import pytest

from jiedao.cases import services
from jiedao.cases.models import Case, Channel, Status
from jiedao.cases.tests.test_pages_browser import in_thread, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAMP = ("小区门口的路灯坏了好几天，晚上很黑", "大门口那盏灯不亮了，晚上出门看不清路")


@pytest.fixture
def flagged(transactional_db, cases_world, settings, tmp_path):
    """Two broken lamps at two buildings, each reported twice in other words: the second report of each is
    flagged as a duplicate of the first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    out = {}
    for key, address in (("gate", "兰溪路200弄5号"), ("road", "梅岭北路41号")):
        first, second = (services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=text,
                                         address=address).case for text in LAMP)
        assert second.possible_duplicate_of == first
        match = services.duplicate_matches(case=second)[0]
        out[key] = {"first": first.number, "second": second.number, "pct": f"{round(100 * match.probability)}%",
                    "reasons": match.reasons_text}
    return out


def test_the_operator_answers_the_flags_on_the_case_page_and_finds_the_share_on_the_kpi_page(
        flagged, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    gate, road = flagged["gate"], flagged["road"]
    sign_in(page, url, "operator")

    page.goto(f"{url}/cases/{gate['second']}/")
    box = page.locator("[data-testid=duplicate]")
    match = box.locator(f"li.duplicate-match[data-number='{gate['first']}']")
    assert match.locator("a.number").get_attribute("href") == f"/cases/{gate['first']}/"
    assert match.locator(".pct").inner_text() == gate["pct"] and match.locator(".reasons").inner_text() == \
        gate["reasons"]
    assert "同一楼栋" in gate["reasons"] and "受理时标记" in match.inner_text()
    box.locator("input[name='duplicate-note']").fill("是另一盏灯，分开办理")
    box.locator("[data-testid=not-duplicate] button[type=submit]").click()
    page.wait_for_selector("[data-testid=duplicate-decision]")
    decision = page.inner_text("[data-testid=duplicate-decision]")
    assert "已判定不是重复" in decision and f"与 {gate['first']} 不是同一事件" in decision
    assert page.locator("[data-testid=not-duplicate]").count() == 0  # answered once
    assert "是另一盏灯，分开办理" in page.inner_text(".timeline .event[data-kind=not_duplicate]")
    assert page.inner_text("[data-testid=status]") == "待立案"

    page.goto(f"{url}/cases/{road['second']}/")
    page.click(f"li.duplicate-match[data-number='{road['first']}'] .merge-form button")
    page.wait_for_selector("[data-testid=duplicate-decision]")
    assert page.inner_text("[data-testid=status]") == "已作废"
    decision = page.inner_text("[data-testid=duplicate-decision]")
    assert "已合并为重复件" in decision and road["first"] in decision
    assert f"已合并到 {road['first']}" in page.inner_text(".messages")
    assert page.locator(".timeline .event[data-kind=merged]").count() == 1

    cases = in_thread(lambda: {c.number: c for c in Case.objects.filter(number__in=[gate["second"], road["second"]])})
    assert (cases[gate["second"]].duplicate_accepted, cases[gate["second"]].status) == (False, Status.NEW)
    assert (cases[road["second"]].duplicate_accepted, cases[road["second"]].duplicate_of_id) == \
        (True, in_thread(lambda: Case.objects.get(number=road["first"]).pk))

    page.goto(f"{url}/cases/kpis/")
    page.wait_for_selector("#chart-acceptance[data-ready='1'] canvas")
    row = page.locator("[data-testid=duplicate-acceptance] tbody tr").last
    assert row.locator("td.rate").inner_text() == "50.0%"
    assert [row.locator(f"td.{k}").inner_text() for k in ("flagged", "accepted", "rejected", "pending")] == \
        ["2", "1", "1", "0"]
    assert errors == []


def test_on_a_phone_the_likely_duplicates_fit_the_screen(flagged, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{flagged['gate']['second']}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.locator(".merge-form button").first.bounding_box()
    refuse = page.locator("[data-testid=not-duplicate] button").bounding_box()
    for box in (button, refuse):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 30
    page.goto(f"{url}/cases/kpis/")
    page.wait_for_selector("#chart-acceptance[data-ready='1']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rate = page.locator("[data-testid=duplicate-acceptance] tbody tr").last.locator("td.rate").bounding_box()
    assert rate["x"] + rate["width"] <= 390  # the figure itself is on screen, before the table scrolls
    assert errors == []
