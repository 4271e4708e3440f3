"""The MQTT side of 物联感知 (paho-mqtt 2.x, MQTT v5): the listener behind ``jiedao sensing-listen``, and a
small publisher for the simulator, the benchmarks and the tests.

The listener subscribes at QoS 1 to ``jiedao/+/+/event``, ``…/heartbeat`` and ``…/ack`` through the shared
subscription ``$share/jiedao/…``, so that several listeners (on one machine or many) split the messages
between them, each message going to one. Its session is persistent (``clean_start=False`` and a session
expiry of a week, under a client id of its own, ``--name``), so what arrives while it is down waits for it
in the broker. Acknowledgements are manual: a message is acknowledged (PUBACK) only after the transaction
that stored it has committed, so a listener killed at any moment has the broker deliver again what it had
not finished, and ingest's unique ``(device, id)`` makes the second delivery a duplicate.

Messages are taken in batches (up to ``batch_size``, or what arrived within ``batch_wait`` of the first):
one transaction per batch is what lets SQLite, which syncs every commit to disk, keep up with thousands of
events a second. Cases for new alarms are opened by a thread of their own after the batch's commit, so a
slow case never holds the stream; alarms it did not get to are filed by the periodic
``sensing.open_pending_cases``. Pending commands (outbox) are published after each batch and every second.
"""

import dataclasses
import datetime as dt
import logging
import os
import queue
import socket
import threading
import time
from urllib.parse import urlparse

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

log = logging.getLogger("jiedao.sensing")

SHARE_GROUP = "jiedao"
KINDS = ("event", "heartbeat", "ack")
SESSION_EXPIRY = 7 * 24 * 3600  # seconds the broker keeps a stopped listener's session and its messages


@dataclasses.dataclass(frozen=True)
class Broker:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> "Broker":
        """``mqtt://user:pass@host:1883`` or ``mqtts://host:8883`` (TLS)."""
        parts = urlparse(url)
        tls = parts.scheme == "mqtts"
        return cls(host=parts.hostname or "127.0.0.1", port=parts.port or (8883 if tls else 1883),
                   username=parts.username or "", password=parts.password or "", tls=tls)


def broker() -> Broker:
    """The broker from ``settings.SENSING_MQTT_URL`` or ``JIEDAO_MQTT_URL`` (default mqtt://127.0.0.1:1883)."""
    url = getattr(settings, "SENSING_MQTT_URL", "") or os.environ.get("JIEDAO_MQTT_URL", "mqtt://127.0.0.1:1883")
    return Broker.from_url(url)


def broker_answers(b: Broker | None = None, timeout: float = 1.0) -> bool:
    """True when something accepts TCP connections at the broker's address (tests skip without one)."""
    b = b or broker()
    try:
        with socket.create_connection((b.host, b.port), timeout=timeout):
            return True
    except OSError:
        return False


def client(*, client_id: str = "", b: Broker | None = None, manual_ack: bool = False):
    """A paho client for MQTT v5, credentials and TLS set from the broker's settings."""
    import paho.mqtt.client as mqtt

    b = b or broker()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5,
                    manual_ack=manual_ack)
    if b.username:
        c.username_pw_set(b.username, b.password)
    if b.tls:
        c.tls_set()
    return c


def topics(subdistrict: str = "+", *, shared: bool = True, group: str = SHARE_GROUP) -> list[str]:
    prefix = f"$share/{group}/" if shared else ""
    return [f"{prefix}jiedao/{subdistrict}/+/{kind}" for kind in KINDS]


@dataclasses.dataclass
class _Incoming:
    topic: str
    payload: bytes
    mid: int
    qos: int
    generation: int
    received_at: dt.datetime


