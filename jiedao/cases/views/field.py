"""网格员 phone pages: the open cases of my grid, and reporting a problem with a photo and GPS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases import selectors, services
from jiedao.cases.forms import ReportForm, apply_errors
from jiedao.cases.views.common import time_left
from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, has_perm


@login_required
def mobile_queue(request):
    ensure_perm(request.user, Perm.VIEW_CASES)
    now = timezone.now()
    cases = selectors.queue(user=request.user, filters=selectors.QueueFilters(status="open"), now=now)
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    rows = [{"case": c, "due": time_left(c, now)} for c in page]
    return render(request, "cases/mobile_queue.html", {
        "page": page, "rows": rows, "can_report": has_perm(request.user, Perm.REPORT_CASES)})


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
