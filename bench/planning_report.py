"""Benchmark: the annual tracking report of the whole Caoyang plan renders within 5 s.

Builds the full demo (the plan, five years of reports, ~100,000 residents for the computed indicators) in
a temporary data folder on SQLite, starts the production server (``jiedao serve``), signs in as the
demo leader and requests the latest annual report's page a few times; the figure is the slowest of those
requests, server-side rendering included. Nothing of the developer's database is touched:

    .venv/bin/python bench/planning_report.py [--scale 1.0]
"""

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

LIMIT_S = 5.0
ROOT = Path(__file__).resolve().parent.parent
JIEDAO = [sys.executable, "-m", "jiedao.cli"]
PASSWORD = "caoyang-demo-2025"
REQUESTS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("jiedao serve exited before it was healthy")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # 503 "degraded" (no task worker) still means the web server answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("jiedao serve did not answer within 60 s")


def sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": "leader", "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{base}/login/", data=data.encode(), headers={"Referer": f"{base}/login/"})
    opener.open(request).read()
    return opener


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1.0", help="demo scale (1.0: the full Caoyang demo)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "JIEDAO_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        for command in (["migrate"], ["collectstatic", "--noinput"], ["demo", "--scale", args.scale]):
            subprocess.run([*JIEDAO, *command, "--verbosity", "0"], check=True, env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # Its own process group, so that stopping it stops exactly the server and its workers.
        server = subprocess.Popen([*JIEDAO, "serve", "--no-worker", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_healthy(base, server)
            opener = sign_in(base)
            plans = json.load(opener.open(f"{base}/api/v1/planning/plans"))
            evaluations = json.load(opener.open(f"{base}/api/v1/planning/evaluations?plan={plans[0]['id']}"))
            annual = max((e for e in evaluations if e["kind"] == "annual"), key=lambda e: e["year"])
            url = f"{base}/planning/evaluations/{annual['id']}/"
            timings = []
            for _ in range(REQUESTS):
                started = time.perf_counter()
                html = opener.open(url).read().decode()
                timings.append(time.perf_counter() - started)
            assert len(re.findall(r'class="badge h-', html)) > 100, "the report lacks its indicators and projects"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    worst = max(timings)
    print(f"planning_report: annual report in {worst:.1f} s (limit {LIMIT_S:.0f} s)")
    return 0 if worst <= LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
