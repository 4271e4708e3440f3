"""Open311 GeoReport v2 under /open311/v2/ (http://wiki.open311.org/GeoReport_v2/), see docs/open311.md.

Each endpoint answers in the format its suffix names (``.json`` or ``.xml``); errors use the spec's format
(a list of {code, description}) with the HTTP status as the code, in the language of Accept-Language
(Chinese by default). Reads are public; POST requests authenticates by ``api_key`` instead of a session,
so it is exempt from the CSRF check.
"""

import logging
from dataclasses import fields
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jiedao.cases.open311 import selectors, services
from jiedao.cases.open311.serializers import FORMATS, error_list, render

logger = logging.getLogger("jiedao.open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+08:00"  # when this endpoint's behaviour last changed


def _errors(status: int, messages: list[str], fmt: str):
    return render(error_list(status, messages), fmt=fmt if fmt in FORMATS else "json", root="errors", status=status)


def endpoint(*methods: str):
    """Format check, allowed methods, and every failure in the spec's error format."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            if fmt not in FORMATS:
                return _errors(404, [_("不支持的格式：%(fmt)s，请用 .json 或 .xml") % {"fmt": fmt[:10]}], "json")
            if request.method not in methods:
                response = _errors(405, [_("不支持 %(method)s 请求") % {"method": request.method}], fmt)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                response = view(request, *args, fmt=fmt, **kwargs)
            except RequestDataTooBig:
                logger.info("open311 rejected %s %s: request body too large", request.method, request.path)
                mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
                return _errors(413, [_("请求内容太大：最多 %(mb).1f MB（description 最多 2000 字）") % {"mb": mb}], fmt)
            except SuspiciousOperation:
                logger.warning("open311 rejected %s %s: suspicious request", request.method, request.path)
                return _errors(400, [_("请求格式有误")], fmt)
            except selectors.NotFound as exc:
                return _errors(404, [str(exc)], fmt)
            except PermissionDenied as exc:
                return _errors(403, [str(exc) or _("无权访问")], fmt)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    # Parameter names only in the log: messages can quote what the client sent.
                    logger.info("open311 rejected %s %s: %s", request.method, request.path, sorted(exc.message_dict))
                    messages = [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
                else:
                    messages = exc.messages
                return _errors(400, messages, fmt)
            except Exception:
                logger.exception("open311 failed: %s %s", request.method, request.path)
                return _errors(500, [_("服务器内部错误，请稍后再试")], fmt)
            if request.method == "GET":
                response["Access-Control-Allow-Origin"] = "*"  # public data, for civic web apps
            return response

        return wrapper

    return decorate


@endpoint("GET")
def discovery(request, *, fmt: str):
    """Service discovery: where this endpoint is and which formats it speaks."""
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    body = {
        "changeset": CHANGESET,
        "contact": _("街道城市运行管理中心（城运中心）"),
        "key_service": _("向街道城运中心申请 api_key；管理员用 jiedao open311-key 签发"),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": url,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return render(body, fmt=fmt, root="discovery")


def index(request):
    """/open311/v2/ itself answers the discovery document (in JSON), so that whoever starts there finds the
    endpoints, formats and how to get a key."""
    return discovery(request, fmt="json")


@endpoint("GET")
def service_list(request, *, fmt: str):
    selectors.jurisdiction(code=request.GET.get("jurisdiction_id"))
    body = [selectors.service_dict(category=c) for c in selectors.services()]
    return render(body, fmt=fmt, root="services")


@endpoint("GET")
def service_definition(request, code: str, *, fmt: str):
    selectors.jurisdiction(code=request.GET.get("jurisdiction_id"))
    category = selectors.service(code=code)
    return render(selectors.service_definition_dict(category=category), fmt=fmt, root="service_definition")


@endpoint("GET", "POST")
def requests(request, *, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    subdistrict = selectors.jurisdiction(code=request.GET.get("jurisdiction_id"))
    query = selectors.RequestQuery(**{name: request.GET.get(name, "") for name in (
        "service_request_id", "service_code", "start_date", "end_date", "status")})
    cases = selectors.find_requests(subdistrict=subdistrict, query=query)
    media = selectors.open311_media_urls(cases=cases)
    body = [selectors.request_dict(case=c, media_url=media.get(c.pk)) for c in cases]
    return render(body, fmt=fmt, root="service_requests")


def _post_request(request, fmt: str):
    key = services.authenticate(api_key=request.POST.get("api_key"))
    if request.POST.get("jurisdiction_id"):
        if selectors.jurisdiction(code=request.POST["jurisdiction_id"]) != key.subdistrict:
            raise PermissionDenied(_("该 api_key 不能为这个 jurisdiction_id 提交"))
    submission = services.Submission(**{f.name: request.POST.get(f.name, "") for f in fields(services.Submission)})
    token = services.submit_request(key=key, submission=submission)
    body = [{
        "token": token.token,
        "service_request_id": token.case.number,
        "service_notice": _("已收到，城运中心受理后将派遣处置部门办理"),
        "account_id": None,
    }]
    return render(body, fmt=fmt, root="service_requests", status=201)


@endpoint("GET")
def request_detail(request, number: str, *, fmt: str):
    subdistrict = selectors.jurisdiction(code=request.GET.get("jurisdiction_id"))
    case = selectors.find_request(subdistrict=subdistrict, number=number)
    media = selectors.open311_media_urls(cases=[case])
    return render([selectors.request_dict(case=case, media_url=media.get(case.pk))], fmt=fmt, root="service_requests")


@endpoint("GET")
def token(request, value: str, *, fmt: str):
    from jiedao.cases.models import Open311Token

    subdistrict = selectors.jurisdiction(code=request.GET.get("jurisdiction_id"))
    found = Open311Token.objects.select_related("case").filter(token=value, case__subdistrict=subdistrict).first()
    if found is None:
        raise selectors.NotFound(_("未知的 token：%(token)s") % {"token": value[:40]})
    body = [{"service_request_id": found.case.number, "token": found.token}]
    return render(body, fmt=fmt, root="service_requests")
