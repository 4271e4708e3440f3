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
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from _common import JIEDAO, ROOT, free_port, setup_database, wait_healthy

LIMIT_S = 5.0
PASSWORD = "caoyang-demo-2025"
REQUESTS = 5


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
        env = setup_database(None, data_dir, scale=args.scale)
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
