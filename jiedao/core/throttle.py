"""Guessing of passwords, API tokens and Open311 keys: counted and locked by django-axes (登录失败锁定).

Sign-in: axes' authentication backend refuses an account or an address after ``AXES_FAILURE_LIMIT``
failures within ``AXES_COOLOFF_TIME``, the right password included, and ``lockout_response`` shows the
sign-in page with the reason (429). API tokens and Open311 keys: a failed one is reported to axes as a
failed sign-in of that address (``count_failed_credential``); once the address is locked, every further
failure is answered 429 (API) or 403 (Open311) in the documented error formats. The lock lifts by itself
after the cool-off, or at once when an administrator deletes the attempt in the admin (系统管理 → Axes →
Access attempts) or runs ``jiedao axes_reset_username NAME`` / ``jiedao axes_reset_ip ADDRESS``
(docs/operations.md). Lockouts and lifts are audited (core.signals).

A valid token or key still works from a locked address: both are 256-bit random values that cannot be
guessed in any number of tries, and a lock on them would let one misconfigured client behind a shared
address (a gateway, an office's NAT) shut out every other integration there; it would also cost every API
request a query. Passwords are guessable, so for them the lock holds even against the right one.
"""

from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiedao.core.middleware import current_request

# Credentials that are not an account's password: axes counts their failures per address only.
API_TOKEN = "api_token"
OPEN311_KEY = "open311_key"
MACHINE_CREDENTIALS = {API_TOKEN: "(接口令牌)", OPEN311_KEY: "(Open311 api_key)"}


class TooManyFailures(Exception):
    """The address has failed too often with a token or key; ``message`` says for how long it is locked."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def lockout_parameters(request, credentials: dict | None = None) -> list[str]:
    """AXES_LOCKOUT_PARAMETERS: a password is locked per account and per address (either reaching the
    limit locks); a token or key, which names no account, per address."""
    if credentials and credentials.get("credential") in MACHINE_CREDENTIALS:
        return ["ip_address"]
    return ["username", "ip_address"]


def cool_off_minutes() -> int:
    cool_off = get_cool_off() or timedelta(0)
    return max(1, round(cool_off.total_seconds() / 60))


def lockout_message() -> str:
    return _("登录失败次数过多，该账号或地址已暂时锁定。请 %(minutes)s 分钟后再试，或联系系统管理员解锁。") % {
        "minutes": cool_off_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, with the reason, answering 429."""
    message = lockout_message()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=429)
    from django.contrib.auth.forms import AuthenticationForm

    response = render(request, "core/login.html", {
        "form": AuthenticationForm(request), "locked": message, "next": request.POST.get("next", ""),
    }, status=429)
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response


def _probe() -> HttpRequest | None:
    """The current request as axes needs to see it: address, agent and path, without its parameters.
    Axes keeps a failed request's GET and POST data, and an API or Open311 request's can carry residents'
    personal data (a reporter's name and phone)."""
    info = current_request.get()
    if info is None or not info.ip:
        return None
    probe = HttpRequest()
    probe.method = "POST"
    probe.path = probe.path_info = info.path
    # The address is already the client's (core.middleware.client_ip read any trusted proxy header).
    probe.META = {"REMOTE_ADDR": info.ip, "HTTP_USER_AGENT": info.user_agent, "PATH_INFO": info.path}
    return probe


def count_failed_credential(credential: str) -> None:
    """Report a wrong API token or Open311 key of the current request to axes (and so to the audit log,
    as a failed sign-in); raise TooManyFailures when its address is now locked."""
    if not getattr(settings, "AXES_ENABLED", True):
        return
    probe = _probe()
    if probe is None:
        return
    user_login_failed.send(sender=__name__, request=probe,
                           credentials={"username": MACHINE_CREDENTIALS[credential], "credential": credential})
    if getattr(probe, "axes_locked_out", False):
        raise TooManyFailures(
            _("该地址的凭据错误次数过多，已暂时锁定。请 %(minutes)s 分钟后再试。") % {"minutes": cool_off_minutes()},
            retry_after=cool_off_minutes() * 60,
        )
