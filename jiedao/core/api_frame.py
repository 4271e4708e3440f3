"""What every API endpoint shares: authentication, errors as JSON in the request's language.

Authentication: a browser's session (with Django's CSRF check on writes) or a bearer token issued by
``jiedao issue-token``; wrong tokens count against their address (core.throttle), and a locked address
gets 429. Scope is not applied here but by the selectors every endpoint calls
(core.scope); ``require`` checks the role's permission.
"""

import copy
import errno
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, InternalError, OperationalError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from jiedao.core import rows, throttle
from jiedao.core.access import ensure_perm
from jiedao.core.cache import ProcessCache
from jiedao.core.models import ApiToken, Subdistrict

_subdistricts: ProcessCache[Subdistrict | None] = ProcessCache(ttl=60, cleared_by=[Subdistrict])


def _subdistrict(pk: int) -> Subdistrict | None:
    """The subdistrict, from a per-process copy: a save in this process clears it at once, and it is read
    again after a minute (another process's save, a bulk update). Each request gets its own copy."""
    found = _subdistricts.get(pk, lambda: Subdistrict.objects.filter(pk=pk).first())
    return copy.copy(found) if found is not None else None


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are stored as SHA-256 digests and can be revoked."""

    def authenticate(self, request, token):
        now = timezone.now()
        # The lookup bypasses the ORM (core.rows says why). token_stale: last used more than a minute ago,
        # so that last_used_at is written once a minute at most, not on every request.
        user = rows.token_user(ApiToken.digest_of(token), stale_before=now - timedelta(minutes=1))
        if user is None or not user.is_active:
            # Counted per address by django-axes; raises TooManyFailures (429) once the address is locked.
            throttle.count_failed_credential(throttle.API_TOKEN)
            return None
        if user.subdistrict_id is not None:
            user.subdistrict = _subdistrict(user.subdistrict_id)
        if user.token_stale:
            ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
        request.user = user
        return user


AUTH = [BearerToken(), SessionAuth(csrf=True)]
logger = logging.getLogger("jiedao.api")


def require(request, perm: str) -> None:
    """Refuse (403) a user whose role lacks ``perm``."""
    ensure_perm(request.user, perm)


def _message(exc: Exception, fallback: str) -> str:
    text = str(exc.args[0]) if getattr(exc, "args", None) and exc.args and exc.args[0] else ""
    return text or fallback


def configure(api: NinjaAPI) -> None:
    """Install the shared error handlers on the project's API."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": _("需要登录或有效的接口令牌")}, status=401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": _message(exc, _("无权访问"))}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        # The same answer for a row that does not exist and one outside the scope (core.access.get_in_scope).
        return api.create_response(request, {"detail": _("对象不存在或不在您的数据范围内")}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        if hasattr(exc, "message_dict"):
            errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
        else:
            errors = [{"field": "", "message": m} for m in exc.messages]
        # Field names only: messages can quote what the user typed, which may be personal.
        logger.info("rejected %s %s: invalid %s", request.method, request.path, [e["field"] for e in errors])
        return api.create_response(
            request, {"detail": errors[0]["message"] if errors else _("输入有误"), "errors": errors}, status=422
        )

    @api.exception_handler(NinjaValidationError)
    def invalid_shape(request, exc):
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        logger.info("rejected %s %s: malformed %s", request.method, request.path, [e["field"] for e in errors])
        return api.create_response(request, {"detail": _("请求格式有误"), "errors": errors}, status=422)

    @api.exception_handler(throttle.TooManyFailures)
    def too_many_failures(request, exc):
        response = api.create_response(request, {"detail": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response

    def unavailable(request, exc):
        # The database went away mid-request (a restart, a cut connection): the client should send again,
        # which intake's idempotency makes safe. Django drops the broken connection at the request's end.
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, exc.__class__.__name__)
        response = api.create_response(request, {"detail": _("数据库暂时不可用，请稍后重试")}, status=503)
        response["Retry-After"] = "5"
        return response

    api.add_exception_handler(OperationalError, unavailable)
    api.add_exception_handler(InterfaceError, unavailable)
    api.add_exception_handler(InternalError, unavailable)  # e.g. a read-only transaction on PostgreSQL

    @api.exception_handler(OSError)
    def storage_failed(request, exc):
        if exc.errno != errno.ENOSPC:
            raise exc
        logger.error("disk full during %s %s", request.method, request.path)
        return api.create_response(request, {"detail": _("服务器存储空间已满，请联系管理员后重试")}, status=507)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
