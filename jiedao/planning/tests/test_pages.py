"""The staff pages: overview, filters, the plan's text, the indicator definition form, and the daily job."""

import pytest
from django.utils import timezone

from jiedao.planning import services
from jiedao.planning.models import IndicatorValue
from jiedao.planning.periods import current_quarter


def test_planning_home_goes_straight_to_the_only_plan(plan, login, world):
    response = login(world.operator).get("/planning/")
    assert response.status_code == 302 and response["Location"] == f"/planning/{plan.pk}/"


def test_the_overview_shows_status_charts_binding_indicators_goals_and_chapters(plan, login, world):
    html = login(world.operator).get(f"/planning/{plan.pk}/").content.decode()
    assert html.count("<svg") >= 2
    assert "约束性指标" in html and "人均公共绿地面积" in html and "5分钟基本公共服务圈建成" in html
    assert "城市更新转型样板区" in html and "第五章 重塑城区宜居空间" in html
    assert "向社会公开" not in html  # only managers see the publish switch
    assert "撤回公开" in login(world.leader).get(f"/planning/{plan.pk}/").content.decode()


def test_a_lead_units_reporter_sees_what_their_unit_still_has_to_report(plan, login, housing_reporter):
    html = login(housing_reporter).get(f"/planning/{plan.pk}/").content.decode()
    assert 'data-testid="my-reporting"' in html and "房管办" in html
    assert "北岭园屋面及相关设施改造工程" in html


def test_the_plan_text_shows_every_chapter_with_its_tasks(plan, login, world):
    html = login(world.operator).get(f"/planning/{plan.pk}/text/").content.decode()
    assert "第十章 规划保障措施" in html
    assert "<strong>着力推进旧住房成套改造</strong>。加快推进曹杨一村、二村、五村等旧住房成套改造工程" in html
    assert "**" not in html


def test_indicator_and_project_lists_filter(plan, login, world, elevators_not_connected):
    client = login(world.operator)
    html = client.get(f"/planning/{plan.pk}/indicators/", {"chapter": 8}).content.decode()
    assert "美丽楼组" in html and "人均公共绿地面积" not in html
    html = client.get(f"/planning/{plan.pk}/projects/", {"category": "road"}).content.decode()
    assert "杨柳青路美丽道路建设" in html and "百禧公园" not in html
    html = client.get(f"/planning/{plan.pk}/indicators/", {"health": "unavailable"}).content.decode()
    assert "加装电梯竣工数" in html and "美丽楼组" not in html and "12345 热线案件按时办结率" not in html


def test_a_period_outside_the_plan_falls_back_with_a_message(plan, login, world):
    response = login(world.operator).get(f"/planning/{plan.pk}/indicators/", {"period": "2031Q1"}, follow=True)
    assert "不在规划期 2021–2025 年内" in response.content.decode()


def test_a_computed_indicators_page_names_its_formula_its_source_and_a_missing_source(plan, login, world,
                                                                                      elevators_not_connected):
    client = login(world.operator)
    closure = plan.indicators.get(code="on-time-closure-rate")
    html = client.get(f"/planning/indicators/{closure.pk}/").content.decode()
    assert "{cases.closed_on_time}" in html and "来源：一网统管案件" in html and "数据来源尚未接入" not in html
    assert 'data-testid="value-form"' not in html  # nobody enters a computed indicator
    elevators = plan.indicators.get(code="elevators-completed")
    html = client.get(f"/planning/indicators/{elevators.pk}/").content.decode()
    assert "{elevators.retrofits_completed}" in html and "数据来源尚未接入" in html


def test_the_definition_form_refuses_a_formula_over_a_missing_field_and_saves_nothing(plan, login, world):
    ageing = plan.indicators.get(code="ageing-rate")
    form = {"name": "新名称", "description": "", "numerator": "{registry.residents.weight}",
            "denominator": "{registry.residents}", "factor": "100", "target_note": "", "public": "on"}
    response = login(world.leader).post(f"/planning/indicators/{ageing.pk}/edit/", form)
    assert response.status_code == 200
    assert "公式引用的数据元素「registry.residents.weight」不存在" in response.content.decode()
    ageing.refresh_from_db()
    assert ageing.name == "60周岁及以上居民占比"


def test_the_definition_form_refuses_a_target_year_outside_the_plan(plan, login, world):
    green = plan.indicators.get(code="public-green-per-capita")
    form = {"name": green.name, "description": green.description, "target": "1.02", "target_year": "2030",
            "target_note": "", "numerator": "", "denominator": "", "factor": "1", "public": "on"}
    html = login(world.leader).post(f"/planning/indicators/{green.pk}/edit/", form).content.decode()
    assert "目标年份 2030 不在规划期 2021–2025 年内" in html
    green.refresh_from_db()
    assert green.target_year == 2025


def test_the_definition_form_saves_a_valid_change_and_audits_it(plan, login, world):
    from jiedao.core.models import AuditLog

    green = plan.indicators.get(code="public-green-per-capita")
    form = {"name": green.name, "description": "新说明", "target": "1.05", "target_year": "2025", "target_note": "",
            "numerator": "", "denominator": "", "factor": "1", "public": "on"}
    assert login(world.leader).post(f"/planning/indicators/{green.pk}/edit/", form).status_code == 302
    green.refresh_from_db()
    assert str(green.target) == "1.0500"
    entry = AuditLog.objects.filter(action="update", object_type="planning.indicator").get()
    assert entry.detail["before"]["target"] == "1.0200" and entry.detail["after"]["target"] == "1.05"


def test_the_daily_job_stores_the_current_quarters_computed_values(plan, elevators_not_connected):
    from jiedao.planning.tasks import refresh_computed_indicators

    plan.end_year = timezone.localdate().year
    plan.save()
    assert refresh_computed_indicators.call() == 1
    quarter = current_quarter()
    stored = IndicatorValue.objects.filter(indicator__plan=plan, year=quarter.year, quarter=quarter.quarter)
    # The registry is empty here: counts are 0 and ratios have no denominator, so they store nothing.
    assert {v.indicator.code for v in stored} == {"beautiful-roads", "elderly-80-plus", "elderly-80-alone"}


@pytest.mark.parametrize("code", ["t1-01", "baixi-park"])
def test_project_pages_show_lead_unit_schedule_and_source(plan, login, world, code):
    project = plan.projects.get(code=code)
    html = login(world.operator).get(f"/planning/projects/{project.pk}/").content.decode()
    assert project.lead_unit.name in html and project.source_text.replace("\t", "") in html.replace("\t", "")
    assert 'data-testid="report-form"' not in html  # the operator is no lead unit


def test_record_computed_values_is_audited(plan, world, elevators_not_connected):
    from jiedao.core.models import AuditLog
    from jiedao.planning.periods import Period

    outcome = services.record_computed_values(plan=plan, period=Period(2023, 0), by=world.leader)
    assert outcome["beautiful-roads"] == "0.00" and "数据来源尚未接入" in outcome["elevators-completed"]
    assert outcome["on-time-closure-rate"] == "分母为 0，本期无法计算"  # from cases: none closed in 2023
    assert AuditLog.objects.filter(object_type="planning.plan", field="computed_values").exists()
