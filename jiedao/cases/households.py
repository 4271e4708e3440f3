"""Cases and registry households (户): the link as a reader may see it, a household's cases for the household
file (一户一档, through ``cases.contributions``), and the intake API's 户编码 lookup.

Cases and the registry sit side by side in the layers and never import each other (docs/architecture.md):
``Case.household`` names the registry's model by string, and these reads reach it through that field
(``models.household_model``). What a reader sees of a household is the registry's rule, applied with the
shared mechanisms: the role's ``registry.view`` and the household's scope (core.scope). What they see of
cases is the cases' rule: ``Case.objects.within(scope_of(user))``.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases.models import Case, household_model
from jiedao.core.access import in_scope
from jiedao.core.audit import record_denied
from jiedao.core.public_text import mask_public_text
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of

HOUSEHOLD_CASES = 20  # the household file lists this many of a household's cases, newest first


def household_shown(*, user, case: Case) -> dict | None:
    """The case's household as ``user`` may see it, ``{"id", "code"}`` (户编码), or None: no household, a role
    that may not read the registry, or a household outside the user's scope. A reader who may not see the
    household is not told that the case has one."""
    if case.household_id is None or not has_perm(user, Perm.VIEW_REGISTRY):
        return None
    code = household_model().objects.within(scope_of(user)).filter(pk=case.household_id) \
        .values_list("code", flat=True).first()
    return {"id": case.household_id, "code": code} if code is not None else None


def household_for_code(*, user, code: str) -> int:
    """The id of the household with 户编码 ``code`` that ``user`` may see, for the intake API. An unknown
    code and one outside the user's scope get the same answer (the second audited), so the answer does not
    tell which households exist elsewhere."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        raise ValidationError({"household": _("户编码格式不正确")})
    found = household_model().objects.filter(code=code).only("pk", "subdistrict_id", "building_id").first()
    if found is not None and has_perm(user, Perm.VIEW_REGISTRY) and in_scope(found, user=user):
        return found.pk
    if found is not None:
        record_denied(actor=user, obj=found, detail={"answered": 422})
    raise ValidationError({"household": _("未找到户编码 %(code)s，或该户不在您的数据范围内") % {"code": code}})


def household_cases(*, user, household_id: int, limit: int = HOUSEHOLD_CASES) -> tuple[list[dict], int]:
    """The household's cases that ``user`` may see (their case scope), newest first, at most ``limit``, as
    the household file shows them, and how many there are. The description is masked as public texts are
    (``core.public_text``: phone and ID numbers); the number links to the case page only for a reader with
    ``cases.view``."""
    qs = Case.objects.within(scope_of(user)).filter(household_id=household_id)
    rows = list(
        qs.select_related("category", "suggested_category").order_by("-reported_at", "-id")
        .only("number", "channel", "status", "reported_at", "description", "category__name",
              "suggested_category__name")[:limit]
    )
    total = len(rows) if len(rows) < limit else qs.count()
    linked = has_perm(user, Perm.VIEW_CASES)
    out = []
    for case in rows:
        category = case.category or case.suggested_category
        out.append({
            "number": case.number,
            "linked": linked,
            "category": _(category.name) if category else "",  # category names ship as data with their English
            "channel": case.channel,
            "channel_label": str(case.get_channel_display()),
            "status": case.status,
            "status_label": str(case.get_status_display()),
            "reported_on": timezone.localtime(case.reported_at).date(),
            "description": mask_public_text(case.description),
        })
    return out, total
