"""``jiedao compile-translations``: build the .mo catalogues from the .po files with Babel.

Django's own ``compilemessages`` needs GNU gettext installed on the machine; Babel is a Python package,
so the set-up command works on any machine with Python.
"""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "编译翻译文件 (.po → .mo)"

    def handle(self, *args, **options):
        count = 0
        for root in settings.LOCALE_PATHS:
            for po_path in Path(root).glob("*/LC_MESSAGES/*.po"):
                with po_path.open("rb") as fh:
                    catalog = read_po(fh)
                errors = [(m.id, errs) for m, errs in catalog.check() if errs]
                if errors:
                    raise CommandError(f"{po_path}: {errors[0]}")
                # Written beside and renamed over the old catalogue: a process reading it meanwhile (another
                # test worker, a running server) sees the old file or the new one, never half of one.
                mo_path = po_path.with_suffix(".mo")
                fd, tmp = tempfile.mkstemp(dir=mo_path.parent, prefix=".", suffix=".mo")
                try:
                    with os.fdopen(fd, "wb") as fh:
                        write_mo(fh, catalog)
                    os.chmod(tmp, 0o644)
                    os.replace(tmp, mo_path)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
                count += 1
        self.stdout.write(f"已编译 {count} 个翻译文件")
