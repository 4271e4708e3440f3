"""What devices send (events, their evidence images), what could not be taken (dead letters), and what the
platform sends back (commands, with the device's acknowledgement)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet
from jiedao.sensing.models.devices import Device, SensorType


class Source(models.TextChoices):
    MQTT = "mqtt", _("MQTT")
    HTTP = "http", _("HTTP 推送")


class Event(models.Model):
    """感知事件: one report of a device, stored once: ``(device, event_id)`` is unique, so the same event
    delivered twice (a broker redelivering after a crash, a vendor retrying a webhook) is one row."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    device = models.ForeignKey(Device, verbose_name=_("设备"), on_delete=models.PROTECT, related_name="events",
                               db_index=False)
    event_id = models.CharField(_("事件编号"), max_length=64)
    type = models.ForeignKey(SensorType, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    at = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    value = models.FloatField(_("数值"), null=True, blank=True)
    evidence = models.JSONField(_("证据"), default=dict, blank=True)  # what came with it, the image kept apart
    source = models.CharField(_("来源"), max_length=4, choices=Source.choices, default=Source.MQTT)
    alarm = models.ForeignKey("sensing.Alarm", verbose_name=_("告警"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="events", db_index=False)

    class Meta:
        verbose_name = _("感知事件")
        verbose_name_plural = _("感知事件")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["device", "event_id"], name="sensing_event_unique")]
        indexes = [
            models.Index(fields=["device", "at"], name="sensing_event_device_at"),
            models.Index(fields=["alarm"], condition=models.Q(alarm__isnull=False), name="sensing_event_alarm"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id}/{self.event_id}"


def image_path(instance, filename: str) -> str:
    return f"sensing/{instance.subdistrict_id}/{instance.token}.jpg"


class EventImage(models.Model):
    """An event's evidence picture (a snapshot of the 曹杨眼 camera, the elevator's car), kept as a file."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="image")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=image_path)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证据图片")
        verbose_name_plural = _("证据图片")

    def __str__(self) -> str:
        return self.token


class DeadReason(models.TextChoices):
    MALFORMED = "malformed", _("格式错误")
    UNKNOWN_DEVICE = "unknown_device", _("未登记的设备")
    BAD_SIGNATURE = "bad_signature", _("签名无效")
    WRONG_TYPE = "wrong_type", _("设备无此类型")
    RETIRED = "retired", _("设备已停用")
    ERROR = "error", _("处理出错")


class DeadLetter(models.Model):
    """死信: a message that could not be taken, kept whole with its reason, for an admin to read and replay
    once the cause is fixed (the device registered, the type added, the vendor's secret corrected)."""

    subdistrict = models.ForeignKey(Subdistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=4, choices=Source.choices)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    device_code = models.CharField(_("设备编码"), max_length=60, blank=True)
    kind = models.CharField(_("消息类别"), max_length=10, blank=True)  # event, heartbeat, ack
    reason = models.CharField(_("原因"), max_length=16, choices=DeadReason.choices)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    # The payload as received: text when it was UTF-8, else base64 (payload_base64). Cut at
    # services.receive.MAX_PAYLOAD (``truncated``): such a letter can be read but not replayed.
    payload = models.TextField(_("消息内容"), blank=True)
    payload_base64 = models.BooleanField(default=False)
    truncated = models.BooleanField(default=False)
    headers = models.JSONField(default=dict, blank=True)  # a webhook's timestamp and signature
    replayed_at = models.DateTimeField(_("重放时间"), null=True, blank=True)
    replayed_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    replay_result = models.CharField(_("重放结果"), max_length=200, blank=True)
    resolved = models.BooleanField(_("已处理"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"

    class Meta:
        verbose_name = _("死信")
        verbose_name_plural = _("死信")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["subdistrict", "resolved", "received_at"], name="sensing_dead_open")]

    def __str__(self) -> str:
        return f"{self.reason} {self.device_code}"


class CommandStatus(models.TextChoices):
    PENDING = "pending", _("待下发")
    SENT = "sent", _("已下发")
    ACKED = "acked", _("设备已确认")
    FAILED = "failed", _("设备执行失败")
    EXPIRED = "expired", _("未确认（超时）")


class Command(models.Model):
    """下发指令: what the platform asks a device to do (the elevator holds its door and plays a warning),
    published on ``…/{device}/command`` by a listener (an outbox: written with the alarm, sent after), and
    the device's acknowledgement on ``…/{device}/ack``."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    device = models.ForeignKey(Device, verbose_name=_("设备"), on_delete=models.CASCADE, related_name="commands")
    alarm = models.ForeignKey("sensing.Alarm", verbose_name=_("告警"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="commands")
    command_id = models.CharField(_("指令编号"), max_length=32, unique=True)
    code = models.CharField(_("指令"), max_length=30)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=CommandStatus.choices, default=CommandStatus.PENDING)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    acked_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    result = models.CharField(_("设备回复"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("下发指令")
        verbose_name_plural = _("下发指令")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="sensing_command_status")]

    def __str__(self) -> str:
        return self.command_id
