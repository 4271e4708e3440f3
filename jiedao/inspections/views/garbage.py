"""垃圾分类 pages: rooms with their 定时定点 hours, bins and roster (names masked), the monthly 五星 of
every 小区 and 居委 with each lost star explained, and the forms that register and edit a room and keep its
roster."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.access import ensure_perm
from jiedao.core.crypto import mask_phone
from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Estate
from jiedao.inspections import selectors, services, stars
from jiedao.inspections.forms import DutyForm, RoomForm
from jiedao.inspections.models import GarbageCategory, GarbageRoom
from jiedao.inspections.services import garbage as garbage_services
from jiedao.inspections.views.common import month_of, months_back, sections
from jiedao.inspections.views.desk import form_page


def mask_name(name: str) -> str:
    """张三丰 → 张**: a volunteer's surname only, as other rosters show."""
    return f"{name[:1]}{'*' * max(1, len(name) - 1)}" if name else ""


@login_required
def garbage(request):
    ensure_perm(request.user, Perm.VIEW_INSPECTIONS)
    rooms = []
    for room in selectors.room_list(user=request.user):
        rooms.append({"room": room, "bins": [(label, room.bins.get(code, 0)) for code, label in
                                             GarbageCategory.choices],
                      "duties": _masked(room.duties.all())})
    return render(request, "inspections/garbage.html", {
        "rooms": rooms, "may_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
        "sections": sections(request.user, "garbage")})


def _masked(duties) -> list[dict]:
    """A roster as pages show it: surname and phone masked."""
    return [{"pk": d.pk, "role": d.get_role_display(), "name": mask_name(d.name), "phone": mask_phone(d.phone),
             "shift": d.shift, "account": d.user.display_name if d.user_id else ""} for d in duties]


@login_required
def room_new(request):
    """登记垃圾厢房 (with its inspection point); then its page, to put its roster together."""
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("登记垃圾厢房需要管理巡检点的权限"))
    form = RoomForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.create_room(by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc, aliases=ROOM_FIELDS)
        else:
            messages.success(request, _("已登记垃圾厢房“%(name)s”：请安排值守名册，并打印标签贴到厢房上")
                             % {"name": room.name})
            return redirect("inspections:room-edit", room.pk)
    return form_page(request, "inspections/room_form.html", form)


# The roster's form shares the room's page: its ids differ from the room form's (both have a name).
DUTY_IDS = "duty_%s"
# The service names the bins as one field; the form has one per category, the first carries the message.
ROOM_FIELDS = {"bins": f"bins_{GarbageCategory.values[0]}"}


def _room(request, room_id: int) -> GarbageRoom:
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("修改垃圾厢房需要管理巡检点的权限"))
    return selectors.get_room(user=request.user, room_id=room_id)


def _room_page(request, room: GarbageRoom, *, form: RoomForm | None = None, duty_form: DutyForm | None = None):
    """A room's edit page: the room's form, its roster (masked) with 移除, and the form that adds to it."""
    if form is None:
        initial = {"name": room.name, "building": room.point.building_id, "hours": "，".join(room.hours),
                   "active": room.active, **{f"bins_{code}": room.bins.get(code, 0) for code in GarbageCategory.values}}
        form = RoomForm(user=request.user, editing=True, initial=initial)
    duty_form = duty_form or DutyForm(user=request.user, auto_id=DUTY_IDS)
    page = form_page(request, "inspections/room_form.html", form, room=room,
                     duty_form=duty_form, duties=_masked(room.duties.select_related("user")))
    if duty_form.errors:
        page.status_code = 400
    return page


@login_required
def room_edit(request, room_id: int):
    room = _room(request, room_id)
    if request.method != "POST":
        return _room_page(request, room)
    form = RoomForm(request.POST, user=request.user, editing=True)
    if form.is_valid():
        try:
            garbage_services.update_room(room=room, by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc, aliases=ROOM_FIELDS)
        else:
            messages.success(request, _("已保存垃圾厢房“%(name)s”") % {"name": room.name})
            return redirect("inspections:room-edit", room.pk)
    return _room_page(request, room, form=form)


@login_required
@require_POST
def duty_add(request, room_id: int):
    """加入值守名册; a bad form comes back on the room's page with what was typed."""
    room = _room(request, room_id)
    form = DutyForm(request.POST, user=request.user, auto_id=DUTY_IDS)
    if form.is_valid():
        try:
            services.add_duty(by=request.user, room=room, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已加入值守名册"))
            return redirect("inspections:room-edit", room.pk)
    return _room_page(request, room, duty_form=form)


@login_required
@require_POST
def duty_remove(request, room_id: int, duty_id: int):
    room = _room(request, room_id)
    duty = get_object_or_404(room.duties, pk=duty_id)
    garbage_services.remove_duty(by=request.user, duty=duty)
    messages.success(request, _("已移出值守名册"))
    return redirect("inspections:room-edit", room.pk)


@login_required
def garbage_stars(request):
    """垃圾分类五星: every 小区 and 居委 of the reader's scope for a month."""
    ensure_perm(request.user, Perm.VIEW_INSPECTIONS)
    month = month_of(request.GET.get("month"))
    estate_ids = Estate.objects.within(scope_of(request.user)).values_list("pk", flat=True)
    estates, communities = stars.garbage_ratings(subdistrict_id=request.user.subdistrict_id, month=month,
                                                 estate_ids=estate_ids)
    return render(request, "inspections/garbage_stars.html", {
        "month": month, "months": months_back(timezone.localdate().replace(day=1), 12),
        "estates": sorted(estates, key=lambda r: (r.stars, r.name)), "communities": communities,
        "sections": sections(request.user, "garbage")})
