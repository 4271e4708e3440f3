"""信息公开: the public page shows goals, indicators and projects in plain language, never internal notes."""

import pytest

from jiedao.planning import services


@pytest.fixture
def reported(plan, housing_reporter, greening_reporter):
    services.submit_progress_report(
        project=plan.projects.get(code="t1-01"), by=housing_reporter, year=2024, quarter=2, progress=60,
        status="in_progress", note="内部：与施工单位存在付款纠纷", public_note="已有六成楼栋完成改造")
    services.submit_indicator_value(
        indicator=plan.indicators.get(code="public-green-per-capita"), by=greening_reporter, year=2024,
        value="0.98", evidence="绿化普查台账编号 LH-2024-17", note="内部：口径待核")
    return plan


def test_the_public_page_needs_no_sign_in_and_shows_goals_indicators_and_projects(reported, client):
    response = client.get(f"/planning/public/{reported.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "城市更新转型样板区" in html and "民生服务全面提档" in html
    assert "人均公共绿地面积" in html and "2025 年达到 1.02 平方米" in html
    assert "百禧公园" in html and "曹杨五村 63-65、68-71、76-77 号旧住房成套改造工程" in html
    assert "已有六成楼栋完成改造" in html  # the plain-language public note
    assert "0.98" in html


def test_the_public_page_never_shows_internal_notes_evidence_or_who_reported(reported, client, housing_reporter):
    html = client.get(f"/planning/public/{reported.pk}/").content.decode()
    for secret in ("付款纠纷", "LH-2024-17", "口径待核", housing_reporter.username, "fgb_reporter", "填报人"):
        assert secret not in html


def test_unpublished_plans_and_private_rows_are_not_public(reported, client):
    reported.indicators.filter(code="public-green-per-capita").update(public=False)
    html = client.get(f"/planning/public/{reported.pk}/").content.decode()
    assert "人均公共绿地面积" not in html.split("主要指标", 1)[1].split("重点项目", 1)[0]
    reported.published = False
    reported.save()
    assert client.get(f"/planning/public/{reported.pk}/").status_code == 404
    assert reported.name not in client.get("/planning/public/").content.decode()


def test_the_public_index_lists_published_plans(reported, client):
    html = client.get("/planning/public/").content.decode()
    assert reported.name in html and f"/planning/public/{reported.pk}/" in html
