"""Desk pages for the 居委 and the 城运中心: points and their labels (A4 sheets, PDF where WeasyPrint is
installed), rounds, missed rounds and coverage; the forms that register and edit points and lay out rounds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core import audit
from jiedao.core.access import ensure_perm
from jiedao.core.forms import apply_errors
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm, has_perm
from jiedao.geo.models import Community
from jiedao.inspections import selectors, services
from jiedao.inspections.forms import PointForm, RoundForm
from jiedao.inspections.services import points as point_services
from jiedao.inspections.views.common import qr_svg, sections, window_of

MAX_LABELS = 240  # 20 sheets


@login_required
def points(request):
    qs = selectors.point_list(user=request.user, kind=request.GET.get("kind", ""),
                              community_id=_int(request.GET.get("community")), q=request.GET.get("q", "").strip())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/points.html", {
        "page": page, "kinds": selectors.kinds(), "query": query.urlencode(),
        "communities": _communities(request.user), "may_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
        "sections": sections(request.user, "points")})


def _communities(user):
    from jiedao.core.scope import scope_of

    return Community.objects.within(scope_of(user)).order_by("code")


@login_required
def point_detail(request, point_id: int):
    point = selectors.get_point(user=request.user, point_id=point_id)
    checks = selectors.check_list(user=request.user, point_id=point.pk)[:30]
    return render(request, "inspections/point.html", {
        "point": point, "checks": checks, "rounds": point.rounds.filter(active=True),
        "items": point.kind.items.filter(active=True), "shop": getattr(point, "shop", None),
        "room": getattr(point, "room", None), "may_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
        "sections": sections(request.user, "points")})


@login_required
@require_POST
def revoke(request, point_id: int):
    point = selectors.get_point(user=request.user, point_id=point_id)
    services.revoke_label(point=point, by=request.user)
    messages.success(request, _("旧标签已作废，请打印新标签贴到点位上"))
    return redirect("inspections:point", point.pk)


def _label_points(request):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("打印标签需要管理巡检点的权限"))
    qs = selectors.point_list(user=request.user, kind=request.GET.get("kind", ""),
                              community_id=_int(request.GET.get("community")))
    ids = [int(v) for v in request.GET.getlist("point") if v.isdigit()]
    if ids:
        qs = qs.filter(pk__in=ids)
    return list(qs.filter(active=True)[:MAX_LABELS])


def _labels(request, chosen) -> list[dict]:
    out = []
    for point in chosen:
        url = request.build_absolute_uri(reverse("inspections:scan", args=[services.label_token(point)]))
        out.append({"point": point, "url": url, "qr": qr_svg(url, scale=3)})
    return out


@login_required
def labels(request):
    """A4 标签页: 3 × 4 labels per sheet, each the point's QR code, code, name and a short instruction."""
    chosen = _label_points(request)
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=None,
                 detail={"labels": [p.code for p in chosen][:50], "count": len(chosen)})
    return render(request, "inspections/labels.html", {"labels": _labels(request, chosen),
                                                       "pdf": weasyprint_available(),
                                                       "query": request.GET.urlencode()})


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@login_required
def labels_pdf(request):
    chosen = _label_points(request)
    if not weasyprint_available():
        return HttpResponse(_("本服务器未安装 WeasyPrint，无法生成 PDF；请在标签页用浏览器“打印 → 另存为 PDF”"),
                            status=501, content_type="text/plain; charset=utf-8")
    from weasyprint import HTML

    html = render_to_string("inspections/labels.html", {"labels": _labels(request, chosen), "print_only": True},
                            request=request)
    content = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=None,
                 detail={"labels": [p.code for p in chosen][:50], "count": len(chosen), "format": "pdf"})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="inspection-labels.pdf"'
    return response


