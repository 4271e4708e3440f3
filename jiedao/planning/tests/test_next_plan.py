"""新建下一期规划: managers start the plan after the last one, with its goals and indicators, from a page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.core.models import AuditLog
from jiedao.planning import services
from jiedao.planning.models import Goal, Indicator, Plan


@pytest.fixture
def final_values(plan, housing_reporter, greening_reporter):
    """What the lead units reported for 2025, the 14th plan's last year: a cumulative count for the year, a
    level for the fourth quarter only, and a milestone."""
    households = plan.indicators.get(code="housing-households")  # 户, cumulative
    services.submit_indicator_value(indicator=households, by=housing_reporter, year=2025, quarter=4, value="4100",
                                    evidence="台账")
    services.submit_indicator_value(indicator=households, by=housing_reporter, year=2025, value="4200",
                                    evidence="年报")
    green = plan.indicators.get(code="public-green-per-capita")  # 平方米, level
    services.submit_indicator_value(indicator=green, by=greening_reporter, year=2025, quarter=4, value="1.05",
                                    evidence="绿化台账")
    milestone = plan.indicators.get(code="non-self-contained-housing")
    services.submit_indicator_value(indicator=milestone, by=housing_reporter, year=2025, achieved=True,
                                    evidence="验收")
    return plan


def _next(plan, by, **changes):
    fields = {"code": "caoyang-15th", "name": "曹杨新村街道社区建设和发展“十五五”规划", "start_year": 2026,
              "end_year": 2030, **changes}
    return services.create_next_plan(source=plan, by=by, **fields)


def test_the_next_plan_takes_the_goals_and_indicators_with_last_years_values_as_baselines(final_values, world):
    plan = final_values
    new = _next(plan, world.leader)
    assert (new.start_year, new.end_year, new.baseline_year, new.published) == (2026, 2030, 2025, False)
    assert new.goals.count() == plan.goals.count() == 9
    assert new.indicators.count() == plan.indicators.count() == 59
    households = new.indicators.get(code="housing-households")
    # The whole-year value wins over the fourth quarter's; a cumulative figure is the total over the last plan.
    assert (households.baseline, households.baseline_year, households.baseline_note) == (
        Decimal("4200"), 2025, "2021–2025年累计")
    assert households.unit == "户" and households.lead_unit.code == "FGB" and households.target is None
    green = new.indicators.get(code="public-green-per-capita")
    assert (green.baseline, green.baseline_note) == (Decimal("1.05"), "2025年末")
    assert green.binding == Indicator.Binding.BINDING and green.target is None and green.target_year is None
    milestone = new.indicators.get(code="non-self-contained-housing")
    assert milestone.baseline is None and milestone.direction == Indicator.Direction.MILESTONE
    unreported = new.indicators.get(code="new-jobs")
    assert unreported.baseline is None and unreported.baseline_year is None
    # Formulas come along; the chapters and the quotations of the last plan's text do not.
    closure = new.indicators.get(code="on-time-closure-rate")
    assert closure.numerator == plan.indicators.get(code="on-time-closure-rate").numerator != ""
    assert not new.indicators.exclude(chapter=None).exists() and not new.indicators.exclude(source_text="").exists()
    assert not new.projects.exists() and not new.chapters.exists()
    # Each copied indicator points at the new plan's copy of its goal.
    linked = new.indicators.exclude(goal=None)
    assert linked.exists() and not linked.exclude(goal__plan=new).exists()
    record = AuditLog.objects.get(action="create", object_type="planning.plan", object_id=str(new.pk))
    assert record.actor == world.leader and record.detail["from_plan"] == plan.pk
    assert record.detail["indicators"] == 59 and record.detail["baselines"] == 2


def test_the_manager_chooses_which_indicators_to_copy_and_may_leave_the_goals(plan, world):
    chosen = plan.indicators.filter(code__in=["housing-households", "beautiful-roads"])
    new = _next(plan, world.leader, indicators=chosen, copy_goals=False)
    assert sorted(new.indicators.values_list("code", flat=True)) == ["beautiful-roads", "housing-households"]
    assert not new.goals.exists() and not new.indicators.exclude(goal=None).exists()


def test_bad_input_writes_nothing_and_names_the_field(plan, world):
    with pytest.raises(ValidationError) as overlap:
        _next(plan, world.leader, start_year=2025)
    assert "应在上一期结束（2025 年）之后开始" in overlap.value.message_dict["start_year"][0]
    with pytest.raises(ValidationError) as taken:
        _next(plan, world.leader, code=plan.code)
    assert taken.value.message_dict
    with pytest.raises(ValidationError) as backwards:
        _next(plan, world.leader, end_year=2024)
    assert "终止年份不能早于起始年份" in backwards.value.message_dict["end_year"][0]
    assert Plan.objects.count() == 1 and Goal.objects.count() == 9


def test_only_managers_of_the_plans_subdistrict_start_the_next_plan(plan, world):
    for persona in (world.operator, world.handler, world.auditor, world.resident, world.other_operator):
        with pytest.raises(PermissionDenied):
            _next(plan, persona)
        assert AuditLog.objects.filter(action="denied", actor=persona).exists()
    assert Plan.objects.count() == 1


def test_the_page_offers_the_next_plans_name_and_years_and_creates_it(plan, login, world):
    client = login(world.leader)
    assert f'href="/planning/{plan.pk}/next/"' in client.get(f"/planning/{plan.pk}/").content.decode()
    html = client.get(f"/planning/{plan.pk}/next/").content.decode()
    assert 'value="曹杨新村街道社区建设和发展“十五五”规划"' in html
    assert 'name="start_year" value="2026"' in html and 'name="end_year" value="2030"' in html
    assert html.count('name="indicators"') == 59
    keep = plan.indicators.get(code="housing-households")
    response = client.post(f"/planning/{plan.pk}/next/", {
        "name": "曹杨新村街道“十五五”规划", "code": "caoyang-15th", "start_year": 2026, "end_year": 2030,
        "copy_goals": "on", "indicators": [keep.pk]}, follow=True)
    new = Plan.objects.get(code="caoyang-15th")
    assert response.redirect_chain[-1][0] == f"/planning/{new.pk}/"
    page = response.content.decode()
    assert "已新建规划「曹杨新村街道“十五五”规划」：复制了 9 个目标、1 项指标" in page
    assert 'class="message message-success"' in page and "2026–2030" in page
    # Two plans now: the planning home lists both instead of going straight to one.
    home = client.get("/planning/").content.decode()
    assert "“十四五”规划" in home and "“十五五”规划" in home


def test_the_page_shows_errors_next_to_the_fields_and_creates_nothing(plan, login, world):
    response = login(world.leader).post(f"/planning/{plan.pk}/next/", {
        "name": "下一期", "code": "next", "start_year": 2024, "end_year": 2028, "copy_goals": "on"})
    assert response.status_code == 200 and "之后开始" in response.content.decode()
    assert Plan.objects.count() == 1


def test_the_page_refuses_everyone_but_managers(plan, login, world):
    assert f'href="/planning/{plan.pk}/next/"' not in login(world.operator).get(
        f"/planning/{plan.pk}/").content.decode()
    for persona in (world.operator, world.handler, world.grid_worker, world.other_operator):
        assert login(persona).get(f"/planning/{plan.pk}/next/").status_code in (403, 404)
        assert login(persona).post(f"/planning/{plan.pk}/next/", {
            "name": "x", "code": "x", "start_year": 2026, "end_year": 2030}).status_code in (403, 404)
    assert Plan.objects.count() == 1


def test_a_new_plans_pages_open_before_anything_is_reported(plan, login, world):
    new = _next(plan, world.leader)
    client = login(world.leader)
    for path in ("", "text/", "indicators/", "projects/", "reporting/", "evaluations/"):
        assert client.get(f"/planning/{new.pk}/{path}").status_code == 200, path
    html = client.get(f"/planning/{new.pk}/indicators/").content.decode()
    assert "成套改造受益居民户数" in html
