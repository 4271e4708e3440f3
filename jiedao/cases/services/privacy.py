"""Personal data of a case's caller, revealed to those who need it and audited every time."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiedao.cases.models import Case
from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, Role


def reveal_reporter_phone(*, case: Case, by: User, reason: str = "") -> str:
    """The caller's full phone number for 先行联系: role, scope and department checked, every reveal audited."""
    ensure_perm(by, Perm.REVEAL_PHONE)
    ensure_perm(by, Perm.VIEW_CASES)
    ensure_in_scope(case, user=by)
    if by.role == Role.HANDLER and case.department_id != by.department_id:
        audit.record_denied(actor=by, obj=case, detail={"field": "reporter_phone"})
        raise PermissionDenied(_("该案件未派遣给您的部门"))
    audit.record(actor=by, action=AuditAction.REVEAL, obj=case, field="reporter_phone",
                 reason=reason or _("先行联系"))
    return case.reporter_phone
