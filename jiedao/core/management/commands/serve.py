"""``jiedao serve``: the production server (granian, WSGI, 2+ workers) plus one task worker.

Static files are served by whitenoise from STATIC_ROOT (``jiedao collectstatic`` fills it; the quick
start does). ``--no-worker`` leaves the task worker to a separate ``jiedao worker`` process.

Both kinds of process are restarted when they die: granian respawns a web worker, and a thread here
starts the task worker again (after 1 s, doubling up to a minute while it keeps dying at once). The task
it was running when it died is picked up again by the new worker (core.tasks).
"""

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

logger = logging.getLogger("jiedao.serve")


class WorkerSupervisor:
    """Keeps one ``jiedao worker`` process running until ``stop()``."""

    FIRST_DELAY = 1.0
    MAX_DELAY = 60.0
    STEADY = 60.0  # a worker that ran this long had started well: the next restart is quick again

    def __init__(self, command: list[str], *, poll_every: float = 0.5):
        self.command = command
        self.poll_every = poll_every
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="worker-supervisor")

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)
        self._thread.start()

    def _watch(self) -> None:
        delay, started = self.FIRST_DELAY, time.monotonic()
        while not self._stop.wait(self.poll_every):
            code = self.process.poll()
            if code is None:
                continue
            lived = time.monotonic() - started
            delay = self.FIRST_DELAY if lived >= self.STEADY else delay
            logger.warning("task worker (pid %s) exited with %s after %.0f s; starting a new one in %.0f s",
                           self.process.pid, code, lived, delay)
            if self._stop.wait(delay):
                return
            self.process = subprocess.Popen(self.command)
            self.restarts += 1
            started, delay = time.monotonic(), min(delay * 2, self.MAX_DELAY)

    def stop(self, timeout: float = 10) -> None:
        """Stop watching, then end the worker: SIGTERM (it finishes its task), SIGKILL after ``timeout``."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Command(BaseCommand):
    help = "以生产方式启动平台（granian + 后台任务进程）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    def handle(self, *args, host, port, workers, threads, no_worker, **options):
        from granian.constants import Interfaces
        from granian.server import Server

        supervisor = None
        if not no_worker:
            supervisor = WorkerSupervisor([sys.executable, "-m", "jiedao.cli", "worker", "--verbosity", "0"])
            supervisor.start()
        self.stdout.write(f"Jiedao 正在 http://{host}:{port}/ 提供服务（{workers} 个进程）")
        try:
            Server(
                "jiedao.wsgi:application",
                address=host,
                port=port,
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
                log_access=False,
                respawn_failed_workers=True,  # granian's default stops the whole server when one dies
            ).serve()
        finally:
            if supervisor is not None:
                supervisor.stop()
