"""Evaluations generated from the data: the print-ready report, its narrative, XLSX and optional PDF."""

import io
import re

import pytest
from openpyxl import load_workbook

from jiedao.core.models import AuditLog
from jiedao.planning import services
from jiedao.planning.models import Evaluation
from jiedao.planning.views.evaluations import weasyprint_available


@pytest.fixture
def annual(plan, world, housing_reporter, roads_reporter, greening_reporter):
    services.submit_progress_report(project=plan.projects.get(code="t1-01"), by=housing_reporter, year=2023,
                                    quarter=4, progress=35, status="in_progress", note="内部：施工队更换")
    services.submit_progress_report(project=plan.projects.get(code="t3-02"), by=roads_reporter, year=2023,
                                    quarter=3, progress=100, status="completed")
    services.submit_indicator_value(indicator=plan.indicators.get(code="public-green-per-capita"),
                                    by=greening_reporter, year=2023, value="0.96", evidence="年报")
    evaluation = services.create_evaluation(plan=plan, kind=Evaluation.Kind.ANNUAL, year=2023, by=world.leader)
    return services.update_narrative(evaluation=evaluation, by=world.leader, summary="总体平稳推进。",
                                     problems="成套改造签约难度大。")


def test_the_annual_report_shows_every_indicator_and_project_with_its_status(annual, plan, login, world):
    html = login(world.operator).get(f"/planning/evaluations/{annual.pk}/").content.decode()
    assert "2023年年度跟踪监测" in html and "数据截至 2023年度" in html
    for indicator in plan.indicators.all():
        assert indicator.name.replace("“", "&ldquo;") in html or indicator.name in html, indicator.name
    for project in plan.projects.all():
        assert project.name in html, project.name
    assert "总体平稳推进。" in html and "成套改造签约难度大。" in html
    assert "（待填写）" in html  # 主要成效 not written yet
    assert 'class="badge h-on_track"' in html and "已完成" in html
    assert "数据来源尚未接入" in html  # 加装电梯竣工数 until the elevators module exists
    assert "自动计算 · 来源：一网统管案件" in html  # 按时办结率 and 先行联系率, from the cases themselves
    assert "自动计算 · 来源：实有人口库" in html     # 老龄化率
    assert "房管办" in html and "未报事项" in html  # who had not reported 2023Q4


def test_the_report_is_print_ready_with_server_drawn_charts_and_nothing_external(annual, login, world):
    html = login(world.operator).get(f"/planning/evaluations/{annual.pk}/").content.decode()
    assert "/static/planning/planning.css" in html
    assert html.count("<svg") >= 3 and 'role="img"' in html
    body = html.split("<main", 1)[1].replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in body and "https://" not in body
    # One local script (the shared one: the print button), nothing inline or from elsewhere.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/core/jiedao.js" defer>']


def test_the_print_stylesheet_hides_navigation_and_sets_the_page(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("planning/planning.css"), encoding="utf-8").read()
    assert "@media print" in css and "@page" in css and ".topbar" in css.split("@media print", 1)[1]


def test_managers_write_the_narrative_and_it_is_audited(annual, login, world):
    response = login(world.leader).post(f"/planning/evaluations/{annual.pk}/edit/", {
        "summary": "总体良好。", "achievements": "完成 3 条美丽道路。", "problems": "", "next_steps": "加快成套改造。"})
    assert response.status_code == 302
    annual.refresh_from_db()
    assert (annual.summary, annual.achievements) == ("总体良好。", "完成 3 条美丽道路。")
    assert annual.updated_by == world.leader
    entry = AuditLog.objects.filter(action="update", object_type="planning.evaluation").first()
    assert set(entry.detail["fields"]) == {"summary", "achievements", "problems", "next_steps"}
    refused = login(world.operator).post(f"/planning/evaluations/{annual.pk}/edit/", {"summary": "x"})
    assert refused.status_code == 403


def test_midterm_and_final_evaluations_report_on_their_years(plan, world, login):
    midterm = services.create_evaluation(plan=plan, kind=Evaluation.Kind.MIDTERM, by=world.leader)
    final = services.create_evaluation(plan=plan, kind=Evaluation.Kind.FINAL, by=world.leader)
    assert (midterm.year, final.year) == (2023, 2025)
    assert "数据截至 2023年度" in login(world.operator).get(f"/planning/evaluations/{midterm.pk}/").content.decode()
    html = login(world.operator).get(f"/planning/evaluations/{final.pk}/").content.decode()
    assert "期末全面评估" in html and "数据截至 2025年度" in html


def test_an_evaluation_year_outside_the_plan_is_refused(plan, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不在规划期"):
        services.create_evaluation(plan=plan, kind=Evaluation.Kind.ANNUAL, year=2027, by=world.leader)
    with pytest.raises(ValidationError, match="规划末年"):
        services.create_evaluation(plan=plan, kind=Evaluation.Kind.FINAL, year=2024, by=world.leader)
    assert not Evaluation.objects.exists()


def test_the_xlsx_has_overview_chart_indicators_projects_missing_reports_and_narrative(annual, plan, login, world):
    response = login(world.operator).get(f"/planning/evaluations/{annual.pk}/report.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="caoyang-14th-2023-annual.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "指标", "项目", "未填报", "评估叙述"]
    assert len(book["概况"]._charts) == 1
    indicators = list(book["指标"].iter_rows(values_only=True))
    assert len(indicators) == plan.indicators.count() + 1
    header = indicators[0]
    green = next(r for r in indicators if r[1] == "人均公共绿地面积")
    assert green[header.index("2023")] == "0.96" and green[header.index("状态")] == "正常推进"
    projects = list(book["项目"].iter_rows(values_only=True))
    assert len(projects) == plan.projects.count() + 1
    narrative = dict(book["评估叙述"].iter_rows(values_only=True))
    assert narrative["总体评价"] == "总体平稳推进。"
    assert AuditLog.objects.filter(action="export", object_type="planning.evaluation").exists()


def test_pdf_is_made_only_where_weasyprint_is_installed(annual, login, world):
    response = login(world.operator).get(f"/planning/evaluations/{annual.pk}/report.pdf")
    if weasyprint_available():
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    else:
        assert response.status_code == 501 and "WeasyPrint" in response.content.decode()
        page = login(world.operator).get(f"/planning/evaluations/{annual.pk}/").content.decode()
        assert "report.pdf" not in page
