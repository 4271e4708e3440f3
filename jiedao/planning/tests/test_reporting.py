"""Quarterly reporting by lead units: projects and entered indicators, attachments, refusals, the
list of who has not reported — checked the same way on the page and over the API, nothing half-written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiedao.core.models import AuditLog
from jiedao.planning import selectors, services
from jiedao.planning.models import Attachment, IndicatorValue, ProgressReport, ProjectStatus
from jiedao.planning.periods import Period

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def housing(plan):
    return plan.projects.get(code="t1-03")  # 曹杨一村 … 旧住房成套改造工程, led by 房管办


def report(project, by, **kw):
    args = {"year": 2023, "quarter": 2, "progress": 40, "status": ProjectStatus.IN_PROGRESS, "note": "完成签约"}
    return services.submit_progress_report(project=project, by=by, **{**args, **kw})


def test_the_lead_unit_reports_a_quarter_and_the_project_follows_its_latest_report(housing, housing_reporter):
    report(housing, housing_reporter, year=2023, quarter=1, progress=20)
    row = report(housing, housing_reporter, year=2023, quarter=2, progress=45, public_note="正在施工")
    housing.refresh_from_db()
    assert (housing.progress, housing.status, housing.completed_on) == (45, ProjectStatus.IN_PROGRESS, None)
    assert (row.unit.code, row.reporter_name) == ("FGB", "fgb_reporter")
    entry = AuditLog.objects.filter(action="create", object_type="planning.progressreport").first()  # newest
    assert entry.actor == housing_reporter and entry.detail["period"] == "2023Q2"


def test_completing_a_project_records_the_quarters_end_and_counts_for_computed_indicators(plan, roads_reporter):
    road = plan.projects.get(code="t3-01")
    report(road, roads_reporter, year=2024, quarter=3, progress=100, status=ProjectStatus.COMPLETED)
    road.refresh_from_db()
    assert road.completed_on == dt.date(2024, 9, 30)
    row = selectors.indicator_history(indicator=plan.indicators.get(code="beautiful-roads"), as_of=Period(2024, 4))
    assert row.latest.value == 1 and row.latest.origin == "live"


def test_reporting_the_same_quarter_again_corrects_it_and_is_audited_as_an_update(housing, housing_reporter):
    report(housing, housing_reporter, progress=40)
    report(housing, housing_reporter, progress=42, note="更正")
    assert ProgressReport.objects.filter(project=housing).count() == 1
    update = AuditLog.objects.filter(action="update", object_type="planning.progressreport").get()
    assert update.detail["before"] == {"progress": 40, "status": "in_progress"}


def test_correcting_an_earlier_quarter_does_not_override_the_latest(housing, housing_reporter):
    report(housing, housing_reporter, year=2023, quarter=3, progress=60)
    report(housing, housing_reporter, year=2023, quarter=1, progress=10)
    housing.refresh_from_db()
    assert housing.progress == 60


def test_a_unit_that_does_not_lead_the_project_is_refused_audited_and_nothing_is_written(housing, roads_reporter):
    with pytest.raises(PermissionDenied) as exc:
        report(housing, roads_reporter)
    assert "只有牵头单位「房管办」可以填报" in str(exc.value) and "城市建设管理中心" in str(exc.value)
    assert not ProgressReport.objects.exists()
    denied = AuditLog.objects.get(action="denied", actor=roads_reporter)
    assert denied.object_type == "planning.project" and denied.object_id == str(housing.pk)


@pytest.mark.parametrize("persona", ["operator", "leader", "handler"])
def test_roles_and_units_other_than_the_lead_unit_cannot_report(world, housing, persona):
    with pytest.raises(PermissionDenied):
        report(housing, getattr(world, persona))


def test_a_refused_report_on_the_page_shows_the_reason_with_403(housing, roads_reporter, login):
    response = login(roads_reporter).post(f"/planning/projects/{housing.pk}/", {
        "year": 2023, "quarter": 2, "progress": 50, "status": "in_progress", "note": "越权"})
    assert response.status_code == 403
    assert "只有牵头单位「房管办」可以填报" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert AuditLog.objects.filter(action="denied", actor=roads_reporter).exists()


def test_a_refused_report_over_the_api_is_403_and_audited(housing, roads_reporter, login):
    response = login(roads_reporter).post(
        f"/api/v1/planning/projects/{housing.pk}/reports",
        {"year": 2023, "quarter": 2, "progress": 50, "status": "in_progress"}, content_type="application/json")
    assert response.status_code == 403
    assert "只有牵头单位" in response.json()["detail"]
    assert not ProgressReport.objects.exists()
    assert AuditLog.objects.filter(action="denied", actor=roads_reporter).exists()


def test_the_page_form_reports_with_an_attachment(housing, housing_reporter, login):
    upload = SimpleUploadedFile("签约台账.pdf", PDF, content_type="application/pdf")
    response = login(housing_reporter).post(f"/planning/projects/{housing.pk}/", {
        "year": 2024, "quarter": 1, "progress": 30, "status": "in_progress", "note": "签约率 92%",
        "public_note": "居民签约中", "attachment": upload})
    assert response.status_code == 302
    saved = ProgressReport.objects.get(project=housing)
    attachment = saved.attachments.get()
    assert attachment.name == "签约台账.pdf" and attachment.size == len(PDF)
    assert attachment.file.name.startswith("planning/") and attachment.file.name.endswith(".pdf")
    page = login(housing_reporter).get(f"/planning/projects/{housing.pk}/").content.decode()
    assert "签约率 92%" in page and "签约台账.pdf" in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"quarter": 0}, "quarter", "按季度填报"),
    ({"quarter": 5}, "", "季度只能是 1–4"),
    ({"year": 2026}, "", "不在规划期 2021–2025 年内"),
    ({"year": 2019}, "", "不在规划期"),
    ({"progress": 120}, "progress", "0–100"),
    ({"progress": 80, "status": "completed"}, "progress", "应为 100%"),
    ({"progress": 100, "status": "in_progress"}, "status", "已完成"),
    ({"progress": 10, "status": "not_started"}, "status", "未启动"),
    ({"status": "done"}, "status", "状态只能是"),
])
def test_bad_reports_are_refused_with_a_clear_chinese_error(housing, housing_reporter, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        report(housing, housing_reporter, **changes)
    assert message in " ".join(exc.value.messages)
    if field:
        assert field in exc.value.message_dict
    assert not ProgressReport.objects.exists()


def test_a_quarter_that_has_not_begun_cannot_be_reported(housing, housing_reporter):
    plan = housing.plan
    future = timezone.localdate().year + 1
    plan.end_year = future
    plan.save()
    with pytest.raises(ValidationError, match="尚未开始"):
        report(housing, housing_reporter, year=future, quarter=4)


def test_progress_lower_than_before_needs_a_reason(housing, housing_reporter):
    report(housing, housing_reporter, year=2023, quarter=1, progress=50)
    with pytest.raises(ValidationError, match="请在进展说明中写明原因"):
        report(housing, housing_reporter, year=2023, quarter=2, progress=40, note="")
    assert report(housing, housing_reporter, year=2023, quarter=2, progress=40, note="返工重做").progress == 40


@pytest.mark.parametrize(("name", "content", "message"), [
    ("program.exe", b"MZ\x90\x00", "类型不支持"),
    ("notes.txt", b"hello", "类型不支持"),
    ("scan.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名 .pdf 不符"),
    ("photo.png", b"", "空文件"),
])
def test_attachments_of_the_wrong_type_are_refused_and_nothing_is_written(housing, housing_reporter, name, content,
                                                                          message):
    with pytest.raises(ValidationError, match=message):
        report(housing, housing_reporter, attachments=[SimpleUploadedFile(name, content)])
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()


def test_attachments_over_the_size_limit_are_refused(housing, housing_reporter, settings):
    settings.PLANNING_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError, match="太大"):
        report(housing, housing_reporter, attachments=[big])
    assert not ProgressReport.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_written(housing, housing_reporter, monkeypatch):
    from jiedao.planning.services import reporting

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reporting, "_store_attachments", broken)
    with pytest.raises(OSError):
        report(housing, housing_reporter, progress=70, attachments=[SimpleUploadedFile("a.pdf", PDF)])
    housing.refresh_from_db()
    assert not ProgressReport.objects.exists() and housing.progress == 0


def test_attachments_can_be_added_over_the_api_by_the_lead_unit_only(housing, housing_reporter, roads_reporter,
                                                                     login):
    saved = report(housing, housing_reporter)
    url = f"/api/v1/planning/reports/{saved.pk}/attachments"
    response = login(housing_reporter).post(url, {"file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n0000")})
    assert response.status_code == 200 and response.json()["name"] == "a.png"
    refused = login(roads_reporter).post(url, {"file": SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n0000")})
    assert refused.status_code == 403
    assert saved.attachments.count() == 1


# ----------------------------------------------------------------------------------- indicator values
def enter(indicator, by, **kw):
    args = {"year": 2024, "quarter": 0, "evidence": "年度统计报表"}
    return services.submit_indicator_value(indicator=indicator, by=by, **{**args, **kw})


def test_a_value_in_another_unit_of_the_same_kind_is_converted(plan, housing_reporter):
    households = plan.indicators.get(code="repaired-households")
    row = enter(households, housing_reporter, value="1.9", unit="万户")
    assert row.value == Decimal(19000)
    assert AuditLog.objects.filter(action="create", object_type="planning.indicatorvalue").get().detail["unit_given"] \
        == "万户"


def test_a_value_in_the_wrong_unit_is_refused(plan, housing_reporter, login):
    area = plan.indicators.get(code="housing-signed-area")
    expected = "单位不符：指标「旧住房成套改造签约面积」以「平方米」计，填报的单位是「户」"
    with pytest.raises(ValidationError, match=expected):
        enter(area, housing_reporter, value="3037", unit="户")
    response = login(housing_reporter).post(
        f"/api/v1/planning/indicators/{area.pk}/values",
        {"year": 2024, "value": "12", "unit": "幢", "evidence": "台账"}, content_type="application/json")
    assert response.status_code == 422 and "单位不符" in response.json()["detail"]
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(("code", "changes", "message"), [
    ("public-green-per-capita", {"value": "-1"}, "不能为负"),
    ("public-green-per-capita", {"value": "abc"}, "不是有效的数值"),
    ("public-green-per-capita", {"value": ""}, "请填写数值"),
    ("public-green-per-capita", {"value": "1", "year": 2030}, "不在规划期"),
    ("public-green-per-capita", {"value": "1", "quarter": 7}, "季度只能是"),
    ("public-green-per-capita", {"value": "1", "evidence": ""}, "佐证"),
    ("public-green-per-capita", {"achieved": True}, "数值指标"),
])
def test_bad_indicator_values_are_refused(plan, greening_reporter, code, changes, message):
    with pytest.raises(ValidationError) as exc:
        enter(plan.indicators.get(code=code), greening_reporter, **changes)
    assert message in " ".join(exc.value.messages)
    assert not IndicatorValue.objects.exists()


def test_a_percentage_above_100_is_refused(plan, world, departments):
    from jiedao.testing import make_user

    reporter = make_user("cyzx", role="handler", subdistrict=world.sub, level="department",
                         department=departments["CYZX"])
    with pytest.raises(ValidationError, match="0 到 100"):
        enter(plan.indicators.get(code="garbage-room-monitoring"), reporter, value="120")


def test_a_milestone_takes_yes_or_no_not_a_number(plan, housing_reporter):
    milestone = plan.indicators.get(code="non-self-contained-housing")
    with pytest.raises(ValidationError, match="是否类里程碑"):
        enter(milestone, housing_reporter, value="1")
    row = enter(milestone, housing_reporter, achieved=False, quarter=4)
    assert row.achieved is False and row.value is None


def test_computed_indicators_cannot_be_entered_by_hand(plan, roads_reporter):
    with pytest.raises(ValidationError, match="自动计算"):
        enter(plan.indicators.get(code="beautiful-roads"), roads_reporter, value="8")


def test_only_the_lead_unit_enters_an_indicator_and_the_page_says_why(plan, housing_reporter, login):
    green = plan.indicators.get(code="public-green-per-capita")  # led by 绿化市容管理所
    response = login(housing_reporter).post(f"/planning/indicators/{green.pk}/", {
        "year": 2024, "quarter": 0, "value": "0.98", "unit": "平方米", "evidence": "绿化台账"})
    assert response.status_code == 403
    assert "只有牵头单位「绿化市容管理所」可以填报" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_lead_unit_enters_a_value_on_the_page_and_the_status_follows(plan, greening_reporter, login):
    green = plan.indicators.get(code="public-green-per-capita")
    client = login(greening_reporter)
    response = client.post(f"/planning/indicators/{green.pk}/", {
        "year": 2025, "quarter": 4, "value": "1.03", "unit": "平方米", "evidence": "2025 年绿地普查"})
    assert response.status_code == 302
    row = selectors.indicator_history(indicator=green, as_of=Period(2025, 4))
    assert row.latest.value == Decimal("1.03") and row.health == "achieved"
    assert "2025 年绿地普查" in client.get(f"/planning/indicators/{green.pk}/").content.decode()


# -------------------------------------------------------------------------------------------- 未填报
def test_the_subdistrict_sees_which_units_have_not_reported_a_quarter(world, plan, housing_reporter, roads_reporter,
                                                                      login):
    for project in plan.projects.filter(lead_unit__code="JSZX"):
        report(project, roads_reporter, year=2024, quarter=2, progress=50)
    report(plan.projects.get(code="t1-01"), housing_reporter, year=2024, quarter=2, progress=50)
    units = {u.unit.code: u for u in selectors.reporting_status(user=world.operator, plan=plan,
                                                                period=Period(2024, 2))}
    assert units["JSZX"].projects_missing == []
    assert "t1-01" not in [p.code for p in units["FGB"].projects_missing]
    assert len(units["FGB"].projects_missing) == 18  # the other rows of tables 1 and 2
    assert {i.code for i in units["LHSR"].indicators_missing} >= {"public-green-per-capita"}
    page = login(world.operator).get(f"/planning/{plan.pk}/reporting/", {"period": "2024Q2"}).content.decode()
    assert "房管办" in page and "北岭园屋面及相关设施改造工程" in page


def test_a_project_completed_earlier_is_not_due_and_a_whole_year_value_counts_for_q4(plan, roads_reporter,
                                                                                      greening_reporter):
    road = plan.projects.get(code="t3-01")
    report(road, roads_reporter, year=2023, quarter=4, progress=100, status="completed")
    enter(plan.indicators.get(code="public-green-per-capita"), greening_reporter, year=2024, quarter=0, value="1")
    units = {u.unit.code: u for u in selectors.reporting_status(user=roads_reporter, plan=plan,
                                                                period=Period(2024, 4))}
    assert road not in units["JSZX"].projects_due
    assert "public-green-per-capita" not in {i.code for i in units["LHSR"].indicators_missing}


def test_the_lead_unit_marks_a_milestone_achieved_on_the_page(plan, world, departments, login):
    from jiedao.testing import make_user

    reporter = make_user("cyzx_reporter", role="handler", subdistrict=world.sub, level="department",
                         department=departments["CYZX"])
    pilot = plan.indicators.get(code="one-network-pilot")
    client = login(reporter)
    form = client.get(f"/planning/indicators/{pilot.pk}/").content.decode()
    assert 'name="achieved"' in form and 'name="value"' not in form
    response = client.post(f"/planning/indicators/{pilot.pk}/", {
        "year": 2023, "quarter": 4, "achieved": "yes", "evidence": "区城运中心验收意见"})
    assert response.status_code == 302
    row = selectors.indicator_history(indicator=pilot, as_of=Period(2025, 0))
    assert row.latest.achieved is True and row.health == "achieved"
