"""The audit log is append-only, records from where, and an auditor can search it."""

import pytest
from django.core.exceptions import PermissionDenied

from jiedao.core import audit
from jiedao.core.models import AuditLog


def test_a_record_keeps_who_what_and_from_where(world, client):
    client.force_login(world.auditor)
    client.get("/api/v1/core/audit", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest-agent")
    client.post("/logout/", REMOTE_ADDR="10.1.2.3")
    entry = AuditLog.objects.filter(action="logout").get()
    assert entry.actor == world.auditor
    assert entry.ip == "10.1.2.3"
    assert entry.path == "/logout/"
    assert entry.subdistrict == world.sub


def test_records_cannot_be_changed_or_deleted(world):
    entry = audit.record(actor=world.operator, action="view", obj=world.b11)
    entry.reason = "changed"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditLog.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(PermissionDenied):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).reason == ""


def test_sign_in_and_failed_sign_in_are_recorded_without_the_password(world, client):
    client.post("/login/", {"username": "operator", "password": "wrong-password-123"})
    client.post("/login/", {"username": "operator", "password": "pw-for-tests-1"})
    failed = AuditLog.objects.get(action="login_failed")
    assert failed.detail == {"username": "operator", "locked": False}
    assert "wrong-password" not in str(failed.detail)
    assert AuditLog.objects.filter(action="login", actor=world.operator).exists()


def test_auditor_searches_by_action_actor_and_object(world, login):
    audit.record(actor=world.operator, action="reveal", obj=world.b11, field="phone", reason="联系居民")
    audit.record(actor=world.grid_worker, action="view", obj=world.b12)
    client = login(world.auditor)
    rows = client.get("/api/v1/core/audit", {"action": "reveal"}).json()["items"]
    assert [(r["actor_username"], r["field"], r["reason"]) for r in rows] == [("operator", "phone", "联系居民")]
    rows = client.get("/api/v1/core/audit", {"actor": "grid_worker"}).json()["items"]
    assert {r["object_id"] for r in rows} == {str(world.b12.pk)}
    rows = client.get("/api/v1/core/audit", {"q": "联系"}).json()["items"]
    assert len(rows) == 1


def test_auditor_of_one_subdistrict_does_not_see_another_subdistricts_records(world, login):
    from jiedao.testing import make_user

    audit.record(actor=world.other_operator, action="view", obj=world.other_sub)
    other_auditor = make_user("other_auditor", role="auditor", subdistrict=world.other_sub, level="subdistrict")
    mine = login(world.auditor).get("/api/v1/core/audit", {"actor": "other_operator"}).json()["items"]
    assert mine == []
    theirs = login(other_auditor).get("/api/v1/core/audit", {"actor": "other_operator"}).json()["items"]
    assert len(theirs) == 1


@pytest.mark.parametrize("persona", ["operator", "grid_worker", "social_worker", "resident"])
def test_audit_search_is_refused_to_other_roles(world, login, persona):
    response = login(getattr(world, persona)).get("/api/v1/core/audit")
    assert response.status_code == 403
    assert AuditLog.objects.filter(action="denied", actor=getattr(world, persona)).exists()


def test_audit_page_lists_records_for_the_auditor_and_refuses_others(world, login):
    audit.record(actor=world.operator, action="reveal", obj=world.b11, field="id_number", reason="核对身份")
    page = login(world.auditor).get("/audit/", {"action": "reveal"})
    assert page.status_code == 200
    assert "核对身份" in page.content.decode()
    assert login(world.grid_worker).get("/audit/").status_code == 403
