"""Logging filters of the project (settings.LOGGING)."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404


class RefusalsWithoutTraceback(logging.Filter):
    """``django.request`` logs every PermissionDenied with its traceback. A refusal is expected behaviour,
    already in the audit log (core.access) with who, what and from where: one WARNING line is enough, and a
    traceback per refusal buries the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], (PermissionDenied, Http404)):
            record.exc_info = None
            record.exc_text = None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
