"""On a 390 px phone no page of the main navigation is wider than the screen, for every demo role (issue 13).

Wide tables scroll inside their own box (``.table-wrap``) or become labelled cards (``table.data.cards``),
and charts shrink with the page (jiedao.css); this test visits, as each demo persona, every page their
navigation offers, over the demo's own data (a small-scale build), and measures the document's width.
"""

import io

import pytest
from django.core.management import call_command

from jiedao.demo.people import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
# Every persona the demo prints (the 居委 head and a 房长 volunteer too), the auditor and the system administrator
# included (the audit log is a table too).
ROLES = ["operator", "handler", "grid_worker", "social_worker", "community_head", "fangzhang", "leader", "resident",
         "auditor", "admin"]
ENGLISH_ROLES = ["social_worker", "grid_worker"]


@pytest.fixture
def demo(transactional_db):
    call_command("demo", "--scale", "0.04", stdout=io.StringIO())


def test_no_page_of_the_navigation_is_wider_than_a_phone_for_any_demo_role(demo, live_server, browser_page):
    page, _errors = browser_page
    page.set_viewport_size(PHONE)
    visited, too_wide, details = [], [], set()
    for username in ROLES:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        links = page.eval_on_selector_all(".mainnav a", "links => links.map(a => a.getAttribute('href'))")
        for href in links:
            measure(page, live_server, username, href, visited, too_wide)
            # and the page of the list's first row (a case, a vote, a household …), once for all roles
            first = page.evaluate(FIRST_ROW_LINK)
            if first and first not in details:
                details.add(first)
                measure(page, live_server, username, first, visited, too_wide)
    # English labels are longer (户编码 → Household code number): the field workers' pages again, in English
    for username in ENGLISH_ROLES:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        with page.expect_navigation():
            page.select_option("#language", "en")  # the header's language switch (it submits itself)
        assert page.evaluate("document.documentElement.lang") == "en"
        links = page.eval_on_selector_all(".mainnav a", "links => links.map(a => a.getAttribute('href'))")
        for href in links:
            measure(page, live_server, f"{username} (English)", href, visited, too_wide)
            first = page.evaluate(FIRST_ROW_LINK)
            if first:
                measure(page, live_server, f"{username} (English)", first, visited, too_wide)
    assert len(visited) >= 25 and ("resident", "/planning/public/") in visited
    assert len(details) >= 10 and any(d.startswith("/consult/") for d in details)
    assert any(u == "social_worker (English)" and h.startswith("/registry/households/") for u, h in visited)
    assert too_wide == []


# The first link in a table's body that leads to another page of the platform (not a file or a print).
FIRST_ROW_LINK = """() => {
  const a = [...document.querySelectorAll("main table tbody a[href^='/']")].find(
    a => !/\\.(pdf|xlsx|csv|svg|png)$|print|labels/.test(a.getAttribute("href")));
  return a ? a.getAttribute("href") : null;
}"""


def measure(page, live_server, username: str, href: str, visited: list, too_wide: list) -> None:
    page.goto(f"{live_server.url}{href}")
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    visited.append((username, href))
    if width > PHONE["width"]:
        too_wide.append(f"{username} {href} ({page.url.removeprefix(live_server.url)}): {width} px")
