"""In Chromium: the 居委 head takes a candidate building to 施工 — 立项, 方案设计, the quote, 发起表决 (a consult
consultation under art. 278 special), an owner's online ballot by the letter's code, a booth ballot entered by
the head and confirmed by a social worker, the vote closed in consult, then 公示, 审批, the lawyer's approval
and 施工; no script errors, nothing loaded from elsewhere.

The owners' register (产证清册) and the other owners' online ballots are entered through consult's services
from a worker thread: Playwright's sync API keeps an event loop in the test's thread, where the ORM refuses
to run."""

import re
from decimal import Decimal

import pytest

from jiedao.core.roles import Role, ScopeLevel
from jiedao.testing import World, browser_sign_in, in_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def site(transactional_db):
    from jiedao.elevators import services
    from jiedao.elevators.tests.conftest import Estate

    world = World()
    head = make_user("community_head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                     community=world.c2)
    building = Estate(world).building(floors=6, per_floor=2, ages=(72, 40))
    services.save_survey(building=building, by=head, entry="level", pipes="clear", front_clearance_m=Decimal("3.5"),
                         fire_lane_clear=True, sunlight="none")
    return {"building": building.pk, "head": head.pk}


def register_owners(project_id: int) -> int:
    from jiedao.core.models import User
    from jiedao.elevators.models import Project
    from jiedao.elevators.services import consultation_of
    from jiedao.elevators.tests.conftest import register_owners as register

    c = consultation_of(Project.objects.get(pk=project_id))
    register(c, by=User.objects.get(username="community_head"))
    return c.pk


def more_online_votes(consultation_id: int, labels_done: set[str], n: int) -> None:
    from jiedao.consult.models import Consultation
    from jiedao.elevators.tests.conftest import vote_online

    c = Consultation.objects.get(pk=consultation_id)
    for d in [d for d in c.dwellings.order_by("label") if d.label not in labels_done][:n]:
        vote_online(d, "agree")


def current_stage(page) -> str:
    return page.get_attribute(".elv-pipeline li[aria-current=step]", "data-stage")


def test_a_candidate_goes_to_the_vote_and_on_to_construction(site, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    browser_sign_in(page, url, "community_head", "/elevators/")
    page.click(f"tr[data-building='{site['building']}'] a")
    assert page.inner_text(".big-score")
    page.click("#project-form button[type=submit]")
    page.wait_for_selector(".elv-pipeline li[aria-current=step][data-stage=consent]")
    project_id = int(re.search(r"/projects/(\d+)/", page.url).group(1))

    page.click("#advance-form button[type=submit]")
    page.wait_for_selector(".elv-pipeline li[aria-current=step][data-stage=design]")
    page.click("#quote-form button[type=submit]")
    page.wait_for_selector("[data-net]")
    assert "请先发起表决征询" in page.inner_text("#refusal")
    page.click("#vote-form button[type=submit]")
    page.wait_for_selector(".elv-pipeline li[aria-current=step][data-stage=vote]")

    consultation_id = in_thread(lambda: register_owners(project_id))
    page.click("[data-testid=open-vote]")
    page.wait_for_selector("[data-testid=vote-status]:has-text('表决中')")

    page.goto(f"{url}/consult/{consultation_id}/letters/")
    letters = page.locator("[data-testid=letter]")
    assert letters.count() == 12
    first, second = (letters.nth(i).inner_text() for i in (0, 1))
    token = letters.nth(0).locator(".code code").inner_text().strip()
    first_label = re.search(r"房号：(\S+)", first).group(1)
    booth_label = re.search(r"房号：(\S+)", second).group(1)

    # The owner of the first dwelling votes on the phone, by the letter's code (no account).
    page.context.clear_cookies()
    page.goto(f"{url}/consult/v/{token}")
    page.click("label.choice:has-text('同意') >> nth=0")
    page.click("[data-testid=vote-form] button[type=submit]")
    page.wait_for_selector("[data-testid=vote-done]")

    # The second owner votes at the 居委's booth: the head enters it, a social worker confirms it.
    browser_sign_in(page, url, "community_head", f"/consult/{consultation_id}/ballots/")
    page.fill("#id_label", booth_label)
    page.check("[data-testid=enter-form] input[name=choice][value=agree]")
    page.select_option("[data-testid=enter-form] select[name=channel]", "booth")
    page.click("[data-testid=enter-form] button[type=submit]")
    page.wait_for_selector(f"[data-testid=entries] td:has-text('{booth_label}')")
    browser_sign_in(page, url, "social_worker", f"/consult/{consultation_id}/ballots/")
    row = page.locator(f"[data-testid=entries] tr:has(td:has-text('{booth_label}'))")
    row.locator("input[name=choice][value=agree]").check()
    row.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=entries] td:has-text('没有待复核的录入')")

    in_thread(lambda: more_online_votes(consultation_id, {first_label, booth_label}, 7))  # 9 of 12 agree

    browser_sign_in(page, url, "community_head", f"/consult/{consultation_id}/")
    page.click("[data-testid=close]")
    page.goto(f"{url}/elevators/projects/{project_id}/")
    assert page.inner_text("[data-testid=vote-status]") == "已结束：通过"

    page.click("#advance-form button[type=submit]")
    page.wait_for_selector(".elv-pipeline li[aria-current=step][data-stage=notice]")
    page.click("#advance-form button[type=submit]")
    page.wait_for_selector(".elv-pipeline li[aria-current=step][data-stage=approval]")
    assert "律师审查" in page.inner_text("#refusal")
    page.fill("#review-form input[name=lawyer]", "王律师")
    page.select_option("#review-form select[name=outcome]", "approved")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#review li:has-text('审查通过')")
    page.click("#advance-form button[type=submit]")
    page.wait_for_selector(".elv-pipeline li[aria-current=step][data-stage=construction]")
    assert current_stage(page) == "construction"
    assert errors == []
