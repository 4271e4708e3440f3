"""The annual report and the public page in a real browser: charts drawn, no JavaScript error."""

import pytest

from jiedao.planning import demo_data
from jiedao.planning.models import Evaluation
from jiedao.testing import World

pytestmark = pytest.mark.browser


class _Builder:
    counts: dict = {}

    def log(self, line):
        pass


@pytest.fixture
def live_plan(transactional_db):
    world = World()
    plan = demo_data.build(builder=_Builder(), subdistrict=world.sub)
    return plan, Evaluation.objects.get(plan=plan, kind="annual", year=2024).pk


def test_the_public_page_and_the_annual_report_open_without_javascript_errors(live_plan, live_server, browser_page):
    plan, evaluation = live_plan
    page, errors = browser_page
    page.goto(f"{live_server.url}/planning/public/{plan.pk}/")
    page.wait_for_selector("[data-testid=public-plan]")
    assert "百禧公园" in page.inner_text("main")
    assert page.locator("main svg").count() >= 2

    page.goto(f"{live_server.url}/login/?next=/planning/evaluations/{evaluation}/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=report]")
    text = page.inner_text("[data-testid=report]")
    assert "2024年年度跟踪监测" in text and "约束性指标完成情况" in text and "美丽道路建成条数" in text
    assert page.locator("[data-testid=report] svg.chart").count() >= 4
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden() and page.locator(".toolbar").is_hidden()
    assert errors == []
