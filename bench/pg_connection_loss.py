"""Bench (a check, not a speed): PostgreSQL loses every connection during a burst of 12345 intake, and
every case answered 201 is there afterwards, and the server goes on without a restart.

Restarting the PostgreSQL server itself would break everyone else using it (the machine's tests share it),
so this cuts what a restart cuts for the server: every connection of the bench database, ended from the
server side with ``pg_terminate_backend`` while requests are in flight, several times. Django keeps its
connections open between requests (``CONN_MAX_AGE``), so the workers hold dead connections afterwards,
as they would after a restart.

Builds a small demo (``--scale``) in the PostgreSQL database ``jiedao_bench_pgloss`` on 127.0.0.1, starts
``jiedao serve --no-worker`` (granian, 2 workers), and POSTs 12345 orders, each with its own 工单编号, from
``--clients`` threads for ``--seconds``; meanwhile ends every connection of the database ``--cuts`` times.
Then checks:

- every order answered 201 is a case in the database (limit: none missing);
- each order that was not answered 201 is sent again: it is created now (201) or turns out to exist (409,
  the first request's commit went through but its answer was lost), and never twice;
- after the last cut, the server answers again without a restart (how long until the next 201).

    .venv/bin/python bench/pg_connection_loss.py [--seconds 12] [--clients 8] [--cuts 4] [--scale 0.1]
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import JIEDAO, ROOT, database_url, free_port, setup_database, wait_healthy

DATABASE = "jiedao_bench_pgloss"
sys.path.insert(0, str(ROOT))


def setup(data_dir: str, scale: str) -> dict[str, str]:
    """The demo in a fresh database, the classifier (copied from data/ when there is one), an operator token."""
    models = ROOT / "data" / "models"
    if models.is_dir():
        shutil.copytree(models, Path(data_dir) / "models")
    env = setup_database(DATABASE, data_dir, scale=scale)
    out = subprocess.run([*JIEDAO, "issue-token", "operator", "--name", "bench"], check=True, env=env, cwd=ROOT,
                         capture_output=True, text=True)
    env["BENCH_TOKEN"] = out.stdout.strip().splitlines()[-1]
    return env


def orders(env: dict, n: int) -> list[dict]:
    """n 12345 orders on real demo addresses (the intake bench's), 工单编号 PGL0000000 …"""
    from cases_intake import payloads

    out = []
    for i, body in enumerate(payloads(env, n)):
        order = json.loads(body)
        order["external_id"] = f"PGL{i:07d}"
        out.append(order)
    return out


def post(conn: http.client.HTTPConnection, order: dict, token: str, kinds: set | None = None) -> int:
    body = json.dumps(order, ensure_ascii=False).encode()
    conn.request("POST", "/api/v1/cases/", body=body,
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    response.read()
    if kinds is not None and response.status >= 500:
        kinds.add(response.getheader("Content-Type", "").split(";")[0])
    return response.status


def burst(port: int, token: str, todo: list[dict], *, clients: int, seconds: float,
          kinds: set | None = None) -> list[tuple[float, str, int]]:
    """POST orders from ``clients`` threads for ``seconds``; returns (time, 工单编号, status) for each, and
    adds the content types of 5xx answers to ``kinds``."""
    answers: list[tuple[float, str, int]] = []
    lock = threading.Lock()
    queue = iter(todo)
    deadline = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                order = next(queue, None)
            if order is None:
                return
            try:
                status = post(conn, order, token, kinds)
            except OSError:  # the server closed the connection: no answer, so not acknowledged
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                answers.append((time.monotonic(), order["external_id"], status))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def cut_connections(admin, every: float, times: int, cuts: list[tuple[float, int]], restart: str = "") -> None:
    """End every connection of the bench database ``times`` times, ``every`` seconds apart; with ``restart``
    (a Debian cluster, e.g. "15/main"), restart the PostgreSQL server itself instead."""
    for _ in range(times):
        time.sleep(every)
        if restart:
            version, name = restart.split("/")
            subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
            cuts.append((time.monotonic(), -1))
            continue
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> pg_backend_pid()", [DATABASE]).fetchone()[0]
        cuts.append((time.monotonic(), ended))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--cuts", type=int, default=4)
    parser.add_argument("--scale", default="0.1", help="demo scale")
    parser.add_argument("--restart", default="", metavar="VERSION/CLUSTER",
                        help="restart the whole server (pg_ctlcluster, e.g. 15/main) instead of ending the bench "
                             "database's connections: only on a machine where nothing else uses PostgreSQL")
    parser.add_argument("--health-checks", action="store_true",
                        help="the server with Django's CONN_HEALTH_CHECKS (a persistent connection is tested "
                             "before each request reuses it)")
    args = parser.parse_args()
    import psycopg

    with tempfile.TemporaryDirectory() as data_dir:
        env = setup(data_dir, args.scale)
        todo = orders(env, 20_000)
        server_env = dict(env)
        if args.health_checks:
            (Path(data_dir) / "bench_settings.py").write_text(
                'from jiedao.settings import *  # noqa: F403\nDATABASES["default"]["CONN_HEALTH_CHECKS"] = True\n')
            server_env.update(DJANGO_SETTINGS_MODULE="bench_settings", PYTHONPATH=data_dir)
        port = free_port()
        server = subprocess.Popen([*JIEDAO, "serve", "--no-worker", "--port", str(port), "--workers", "2"],
                                  env=server_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", server, timeout=90)
            token = env["BENCH_TOKEN"]
            warm, todo = todo[:40], todo[40:]
            assert {s for _t, _id, s in burst(port, token, warm, clients=args.clients, seconds=60)} == {201}
            cuts: list[tuple[float, int]] = []
            with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
                cutter = threading.Thread(target=cut_connections,
                                          args=(admin, args.seconds / (args.cuts + 1), args.cuts, cuts, args.restart))
                cutter.start()
                kinds: set[str] = set()
                answers = burst(port, token, todo, clients=args.clients, seconds=args.seconds, kinds=kinds)
                cutter.join()
            failed = [i for _t, i, s in answers if s != 201]
            sent = {i for _t, i, _s in answers}
            retry_status: dict[str, int] = {}
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            by_id = {o["external_id"]: o for o in todo}
            for external_id in failed:
                retry_status[external_id] = post(conn, by_id[external_id], token)
            conn.close()
            alive = server.poll() is None
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        with psycopg.connect(database_url(DATABASE)) as db:
            rows = db.execute("SELECT external_id FROM cases_case WHERE external_id LIKE %s", ["PGL%"])
            stored = [r[0] for r in rows]

    acknowledged = {i for _t, i, s in answers if s == 201}
    missing = acknowledged - set(stored)
    twice = len(stored) - len(set(stored))
    statuses: dict[int, int] = {}
    for _t, _i, s in answers:
        statuses[s] = statuses.get(s, 0) + 1
    retried: dict[int, int] = {}
    for s in retry_status.values():
        retried[s] = retried.get(s, 0) + 1
    never = [i for i, s in retry_status.items() if s not in (201, 409)]
    unsent_stored = set(stored) - sent - {o["external_id"] for o in warm}
    # Recovery: from each cut, the time until some request was answered 201 again.
    recoveries = []
    for at, _n in cuts:
        after = [t for t, _i, s in answers if s == 201 and t > at]
        recoveries.append(min(after) - at if after else float("inf"))
    print(f"  answers during the burst: {dict(sorted(statuses.items()))} (5xx as {sorted(kinds) or '-'}); "
          f"retries of the others: "
          f"{dict(sorted(retried.items()))} (409: created by the first request, its answer lost)")
    print(f"  connections ended per cut: {[n for _t, n in cuts]}; next 201 after each cut: "
          f"{', '.join(f'{r * 1000:.0f} ms' for r in recoveries)}")
    ok = not missing and not twice and not never and not unsent_stored and alive and cuts and \
        all(r != float("inf") for r in recoveries)
    print(f"pg connection loss: {len(answers):,} orders, {len(cuts)} cuts of every connection, "
          f"{len(acknowledged):,} answered 201, {len(missing)} of them missing afterwards, {twice} stored twice, "
          f"{len(failed)} not answered 201 ({len(never)} still failing on retry); "
          f"{'with' if args.health_checks else 'without'} CONN_HEALTH_CHECKS; server "
          f"{'recovered without a restart' if alive else 'DIED'} (limit: 0 missing, 0 twice, no restart)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
