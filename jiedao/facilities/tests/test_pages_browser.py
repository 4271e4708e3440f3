"""The life-circle pages on a phone (390 px) in a real browser: the map draws the circles, buildings and
facilities and answers a what-if click; the site choice shows its picks on a map; nothing wider than the
screen, no script errors."""

import pytest

from jiedao.facilities.tests.conftest import Town
from jiedao.testing import World, browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_town(transactional_db):
    from jiedao.core.roles import Role, ScopeLevel

    world = World()
    town = Town(world, make_user("facilities_admin", role=Role.ADMIN, subdistrict=world.sub,
                                 level=ScopeLevel.SUBDISTRICT))
    town.street()
    for x, ages in ((0, (70, 30)), (300, (65,)), (600, (80, 20)), (1100, (75, 76))):
        town.building(x, ages)
    town.facility("meal_point", 100, name="兰溪路长者食堂")
    town.facility("meal_point", 650, name="杏山路助餐点")
    return world


def test_the_map_draws_the_circles_and_answers_a_what_if_on_a_phone(live_town, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size(PHONE)
    browser_sign_in(page, live_server.url, "operator", "/facilities/register/")
    page.goto(f"{live_server.url}/facilities/?type=meal_point&circle=200m")
    page.wait_for_selector("#fac-map[data-loaded]")
    loaded = dict(part.split(":") for part in page.locator("#fac-map").get_attribute("data-loaded").split(","))
    assert loaded["facilities"] == "2" and loaded["isochrones"] == "2" and int(loaded["buildings"]) >= 4
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    assert page.locator("details.by-community").evaluate("d => d.open") is False  # the map comes first on a phone
    box = page.locator("#fac-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.locator(".fac-popup button").click()
    page.wait_for_selector("#fac-map[data-what-if]")
    assert page.locator(".fac-popup dl").count() == 1
    assert errors == []


def test_the_site_choice_shows_its_picks_on_a_phone(live_town, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size(PHONE)
    url = "/facilities/sites/?type=meal_point&circle=200m&k=2&kind=buildings"
    browser_sign_in(page, live_server.url, "operator", "/facilities/register/")
    page.goto(f"{live_server.url}{url}")
    page.wait_for_selector("#sites-map[data-loaded]")
    assert page.locator("#sites-map").get_attribute("data-loaded") == "2"
    assert page.locator("table.picks tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    assert errors == []
