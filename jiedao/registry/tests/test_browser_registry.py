"""The household file in a real browser: reveal a masked ID number with a reason, in place, without JS errors."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from jiedao.core.models import AuditLog
from jiedao.registry.tests.test_pages_support import make_household
from jiedao.testing import World

pytestmark = pytest.mark.browser


@pytest.fixture
def live_household(transactional_db):
    world = World()
    household = make_household(world)
    head = household.residents.get()
    return household, head.id_number


def test_social_worker_reveals_an_id_number_in_place(live_household, live_server, browser_page):
    household, id_number = live_household
    page, errors = browser_page
    page.goto(f"{live_server.url}/login/?next=/registry/households/{household.pk}/")
    page.fill("#id_username", "social_worker")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('一户一档')")
    value = page.locator(".person .pii").first
    assert value.inner_text() == f"{id_number[:4]}**********{id_number[-4:]}"

    page.locator(".person details.reveal summary").first.click()
    page.locator(".person .reveal-form input[name=reason]").first.fill("核对高龄津贴")
    page.locator(".person .reveal-form button[type=submit]").first.click()
    page.wait_for_selector(".person .pii.revealed")
    assert value.inner_text() == id_number
    assert page.url.endswith(f"/registry/households/{household.pk}/")  # revealed in place, no reload
    assert page.locator(".person .pii").nth(1).inner_text() == "139****5600"  # the phone stays masked
    assert errors == []
    # The ORM refuses to run inside Playwright's event loop; a worker thread has none.
    with ThreadPoolExecutor(1) as pool:
        reveals = pool.submit(
            lambda: AuditLog.objects.filter(action="reveal", field="id_number", reason="核对高龄津贴").count()
        ).result()
    assert reveals == 1
