"""Benchmark: ``jiedao demo`` builds the full Caoyang data on a fresh SQLite database (limit 60 s).

Runs the real commands in a temporary data folder, so nothing of the developer's database is touched:

    .venv/bin/python bench/demo_build.py
"""

import os
import re
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
        started = time.perf_counter()
        out = subprocess.run([*JIEDAO, "demo"], check=True, env=env, cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    counts = re.search(r"：(buildings .*)", out.stdout)
    print(f"demo: full Caoyang build in {elapsed:.1f} s on SQLite (limit {LIMIT_S:.0f} s)"
          f"{', ' + counts.group(1) if counts else ''}")
    return 0 if elapsed <= LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
