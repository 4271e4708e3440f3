"""The annual report and the public page in a real browser: charts drawn, no JavaScript error."""

import pytest

from jiedao.core.models import Department
from jiedao.planning import services
from jiedao.planning.models import Evaluation
from jiedao.planning.periods import Period
from jiedao.testing import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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


def test_the_public_page_fits_a_phone_with_each_row_a_labelled_card(live_plan, live_server, browser_page):
    plan, _evaluation = live_plan
    page, errors = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/planning/public/{plan.pk}/")
    page.wait_for_selector("[data-testid=public-plan]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator("[data-testid=public-indicators] tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = row.locator("td[data-label]").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"说明"'
    # A card is as wide as the screen allows, not a column of two or three characters.
    assert row.bounding_box()["width"] > 300
    assert errors == []


def test_a_manager_starts_the_next_plan_and_the_confirmation_shows_under_the_plans_tabs(
        live_plan, live_server, browser_page):
    plan, _evaluation = live_plan
    page, errors = browser_page
    page.goto(f"{live_server.url}/login/?next=/planning/{plan.pk}/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.click("[data-testid=next-plan]")
    assert page.input_value("#id_name") == "曹杨新村街道社区建设和发展“十五五”规划"
    page.fill("#id_code", "caoyang-15th")
    page.click("[data-testid=next-plan-form] button[type=submit]")
    message = page.locator(".messages .message-success")
    message.wait_for()
    assert "复制了 9 个目标、59 项指标" in message.inner_text()
    assert "2026–2030" in page.inner_text("main")
    # Below the breadcrumb (the plan's title and tabs), coloured as a success.
    assert message.bounding_box()["y"] > page.locator(".subnav").bounding_box()["y"]
    assert message.evaluate("li => getComputedStyle(li).backgroundColor") == "rgb(240, 250, 243)"
    assert errors == []
