"""走访统计 for leaders, 片区, heads and workers: the six figures per 居委, worker or colour over a period, each
number a link to the tasks or visits behind it; and the visit list those links open."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jiedao.core.access import ensure_perm
from jiedao.core.models import User
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Community
from jiedao.registry.models import CareColour
from jiedao.visits import selectors
from jiedao.visits.figures import DEFINITIONS
from jiedao.visits.filters import VisitFilter
from jiedao.visits.forms import FiguresForm
from jiedao.visits.models import Risk

COLOUR_NAMES = {c.value: c.label for c in CareColour}


def _names(group: str, keys, user) -> dict:
    if group == "community":
        return dict(Community.objects.within(scope_of(user)).filter(pk__in=[k for k in keys if k])
                    .values_list("pk", "name"))
    if group == "worker":
        return {u.pk: u.display_name for u in User.objects.filter(pk__in=[k for k in keys if k])}
    return {k: COLOUR_NAMES.get(k, k) for k in keys}


@login_required
@require_GET
def figures(request):
    ensure_perm(request.user, Perm.VIEW_VISITS)
    form = FiguresForm(request.GET or None)
    if not form.is_valid():
        form = FiguresForm({"period": "year", "group": (request.GET.get("group") or "community")})
        form.is_valid()
        if request.GET:
            messages.error(request, "；".join(e for es in FiguresForm(request.GET).errors.values() for e in es))
    d = form.cleaned_data
    start, end, group = d["start"], d["end"], d["group"]
    # The date fields show the period chosen (this year, last month …), so that it reads at a glance.
    form = FiguresForm(initial={"period": d["period"], "start": start, "end": end, "group": group})
    if selectors.own_only(request.user):
        group = "colour"
    data = selectors.figures(user=request.user, start=start, end=end, group=group)
    names = _names(group, data["rows"].keys(), request.user)
    key_param = {"community": "community", "worker": "worker", "colour": "colour"}[group]
    rows = []
    for key, f in sorted(data["rows"].items(), key=lambda kv: str(names.get(kv[0], "")) or "~"):
        if key is None and group != "colour":
            label = _("（未分配）") if group == "worker" else "—"
        else:
            label = names.get(key, key) or COLOUR_NAMES.get("", "")
        rows.append({"label": label, "f": f, "links": _links(start, end, key_param, key)})
    return render(request, "visits/figures.html", {
        "form": form, "start": start, "end": end, "group": group, "rows": rows, "total": data["total"],
        "total_links": _links(start, end, None, None), "definitions": DEFINITIONS,
        "own_only": selectors.own_only(request.user)})


def _links(start, end, param: str | None, key) -> dict[str, str]:
    """Drill-down query strings for each figure of a row."""
    base_tasks = {"due_since": start.isoformat(), "due_until": end.isoformat()}
    base_visits = {"since": start.isoformat(), "until": end.isoformat()}
    if param is not None:
        value = "none" if key in (None, "") and param in ("worker", "colour") else key
        if param == "colour":
            base_tasks["colour"] = value
        elif param == "worker":
            base_tasks["worker"] = value
            if value != "none":
                base_visits["worker"] = value
        else:
            base_tasks["community"] = base_visits["community"] = value
    return {
        "coverage": urlencode(base_tasks),
        "on_time": urlencode({**base_tasks, "done": "0"}),
        "high_risk": urlencode({**base_visits, "risk": Risk.HIGH}),
        "referred": urlencode({**base_visits, "problems": "true"}),
        "satisfaction": urlencode({**base_visits, "rated": "true"}),
    }


@login_required
@require_GET
def visit_list(request):
    """走访记录: the visits behind a figure (or the head's flagged notes, high-risk households)."""
    ensure_perm(request.user, Perm.VIEW_VISITS)
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    try:
        rows = selectors.visit_list(user=request.user, filters=filters)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        filters, rows = {}, selectors.visit_list(user=request.user, filters={})
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    labels = {k: f.label for k, f in VisitFilter.base_filters.items()}
    return render(request, "visits/list.html", {
        "page": page, "filters": [(labels.get(k, k), v) for k, v in filters.items()],
        "query": urlencode(filters), "today": timezone.localdate()})
