"""Reads behind the public GeoReport v2 endpoints: jurisdictions, services and service requests.

Everything here is public (no key is needed to read), so a request carries only what a passer-by could
see on the street: the problem, where, its category, the department handling it, its time limit and the
last public step of its timeline in fixed wording. Never the reporter's name or phone, never a handler's
note (notes can quote the caller), and never our photos (they are served only to staff who may see the
case); phone and ID numbers are masked in the text, however they are written (core.public_text).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.cases.models import Case, CaseEvent, Category, Channel, EventKind, Status
from jiedao.cases.open311.serializers import parse_w3c, w3c
from jiedao.core.models import Subdistrict
from jiedao.core.public_text import mask_public_text

MAX_RESULTS = 1000                       # the spec's ceiling on one GET requests answer
DEFAULT_WINDOW = dt.timedelta(days=90)   # the spec's default range and the longest range a query may span
CLOSED_STATUSES = (Status.CLOSED, Status.CANCELLED)


class NotFound(Exception):
    """A jurisdiction, service, request or token that does not exist (HTTP 404 in the spec's format)."""


def default_jurisdiction() -> Subdistrict | None:
    """The subdistrict served when a request names none: the one settings.DEFAULT_SUBDISTRICT names
    (JIEDAO_DEFAULT_SUBDISTRICT, which the demo sets to Caoyang), else the installation's only one; None
    when it serves several and names no default."""
    code = settings.DEFAULT_SUBDISTRICT
    if code:
        found = Subdistrict.objects.filter(code=code).first()
        if found is None:
            raise ImproperlyConfigured(f"JIEDAO_DEFAULT_SUBDISTRICT={code} names no subdistrict")
        return found
    only = list(Subdistrict.objects.order_by("code")[:2])
    return only[0] if len(only) == 1 else None


def jurisdiction(*, code: str | None) -> Subdistrict:
    """The subdistrict a request is about: ``jurisdiction_id`` is its 9-digit code (e.g. 310107005);
    without one, the default (default_jurisdiction). An installation serving several subdistricts with no
    default needs jurisdiction_id, as the spec has it."""
    code = (code or "").strip()
    if code:
        found = Subdistrict.objects.filter(code=code).first()
        if found is None:
            raise NotFound(_("未知的 jurisdiction_id：%(id)s") % {"id": code[:20]})
        return found
    found = default_jurisdiction()
    if found is None:
        codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
        if not codes:
            raise NotFound(_("本系统尚未配置街道"))
        raise ValidationError({"jurisdiction_id": _("本系统服务多个街道，请提供 jurisdiction_id（街道代码：%(codes)s）")
                               % {"codes": "、".join(codes)}})
    return found


# --------------------------------------------------------------------------------------------- services


def services() -> QuerySet[Category]:
    """Every active category is a service; its code is the service_code."""
    return Category.objects.filter(active=True).order_by("family", "code")


def service(*, code: str) -> Category:
    found = services().filter(code=code).first()
    if found is None:
        raise NotFound(_("未知的 service_code：%(code)s") % {"code": code[:20]})
    return found


def service_dict(*, category: Category) -> dict:
    family = category.get_family_display()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{family} / {category.major_name} / {category.name}",
        "metadata": False,        # no attributes to ask for (see service_definition_dict)
        "type": "realtime",       # POST creates the case at once and answers its number
        "keywords": ", ".join([str(family), category.major_name]),
        "group": category.major_name,
    }


def service_definition_dict(*, category: Category) -> dict:
    # A case needs nothing beyond the standard POST fields, so the attribute list is empty: clients
    # may send attribute[...] values, which are ignored.
    return {"service_code": category.code, "attributes": []}


# --------------------------------------------------------------------------------------------- requests

