"""The map page in a real browser: every layer drawn, scoped to the user, no JavaScript error."""

import pytest

from jiedao.testing import World

pytestmark = pytest.mark.browser


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
