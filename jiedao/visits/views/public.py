"""扫码反馈: the resident's page, without an account. A forged, used or expired code gets a clear page and
nothing is written."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jiedao.visits import services
from jiedao.visits.forms import RatingForm, apply_errors


@never_cache
def feedback(request, token: str):
    try:
        code = services.read_code(token=token)
    except services.BadCode as exc:
        return render(request, "visits/feedback_refused.html", {"message": exc.message, "reason": exc.reason},
                      status=410 if exc.reason in ("used", "expired") else 404)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate(token=token, **form.cleaned_data)
        except services.BadCode as exc:
            return render(request, "visits/feedback_refused.html", {"message": exc.message, "reason": exc.reason},
                          status=410)
        except Exception as exc:  # a ValidationError of the rating or comment
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            apply_errors(form, exc)
        else:
            return render(request, "visits/feedback_done.html", {"title": _("感谢您的评价")})
    visit = code.visit
    return render(request, "visits/feedback.html", {
        "form": form, "code": code, "worker": visit.worker.display_name, "day": visit.checked_in_at,
        "about_case": code.case_id is not None}, status=400 if form.errors else 200)
