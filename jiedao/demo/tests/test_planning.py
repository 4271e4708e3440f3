"""The demo's plan: the whole plan with five years of synthetic reporting, rebuilt the same every time."""

import time

import pytest

from jiedao.demo import planning as demo_planning
from jiedao.planning import reports, selectors
from jiedao.planning.models import Evaluation, IndicatorValue, Plan, ProgressReport, Project
from jiedao.planning.periods import Period


class Builder:
    def __init__(self):
        self.counts, self.lines = {}, []

    def log(self, line):
        self.lines.append(line)


@pytest.fixture
def demo_plan(world):
    return demo_planning.build(builder=Builder(), subdistrict=world.sub)


def test_the_demo_loads_the_plan_publishes_it_and_reports_on_every_project(demo_plan):
    assert demo_plan.published
    assert Project.objects.filter(plan=demo_plan).count() == 49
    assert not Project.objects.filter(plan=demo_plan, reports__isnull=True).exists()
    assert ProgressReport.objects.filter(synthetic=False).count() == 0
    assert Evaluation.objects.filter(plan=demo_plan).count() == 6  # 2021–2024 annual, mid-term, final
    roads = IndicatorValue.objects.filter(indicator__code="beautiful-roads", quarter=0)
    assert roads.count() == 5 and all(v.origin == "computed" for v in roads)


def test_the_demo_leaves_some_units_unreported_for_the_last_quarter(demo_plan, world):
    units = selectors.reporting_status(user=world.operator, plan=demo_plan, period=Period(2025, 4))
    missing = {u.unit.code for u in units if not u.complete}
    assert "JJB" in missing and "FWB" in missing
    assert any(u.complete for u in units)


def test_rebuilding_the_demo_gives_the_same_rows(world, demo_plan):
    first = list(ProgressReport.objects.order_by("project__code", "year", "quarter")
                 .values_list("project__code", "year", "quarter", "progress"))
    again = demo_planning.build(builder=Builder(), subdistrict=world.sub)
    assert Plan.objects.filter(subdistrict=world.sub).count() == 1
    assert list(ProgressReport.objects.filter(project__plan=again).order_by("project__code", "year", "quarter")
                .values_list("project__code", "year", "quarter", "progress")) == first


def test_the_annual_report_of_the_whole_demo_plan_renders_within_five_seconds(demo_plan, world, login):
    evaluation = Evaluation.objects.get(plan=demo_plan, kind="annual", year=2024)
    started = time.perf_counter()
    response = login(world.leader).get(f"/planning/evaluations/{evaluation.pk}/")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200 and elapsed < 5.0
    report = reports.build_report(user=world.leader, evaluation=evaluation)
    assert len(report.indicators) == 59 and len(report.projects) == 49
