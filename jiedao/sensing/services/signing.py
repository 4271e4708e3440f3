"""Signed webhooks: how a vendor that cannot speak MQTT signs what it posts to ``/api/v1/sensing/events``.

The signature is HMAC-SHA256, keyed with the device's secret, over ``"{timestamp}.{body}"`` (the Unix time
in seconds, a dot, the raw body), sent as ``X-Jiedao-Signature: sha256=<hex>`` with
``X-Jiedao-Timestamp: <timestamp>``. Signing the timestamp with the body means it cannot be changed; a
request more than ``MAX_SKEW`` seconds from the server's clock is refused, and one sent again within that
time names an event already received, which is refused too (``(device, id)`` is unique).
"""

import hashlib
import hmac
import time

MAX_SKEW = 300  # seconds
SIGNATURE_HEADER = "X-Jiedao-Signature"
TIMESTAMP_HEADER = "X-Jiedao-Timestamp"


def sign(body: bytes, *, secret: str, timestamp: int | str) -> str:
    """The ``X-Jiedao-Signature`` value for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, *, secret: str, now: float | None = None) -> dict[str, str]:
    """Both headers for a request sent now (what a vendor's client does; the simulator and tests use it)."""
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(body, secret=secret, timestamp=timestamp)}


def valid_signature(body: bytes, *, secret: str, timestamp: str, signature: str) -> bool:
    if not timestamp or not signature:
        return False
    return hmac.compare_digest(sign(body, secret=secret, timestamp=timestamp), signature.strip())


def fresh(timestamp: str, *, now: float | None = None) -> bool:
    """True when ``timestamp`` is within ``MAX_SKEW`` seconds of now."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs((time.time() if now is None else now) - sent) <= MAX_SKEW
