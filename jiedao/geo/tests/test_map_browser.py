"""The map page in a real browser: every layer drawn, scoped to the user, no JavaScript error."""

import pytest

from jiedao.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def live_world(transactional_db):
    return World()


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/?next=/map/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")


def test_operator_sees_every_layer_of_the_subdistrict_without_js_errors(live_world, live_server, browser_page):
    page, errors = browser_page
    sign_in(page, live_server, "operator")
    page.wait_for_selector("#map[data-loaded]", timeout=15000)
    loaded = dict(item.split(":") for item in page.get_attribute("#map", "data-loaded").split(","))
    assert loaded == {"areas": "2", "communities": "2", "grids": "4", "estates": "2", "roads": "2", "buildings": "4"}
    # Leaflet drew the polygons and the legend, and the layer switcher lists the layers in Chinese.
    assert page.locator(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg").count() >= 1
    assert "网格" in page.inner_text(".leaflet-control-layers")
    assert "示意几何" in page.inner_text(".map-legend")
    page.locator(".leaflet-control-layers-overlays label", has_text="网格").click()  # toggling a layer works
    assert errors == []


def test_grid_worker_map_shows_only_their_grids_buildings(live_world, live_server, browser_page):
    page, errors = browser_page
    sign_in(page, live_server, "grid_worker")
    page.wait_for_selector("#map[data-loaded]", timeout=15000)
    loaded = dict(item.split(":") for item in page.get_attribute("#map", "data-loaded").split(","))
    assert loaded["buildings"] == "1"
    assert loaded["grids"] == "1"  # their own grid; the larger outlines are shared reference data
    assert loaded["communities"] == "2"
    assert errors == []


def _bounds(page):
    west, south, east, north = (float(v) for v in page.get_attribute("#map", "data-bounds").split(","))
    return west, south, east, north


def test_a_grid_workers_map_opens_on_their_own_grid_and_the_operators_on_the_subdistrict(
        live_world, live_server, browser_page):
    page, errors = browser_page
    sign_in(page, live_server, "grid_worker")
    page.wait_for_selector("#map[data-loaded]", timeout=15000)
    assert page.get_attribute("#map", "data-focus") == f"grids:{live_world.g11.pk}"
    west, south, east, north = _bounds(page)
    # Their grid (a 0.005° square at 121.400, 31.230) fills the view, not the whole subdistrict.
    assert west <= 121.400 and east >= 121.405 and south <= 31.230 and north >= 31.235
    assert east - west < 0.015  # the subdistrict is 0.02° wide
    page.context.clear_cookies()
    sign_in(page, live_server, "operator")
    page.wait_for_selector("#map[data-loaded]", timeout=15000)
    assert page.get_attribute("#map", "data-focus") is None
    west, south, east, north = _bounds(page)
    assert west <= 121.400 and east >= 121.420  # both 片区
    assert "小区" in page.inner_text(".leaflet-control-layers") and "estates" not in page.inner_text("#map")
    assert errors == []


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_grid(live_world):
    """The grid worker's grid renamed to markup (names are typed by staff, the popup must show them as text)."""
    live_world.g11.name = HOSTILE
    live_world.g11.save(update_fields=["name"])
    return live_world.g11


def test_a_place_name_in_a_popup_is_text_never_markup(hostile_grid, live_server, browser_page):
    page, errors = browser_page
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "grid_worker")
    page.wait_for_selector("#map[data-loaded]", timeout=15000)
    # The grid lies on top of its 居委 and 片区, whichever layer arrived first: the click opens the grid.
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 + 60)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert HOSTILE in page.inner_text(".leaflet-popup-content")
    assert page.locator(".leaflet-popup-content img").count() == 0
    page.wait_for_timeout(300)
    assert alerts == [] and errors == []
