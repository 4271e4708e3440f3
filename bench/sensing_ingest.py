"""Benchmark: 物联感知 ingest over MQTT, ≥ 2,000 events/s sustained on SQLite and on PostgreSQL, with alarm to
visible case p95 ≤ 1 s under that load; beside it, the broker's own rate in the same run.

For each database: a fresh demo (Caoyang, a year of cases, so that each alarm's case goes through the full
intake: placement, classification, the duplicate search over the year) with ~20,000 devices, a Mosquitto of
the bench's own, ``jiedao sensing-listen`` processes, and a publisher process sending the simulator's
traffic (gate passes, water readings, smoke detectors, …, 10 % heartbeats, 0.5 % of messages alarm events)
at a fixed rate for a fixed time. The bench counts the events stored in the database as they arrive: the
rate is sustained when the stored count keeps pace with the published one and is complete right after the
publisher stops. Alarm to case is the time from the event's own timestamp (set by the publisher when it
sent it) to the moment the listener recorded the alarm's case as filed (after the case's commit).

The broker's own rate: a publisher at full speed and a plain QoS 1 subscriber that only counts, on the same
broker in the same run (paho on both sides, as the listener and the publisher use).

    .venv/bin/python bench/sensing_ingest.py [--db sqlite|pg|both] [--rate 2500] [--seconds 30]
                                             [--listeners 1] [--scale 1.0] [--devices 20000]
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sensing_support as support
from _common import ROOT

LIMIT = 2000.0  # events/s
LATENCY_LIMIT = 1.0  # s, p95
DATABASE = "jiedao_bench_sensing"
sys.path.insert(0, str(ROOT))


def run(db: str, args) -> None:
    folder = tempfile.mkdtemp(prefix=f"sensing-bench-{db}-")
    broker, port = support.start_broker(folder)
    listeners: list[subprocess.Popen] = []
    saved = dict(os.environ)
    try:
        env = support.setup(DATABASE if db == "pg" else None, folder, scale=args.scale, devices=args.devices)
        from django.db import connection

        from jiedao.sensing.models import Alarm, Device, Event

        devices = Device.objects.filter(subdistrict__code=support.SUBDISTRICT).count()
        own = support.broker_rate(port)
        log = Path(folder) / "listeners.log"
        for i in range(args.listeners):
            listeners.append(support.listener(env, port, f"bench-{i}", log))
        support.wait_connected(log, len(listeners))
        # Warm-up: the listeners load the subdistrict's devices and the rules, intake its indexes.
        warm = Path(folder) / "warm.json"
        support.publisher(env, port, rate=args.rate, count=3000, run="warm", alarm_share=0.01,
                          heartbeat_share=0.1, report=warm).wait()
        _wait(lambda: Event.objects.filter(event_id__startswith="simwarm-").count()
              >= _events(warm), seconds=60)
        first_pk = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        alarm_pk = Alarm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        report = Path(folder) / "run.json"
        publisher = support.publisher(env, port, rate=args.rate, seconds=args.seconds, run="run",
                                      alarm_share=args.alarm_share, heartbeat_share=0.1, report=report)
        started = time.time()
        lag = 0.0
        while publisher.poll() is None:
            stored = Event.objects.filter(pk__gt=first_pk).count()
            expected = args.rate * 0.9 * (time.time() - started)  # ~90 % of messages are events
            lag = max(lag, (expected - stored) / (args.rate * 0.9))
            connection.close()
            time.sleep(1)
        sent = _read(report)
        done = _wait(lambda: Event.objects.filter(pk__gt=first_pk).count() >= sent["events"], seconds=120)
        stored = Event.objects.filter(pk__gt=first_pk).count()
        elapsed = done - sent["started"]
        after = done - sent["ended"]
        _wait(lambda: not Alarm.objects.filter(pk__gt=alarm_pk, case__isnull=True, opens_case=True).exists(),
              seconds=30)
        latencies = sorted((opened_case - opened).total_seconds() for opened, opened_case in Alarm.objects.filter(
            pk__gt=alarm_pk, case_opened_at__isnull=False).values_list("opened_at", "case_opened_at"))
        name = {"sqlite": "SQLite", "pg": "PostgreSQL"}[db]
        rate = stored / elapsed
        print(f"sensing ingest ({name}, {args.listeners} listener{'s' if args.listeners > 1 else ''}, "
              f"{devices:,} devices): {rate:,.0f} events/s sustained ({stored:,} of {sent['events']:,} events "
              f"stored, published at {args.rate * 0.9:,.0f} events/s for {args.seconds:.0f} s, all stored "
              f"{after:.1f} s after the last, largest backlog {max(lag, 0):.1f} s; limit {LIMIT:,.0f}); "
              f"broker alone {own:,.0f} msg/s, ratio {rate / own:.2f}")
        if latencies:
            p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
            print(f"alarm → visible case ({name}): p95 {p95:.2f} s, p50 {statistics.median(latencies):.2f} s, "
                  f"max {latencies[-1]:.2f} s over {len(latencies)} alarms (limit p95 {LATENCY_LIMIT:.0f} s)")
        if stored != sent["events"]:
            print(f"  !! {sent['events'] - stored} events missing")
    finally:
        for p in listeners:
            p.send_signal(signal.SIGTERM)
        for p in listeners:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        broker.terminate()
        broker.wait(10)
        os.environ.clear()
        os.environ.update(saved)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"  kept {folder}")


def _events(report: Path) -> int:
    return _read(report)["events"]


def _read(report: Path) -> dict:
    import json

    for _ in range(100):
        if report.exists() and report.stat().st_size:
            return json.loads(report.read_text())
        time.sleep(0.1)
    raise RuntimeError(f"the publisher wrote no report ({report})")


def _wait(predicate, *, seconds: float) -> float:
    """Poll until ``predicate`` holds; returns the time it first did (or when waiting ended)."""
    from django.db import connection

    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return time.time()
        connection.close()
        time.sleep(0.1)
    return time.time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "pg", "both"], default="both")
    parser.add_argument("--rate", type=float, default=2500, help="messages/s published (90 %% events)")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--listeners", type=int, default=1)
    parser.add_argument("--scale", default="1.0")
    parser.add_argument("--devices", type=int, default=20_000)
    parser.add_argument("--alarm-share", type=float, default=0.005)
    parser.add_argument("--keep", action="store_true", help="keep the bench's data folder")
    args = parser.parse_args()
    if args.db == "both":  # one Django (one database) per process: each run in a process of its own
        rest = [a for a in sys.argv[1:] if a not in ("--db", "both")]
        for db in ("sqlite", "pg"):
            subprocess.run([sys.executable, __file__, "--db", db, *rest], check=True)
        return
    run(args.db, args)


if __name__ == "__main__":
    main()
