"""Pages of the facility register (设施登记): the list, one facility (edited on a map), the import, the network."""

import datetime as dt
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.core.tables import XlsxWriter
from jiedao.facilities import selectors, services
from jiedao.facilities.engine import engine_for
from jiedao.facilities.forms import FacilityForm, ImportForm, NetworkForm
from jiedao.facilities.models import Facility, FacilityType
from jiedao.facilities.services.imports import COLUMNS, ImportFileError, read_facilities_table
from jiedao.facilities.services.register import can_manage
from jiedao.facilities.views.circles import _places, _subdistrict

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
UPLOADS = "facilities-imports"
UPLOAD_SALT = "jiedao.facilities.import"
KEEP_UPLOADS = dt.timedelta(days=1)


@login_required
def register(request):
    """设施登记表, filtered by type, category, status, 居委 and words."""
    subdistrict = _subdistrict(request)
    filters = {k: v for k, v in request.GET.items() if k in ("type", "category", "status", "community_id", "q") and v}
    error = ""
    try:
        facilities = selectors.facility_list(user=request.user, subdistrict=subdistrict, filters=filters)
        page = Paginator(facilities, PAGE_SIZE).get_page(request.GET.get("page"))
    except ValidationError as exc:
        error, page = "；".join(exc.messages), None
    engine = engine_for(subdistrict.pk)
    attached = dict(zip(engine.facility_ids.tolist(), engine.facility_attached.tolist(), strict=True))
    rows = [{"facility": f, "connected": attached.get(f.pk, False)} for f in (page or [])]
    _areas, communities = _places(request.user, subdistrict)
    context = {
        "subdistrict": subdistrict, "rows": rows, "page": page, "error": error, "filters": filters,
        "types": FacilityType.objects.all(), "categories": FacilityType.Category.choices,
        "statuses": Facility.Status.choices, "communities": communities,
        "query": "&".join(f"{k}={v}" for k, v in filters.items()),
        "can_manage": has_perm(request.user, Perm.MANAGE_FACILITIES),
    }
    return render(request, "facilities/register.html", context, status=400 if error else 200)


def _map_config(subdistrict, facility=None) -> dict:
    return {"center": [facility.lat, facility.lon] if facility else [subdistrict.center_lat, subdistrict.center_lon],
            "geo": "/api/v1/geo/layers/", "subdistrict": subdistrict.pk, "tileUrl": settings.MAP_TILE_URL,
            "tileCrs": settings.MAP_TILE_CRS, "hint": _("点击地图或拖动标记以设置位置")}


