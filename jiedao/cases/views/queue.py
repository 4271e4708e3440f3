"""案件队列: one page for the operator, the handler and the grid worker; what each sees is their scope."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.cases import selectors, services
from jiedao.cases.forms import STATUS_TABS, BulkDispatchForm, QueueForm, apply_errors, departments_of
from jiedao.cases.models import OPEN_STATUSES
from jiedao.cases.views.common import time_left
from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, has_perm

PAGE_SIZE = 50
MAX_BULK = 200
SEARCH_COUNT_CAP = 1000
HISTORY_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Pages of a list whose count stops at ``cap`` (then ``capped``): a text search, or a history tab.

    An exact count of a common word reads every one of its cases, and that of the 全部 tab every case ever
    received, where the first page stops after 50 (docs/cases.md, "measurements").
    Any ``cap + 1`` matches are enough to say "more than", so the count stops there; the list pages through
    its first ``cap`` (a search: its newest 1,000, 20 pages), and the page asks the user to narrow it.
    """

    capped = False

    def __init__(self, *args, cap: int, found: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.found = found

    @cached_property
    def count(self):
        # ``found``: counted already, up to cap + 1 (a search over the history: selectors.search_count).
        # Otherwise in whatever order the database finds cheapest (the status or category index).
        found = self.found
        if found is None:
            found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def _tabs(counts: dict, current: str, query: dict) -> list[dict]:
    counts = {**counts, "open": sum(counts.get(s, 0) for s in OPEN_STATUSES)}
    tabs = []
    for value, label in STATUS_TABS:
        params = urlencode({**query, "status": value})
        tabs.append({"value": value, "label": label, "count": counts.get(value), "url": f"?{params}",
                     "active": value == current})
    return tabs


def _row(case, now) -> dict:
    """What one row of the queue shows, as text: formatted here once rather than through a dozen template
    lookups, filters and an include per row (rendering 50 rows that way was about a third of the page)."""
    if case.needs_placement:
        place = None
    else:
        place = " ".join(p.name for p in (case.community, case.grid) if p is not None)
    category = case.category or case.suggested_category
    return {
        "pk": case.pk, "number": case.number, "url": reverse("cases:detail", args=[case.number]),
        "select_label": _("选择 %(n)s") % {"n": case.number},
        "urgent": case.urgent, "duplicate": case.possible_duplicate_of_id is not None,
        "status": case.get_status_display(), "extension_pending": case.extension_pending,
        "category": _(category.name) if category else None, "suggested": case.category is None,
        "description": Truncator(case.description).chars(60), "place": place,
        "address": Truncator(case.address).chars(30),
        "department": case.department.name if case.department else "—",
        "reported_at": timezone.localtime(case.reported_at).strftime("%m-%d %H:%M"),
        "due": time_left(case, now),
    }


def _cases(user, filters: selectors.QueueFilters, now) -> tuple:
    """The queue's cases, and for a text search over the history its capped count, taken first: whether the
    word fills more than the capped pages decides how its cases are best listed (selectors.search_count)."""
    if filters.q.strip() and (filters.status or "open") in selectors.HISTORY_TABS:
        return selectors.history_search(user=user, filters=filters, now=now, cap=SEARCH_COUNT_CAP)
    return selectors.queue(user=user, filters=filters, now=now), None


@login_required
def queue(request):
    ensure_perm(request.user, Perm.VIEW_CASES)
    # The filter bar and the bulk-dispatch form offer the same departments: read once for both.
    departments = departments_of(request.user)
    form = QueueForm(request.GET, user=request.user, departments=departments)
    now = timezone.now()
    filters = form.filters() if form.is_valid() else selectors.QueueFilters()
    try:
        cases, found = _cases(request.user, filters, now)
    except ValidationError as exc:
        apply_errors(form, exc)
        filters = selectors.QueueFilters()
        cases, found = _cases(request.user, filters, now)
    # The page's ids first, then their rows: sorting the open queue (overdue first) needs every open case,
    # but only the page's 50 need their category, department and places. Asked in one query, PostgreSQL
    # joins every open case to those tables before sorting them.
    ids = cases.values_list("pk", flat=True)
    history = (filters.status or "open") in selectors.HISTORY_TABS
    if filters.q.strip():
        paginator = CappedPaginator(ids, PAGE_SIZE, cap=SEARCH_COUNT_CAP, found=found)
    elif history:
        paginator = CappedPaginator(ids, PAGE_SIZE, cap=HISTORY_COUNT_CAP)
    else:
        paginator = Paginator(ids, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [_row(c, now) for c in selectors.queue_rows(ids=list(page))]
    query = {k: v for k, v in request.GET.items() if k not in ("page", "status") and v}
    can_operate = has_perm(request.user, Perm.OPERATE_CASES)
    context = {
        "form": form, "page": page, "rows": rows, "filters": filters,
        "tabs": _tabs(selectors.queue_counts(user=request.user, now=now), filters.status, query),
        "query": urlencode({**query, "status": filters.status}),
        "can_operate": can_operate,
        "can_report": has_perm(request.user, Perm.REPORT_CASES),
        "labels": {"urgent": _("紧急"), "duplicate": _("疑似重复"), "extension": _("延期待审"),
                   "suggested": _("分类建议"), "placement": _("待人工定位"), "status": _("状态"),
                   "category": _("分类"), "description": _("诉求内容"), "place": _("位置"),
                   "department": _("处置部门"), "reported_at": _("上报时间"), "due": _("办理时限")},
        "bulk_form": BulkDispatchForm(user=request.user, departments=departments) if can_operate else None,
    }
    return render(request, "cases/queue.html", context, status=400 if form.errors else 200)


@login_required
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
    result = services.dispatch_many(case_ids=ids, by=request.user, department=form.cleaned_data["department"])
    if result["dispatched"]:
        messages.success(request, _("已派遣 %(n)s 件：%(numbers)s") % {
            "n": len(result["dispatched"]), "numbers": "、".join(result["dispatched"])})
    if result["failed"]:
        numbers = dict(selectors.cases_for(user=request.user).filter(pk__in=list(result["failed"]))
                       .values_list("pk", "number"))
        lines = [_("%(case)s：%(reason)s") % {"case": numbers.get(pk, f"#{pk}"), "reason": reason}
                 for pk, reason in result["failed"].items()]
        messages.error(request, _("%(n)s 件未派遣——") % {"n": len(lines)} + "；".join(lines))
    return redirect(back)
