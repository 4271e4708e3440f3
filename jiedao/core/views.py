"""Pages of the core module: home, sign-in, the audit log and the one refusal page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core import selectors
from jiedao.core.access import ensure_perm
from jiedao.core.audit import record_denied
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): the platform's icon."""
    return redirect(static("core/favicon.svg"), permanent=True)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.path.startswith("/api/")


def permission_denied(request, exception: Exception | None = None):
    """The one refusal page (handler403): every PermissionDenied a page raises, already audited where it was
    raised (``core.access``), shows as ``403.html`` with its message; a client asking for JSON gets JSON."""
    message = str(exception) if exception is not None and str(exception) else _("您无权执行此操作")
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form without a valid CSRF token (most often a page left open across a sign-out)
    is refused on the one 403 page, with what to do, instead of Django's bare English page."""
    record_denied(actor=getattr(request, "user", None), detail={"csrf": reason[:100]})
    return permission_denied(request, PermissionDenied(_("表单已过期或来源无法验证，请刷新页面后重新提交")))


def page_not_found(request, exception: Exception | None = None):
    """The one not-found page (handler404), in the platform's layout. A row outside the user's scope is
    answered with this same page (``core.access.get_in_scope``), so the page never says which of the two it
    was: the exception's text is not shown."""
    if _wants_json(request):
        return JsonResponse({"detail": _("对象不存在或不在您的数据范围内")}, status=404)
    return render(request, "404.html", status=404)


@login_required
def home(request):
    return render(request, "core/home.html", {"scope": scope_of(request.user)})


@login_required
def audit_log(request):
    """审计日志: search who did what, including every reveal of personal data."""
    ensure_perm(request.user, Perm.VIEW_AUDIT, message=_("只有审计员和管理员可以查询审计日志"))
    try:
        entries = selectors.audit_search(user=request.user, filters=request.GET)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        page, status = None, 400
    else:
        page, status = Paginator(entries.select_related(None), 50).get_page(request.GET.get("page")), 200
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request, "core/audit.html",
        {"page": page, "params": request.GET, "query": query, "actions": AuditAction.choices}, status=status,
    )
