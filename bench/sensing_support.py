"""What the 物联感知 benchmarks share (not a benchmark itself): a Mosquitto of their own, a database with the
demo and ~20,000 devices, the listener processes, a publisher process, and the broker's own rate.

A broker of the bench's own (``mosquitto`` on a free port, in memory, a queue per session without limit) so
that no other listener on the machine takes the bench's messages and a killed listener's share is kept for
it however long it is down (a production broker needs the same: docs/sensing.md, "Broker").

    .venv/bin/python bench/sensing_support.py publish ...   (the publisher process the benches start)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import JIEDAO, ROOT, free_port, setup_database

sys.path.insert(0, str(ROOT))
SUBDISTRICT = "310107005"


def start_broker(folder: str) -> tuple[subprocess.Popen, int]:
    """A Mosquitto for the bench on a free port; returns the process and the port."""
    port = free_port()
    conf = Path(folder) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 10000000\nmax_inflight_messages 0\nset_tcp_nodelay true\n"
        f"log_dest file {folder}/mosquitto.log\n")
    broker = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import socket

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return broker, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("mosquitto did not start")


def setup(pg_database: str | None, data_dir: str, *, scale: str, devices: int) -> dict[str, str]:
    """The demo in a fresh database, the classifier trained (intake classifies every alarm's case), and the
    subdistrict's devices brought to ``devices`` (the demo's, then smoke detectors and gates spread over the
    buildings). Returns the environment of the jiedao processes."""
    env = setup_database(pg_database, data_dir, scale=scale, extra=[["train-classifier"]], environ=os.environ)
    import django

    django.setup()
    from jiedao.sensing.models import Device

    if not Device.objects.filter(subdistrict__code=SUBDISTRICT).exists():
        from jiedao.core.models import Subdistrict
        from jiedao.demo import sensing as demo_sensing

        builder = type("Builder", (), {"scale": float(scale), "counts": {}})()
        demo_sensing.build(builder=builder, subdistrict=Subdistrict.objects.get(code=SUBDISTRICT))
    _more_devices(devices)
    return env


def _more_devices(total: int) -> None:
    from django.utils import timezone

    from jiedao.geo.models import Building
    from jiedao.sensing.models import Device, SensorType

    existing = Device.objects.filter(subdistrict__code=SUBDISTRICT).count()
    if existing >= total:
        return
    buildings = list(Building.objects.filter(subdistrict__code=SUBDISTRICT).select_related("community"))
    types = {t.code: t.pk for t in SensorType.objects.all()}
    rows, kinds = [], []
    now = timezone.now()
    for i in range(total - existing):
        b = buildings[i % len(buildings)]
        gate = i % 10 == 0
        rows.append(Device(subdistrict_id=b.subdistrict_id, code=f"{'BG' if gate else 'BS'}-{i:06d}", building=b,
                           estate_id=b.estate_id, community_id=b.community_id, grid_id=b.grid_id,
                           area_id=b.community.area_id, lat=b.lat, lon=b.lon, place="楼道", online=True,
                           last_seen_at=now, offline_minutes=720))
        kinds.append(("door_held_open", "access_denied", "pass_granted", "pass_refused") if gate else ("smoke",))
    Device.objects.bulk_create(rows, batch_size=5000)
    through = Device.types.through
    through.objects.bulk_create([through(device_id=d.pk, sensortype_id=types[t]) for d, ts in zip(rows, kinds,
                                                                                                   strict=True)
                                 for t in ts], batch_size=5000)


def listener(env: dict, port: int, name: str, log: Path) -> subprocess.Popen:
    """``jiedao sensing-listen`` against the bench's broker."""
    return subprocess.Popen([*JIEDAO, "sensing-listen", "--name", name, "--broker", f"mqtt://127.0.0.1:{port}"],
                            env=env, cwd=ROOT, stdout=log.open("a"), stderr=subprocess.STDOUT)


