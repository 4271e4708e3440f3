"""One case: its facts, the classifier's suggestion, its likely duplicates (疑似重复) with the operator's
合并 / 不是重复, a map, photos, the whole timeline, and a form for each step the user may take now. Every
form carries the case's version: a stale one is refused (services.Conflict) with the current case on screen
and the user's text kept."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jiedao.cases import api, households, selectors, services
from jiedao.cases.forms import ActionForm, DuplicateForm, RevealForm, apply_errors
from jiedao.cases.models import Attachment, Case, Category, EventKind, Process, Rating, Status
from jiedao.cases.views.common import time_left
from jiedao.core.crypto import mask_phone
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of

# Actions shown as buttons of their own rather than in the "more" list.
PRIMARY = ("register", "dispatch", "accept", "contact", "handle", "close", "visit")


def next_action(case: Case, kinds: list[str]) -> str | None:
    """The step the case waits for from this user, highlighted on the page: 立案, 派遣, 签收, then 先行联系
    (when its process asks for it) before 处置反馈, 结案, 回访; None when the user has no such step."""
    if case.status == Status.HANDLING:
        contact_due = case.first_contacted_at is None and (case.process is None or case.process.first_contact_required)
        wanted = "contact" if contact_due else "handle"
    else:
        wanted = {Status.NEW: "register", Status.REGISTERED: "dispatch", Status.DISPATCHED: "accept",
                  Status.HANDLED: "close", Status.CLOSED: "visit", Status.SUSPENDED: "resume"}.get(case.status)
    return wanted if wanted in kinds else None


def _processes(user):
    return list(Process.objects.within(scope_of(user)).filter(active=True).order_by("code"))


def _action_form(action: str, case: Case, user, *, data=None, files=None, routed=None, processes=()):
    return ActionForm(data, files, action=action, case=case, user=user, routed=routed, processes=processes)


def _event_facts(event, categories: dict, visible: set[str]) -> list[str]:
    """A line or two of what an event's data says, in words (a case number only if it is in ``visible``)."""
    d = {k: v for k, v in (event.data or {}).items() if k not in selectors.NUMBER_KEYS or v in visible}
    out = []
    if d.get("category"):
        out.append(_("分类：%(c)s") % {"c": categories.get(d["category"], d["category"])})
    if d.get("handle_due"):
        due = timezone.localtime(dt.datetime.fromisoformat(d["handle_due"]))
        out.append(_("办理时限：%(t)s") % {"t": due.strftime("%Y-%m-%d %H:%M")})
    if d.get("days"):
        out.append(_("延期 %(n)s 个工作日") % {"n": d["days"]})
    if d.get("rating"):
        out.append(_("评价：%(r)s") % {"r": Rating(d["rating"]).label})
    if d.get("into"):
        out.append(_("合并到 %(n)s") % {"n": d["into"]})
    if d.get("grid"):
        out.append(_("网格：%(g)s") % {"g": d["grid"]})
    if d.get("possible_duplicate_of") or d.get("candidate"):
        out.append(_("疑似重复：%(n)s") % {"n": d.get("possible_duplicate_of") or d["candidate"]})
    return out


def _decision(case: Case, events: list, visible: set[str]) -> dict | None:
    """The operator's answer to the 疑似重复 flag, as the page shows it: 合并 or 不是重复, when, by whom, and
    the case it named (if the user may see it)."""
    if case.duplicate_accepted is None:
        return None
    kind = EventKind.MERGED if case.duplicate_accepted else EventKind.NOT_DUPLICATE
    event = next((e for e in reversed(events) if e.kind == kind), None)
    data = event.data if event is not None else {}
    number = data.get("into") if case.duplicate_accepted else data.get("candidate")
    return {"accepted": case.duplicate_accepted, "at": case.duplicate_decided_at,
            "by": event.actor_name if event is not None else "", "number": number if number in visible else ""}


