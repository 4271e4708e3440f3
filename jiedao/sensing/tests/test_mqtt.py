"""The MQTT listener on the real Mosquitto: two listeners share the load through a shared subscription, a
listener that was down gets what was sent meanwhile, and a listener that stopped before acknowledging has
the broker deliver again, each event stored once."""

import json
import os
import threading
import time
import uuid

import pytest
from django.db import OperationalError
from django.utils import timezone

from jiedao.sensing import mqtt
from jiedao.sensing.models import Command, CommandStatus, DeadLetter, Event
from jiedao.sensing.tests.conftest import make_device
from jiedao.testing import make_subdistrict

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _broker():
    """The real broker: these tests skip, saying why, without one, except on CI, where they must run."""
    if mqtt.broker_answers():
        return
    message = ("没有可连接的 MQTT 代理（127.0.0.1:1883 或 JIEDAO_MQTT_URL）：请安装并启动 Mosquitto"
               "（apt-get install mosquitto; mosquitto -d），.ci/run 会自动启动一个")
    if os.environ.get("CI"):
        pytest.fail("CI 必须运行 MQTT 测试，但" + message)
    pytest.skip(message)


@pytest.fixture
def place(sensing_world):
    """A subdistrict of its own (a code no demo uses, so that no other listener on this broker takes its
    messages for its own) with ten cameras."""
    code = f"31099{uuid.uuid4().int % 10_000:04d}"
    sub = make_subdistrict(code=code, name="测试街道")
    devices = [make_device(sensing_world, f"CAM-{i}", "falling_object", building=None, sub=sub) for i in range(10)]
    return sub, devices


class Running:
    """Listeners in threads of this process, each with its own client id and database connection."""

    def __init__(self):
        self.group = f"test-{uuid.uuid4().hex[:8]}"
        self.threads: dict[str, tuple[mqtt.Listener, threading.Thread]] = {}
        self.names: set[str] = set()

    def start(self, name: str, **kw) -> mqtt.Listener:
        kw.setdefault("open_cases", False)
        listener = mqtt.Listener(name=name, group=self.group, batch_wait=0.02, **kw)
        thread = threading.Thread(target=listener.run, daemon=True)
        thread.start()
        assert listener.connected.wait(5), "listener did not connect"
        time.sleep(0.2)  # its subscription is in place
        self.threads[name] = (listener, thread)
        self.names.add(name)
        return listener

    def stop(self, name: str) -> dict:
        listener, thread = self.threads.pop(name)
        listener.stop.set()
        thread.join(10)
        return listener.counts

    def close(self):
        for name in list(self.threads):
            self.stop(name)
        for name in self.names:
            mqtt.forget_session(name)
        self.names.clear()


@pytest.fixture
def running():
    r = Running()
    yield r
    r.close()


def publish(sub, devices, ids, *, extra=()):
    pub = mqtt.Publisher()
    infos = []
    for i in ids:
        device = devices[i % len(devices)]
        body = {"id": f"e{i}", "type": "falling_object", "at": timezone.now().isoformat()}
        infos.append(pub.publish(f"jiedao/{sub.code}/{device.code}/event", json.dumps(body).encode()))
    for topic, payload in extra:
        infos.append(pub.publish(topic, payload))
    pub.close(infos)


def wait_for(predicate, seconds=20.0):
    """Poll ``predicate``. The SQLite test database lives in shared memory, where a read meets "table is
    locked" while a listener's thread writes (a file database waits instead): such a read is tried again."""
    end = time.monotonic() + seconds
    while True:
        try:
            if predicate():
                return True
        except OperationalError:
            pass
        if time.monotonic() >= end:
            return False
        time.sleep(0.05)


def test_two_listeners_share_the_events_and_one_that_was_down_gets_its_share_later(place, running):
    sub, devices = place
    tag = uuid.uuid4().hex[:6]
    a = running.start(f"a-{tag}")
    b = running.start(f"b-{tag}")
    publish(sub, devices, range(200), extra=[(f"jiedao/{sub.code}/CAM-1/event", b"{broken")])
    assert wait_for(lambda: Event.objects.filter(subdistrict=sub).count() == 200)
    assert wait_for(lambda: DeadLetter.objects.filter(subdistrict=sub).count() == 1)
    assert wait_for(lambda: a.counts["received"] + b.counts["received"] == 201, seconds=2)
    assert a.counts["received"] > 20 and b.counts["received"] > 20  # both took a share

    running.stop(f"a-{tag}")  # down: the broker keeps a's share of what comes now
    before = b.counts["received"]
    publish(sub, devices, range(200, 300))
    publish(sub, devices, range(250, 300))  # and some of it twice
    assert wait_for(lambda: b.counts["received"] - before >= 50, seconds=15)  # b goes on taking its share
    running.start(f"a-{tag}")
    assert wait_for(lambda: Event.objects.filter(subdistrict=sub).count() == 300)
    time.sleep(0.3)
    running.close()
    assert Event.objects.filter(subdistrict=sub).count() == 300
    assert Event.objects.filter(subdistrict=sub).values("event_id").distinct().count() == 300


