"""Helpers shared by the benchmark scripts in bench/: a free port and a wait for ``jiedao serve`` to answer, for
the benches that measure through a real server, and a fresh demo database to measure on (PostgreSQL on
127.0.0.1, or SQLite in a temporary data folder).

Not a benchmark itself (hence the underscore). The scripts run as ``.venv/bin/python bench/<name>.py``, which
puts bench/ first on sys.path, so they import it as ``from _common import ...``.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, MutableMapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JIEDAO = [sys.executable, "-m", "jiedao.cli"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now, for a bench server that must not collide with
    a developer's own."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    """Return once the server at ``base`` (``http://127.0.0.1:PORT``) answers ``GET /healthz``.

    Any HTTP answer counts, 503 included: the benches start ``jiedao serve --no-worker``, whose /healthz says
    "degraded" without a task worker although the web server works. Plain http.client rather than urllib, so
    that no proxy from the environment gets in the way. Raises RuntimeError when ``server`` exits first or
    nothing answers within ``timeout`` seconds.
    """
    url = urllib.parse.urlsplit(base)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("jiedao serve exited before it was healthy")
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    raise RuntimeError(f"jiedao serve did not answer within {timeout:.0f} s")


def database_url(database: str) -> str:
    """The URL of the PostgreSQL database ``database`` of the benches: on 127.0.0.1, user postgres."""
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def use_database(environ: MutableMapping[str, str], database: str | None, data_dir: str) -> None:
    """Point jiedao at a bench database through the variables in ``environ``: the PostgreSQL database
    ``database``, or for ``None`` SQLite (DATABASE_URL removed: the file then lives in ``data_dir``, the
    JIEDAO_DATA_DIR, as everything else jiedao writes). The settings are jiedao.settings, the production ones,
    whatever the caller's shell says (the tests' settings_test would measure fast hashing, for one)."""
    environ["JIEDAO_DATA_DIR"] = data_dir
    if database:
        environ["DATABASE_URL"] = database_url(database)
    else:
        environ.pop("DATABASE_URL", None)
    environ["DJANGO_SETTINGS_MODULE"] = "jiedao.settings"


def setup_database(database: str | None, data_dir: str, *, scale: str | None = None,
                   extra: Sequence[Sequence[str]] = (), environ: MutableMapping[str, str] | None = None) \
        -> dict[str, str]:
    """Build the demo in a fresh bench database; returns the environment of jiedao commands that use it.

    ``database`` names a PostgreSQL database on 127.0.0.1 (user postgres), dropped and created anew, so that
    every run measures the same data; ``None`` means SQLite in ``data_dir``, which should be a new folder.
    Then ``jiedao migrate``, ``collectstatic --noinput`` (the server benches serve the real static files),
    ``demo [--scale scale]`` and the ``extra`` commands run, each with ``--verbosity 0`` and its output to
    /dev/null (errors still show, and stop the bench). The variables of :func:`use_database` are set in
    ``environ``: pass ``os.environ`` when the bench then runs Django in this process too (``django.setup()``);
    by default they go to a copy, and this process's environment is left alone.
    """
    if database:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    if environ is None:
        environ = dict(os.environ)
    use_database(environ, database, data_dir)
    env = dict(environ)
    demo = ["demo"] if scale is None else ["demo", "--scale", scale]
    for args in (["migrate"], ["collectstatic", "--noinput"], demo, *extra):
        subprocess.run([*JIEDAO, *args, "--verbosity", "0"], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    return env


def run_on_demo(bench: Callable[[str], int], *, database: str, media: bool = False) -> int:
    """The ``main`` of a bench that measures in this process on the demo: ``--pg`` builds the demo in the
    PostgreSQL database ``database``, no option in SQLite in a temporary folder, and ``--data-dir`` or
    ``--pg-database`` reuse a demo already built. Calls ``bench`` with the database's name ("SQLite" or
    "PostgreSQL") after ``django.setup()``, and returns what it returns (the exit code). ``media`` puts the
    uploaded files (photos) in the data folder too, so that a fresh run leaves nothing behind."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--data-dir", help="an existing demo data folder (SQLite) instead of a fresh demo")
    parser.add_argument("--pg-database", help="an existing PostgreSQL demo database instead of a fresh demo")
    args = parser.parse_args()
    db = "PostgreSQL" if args.pg or args.pg_database else "SQLite"
    import django

    if args.data_dir or args.pg_database:
        use_database(os.environ, args.pg_database, args.data_dir or tempfile.mkdtemp())
        django.setup()
        return bench(db)
    with tempfile.TemporaryDirectory() as data_dir:
        setup_database(database if args.pg else None, data_dir, environ=os.environ)
        django.setup()
        if media:
            from django.conf import settings

            settings.MEDIA_ROOT = os.path.join(data_dir, "media")
        return bench(db)
