"""网格员 phone pages: the open cases of my grid (or 居委, for a social worker), and reporting a problem with a
photo and GPS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.cases import selectors, services
from jiedao.cases.forms import ReportForm, apply_errors
from jiedao.cases.views.common import time_left
from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, ScopeLevel, has_perm

# The phone queue is titled by what the user's scope covers: a grid worker's grid, a social worker's 居委 …
SCOPE_TITLES = {  # scope level → (title, the user's field naming the place)
    ScopeLevel.GRID: (gettext_lazy("我的网格"), "grid"), ScopeLevel.COMMUNITY: (gettext_lazy("我的居委"), "community"),
    ScopeLevel.AREA: (gettext_lazy("我的片区"), "area"), ScopeLevel.DEPARTMENT: (gettext_lazy("本部门"), "department"),
}


def _scope_title(user) -> tuple[str, str]:
    """(title, the place's name) of the user's scope, e.g. (我的居委, 曹杨一村居委会)."""
    if user.scope_level not in SCOPE_TITLES:
        return _("全街道"), ""
    title, field = SCOPE_TITLES[user.scope_level]
    place = getattr(user, field)
    return str(title), place.name if place else ""


@login_required
def mobile_queue(request):
    ensure_perm(request.user, Perm.VIEW_CASES)
    now = timezone.now()
    cases = selectors.queue(user=request.user, filters=selectors.QueueFilters(status="open"), now=now)
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    rows = [{"case": c, "due": time_left(c, now)} for c in page]
    title, place = _scope_title(request.user)
    return render(request, "cases/mobile_queue.html", {
        "page": page, "rows": rows, "can_report": has_perm(request.user, Perm.REPORT_CASES),
        "scope_title": title, "scope_place": place})


@login_required
def mobile_report(request):
    ensure_perm(request.user, Perm.REPORT_CASES)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.report(by=request.user, description=d["description"], lat=d["lat"], lon=d["lon"],
                                   address=d["address"], category=d["category"], photos=d["photos"],
                                   urgent=d["urgent"])
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"location": "address"})
        else:
            messages.success(request, _("上报成功，案件编号 %(n)s") % {"n": case.number})
            return redirect("cases:mobile")
    return render(request, "cases/mobile_report.html", {"form": form}, status=400 if form.errors else 200)
