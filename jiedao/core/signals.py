"""Sign-ins and failed sign-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jiedao.core import audit
from jiedao.core.models import AuditAction


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(actor=user, action=AuditAction.LOGIN)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted user name is kept (to spot guessing); the password never is.
    audit.record(actor=None, action=AuditAction.LOGIN_FAILED, detail={"username": credentials.get("username", "")})