def form_page(request, template: str, form, **context):
    """A layout form's page (points, rounds, shops, rooms): 400 when the form comes back with its errors and
    what was typed, else 200."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@login_required
def point_new(request):
    """登记巡检点; then its page, with the label to print."""
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("登记巡检点需要管理巡检点的权限"))
    form = PointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.create_point(by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc, aliases=PLACE_FIELDS)
        else:
            messages.success(request, _("已登记巡检点 %(code)s：请打印标签贴到点位上") % {"code": point.code})
            return redirect("inspections:point", point.pk)
    return form_page(request, "inspections/point_form.html", form)


@login_required
def point_edit(request, point_id: int):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("修改巡检点需要管理巡检点的权限"))
    point = selectors.get_point(user=request.user, point_id=point_id)
    if hasattr(point, "shop"):  # a shop's or a room's point follows its own page
        return redirect("inspections:shop-edit", point.shop.pk)
    if hasattr(point, "room"):
        return redirect("inspections:room-edit", point.room.pk)
    initial = {"kind": point.kind_id, "code": point.code, "name": point.name, "building": point.building_id,
               "community": point.community_id, "lat": point.lat, "lon": point.lon, "address": point.address,
               "active": point.active}
    form = PointForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point_services.update_point(point=point, by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc, aliases=PLACE_FIELDS)
        else:
            messages.success(request, _("已保存巡检点 %(code)s") % {"code": point.code})
            return redirect("inspections:point", point.pk)
    return form_page(request, "inspections/point_form.html", form, point=point)


# A point's place is a building or coordinates; the service names the pair "place".
PLACE_FIELDS = {"place": "building"}


@login_required
def rounds(request):
    ensure_perm(request.user, Perm.VIEW_INSPECTIONS)
    return render(request, "inspections/rounds.html", {
        "rounds": selectors.round_list(user=request.user).select_related("community").order_by("-active", "name"),
        "may_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS), "sections": sections(request.user, "rounds")})


@login_required
def round_new(request):
    """布置巡检计划: which points (ticked by 居委 and kind), how often, which check, by whom."""
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("布置巡检计划需要管理巡检点的权限"))
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.create_round(by=request.user, **_round_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已布置巡检计划“%(name)s”") % {"name": rnd.name})
            return redirect("inspections:rounds")
    return form_page(request, "inspections/round_form.html", form)


@login_required
def round_edit(request, round_id: int):
    """Edit a round or take it out of use."""
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("修改巡检计划需要管理巡检点的权限"))
    rnd = selectors.get_round(user=request.user, round_id=round_id)
    initial = {"name": rnd.name, "tier": rnd.tier, "frequency": rnd.frequency, "community": rnd.community_id,
               "starts_on": rnd.starts_on, "points": [p.pk for p in rnd.points.all()],
               "assignees": [u.pk for u in rnd.assignees.all()], "active": rnd.active}
    form = RoundForm(request.POST or None, user=request.user, current=rnd, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point_services.update_round(rnd=rnd, by=request.user, **_round_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存巡检计划“%(name)s”") % {"name": rnd.name})
            return redirect("inspections:rounds")
    offered = {p.pk for p in form.offered_points}
    hidden = sum(1 for p in rnd.points.all() if p.pk not in offered)
    return form_page(request, "inspections/round_form.html", form, round=rnd, hidden=hidden)


def _round_values(form: RoundForm) -> dict:
    data = dict(form.cleaned_data)
    data["points"], data["assignees"] = list(data["points"]), list(data["assignees"])
    return data


@login_required
def coverage(request):
    """漏检与覆盖率: over a window's whole periods, per grid, point or person, and the missed list."""
    ensure_perm(request.user, Perm.VIEW_INSPECTIONS)
    start, end = window_of(request)
    by = request.GET.get("by", "grid")
    if by not in ("grid", "point", "person"):
        by = "grid"
    missed = selectors.missed_rounds(user=request.user, start=start, end=end)
    return render(request, "inspections/coverage.html", {
        "start": start, "end": end, "by": by, "rows": selectors.coverage(user=request.user, start=start, end=end,
                                                                         by=by),
        "missed": missed[:200], "missed_count": len(missed), "sections": sections(request.user, "coverage")})


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
