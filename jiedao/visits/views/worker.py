"""The social worker's phone pages: today's list, the inbox, scanning a household's code, the visit form (sent
once, or kept on the phone and sent when the network is back), a visit with its assessment and cases, the
feedback card, and the worker's own history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jiedao.core import audit
from jiedao.core.access import ensure_perm
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm, has_perm
from jiedao.visits import selectors, services
from jiedao.visits.forms import FollowUpForm, VisitPageForm, apply_errors
from jiedao.visits.models import OTHERS_MET, ChecklistItem, TaskStatus, VisitPhoto, VisitTask
from jiedao.visits.views.common import json_errors, marked_note, wants_json


@login_required
@never_cache
def today(request):
    """今日任务 (phone): overdue, due within a week, then the rest of the period by building."""
    if not has_perm(request.user, Perm.DO_VISITS) and has_perm(request.user, Perm.VIEW_VISITS):
        return redirect("visits:figures")
    data = selectors.today_list(user=request.user)
    return render(request, "visits/today.html", {
        "list": data, "today": timezone.localdate(), "unread_total": sum(data.unread.values()),
        "can_manage": has_perm(request.user, Perm.MANAGE_VISITS)})


@login_required
@never_cache
def inbox(request):
    """站内提醒: the user's reminders, newest first; 全部标为已读."""
    if request.method == "POST":
        services.mark_read(user=request.user)
        return redirect("visits:inbox")
    page = Paginator(selectors.inbox(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "visits/inbox.html", {"page": page, "today": timezone.localdate()})


@login_required
@require_GET
def scan(request):
    """扫码: the phone's camera reads the household's code (where the browser can), or the code's link is
    pasted; either way the visit form of that household opens."""
    ensure_perm(request.user, Perm.DO_VISITS, message=_("您的角色不能入户走访"))
    code = (request.GET.get("code") or "").strip()
    if code:
        token = code.rstrip("/").rsplit("/h/", 1)[-1]
        return redirect("visits:checkin", token=token)
    return render(request, "visits/scan.html")


def _invalid_code(request, exc):
    revoked = exc.reason == "revoked"
    return render(request, "visits/scan_invalid.html", {"revoked": revoked}, status=410 if revoked else 404)


@login_required
@require_GET
@never_cache
def checkin(request, token: str):
    """扫码签到: the visit form of the household behind a scanned 户码."""
    from jiedao.registry.services import InvalidCode

    try:
        check_in = services.check_in_by_code(token=token, by=request.user)
    except InvalidCode as exc:
        return _invalid_code(request, exc)
    except PermissionDenied as exc:
        if not has_perm(request.user, Perm.DO_VISITS):
            raise
        raise PermissionDenied(_(
            "该户不在您负责的居委内，不能走访。扫码已记入审计日志；如确需走访，请联系居委负责人改派。")) from exc
    return _form_page(request, check_in)


@login_required
@require_GET
@never_cache
def start(request, household_id: int):
    """开始走访 from the household file (when the phone's camera opened the file, it counts as a scan)."""
    from jiedao.registry import selectors as registry_selectors

    household = registry_selectors.get_household(user=request.user, household_id=household_id)
    return _form_page(request, services.check_in_from_file(household=household, by=request.user))


def _categories() -> list[tuple[str, str]]:
    from jiedao.cases import selectors as case_selectors

    return [(c.code, _(c.name)) for c in case_selectors.categories()]


def _form_context(check_in, form=None) -> dict:
    household = check_in.household
    residents = list(household.residents.living().order_by("relation", "pk"))
    day = timezone.localtime(check_in.at).date()
    tasks = list(VisitTask.objects.filter(household=household, status=TaskStatus.OPEN, starts_on__lte=day)
                 .order_by("due_on"))
    if form is None:
        form = VisitPageForm(initial={"check_in": check_in.token, "client_id": ""}, residents=residents,
                             categories=_categories())
    return {"check_in": check_in, "household": household, "building": household.building, "residents": residents,
            "tasks": tasks, "items": list(ChecklistItem.objects.filter(active=True)), "form": form}


def _form_page(request, check_in, *, form=None, answers=None, status: int = 200):
    context = _form_context(check_in, form)
    answers = answers or {}
    context["checklist"] = [{"item": item, "value": answers.get(item.code, "")} for item in context["items"]]
    response = render(request, "visits/visit_form.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def submit(request):
    """提交走访: the form, from the page or from the phone's offline queue (JSON answer); sent twice, stored once."""
    try:
        check_in = services.read_check_in(token=request.POST.get("check_in", ""), by=request.user)
    except ValidationError as exc:
        if wants_json(request):
            return json_errors(exc)
        messages.error(request, "；".join(exc.messages))
        return redirect("visits:today")
    residents = list(check_in.household.residents.living())
    form = VisitPageForm(request.POST, request.FILES, residents=residents, categories=_categories())
    answers = {key.removeprefix("item-"): value for key, value in request.POST.items() if key.startswith("item-")}
    if form.is_valid():
        d = form.cleaned_data
        problems = [services.Problem(d["problem"], d["problem_category"] or "")] if d["problem"].strip() else []
        visit_form = services.VisitForm(
            check_in=d["check_in"], client_id=d["client_id"], note=d["note"], outcome=d["outcome"], answers=answers,
            met_residents=d["met_residents"], met_others=d["met_others"], lat=d["lat"], lon=d["lon"],
            accuracy_m=d["accuracy"], photos=d["photos"], problems=problems)
        try:
            result = services.submit_visit(form=visit_form, by=request.user)
        except ValidationError as exc:
            if wants_json(request):
                return json_errors(exc, status=getattr(exc, "status_code", 400))
            apply_errors(form, exc, aliases={"location": "note", "check_in": "note", "client_id": "note",
                                             "problems": "problem", "answers": "note"})
        else:
            url = reverse("visits:visit", args=[result.visit.pk])
            if wants_json(request):
                return JsonResponse({"id": result.visit.pk, "url": url, "created": result.created},
                                    status=201 if result.created else 200)
            messages.success(request, _("走访已提交") if result.created else _("这次走访已经提交过，没有重复保存"))
            return redirect(url)
    elif wants_json(request):
        return JsonResponse({"detail": _("表单有误"), "errors": [
            {"field": f, "message": m} for f, ms in form.errors.items() for m in ms]}, status=400)
    return _form_page(request, check_in, form=form, answers=answers, status=400)


@login_required
@require_GET
@never_cache
def visit(request, visit_id: int):
    """一次走访: check-in, who was met, the checklist, the note with the assessment's phrases marked, quality
    flags, the cases it filed with their status, the suggested follow-up and the resident's feedback."""
    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    if record.worker_id != request.user.pk:
        audit.record(actor=request.user, action=AuditAction.VIEW, obj=record)  # someone else reads the note
    return render(request, "visits/visit.html", _visit_context(request, record))


def follow_up_reason(record) -> str:
    """The suggestion's reason in the reader's language: 高风险（安全、环境）, High risk (Safety, Environment). The
    stored reason was written in Chinese at assessment; it is rebuilt here from the visit's risk and types."""
    level = _("%(level)s风险") % {"level": record.get_risk_display()}
    if not record.risk_types:
        return level
    return _("%(level)s（%(types)s）") % {"level": level, "types": _("、").join(_(t) for t in record.risk_types)}


def _visit_context(request, record, follow_up_form=None) -> dict:
    items = {i.code: _(i.label) for i in ChecklistItem.objects.all()}  # shipped labels read in English too
    answers = [(items.get(code, code), value) for code, value in record.answer_map.items()]
    feedback = getattr(record, "feedback", None)
    can_act = has_perm(request.user, Perm.DO_VISITS)
    return {
        "visit": record, "pieces": marked_note(record), "answers": answers,
        "met": list(record.met_residents.all()),
        "others": [OTHERS_MET[k] for k in record.met_others if k in OTHERS_MET],
        "cases": selectors.visit_cases(visit=record), "feedback": feedback,
        "evidence_by_type": record.assessment_data.get("evidence_by_type") or {},
        "suggestion": record.follow_up, "suggestion_reason": follow_up_reason(record),
        "tasks_done": list(record.tasks_done.all()),
        "follow_up_form": follow_up_form or (FollowUpForm(initial={
            "add_task": True, "file_case": bool((record.follow_up or {}).get("case_draft")),
            "case_description": ((record.follow_up or {}).get("case_draft") or {}).get("description", "")})
            if can_act and record.follow_up_status == "pending" else None),
        # The card is shown by whoever is at the door: the visit's worker (or the head standing in).
        "can_card": (can_act and feedback is not None and feedback.used_at is None
                     and (record.worker_id == request.user.pk or has_perm(request.user, Perm.MANAGE_VISITS))),
        "photos": list(record.photos.all()), "flags": shown_flags(record),
    }


def shown_flags(record) -> list[dict]:
    """The quality flags in the reader's language: the stored reason (kept in Chinese, with its numbers) for a
    Chinese reader, the flag's name otherwise."""
    from django.utils.translation import get_language

    from jiedao.visits.assessment.quality import FlagCode
    from jiedao.visits.services.evaluation import NO_SCAN, NO_SCAN_REASON

    chinese = (get_language() or "").startswith("zh")
    out = []
    for flag in record.flags:
        code = flag.get("code", "")
        if chinese:
            text = flag.get("reason", "")
        elif code == NO_SCAN:
            text = _(NO_SCAN_REASON)
        else:
            text = str(FlagCode(code).label) if code in FlagCode.values else code
        out.append({"code": code, "text": text})
    return out


@login_required
@require_POST
def follow_up(request, visit_id: int):
    """确认建议跟进: take the suggestion (a task, a case) or turn it down with a reason."""
    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.decide_follow_up(visit=record, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已处理评估建议"))
            return redirect("visits:visit", record.pk)
    return render(request, "visits/visit.html", _visit_context(request, record, form), status=400)


@login_required
@require_GET
def photo(request, visit_id: int, token: str):
    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    row = VisitPhoto.objects.filter(visit=record, token=token).first()
    if row is None:
        raise Http404
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
@never_cache
def card(request, visit_id: int):
    """评价卡: the one-time code to leave with the resident, as a QR code to scan now or print."""
    import segno

    ensure_perm(request.user, Perm.DO_VISITS)
    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    feedback = getattr(record, "feedback", None)
    if feedback is None or feedback.used_at is not None:
        raise Http404
    url = request.build_absolute_uri(reverse("visits:feedback", args=[services.token_for(feedback)]))
    response = render(request, "visits/card.html", {
        "visit": record, "feedback": feedback, "url": url, "svg": segno.make(url, error="m").svg_inline(scale=5)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def mine(request):
    """我的走访: the worker's own visits, newest first."""
    ensure_perm(request.user, Perm.DO_VISITS)
    visits = selectors.visit_list(user=request.user, filters={"worker": request.user.pk})
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    return render(request, "visits/mine.html", {"page": page})
