"""QR labels: a label carries a signed token of (point, label version) and nothing else.

The token is made with ``django.core.signing`` (the project's secret key, no timestamp: a label reprinted is
the same label), so that a label cannot be forged; revoking a point's labels raises its version, so that
every label printed before is refused.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.inspections.models import Point

SALT = "jiedao.inspections.label"


class LabelRefused(ValidationError):
    """A forged, damaged or revoked label, or one of a point no longer in use."""


def label_token(point: Point) -> str:
    """The token printed on ``point``'s label (its QR code's URL ends with it)."""
    return signing.Signer(salt=SALT).sign_object([point.pk, point.label_version], compress=True)


def point_for_token(token: str) -> Point:
    """The point a label's token names; ``LabelRefused`` for a forged or revoked label, with the reason."""
    try:
        pk, version = signing.Signer(salt=SALT).unsign_object(token)
        pk, version = int(pk), int(version)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        raise LabelRefused({"token": _("无效的巡检标签：二维码不是本平台签发的，或已损坏")}) from None
    point = Point.objects.select_related("kind", "community", "grid").filter(pk=pk).first()
    if point is None or not point.active:
        raise LabelRefused({"token": _("该巡检点已停用，标签不再有效")})
    if version != point.label_version:
        raise LabelRefused({"token": _("该标签已作废（已重新打印），请扫描点位上的新标签")})
    return point
