"""居民 pages of the portal: report a problem, follow my reports in plain words, rate the answer.

A resident sees their own cases only: of the timeline the steps and their times, the department handling
the case, and the handler's reply (the note of the last 处置反馈, written for the resident: the handle
form says so), with phone and ID numbers masked. Every other note (先行联系 notes quote the caller,
remarks, returns, rework) and the staff's names are the staff's working record.
"""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiedao.cases import selectors, services
from jiedao.cases.forms import RateForm, ResidentReportForm, apply_errors
from jiedao.cases.models import CaseEvent, EventKind, Status
from jiedao.core.access import resident_page
from jiedao.core.public_text import mask_public_text

PLAIN_STATUS = {
    Status.NEW: gettext_lazy("已收到，等待受理"),
    Status.REGISTERED: gettext_lazy("已受理，正在安排处理部门"),
    Status.DISPATCHED: gettext_lazy("处理部门正在处理"),
    Status.HANDLING: gettext_lazy("处理部门正在处理"),
    Status.HANDLED: gettext_lazy("已处理，正在核实结果"),
    Status.CLOSED: gettext_lazy("已办结"),
    Status.SUSPENDED: gettext_lazy("需要较长时间解决，已列入计划"),
    Status.CANCELLED: gettext_lazy("已关闭（重复反映或无法受理）"),
}
# Steps a resident sees (by name and time only); notes, overdue warnings and internal fixes are left out.
PUBLIC_STEPS = (
    EventKind.CREATED, EventKind.REGISTERED, EventKind.DISPATCHED, EventKind.ACCEPTED, EventKind.CONTACTED,
    EventKind.HANDLED, EventKind.CLOSED, EventKind.VISITED, EventKind.REOPENED, EventKind.SUSPENDED,
    EventKind.RESUMED, EventKind.CANCELLED, EventKind.MERGED,
)



def _my_cases(user):
    return selectors.resident_cases(user=user)


@resident_page
def portal_report(request):
    form = ResidentReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.resident_report(by=request.user, subdistrict=request.user.subdistrict,
                                            description=d["description"], address=d["address"], phone=d["phone"],
                                            photos=d["photos"])
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"reporter_phone": "phone"})
        else:
            messages.success(request, _("已收到您的反映，编号 %(n)s，可在“我的诉求”查看进展") % {"n": case.number})
            return redirect("cases:portal-cases")
    return render(request, "cases/portal_report.html", {"form": form}, status=400 if form.errors else 200)


# The reply stands once the department has reported back and until the case goes back to them (返工, 重新办理).
ANSWERED = (Status.HANDLED, Status.CLOSED)


def _render_cases(request, *, bound: tuple[int, RateForm] | None = None, status: int = 200):
    cases = list(_my_cases(request.user).select_related("department").order_by("-reported_at", "-id")[:100])
    steps: dict[int, list] = {}
    replies: dict[int, str] = {}
    for e in (CaseEvent.objects.filter(case__in=cases, kind__in=PUBLIC_STEPS).order_by("at", "id")
              .only("case_id", "kind", "at", "note")):
        steps.setdefault(e.case_id, []).append({"label": e.get_kind_display(), "at": e.at})
        if e.kind == EventKind.HANDLED:
            replies[e.case_id] = e.note  # the last 处置反馈 is the answer
    rows = []
    for c in cases:
        rate_form = None
        if c.status == Status.CLOSED and c.rating is None:
            rate_form = bound[1] if bound and bound[0] == c.pk else RateForm(prefix=f"c{c.pk}")
        reply = replies.get(c.pk, "") if c.status in ANSWERED else ""
        rows.append({"case": c, "plain": PLAIN_STATUS.get(c.status, c.get_status_display()),
                     "steps": steps.get(c.pk, []), "rate_form": rate_form,
                     "department": c.department.name if c.department_id else "",
                     "reply": mask_public_text(reply)})
    return render(request, "cases/portal_cases.html", {"rows": rows}, status=status)


@resident_page
def portal_cases(request):
    return _render_cases(request)


@resident_page
@require_POST
def portal_rate(request, number: str):
    case = _my_cases(request.user).filter(number=number).first()
    if case is None:
        raise Http404
    form = RateForm(request.POST, prefix=f"c{case.pk}")
    if form.is_valid():
        try:
            services.resident_rate(case=case, by=request.user, rating=form.cleaned_data["rating"],
                                   note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("感谢您的评价"))
            return redirect("cases:portal-cases")
    return _render_cases(request, bound=(case.pk, form), status=400)
