"""设备: the list with status, the map, one device with its health and recent events; maintenance tasks."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core import audit
from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm, has_perm
from jiedao.sensing import selectors, services
from jiedao.sensing.forms import DeviceFilterForm, NoteForm, apply_errors
from jiedao.sensing.models import DeviceStatus, MaintenanceTask
from jiedao.sensing.views.common import sections

PAGE_SIZE = 50


def _filters(request) -> tuple[DeviceFilterForm, dict]:
    form = DeviceFilterForm(request.GET, user=request.user)
    return form, (form.filters() if form.is_valid() else {})


def health_of(device) -> tuple[str, str]:
    if device.status != DeviceStatus.ACTIVE:
        return "retired", device.get_status_display()
    return {True: ("online", _("在线")), False: ("offline", _("离线"))}.get(device.online, ("never", _("未上线")))


@login_required
def device_list(request):
    ensure_perm(request.user, Perm.VIEW_SENSING)
    form, filters = _filters(request)
    try:
        devices = selectors.device_list(user=request.user, filters=filters)
    except ValidationError as exc:
        apply_errors(form, exc)
        devices = selectors.device_list(user=request.user)
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for d in page.object_list:
        health, label = health_of(d)
        rows.append({"code": d.code, "types": "、".join(_(t.name) for t in d.types.all()), "health": health,
                     "health_label": label, "place": " · ".join(filter(None, [
                         d.community.name if d.community_id else "", d.building.address if d.building_id else "",
                         d.place])),
                     "last_seen": timezone.localtime(d.last_seen_at).strftime("%m-%d %H:%M") if d.last_seen_at
                     else "—", "battery": d.battery, "low_battery": d.low_battery})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sensing/devices.html", {
        "sections": sections(request, "sensing:devices"), "form": form, "page": page, "rows": rows,
        "query": query.urlencode(), "map_url": reverse("sensing:map") + (f"?{query.urlencode()}" if query else ""),
    })


@login_required
def device_map(request):
    ensure_perm(request.user, Perm.VIEW_SENSING)
    form, _filters_given = _filters(request)
    sub = request.user.subdistrict
    query = request.GET.urlencode()
    config = {
        "pointsUrl": reverse("sensing:points") + (f"?{query}" if query else ""),
        "deviceUrl": reverse("sensing:device", args=["CODE"]),
        "center": [sub.center_lat, sub.center_lon] if sub else [31.2304, 121.4737],
        "tileUrl": settings.MAP_TILE_URL, "tileCrs": settings.MAP_TILE_CRS,
        "labels": {"online": _("在线"), "offline": _("离线"), "never": _("未上线"), "retired": _("停用/维修")},
    }
    return render(request, "sensing/map.html", {"sections": sections(request, "sensing:map"), "form": form,
                                                "config": config})


@login_required
def device_points(request):
    """The map's points as JSON (GCJ-02 when the tiles need it): code, point, type, health."""
    _form, filters = _filters(request)
    try:
        points = selectors.device_points(user=request.user, filters=filters)
    except ValidationError as exc:
        return JsonResponse({"detail": exc.messages[0]}, status=422)
    if settings.MAP_TILE_CRS == "gcj02":
        from jiedao.geo.gcj02 import wgs84_to_gcj02

        for p in points:
            p["lon"], p["lat"] = wgs84_to_gcj02(p["lon"], p["lat"])
    return JsonResponse({"points": points})


@login_required
def device_detail(request, code: str):
    device = selectors.get_device(user=request.user, code=code)
    health, label = health_of(device)
    events = list(selectors.recent_events(device=device, limit=30))
    return render(request, "sensing/device.html", {
        "sections": sections(request, "sensing:devices"), "device": device, "health": health, "health_label": label,
        "types": [_(t.name) for t in device.types.all()], "events": events,
        "alarms": list(device.alarms.select_related("type", "case").order_by("-opened_at")[:20]),
        "changes": list(selectors.health_changes(device=device)),
        "tasks": list(device.maintenance_tasks.select_related("department").order_by("-opened_at")[:10]),
        "may_reveal": has_perm(request.user, Perm.MANAGE_SENSING),
    })


@login_required
@require_POST
def reveal_secret(request, code: str):
    """The webhook signing key, for the admin configuring the vendor's side; audited like any reveal."""
    ensure_perm(request.user, Perm.MANAGE_SENSING)
    device = selectors.get_device(user=request.user, code=code)
    audit.record(actor=request.user, action=AuditAction.REVEAL, obj=device, field="secret",
                 reason=request.POST.get("reason", "")[:200] or _("配置厂商推送"))
    response = render(request, "sensing/secret.html", {"sections": sections(request, "sensing:devices"),
                                                       "device": device})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def maintenance(request):
    tasks = selectors.maintenance_tasks(user=request.user, open_only=request.GET.get("all") != "1")
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sensing/maintenance.html", {
        "sections": sections(request, "sensing:maintenance") if has_perm(request.user, Perm.VIEW_SENSING) else [],
        "page": page, "all": request.GET.get("all") == "1", "form": NoteForm(),
        "device_links": has_perm(request.user, Perm.VIEW_SENSING),
    })


@login_required
@require_POST
def close_task(request, pk: int):
    # A department's handler reads the tasks of their department (MaintenanceTask's department scope).
    task = get_in_scope(MaintenanceTask.objects.select_related("device"), user=request.user, pk=pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.close_task(task=task, by=request.user, note=note)
    messages.success(request, _("维护任务已完成：%(d)s") % {"d": task.device.code})
    return redirect("sensing:maintenance")
