"""One refusal path: every page refuses through core.access, audited, and shows the one 403 page; a row
outside the scope and a missing one get the same styled 404."""

import logging
import re

import pytest

from jiedao.core.models import AuditAction, AuditLog


@pytest.mark.parametrize("path, message", [
    ("/audit/", "只有审计员和管理员可以查询审计日志"),
    ("/map/", "您的角色无权查看地图"),
    ("/planning/", "您的角色无权查看规划监测"),
    ("/cases/", "您的角色无权执行此操作"),
    ("/registry/", "您的角色无权执行此操作"),
])
def test_a_refused_page_shows_the_one_403_page_with_its_reason_and_is_audited(world, login, path, message):
    before = AuditLog.objects.filter(action=AuditAction.DENIED).count()
    response = login(world.resident).get(path)
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="denied"' in html and message in html
    assert "这次访问已记入审计日志" in html
    assert "首页" in html  # within the platform's layout, with its navigation
    denied = AuditLog.objects.filter(action=AuditAction.DENIED).order_by("-pk")
    assert denied.count() == before + 1
    assert denied.first().path == path and denied.first().actor == world.resident


def test_a_client_asking_for_json_gets_the_refusal_as_json(world, login):
    response = login(world.resident).get("/registry/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权执行此操作"}


def _same_page(html: str, path: str) -> str:
    """The page without what differs between any two requests: the CSRF tokens and the language form's own path."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace(path, "PATH")


def test_a_row_outside_the_scope_is_answered_exactly_as_a_missing_one_and_audited(world, login):
    from jiedao.registry.models import Household

    household = Household.objects.create(subdistrict=world.sub, building=world.b11, room="101", code="T101")
    client = login(world.social_worker)  # 居委 c2; b11 is in c1
    outside_path, missing_path = f"/registry/households/{household.pk}/", f"/registry/households/{household.pk + 1000}/"
    outside, missing = client.get(outside_path), client.get(missing_path)
    assert outside.status_code == missing.status_code == 404
    assert _same_page(outside.content.decode(), outside_path) == _same_page(missing.content.decode(), missing_path)
    assert 'data-testid="not-found"' in outside.content.decode()
    denied = AuditLog.objects.get(action=AuditAction.DENIED)
    assert (denied.actor, denied.object_id) == (world.social_worker, str(household.pk))


def test_the_api_answers_a_row_outside_the_scope_exactly_as_a_missing_one(world, login):
    from jiedao.registry.models import Household

    household = Household.objects.create(subdistrict=world.sub, building=world.b11, room="101", code="T101")
    client = login(world.other_operator)  # another subdistrict
    outside = client.get(f"/api/v1/registry/households/{household.pk}")
    missing = client.get(f"/api/v1/registry/households/{household.pk + 1000}")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"detail": "对象不存在或不在您的数据范围内"}
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=world.other_operator).count() == 1


@pytest.mark.parametrize("path", ["/no-such-page/", "/registry/households/999999/", "/cases/no-such-case/"])
def test_a_signed_in_user_gets_the_styled_404_page_on_every_url(world, login, path):
    response = login(world.operator).get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="not-found"' in html and "返回首页" in html
    assert 'class="nav' in html or "退出" in html  # within the platform's layout, signed in
    assert "Not Found" not in html


def test_a_client_asking_for_json_gets_the_404_as_json(world, login):
    response = login(world.operator).get("/no-such-page/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "对象不存在或不在您的数据范围内"}
    assert login(world.operator).get("/api/v1/no-such-endpoint").json() == {"detail": "对象不存在或不在您的数据范围内"}


def test_refusals_are_logged_as_one_warning_without_a_traceback(world, login, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert login(world.resident).get("/audit/").status_code == 403
        assert login(world.resident).get("/api/v1/registry/households/1").status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals and all(r.levelno == logging.WARNING for r in refusals)
    assert all(r.exc_info is None and "Traceback" not in caplog.text for r in refusals)


def test_the_refusal_page_speaks_english_to_an_english_user(world, login):
    client = login(world.resident)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/audit/").content.decode()
    assert "Access denied" in html and "Only auditors and administrators may search the audit log" in html
    assert "无权访问" not in html


def test_a_form_without_a_valid_csrf_token_is_refused_on_the_styled_403_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.operator)
    response = client.post("/logout/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="denied"' in html and "表单已过期或来源无法验证，请刷新页面后重新提交" in html
    assert "CSRF verification failed" not in html
    denied = AuditLog.objects.get(action=AuditAction.DENIED)
    assert denied.actor == world.operator and denied.path == "/logout/" and "CSRF" in denied.detail["csrf"]
