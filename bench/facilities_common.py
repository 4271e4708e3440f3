"""What the facilities benches share: the Caoyang demo with its facilities and walking network, in a fresh
bench database (or one kept from an earlier run with --data-dir), set up in this process.

Not a benchmark itself. ``jiedao demo`` builds the facilities once demo/builder.py calls
``jiedao.demo.facilities.build``; until then (and to be sure) this builds them here, which replaces any.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _common import ROOT, setup_database, use_database

sys.path.insert(0, str(ROOT))
DATABASE = "jiedao_bench_facilities"


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pg", action="store_true", help=f"PostgreSQL (database {DATABASE} on 127.0.0.1)")
    parser.add_argument("--data-dir", help="reuse the demo in this folder (SQLite) if it is there, else build it there")
    return parser.parse_args()


def demo(args: argparse.Namespace):
    """Django set up on the demo database; returns Caoyang's Subdistrict."""
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="facilities-bench-")
    ready = Path(data_dir, "facilities-bench-ready")
    if ready.exists() and not args.pg:
        use_database(os.environ, None, data_dir)
    else:
        setup_database(DATABASE if args.pg else None, data_dir, environ=os.environ)
    import django

    django.setup()
    from jiedao.core.models import Subdistrict
    from jiedao.demo import facilities

    sub = Subdistrict.objects.get(code="310107005")
    if not ready.exists() or args.pg:

        class Builder:
            counts: dict = {}

            def log(self, line):
                pass

        facilities.build(builder=Builder(), subdistrict=sub)
        ready.touch()
    return sub
