"""``jiedao serve``: the production server (granian, WSGI, 2+ workers) plus one task worker.

Static files are served by whitenoise from STATIC_ROOT (``jiedao collectstatic`` fills it; the quick
start does). ``--no-worker`` leaves the task worker to a separate ``jiedao worker`` process.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


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

        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "jiedao.cli", "worker", "--verbosity", "0"])
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
            ).serve()
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
