"""Sign-in, the home page, navigation by role and the language switch."""

import pytest


def test_pages_need_sign_in_and_redirect_to_the_login_page(db, client):
    for path in ("/", "/map/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_signing_in_with_the_form_lands_on_home_with_role_and_scope(world, client):
    response = client.post("/login/", {"username": "grid_worker", "password": "pw-for-tests-1"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "网格员" in html
    assert world.g11.name in html


def test_wrong_password_shows_a_chinese_error_and_does_not_sign_in(world, client):
    response = client.post("/login/", {"username": "grid_worker", "password": "nope-nope-nope"})
    assert "用户名或密码不正确" in response.content.decode()
    assert client.get("/").status_code == 302


def test_navigation_shows_only_what_the_role_may_open(world, login):
    auditor_html = login(world.auditor).get("/").content.decode()
    assert 'href="/audit/"' in auditor_html
    resident_html = login(world.resident).get("/").content.decode()
    assert 'href="/audit/"' not in resident_html and 'href="/map/"' not in resident_html


def test_chinese_is_the_default_language(world, login):
    html = login(world.operator).get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "首页" in html and "地图" in html


def test_the_language_switch_turns_the_interface_to_english(world, login):
    client = login(world.operator)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Home" in html and "Map" in html and "Operations centre operator" in html
    assert "首页" not in html


@pytest.mark.parametrize("persona", ["resident"])
def test_map_page_is_refused_to_roles_without_place_access(world, login, persona):
    assert login(getattr(world, persona)).get("/map/").status_code == 403


def test_map_page_carries_its_configuration_and_local_leaflet(world, login):
    html = login(world.operator).get("/map/").content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert '"layersUrl": "/api/v1/geo/layers/"' in html
    assert f'"subdistrict": {world.sub.pk}' in html
    assert "http://" not in html.split("<main")[1] and "https://" not in html.split("<main")[1]