def wait_connected(log: Path, count: int, timeout: float = 60) -> None:
    """Wait until ``count`` listener connections appear in ``log``: a message published before any
    listener's session subscribed has nowhere to go (after the first connection the session keeps them)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if log.exists() and log.read_text().count(": connected to ") >= count:
            time.sleep(0.3)  # the subscription follows the connection
            return
        time.sleep(0.1)
    raise RuntimeError(f"the listeners did not connect within {timeout:.0f} s (see {log})")


def publisher(env: dict, port: int, *, rate: float, seconds: float | None = None, count: int | None = None,
              run: str, alarm_share: float, heartbeat_share: float, image_share: float = 0.0,
              report: Path) -> subprocess.Popen:
    """A process publishing the simulator's traffic at ``rate`` for ``seconds`` or ``count`` messages;
    it writes what it sent (and when it started and ended) to ``report`` as JSON."""
    args = [sys.executable, str(Path(__file__)), "publish", "--port", str(port), "--rate", str(rate), "--run", run,
            "--alarm-share", str(alarm_share), "--heartbeat-share", str(heartbeat_share),
            "--image-share", str(image_share), "--report", str(report)]
    args += ["--seconds", str(seconds)] if seconds else ["--count", str(count)]
    return subprocess.Popen(args, env=env, cwd=ROOT)


def broker_rate(port: int, count: int = 100_000) -> float:
    """The broker's own rate on this machine: a publisher at full speed and a plain QoS 1 subscriber that
    only counts (paho on both sides, as the listener and the simulator)."""
    import threading

    from jiedao.sensing import mqtt

    b = mqtt.Broker(port=port)
    got = threading.Event()
    received = [0]

    def on_message(c, u, msg):
        received[0] += 1
        if received[0] >= count:
            got.set()

    sub = mqtt.client(client_id="bench-counter", b=b)
    sub.on_message = on_message
    sub.connect("127.0.0.1", port)
    sub.subscribe("bench/+/event", qos=1)
    sub.loop_start()
    time.sleep(0.3)
    pub = mqtt.Publisher(b=b)
    payload = json.dumps({"id": "x" * 20, "type": "smoke", "at": "2026-11-02T08:30:00.000+08:00"}).encode()
    started = time.perf_counter()
    infos = []
    for i in range(count):
        infos.append(pub.publish(f"bench/{i % 100}/event", payload))
        if len(infos) >= 5000:
            infos[-1].wait_for_publish(timeout=60)
            infos = []
    got.wait(120)
    elapsed = time.perf_counter() - started
    pub.close(infos)
    sub.loop_stop()
    sub.disconnect()
    return received[0] / elapsed


def _publish_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--count", type=int)
    parser.add_argument("--run", required=True)
    parser.add_argument("--alarm-share", type=float, default=0.005)
    parser.add_argument("--heartbeat-share", type=float, default=0.1)
    parser.add_argument("--image-share", type=float, default=0.0)
    parser.add_argument("--report", required=True)
    a = parser.parse_args(argv)
    import django

    django.setup()
    from jiedao.sensing import mqtt, simulator

    traffic = simulator.Traffic(simulator.load_devices(subdistrict=SUBDISTRICT), alarm_share=a.alarm_share,
                                heartbeat_share=a.heartbeat_share, image_share=a.image_share, seed=1, run=a.run)
    pub = mqtt.Publisher(b=mqtt.Broker(port=a.port), max_inflight=2000)
    total = a.count or int(a.rate * a.seconds)
    sent = {"messages": 0, "events": 0, "alarm_events": 0}
    started = time.time()
    infos = []
    while sent["messages"] < total:
        due = min(total, int(a.rate * (time.time() - started)) + 1)
        while sent["messages"] < due:
            (topic, payload), alarm = traffic.next()
            infos.append(pub.publish(topic, payload))
            sent["messages"] += 1
            sent["events"] += topic.endswith("/event")
            sent["alarm_events"] += alarm
        if len(infos) > 4000:
            infos[0].wait_for_publish(timeout=60)
            infos = [i for i in infos if not i.is_published()]
        time.sleep(0.002)
    pub.close(infos)
    Path(a.report).write_text(json.dumps({**sent, "started": started, "ended": time.time()}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["publish"]:
        _publish_main(sys.argv[2:])
    else:
        print(__doc__)
        tempfile.gettempdir()