def _map_config(case: Case) -> dict:
    """The point (and its grid's outline) for the small map; shifted to GCJ-02 when the tiles need it."""
    shift = settings.MAP_TILE_CRS == "gcj02"

    def point(lon, lat):
        if shift:
            from jiedao.geo.gcj02 import wgs84_to_gcj02

            lon, lat = wgs84_to_gcj02(lon, lat)
        return [lat, lon]

    outline = []
    if case.grid_id and case.grid.geometry and case.grid.geometry.get("type") == "Polygon":
        outline = [point(lon, lat) for lon, lat in case.grid.geometry["coordinates"][0]]
    sub = case.subdistrict
    return {
        "point": point(case.lon, case.lat) if case.lat is not None and case.lon is not None else None,
        "outline": outline,
        "center": point(sub.center_lon, sub.center_lat),
        "tileUrl": settings.MAP_TILE_URL,
        "shifted": shift,
    }


def _render(request, case: Case, *, bound: ActionForm | None = None, lost_note: str = "", revealed: str = "",
            reveal_form: RevealForm | None = None, duplicate_form: DuplicateForm | None = None, status: int = 200):
    user = request.user
    now = timezone.now()
    allowed = services.allowed_actions(case=case, user=user)
    kinds = [t.kind for t in allowed]
    dispatching = "dispatch" in kinds or "reopen" in kinds
    routed = services.route(case=case) if dispatching else (None, None)
    processes = _processes(user) if dispatching else []
    forms = []
    highlighted = next_action(case, kinds)
    for t in allowed:
        if bound is not None and bound.action == t.kind:
            form = bound
        else:
            form = _action_form(t.kind, case, user, routed=routed, processes=processes)
        forms.append({"kind": t.kind, "label": t.label, "form": form, "primary": t.kind in PRIMARY,
                      "next": t.kind == highlighted, "open": bound is not None and bound.action == t.kind})
    forms.sort(key=lambda f: not f["next"])  # the next step first, the others in the loop's order
    # The case's photos, read once: the photo list shows them all, the timeline each event's own.
    photos = list(case.attachments.all())
    by_event: dict[int | None, list[Attachment]] = {}
    for attachment in photos:
        by_event.setdefault(attachment.event_id, []).append(attachment)
    categories = {code: _(name) for code, name in Category.objects.values_list("code", "name")}
    events = list(selectors.timeline(case=case, photos=False))
    visible = selectors.visible_numbers(user=user, case=case, numbers=selectors.numbers_named(case=case,
                                                                                           events=events))
    timeline = [{"event": e, "facts": _event_facts(e, categories, visible), "photos": by_event.get(e.pk, [])}
                for e in events]
    due_previews = [
        {"code": p.code, "limit": p.limit_label,
         "due": timezone.localtime(services.deadlines(process=p, start=now)["handle_due"]).strftime("%Y-%m-%d %H:%M")}
        for p in processes
    ]
    context = {
        "case": case,
        "due": time_left(case, now),
        "phone_masked": mask_phone(case.reporter_phone),
        "revealed": revealed,
        "can_reveal": bool(case.reporter_phone) and has_perm(user, Perm.REVEAL_PHONE),
        "reveal_form": reveal_form or RevealForm(),
        "suggestion": selectors.suggestion_shown(case.suggestion),
        "routed": {"department": routed[0], "process": routed[1]},
        "due_previews": due_previews,
        "actions": forms,
        "lost_note": lost_note,
        "timeline": timeline,
        "photos": photos,
        "map_config": _map_config(case),
        "duplicates": selectors.duplicates_shown(user=user, case=case),
        "duplicate_decision": _decision(case, events, visible),
        "duplicate_errors": [m for found in duplicate_form.errors.values() for m in found] if duplicate_form else [],
        "duplicate_note": duplicate_form["note"].value() or "" if duplicate_form else "",
        "merged_into": case.duplicate_of.number if case.duplicate_of and case.duplicate_of.number in visible else "",
        "household": households.household_shown(user=user, case=case),
    }
    response = render(request, "cases/detail.html", context, status=status)
    response["Cache-Control"] = "no-store"  # it may carry a revealed phone number
    return response


@login_required
@require_GET
@never_cache
def case_detail(request, number: str):
    return _render(request, selectors.case_by_number(user=request.user, number=number))