class Listener:
    """One listener process's work: receive, ingest in batches, acknowledge, publish commands."""

    def __init__(self, *, name: str, b: Broker | None = None, subdistrict: str = "+", batch_size: int = 500,
                 batch_wait: float = 0.05, shared: bool = True, open_cases: bool = True,
                 session_expiry: int = SESSION_EXPIRY, group: str = SHARE_GROUP, acknowledge: bool = True):
        self.name = name
        self.broker = b or broker()
        self.subdistrict = subdistrict
        self.batch_size = batch_size
        self.batch_wait = batch_wait
        self.shared = shared
        self.open_cases = open_cases
        self.session_expiry = session_expiry
        self.group = group
        self.acknowledge = acknowledge  # False only to stand for a process killed between commit and ack
        self.incoming: queue.Queue[_Incoming] = queue.Queue()
        self.cases: queue.Queue[list[int] | None] = queue.Queue()
        self.stop = threading.Event()
        self.connected = threading.Event()
        self.generation = 0  # bumped at each connection: a message is acknowledged on the connection it came by
        self.counts = {"received": 0, "stored": 0, "duplicate": 0, "dead": 0, "heartbeat": 0, "ack": 0,
                       "commands": 0, "cases": 0, "batches": 0, "redelivered": 0}
        self._client = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------------------ paho
    def _connect(self) -> None:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        c = client(client_id=f"jiedao-listener-{self.name}", b=self.broker, manual_ack=True)
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        c.reconnect_delay_set(min_delay=1, max_delay=30)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self.session_expiry
        props.ReceiveMaximum = min(65535, max(100, 2 * self.batch_size))
        c.connect_async(self.broker.host, self.broker.port, keepalive=30, clean_start=False, properties=props)
        c.loop_start()
        self._client = c

    def _on_connect(self, c, userdata, flags, reason_code, properties) -> None:
        from paho.mqtt.subscribeoptions import SubscribeOptions

        if reason_code.is_failure:
            log.warning("sensing-listen %s: broker refused the connection: %s", self.name, reason_code)
            return
        with self._lock:
            self.generation += 1
        wanted = topics(self.subdistrict, shared=self.shared, group=self.group)
        c.subscribe([(t, SubscribeOptions(qos=1)) for t in wanted])
        self.connected.set()
        log.info("sensing-listen %s: connected to %s:%s (session present: %s)", self.name, self.broker.host,
                 self.broker.port, flags.session_present)

    def _on_disconnect(self, c, userdata, flags, reason_code, properties) -> None:
        self.connected.clear()
        if not self.stop.is_set():
            log.warning("sensing-listen %s: disconnected (%s); reconnecting", self.name, reason_code)

    def _on_message(self, c, userdata, msg) -> None:
        # Nothing here may raise: an exception in a callback stops paho's network thread. A topic that is not
        # UTF-8 goes on, replaced characters and all, to become a dead letter.
        if msg.dup:  # delivered before to a process that did not acknowledge it (killed, or disconnected)
            self.counts["redelivered"] += 1
        topic = msg._topic.decode("utf-8", errors="replace") if isinstance(msg._topic, bytes) else str(msg._topic)
        self.incoming.put(_Incoming(topic, msg.payload, msg.mid, msg.qos, self.generation, timezone.now()))

    # ------------------------------------------------------------------------------------------ work
    def run(self, *, seconds: float | None = None) -> dict:
        """Listen until ``stop`` is set (SIGTERM, SIGINT) or ``seconds`` have passed; returns the counts."""
        self._connect()
        opener = threading.Thread(target=self._open_cases, name=f"sensing-cases-{self.name}", daemon=True)
        opener.start()
        until = time.monotonic() + seconds if seconds else None
        next_commands = next_report = time.monotonic()
        try:
            while not self.stop.is_set() and (until is None or time.monotonic() < until):
                batch = self._take()
                if batch:
                    self._handle(batch)
                now = time.monotonic()
                if batch or now >= next_commands:
                    self._publish_commands()
                    next_commands = now + 1.0
                if now >= next_report:
                    log.info("sensing-listen %s: %s", self.name, self.counts)
                    next_report = now + 60
        finally:
            self.stop.set()  # a disconnection from here on is ours, not one to report
            self.cases.put(None)
            opener.join(timeout=10)
            c = self._client
            if c is not None:
                c.disconnect()
                c.loop_stop()
            connection.close()
        return dict(self.counts)

    def _take(self) -> list[_Incoming]:
        try:
            first = self.incoming.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.batch_wait
        while len(batch) < self.batch_size:
            left = deadline - time.monotonic()
            if left <= 0:
                try:
                    batch.append(self.incoming.get_nowait())
                    continue
                except queue.Empty:
                    break
            try:
                batch.append(self.incoming.get(timeout=left))
            except queue.Empty:
                break
        return batch

    def _handle(self, batch: list[_Incoming]) -> None:
        from jiedao.sensing.services import Message, ingest

        messages = [Message(topic=m.topic, payload=m.payload, received_at=m.received_at) for m in batch]
        delay = 0.5
        while True:
            try:
                outcomes = ingest(messages, open_cases=False)
                break
            except DatabaseError:
                # The database is unreachable or locked: nothing was stored, nothing is acknowledged. Wait
                # and try the same batch again (the broker keeps the messages meanwhile).
                log.exception("sensing-listen %s: database error; retrying in %.1f s", self.name, delay)
                connection.close()
                if self.stop.wait(delay):
                    return
                delay = min(delay * 2, 30)
        self.counts["batches"] += 1
        self.counts["received"] += len(batch)
        for o in outcomes:
            self.counts[o.status] = self.counts.get(o.status, 0) + 1
        c = self._client
        current = self.generation
        for m in batch:
            # A message that came by an earlier connection is delivered again on this one (its session is
            # persistent): acknowledging its old packet id here could acknowledge another message.
            if m.qos and m.generation == current and c is not None and self.acknowledge:
                c.ack(m.mid, m.qos)
        new = [o.alarm_id for o in outcomes if o.new_alarm and o.alarm_id]
        if new and self.open_cases:
            self.cases.put(new)

    def _open_cases(self) -> None:
        from jiedao.sensing.services import open_cases

        while True:
            ids = self.cases.get()
            if ids is None:
                connection.close()  # this thread's own connection
                return
            for attempt in range(5):
                try:
                    filed = open_cases(alarm_ids=ids)
                    self.counts["cases"] += len(filed)
                    break
                except DatabaseError:  # locked or unreachable: wait and try again
                    log.warning("sensing-listen %s: database error opening cases; retrying", self.name)
                    connection.close()
                    if self.stop.wait(0.2 * 2 ** attempt):
                        break
                except Exception:  # the periodic job files what was missed
                    log.exception("sensing-listen %s: opening cases failed", self.name)
                    connection.close()
                    break

    def _publish_commands(self) -> None:
        from jiedao.sensing.services import commands

        c = self._client
        if c is None or not self.connected.is_set():
            return
        try:
            pending = commands.claim()
        except DatabaseError:
            log.exception("sensing-listen %s: could not read pending commands", self.name)
            connection.close()
            return
        for command in pending:
            info = c.publish(commands.topic(command), commands.payload(command), qos=1)
            if info.rc != 0:
                commands.release(command)
            else:
                self.counts["commands"] += 1


class Publisher:
    """A plain QoS 1 publisher (the simulator, benchmarks and tests; a device's side of the protocol)."""

    def __init__(self, *, b: Broker | None = None, client_id: str = "", max_inflight: int = 1000):
        self.client = client(client_id=client_id, b=b)
        self.client.max_inflight_messages_set(max_inflight)
        self.client.max_queued_messages_set(0)
        b = b or broker()
        self.client.connect(b.host, b.port, keepalive=30)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes, qos: int = 1):
        return self.client.publish(topic, payload, qos=qos)

    def close(self, infos=()) -> None:
        for info in infos:
            info.wait_for_publish(timeout=30)
        self.client.disconnect()
        self.client.loop_stop()


def forget_session(name: str, b: Broker | None = None) -> None:
    """End the broker's stored session of listener ``name`` (its queued messages go with it)."""
    c = client(client_id=f"jiedao-listener-{name}", b=b)
    b = b or broker()
    c.connect(b.host, b.port, clean_start=True)
    c.disconnect()
