"""The JSON API (django-ninja): /api/v1/…, OpenAPI at /api/docs. Each module adds its router here."""

import logging
import sqlite3

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from jiedao.core.api_frame import AUTH, configure

logger = logging.getLogger("jiedao.api")

api = NinjaAPI(
    title="Jiedao 街道 API",
    version="1",
    description="街道数字治理平台接口。浏览器用会话登录，程序用 `Authorization: Bearer <token>`"
    "（`jiedao issue-token USERNAME` 签发）。",
    urls_namespace="api",
    docs_url="/docs",
    auth=AUTH,
)
configure(api)


# What a client sent that the database cannot hold. An integer of 2⁶³ or more passes the schemas (Python's
# int has no bound) and reaches the query: SQLite's driver cannot bind it (OverflowError), PostgreSQL refuses
# it as a bigint (DataError), and SQLite refuses it written into LIMIT/OFFSET (SQLITE_MISMATCH, which Django
# reports as an IntegrityError). Each is the client's input, so a 422 in the API's format, not a 500.
def _out_of_range(request, exc):
    # The exception's class only: its text can quote the value sent.
    logger.info("rejected %s %s: value out of range (%s)", request.method, request.path, type(exc).__name__)
    return api.create_response(request, {"detail": _("请求中的数值超出允许范围"), "errors": []}, status=422)


api.add_exception_handler(OverflowError, _out_of_range)
api.add_exception_handler(DataError, _out_of_range)


@api.exception_handler(IntegrityError)
def _integrity(request, exc):
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error) and getattr(cause, "sqlite_errorname", "") == "SQLITE_MISMATCH":
        return _out_of_range(request, exc)
    raise exc  # a constraint the code should have checked: a server error, logged as one


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    logger.info("rejected %s %s: request body too large", request.method, request.path)
    return api.create_response(request, {"detail": _("请求内容太大"), "errors": []}, status=413)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc):
    logger.warning("rejected %s %s: %s", request.method, request.path, type(exc).__name__)
    return api.create_response(request, {"detail": _("请求格式有误"), "errors": []}, status=400)


api.add_router("/v1/core", "jiedao.core.api.router")
api.add_router("/v1/geo", "jiedao.geo.api.router")
api.add_router("/v1/registry", "jiedao.registry.api.router")
api.add_router("/v1/planning", "jiedao.planning.api.router")
api.add_router("/v1/cases", "jiedao.cases.api.router")
api.add_router("/v1/case-imports", "jiedao.cases.api_import.router")
api.add_router("/v1/visits", "jiedao.visits.api.router")
api.add_router("/v1/sensing", "jiedao.sensing.api.router")
api.add_router("/v1/facilities", "jiedao.facilities.api.router")
api.add_router("/v1/consult", "jiedao.consult.api.router")
api.add_router("/v1/elevators", "jiedao.elevators.api.router")
api.add_router("/v1/inspections", "jiedao.inspections.api.router")
api.add_router("/v1/inspections/campaigns", "jiedao.inspections.campaigns.api.router")
api.add_router("/v1/safety", "jiedao.inspections.safety.api.router")
