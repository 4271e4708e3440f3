"""The signed webhook POST /api/v1/sensing/events: the same ingest as MQTT, HMAC-SHA256 over the timestamp
and body; a wrong signature, an old request or a replay is refused, and the refused ones are dead letters."""

import json
import time

import pytest

from jiedao.sensing.models import Alarm, DeadLetter, DeadReason, Event
from jiedao.sensing.services import signing
from jiedao.sensing.tests.conftest import make_device

URL = "/api/v1/sensing/events"


@pytest.fixture
def lift(sensing_world):
    return make_device(sensing_world, "EV-7", "ebike_in_elevator")


def post(client, body: dict | bytes, *, secret: str, now: float | None = None, headers: dict | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    signed = signing.signed_headers(raw, secret=secret, now=now)
    signed.update(headers or {})
    return client.post(URL, raw, content_type="application/json",
                       headers={k: v for k, v in signed.items()})


def test_a_signed_event_is_stored_raises_its_alarm_and_answers_the_case_number(client, lift):
    body = {"device": "EV-7", "id": "v-1", "type": "ebike_in_elevator", "at": "2026-11-02T08:30:00+08:00"}
    response = post(client, body, secret=lift.secret)
    assert response.status_code == 201, response.json()
    data = response.json()
    alarm = Alarm.objects.get()
    assert data["alarm"] == alarm.external_id and data["case"] == alarm.case.number
    assert Event.objects.get().source == "http"


def test_a_replayed_request_is_refused_and_stores_nothing_twice(client, lift):
    body = json.dumps({"device": "EV-7", "id": "v-2", "type": "ebike_in_elevator"}).encode()
    headers = signing.signed_headers(body, secret=lift.secret)
    first = client.post(URL, body, content_type="application/json", headers=headers)
    again = client.post(URL, body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 409)
    assert Event.objects.count() == 1 and Alarm.objects.get().count == 1


def test_a_wrong_signature_is_refused_and_kept_as_a_dead_letter(client, lift):
    body = {"device": "EV-7", "id": "v-3", "type": "ebike_in_elevator"}
    response = post(client, body, secret="not-the-secret")
    assert response.status_code == 401 and response.json()["reason"] == DeadReason.BAD_SIGNATURE
    letter = DeadLetter.objects.get()
    assert letter.reason == DeadReason.BAD_SIGNATURE and letter.source == "http"
    assert letter.headers[signing.SIGNATURE_HEADER].startswith("sha256=")
    assert not Event.objects.exists()


def test_an_unsigned_request_is_refused(client, lift):
    response = client.post(URL, json.dumps({"device": "EV-7", "id": "v", "type": "ebike_in_elevator"}),
                           content_type="application/json")
    assert response.status_code == 401


def test_an_old_request_is_refused_even_well_signed(client, lift):
    body = {"device": "EV-7", "id": "v-4", "type": "ebike_in_elevator"}
    response = post(client, body, secret=lift.secret, now=time.time() - 3600)
    assert response.status_code == 401 and "300" in response.json()["detail"]


def test_a_changed_timestamp_breaks_the_signature(client, lift):
    body = json.dumps({"device": "EV-7", "id": "v-5", "type": "ebike_in_elevator"}).encode()
    headers = signing.signed_headers(body, secret=lift.secret, now=time.time() - 3600)
    headers[signing.TIMESTAMP_HEADER] = str(int(time.time()))  # made fresh by hand
    response = client.post(URL, body, content_type="application/json", headers=headers)
    assert response.status_code == 401 and "签名无效" in response.json()["detail"]


def test_unknown_devices_and_bad_bodies_are_answered_clearly(client, lift):
    unknown = post(client, {"device": "NOPE", "id": "1", "type": "smoke"}, secret="x")
    assert unknown.status_code == 404 and unknown.json()["reason"] == DeadReason.UNKNOWN_DEVICE
    broken = post(client, b"{not json", secret=lift.secret)
    assert broken.status_code == 422 and broken.json()["reason"] == DeadReason.MALFORMED
    wrong = post(client, {"device": "EV-7", "id": "2", "type": "smoke"}, secret=lift.secret)
    assert wrong.status_code == 422 and wrong.json()["reason"] == DeadReason.WRONG_TYPE
    assert DeadLetter.objects.count() == 3


def test_a_dead_letter_with_a_bad_signature_can_be_replayed_once_the_secret_is_fixed(client, lift, sensing_world):
    from jiedao.sensing.services import deadletters

    body = json.dumps({"device": "EV-7", "id": "v-6", "type": "ebike_in_elevator"}).encode()
    headers = signing.signed_headers(body, secret="vendor-typed-this")
    assert client.post(URL, body, content_type="application/json", headers=headers).status_code == 401
    letter = DeadLetter.objects.get()
    still = deadletters.replay(letter=letter, by=sensing_world.admin)
    assert not still.resolved and "签名无效" in still.replay_result
    lift.secret = "vendor-typed-this"  # the admin enters the key the vendor really uses
    lift.save()
    done = deadletters.replay(letter=letter, by=sensing_world.admin)
    assert done.resolved and Event.objects.filter(event_id="v-6").exists()
