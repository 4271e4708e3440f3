"""告警队列 and one alarm with its events, evidence and commands; the figures page; evidence pictures."""

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiedao.core import charts
from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm, has_perm
from jiedao.sensing import selectors, services
from jiedao.sensing.defaults import COMMANDS
from jiedao.sensing.forms import AlarmFilterForm, NoteForm, apply_errors
from jiedao.sensing.models import Alarm, EventImage
from jiedao.sensing.services.alarms import alarm_events
from jiedao.sensing.views.common import duration, sections

PAGE_SIZE = 50
TABS = [("", gettext_lazy("全部")), ("open", gettext_lazy("处置中")), ("no_case", gettext_lazy("未立案")),
        ("closed", gettext_lazy("已结束")), ("false", gettext_lazy("误报"))]


def state_of(alarm: Alarm) -> tuple[str, str]:
    """(css class, label) of an alarm's state as the queue shows it."""
    if alarm.false_alarm:
        return "false", _("误报")
    if alarm.closed_at:
        return "closed", _("已结束")
    if alarm.case_id:
        return "open", _("处置中")
    if not alarm.opens_case:
        return "none", _("不立案")
    if alarm.case_error:
        return "error", _("立案失败，待重试")
    return "pending", _("立案中")


def _row(alarm: Alarm) -> dict:
    state, label = state_of(alarm)
    device = alarm.device
    return {
        "number": alarm.external_id, "type": _(alarm.type.name), "device": device.code, "urgent": alarm.urgent,
        "place": " · ".join(filter(None, [alarm.community.name if alarm.community_id else "", device.place])),
        "opened_at": timezone.localtime(alarm.opened_at).strftime("%m-%d %H:%M"), "count": alarm.count,
        "case": alarm.case.number if alarm.case_id else "", "case_status": alarm.case.get_status_display()
        if alarm.case_id else "", "state": state, "state_label": label,
    }


@login_required
def alarm_queue(request):
    ensure_perm(request.user, Perm.VIEW_SENSING)
    form = AlarmFilterForm(request.GET, user=request.user)
    filters = form.filters() if form.is_valid() else {}
    try:
        alarms = selectors.alarm_list(user=request.user, filters=filters)
    except ValidationError as exc:
        apply_errors(form, exc)
        alarms = selectors.alarm_list(user=request.user)
    page = Paginator(alarms, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k not in ("page", "state") and v}
    tabs = [{"label": label, "url": "?" + urlencode({**query, "state": value} if value else query),
             "current": filters.get("state", "") == value} for value, label in TABS]
    return render(request, "sensing/alarms.html", {
        "sections": sections(request, "sensing:alarms"), "form": form, "tabs": tabs, "page": page,
        "rows": [_row(a) for a in page.object_list], "query": urlencode(
            {k: v for k, v in request.GET.items() if k != "page"}),
    })


@login_required
def alarm_detail(request, number: str):
    alarm = selectors.get_alarm(user=request.user, number=number)
    return _render_detail(request, alarm, NoteForm())


def _render_detail(request, alarm: Alarm, form: NoteForm, status: int = 200):
    events = list(alarm_events(alarm).select_related("type"))
    for e in events:
        e.evidence_text = json.dumps(e.evidence, ensure_ascii=False, indent=1) if e.evidence else ""
    state, label = state_of(alarm)
    case = alarm.case
    commands = list(selectors.alarm_commands(alarm=alarm))
    for c in commands:
        c.label = _(COMMANDS.get(c.code, c.code))
    may_mark_false = (has_perm(request.user, Perm.OPERATE_CASES) and case is not None and alarm.false_alarm is None
                      and case.status in ("new", "registered", "handled"))
    return render(request, "sensing/alarm.html", {
        "sections": sections(request, "sensing:alarms"), "alarm": alarm, "state": state, "state_label": label,
        "events": events, "commands": commands, "case": case,
        "may_mark_false": may_mark_false, "form": form,
        "to_close": duration(alarm.closed_at - alarm.opened_at) if alarm.closed_at else None,
        "device_label": alarm.device.place or alarm.device.name or alarm.device.code,
    }, status=status)


@login_required
@require_POST
def mark_false(request, number: str):
    alarm = selectors.get_alarm(user=request.user, number=number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.mark_false(alarm=alarm, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已标为误报，案件已结束"))
            return redirect("sensing:alarm", number=alarm.external_id)
    return _render_detail(request, alarm, form, status=422)


@login_required
def figures(request):
    days = request.GET.get("days", "30")
    days = int(days) if days.isdigit() and 1 <= int(days) <= 366 else 30
    f = selectors.figures(user=request.user, days=days)
    labels = [d.strftime("%m-%d") if days <= 14 or d.day == 1 or i == 0 else str(d.day)
              for i, (d, _counts) in enumerate(f.by_day)]
    top_types = [t for t, _n in f.by_type[:4]]
    series = [(_(t.name), [counts.get(t.code, 0) for _d, counts in f.by_day]) for t in top_types]
    chart = charts.grouped_bars(labels, series or [(_("告警"), [0] * len(labels))], integer=True,
                                title=_("每日告警（前四类）"), width=max(900, 12 * len(labels) * max(1, len(series))))
    def minutes(value):
        return duration(dt.timedelta(minutes=value)) if value is not None else "—"

    return render(request, "sensing/figures.html", {
        "sections": sections(request, "sensing:figures"), "f": f, "days": days, "chart": chart,
        "close_median": minutes(f.close_minutes_median), "close_p90": minutes(f.close_minutes_p90),
        "periods": [7, 30, 90, 365],
    })


@login_required
def image(request, token: str):
    """An event's evidence picture, to readers who may see the event's device (404 otherwise)."""
    ensure_perm(request.user, Perm.VIEW_SENSING)
    found = EventImage.objects.filter(token=token).select_related("event__device").first()
    if found is None:
        raise Http404
    get_in_scope(type(found.event.device).objects.all(), user=request.user, pk=found.event.device_id)
    response = FileResponse(found.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
