"""Benchmark: kill the listener (SIGKILL) in the middle of a run of 100,000 events and start it again; every
event is stored exactly once.

A fresh demo database (SQLite by default, ``--db pg`` for PostgreSQL) with ~20,000 devices, a Mosquitto of
the bench's own, ``jiedao sensing-listen`` processes (``--listeners``, sharing the subscription), and a
publisher sending 100,000 events (no heartbeats: every message is an event to count) at ``--rate``. During
the run the bench kills a listener with SIGKILL (``--kills`` times, spread over the run), waits
``--down`` seconds, and starts it again under the same name, so that it resumes its session: the broker
delivers again what it had delivered but the dead process had not acknowledged, and keeps for it what came
while it was down. At the end the bench counts the run's rows: each of the 100,000 event ids once, none
missing, no dead letter; and it reports how many deliveries were duplicates (the restarted listeners' own
counts) — the work the unique ``(device, id)`` did.

    .venv/bin/python bench/sensing_kill.py [--db sqlite|pg] [--events 100000] [--rate 2000] [--kills 2]
                                           [--listeners 1] [--down 3]
"""

import argparse
import ast
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sensing_support as support
from _common import ROOT

DATABASE = "jiedao_bench_sensing_kill"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--listeners", type=int, default=1)
    parser.add_argument("--down", type=float, default=3.0, help="seconds a killed listener stays down")
    parser.add_argument("--scale", default="0.25")
    parser.add_argument("--devices", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix=f"sensing-kill-{args.db}-")
    broker, port = support.start_broker(folder)
    listeners: dict[str, subprocess.Popen] = {}
    log = Path(folder) / "listeners.log"
    try:
        env = support.setup(DATABASE if args.db == "pg" else None, folder, scale=args.scale, devices=args.devices)
        from django.db import connection

        from jiedao.sensing.models import DeadLetter, Event

        names = [f"kill-{i}" for i in range(args.listeners)]
        for name in names:
            listeners[name] = support.listener(env, port, name, log)
        support.wait_connected(log, len(listeners))
        first_pk = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        report = Path(folder) / "run.json"
        publisher = support.publisher(env, port, rate=args.rate, count=args.events, run="kill", alarm_share=0.002,
                                      heartbeat_share=0.0, report=report)
        started = time.time()
        duration = args.events / args.rate
        kills = []
        for k in range(args.kills):
            at = started + duration * (k + 1) / (args.kills + 1)
            while time.time() < at and publisher.poll() is None:
                time.sleep(0.05)
            victim = names[k % len(names)]
            stored = Event.objects.filter(pk__gt=first_pk).count()
            connection.close()
            listeners[victim].send_signal(signal.SIGKILL)
            listeners[victim].wait()
            kills.append((round(time.time() - started, 1), stored))
            time.sleep(args.down)
            listeners[victim] = support.listener(env, port, victim, log)
        publisher.wait()
        sent = _read(report)
        deadline = time.time() + 180
        while time.time() < deadline and Event.objects.filter(pk__gt=first_pk).count() < sent["events"]:
            connection.close()
            time.sleep(0.5)
        time.sleep(2)  # anything delivered twice after the count was reached would show now
        run_events = Event.objects.filter(pk__gt=first_pk, event_id__startswith="simkill-")
        rows = run_events.count()
        distinct = run_events.values("device_id", "event_id").distinct().count()
        dead = DeadLetter.objects.filter(received_at__gte=_aware(started)).count()
        for p in listeners.values():
            p.send_signal(signal.SIGTERM)
        for p in listeners.values():
            p.wait(60)
        again, duplicates = _redeliveries(log)
        name = {"sqlite": "SQLite", "pg": "PostgreSQL"}[args.db]
        once = rows == distinct == sent["events"] and not dead
        verdict = "every event stored exactly once" if once else "LOST OR TWICE"
        print(f"listener killed (SIGKILL) {len(kills)}× during {sent['events']:,} events ({name}, "
              f"{args.listeners} listener{'s' if args.listeners > 1 else ''}, killed at "
              + ", ".join(f"{t} s ({n:,} stored)" for t, n in kills)
              + f", each down {args.down:.0f} s): {rows:,} rows, {distinct:,} distinct, {sent['events'] - distinct:,} "
              f"missing, {dead} dead letters; {again:,} messages delivered again after a kill, {duplicates:,} of them "
              f"already stored (at least: a killed listener's counts die with it) — {verdict}")
    finally:
        for p in listeners.values():
            if p.poll() is None:
                p.kill()
        broker.terminate()
        broker.wait(10)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"  kept {folder}")
        os.environ.pop("JIEDAO_DATA_DIR", None)


def _aware(epoch: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def _redeliveries(log: Path) -> tuple[int, int]:
    """(messages the broker delivered again, of them already stored) as the listeners that stopped cleanly
    counted them (a killed one's counts die with it, so these are lower bounds)."""
    again = duplicates = 0
    for line in log.read_text().splitlines():
        if ": stopped {" in line:
            counts = ast.literal_eval(line.split(": stopped ", 1)[1])
            again += counts.get("redelivered", 0)
            duplicates += counts.get("duplicate", 0)
    return again, duplicates


def _read(report: Path) -> dict:
    import json

    for _ in range(300):
        if report.exists() and report.stat().st_size:
            return json.loads(report.read_text())
        time.sleep(0.1)
    raise RuntimeError(f"the publisher wrote no report ({report})")


if __name__ == "__main__":
    main()
