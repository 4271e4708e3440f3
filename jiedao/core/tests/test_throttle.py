"""Password and token guessing: django-axes locks an account or an address after a few failures (the test
lowers the limit to 3), the right password included; the lock is audited, explained in Chinese and English,
and lifted by an administrator."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, override_settings

from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.services import issue_token

RIGHT = "pw-for-tests-1"
LOCKED = "登录失败次数过多，该账号或地址已暂时锁定"

pytestmark = pytest.mark.usefixtures("_limit_of_three")


@pytest.fixture
def _limit_of_three():
    with override_settings(AXES_FAILURE_LIMIT=3):
        yield


def sign_in(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def lockouts():
    return AuditLog.objects.filter(action=AuditAction.DENIED, object_type="axes.lockout")


def test_wrong_passwords_lock_the_account_even_against_the_right_one(world, client):
    assert sign_in(client, "grid_worker", "wrong-1").status_code == 200
    assert sign_in(client, "grid_worker", "wrong-2").status_code == 200
    third = sign_in(client, "grid_worker", "wrong-3")
    assert third.status_code == 429 and LOCKED in third.content.decode()
    right = sign_in(client, "grid_worker", RIGHT)
    assert right.status_code == 429
    html = right.content.decode()
    assert 'data-testid="locked"' in html and "60 分钟后再试" in html and "联系系统管理员解锁" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still signed out


def test_the_lockout_is_audited_once_and_every_failure_too(world, client):
    for attempt in ("wrong-1", "wrong-2", "wrong-3", RIGHT):
        sign_in(client, "grid_worker", attempt)
    lockout = lockouts().get()
    assert lockout.detail["username"] == "grid_worker" and lockout.detail["failures"] == 3
    assert lockout.ip == "127.0.0.1" and lockout.detail["lockout"] == "password"
    failed = AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("pk")
    assert [f.detail["locked"] for f in failed] == [False, False, True, True]
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()


def test_one_address_is_locked_across_accounts_and_other_addresses_are_not(world, client):
    for username in ("operator", "leader", "auditor"):
        sign_in(client, username, "wrong")
    assert sign_in(client, "social_worker", RIGHT).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert sign_in(elsewhere, "social_worker", RIGHT).status_code == 302


def test_an_account_is_locked_whichever_address_the_guesses_come_from(world):
    for n in range(3):
        sign_in(Client(REMOTE_ADDR=f"10.0.1.{n}"), "leader", "wrong")
    assert sign_in(Client(REMOTE_ADDR="10.0.2.1"), "leader", RIGHT).status_code == 429


def test_an_administrator_lifts_the_lock_from_the_command_line_audited(world, client):
    for attempt in ("wrong-1", "wrong-2", "wrong-3"):
        sign_in(client, "grid_worker", attempt)
    call_command("axes_reset_username", "grid_worker", stdout=open("/dev/null", "w"))
    assert sign_in(client, "grid_worker", RIGHT).status_code == 302
    lifted = AuditLog.objects.get(action=AuditAction.DELETE, object_type="axes.accessattempt")
    assert lifted.actor_username == "jiedao axes_reset" and lifted.detail["username"] == "grid_worker"


def test_an_administrator_lifts_the_lock_in_the_admin_audited(world, client, login):
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.testing import make_user

    for attempt in ("wrong-1", "wrong-2", "wrong-3"):
        sign_in(client, "grid_worker", attempt)
    attempt = AccessAttempt.objects.get(username="grid_worker")
    admin = make_user("sysadmin", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    admin_client = Client(REMOTE_ADDR="10.0.0.2")
    admin_client.force_login(admin)
    assert "登录锁定" in admin_client.get("/admin/").content.decode()  # the admin names axes in Chinese
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, "grid_worker", RIGHT).status_code == 302
    lifted = AuditLog.objects.get(action=AuditAction.DELETE, object_type="axes.accessattempt")
    assert lifted.actor == admin and lifted.detail["lockout_lifted"] is True


def test_the_lockout_message_speaks_english_to_an_english_user(world, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    for attempt in ("wrong-1", "wrong-2", "wrong-3"):
        response = sign_in(client, "grid_worker", attempt)
    html = response.content.decode()
    assert response.status_code == 429 and "Too many failed sign-ins" in html and "登录失败次数过多" not in html


def test_wrong_api_tokens_from_one_address_get_a_json_429_and_are_audited(world):
    token, _ = issue_token(user=world.operator, name="t")
    guesser = Client(REMOTE_ADDR="10.0.0.7")
    answers = [guesser.get("/api/v1/core/me", HTTP_AUTHORIZATION=f"Bearer guess-{n}") for n in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 429, 429]
    assert answers[2].json()["detail"].startswith("该地址的凭据错误次数过多") and answers[2]["Retry-After"] == "3600"
    assert lockouts().get().detail["lockout"] == "api_token"
    failed = AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail__credential="api_token")
    assert failed.count() == 4 and all(f.ip == "10.0.0.7" for f in failed)
    # A valid token cannot be guessed (256 random bits): it keeps working, from that address too.
    assert guesser.get("/api/v1/core/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert Client().get("/api/v1/core/me", HTTP_AUTHORIZATION="Bearer guess-x").status_code == 401


def test_the_stored_attempt_keeps_no_request_data(world):
    Client(REMOTE_ADDR="10.0.0.8").post("/api/v1/cases/patrol", {"description": "13912345678 王先生"},
                                        HTTP_AUTHORIZATION="Bearer guess")
    attempt = AccessAttempt.objects.get(ip_address="10.0.0.8")
    assert "1391234" not in attempt.post_data + attempt.get_data


def test_signing_in_with_the_test_clients_force_login_is_not_counted(world, login):
    assert login(world.operator).get("/").status_code == 200
    assert not AccessAttempt.objects.exists()
