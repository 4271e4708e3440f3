"""The API frame: session and bearer-token auth, revocation, JSON errors in the request's language."""

import datetime as dt
import io
import time
from contextlib import redirect_stderr

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jiedao.core.models import ApiToken, AuditLog
from jiedao.core.services import issue_token


def bearer(token: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", **extra}


# The operations meant for callers without an account: a resident rating a visit by the code on its card,
# devices posting signed events, gates fetching the pass key and revocation list, an owner voting by the
# code on the consultation letter, a consultation's 公示, a shop's public 五星 page (from the QR on its
# door). Each checks what it is given (a one-time signed code, an HMAC signature, a device's signed request,
# a signed token) or shows only what is public, instead of a sign-in.
PUBLIC = {
    ("get", "/api/v1/visits/feedback/1"), ("post", "/api/v1/visits/feedback/1"),
    ("post", "/api/v1/sensing/events"), ("get", "/api/v1/sensing/passes/public-key"),
    ("get", "/api/v1/sensing/passes/revoked"),
    ("get", "/api/v1/consult/vote/1"), ("post", "/api/v1/consult/vote/1"), ("get", "/api/v1/consult/notice/1"),
    ("get", "/api/v1/inspections/public/shops/1"),
}


def all_operations():
    """Every (method, path, public) of the API, from its OpenAPI schema, path parameters filled with 1;
    ``public`` when the operation asks for no authentication."""
    import re

    from jiedao.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, re.sub(r"\{[^}]+\}", "1", path), not operation.get("security")


def test_every_endpoint_refuses_anonymous_requests_with_a_json_401(world, client):
    operations = list(all_operations())
    assert len(operations) >= 8
    assert {(method, path) for method, path, public in operations if public} == PUBLIC
    for method, path, public in operations:
        if public:
            continue
        response = getattr(client, method)(path)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"] == "需要登录或有效的接口令牌"


def test_issue_token_command_prints_the_token_on_its_last_line_and_stores_only_a_digest(world):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        call_command("issue_token", "operator", "--name", "12345 同步", stdout=out, stderr=err)
    token = out.getvalue().strip().splitlines()[-1]
    assert token.startswith("jd_") and len(token) > 30
    stored = ApiToken.objects.get(user=world.operator)
    assert stored.digest == ApiToken.digest_of(token)
    assert token not in {stored.digest, stored.prefix, stored.name}
    assert AuditLog.objects.filter(action="token_issued", actor=world.operator).exists()
    me = Client().get("/api/v1/core/me", **bearer(token)).json()
    assert me["username"] == "operator"
    assert me["scope"] == {"level": "subdistrict", "subdistrict_id": world.sub.pk, "place_id": None}


def test_a_revoked_token_stops_working_at_once(world):
    token, api_token = issue_token(user=world.grid_worker)
    assert Client().get("/api/v1/core/me", **bearer(token)).status_code == 200
    call_command("revoke_token", str(api_token.pk), stdout=io.StringIO())
    assert Client().get("/api/v1/core/me", **bearer(token)).status_code == 401
    assert AuditLog.objects.filter(action="token_revoked").exists()


def test_a_user_revokes_their_own_token_over_the_api_but_not_someone_elses(world):
    token, mine = issue_token(user=world.grid_worker)
    _other_token, theirs = issue_token(user=world.operator)
    client = Client()
    assert client.post(f"/api/v1/core/tokens/{theirs.pk}/revoke", **bearer(token)).status_code == 404
    response = client.post(f"/api/v1/core/tokens/{mine.pk}/revoke", **bearer(token))
    assert response.status_code == 200 and response.json()["revoked_at"]
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_token_of_a_deactivated_user_is_refused(world):
    token, _ = issue_token(user=world.operator)
    world.operator.is_active = False
    world.operator.save()
    assert Client().get("/api/v1/core/me", **bearer(token)).status_code == 401


def test_a_tokens_last_use_is_written_at_most_once_a_minute(world, monkeypatch):
    token, api_token = issue_token(user=world.operator)
    start = timezone.now()
    for seconds, expected in [(0, 0), (30, 0), (61, 61), (90, 61), (125, 125)]:
        monkeypatch.setattr(timezone, "now", lambda s=seconds: start + dt.timedelta(seconds=s))
        me = Client().get("/api/v1/core/me", **bearer(token))
        assert me.status_code == 200 and me.json()["username"] == "operator"
        api_token.refresh_from_db()
        assert api_token.last_used_at == start + dt.timedelta(seconds=expected), seconds


def test_a_token_user_gets_their_subdistrict_and_its_changes(world, monkeypatch):
    """The subdistrict comes from a per-process copy: a save clears it at once, and a write that sends no
    signal (a bulk update, another process) shows within a minute."""
    from jiedao.core import api_frame
    from jiedao.core.models import Subdistrict

    token, _ = issue_token(user=world.operator)

    def name():
        return Client().get("/api/v1/core/me", **bearer(token)).json()["subdistrict"]

    assert name() == world.sub.name
    world.sub.name = "曹杨新村街道（一）"
    world.sub.save()
    assert name() == "曹杨新村街道（一）"
    Subdistrict.objects.filter(pk=world.sub.pk).update(name="曹杨新村街道（二）")
    assert name() == "曹杨新村街道（一）"
    later = time.monotonic() + api_frame._subdistricts.ttl + 1
    monkeypatch.setattr(api_frame._subdistricts, "clock", lambda: later)
    assert name() == "曹杨新村街道（二）"


def test_unknown_token_is_refused(world):
    assert Client().get("/api/v1/core/me", **bearer("jd_not-a-real-token")).status_code == 401


def test_session_writes_need_the_csrf_token(world):
    _token, api_token = issue_token(user=world.operator)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.operator)
    response = client.post(f"/api/v1/core/tokens/{api_token.pk}/revoke")
    assert response.status_code == 403
    api_token.refresh_from_db()
    assert api_token.revoked_at is None


