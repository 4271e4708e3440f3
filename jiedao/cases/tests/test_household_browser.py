"""The household file's 案件 section on a phone (390 px), in a real browser: the cases as labelled cards, masked,
no wider than the screen; a case number opens the case page, which links back to the household."""

import pytest

from jiedao.cases import services
from jiedao.cases.models import Channel, household_model
from jiedao.core.contributions import household_sections
from jiedao.testing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}



@pytest.fixture(autouse=True)
def _only_the_cases_section():
    """The household file with the cases' section alone: what other apps add is tested with them."""
    with household_sections.alone(household_sections.get("cases.cases")):
        yield

@pytest.fixture
def live_household(transactional_db, cases_world):
    w = cases_world
    b = w.b21
    household = household_model().objects.create(subdistrict_id=b.subdistrict_id, building=b, room="301",
                                                 code=f"{b.code}R301")
    long_text = "走访发现独居老人家中燃气软管老化开裂，家属电话13812345678，" + "请尽快上门更换，" * 20
    case = services.intake(subdistrict=w.sub, channel=Channel.VISIT, household_id=household.pk,
                           description=long_text, by=w.social_worker).case
    return household.pk, household.code, case.number


def test_the_cases_section_fits_a_phone_and_leads_to_the_case_and_back(live_household, live_server, browser_page):
    household_id, code, number = live_household
    page, errors = browser_page
    page.set_viewport_size(PHONE)
    file_url = f"/registry/households/{household_id}/"
    browser_sign_in(page, live_server.url, "social_worker", file_url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    section = page.locator("[data-section='cases.cases']")
    assert section.locator("h2").inner_text() == "案件"
    text = section.inner_text()
    assert "走访发现" in text and "138****5678" in text and "13812345678" not in text
    assert "来源渠道" in section.locator("td").nth(2).evaluate("td => getComputedStyle(td, '::before').content")

    section.locator(f"a:has-text('{number}')").click()
    page.wait_for_url(f"{live_server.url}/cases/{number}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=household]").inner_text() == code
    page.locator("[data-testid=household] a").click()
    page.wait_for_url(f"{live_server.url}{file_url}")
    assert errors == []
