"""12345 工单录入: the 城运中心 operator's desk form for a hotline order, and what intake would make of it
while they type (the classifier's suggestion, the address found, a likely duplicate).

The form creates the case through ``services.intake``, as POST /api/v1/cases/ does; grid workers keep
their phone form (views.field).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jiedao.cases import selectors, services
from jiedao.cases.forms import HotlineForm, HotlinePreviewForm, apply_errors
from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm


@login_required
@never_cache
def hotline(request):
    ensure_perm(request.user, Perm.OPERATE_CASES)
    if request.user.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    form = HotlineForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.intake(subdistrict=request.user.subdistrict, by=request.user, **form.intake_params())
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"location": "address"})
        else:
            if result.created:
                messages.success(request, _("已受理，案件编号 %(n)s") % {"n": result.case.number})
                return redirect("cases:detail", result.case.number)
            existing = result.case
            form.add_error("external_id", _("工单编号 %(id)s 已受理为案件 %(n)s") % {
                "id": form.cleaned_data["external_id"], "n": existing.number})
    return render(request, "cases/hotline.html", {"form": form, "existing": existing},
                  status=400 if form.errors else 200)


@login_required
@require_GET
@never_cache
def hotline_preview(request):
    """JSON for the form's hints, asked as the operator types (cases.js, debounced)."""
    form = HotlinePreviewForm(request.GET)
    form.is_valid()  # a hint is a help: what does not parse is left out, not refused
    d = form.cleaned_data
    preview = selectors.intake_preview(user=request.user, description=d.get("description", ""),
                                       address=d.get("address", ""), category=d.get("category", ""),
                                       reported_at=d.get("reported_at"))
    return JsonResponse(preview)
