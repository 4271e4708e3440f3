"""Registry endpoints: search, household files, reveal (audited), counts, household codes."""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core.access import ensure_perm
from jiedao.core.contributions import section_data_for_household
from jiedao.core.crypto import mask_id_number, mask_phone
from jiedao.core.roles import Perm
from jiedao.registry import exports, selectors, services

router = Router(tags=["registry"])


class ResidentOut(Schema):
    id: int
    household_id: int
    name: str
    id_number: str
    phone: str
    sex: str
    birth_date: dt.date
    relation: str
    residence_status: str
    care_colour: str
    care_reason: str
    address: str
    moved_out_on: dt.date | None

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_address(obj) -> str:
        return f"{obj.household}"


class SearchIn(Schema):
    name: str = ""
    address: str = ""
    id_number: str = ""
    phone_last4: str = ""
    tag: str = ""
    colour: str = ""
    community_id: int | None = None
    include_moved_out: bool = False


@router.post("/residents/search", response=list[ResidentOut], summary="查找居民（身份证号只走 POST 正文，不进网址）")
@paginate(LimitOffsetPagination)
def search(request, body: SearchIn):
    return selectors.resident_search(user=request.user, filters=body.dict())


@router.get("/residents", response=list[ResidentOut], summary="居民列表（按姓名、尾号、标签、分色筛选）")
@paginate(LimitOffsetPagination)
def residents(request, name: str = "", phone_last4: str = "", tag: str = "", colour: str = "",
              community_id: int | None = None):
    filters = {"name": name, "phone_last4": phone_last4, "tag": tag, "colour": colour, "community_id": community_id}
    return selectors.resident_search(user=request.user, filters=filters)


class PersonOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    age: int
    relation: str
    residence_status: str
    care_colour: str
    care_reason: str
    tags: list[str]
    moved_out_on: dt.date | None


class SectionOut(Schema):
    """A section other apps add to the household file (core.contributions.household_sections), as the
    reader may see it: its code (``cases.cases``, ``visits.visits`` …), title and the app's own data."""

    code: str
    title: str
    data: Any


class HouseholdOut(Schema):
    id: int
    code: str
    address: str
    room: str
    community: str
    grid: str
    care_colour: str
    residents: list[PersonOut]
    sections: list[SectionOut]


@router.get("/households/{household_id}", response=HouseholdOut, summary="一户一档")
def household(request, household_id: int):
    hh = selectors.get_household(user=request.user, household_id=household_id)
    file = selectors.household_file(household=hh)
    return {
        "id": hh.pk, "code": hh.code, "address": str(hh), "room": hh.room,
        "community": hh.building.community.name, "grid": hh.building.grid.name, "care_colour": hh.care_colour,
        "residents": [
            {"id": p["resident"].pk, "name": p["resident"].name, "id_number": p["id_number_masked"],
             "phone": p["phone_masked"], "age": p["age"], "relation": p["resident"].relation,
             "residence_status": p["resident"].residence_status, "care_colour": p["resident"].care_colour,
             "care_reason": p["resident"].care_reason, "tags": p["tags"],
             "moved_out_on": p["resident"].moved_out_on}
            for p in file["people"]
        ],
        "sections": section_data_for_household(user=request.user, household=hh),
    }


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


@router.post("/residents/{resident_id}/reveal", response=RevealOut, summary="查看明文（需事由，记入审计）")
def reveal(request, response: HttpResponse, resident_id: int, body: RevealIn):
    response["Cache-Control"] = "no-store"  # the plain value: in no cache, shared or the browser's
    resident = selectors.get_resident(user=request.user, resident_id=resident_id)
    value = services.reveal(resident=resident, field=body.field, by=request.user, reason=body.reason)
    return {"field": body.field, "value": value}


class TagIn(Schema):
    tag: str
    note: str = ""


@router.post("/residents/{resident_id}/tags", response={200: dict}, summary="添加标签")
def add_tag(request, resident_id: int, body: TagIn):
    resident = selectors.get_resident(user=request.user, resident_id=resident_id)
    created = services.add_tag(resident=resident, tag=body.tag, by=request.user, note=body.note)
    resident.refresh_from_db()
    return {"created": created, "care_colour": resident.care_colour, "care_reason": resident.care_reason}


@router.delete("/residents/{resident_id}/tags/{tag}", response={200: dict}, summary="移除标签")
def remove_tag(request, resident_id: int, tag: str):
    resident = selectors.get_resident(user=request.user, resident_id=resident_id)
    removed = services.remove_tag(resident=resident, tag=tag, by=request.user)
    resident.refresh_from_db()
    return {"removed": removed, "care_colour": resident.care_colour, "care_reason": resident.care_reason}


@router.get("/stats/colours", response=list[dict], summary="各居委分色与标签人数")
def colour_stats(request):
    return selectors.colour_counts(user=request.user)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/export.xlsx", summary="导出居民（脱敏，记入审计；超过后台导出门槛时请用 POST /exports）")
def export(request, tag: str = "", colour: str = "", community_id: int | None = None):
    ensure_perm(request.user, Perm.EXPORT_REGISTRY)
    filters = {"tag": tag, "colour": colour, "community_id": community_id}
    qs = selectors.resident_search(user=request.user, filters=filters)
    total = qs.count()
    if total > exports.inline_limit():
        message = _("结果有 %(total)s 人，超过 %(limit)s 人的导出请用 POST /api/v1/registry/exports 在后台生成")
        raise HttpError(409, message % {"total": total, "limit": exports.inline_limit()})
    data = services.export_xlsx(residents=qs, by=request.user, filters=exports.audited_filters(filters))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="residents.xlsx"'
    return response


class ExportIn(Schema):
    name: str = ""
    address: str = ""
    phone_last4: str = ""
    tag: str = ""
    colour: str = ""
    community_id: int | None = None


class ExportOut(Schema):
    id: int
    status: str
    status_label: str
    percent: int
    rows_done: int
    rows_total: int
    problem: str
    failed: bool
    ready: bool
    file: str | None


def _export_out(request, export) -> dict:
    state = exports.export_state(export=export, user=request.user)
    state["file"] = f"/api/v1/registry/exports/{export.pk}/residents.xlsx" if state["ready"] else None
    return state


@router.post("/exports", response={202: ExportOut}, summary="后台导出居民（大批量；脱敏，记入审计，只供申请人下载）")
def start_export(request, body: ExportIn):
    export_row = services.start_export(filters=body.dict(), by=request.user)
    return 202, _export_out(request, export_row)


@router.get("/exports/{export_id}", response=ExportOut, summary="后台导出的进度")
def export_progress(request, export_id: int):
    return _export_out(request, exports.get_export(user=request.user, export_id=export_id))


@router.get("/exports/{export_id}/residents.xlsx", summary="下载后台导出的文件（只供申请人）")
def export_download(request, export_id: int):
    export_row = exports.get_export(user=request.user, export_id=export_id)
    if export_row.status != export_row.Status.DONE:
        raise HttpError(409, _("文件尚未生成"))
    response = HttpResponse(exports.export_file(export=export_row, by=request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="residents.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
