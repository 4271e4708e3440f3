"""Open311 api_key guessing: wrong keys count against their address (django-axes, core.throttle); once it is
locked, the refusal says so in the GeoReport error format, and the attempts are audited."""

import pytest
from django.test import Client, override_settings

from jiedao.cases.open311 import services
from jiedao.core.models import AuditAction, AuditLog


@pytest.fixture
def api_key(world):
    key, _ = services.issue_key(subdistrict=world.sub, name="随申办测试")
    return key


def post(client, api_key):
    return client.post("/open311/v2/requests.json", {
        "api_key": api_key, "service_code": "S0504", "lat": "31.232", "long": "121.402",
        "description": "楼下广场舞音响太吵", "phone": "13912345678",
    })


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_keys_from_one_address_are_refused_as_locked_and_audited(world, api_key):
    guesser = Client(REMOTE_ADDR="10.0.0.5")
    answers = [post(guesser, f"guess-{n}") for n in range(4)]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert answers[0].json()[0]["description"] == "api_key 无效或已吊销"
    assert [a.json()[0]["code"] for a in answers[2:]] == [403, 403]
    assert all(a.json()[0]["description"].startswith("该地址的凭据错误次数过多") for a in answers[2:])
    lockout = AuditLog.objects.get(action=AuditAction.DENIED, object_type="axes.lockout")
    assert lockout.detail["lockout"] == "open311_key" and lockout.ip == "10.0.0.5"
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail__credential="open311_key").count() == 4
    # Another address is not affected.
    assert post(Client(REMOTE_ADDR="10.0.0.6"), "guess-x").json()[0]["description"] == "api_key 无效或已吊销"
