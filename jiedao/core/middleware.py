"""Request context for code that runs deep inside a request (audit records need "from where")."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    user_agent: str
    path: str


current_request: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)


def client_ip(request) -> str | None:
    # Behind the production reverse proxy the first X-Forwarded-For hop is the client; set
    # JIEDAO_TRUST_PROXY only when such a proxy strips what clients send.
    from django.conf import settings

    if getattr(settings, "TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def request_context(get_response):
    def middleware(request):
        token = current_request.set(
            RequestInfo(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                path=request.path[:200],
            )
        )
        try:
            return get_response(request)
        finally:
            current_request.reset(token)

    return middleware
