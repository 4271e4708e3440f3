"""Alarm rules (as data an admin edits) and the alarms they raise, each opening one case."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet
from jiedao.sensing.models.devices import PLACE_SCOPE, Device, SensorType


class AlarmRule(models.Model):
    """告警规则: whether events of a type raise an alarm in a subdistrict, and when.

    - ``threshold``: a measured value raises only at or above it; with ``duration_seconds`` only once the
      device's values have stayed at or above it that long (积水 30 cm for 5 minutes, not one splash).
    - ``quiet_start``–``quiet_end``: local hours in which the type raises no alarm (a door held open in the
      day is not a problem at a market's gate); the events are kept all the same. May pass midnight.
    - ``merge_minutes``: the same device and type again within this many minutes of the alarm's last event
      is the same alarm, counted, not another case.
    - ``command``: sent to the device when the alarm is raised, if the device's type accepts it.
    """

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    type = models.ForeignKey(SensorType, verbose_name=_("感知类型"), on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField(_("启用"), default=True)
    threshold = models.FloatField(_("阈值"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("持续时间（秒）"), default=0)
    quiet_start = models.TimeField(_("免告警开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免告警结束"), null=True, blank=True)
    merge_minutes = models.PositiveIntegerField(_("合并窗口（分钟）"), default=10)
    opens_case = models.BooleanField(_("自动立案"), default=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    command = models.CharField(_("联动指令"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey("core.User", verbose_name=_("更新人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("告警规则")
        verbose_name_plural = _("告警规则")
        ordering = ["type__order", "type__code"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "type"], name="sensing_rule_unique")]

    def __str__(self) -> str:
        return str(self.type)

    def clean(self):
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValidationError({"quiet_end": _("免告警时段须同时填写开始和结束")})
        if self.duration_seconds and self.threshold is None:
            raise ValidationError({"threshold": _("设置持续时间时须填写阈值")})
        if self.merge_minutes > 24 * 60:
            raise ValidationError({"merge_minutes": _("合并窗口最长 1440 分钟（一天）")})

    def is_quiet(self, at) -> bool:
        """True when ``at`` falls in the rule's quiet hours (local time)."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        t = timezone.localtime(at).time()
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= t < self.quiet_end
        return t >= self.quiet_start or t < self.quiet_end  # 22:00–06:00


class Exceedance(models.Model):
    """Since when a device's measured values have stayed at or above its rule's threshold (for rules with a
    duration). Deleted by the first value below it."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+", db_index=False)
    type = models.ForeignKey(SensorType, on_delete=models.CASCADE, related_name="+", db_index=False)
    since = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "type"], name="sensing_exceedance_unique")]

    def __str__(self) -> str:
        return f"{self.device_id}/{self.type_id} ≥ {self.since:%H:%M}"


class Alarm(models.Model):
    """告警: what the rules made of one or more events of a device and type (merged within the rule's
    window, ``count`` of them), and the case it opened (``case``); ``false_alarm`` once the case was
    closed or cancelled as 误报."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    device = models.ForeignKey(Device, verbose_name=_("设备"), on_delete=models.PROTECT, related_name="alarms",
                               db_index=False)
    type = models.ForeignKey(SensorType, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    rule = models.ForeignKey(AlarmRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             db_index=False)
    opened_at = models.DateTimeField(_("告警时间"))  # the first event's time
    last_at = models.DateTimeField(_("最近事件"))
    count = models.PositiveIntegerField(_("事件数"), default=1)
    value = models.FloatField(_("数值"), null=True, blank=True)  # the highest value seen, for measured types
    urgent = models.BooleanField(_("紧急"), default=False)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    opens_case = models.BooleanField(_("自动立案"), default=True)  # the rule's, when it was raised
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", db_index=False)
    case_opened_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    case_error = models.CharField(_("立案失败原因"), max_length=300, blank=True)
    case_attempts = models.PositiveSmallIntegerField(default=0)
    false_alarm = models.BooleanField(_("误报"), null=True, blank=True)  # None: not known yet
    closed_at = models.DateTimeField(_("案件结束时间"), null=True, blank=True)  # the case closed or cancelled
    # Copied from the device (scope, and the figures by place).
    area = models.ForeignKey("geo.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", db_index=False)
    grid = models.ForeignKey("geo.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("告警")
        verbose_name_plural = _("告警")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["device", "type", "last_at"], name="sensing_alarm_merge"),
            models.Index(fields=["subdistrict", "opened_at"], name="sensing_alarm_opened"),
            models.Index(fields=["case"], condition=models.Q(case__isnull=False), name="sensing_alarm_case"),
            models.Index(fields=["created_at"], name="sensing_alarm_pending",
                         condition=models.Q(case__isnull=True, opens_case=True, case_attempts__lt=5)),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def external_id(self) -> str:
        """The alarm's number as the case knows it (the case's 外部编号): idempotent case intake."""
        return f"SENS-{self.pk}"
