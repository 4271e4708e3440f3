"""The sensing pages in a real Chromium, on a phone (390 px) and a desk (1280 px): the alarm queue as
cards, one alarm with its evidence picture, the device map's dots, the admin's rule editor; no page wider
than the screen and no JavaScript errors. SENSING_SCREENSHOTS=<folder> keeps a screenshot of each."""

import os

import pytest

from jiedao.sensing.models import Alarm
from jiedao.sensing.services import ingest
from jiedao.sensing.tests.conftest import event, heartbeat, jpeg, make_device
from jiedao.testing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def live_scene(transactional_db, sensing_world):
    w = sensing_world
    lift = make_device(w, "EV-0001", "ebike_in_elevator", place="3号楼1单元电梯轿厢", department=w.wygs)
    gauge = make_device(w, "WL-0001", "water_level", building=w.b21, place="梅岭北路下立交")
    make_device(w, "SM-0001", "smoke", building=w.b12, place="2号楼楼道")
    ingest([event(lift, "e1", "ebike_in_elevator", image=jpeg((320, 240))), event(lift, "e2", "ebike_in_elevator"),
            heartbeat(gauge, battery=15)])
    return Alarm.objects.get().external_id


def shot(page, name: str) -> None:
    folder = os.environ.get("SENSING_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def no_wider_than_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width} px wide"


def test_the_operator_follows_an_alarm_on_a_phone(live_scene, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in(page, live_server.url, "operator", "/sensing/")
    row = page.locator(f"tr[data-number='{live_scene}']")
    assert row.is_visible() and "电瓶车入梯" in row.inner_text()
    no_wider_than_the_screen(page)
    shot(page, "alarms-390")
    row.locator("a").first.click()
    page.locator("[data-testid=events] img").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('[data-testid=events] img').naturalWidth === 320")
    assert page.inner_text("[data-testid=count]").startswith("2")
    no_wider_than_the_screen(page)
    shot(page, "alarm-390")
    page.goto(f"{live_server.url}/sensing/devices/map/")
    page.wait_for_selector("#device-map[data-points='3']")
    no_wider_than_the_screen(page)
    shot(page, "map-390")
    page.goto(f"{live_server.url}/sensing/devices/")
    assert page.locator("tr[data-code]").count() == 3
    no_wider_than_the_screen(page)
    shot(page, "devices-390")
    assert errors == []


def test_the_admin_edits_a_rule_at_a_desk(live_scene, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_sign_in(page, live_server.url, "admin", "/sensing/rules/")
    page.fill("input[name='water_level-threshold']", "30")
    page.click("tr[data-type=water_level] button[type=submit]")
    page.wait_for_selector(".message-success")
    assert float(page.input_value("input[name='water_level-threshold']")) == 30
    no_wider_than_the_screen(page)
    shot(page, "rules-1280")
    for path, name in (("/sensing/", "alarms-1280"), (f"/sensing/alarms/{live_scene}/", "alarm-1280"),
                       ("/sensing/devices/map/", "map-1280"), ("/sensing/figures/", "figures-1280"),
                       ("/sensing/dead-letters/", "dead-1280")):
        page.goto(f"{live_server.url}{path}")
        if "map" in path:
            page.wait_for_selector("#device-map[data-points='3']")
        no_wider_than_the_screen(page)
        shot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/sensing/rules/")
    no_wider_than_the_screen(page)
    shot(page, "rules-390")
    assert errors == []
