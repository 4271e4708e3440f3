"""扫码反馈: the one-time code a worker leaves with the resident, and the rating it carries back."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import EncryptedQuerySetMixin, EncryptedTextField
from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet
from jiedao.visits.models.plan import PLACE_SCOPE


class Rating(models.IntegerChoices):
    SATISFIED = 3, _("满意")
    FAIRLY = 2, _("基本满意")
    UNSATISFIED = 1, _("不满意")


class FeedbackQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    pass


class FeedbackCode(models.Model):
    """反馈码: printed on the card (or slip) left after a visit. The QR holds a signed token naming this row's
    ``nonce``; it rates once, until ``expires_at``. ``case`` is set when the visit was the 回访 of a case, so
    the resident rates the handling of their problem."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    community = models.ForeignKey("geo.Community", on_delete=models.PROTECT, related_name="+", db_index=False)
    building = models.ForeignKey("geo.Building", on_delete=models.PROTECT, related_name="+", db_index=False)
    visit = models.OneToOneField("visits.Visit", on_delete=models.CASCADE, related_name="feedback")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             db_index=False)
    nonce = models.CharField(max_length=24, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), choices=Rating.choices, null=True, blank=True)
    comment = EncryptedTextField(_("意见"), blank=True)

    objects = FeedbackQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("反馈码")
        verbose_name_plural = _("反馈码")
        indexes = [models.Index(fields=["subdistrict", "used_at"], name="visit_feedback_used")]

    def __str__(self) -> str:
        return f"反馈码#{self.pk}"
