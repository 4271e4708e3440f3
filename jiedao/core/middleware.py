"""Request context for code that runs deep inside a request (audit records need "from where")."""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    user_agent: str
    path: str
    user: Any = None  # the signed-in user (lazy), for records made where no actor is passed (core.signals)


current_request: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)


def client_ip(request) -> str | None:
    # Behind the production reverse proxy (JIEDAO_TRUST_PROXY, docs/operations.md) the client is the last
    # X-Forwarded-For hop, the one the proxy added: earlier hops are whatever the client chose to send, and
    # the sign-in lock (core.throttle) counts failures per address.
    from django.conf import settings

    if getattr(settings, "TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or None


def request_context(get_response):
    def middleware(request):
        token = current_request.set(
            RequestInfo(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                path=request.path[:200],
                user=getattr(request, "user", None),
            )
        )
        try:
            return get_response(request)
        finally:
            current_request.reset(token)

    return middleware
