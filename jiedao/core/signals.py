"""Sign-ins, failed sign-ins and the lockouts that follow them (core.throttle) go to the audit log."""

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from jiedao.core import audit
from jiedao.core.middleware import current_request, mark_session_seen
from jiedao.core.models import AuditAction


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(actor=user, action=AuditAction.LOGIN)
    if request is not None and hasattr(request, "session"):
        mark_session_seen(request.session)  # a new session is saved anyway (core.middleware.session_idle_timeout)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted user name is kept (to spot guessing); the password never is. "locked": axes refused the
    # attempt, or this attempt reached the limit (axes' receiver runs first: its app is installed first).
    detail = {"username": credentials.get("username", ""),
              "locked": bool(getattr(request, "axes_locked_out", False))}
    if credentials.get("credential"):
        detail["credential"] = credentials["credential"]
    audit.record(actor=None, action=AuditAction.LOGIN_FAILED, detail=detail)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    """The failure that locks an account or address: recorded once, when the count reaches the limit
    (axes signals every later failure during the lock too, and each of those is a failed sign-in already)."""
    failures = getattr(request, "axes_failures_since_start", None)
    credentials = getattr(request, "axes_credentials", None) or {}
    if failures is None or failures != get_failure_limit(request, credentials):
        return
    cool_off = get_cool_off(request)
    audit.record(actor=None, action=AuditAction.DENIED, object_type="axes.lockout", detail={
        "lockout": credentials.get("credential", "password"), "username": username or "", "ip": ip_address,
        "failures": failures, "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    })


@receiver(post_delete, sender=AccessAttempt)
def on_lockout_lifted(sender, instance, **kwargs):
    """An administrator lifted a lock (the admin's delete, or ``jiedao axes_reset*``). Attempts that axes
    deletes because their cool-off has passed, and attempts that had not reached the limit, are not news."""
    cool_off = get_cool_off()
    if cool_off is not None and instance.attempt_time <= timezone.now() - cool_off:
        return
    limit = get_failure_limit(None, None)
    if instance.failures_since_start < limit:
        return
    info = current_request.get()
    actor = getattr(info, "user", None) if info else None
    audit.record(
        actor=actor if getattr(actor, "is_authenticated", False) else "jiedao axes_reset",
        action=AuditAction.DELETE, object_type="axes.accessattempt", object_id=str(instance.pk),
        detail={"lockout_lifted": True, "username": instance.username or "", "ip": instance.ip_address,
                "failures": instance.failures_since_start},
    )

