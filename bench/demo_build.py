"""Benchmark: ``jiedao demo`` builds the full Caoyang data on a fresh SQLite database (limit 60 s).

Runs the real commands in a temporary data folder, so nothing of the developer's database is touched, in the
order of scripts/start (migrate and the visit assessment's training first, untimed, then the demo):

    .venv/bin/python bench/demo_build.py

Prints the time each phase took (from one line of the command's output to the next; the first includes
starting the command) and the machine's load average beside the figure: the figure is only comparable between
runs on an equally quiet machine. The CPU time of the command and its forked processes is printed too: it
moves less with the load than the wall time does (though a busy machine inflates it as well).
"""

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT_S = 60.0
ROOT = Path(__file__).resolve().parent.parent
JIEDAO = [sys.executable, "-m", "jiedao.cli"]


def main() -> int:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "JIEDAO_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        subprocess.run([*JIEDAO, "migrate", "--verbosity", "0"], check=True, env=env, cwd=ROOT)
        # As scripts/start does before the demo: the visit assessment's model (timed by bench/visit_assessment.py;
        # the whole set-up by bench/quickstart.sh) is trained first, not inside the demo's build.
        subprocess.run([*JIEDAO, "train-visit-assessment"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        load = os.getloadavg()[0]
        cpu_before = _children_cpu()
        started = last = time.perf_counter()
        phases, lines, previous = [], [], "start"
        with subprocess.Popen([*JIEDAO, "demo"], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
            for line in proc.stdout:
                now = time.perf_counter()
                phases.append((previous, now - last))
                previous, last = line.strip()[:40], now
                lines.append(line)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, proc.args)
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
    counts = re.search(r"：(buildings .*)", "".join(lines))
    for name, seconds in phases:
        if seconds >= 0.5:
            print(f"  {seconds:5.1f} s  {name}")
    print(f"demo: full Caoyang build in {elapsed:.1f} s on SQLite (limit {LIMIT_S:.0f} s; load average "
          f"{load:.2f} before, {os.getloadavg()[0]:.2f} after; CPU {cpu:.1f} s)"
          f"{', ' + counts.group(1) if counts else ''}")
    return 0 if elapsed <= LIMIT_S else 1


def _children_cpu() -> float:
    """User and system CPU seconds of the finished child processes (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
