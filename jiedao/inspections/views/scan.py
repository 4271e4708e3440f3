"""扫码巡检 on a phone: a scanned label opens the round's form for its point (or, for anyone who does not
inspect, a shop's public page); the saved check with its cases; the scanner's rounds."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, has_perm
from jiedao.inspections import selectors, services
from jiedao.inspections.services.labels import LabelRefused
from jiedao.inspections.views.common import sections
from jiedao.inspections.views.shops import public_shop_page


@never_cache
def scan(request, token: str):
    """The label's URL. Staff who inspect get the form; anyone else at a shop's door gets its public page."""
    user = request.user
    if not has_perm(user, Perm.DO_INSPECTIONS):
        try:
            point = services.point_for_token(token)
        except LabelRefused as exc:
            return render(request, "inspections/label_refused.html", {"message": exc.messages[0]}, status=400)
        if hasattr(point, "shop"):
            return public_shop_page(request, point.shop)
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
    round_id = _int(request.POST.get("round") or request.GET.get("round"))
    try:
        form = services.open_scan(by=user, token=token, round_id=round_id)
    except LabelRefused as exc:
        return render(request, "inspections/label_refused.html", {"message": exc.messages[0]}, status=400)
    errors, answers = [], {}
    if request.method == "POST":
        answers = {item.code: request.POST.get(f"item-{item.code}", "") for item in form.items}
        rows = [{"item": item.code, "passed": {"pass": True, "fail": False}.get(answers[item.code]),
                 "note": request.POST.get(f"note-{item.code}", ""),
                 "photo": request.FILES.get(f"photo-{item.code}")} for item in form.items]
        try:
            out = services.submit_check(
                by=user, token=token, client_id=request.POST.get("client_id", ""), results=rows,
                round_id=form.round.pk, lat=_float(request.POST.get("lat")), lon=_float(request.POST.get("lon")))
        except ValidationError as exc:
            errors = [m for messages_ in exc.message_dict.values() for m in messages_]
        else:
            if not out.created:
                messages.info(request, _("这份表单已经提交过，未重复保存"))
            else:
                messages.success(request, _("已保存：立案 %(new)s 件，关联已有案件 %(linked)s 件") % {
                    "new": len(out.cases_created), "linked": len(out.cases_linked)})
            return redirect("inspections:check", out.check.pk)
    return render(request, "inspections/scan.html", {
        "form": form, "errors": errors, "items": [(item, answers.get(item.code, "")) for item in form.items],
        "client_id": request.POST.get("client_id") or uuid.uuid4().hex, "token": token,
        "now": timezone.localtime()}, status=400 if errors else 200)


@login_required
def check_detail(request, check_id: int):
    check = selectors.get_check(user=request.user, check_id=check_id)
    return render(request, "inspections/check.html", {"check": check, "results": list(check.results.all()),
                                                      "sections": sections(request.user, "mine")})


@login_required
def mine(request):
    """我的巡检: the scanner's rounds, the points due in each round's current period, their last checks."""
    ensure_perm(request.user, Perm.DO_INSPECTIONS)
    today = timezone.localdate()
    rounds = []
    for rnd in services.rounds_of(user=request.user):
        start, end = selectors.period_of(rnd.frequency, today)
        done = set(rnd.checks.filter(at__date__gte=start, at__date__lte=end).values_list("point_id", flat=True))
        points = [{"point": p, "done": p.pk in done} for p in rnd.points.all() if p.active]
        rounds.append({"round": rnd, "start": start, "end": end, "points": points,
                       "left": sum(not p["done"] for p in points)})
    checks = selectors.check_list(user=request.user).filter(by=request.user)[:20]
    return render(request, "inspections/mine.html", {"rounds": rounds, "checks": checks,
                                                     "sections": sections(request.user, "mine")})


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
