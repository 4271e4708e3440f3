"""Pages of the registry (实有人口 / 一户一码一档): find, register, tag, print codes for, scan and update households.

Views parse, call one selector or service, and render. Role and scope checks live in the selectors and
services; a refusal (PermissionDenied, already audited there) is shown as a 403 page. Personal data stays
masked on every page except the response to an audited reveal, and never goes into a URL.
"""

import functools
import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jiedao.core.access import ensure_perm
from jiedao.core.contributions import sections_for_household
from jiedao.core.crypto import mask_id_number, mask_phone
from jiedao.core.roles import Perm, has_perm
from jiedao.registry import exports, importer, selectors, services, spreadsheets, staging
from jiedao.registry.forms import (
    HouseholdForm,
    IdSearchForm,
    ImportForm,
    MoveOutForm,
    RemoveTagForm,
    ResidentEditForm,
    ResidentForm,
    RevealForm,
    SearchForm,
    SetHeadForm,
    TagForm,
    apply_errors,
)
from jiedao.registry.models import Household, Resident, Tag

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _masked_rows(residents) -> list[dict]:
    return [
        {"resident": r, "id_number_masked": mask_id_number(r.id_number), "phone_masked": mask_phone(r.phone)}
        for r in residents
    ]


# ----------------------------------------------------------------------------- 找人
@login_required
def search(request):
    """Search by GET filters, or by exact ID number through the POSTed form."""
    ensure_perm(request.user, Perm.VIEW_REGISTRY)
    exact = request.method == "POST"
    id_form = IdSearchForm(request.POST if exact else None, prefix="exact")
    form = SearchForm(None if exact else request.GET, user=request.user)
    context = {
        "form": form, "id_form": id_form, "exact": exact, "rows": [], "page": None,
        "can_export": has_perm(request.user, Perm.EXPORT_REGISTRY),
        "can_edit": has_perm(request.user, Perm.EDIT_REGISTRY),
    }
    if exact and id_form.is_valid():
        residents = selectors.resident_search(
            user=request.user, filters={"id_number": id_form.cleaned_data["id_number"], "include_moved_out": True}
        )
        context.update(rows=_masked_rows(residents), id_form=IdSearchForm(prefix="exact"))  # no echo of the number
    elif not exact and form.is_valid():
        try:
            residents = selectors.resident_search(user=request.user, filters=form.filters())
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"community_id": "community"})
        else:
            page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
            query = {k: v for k, v in request.GET.items() if k != "page" and v}
            context.update(page=page, rows=_masked_rows(page), query=urlencode(query))
    status = 400 if form.errors or id_form.errors else 200
    return render(request, "registry/search.html", context, status=status)


