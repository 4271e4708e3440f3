"""扫码反馈: the resident rates a visit, or the handling of their problem, without an account.

The card's QR opens ``/visits/f/<token>``; the token is a signature over the code's nonce, so a forged or
altered one is refused before the database is asked. A code rates once (a conditional update, so two
phones scanning the same card at once cannot both rate) and until it expires.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction
from jiedao.visits.models import FeedbackCode, Rating

FEEDBACK_SALT = "jiedao.visits.feedback"
MAX_COMMENT = 300


class BadCode(Exception):
    """A feedback code that cannot rate: ``reason`` is forged, used or expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return {
            "forged": _("这个评价码无效：可能抄错了或被改动过。请扫描社工留下的卡片上的二维码。"),
            "used": _("这个评价码已经评价过了，每张卡片只能评价一次。感谢您的反馈！"),
            "expired": _("这个评价码已过期。如需反映情况，请联系居委会或拨打 12345。"),
        }[self.reason]


def token_for(code: FeedbackCode) -> str:
    """The signed token printed in the card's QR code."""
    return signing.Signer(salt=FEEDBACK_SALT).sign(code.nonce)


def read_code(*, token: str) -> FeedbackCode:
    """The feedback code a token names, if it may still rate; BadCode otherwise."""
    try:
        nonce = signing.Signer(salt=FEEDBACK_SALT).unsign(token or "")
    except signing.BadSignature:
        raise BadCode("forged") from None
    code = FeedbackCode.objects.select_related("visit").filter(nonce=nonce).first()
    if code is None:
        raise BadCode("forged")
    if code.used_at is not None:
        raise BadCode("used")
    if code.expires_at <= timezone.now():
        raise BadCode("expired")
    return code


def rate(*, token: str, rating: int, comment: str = "") -> FeedbackCode:
    """评价: 满意 / 基本满意 / 不满意 and an optional comment, once per code."""
    code = read_code(token=token)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择 满意、基本满意 或 不满意")})
    comment = " ".join(str(comment or "").split())
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("意见最多 %(n)s 个字") % {"n": MAX_COMMENT}})
    now = timezone.now()
    # Filled in one conditional update: the second of two phones scanning the card at once changes nothing.
    code.rating, code.comment, code.used_at = rating, comment, now
    updated = FeedbackCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        rating=rating, comment=comment, used_at=now)
    if not updated:
        raise BadCode("used")
    audit.record(actor="居民", action=AuditAction.UPDATE, obj=code, detail={"rating": rating})
    return code
