"""The annual report and the public page in a real browser: charts drawn, no JavaScript error."""

import pytest

from jiedao.core.models import Department
from jiedao.planning import services
from jiedao.planning.models import Evaluation
from jiedao.planning.periods import Period
from jiedao.testing import World

pytestmark = pytest.mark.browser


@pytest.fixture
def live_plan(transactional_db, caoyang_plan):
    """The Caoyang plan, published, with its computed indicators stored for 2021–2024 and the 2024 annual
    evaluation (committed: the browser reads through the live server)."""
    world = World()
    for row in caoyang_plan["departments"]:
        Department.objects.create(subdistrict=world.sub, code=row["code"], name=row["name"], kind=row["kind"])
    plan = services.load_plan(subdistrict=world.sub, document=caoyang_plan)
    services.set_plan_published(plan=plan, published=True, by=world.leader)
    for year in range(2021, 2025):
        services.record_computed_values(plan=plan, period=Period(year, 0))
    evaluation = services.create_evaluation(plan=plan, kind=Evaluation.Kind.ANNUAL, year=2024, by=world.leader)
    return plan, evaluation.pk


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
