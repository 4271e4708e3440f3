"""``jiedao sensing-simulate``: realistic traffic from a subdistrict's registered devices, over MQTT, for
demos and benchmarks, and the devices' side of commands (the simulated elevator acknowledges).

What a subdistrict's devices send, in the proportions a day has: heartbeats from every device, gates
letting residents through (``pass_granted``, now and then ``pass_refused``), water gauges and gas sensors
reading values below their thresholds; and, for ``alarm_share`` of the messages, something that raises an
alarm: an e-bike in an elevator, a falling object, a blocked fire lane, a reading above its threshold …
"""

import base64
import datetime as dt
import io
import json
import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from jiedao.sensing import mqtt
from jiedao.sensing.models import Device, DeviceStatus

# Event types that are the ordinary traffic of a device of that type (not alarms), with their weight.
ROUTINE = {"pass_granted": 6.0, "pass_refused": 0.3, "water_level": 2.0, "gas": 1.0}
VALUES = {"water_level": ((0.0, 8.0), (18.0, 45.0)), "gas": ((0.0, 6.0), (25.0, 60.0))}  # (routine, alarm)


@dataclass(frozen=True)
class SimDevice:
    subdistrict: str
    code: str
    types: tuple[str, ...]


def load_devices(*, subdistrict: str | None = None) -> list[SimDevice]:
    """The registered, active devices (of one subdistrict, by code, or of all)."""
    qs = Device.objects.filter(status=DeviceStatus.ACTIVE)
    if subdistrict:
        qs = qs.filter(subdistrict__code=subdistrict)
    types: dict[int, list[str]] = {}
    for device_id, code in Device.types.through.objects.filter(device__in=qs).values_list(
            "device_id", "sensortype__code"):
        types.setdefault(device_id, []).append(code)
    return [SimDevice(sub, code, tuple(sorted(types.get(pk, ()))))
            for pk, sub, code in qs.order_by("pk").values_list("pk", "subdistrict__code", "code") if pk in types]


class Traffic:
    """Draws the next message: ((topic, payload), whether it is an alarm event)."""

    def __init__(self, devices: list[SimDevice], *, alarm_share: float = 0.005, image_share: float = 0.0,
                 heartbeat_share: float = 0.45, seed: int | None = None, run: str | None = None):
        if not devices:
            raise ValueError("没有可模拟的设备：请先登记设备（jiedao import-devices 或 jiedao demo）")
        self.rng = random.Random(seed)
        self.devices = devices
        self.run = run or secrets.token_hex(3)
        self.seq = 0
        self.alarm_share = alarm_share
        self.image_share = image_share
        self.heartbeat_share = heartbeat_share
        self.routine = [(d, t) for d in devices for t in d.types if t in ROUTINE]
        self.routine_weights = [ROUTINE[t] for _d, t in self.routine]
        self.alarming = [(d, t) for d in devices for t in d.types if t not in ("pass_granted", "pass_refused")]
        self._image = None

    def next(self, now: dt.datetime | None = None) -> tuple[str, bytes, bool]:
        rng = self.rng
        self.seq += 1
        now = now or timezone.now()
        roll = rng.random()
        if roll < self.alarm_share and self.alarming:
            device, kind = rng.choice(self.alarming)
            return self._event(device, kind, now, alarm=True), True
        if roll < self.alarm_share + self.heartbeat_share or not self.routine:
            device = rng.choice(self.devices)
            body = {"at": now.isoformat(timespec="seconds"), "battery": rng.randint(35, 100)}
            return (f"jiedao/{device.subdistrict}/{device.code}/heartbeat", json.dumps(body).encode()), False
        device, kind = rng.choices(self.routine, self.routine_weights)[0]
        return self._event(device, kind, now, alarm=False), False

    def _event(self, device: SimDevice, kind: str, now: dt.datetime, *, alarm: bool) -> tuple[str, bytes]:
        rng = self.rng
        body = {"id": f"sim{self.run}-{self.seq}", "type": kind, "at": now.isoformat(timespec="milliseconds")}
        if kind in VALUES:
            low, high = VALUES[kind][1 if alarm else 0]
            body["value"] = round(rng.uniform(low, high), 1)
        if kind == "pass_granted":
            body["evidence"] = {"pass": secrets.token_hex(8), "direction": rng.choice(["in", "out"])}
        elif kind == "pass_refused":
            body["evidence"] = {"reason": rng.choice(["expired", "revoked", "other_estate", "bad_signature"])}
        elif alarm and self.image_share and rng.random() < self.image_share:
            body["evidence"] = {"image": self.image()}
        return f"jiedao/{device.subdistrict}/{device.code}/event", json.dumps(body).encode()

    def image(self) -> str:
        """A small JPEG snapshot (the same for every event: what matters is its path through the platform)."""
        if self._image is None:
            from PIL import Image, ImageDraw

            picture = Image.new("RGB", (320, 240), (90, 100, 110))
            ImageDraw.Draw(picture).rectangle((120, 60, 200, 220), fill=(30, 30, 30))
            out = io.BytesIO()
            picture.save(out, format="JPEG", quality=70)
            self._image = base64.b64encode(out.getvalue()).decode()
        return self._image


