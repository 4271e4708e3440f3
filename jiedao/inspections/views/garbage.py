"""垃圾分类 pages: rooms with their 定时定点 hours, bins and roster (names masked), and the monthly 五星
of every 小区 and 居委 with each lost star explained."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiedao.core.access import ensure_perm
from jiedao.core.crypto import mask_phone
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Estate
from jiedao.inspections import selectors, stars
from jiedao.inspections.models import GarbageCategory
from jiedao.inspections.views.common import month_of, months_back, sections


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
                      "duties": [{"role": d.get_role_display(), "name": mask_name(d.name),
                                  "phone": mask_phone(d.phone), "shift": d.shift} for d in room.duties.all()]})
    return render(request, "inspections/garbage.html", {"rooms": rooms,
                                                        "sections": sections(request.user, "garbage")})


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
