"""Benchmark: 12345 intake through the JSON API, classification and grid placement included, ≥ 200 cases/s
on PostgreSQL with two server workers; beside it, the same server's throughput on trivial JSON endpoints.

Builds the demo (Caoyang's buildings, grids, scenarios and a year of cases, so that duplicate detection has
history to search) in a fresh database — PostgreSQL ``jiedao_bench_cases`` on 127.0.0.1 by default,
``--sqlite`` for a temporary SQLite file —, trains the classifier, issues the operator a token, starts the
production server (``jiedao serve``, granian, 2 workers) and POSTs 12345 orders concurrently to
``/api/v1/cases/``: realistic texts on real demo addresses, each with its own 工单编号, so every request
creates a case (address parsing, grid placement, classification, duplicate search, first timeline event,
audit record, and the 201 answer with the case's detail). Then the same load on ``/api/v1/cases/`` is
compared with ``/healthz`` and ``/api/v1/core/me`` (token lookup and a small JSON answer). The load
generator runs on the same machine, so all figures share its CPUs.

    .venv/bin/python bench/cases_intake.py [--requests 3000] [--clients 16] [--workers 2] [--scale 1.0]
"""

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

LIMIT = 200.0  # cases/s
ROOT = Path(__file__).resolve().parent.parent
JIEDAO = [sys.executable, "-m", "jiedao.cli"]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("jiedao serve exited before it was healthy")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("jiedao serve did not answer in time")


def setup(pg: bool, data_dir: str, scale: str) -> dict:
    env = {**os.environ, "JIEDAO_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "jiedao.settings"}
    if pg:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "jiedao_bench_cases"], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "jiedao_bench_cases"], check=True)
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/jiedao_bench_cases"
    else:
        env.pop("DATABASE_URL", None)
    for args in (["migrate"], ["collectstatic", "--noinput"], ["demo", "--scale", scale], ["train-classifier"]):
        subprocess.run([*JIEDAO, *args, "--verbosity", "0"], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    out = subprocess.run([*JIEDAO, "issue-token", "operator", "--name", "bench"], check=True, env=env, cwd=ROOT,
                         capture_output=True, text=True)
    env["BENCH_TOKEN"] = out.stdout.strip().splitlines()[-1]
    return env


def payloads(env: dict, n: int) -> list[bytes]:
    """n 12345 orders: demo phrases on real demo addresses, one 工单编号 each."""
    os.environ.update({k: v for k, v in env.items() if k in ("JIEDAO_DATA_DIR", "DATABASE_URL",
                                                              "DJANGO_SETTINGS_MODULE")})
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from jiedao.cases.demo_data import ASKS, PLACES, SAID
    from jiedao.geo.models import Building

    rng = random.Random(12345)
    addresses = [b.address for b in Building.objects.filter(subdistrict__code="310107005").select_related("road")]
    out = []
    for i in range(n):
        address = rng.choice(addresses)
        said = rng.choice(SAID[rng.choice(list(SAID))]).format(place=rng.choice(PLACES))
        body = {
            "channel": "hotline", "external_id": f"BENCH{i:07d}", "address": f"普陀区曹杨新村街道{address}",
            "description": f"市民来电反映：{address}{said}，{rng.choice(ASKS)}", "reporter_name": "测试先生",
            "reporter_phone": f"139{rng.randrange(10**8):08d}",
        }
        out.append(json.dumps(body, ensure_ascii=False).encode())
    return out


def load(port: int, method: str, path: str, bodies: list[bytes] | None, n: int, clients: int,
         token: str | None) -> tuple[float, dict[int, int]]:
    """Send n requests from ``clients`` threads with keep-alive connections; returns (requests/s, statuses)."""
    counter = itertools.count()
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (i := next(counter)) < n:
            conn.request(method, path, body=bodies[i] if bodies else None, headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return n / (time.perf_counter() - started), statuses


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", default="1.0", help="demo scale (1.0: the full Caoyang demo)")
    args = parser.parse_args()
    db = "SQLite" if args.sqlite else "PostgreSQL"
    with tempfile.TemporaryDirectory() as data_dir:
        env = setup(not args.sqlite, data_dir, args.scale)
        warm = 50
        bodies = payloads(env, args.requests + warm)
        port = free_port()
        server = subprocess.Popen([*JIEDAO, "serve", "--no-worker", "--port", str(port), "--workers",
                                   str(args.workers)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_healthy(port, server)
            token = env["BENCH_TOKEN"]
            # Warm every worker: classifier model, address and grid indexes, templates.
            load(port, "POST", "/api/v1/cases/", bodies[:warm], warm, args.clients, token)
            intake, statuses = load(port, "POST", "/api/v1/cases/", bodies[warm:], args.requests, args.clients,
                                    token)
            assert statuses == {201: args.requests}, statuses
            health, _ = load(port, "GET", "/healthz", None, args.requests * 2, args.clients, None)
            me, statuses = load(port, "GET", "/api/v1/core/me", None, args.requests * 2, args.clients, token)
            assert statuses == {200: args.requests * 2}, statuses
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    print(f"cases intake ({db}, {args.workers} workers, {args.clients} clients): {intake:,.0f} cases/s "
          f"(limit {LIMIT:.0f} cases/s; trivial endpoints on the same server: /api/v1/core/me {me:,.0f} req/s, "
          f"ratio {intake / me:.2f}; /healthz {health:,.0f} req/s)")
    return 0 if intake >= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
