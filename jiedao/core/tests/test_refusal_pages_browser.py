"""The refusal pages in a browser, for a signed-in user: a missing page, a row outside the scope and a
refused page are the platform's own styled pages, in its layout and navigation, on a desktop and a phone."""

import pytest

from jiedao.registry.models import Household
from jiedao.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def outside_household(transactional_db):
    world = World()
    return Household.objects.create(subdistrict=world.sub, building=world.b11, room="101", code="T101")


def shown(page) -> dict:
    return page.evaluate("""() => {
        const card = document.querySelector('main .card');
        return {
            h1: document.querySelector('main h1') && document.querySelector('main h1').innerText,
            nav: document.querySelectorAll('header nav a').length,
            styled: !!card && getComputedStyle(card).borderTopLeftRadius !== '0px',
            width: document.documentElement.scrollWidth,
        };
    }""")


@pytest.mark.parametrize("width", [1280, 390])
def test_missing_out_of_scope_and_refused_pages_are_styled(outside_household, live_server, browser_page, width):
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "social_worker")  # 居委 c2; the household is in c1
    page.fill("#id_password", "pw-for-tests-1")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    answers = {}
    for path in ("/no-such-page/", f"/registry/households/{outside_household.pk}/", "/audit/"):
        response = page.goto(live_server.url + path)
        answers[path] = (response.status, shown(page))
    missing, outside, refused = answers.values()
    assert missing[0] == outside[0] == 404 and refused[0] == 403
    assert missing[1]["h1"] == outside[1]["h1"] == "未找到" and refused[1]["h1"] == "无权访问"
    for _, look in answers.values():
        assert look["nav"] >= 1 and look["styled"] and look["width"] <= width
    assert [e for e in errors if "status of 40" not in e] == []  # the browser notes each 403/404 answer
