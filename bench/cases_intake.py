"""Benchmark: 12345 intake through the JSON API, classification and grid placement included, ≥ 200 cases/s
on PostgreSQL with two server workers; beside it, the same server's throughput on trivial JSON endpoints.

Builds the demo (Caoyang's buildings, grids, scenarios and a year of cases, so that duplicate detection has
history to search) in a fresh database — PostgreSQL ``jiedao_bench_cases`` on 127.0.0.1 by default,
``--sqlite`` for a temporary SQLite file —, trains the classifier, issues the operator a token, starts the
production server (``jiedao serve``, granian, 2 workers) and POSTs 12345 orders concurrently to
``/api/v1/cases/``: realistic texts on real demo addresses, each with its own 工单编号, so every request
creates a case (address parsing, grid placement, classification, duplicate search, first timeline event,
audit record, and the 201 answer). Then the same load on ``/api/v1/cases/`` is compared with ``/healthz``
and ``/api/v1/core/me`` (token lookup and a small JSON answer).

The load comes from wrk (Debian package ``wrk``; bench/intake.lua makes each body unique) when it is
installed, else from Python threads, which take a good share of the CPU themselves. Either way the load
generator runs on the same machine as the server and PostgreSQL, so all figures share its CPUs; the CPU
time each side spent per request is printed beside the rates, with the share of the machine's CPU time that
the hypervisor gave to someone else during the intake run (steal).

    .venv/bin/python bench/cases_intake.py [--seconds 20] [--clients 16] [--workers 2] [--scale 1.0]
                                           [--python-client]
"""

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import JIEDAO, ROOT, free_port, setup_database, wait_healthy

LIMIT = 200.0  # cases/s
DATABASE = "jiedao_bench_cases"
sys.path.insert(0, str(ROOT))


def setup(pg: bool, data_dir: str, scale: str) -> dict[str, str]:
    """The demo in a fresh database (PostgreSQL ``jiedao_bench_cases`` or SQLite), the classifier trained, and
    an API token for the operator; returns the server's environment, the token in BENCH_TOKEN."""
    env = setup_database(DATABASE if pg else None, data_dir, scale=scale, extra=[["train-classifier"]])
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
    from jiedao.demo.cases import ASKS, PLACES, SAID
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


def templates(env: dict, n: int, path: Path) -> None:
    """n request bodies for wrk, one per line, with ``__ID__`` in place of the 工单编号."""
    with path.open("w", encoding="utf-8") as out:
        for body in payloads(env, n):
            data = json.loads(body)
            data["external_id"] = "__ID__"
            out.write(json.dumps(data, ensure_ascii=False) + "\n")