def test_errors_come_in_the_requests_language(world):
    token, _ = issue_token(user=world.resident)
    zh = Client().get("/api/v1/core/audit", **bearer(token))
    en = Client().get("/api/v1/core/audit", **bearer(token, HTTP_ACCEPT_LANGUAGE="en"))
    assert zh.status_code == en.status_code == 403
    assert zh.json()["detail"] == "您的角色无权执行此操作"
    assert en.json()["detail"] == "Your role is not allowed to do this"


def test_malformed_parameters_give_a_422_naming_the_field(world, login):
    response = login(world.auditor).get("/api/v1/core/audit", {"since": "not-a-date"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求格式有误"
    assert body["errors"][0]["field"] == "since"


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json"])
def test_openapi_is_served_without_any_cdn(world, login, path):
    response = login(world.operator).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn." not in body and "unpkg" not in body and "jsdelivr" not in body
    if path.endswith(".json"):
        assert "/api/v1/geo/layers/{layer}" in response.json()["paths"]


def test_a_token_request_costs_one_query_once_the_token_was_used_this_minute(world, django_assert_num_queries):
    """Every API call from a program pays this: the token's user in one statement (core.rows.token_user),
    the subdistrict from the process's copy. The first call also reads the subdistrict and writes the
    token's last use."""
    from jiedao.core import api_frame

    token, _ = issue_token(user=world.operator)
    api_frame._subdistricts.clear()
    with django_assert_num_queries(3):  # the user, the subdistrict, the last use
        assert Client().get("/api/v1/core/me", **bearer(token)).status_code == 200
    with django_assert_num_queries(1):
        me = Client().get("/api/v1/core/me", **bearer(token))
    assert me.status_code == 200 and me.json()["subdistrict"] == world.sub.name


@pytest.mark.parametrize("failure", ["operational", "interface", "internal"])
def test_a_database_lost_mid_request_answers_503_json_to_send_again(world, monkeypatch, failure):
    from django.db import InterfaceError, InternalError, OperationalError

    from jiedao.core import api as core_api

    error = {"operational": OperationalError, "interface": InterfaceError, "internal": InternalError}[failure]

    def lost(*args, **kwargs):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(core_api, "scope_of", lost)
    token, _record = issue_token(user=world.operator, name="t")
    response = Client().get("/api/v1/core/me", **bearer(token))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "数据库暂时不可用，请稍后重试" and response["Retry-After"] == "5"


def test_a_full_disk_answers_507_json(world, monkeypatch):
    import errno

    from jiedao.core import api as core_api

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(core_api, "scope_of", full)
    token, _record = issue_token(user=world.operator, name="t")
    response = Client().get("/api/v1/core/me", **bearer(token))
    assert response.status_code == 507 and "存储空间已满" in response.json()["detail"]
