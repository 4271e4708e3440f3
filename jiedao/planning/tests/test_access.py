"""Who may open which planning page and endpoint: a persona outside the role or the subdistrict is refused."""

import pytest
from django.core.files.base import ContentFile

from jiedao.core.models import AuditLog
from jiedao.planning import services
from jiedao.planning.models import Attachment, Evaluation


@pytest.fixture
def objects(plan, world, housing_reporter):
    report = services.submit_progress_report(
        project=plan.projects.get(code="t1-01"), by=housing_reporter, year=2022, quarter=4, progress=30,
        status="in_progress", note="内部说明")
    attachment = Attachment(subdistrict=world.sub, report=report, name="a.pdf", size=4)
    attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=True)
    evaluation = services.create_evaluation(plan=plan, kind=Evaluation.Kind.ANNUAL, year=2022, by=world.leader)
    return {"plan": plan.pk, "indicator": plan.indicators.get(code="public-green-per-capita").pk,
            "project": report.project_id, "evaluation": evaluation.pk, "attachment": attachment.pk}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


VIEW_PAGES = [
    "/planning/{plan}/", "/planning/{plan}/text/", "/planning/{plan}/indicators/", "/planning/{plan}/projects/",
    "/planning/{plan}/reporting/", "/planning/{plan}/evaluations/", "/planning/indicators/{indicator}/",
    "/planning/projects/{project}/", "/planning/evaluations/{evaluation}/",
    "/planning/evaluations/{evaluation}/report.xlsx", "/planning/attachments/{attachment}/",
]
MANAGE_PAGES = ["/planning/indicators/{indicator}/edit/", "/planning/evaluations/{evaluation}/edit/"]


@pytest.mark.parametrize("path", VIEW_PAGES)
def test_staff_of_the_subdistrict_who_may_view_planning_open_every_page(objects, login, world, path):
    pytest.importorskip("openpyxl") if path.endswith(".xlsx") else None
    for persona in (world.operator, world.auditor, world.handler):
        assert login(persona).get(path.format(**objects)).status_code == 200, (persona, path)


@pytest.mark.parametrize("path", ["/planning/", *VIEW_PAGES, *MANAGE_PAGES])
def test_roles_without_planning_access_are_refused_and_audited(objects, login, world, path):
    for user in (world.resident, world.grid_worker, world.social_worker):
        assert login(user).get(path.format(**objects)).status_code == 403
        assert AuditLog.objects.filter(action="denied", actor=user).exists()


@pytest.mark.parametrize("path", VIEW_PAGES)
def test_another_subdistricts_staff_are_refused(objects, login, world, path):
    assert login(world.other_operator).get(path.format(**objects)).status_code in (403, 404)


@pytest.mark.parametrize("path", [*VIEW_PAGES[:3], "/planning/"])
def test_pages_need_sign_in(objects, client, path):
    response = client.get(path.format(**objects))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_only_managers_change_definitions_and_narratives(objects, login, world, path):
    assert login(world.leader).get(path.format(**objects)).status_code == 200
    for persona in (world.operator, world.auditor, world.handler):
        assert login(persona).get(path.format(**objects)).status_code == 403


def test_only_managers_publish_a_plan(objects, login, world, plan):
    url = f"/planning/{plan.pk}/publish/"
    assert login(world.operator).post(url, {"published": "0"}).status_code == 403
    assert login(world.leader).post(url, {"published": "0"}).status_code == 302
    plan.refresh_from_db()
    assert plan.published is False


def test_only_managers_create_evaluations(objects, login, world, plan):
    url = f"/planning/{plan.pk}/evaluations/"
    refused = login(world.operator).post(url, {"kind": "midterm"})
    assert refused.status_code == 403 and "规划管理人员" in refused.content.decode()
    assert login(world.leader).post(url, {"kind": "midterm"}).status_code == 302
    assert Evaluation.objects.filter(kind="midterm", year=2023).exists()


API = [
    "/api/v1/planning/plans", "/api/v1/planning/plans/{plan}", "/api/v1/planning/indicators",
    "/api/v1/planning/indicators/{indicator}", "/api/v1/planning/projects", "/api/v1/planning/projects/{project}",
    "/api/v1/planning/reporting?plan={plan}&period=2022Q4", "/api/v1/planning/evaluations?plan={plan}",
    "/api/v1/planning/elements",
]


@pytest.mark.parametrize("path", API)
def test_every_endpoint_refuses_roles_without_planning_access(objects, login, world, path):
    assert login(world.resident).get(path.format(**objects)).status_code == 403
    assert login(world.grid_worker).get(path.format(**objects)).status_code == 403
    assert login(world.operator).get(path.format(**objects)).status_code == 200


@pytest.mark.parametrize("path", [p for p in API if "{" in p])
def test_endpoints_refuse_another_subdistricts_objects(objects, login, world, path):
    assert login(world.other_operator).get(path.format(**objects)).status_code in (403, 404)


def test_another_subdistrict_lists_no_indicators_or_projects(objects, login, world):
    client = login(world.other_operator)
    assert client.get("/api/v1/planning/indicators").json()["items"] == []
    assert client.get("/api/v1/planning/projects").json()["items"] == []


def test_endpoints_need_a_session_or_a_token(objects, client):
    assert client.get("/api/v1/planning/indicators").status_code == 401