@login_required
@require_POST
def act(request, number: str, action: str):
    """One step of the closed loop from the case page: redirect on success, the page with errors otherwise."""
    if action not in services.TRANSITIONS:
        raise Http404
    user = request.user
    case = selectors.case_by_number(user=user, number=number)
    routed = services.route(case=case) if action in ("dispatch", "reopen") else None
    processes = _processes(user) if action in ("dispatch", "reopen") else ()
    form = _action_form(action, case, user, data=request.POST, files=request.FILES, routed=routed,
                        processes=processes)
    conflict = False
    if form.is_valid():
        try:
            if action == "merge" and case.possible_duplicate_of_id is not None:
                # 合并 of a flagged case answers the flag: recorded as accepted (疑似重复采纳率).
                services.decide_duplicate(by=user, case=case, accepted=True, into=form.cleaned_data.get("into", ""),
                                          note=form.cleaned_data["note"], version=form.cleaned_data["version"])
            else:
                services.perform(case=case, action=action, by=user, note=form.cleaned_data["note"],
                                 version=form.cleaned_data["version"], **form.params())
        except services.Conflict as exc:
            conflict = str(exc)
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"location": "lat"} if action == "place" else None)
        else:
            messages.success(request, _("已完成：%(action)s") % {"action": services.TRANSITIONS[action].label})
            if not Case.objects.within(scope_of(user)).filter(pk=case.pk).exists():
                # 退回 takes the case out of the handler's department: back to their queue, not to a 403.
                return redirect("cases:queue")
            return redirect("cases:detail", case.number)
    case = selectors.case_detail(user=user, pk=case.pk)  # as it is now
    if conflict:
        # Show the case as it is now; the user's text stays in the form, which now carries the current version,
        # so they can look at what changed and send it again on purpose.
        data = request.POST.copy()
        data[f"{action}-version"] = str(case.version)
        form = _action_form(action, case, user, data=data, routed=routed, processes=processes)
        form.is_valid()
        form.add_error(None, conflict)
        if action not in [t.kind for t in services.allowed_actions(case=case, user=user)]:
            messages.error(request, conflict)
            return _render(request, case, lost_note=request.POST.get(f"{action}-note", ""), status=409)
        return _render(request, case, bound=form, status=409)
    return _render(request, case, bound=form, status=400)


@login_required
@require_POST
def decide_duplicate(request, number: str):
    """合并 or 不是重复, the operator's answer to the 疑似重复 flag (services.decide_duplicate): back to the
    case on success, the page with the reason otherwise (409 when the case changed meanwhile)."""
    user = request.user
    case = selectors.case_by_number(user=user, number=number)
    form = DuplicateForm(request.POST)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            decided = services.decide_duplicate(by=user, case=case, accepted=d["accepted"], into=d["into"],
                                                note=d["note"], version=d["version"])
        except services.Conflict as exc:
            form.add_error(None, str(exc))
            status = 409
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if d["accepted"]:
                messages.success(request, _("已合并到 %(n)s") % {"n": decided.duplicate_of.number})
            else:
                messages.success(request, _("已判定不是重复"))
            return redirect("cases:detail", case.number)
    return _render(request, selectors.case_detail(user=user, pk=case.pk), duplicate_form=form, status=status)


@login_required
@require_POST
@never_cache
def reveal_phone(request, number: str):
    """查看完整号码: the plain number in this one response; the reveal is audited by the service."""
    case = selectors.case_by_number(user=request.user, number=number)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _render(request, case, reveal_form=form, status=400)
    phone = services.reveal_reporter_phone(case=case, by=request.user, reason=form.cleaned_data["reason"])
    return _render(request, case, revealed=phone)


@login_required
@require_GET
def photo(request, token: str):
    """A case photo, for a user who may see the case, or for the resident who reported it."""
    attachment = get_object_or_404(Attachment.objects.select_related("case"), token=token)
    if attachment.case.reporter_id is None or attachment.case.reporter_id != request.user.pk:
        try:
            selectors.case_detail(user=request.user, pk=attachment.case_id)
        except PermissionDenied:
            raise Http404 from None  # do not confirm that a photo exists to someone who may not see it
    return api.photo_response(attachment)