# The steps of the timeline a member of the public sees, in fixed wording; the others (notes,
# reclassification, manual placement, extension requests, overdue warnings) are internal.
PUBLIC_KINDS = (
    EventKind.CREATED, EventKind.REGISTERED, EventKind.DISPATCHED, EventKind.RETURNED, EventKind.ACCEPTED,
    EventKind.CONTACTED, EventKind.EXTENSION_APPROVED, EventKind.HANDLED, EventKind.REWORK, EventKind.CLOSED,
    EventKind.SUSPENDED, EventKind.RESUMED, EventKind.CANCELLED, EventKind.MERGED, EventKind.VISITED,
    EventKind.REOPENED,
)


_NOTES = {
    EventKind.CREATED: gettext_lazy("已收到，等待受理"),
    EventKind.REGISTERED: gettext_lazy("已受理立案，等待派遣"),
    EventKind.DISPATCHED: gettext_lazy("已派遣，等待处置部门签收"),
    EventKind.REOPENED: gettext_lazy("重新派遣办理"),
    EventKind.RETURNED: gettext_lazy("正在重新派遣"),
    EventKind.ACCEPTED: gettext_lazy("处置部门已签收，正在处置"),
    EventKind.CONTACTED: gettext_lazy("处置部门已与反映人联系，正在处置"),
    EventKind.EXTENSION_APPROVED: gettext_lazy("经批准延期办理"),
    EventKind.HANDLED: gettext_lazy("处置部门已反馈处置结果，等待核查"),
    EventKind.REWORK: gettext_lazy("核查未通过，重新处置"),
    EventKind.CLOSED: gettext_lazy("已办结"),
    EventKind.SUSPENDED: gettext_lazy("列为长期跟踪事项"),
    EventKind.RESUMED: gettext_lazy("恢复办理"),
    EventKind.CANCELLED: gettext_lazy("不予立案，已作废"),
    EventKind.MERGED: gettext_lazy("与其他案件反映的是同一问题，已合并办理"),
    EventKind.VISITED: gettext_lazy("已办结并回访"),
}


def status_note(*, kind: str | None, case: Case) -> str | None:
    """The latest public step of the case in plain language (status_notes)."""
    department = case.department.name if case.department_id else ""
    if kind in (EventKind.DISPATCHED, EventKind.REOPENED) and department:
        return _("已派遣至%(department)s办理") % {"department": department}
    if kind == EventKind.ACCEPTED and department:
        return _("%(department)s已签收，正在处置") % {"department": department}
    if kind == EventKind.MERGED and case.duplicate_of_id:
        return _("与案件 %(number)s 反映的是同一问题，已合并办理") % {"number": case.duplicate_of.number}
    note = _NOTES.get(kind)
    return str(note) if note is not None else None


_ROOM = re.compile(r"\s*\d+(?:-\d+)?\s*(?:室|户)")
_ROOM_NUMBER = re.compile(r"\d+(?:-\d+)?(?=\s*(?:室|户))")


def public_text(text: str) -> str:
    """Text for the public: ID and phone numbers masked in every written form (core.public_text:
    138****5678), and room numbers hidden (**室), since a room points at one household."""
    return _ROOM_NUMBER.sub("**", mask_public_text(text))


def public_address(address: str) -> str:
    """The address down to the building: a room number points at a household."""
    return public_text(_ROOM.split(address, maxsplit=1)[0]).strip()


def public_cases(*, subdistrict: Subdistrict) -> QuerySet[Case]:
    """The subdistrict's cases with what the public representation needs, in one query. A case about one
    household's home (linked to a registry household, or found on a 走访) is not public: its place and text
    point at the household."""
    last = CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=PUBLIC_KINDS).order_by("-at", "-id")
    return (
        Case.objects.filter(subdistrict=subdistrict, household__isnull=True).exclude(channel=Channel.VISIT)
        .select_related("category", "suggested_category", "department", "process", "building__road",
                        "duplicate_of")
        .annotate(last_kind=Subquery(last.values("kind")[:1]), last_at=Subquery(last.values("at")[:1]))
        .order_by("-reported_at", "-id")
    )


