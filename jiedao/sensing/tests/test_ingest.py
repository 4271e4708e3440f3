"""Ingest (接入): each event stored once, bad input kept as dead letters with its reason, never a crash."""

import json

import pytest
from django.db import OperationalError

from jiedao.sensing.models import DeadLetter, DeadReason, Device, DeviceStatus, Event, EventImage
from jiedao.sensing.services import Message, Status, ingest
from jiedao.sensing.tests.conftest import event, heartbeat, jpeg, make_device


@pytest.fixture
def camera(sensing_world):
    return make_device(sensing_world, "CAM-0001", "falling_object", "fire_lane_blocked")


def test_an_event_delivered_twice_is_stored_once(camera):
    first = ingest([event(camera, "e-1", "falling_object")], open_cases=False)
    again = ingest([event(camera, "e-1", "falling_object"), event(camera, "e-1", "falling_object")],
                   open_cases=False)
    assert [o.status for o in first] == [Status.STORED]
    assert [o.status for o in again] == [Status.DUPLICATE, Status.DUPLICATE]
    assert Event.objects.filter(device=camera, event_id="e-1").count() == 1


def test_the_same_id_twice_in_one_batch_is_one_event(camera):
    out = ingest([event(camera, "e-2", "falling_object"), event(camera, "e-2", "falling_object")], open_cases=False)
    assert [o.status for o in out] == [Status.STORED, Status.DUPLICATE]
    assert Event.objects.count() == 1


def test_the_same_event_id_of_another_device_is_another_event(sensing_world, camera):
    other = make_device(sensing_world, "CAM-0002", "falling_object")
    ingest([event(camera, "1", "falling_object"), event(other, "1", "falling_object")], open_cases=False)
    assert Event.objects.filter(event_id="1").count() == 2


@pytest.mark.parametrize("payload, reason", [
    (b"{not json", DeadReason.MALFORMED),
    (b"\xff\xfe\x00", DeadReason.MALFORMED),
    (b"[1, 2]", DeadReason.MALFORMED),
    (json.dumps({"type": "falling_object"}).encode(), DeadReason.MALFORMED),  # no id
    (json.dumps({"id": "x", "type": "falling_object", "at": "yesterday"}).encode(), DeadReason.MALFORMED),
    (json.dumps({"id": "x", "type": "falling_object", "at": "2099-01-01T00:00:00+08:00"}).encode(),
     DeadReason.MALFORMED),
    (json.dumps({"id": "x", "type": "falling_object", "value": "high"}).encode(), DeadReason.MALFORMED),
    (json.dumps({"id": "x", "type": "falling_object", "evidence": {"image": "not base64!"}}).encode(),
     DeadReason.MALFORMED),
    (json.dumps({"id": "x", "type": "smoke"}).encode(), DeadReason.WRONG_TYPE),
    (json.dumps({"id": "x", "type": "no_such_type"}).encode(), DeadReason.WRONG_TYPE),
])
def test_bad_payloads_become_dead_letters_with_their_reason(camera, payload, reason):
    [out] = ingest([Message(topic="jiedao/310107005/CAM-0001/event", payload=payload)])
    assert out.status == Status.DEAD and out.reason == reason
    letter = DeadLetter.objects.get(pk=out.dead_letter_id)
    assert letter.reason == reason and letter.device_code == "CAM-0001" and letter.detail
    assert letter.subdistrict_id == camera.subdistrict_id
    assert Event.objects.count() == 0
    if payload.startswith(b"\xff"):  # kept whole even when it is not text
        assert letter.payload_base64 and letter.payload == "//4A"


def test_unknown_devices_and_bad_topics_are_dead_letters(camera):
    out = ingest([
        Message(topic="jiedao/310107005/NOPE-1/event", payload=b'{"id": "1", "type": "smoke"}'),
        Message(topic="jiedao/999999999/CAM-0001/event", payload=b'{"id": "1", "type": "smoke"}'),
        Message(topic="somewhere/else", payload=b"{}"),
    ])
    assert [o.reason for o in out] == [DeadReason.UNKNOWN_DEVICE, DeadReason.UNKNOWN_DEVICE, DeadReason.MALFORMED]
    assert DeadLetter.objects.count() == 3


def test_a_retired_device_is_a_dead_letter(camera):
    Device.objects.filter(pk=camera.pk).update(status=DeviceStatus.RETIRED)
    from jiedao.sensing.services import directory

    directory.clear()
    [out] = ingest([event(camera, "e-1", "falling_object")])
    assert out.reason == DeadReason.RETIRED


def test_bad_messages_in_a_batch_do_not_stop_the_good_ones(camera):
    out = ingest([
        event(camera, "ok-1", "falling_object"),
        Message(topic=f"jiedao/310107005/{camera.code}/event", payload=b"garbage"),
        event(camera, "ok-2", "fire_lane_blocked"),
    ], open_cases=False)
    assert [o.status for o in out] == [Status.STORED, Status.DEAD, Status.STORED]
    assert set(Event.objects.values_list("event_id", flat=True)) == {"ok-1", "ok-2"}


def test_a_failure_nobody_foresaw_dead_letters_that_message_only(camera, monkeypatch):
    from jiedao.sensing.services import evaluation

    real = evaluation.evaluate

    def flaky(events, **kw):
        if any(e.event_id == "boom" for e in events):
            raise KeyError("surprise")
        return real(events, **kw)

    monkeypatch.setattr(evaluation, "evaluate", flaky)
    out = ingest([event(camera, "fine", "falling_object"), event(camera, "boom", "falling_object")],
                 open_cases=False)
    assert [o.status for o in out] == [Status.STORED, Status.DEAD]
    assert out[1].reason == DeadReason.ERROR and "KeyError" in out[1].detail
    assert list(Event.objects.values_list("event_id", flat=True)) == ["fine"]


def test_a_database_that_cannot_be_written_raises_so_nothing_is_acknowledged(camera, monkeypatch):
    from jiedao.sensing.services import receive as module

    def down(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(module, "_write", down)
    with pytest.raises(OperationalError):
        ingest([event(camera, "e-1", "falling_object")])
    assert DeadLetter.objects.count() == 0


def test_evidence_is_kept_and_its_image_stored_as_a_file(camera):
    [out] = ingest([event(camera, "pic-1", "falling_object", image=jpeg())], open_cases=False)
    stored = Event.objects.get(pk=out.event_id)
    assert stored.evidence == {"camera": "cam-1"}
    image = EventImage.objects.get(event=stored)
    assert image.width == 64 and image.file.size == image.size


def test_an_image_that_is_no_picture_keeps_the_event_and_says_why(camera):
    import base64

    msg = event(camera, "pic-2", "falling_object")
    body = json.loads(msg.payload)
    body["evidence"] = {"image": base64.b64encode(b"not a jpeg at all").decode()}
    msg.payload = json.dumps(body).encode()
    [out] = ingest([msg], open_cases=False)
    assert out.status == Status.STORED
    assert "image_error" in Event.objects.get(pk=out.event_id).evidence
    assert not EventImage.objects.exists()


def test_a_heartbeat_is_taken_and_an_empty_one_too(camera):
    out = ingest([heartbeat(camera, battery=80), Message(topic=f"jiedao/310107005/{camera.code}/heartbeat",
                                                          payload=b"")])
    assert [o.status for o in out] == [Status.HEARTBEAT, Status.HEARTBEAT]
    camera.refresh_from_db()
    assert camera.online is True and camera.battery == 80 and camera.last_seen_at is not None
