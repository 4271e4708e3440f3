"""The demo's pages in a browser (issue 13), over a demo year of cases built up to now: the KPI page's
charts are ECharts with titles, readable department labels and round ticks, drawn with the page's data
(json_script) and no inline script under a strict Content-Security-Policy; the grid worker's and the
social worker's phone queues on a 390 px phone, titled by their scope and not empty."""

import random
import re

import pytest
from django.utils import timezone

from jiedao.demo import cases as demo_cases
from jiedao.testing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What the security issue's django-csp will send: scripts and styles from the site only.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "object-src 'none'; base-uri 'none'; form-action 'self'")


class Builder:
    def __init__(self, *, scale=0.05, seed=7):
        self.rng, self.scale, self.counts, self.lines = random.Random(seed), scale, {}, []


@pytest.fixture
def demo_year(transactional_db, cases_world):
    demo_cases.build(builder=Builder(), subdistrict=cases_world.sub, now=timezone.now())
    return cases_world


def with_strict_csp(route):
    response = route.fetch(max_redirects=0)
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")}
    route.fulfill(status=response.status, body=response.body(),
                  headers={**headers, "content-security-policy": STRICT_CSP})


def chart(page, name: str) -> dict:
    """What ECharts drew in the chart ``name``: its title, the category labels it shows and their room, the
    value axis's ticks."""
    return page.evaluate("""name => {
        const el = document.querySelector(`.echart[data-chart=${name}]`);
        const c = echarts.getInstanceByDom(el), model = c.getModel(), option = c.getOption();
        const horizontal = option.yAxis[0].type === 'category';
        const categoryAxis = model.getComponent(horizontal ? 'yAxis' : 'xAxis', 0).axis;
        const valueAxis = model.getComponent(horizontal ? 'xAxis' : 'yAxis', 0).axis;
        const extent = categoryAxis.getExtent();
        return {
            title: option.title[0].text,
            categories: categoryAxis.scale.getOrdinalMeta().categories,
            shown: categoryAxis.getViewLabels().map(l => l.formattedLabel),
            room: Math.abs(extent[1] - extent[0]) / categoryAxis.scale.count(),
            ticks: valueAxis.scale.getTicks().map(t => t.value),
            canvas: !!el.querySelector('canvas'),
        };
    }""", name)


def is_round_step(step: float) -> bool:
    magnitude = 10 ** (len(str(int(step))) - 1)
    return step == int(step) and step / magnitude in (1, 2, 2.5, 5)


def test_the_kpi_charts_are_titled_echarts_with_readable_labels_and_round_ticks(demo_year, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    page.route(re.compile(r"^http://[^/]+/cases/kpis/(\?.*)?$"), with_strict_csp)
    browser_sign_in(page, url, "operator", "/cases/kpis/")
    page.wait_for_selector(".echart[data-chart=rates][data-ready='1']")
    page.wait_for_selector(".echart[data-chart=trend][data-ready='1']")
    departments = page.eval_on_selector_all("table.kpis tbody th[scope=row]", "ths => ths.map(t => t.innerText)")
    rates = chart(page, "rates")
    assert rates["canvas"] and rates["title"] == "按时办结率与先行联系率（按处置部门）"
    assert rates["categories"] == departments and rates["shown"] == departments  # every name, in full
    assert rates["room"] >= 24  # px per department: the labels cannot overlap
    assert rates["ticks"] == [0, 25, 50, 75, 100]
    trend = chart(page, "trend")
    assert trend["title"] == "近 12 个月立案数与结案数" and len(trend["categories"]) == 12
    steps = {b - a for a, b in zip(trend["ticks"], trend["ticks"][1:], strict=False)}
    assert len(steps) == 1 and is_round_step(steps.pop()) and trend["ticks"][0] == 0
    main = page.inner_text("main")
    assert "docs/cases.md" not in main and "docs/" not in page.content()
    page.click("[data-testid=definitions] summary")
    assert "按时办结率" in page.inner_text("[data-testid=definitions]")
    # Printed, the page keeps the server's SVG charts.
    page.emulate_media(media="print")
    assert page.locator(".print-chart svg.chart").first.is_visible()
    assert not page.locator(".echart").first.is_visible()
    assert errors == []  # a script or style the CSP refused would be a console error


def test_the_phone_queues_of_the_demo_logins_are_titled_by_scope_and_not_empty(demo_year, live_server,
                                                                               browser_page):
    page, errors = browser_page
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    for username, title, place in (("grid_worker", "我的网格 · 在办案件", demo_year.g11.name),
                                   ("social_worker", "我的居委 · 在办案件", demo_year.c2.name)):
        browser_sign_in(page, url, username, "/m/cases/")
        assert page.inner_text("h1") == title and page.inner_text(".scope-place") == place
        if username == "grid_worker":  # the demo puts its newest reports in the grid worker's grid
            assert page.locator(".case-card").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
