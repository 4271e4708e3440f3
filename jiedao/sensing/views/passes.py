"""电子出入证 pages: issue and revoke from the household file (registry), the issued pass with its QR code,
and the holder's own page (reached by the key handed over at issue) where visitors get day passes."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm, has_perm
from jiedao.registry.models import Household, Resident
from jiedao.sensing.forms import NoteForm, VisitorForm, apply_errors
from jiedao.sensing.models import AccessPass
from jiedao.sensing.services import passes

SESSION_KEY = "sensing_pass_keys"  # pass id → the holder's key, until the issuing page has shown it once


def qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=4, title=_("出入证二维码"))


def _household_url(household: Household) -> str:
    return reverse("registry:household", args=[household.pk])


@login_required
@require_POST
def issue(request):
    ensure_perm(request.user, Perm.EDIT_REGISTRY)
    household = get_in_scope(Household.objects.select_related("building__estate"), user=request.user,
                             pk=request.POST.get("household") or 0)
    resident = get_object_or_404(Resident, pk=request.POST.get("resident") or 0, household=household)
    try:
        access_pass, key = passes.issue_resident_pass(household=household, resident=resident, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(_household_url(household))
    request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), access_pass.pass_id: key}
    return redirect("sensing:pass", pass_id=access_pass.pass_id)


@never_cache
@login_required
def pass_page(request, pass_id: str):
    """An issued pass for the worker: its QR code to print, and once, right after issue, the holder's link."""
    ensure_perm(request.user, Perm.VIEW_REGISTRY)
    access_pass = get_in_scope(AccessPass.objects.select_related("household__building__estate", "subdistrict"),
                               user=request.user, pass_id=pass_id)
    keys = request.session.get(SESSION_KEY, {})
    key = keys.pop(pass_id, None)
    if key is not None:
        request.session[SESSION_KEY] = keys
    holder_url = request.build_absolute_uri(reverse("sensing:holder", args=[key])) if key else ""
    return render(request, "sensing/pass.html", {
        "pass": access_pass, "qr": qr_svg(passes.token(access_pass)) if access_pass.is_valid() else "",
        "holder_url": holder_url, "holder_qr": qr_svg(holder_url) if holder_url else "",
        "household_url": _household_url(access_pass.household), "form": NoteForm(),
        "may_revoke": access_pass.revoked_at is None and has_perm(request.user, Perm.EDIT_REGISTRY),
    })


@login_required
@require_POST
def revoke(request, pass_id: str):
    access_pass = get_in_scope(AccessPass.objects.all(), user=request.user, pass_id=pass_id)
    form = NoteForm(request.POST)
    reason = form.cleaned_data["note"] if form.is_valid() else ""
    passes.revoke_pass(access_pass=access_pass, by=request.user, reason=reason)
    messages.success(request, _("出入证 %(n)s 已注销，门禁下次同步后失效") % {"n": access_pass.pass_id})
    return redirect("sensing:pass", pass_id=access_pass.pass_id)


@never_cache
def holder(request, key: str):
    """The holder's own page, without signing in: their pass's QR code, and visitor day passes."""
    access_pass = passes.holder_pass(key)
    if access_pass is None:
        raise Http404
    form, status, new_visitor = VisitorForm(), 200, None
    if request.method == "POST":
        form = VisitorForm(request.POST)
        if form.is_valid():
            try:
                new_visitor = passes.issue_visitor_pass(key=key, day=form.cleaned_data["day"],
                                                        label=form.cleaned_data["label"])
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 422
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                form = VisitorForm()
        else:
            status = 422
    now = timezone.now()
    visitors = [{"pass": v, "qr": qr_svg(passes.token(v))}
                for v in access_pass.visitor_passes.filter(revoked_at=None, valid_until__gt=now).order_by("valid_from")]
    response = render(request, "sensing/holder.html", {
        "pass": access_pass, "valid": access_pass.is_valid(now),
        "qr": qr_svg(passes.token(access_pass)) if access_pass.is_valid(now) else "",
        "estate": access_pass.household.building.estate.name, "form": form, "visitors": visitors,
        "new_visitor": new_visitor,
    }, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the page's address is its key
    return response