def answer_commands(subdistrict: str, *, b: mqtt.Broker | None = None, ok_share: float = 0.97):
    """The simulated devices' side of commands: each command is acknowledged on ``…/ack`` (done, or now and
    then failed). Returns the running client; call ``loop_stop()`` and ``disconnect()`` on it."""
    rng = random.Random()
    c = mqtt.client(b=b)
    b = b or mqtt.broker()

    def on_message(client, userdata, msg):
        try:
            command = json.loads(msg.payload)
        except ValueError:
            return
        ok = rng.random() < ok_share
        ack = {"command": command.get("id", ""), "ok": ok, "detail": "已执行" if ok else "设备忙，未执行"}
        client.publish(msg.topic.rsplit("/", 1)[0] + "/ack", json.dumps(ack, ensure_ascii=False).encode(), qos=1)

    # Returned once the broker has confirmed the subscription: a command published before that would find
    # no subscriber and be lost (the end-to-end test lost one so on a busy machine).
    subscribed = threading.Event()
    c.on_message = on_message
    c.on_subscribe = lambda *args: subscribed.set()
    c.connect(b.host, b.port)
    c.subscribe(f"jiedao/{subdistrict}/+/command", qos=1)
    c.loop_start()
    subscribed.wait(10)
    return c


def simulate(*, rate: float, seconds: float, subdistrict: str | None = None, alarm_share: float = 0.005,
             image_share: float = 0.0, b: mqtt.Broker | None = None, seed: int | None = None,
             log=None) -> Counter:
    """Publish ``rate`` messages a second for ``seconds`` (QoS 1); returns what was sent, by kind."""
    traffic = Traffic(load_devices(subdistrict=subdistrict), alarm_share=alarm_share, image_share=image_share,
                      seed=seed)
    publisher = mqtt.Publisher(b=b)
    sent: Counter = Counter()
    started = time.monotonic()
    infos = []
    next_log = started + 5
    while (elapsed := time.monotonic() - started) < seconds:
        due = int(rate * elapsed) - sent["messages"]
        for _ in range(max(0, due)):
            (topic, payload), alarm = traffic.next()
            infos.append(publisher.publish(topic, payload))
            sent["messages"] += 1
            sent["alarm events" if alarm else topic.rsplit("/", 1)[-1]] += 1
        if len(infos) > 5000:
            infos[0].wait_for_publish(timeout=30)
            infos = [i for i in infos if not i.is_published()]
        if log and time.monotonic() >= next_log:
            log(f"{sent['messages']:,} 条（{sent['messages'] / (time.monotonic() - started):,.0f} 条/秒）")
            next_log += 5
        time.sleep(0.005)
    publisher.close(infos)
    sent["seconds"] = round(time.monotonic() - started, 1)
    return sent
