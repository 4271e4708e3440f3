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


SESSION_SEEN_KEY = "_seen"  # when the session's end was last moved forward (epoch seconds)
SESSION_REFRESH_SECONDS = 300


def session_idle_timeout(get_response):
    """A signed-in session ends SESSION_COOKIE_AGE after its last request (8 hours by default).

    Django moves a session's end only when the session is saved. SESSION_SAVE_EVERY_REQUEST would save it on
    every page, one more write per request; here it is saved when the last save is five minutes old, so the
    session ends between 8 h and 8 h 5 min after the user's last request. Sign-in (core.signals) sets the
    mark, so a new session is not written twice."""
    import time

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request already read: checking an untouched one would cost a query.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - session.get(SESSION_SEEN_KEY, 0) >= SESSION_REFRESH_SECONDS:
                session[SESSION_SEEN_KEY] = now
        return response

    return middleware


def mark_session_seen(session) -> None:
    import time

    session[SESSION_SEEN_KEY] = int(time.time())