def test_what_a_listener_stored_but_did_not_acknowledge_is_delivered_again_and_stored_once(place, running):
    sub, devices = place
    name = f"crash-{uuid.uuid4().hex[:6]}"
    crashing = running.start(name, acknowledge=False)  # stands for a process killed after its commit
    publish(sub, devices, range(50))
    assert wait_for(lambda: crashing.counts["stored"] == 50)
    running.stop(name)
    again = running.start(name)
    assert wait_for(lambda: again.counts["duplicate"] == 50)
    running.close()
    assert Event.objects.filter(subdistrict=sub).count() == 50


def test_a_command_is_published_to_the_device_and_its_acknowledgement_recorded(place, running, sensing_world):
    sub, _devices = place
    lift = make_device(sensing_world, "EV-9", "ebike_in_elevator", building=None, sub=sub)
    received = []
    device_side = mqtt.client(client_id="")
    device_side.on_message = lambda c, u, msg: received.append(json.loads(msg.payload))
    b = mqtt.broker()
    device_side.connect(b.host, b.port)
    device_side.subscribe(f"jiedao/{sub.code}/EV-9/command", qos=1)
    device_side.loop_start()
    try:
        running.start(f"cmd-{uuid.uuid4().hex[:6]}")
        body = {"id": "ebike-1", "type": "ebike_in_elevator", "at": timezone.now().isoformat()}
        pub = mqtt.Publisher()
        pub.close([pub.publish(f"jiedao/{sub.code}/EV-9/event", json.dumps(body).encode())])
        assert wait_for(lambda: bool(received), seconds=15)
        command = received[0]
        assert command["command"] == "hold_and_warn" and command["params"]["hold_door"] is True
        pub = mqtt.Publisher()
        ack = {"command": command["id"], "ok": True, "detail": "已保持开门并播放提示"}
        pub.close([pub.publish(f"jiedao/{sub.code}/EV-9/ack", json.dumps(ack).encode())])
        assert wait_for(lambda: Command.objects.get(device=lift).status == CommandStatus.ACKED, seconds=15)
        running.close()
        assert Command.objects.get(device=lift).result == "已保持开门并播放提示"
    finally:
        device_side.loop_stop()
        device_side.disconnect()


def test_a_simulated_ebike_in_the_elevator_becomes_a_case_with_its_snapshot_and_the_elevator_answers(
        place, running, sensing_world):
    """Done when: an 电瓶车入梯 event published on the broker becomes a case with its snapshot, and the
    elevator gets its command and acknowledges it."""
    from jiedao.cases.models import Attachment
    from jiedao.sensing import simulator
    from jiedao.sensing.models import Alarm

    sub, _devices = place
    lift = make_device(sensing_world, "EV-1001", "ebike_in_elevator", building=None, sub=sub, place="1号楼电梯")
    traffic = simulator.Traffic([simulator.SimDevice(sub.code, "EV-1001", ("ebike_in_elevator",))], alarm_share=1.0,
                                image_share=1.0, seed=7)
    (topic, payload), alarm = traffic.next()
    assert alarm and json.loads(payload)["evidence"]["image"]
    # An elevator that always carries out its command: by default the simulator fails 3 % of them, at random,
    # and this test then failed about one run in 33 (FAILED, not ACKED).
    elevator = simulator.answer_commands(sub.code, ok_share=1.0)
    try:
        listener = running.start(f"e2e-{uuid.uuid4().hex[:6]}", open_cases=True)
        pub = mqtt.Publisher()
        pub.close([pub.publish(topic, payload)])
        assert wait_for(lambda: Alarm.objects.filter(device=lift, case__isnull=False).exists(), seconds=20)
        assert wait_for(lambda: Command.objects.filter(device=lift, status=CommandStatus.ACKED).exists(), seconds=20)
        running.close()
        case = Alarm.objects.get(device=lift).case
        assert case.category.name == "电瓶车入梯" and Attachment.objects.filter(case=case).count() == 1
        assert listener.counts["cases"] == 1
    finally:
        elevator.loop_stop()
        elevator.disconnect()
