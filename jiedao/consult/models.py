"""征询与表决: a consultation, its electorate (专有部分 with owner and registered area), the one-time voting
codes printed on its letters, and the ballots of every channel. The rules themselves are data
(``jiedao.consult.rules``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.consult.rules import Choice, RuleCode, ShareOf
from jiedao.core.crypto import EncryptedQuerySetMixin, EncryptedTextField
from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet


def now():
    """``timezone.now()`` looked up when called, so a test's patched clock stamps rows too."""
    return timezone.now()


# Rows that belong to a 居委's consultation: where each scope level finds them.
CONSULTATION_SCOPE = {
    ScopeLevel.AREA: "community__area",
    ScopeLevel.COMMUNITY: "community",
    ScopeLevel.GRID: "building__grid",
}


class Kind(models.TextChoices):
    ELEVATOR = "elevator", _("加装电梯")
    RENEWAL = "renewal", _("旧区改造征询")
    COMPLETE = "complete", _("成套改造")
    COMMITTEE = "committee", _("业主委员会选举")
    RULES = "rules", _("管理规约、选聘物业等一般事项")
    FUND = "fund", _("维修资金使用")
    DELIBERATION = "deliberation", _("议事（红色议事厅、联席会议）")


class Status(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已结束")


class CountingUnit(models.TextChoices):
    DWELLING = "dwelling", _("专有部分（业主）")
    HOUSEHOLD = "household", _("户（承租户）")
    CERTIFICATE = "certificate", _("产证")
    MEMBER = "member", _("议事成员")


class Consultation(models.Model):
    """征询 / 表决: one matter put to an electorate under one rule, between ``opens_at`` and ``closes_at``,
    with optional 公示 (public notice) periods before opening and after closing."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+")
    building = models.ForeignKey("geo.Building", verbose_name=_("楼栋"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", help_text=_("单元或楼栋范围的征询"))
    scope_label = models.CharField(_("范围"), max_length=120)
    title = models.CharField(_("事项"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    rule = models.CharField(_("表决规则"), max_length=20, choices=RuleCode.choices)
    share_of = models.CharField(_("比例依据"), max_length=8, choices=ShareOf.choices, default=ShareOf.HEADS)
    share_at_least = models.CharField(_("比例门槛"), max_length=20, blank=True, help_text=_("如 9/10，仅比例征询"))
    counting_unit = models.CharField(_("计数单位"), max_length=12, choices=CountingUnit.choices,
                                     default=CountingUnit.DWELLING)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    previous = models.ForeignKey("self", verbose_name=_("上一轮"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="next_rounds")
    sealed = models.BooleanField(_("结束前不公开同意情况"), default=False)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    notice_from = models.DateField(_("事前公示开始"), null=True, blank=True)
    result_notice_until = models.DateField(_("结果公示截止"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    meeting_record = models.TextField(_("会议记录"), blank=True, help_text=_("议事表决必填"))
    source = models.CharField(_("来源"), max_length=60, blank=True, help_text=_("如 elevators:12"))
    result = models.JSONField(_("结束时的结果"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = CONSULTATION_SCOPE

    class Meta:
        verbose_name = _("征询")
        verbose_name_plural = _("征询")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["subdistrict", "status"], name="consult_status"),
                   models.Index(fields=["source"], name="consult_source")]

    def __str__(self) -> str:
        return f"征询#{self.pk} {self.title}"

    def voting_over(self, at=None) -> bool:
        """True once the vote is closed, by staff or by its closing time."""
        return self.status == Status.CLOSED or (at or timezone.now()) >= self.closes_at


class DwellingQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    pass


class Dwelling(models.Model):
    """A unit of the electorate: a 专有部分 with its owner(s) and registered area (or, for 旧改 rounds, a
    household or property certificate; for 议事, a member). ``owner_key`` makes one head of one owner:
    an HMAC of the owner's document number, so several dwellings of one buyer share it, and
    ``rules.DEVELOPER_KEY`` for all the developer's unsold or undelivered dwellings."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="dwellings")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    community = models.ForeignKey("geo.Community", on_delete=models.PROTECT, related_name="+", db_index=False)
    building = models.ForeignKey("geo.Building", verbose_name=_("楼栋"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", db_index=False)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", db_index=False)
    label = models.CharField(_("房号"), max_length=40)
    owner_name = EncryptedTextField(_("业主"), blank=True)
    owner_document = EncryptedTextField(_("证件号或产证号"), blank=True)
    owner_key = models.CharField(max_length=64, blank=True, editable=False)
    unsold = models.BooleanField(_("开发商未售出或未交付"), default=False)
    area = models.DecimalField(_("专有部分面积（m²）"), max_digits=10, decimal_places=2, null=True, blank=True)

    objects = DwellingQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = CONSULTATION_SCOPE

    class Meta:
        verbose_name = _("表决单位")
        verbose_name_plural = _("表决单位")
        constraints = [models.UniqueConstraint(fields=["consultation", "label"], name="consult_dwelling_label")]
        indexes = [models.Index(fields=["consultation", "owner_key"], name="consult_dwelling_owner")]

    def __str__(self) -> str:
        return f"表决单位#{self.pk} {self.label}"

    @property
    def has_owner(self) -> bool:
        return bool(self.owner_key)


class VotingCode(models.Model):
    """表决码: printed on the consultation letter of one dwelling. The QR holds a signed token naming
    ``nonce``; it votes once (``used_at``)."""

    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="codes")
    nonce = models.CharField(max_length=24, unique=True)
    issued_at = models.DateTimeField(default=now)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("表决码")
        verbose_name_plural = _("表决码")

    def __str__(self) -> str:
        return f"表决码#{self.pk}"


class Channel(models.TextChoices):
    ONLINE = "online", _("线上（扫码）")
    BOOTH = "booth", _("现场投票")
    PAPER = "paper", _("纸质票")
    PROXY = "proxy", _("委托投票")
    MEETING = "meeting", _("会议表决")


class BallotState(models.TextChoices):
    PENDING = "pending", _("待复核")
    COUNTED = "counted", _("有效")
    MISMATCH = "mismatch", _("两次录入不一致")
    REPLACED = "replaced", _("已被后一票取代")
    VOID = "void", _("作废")


def proxy_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"consult/proxies/{instance.consultation_id}/{timezone.now():%Y%m%d%H%M%S%f}.{ext}"


class BallotQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    pass


class Ballot(models.Model):
    """选票: one owner's vote through one channel. An owner's last counted ballot cast before closing is the
    one tallied; the earlier ones are kept as REPLACED. Staff entries stay PENDING until a second staff
    member enters the same ballot (``confirmed_choice``); a disagreement is MISMATCH and is not counted."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ballots")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    community = models.ForeignKey("geo.Community", on_delete=models.PROTECT, related_name="+", db_index=False)
    building = models.ForeignKey("geo.Building", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="ballots")
    owner_key = models.CharField(max_length=64)
    choice = models.CharField(_("意见"), max_length=10, choices=Choice.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    state = models.CharField(_("状态"), max_length=10, choices=BallotState.choices)
    cast_at = models.DateTimeField(_("投票时间"))
    code = models.ForeignKey(VotingCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("复核人"))
    confirmed_choice = models.CharField(_("复核录入的意见"), max_length=10, choices=Choice.choices, blank=True)
    proxy_name = EncryptedTextField(_("受托人"), blank=True)
    proxy_document = models.FileField(_("委托书"), upload_to=proxy_path, max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = BallotQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = CONSULTATION_SCOPE

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        indexes = [models.Index(fields=["consultation", "state", "owner_key"], name="consult_ballot_state")]

    def __str__(self) -> str:
        return f"选票#{self.pk}"