def wrk(port: int, path: str, *, seconds: int, clients: int, token: str | None, script: list[str] = ()) -> \
        tuple[float, int, int]:
    """Run wrk; returns (requests/s, requests, non-2xx answers)."""
    args = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--latency"]
    if token and not script:
        args += ["-H", f"Authorization: Bearer {token}"]
    if script:
        args += ["-s", script[0]]
    args.append(f"http://127.0.0.1:{port}{path}")
    if script:
        args += ["--", *script[1:]]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    rate = requests = bad = 0
    for line in out.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            rate = float(words[1])
        elif "requests in" in line:
            requests = int(words[0])
        elif line.strip().startswith("Non-2xx"):
            bad = int(words[-1])
    return rate, requests, bad


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (and their finished children), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def machine_times() -> tuple[int, int]:
    """(all CPU time, time stolen by the hypervisor) of the machine since boot, in clock ticks (/proc/stat):
    on a shared virtual machine the steal tells how much of the run's CPU someone else had."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return sum(fields), fields[7]


def processes(root: int | None = None, name: str = "") -> list[int]:
    """The process tree under ``root``, or every process called ``name``."""
    found, parents = [], {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(rest[1])
            if name and comm == name:
                found.append(int(entry.name))
    if root is not None:
        tree, todo = [], [root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += [child for child, parent in parents.items() if parent == pid]
        found = tree
    return found


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
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument("--requests", type=int, default=3000, help="requests per run with --python-client")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", default="1.0", help="demo scale (1.0: the full Caoyang demo)")
    parser.add_argument("--python-client", action="store_true", help="Python threads instead of wrk")
    args = parser.parse_args()
    use_wrk = not args.python_client and shutil.which("wrk") is not None
    db = "SQLite" if args.sqlite else "PostgreSQL"
    with tempfile.TemporaryDirectory() as data_dir:
        env = setup(not args.sqlite, data_dir, args.scale)
        warm = 50
        bodies = payloads(env, (args.requests if not use_wrk else 0) + warm)
        body_file = Path(data_dir) / "bodies.jsonl"
        if use_wrk:
            templates(env, 500, body_file)
        port = free_port()
        server = subprocess.Popen([*JIEDAO, "serve", "--no-worker", "--port", str(port), "--workers",
                                   str(args.workers)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", server, timeout=90)
            token = env["BENCH_TOKEN"]
            # Warm every worker: classifier model, address and grid indexes, templates.
            load(port, "POST", "/api/v1/cases/", bodies[:warm], warm, args.clients, token)
            server_pids, pg_pids = processes(root=server.pid), processes(name="postgres")
            machine = machine_times()
            cpu = {"server": cpu_seconds(server_pids), "postgres": cpu_seconds(pg_pids),
                   "client": sum(os.times()[:4])}
            if use_wrk:
                intake, n, bad = wrk(port, "/api/v1/cases/", seconds=args.seconds, clients=args.clients,
                                     token=token, script=[str(ROOT / "bench" / "intake.lua"), str(body_file),
                                                          f"W{int(time.time())}", token])
                assert bad == 0, f"{bad} of {n} intake requests were not answered 201"
            else:
                n = args.requests
                intake, statuses = load(port, "POST", "/api/v1/cases/", bodies[warm:], n, args.clients, token)
                assert statuses == {201: n}, statuses
            total, stolen = (b - a for a, b in zip(machine, machine_times(), strict=True))
            steal = 100 * stolen / total if total else 0.0
            per_case = {"server": (cpu_seconds(server_pids) - cpu["server"]) / n * 1000,
                        "postgres": (cpu_seconds(pg_pids) - cpu["postgres"]) / n * 1000,
                        "client": (sum(os.times()[:4]) - cpu["client"]) / n * 1000}
            if use_wrk:
                me, n_me, bad = wrk(port, "/api/v1/core/me", seconds=args.seconds, clients=args.clients,
                                    token=token)
                assert bad == 0, f"{bad} of {n_me} /me requests failed"
                health, _n, _bad = wrk(port, "/healthz", seconds=max(5, args.seconds // 2),
                                       clients=args.clients, token=None)
            else:
                health, _ = load(port, "GET", "/healthz", None, args.requests * 2, args.clients, None)
                me, statuses = load(port, "GET", "/api/v1/core/me", None, args.requests * 2, args.clients, token)
                assert statuses == {200: args.requests * 2}, statuses
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    client = "wrk" if use_wrk else "Python threads"
    print(f"cases intake ({db}, {args.workers} workers, {args.clients} clients, load from {client}): "
          f"{intake:,.0f} cases/s (limit {LIMIT:.0f} cases/s; trivial endpoints on the same server: "
          f"/api/v1/core/me {me:,.0f} req/s, ratio {intake / me:.2f}; /healthz {health:,.0f} req/s)")
    print(f"  CPU per case: server {per_case['server']:.1f} ms, PostgreSQL {per_case['postgres']:.1f} ms, "
          f"load generator (Python side) {per_case['client']:.1f} ms; {os.cpu_count()} CPUs on this machine, "
          f"{steal:.0f} % of their time stolen by the hypervisor during the intake run")
    return 0 if intake >= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
