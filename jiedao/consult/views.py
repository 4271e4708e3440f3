"""征询与表决's pages: the list and 发起, a consultation's progress board with its rounds, the electorate with
corrections, the printable letters, staff ballot entry and the second entry, who to visit next; and, without
an account, the owner's voting page (phone-sized) and the 公示 page."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiedao.consult import selectors, services
from jiedao.consult.forms import ConfirmForm, CorrectForm, CreateForm, EntryForm, VoteForm, apply_errors
from jiedao.consult.models import Consultation, Status
from jiedao.core.access import ensure_perm
from jiedao.core.audit import record
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm, has_perm


def _get(request, pk: int) -> Consultation:
    return selectors.get_consultation(user=request.user, pk=pk)


def _rounds(c: Consultation) -> list[Consultation]:
    """The consultation's rounds in order (打浦桥: 意愿征询, then 签约), following ``previous`` both ways."""
    first = c
    while first.previous_id:
        first = first.previous
    rounds, current = [first], first
    while True:
        nxt = current.next_rounds.order_by("round", "pk").first()
        if nxt is None or nxt in rounds:
            return rounds
        rounds.append(nxt)
        current = nxt


@login_required
def consultation_list(request):
    ensure_perm(request.user, Perm.VIEW_CONSULT)
    can_run = has_perm(request.user, Perm.RUN_CONSULT)
    form = CreateForm(request.POST or None, user=request.user) if can_run else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        place = {"building": data["building"]}
        if data["unit"]:
            unit = data["building"].units.filter(number=data["unit"]).first()
            if unit is None:
                form.add_error("unit", _("该楼栋没有 %(n)s 单元") % {"n": data["unit"]})
            place = {"unit": unit}
        if not form.errors:
            try:
                c = services.create_consultation(
                    subdistrict=request.user.subdistrict, kind=data["kind"], title=data["title"],
                    rule=data["rule"] or None, opens_at=data["opens_at"], closes_at=data["closes_at"],
                    created_by=request.user, share_of=data["share_of"] or None,
                    share_at_least=data["share_at_least"] or None, notice_from=data["notice_from"],
                    result_notice_until=data["result_notice_until"], previous=data["previous"],
                    round=(data["previous"].round + 1) if data["previous"] else 1, **place)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已发起征询，请登记业主与面积后开启"))
                return redirect("consult:electorate", pk=c.pk)
    status = request.GET.get("status") or None
    rows = [(c, selectors.outcome(c, visit=False)) for c in selectors.consultation_list(user=request.user,
                                                                                         status=status)[:200]]
    return render(request, "consult/list.html", {"rows": rows, "form": form, "status": status,
                                                 "statuses": Status.choices},
                  status=400 if form is not None and form.errors else 200)


@login_required
def detail(request, pk: int):
    """The live progress board (进度看板)."""
    c = _get(request, pk)
    data = selectors.board(consultation=c, user=request.user)
    return render(request, "consult/detail.html", {
        "c": c, "board": data, "outcome": data["outcome"], "rounds": _rounds(c),
        "can_run": has_perm(request.user, Perm.RUN_CONSULT), "can_ballot": has_perm(request.user, Perm.BALLOT_CONSULT),
        "live": c.status == Status.OPEN and not c.voting_over()})


@login_required
@require_POST
def action(request, pk: int, name: str):
    c = _get(request, pk)
    try:
        if name == "open":
            services.open_consultation(c, by=request.user)
            messages.success(request, _("征询已开启，可打印告知书"))
        elif name == "close":
            services.close_consultation(c, by=request.user, meeting_record=request.POST.get("meeting_record"))
            messages.success(request, _("征询已结束，结果已固定"))
        else:
            raise Http404
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("consult:detail", pk=c.pk)


@login_required
def electorate(request, pk: int):
    c = _get(request, pk)
    can_run = has_perm(request.user, Perm.RUN_CONSULT) and c.status != Status.CLOSED
    form, editing = None, None
    if request.method == "POST":
        ensure_perm(request.user, Perm.RUN_CONSULT)
        editing = selectors.get_dwelling(user=request.user, consultation=c, pk=int(request.POST.get("unit", 0)))
        form = CorrectForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.correct_dwelling(
                    dwelling=editing, by=request.user, reason=data["reason"],
                    owner_name=data["owner_name"] or None, owner_document=data["owner_document"] or None,
                    unsold=data["unsold"] if "unsold" in request.POST or editing.unsold else None,
                    area=data["area"] or None)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(u)s 已更正") % {"u": editing.label})
                return redirect(reverse("consult:electorate", args=[c.pk]) + f"#u{editing.pk}")
    rows = selectors.electorate_rows(consultation=c, user=request.user)
    return render(request, "consult/electorate.html", {
        "c": c, "rows": rows, "can_run": can_run, "form": form or CorrectForm(), "editing": editing,
        "missing": selectors.missing_data(c) if c.status == Status.DRAFT else []},
        status=400 if form is not None and form.errors else 200)


