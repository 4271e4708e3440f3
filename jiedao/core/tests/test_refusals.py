"""One refusal path: every page refuses through core.access, audited, and shows the one 403 page."""

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


def test_a_row_outside_the_scope_is_refused_on_the_same_page(world, login):
    from jiedao.registry.models import Household

    household = Household.objects.create(subdistrict=world.sub, building=world.b11, room="101", code="T101")
    response = login(world.social_worker).get(f"/registry/households/{household.pk}/")  # 居委 c2; b11 is in c1
    assert response.status_code == 403
    assert "该对象不在您的数据范围内" in response.content.decode()


def test_the_refusal_page_speaks_english_to_an_english_user(world, login):
    client = login(world.resident)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/audit/").content.decode()
    assert "Access denied" in html and "Only auditors and administrators may search the audit log" in html
    assert "无权访问" not in html