@login_required
@require_GET
def export(request):
    """导出 XLSX of the current search, masked and audited (services.export_xlsx); a search bigger than
    ``exports.inline_limit()`` is offered as a background export instead of one long request."""
    ensure_perm(request.user, Perm.EXPORT_REGISTRY)
    form = SearchForm(request.GET, user=request.user)
    if not form.is_valid():
        return HttpResponse(_("筛选条件无效"), status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    try:
        residents = selectors.resident_search(user=request.user, filters=filters)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    total = residents.count()
    if total > exports.inline_limit():
        hidden = [(name, value) for name, value in request.GET.items() if name in form.fields and value]
        return render(request, "registry/export_start.html",
                      {"total": total, "limit": exports.inline_limit(), "hidden": hidden})
    data = services.export_xlsx(residents=residents, by=request.user, filters=exports.audited_filters(filters))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="residents.xlsx"'
    return response


@login_required
@require_POST
def export_start(request):
    """后台导出: start writing the search's file in the background and show its progress."""
    form = SearchForm(request.POST, user=request.user)
    if not form.is_valid():
        return HttpResponse(_("筛选条件无效"), status=400, content_type="text/plain; charset=utf-8")
    try:
        export = services.start_export(filters=form.filters(), by=request.user)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    return redirect("registry:export-detail", export.pk)


def _export_state(request, export) -> dict:
    state = exports.export_state(export=export, user=request.user)
    state["download"] = reverse("registry:export-file", args=[export.pk]) if state["ready"] else ""
    return state


@login_required
@require_GET
@never_cache
def export_detail(request, export_id: int):
    export = exports.get_export(user=request.user, export_id=export_id)
    return render(request, "registry/export_detail.html", {"export": export, "state": _export_state(request, export)})


@login_required
@require_GET
@never_cache
def export_status(request, export_id: int):
    export = exports.get_export(user=request.user, export_id=export_id)
    return JsonResponse(_export_state(request, export))


@login_required
@require_GET
def export_file(request, export_id: int):
    export = exports.get_export(user=request.user, export_id=export_id)
    response = HttpResponse(exports.export_file(export=export, by=request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="residents.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


# ----------------------------------------------------------------------------- 登记新户
@login_required
def household_new(request):
    ensure_perm(request.user, Perm.EDIT_REGISTRY)
    initial = {"building": request.GET.get("building")} if request.GET.get("building", "").isdigit() else {}
    form = HouseholdForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.register_household(
                building=form.cleaned_data["building"], room=form.cleaned_data["room"], by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记 %(household)s，请添加户主") % {"household": household})
            return redirect("registry:household", household.pk)
    return render(request, "registry/household_new.html", {"form": form}, status=400 if form.errors else 200)


# ----------------------------------------------------------------------------- 一户一档
def _qr_svg(request, token: str) -> str:
    url = request.build_absolute_uri(reverse("registry:scan", args=[token]))
    return segno.make(url, error="m").svg_inline(scale=4)


def _sections(request, household: Household) -> list[dict]:
    """The sections other apps add to the household file (core.contributions.household_sections: 案件, 走访
    …) that this reader gets, in order, each drawn by its own app's template with the context it gave."""
    return [
        {"code": section.code, "title": section.title,
         "html": render_to_string(section.template, {**context, "household": household, "section": section},
                                  request=request)}
        for section, context in sections_for_household(user=request.user, household=household)
    ]


def _render_file(request, household: Household, *, bound=None, revealed=None, status: int = 200):
    """The household file page; ``bound`` = (form kind, resident id or None, form with errors)."""
    file = selectors.household_file(household=household)
    user = request.user
    can_edit = has_perm(user, Perm.EDIT_REGISTRY)
    may_reveal = {"id_number": has_perm(user, Perm.REVEAL_ID_NUMBER), "phone": has_perm(user, Perm.REVEAL_PHONE)}
    revealed = revealed or {}
    bound_kind, bound_id, bound_form = bound or (None, None, None)

    def form_for(kind, resident_id, factory):
        return bound_form if (kind, resident_id) == (bound_kind, bound_id) else factory()

    current, away, moved_out = [], [], []  # 现住, 户在人不在, 已迁出
    for person in file["people"]:
        r = person["resident"]
        pk = r.pk
        person["revealed"] = revealed.get(pk, {})
        person["reveal_forms"] = {
            field: form_for(f"reveal-{field}", pk, functools.partial(
                RevealForm, initial={"field": field}, auto_id=f"r{pk}-{field}-%s"))
            for field, allowed in may_reveal.items() if allowed and (field != "phone" or r.phone)
        }
        person["bound"] = bound_kind if bound_id == pk else None
        person["reveal_open"] = {field: person["bound"] == f"reveal-{field}" for field in may_reveal}
        if r.moved_out_on:
            moved_out.append(person)
            continue
        if can_edit:
            person["entered"] = [{"name": n, "form": RemoveTagForm(initial={"tag": n}, auto_id=False)}
                                 for n in person["entered_tags"]]
            person["edit_form"] = form_for("edit", pk, functools.partial(
                ResidentEditForm, prefix=f"r{pk}-edit",
                initial={"name": r.name, "relation": r.relation, "residence_status": r.residence_status}))
            person["tag_form"] = form_for("tag", pk, functools.partial(TagForm, prefix=f"r{pk}-tag"))
            person["move_form"] = form_for("move", pk, functools.partial(MoveOutForm, prefix=f"r{pk}-move"))
            if r.relation != Resident.Relation.HEAD:
                person["head_form"] = form_for("head", pk, functools.partial(SetHeadForm, prefix=f"r{pk}-head"))
        (current if person["lives_here"] else away).append(person)
    has_head = any(p["resident"].relation == Resident.Relation.HEAD for p in current + away)
    add_initial = {"relation": Resident.Relation.SPOUSE if has_head else Resident.Relation.HEAD}
    context = {
        **file,
        "building": household.building,
        "current": current,
        "away": away,
        "moved_out": moved_out,
        "can_edit": can_edit,
        "qr_svg": _qr_svg(request, file["code"].token) if file["code"] else "",
        "add_form": form_for("add", None, functools.partial(ResidentForm, prefix="add", initial=add_initial))
        if can_edit else None,
        "add_open": bound_kind == "add" or not (current or away),
        "sections": _sections(request, household),
    }
    response = render(request, "registry/household.html", context, status=status)
    response["Cache-Control"] = "no-store"  # it may carry a revealed value
    return response


@login_required
@require_GET
@never_cache
def household(request, household_id: int):
    household = selectors.get_household(user=request.user, household_id=household_id)
    return _render_file(request, household)


@login_required
@require_POST
def resident_add(request, household_id: int):
    household = selectors.get_household(user=request.user, household_id=household_id)
    form = ResidentForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            services.add_resident(household=household, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记居民"))  # no name: messages may be stored in a cookie
            return redirect("registry:household", household.pk)
    return _render_file(request, household, bound=("add", None, form), status=400)


def _resident_action(request, resident_id: int, *, kind: str, form_class, call, done: str):
    """Shared shape of the per-resident POSTs: fetch in scope, parse, call the service, redirect or re-render."""
    resident = selectors.get_resident(user=request.user, resident_id=resident_id)
    form = form_class(request.POST, prefix=f"r{resident.pk}-{kind}")
    if form.is_valid():
        try:
            call(resident, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("registry:household", resident.household_id)
    household = selectors.get_household(user=request.user, household_id=resident.household_id)
    return _render_file(request, household, bound=(kind, resident.pk, form), status=400)


@login_required
@require_POST
def resident_edit(request, resident_id: int):
    return _resident_action(
        request, resident_id, kind="edit", form_class=ResidentEditForm, done=_("已保存修改"),
        call=lambda r, f: services.update_resident(resident=r, by=request.user, **f.changes()),
    )


@login_required
@require_POST
def resident_set_head(request, resident_id: int):
    return _resident_action(
        request, resident_id, kind="head", form_class=SetHeadForm, done=_("已变更户主"),
        call=lambda r, f: services.set_head(resident=r, by=request.user, **f.cleaned_data),
    )


@login_required
@require_POST
def resident_move_out(request, resident_id: int):
    return _resident_action(
        request, resident_id, kind="move", form_class=MoveOutForm, done=_("已办理迁出"),
        call=lambda r, f: services.move_out(resident=r, by=request.user, **f.cleaned_data),
    )


@login_required
@require_POST
def tag_add(request, resident_id: int):
    return _resident_action(
        request, resident_id, kind="tag", form_class=TagForm, done=_("已添加标签"),
        call=lambda r, f: services.add_tag(resident=r, by=request.user, **f.cleaned_data),
    )


@login_required
@require_POST
def tag_remove(request, resident_id: int):
    resident = selectors.get_resident(user=request.user, resident_id=resident_id)
    form = RemoveTagForm(request.POST)
    if form.is_valid():
        try:
            services.remove_tag(resident=resident, tag=form.cleaned_data["tag"], by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已移除标签"))
    return redirect("registry:household", resident.household_id)


@login_required
@require_POST
@never_cache
def reveal(request, resident_id: int):
    """查看明文: the plain value in the response (JSON for the page's script, else the household page)."""
    resident = selectors.get_resident(user=request.user, resident_id=resident_id)
    form = RevealForm(request.POST, auto_id=f"r{resident.pk}-{request.POST.get('field', '')}-%s")
    value = None
    if form.is_valid():
        try:
            value = services.reveal(resident=resident, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    if _wants_json(request):
        if value is None:
            return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
        response = JsonResponse({"field": form.cleaned_data["field"], "value": value})
        response["Cache-Control"] = "no-store"
        return response
    household = selectors.get_household(user=request.user, household_id=resident.household_id)
    if value is None:
        field = form.data.get("field", "")
        return _render_file(request, household, bound=(f"reveal-{field}", resident.pk, form), status=400)
    return _render_file(request, household, revealed={resident.pk: {form.cleaned_data["field"]: value}})


# ----------------------------------------------------------------------------- 一户一码
@login_required
@require_POST
def household_code(request, household_id: int):
    """签发 (or 重新签发) / 作废 the household's QR code."""
    household = selectors.get_household(user=request.user, household_id=household_id)
    if request.POST.get("action") == "revoke":
        count = services.revoke_code(household=household, by=request.user)
        messages.success(request, _("户码已作废") if count else _("该户没有有效的户码"))
    else:
        services.issue_code(household=household, by=request.user)
        messages.success(request, _("已签发新户码，旧码随即失效"))
    return redirect("registry:household", household.pk)


@login_required
def scan(request, token: str):
    """扫码: an authorised worker lands on the household's file; anyone else sees a page with no personal data."""
    try:
        household = services.open_by_code(token=token, by=request.user)
    except services.InvalidCode as exc:
        revoked = exc.reason == "revoked"
        return render(request, "registry/scan_invalid.html", {"revoked": revoked}, status=410 if revoked else 404)
    except PermissionDenied as exc:
        raise PermissionDenied(
            _("该户不在您的数据范围内。您扫描的户码有效，但这户不在您负责的居委或网格内，所以不能打开它的档案。")
        ) from exc
    return redirect("registry:household", household.pk)


@login_required
@require_GET
def code_sheet(request, building_id: int):
    """打印户码: one label per door of a building, issuing codes where missing."""
    ensure_perm(request.user, Perm.EDIT_REGISTRY)
    building, households = selectors.building_households(user=request.user, building_id=building_id)
    codes = services.hand_out_codes(households=households, by=request.user, medium="sheet")
    labels = [{"household": h, "svg": _qr_svg(request, codes[h.pk].token)} for h in households]
    return render(request, "registry/code_sheet.html", {"building": building, "labels": labels})


CODE_FILES = {"png": "image/png", "svg": "image/svg+xml"}


@login_required
@require_GET
def household_code_file(request, household_id: int, kind: str):
    """下载户码: one household's QR code alone, as PNG or SVG (issued if missing, as the sheet does)."""
    if kind not in CODE_FILES:
        raise Http404
    ensure_perm(request.user, Perm.EDIT_REGISTRY)
    household = selectors.get_household(user=request.user, household_id=household_id)
    code = services.hand_out_codes(households=[household], by=request.user, medium=kind)[household.pk]
    url = request.build_absolute_uri(reverse("registry:scan", args=[code.token]))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind=kind, scale=10, border=4)
    response = HttpResponse(out.getvalue(), content_type=CODE_FILES[kind])
    response["Content-Disposition"] = f'attachment; filename="household-{household.code}.{kind}"'
    response["Cache-Control"] = "no-store"  # the code opens the household's file: not for shared caches
    return response


# ----------------------------------------------------------------------------- 批量导入
@login_required
def import_page(request):
    """上传: the file is checked (只校验, nothing written) and kept; its page then offers 确认导入."""
    ensure_perm(request.user, Perm.EDIT_REGISTRY)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = staging.stage_import(data=upload.read(), filename=upload.name, by=request.user)
        except importer.ImportFileError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("registry:import-upload", staged.token)
    status = 400 if form.errors else 200
    return render(request, "registry/import.html", {"form": form, "upload": None}, status=status)


@login_required
@require_GET
@never_cache
def import_upload(request, token: str):
    """An uploaded file's check (with 确认导入 while it waits) or, once confirmed, the import's result."""
    upload = staging.get_upload(user=request.user, token=token)
    report = upload.report
    context = {"form": ImportForm(), "upload": upload, "report": report,
               "errors_shown": report.get("errors", []), "checked": upload.status == upload.Status.CHECKED}
    return render(request, "registry/import.html", context)


@login_required
@require_POST
def import_confirm(request, token: str):
    """确认导入: writes exactly the file that was checked, once."""
    upload = staging.get_upload(user=request.user, token=token)
    try:
        outcome = staging.confirm_import(upload=upload, by=request.user)
    except importer.ImportFileError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, {
            "imported": _("已导入"),
            "already": _("这个文件已经导入过，没有重复写入"),
            "changed": _("校验之后登记情况有变化，要写入的行已不同：没有写入任何数据。请核对新的校验结果后再确认。"),
        }[outcome])
    return redirect("registry:import-upload", upload.token)


@login_required
@require_GET
def import_errors(request, token: str):
    """错误文件 of a check: the failed rows with their problems, ID numbers and phones masked."""
    upload = staging.get_upload(user=request.user, token=token)
    content = staging.error_file(upload=upload)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def import_template(request):
    ensure_perm(request.user, Perm.EDIT_REGISTRY)
    response = HttpResponse(spreadsheets.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="import-template.xlsx"'
    return response


# ----------------------------------------------------------------------------- 统计
@login_required
@require_GET
def stats(request):
    rows = selectors.colour_counts(user=request.user)
    tags = list(Tag.objects.values_list("name", flat=True))
    table = [{**row, "tag_counts": [row["tags"].get(t, 0) for t in tags]} for row in rows]
    totals = {
        "total": sum(r["total"] for r in rows),
        "colours": {c: sum(r["colours"][c] for r in rows) for c in ("red", "yellow", "green")},
        "tag_counts": [sum(r["tags"].get(t, 0) for r in rows) for t in tags],
    }
    context = {"rows": table, "tags": tags, "totals": totals, "recompute": selectors.recompute_run(user=request.user)}
    return render(request, "registry/stats.html", context)