@login_required
def letters(request, pk: int):
    """征询告知书: one page per unit, each with its one-time voting code as a QR and as text (audited: the
    codes leave the platform on paper)."""
    c = _get(request, pk)
    rows = selectors.letters(consultation=c, user=request.user)
    record(actor=request.user, action=AuditAction.EXPORT, obj=c, detail={"medium": "letters", "codes": len(rows)})
    base = request.build_absolute_uri("/")[:-1]
    for row in rows:
        row["url"] = base + reverse("consult:vote", args=[row["token"]])
        row["qr"] = segno.make(row["url"], error="m").svg_inline(scale=3, title=_("表决二维码"))
    return render(request, "consult/letters.html", {"c": c, "rows": rows})


@login_required
def ballots(request, pk: int):
    """现场 / 纸质 / 委托 票的录入, and the second entry of others' entries (blind: the first entry's choice is
    not shown)."""
    c = _get(request, pk)
    ensure_perm(request.user, Perm.BALLOT_CONSULT)
    form = EntryForm(request.POST or None, request.FILES or None) if request.POST.get("form") == "enter" \
        else EntryForm()
    if request.method == "POST" and request.POST.get("form") == "enter" and form.is_valid():
        data = form.cleaned_data
        d = c.dwellings.filter(label=data["label"].strip()).first()
        if d is None:
            form.add_error("label", _("表决范围内没有房号“%(u)s”") % {"u": data["label"]})
        else:
            try:
                services.enter_ballot(dwelling=d, choice=data["choice"], channel=data["channel"], by=request.user,
                                      cast_at=data["cast_at"], proxy_name=data["proxy_name"],
                                      proxy_document=data["proxy_document"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(u)s 的选票已录入，待另一位工作人员复核") % {"u": d.label})
                return redirect("consult:ballots", pk=c.pk)
    confirm_errors = {}
    if request.method == "POST" and request.POST.get("form") == "confirm":
        ballot = selectors.get_ballot(user=request.user, consultation=c, pk=int(request.POST.get("ballot", 0)))
        cf = ConfirmForm(request.POST)
        if cf.is_valid():
            try:
                services.confirm_ballot(ballot=ballot, choice=cf.cleaned_data["choice"], by=request.user)
            except ValidationError as exc:
                confirm_errors[ballot.pk] = exc.messages
            else:
                if ballot.state == "counted":
                    messages.success(request, _("%(u)s 复核一致，已计入") % {"u": ballot.dwelling.label})
                else:
                    messages.error(request, _("%(u)s 两次录入不一致，已标记，不计入；请核对纸质票后重新录入")
                                   % {"u": ballot.dwelling.label})
                return redirect("consult:ballots", pk=c.pk)
        else:
            confirm_errors[ballot.pk] = [_("请选择复核意见")]
    entries = list(selectors.pending_entries(consultation=c, user=request.user))
    return render(request, "consult/ballots.html", {
        "c": c, "form": form, "entries": entries, "confirm_form": ConfirmForm(), "confirm_errors": confirm_errors,
        "labels": list(c.dwellings.order_by("label").values_list("label", flat=True))},
        status=400 if form.errors or confirm_errors else 200)


@login_required
def visit_next(request, pk: int):
    c = _get(request, pk)
    result = selectors.outcome(c, visit=True)
    return render(request, "consult/visit_next.html", {"c": c, "outcome": result})


# ------------------------------------------------------------------------------ residents, no account

@never_cache
def vote(request, token: str):
    """The owner's voting page, opened from the QR on the letter: phone-sized, no account."""
    try:
        code = services.read_code(token=token)
    except services.BadCode as exc:
        return render(request, "consult/vote_refused.html", {"message": exc.message, "reason": exc.reason},
                      status=410 if exc.reason in ("used", "closed", "revoked") else 404)
    form = VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_online(token=token, choice=form.cleaned_data["choice"])
        except services.BadCode as exc:
            return render(request, "consult/vote_refused.html", {"message": exc.message, "reason": exc.reason},
                          status=410)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(request, "consult/vote_done.html", {"c": code.dwelling.consultation,
                                                              "choice": form.cleaned_data["choice"]})
    c = code.dwelling.consultation
    return render(request, "consult/vote.html", {"form": form, "c": c, "unit": code.dwelling.label},
                  status=400 if form.errors else 200)


def notice(request, pk: int):
    """公示: the matter and timetable before the vote, participation during it, the result after it; no
    personal data."""
    c = get_object_or_404(Consultation.objects.select_related("subdistrict"), pk=pk)
    data = selectors.public_notice(c)
    if data is None:
        raise Http404
    return render(request, "consult/notice.html", {"c": c, **data, "rounds": _rounds(c)})
