"""Commands back to devices (outbox): taken by one listener, sent again when not acknowledged, expired
after three tries; the acknowledgement is recorded, an unknown one is a dead letter."""

import datetime as dt
import json

from jiedao.sensing.models import Command, CommandStatus, DeadLetter
from jiedao.sensing.services import Message, Status, commands, ingest
from jiedao.sensing.tests.conftest import event, make_device


def test_a_command_is_taken_once_resent_unacknowledged_then_expired(sensing_world, clock):
    lift = make_device(sensing_world, "EV-1", "ebike_in_elevator")
    ingest([event(lift, "e", "ebike_in_elevator", at=clock.now)])
    [taken] = commands.claim()
    assert taken.status == CommandStatus.SENT and taken.attempts == 1
    assert commands.claim() == []  # another listener gets nothing
    body = json.loads(commands.payload(taken))
    assert body["id"] == taken.command_id and body["alarm"].startswith("SENS-")
    assert commands.topic(taken) == f"jiedao/{sensing_world.sub.code}/EV-1/command"
    for attempt in (2, 3):
        clock.advance(seconds=61)
        [again] = commands.claim()
        assert again.attempts == attempt
    clock.advance(seconds=61)
    assert commands.claim() == []
    assert Command.objects.get().status == CommandStatus.EXPIRED


def test_a_command_not_published_goes_back_to_pending(sensing_world, clock):
    lift = make_device(sensing_world, "EV-1", "ebike_in_elevator")
    ingest([event(lift, "e", "ebike_in_elevator", at=clock.now)])
    [taken] = commands.claim()
    commands.release(taken)
    command = Command.objects.get()
    assert command.status == CommandStatus.PENDING and command.attempts == 0


def test_acknowledgements_are_recorded_and_an_unknown_one_is_a_dead_letter(sensing_world, clock):
    lift = make_device(sensing_world, "EV-1", "ebike_in_elevator")
    ingest([event(lift, "e", "ebike_in_elevator", at=clock.now)])
    command = Command.objects.get()
    topic = f"jiedao/{sensing_world.sub.code}/EV-1/ack"
    out = ingest([Message(topic=topic, payload=json.dumps({"command": command.command_id, "ok": False,
                                                           "detail": "门机故障"}).encode()),
                  Message(topic=topic, payload=b'{"command": "ffff"}')])
    assert [o.status for o in out] == [Status.ACK, Status.DEAD]
    command.refresh_from_db()
    assert command.status == CommandStatus.FAILED and command.result == "门机故障"
    assert command.acked_at - clock.now < dt.timedelta(seconds=1)
    assert DeadLetter.objects.get().kind == "ack"


def test_a_device_whose_type_takes_no_commands_gets_none(sensing_world, clock):
    camera = make_device(sensing_world, "CAM-1", "falling_object")
    ingest([event(camera, "e", "falling_object", at=clock.now)])
    assert not Command.objects.exists()