@login_required
def facility_new(request):
    subdistrict = _subdistrict(request)
    can_manage(request.user)
    form = FacilityForm(request.POST or None, initial={"status": Facility.Status.OPEN})
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.create_facility(subdistrict=subdistrict, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": facility.name})
            return redirect("facilities:facility", facility.pk)
    context = {"subdistrict": subdistrict, "form": form, "facility": None, "config": _map_config(subdistrict)}
    return render(request, "facilities/facility_form.html", context, status=400 if form.errors else 200)


@login_required
def facility_page(request, facility_id: int):
    """一处设施: its facts, its walking circle on the map, and (for administrators) the form to change it."""
    facility = selectors.get_facility(user=request.user, facility_id=facility_id)
    manage = has_perm(request.user, Perm.MANAGE_FACILITIES)
    form = FacilityForm(request.POST or None, instance=facility) if manage else None
    if request.method == "POST":
        can_manage(request.user)
        if form.is_valid():
            changes = {k: form.cleaned_data[k] for k in form.changed_data}
            try:
                services.update_facility(facility=Facility.objects.get(pk=facility.pk), by=request.user, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("facilities:facility", facility.pk)
    engine = engine_for(facility.subdistrict_id)
    attached = dict(zip(engine.facility_ids.tolist(), engine.facility_attached.tolist(), strict=True))
    context = {"subdistrict": facility.subdistrict, "facility": facility, "form": form,
               "connected": attached.get(facility.pk, False), "config": _map_config(facility.subdistrict, facility)}
    return render(request, "facilities/facility_form.html", context, status=400 if form and form.errors else 200)


# ------------------------------------------------------------------------------------------------ import

def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune_uploads(folder: Path) -> None:
    cutoff = dt.datetime.now().timestamp() - KEEP_UPLOADS.total_seconds()
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _stored(request, token: str) -> tuple[Path, str]:
    """The uploaded file a token names: only for the user who uploaded it, for a day."""
    try:
        data = signing.loads(token, salt=UPLOAD_SALT, max_age=KEEP_UPLOADS)
    except signing.BadSignature as exc:
        raise Http404 from exc
    path = _upload_dir() / data["file"]
    if data["user"] != request.user.pk or not path.exists():
        raise Http404
    return path, data["name"]


@login_required
def import_page(request):
    """批量导入: upload and check (nothing written); the check's page offers 确认导入."""
    subdistrict = _subdistrict(request)
    can_manage(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            report = services.import_facilities(data=data, filename=upload.name, subdistrict=subdistrict,
                                                by=request.user, dry_run=True)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            folder = _upload_dir()
            _prune_uploads(folder)
            stored = f"{secrets.token_hex(16)}{Path(upload.name).suffix.lower()[:8]}"
            (folder / stored).write_bytes(data)
            token = signing.dumps({"file": stored, "user": request.user.pk, "name": upload.name[:100]},
                                  salt=UPLOAD_SALT)
    context = {"subdistrict": subdistrict, "form": form, "report": report, "token": token,
               "columns": COLUMNS, "types": FacilityType.objects.all()}
    return render(request, "facilities/import.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def import_confirm(request, token: str):
    """确认导入: the checked file, written (its valid rows; the same file twice changes nothing)."""
    subdistrict = _subdistrict(request)
    can_manage(request.user)
    path, name = _stored(request, token)
    try:
        report = services.import_facilities(data=path.read_bytes(), filename=name, subdistrict=subdistrict,
                                            by=request.user)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("facilities:import")
    messages.success(request, _("已导入：新增 %(c)s 处，更新 %(u)s 处，无变化 %(n)s 处，有问题未导入 %(e)s 行") % {
        "c": report.created, "u": report.updated, "n": report.unchanged, "e": report.failed_rows})
    return redirect("facilities:register")


@login_required
def import_errors(request, token: str):
    """错误文件: the rows of the checked file that failed, with what is wrong with each."""
    subdistrict = _subdistrict(request)
    can_manage(request.user)
    path, name = _stored(request, token)
    data = path.read_bytes()
    report = services.import_facilities(data=data, filename=name, subdistrict=subdistrict, by=request.user,
                                        dry_run=True)
    response = HttpResponse(report.error_file(read_facilities_table(data, name)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="facility-import-errors.xlsx"'
    return response


@login_required
def import_template(request):
    """下载模板: the columns, two example rows, and the types on a second sheet."""
    _subdistrict(request)
    book = XlsxWriter()
    sheet = book.sheet(_("设施"))
    sheet.append(list(COLUMNS))
    sheet.append(["社区助餐点", "兰溪路长者食堂", "兰溪路200弄5号", "121.4105", "31.2440", "80", "10:30-13:00",
                  "曹杨社区服务社", "运营中", "2021-03-01", "", ""])
    sheet.append(["党群服务站", "曹杨一村党群服务站", "", "121.4045", "31.2480", "", "8:30-17:00", "", "规划中",
                  "", "", ""])
    types = book.sheet(_("设施类型"))
    types.append([_("名称"), _("代码"), _("类别"), _("服务圈"), _("也可写作")])
    for t in FacilityType.objects.all():
        types.append([t.name, t.code, t.get_category_display(), t.get_circle_display(), "、".join(t.aliases)])
    response = HttpResponse(book.to_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="facility-import-template.xlsx"'
    return response


# ------------------------------------------------------------------------------------------------ network

@login_required
def network_page(request):
    """步行路网: where the network comes from and what it holds; administrators rebuild or import it."""
    subdistrict = _subdistrict(request)
    manage = has_perm(request.user, Perm.MANAGE_FACILITIES)
    form = NetworkForm(request.POST or None, request.FILES or None) if manage else None
    if request.method == "POST":
        can_manage(request.user)
        try:
            if request.POST.get("action") == "geo":
                services.build_network_from_geo(subdistrict=subdistrict, by=request.user)
                messages.success(request, _("已由地理库的道路和小区范围重建步行路网"))
                return redirect("facilities:network")
            if form.is_valid():
                upload = form.cleaned_data["file"]
                suffix = ".osm.pbf" if upload.name.lower().endswith(".pbf") else Path(upload.name).suffix.lower()
                with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                    for chunk in upload.chunks():
                        tmp.write(chunk)
                    tmp.flush()
                    services.import_osm_network(subdistrict=subdistrict, path=tmp.name, by=request.user,
                                                margin_m=form.cleaned_data["margin"], name=upload.name[:200])
                messages.success(request, _("已导入 OpenStreetMap 步行路网"))
                return redirect("facilities:network")
        except ValidationError as exc:
            if form is not None:
                apply_errors(form, exc, aliases={"": "file"})
                if not form.errors:
                    form.add_error("file", "；".join(exc.messages))
    engine = engine_for(subdistrict.pk)
    context = {
        "subdistrict": subdistrict, "network": engine.network, "form": form, "manage": manage,
        "buildings": len(engine.building_ids), "unattached_buildings": int((~engine.building_attached).sum()),
        "facilities": len(engine.facility_ids), "unattached_facilities": int((~engine.facility_attached).sum()),
        "settings": engine.settings,
    }
    return render(request, "facilities/network.html", context, status=400 if form and form.errors else 200)