@dataclass
class RequestQuery:
    service_request_id: str = ""
    service_code: str = ""
    start_date: str = ""
    end_date: str = ""
    status: str = ""


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def find_requests(*, subdistrict: Subdistrict, query: RequestQuery, now: dt.datetime | None = None) -> list[Case]:
    """GET requests: by ``service_request_id`` (a comma list, which overrides every other filter), else by
    service codes, a requested_datetime range (default: the last 90 days; at most 90 days) and status
    (open, closed); newest first, at most 1000."""
    qs = public_cases(subdistrict=subdistrict)
    ids = _comma_list(query.service_request_id)
    if ids:
        return list(qs.filter(number__in=ids[:MAX_RESULTS])[:MAX_RESULTS])
    codes = _comma_list(query.service_code)
    if codes:
        qs = qs.filter(effective_category_id__in=Category.objects.filter(code__in=codes).values("pk"))
    start, end = _date_range(query.start_date, query.end_date, now=now or timezone.now())
    qs = qs.filter(reported_at__gte=start, reported_at__lt=end)
    statuses = _comma_list(query.status)
    unknown = [s for s in statuses if s not in ("open", "closed")]
    if unknown:
        raise ValidationError({"status": _("status 只能是 open 或 closed：%(value)s") % {"value": unknown[0][:20]}})
    if set(statuses) == {"open"}:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    elif set(statuses) == {"closed"}:
        qs = qs.filter(status__in=CLOSED_STATUSES)
    return list(qs[:MAX_RESULTS])


def _date_range(start_text: str, end_text: str, *, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of requested_datetime. A date-only end_date includes that whole day."""
    start = end = None
    if start_text:
        start, _date_only = parse_w3c(start_text, field="start_date")
    if end_text:
        end, date_only = parse_w3c(end_text, field="end_date")
        end = end + dt.timedelta(days=1) if date_only else end + dt.timedelta(microseconds=1)
    if start is None and end is None:
        end = now + dt.timedelta(microseconds=1)
    if start is None:
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    if end <= start:
        raise ValidationError({"end_date": _("end_date 不能早于 start_date")})
    if end - start > DEFAULT_WINDOW + dt.timedelta(days=1):
        raise ValidationError({"end_date": _("start_date 与 end_date 相隔不能超过 90 天")})
    return start, end


def find_request(*, subdistrict: Subdistrict, number: str) -> Case:
    found = public_cases(subdistrict=subdistrict).filter(number=number).first()
    if found is None:
        raise NotFound(_("未知的 service_request_id：%(id)s") % {"id": number[:30]})
    return found


def open311_media_urls(*, cases: list[Case]) -> dict[int, str]:
    """The media_url a client posted with each Open311 request (kept in the case's first event)."""
    ids = [c.pk for c in cases]
    rows = CaseEvent.objects.filter(case_id__in=ids, kind=EventKind.CREATED, data__has_key="open311") \
        .values_list("case_id", "data")
    return {case_id: data["open311"].get("media_url") for case_id, data in rows if data["open311"].get("media_url")}


def request_dict(*, case: Case, media_url: str | None = None) -> dict:
    """One service request as the spec lists its fields, ids as strings."""
    category = case.category or case.suggested_category
    notice = None
    if case.process_id and case.status not in CLOSED_STATUSES:
        notice = _("办理时限：%(limit)s") % {"limit": case.process.limit_label}
    return {
        "service_request_id": case.number,
        "status": "closed" if case.status in CLOSED_STATUSES else "open",
        "status_notes": status_note(kind=getattr(case, "last_kind", None), case=case),
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": public_text(case.description),
        "agency_responsible": case.department.name if case.department_id else None,
        "service_notice": notice,
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(getattr(case, "last_at", None) or case.reported_at),
        "expected_datetime": w3c(case.handle_due) if case.status not in CLOSED_STATUSES else None,
        "address": public_address(case.address) or (case.building.address if case.building_id else None),
        "address_id": case.building.code if case.building_id else None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": media_url,
    }
