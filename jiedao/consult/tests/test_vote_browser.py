"""In Chromium on a 390 px phone: the owner opens the voting page from the letter's code without an account,
agrees, and the 居委 head's live board shows the vote; the page fits the phone's width."""

import pytest

from jiedao.testing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def vote_world(transactional_db, cw, open_vote):
    return {"token": open_vote.tokens["1-101"], "pk": open_vote.pk}


def test_an_owner_votes_on_a_phone_and_the_board_shows_it(vote_world, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/consult/v/{vote_world['token']}")
    assert "41号加装电梯" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("label.choice:has-text('同意') >> nth=0")
    page.click("[data-testid=vote-form] button[type=submit]")
    page.wait_for_selector("[data-testid=vote-done]")

    browser_sign_in(page, live_server.url, "head", f"/consult/{vote_world['pk']}/")
    outcome = page.inner_text("[data-testid=outcome]")
    assert "1/12" in outcome and "同意率" in outcome
    assert errors == []
