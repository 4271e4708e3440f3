"""What every API endpoint shares: authentication, errors as JSON in the request's language.

Authentication: a browser's session (with Django's CSRF check on writes) or a bearer token issued by
``jiedao issue-token``. Scope is not applied here but by the selectors every endpoint calls
(core.scope); ``require`` checks the role's permission.
"""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from jiedao.core.models import ApiToken
from jiedao.core.scope import ensure_perm


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are stored as SHA-256 digests and can be revoked."""

    def authenticate(self, request, token):
        try:
            api_token = ApiToken.objects.select_related("user__subdistrict").get(
                digest=ApiToken.digest_of(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        now = timezone.now()
        # One write a minute at most, not one per request.
        if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


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
        return api.create_response(request, {"detail": _("对象不存在")}, status=404)

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

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
