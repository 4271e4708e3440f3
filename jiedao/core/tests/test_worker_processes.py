"""Real processes killed: a task worker killed mid-task (its task runs again on the next worker), and
``jiedao serve``'s task worker and web worker killed (both come back). They run on their own SQLite
database in a temporary data folder, whatever database the rest of the suite uses: what is tested is
the processes, and the in-process tests (test_orphaned_tasks.py) cover both databases."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django_tasks import task

JIEDAO = [sys.executable, "-m", "jiedao.cli"]


@task(takes_context=True)
def nap(context, seconds: float) -> int:
    """Sleeps on its first attempt (long enough to be killed), returns at once on the next."""
    if context.attempt == 1:
        time.sleep(seconds)
    return context.attempt


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated data folder and the environment that points ``jiedao`` commands at it."""
    data = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "JIEDAO_TEST_DB_NAME", "DEBUG"}}
    env.update(JIEDAO_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="jiedao.settings", JIEDAO_TESTING="1",
               LOG_LEVEL="WARNING")
    subprocess.run([*JIEDAO, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    return data, env


def query(data, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(data / "jiedao.sqlite3", timeout=20) as db:
        return db.execute(sql, params).fetchall()


def wait_for(what, timeout: float = 60, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what.__doc__ or what}")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return not stat.read().rsplit(") ", 1)[1].startswith("Z")  # a zombie is dead
    except OSError:
        return False


def test_a_worker_killed_mid_task_leaves_it_to_the_next_worker(site):
    data, env = site
    enqueue = f"from {__name__} import nap; print(nap.enqueue(600).id)"
    result_id = subprocess.run([*JIEDAO, "shell", "-v", "0", "-c", enqueue], env=env, check=True, capture_output=True,
                               text=True, timeout=120).stdout.strip().replace("-", "")
    worker = subprocess.Popen([*JIEDAO, "worker", "--no-startup-delay", "--interval", "0.2", "--no-reload"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def running():
            """the task to be RUNNING"""
            return query(data, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", result_id) == \
                [("RUNNING",)]

        wait_for(running)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    subprocess.run([*JIEDAO, "worker", "--batch", "--no-startup-delay", "--no-reload"], env=env, check=True,
                   timeout=120, capture_output=True)
    [(status, return_value, worker_ids)] = query(
        data, "SELECT status, return_value, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?", result_id)
    assert (status, json.loads(return_value), len(json.loads(worker_ids))) == ("SUCCESSFUL", 2, 2)
    assert query(data, "SELECT outcome FROM core_taskinterruption") == [("retried",)]
    assert query(data, "SELECT count(*) FROM core_workerheartbeat WHERE pid = ?", worker.pid) == [(1,)]


def test_serve_restarts_its_task_worker_and_its_web_worker_when_they_die(site):
    data, env = site
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([*JIEDAO, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def health():
        """/healthz to answer 200"""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                return answer.status == 200
        except OSError:
            return False

    def workers() -> set[int]:
        """a live task worker"""
        return {pid for (pid,) in query(data, "SELECT pid FROM core_workerheartbeat") if alive(pid)}

    def children() -> set[int]:
        found = set()
        for entry in os.listdir("/proc"):
            try:
                if entry.isdigit() and int(open(f"/proc/{entry}/stat").read().rsplit(") ", 1)[1].split()[1]) \
                        == server.pid:
                    found.add(int(entry))
            except (OSError, IndexError, ValueError):
                continue
        return found

    try:
        wait_for(health, timeout=120)
        [first] = wait_for(workers)
        os.kill(first, signal.SIGKILL)
        [second] = wait_for(lambda: workers() - {first})
        assert second != first and second in children()
        wait_for(health)

        [web] = children() - {second}
        os.kill(web, signal.SIGKILL)
        wait_for(lambda: (children() - {second, web}) and health())
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert not [pid for pid in workers() if alive(pid)]  # the worker stopped with the server
