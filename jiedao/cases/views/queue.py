"""案件队列: one page for the operator, the handler and the grid worker; what each sees is their scope."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.cases import selectors, services
from jiedao.cases.forms import STATUS_TABS, BulkDispatchForm, QueueForm, apply_errors
from jiedao.cases.models import OPEN_STATUSES
from jiedao.cases.views.common import case_page, time_left
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import ensure_perm

PAGE_SIZE = 50
MAX_BULK = 200
SEARCH_COUNT_CAP = 1000


class SearchPaginator(Paginator):
    """Pages of a text search, counting matches only up to SEARCH_COUNT_CAP (then ``capped``).

    An exact count of a common word would read every one of its cases (tens of thousands at a million
    cases), while the first page stops after 50. Any 1,001 matches are enough to say "more than 1,000", so
    the count stops there. A search therefore pages through its newest 1,000 matches (20 pages); the page
    asks the user to narrow it.
    """

    capped = False

    def __init__(self, *args, history: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.history = history

    @cached_property
    def count(self):
        # Over the whole history, in the page's order, so that the count reads the rows the page's plan
        # reads (unordered, SQLite may walk an arbitrary index and fetch rows from all over the file); in a
        # few-thousand-case tab, in whatever order the status index gives.
        cases = self.object_list if self.history else self.object_list.order_by()
        found = cases[: SEARCH_COUNT_CAP + 1].count()
        self.capped = found > SEARCH_COUNT_CAP
        return min(found, SEARCH_COUNT_CAP)


def _tabs(counts: dict, current: str, query: dict) -> list[dict]:
    counts = {**counts, "open": sum(counts.get(s, 0) for s in OPEN_STATUSES)}
    tabs = []
    for value, label in STATUS_TABS:
        params = urlencode({**query, "status": value})
        tabs.append({"value": value, "label": label, "count": counts.get(value), "url": f"?{params}",
                     "active": value == current})
    return tabs


@case_page
def queue(request):
    ensure_perm(request.user, Perm.VIEW_CASES)
    form = QueueForm(request.GET, user=request.user)
    now = timezone.now()
    filters = form.filters() if form.is_valid() else selectors.QueueFilters()
    try:
        cases = selectors.queue(request.user, filters, now=now)
    except ValidationError as exc:
        apply_errors(form, exc)
        filters = selectors.QueueFilters()
        cases = selectors.queue(request.user, filters, now=now)
    cases = cases.select_related("suggested_category")
    if filters.q.strip():
        paginator = SearchPaginator(cases, PAGE_SIZE, history=(filters.status or "open") in selectors.HISTORY_TABS)
    else:
        paginator = Paginator(cases, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"case": c, "due": time_left(c, now)} for c in page]
    query = {k: v for k, v in request.GET.items() if k not in ("page", "status") and v}
    can_operate = has_perm(request.user, Perm.OPERATE_CASES)
    context = {
        "form": form, "page": page, "rows": rows, "filters": filters,
        "tabs": _tabs(selectors.queue_counts(request.user, now=now), filters.status, query),
        "query": urlencode({**query, "status": filters.status}),
        "can_operate": can_operate,
        "can_report": has_perm(request.user, Perm.REPORT_CASES),
        "bulk_form": BulkDispatchForm(user=request.user) if can_operate else None,
    }
    return render(request, "cases/queue.html", context, status=400 if form.errors else 200)


@case_page
@require_POST
def bulk_dispatch(request):
    """批量派遣: each case in its own transaction; the message names every case that did not go, and why."""
    ensure_perm(request.user, Perm.OPERATE_CASES)
    form = BulkDispatchForm(request.POST, user=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("cases:queue")
    if not form.is_valid():
        messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    ids = form.cleaned_data["ids"]
    if len(ids) > MAX_BULK:
        messages.error(request, _("一次最多派遣 %(n)s 件") % {"n": MAX_BULK})
        return redirect(back)
    result = services.dispatch_many(ids, by=request.user, department=form.cleaned_data["department"])
    if result["dispatched"]:
        messages.success(request, _("已派遣 %(n)s 件：%(numbers)s") % {
            "n": len(result["dispatched"]), "numbers": "、".join(result["dispatched"])})
    if result["failed"]:
        numbers = dict(selectors.cases_for(request.user).filter(pk__in=list(result["failed"]))
                       .values_list("pk", "number"))
        lines = [_("%(case)s：%(reason)s") % {"case": numbers.get(pk, f"#{pk}"), "reason": reason}
                 for pk, reason in result["failed"].items()]
        messages.error(request, _("%(n)s 件未派遣——") % {"n": len(lines)} + "；".join(lines))
    return redirect(back)
