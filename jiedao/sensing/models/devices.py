"""Sensor types (as data), devices and their health.

A device's place is copied onto the row (area / community / grid from its building, its estate or its point)
so that scoping a list of 20,000 devices is one indexed filter, as it is for cases.
"""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import EncryptedTextField
from jiedao.core.models import Department, Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet

PLACE_SCOPE = {ScopeLevel.AREA: "area", ScopeLevel.COMMUNITY: "community", ScopeLevel.GRID: "grid"}
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"  # a device code is a topic level: no / + # or spaces


class SensorType(models.Model):
    """感知类型: what a device reports, e.g. ``ebike_in_elevator`` 电瓶车入梯. Events name their type by this
    code; a device has one or more types, and an event of a type its device lacks is a dead letter."""

    code = models.SlugField(_("类型代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    # The case category an alarm of this type is filed under (案件分类), so that the case is routed without
    # the classifier guessing from a device's terse text.
    category = models.ForeignKey("cases.Category", verbose_name=_("案件分类"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    measured = models.BooleanField(_("测量值"), default=False, help_text=_("事件带数值（如积水深度）"))
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    offline_minutes = models.PositiveIntegerField(_("离线判定（分钟）"), default=30,
                                                  help_text=_("超过这么久没有心跳或事件即判为离线"))
    commands = models.JSONField(_("可下发指令"), default=list, blank=True)  # e.g. ["hold_door", "voice_warning"]
    gate = models.BooleanField(_("门禁（出入证）"), default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("感知类型")
        verbose_name_plural = _("感知类型")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class DeviceStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    MAINTENANCE = "maintenance", _("维修中")
    RETIRED = "retired", _("已停用")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class DeviceQuerySet(ScopedQuerySet):
    def online(self):
        return self.filter(status=DeviceStatus.ACTIVE, online=True)


class Device(models.Model):
    """感知设备: one sensor, camera, elevator controller or gate, at a place."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    code = models.CharField(_("设备编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    types = models.ManyToManyField(SensorType, verbose_name=_("感知类型"), related_name="devices")
    model = models.CharField(_("型号"), max_length=40, blank=True)
    vendor = models.CharField(_("厂商"), max_length=40, blank=True)
    building = models.ForeignKey("geo.Building", verbose_name=_("楼栋"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("geo.Unit", verbose_name=_("单元"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", db_index=False)
    estate = models.ForeignKey("geo.Estate", verbose_name=_("小区"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    area = models.ForeignKey("geo.Area", verbose_name=_("片区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", db_index=False)
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    place = models.CharField(_("安装位置"), max_length=100, blank=True)  # 3号楼1单元电梯轿厢
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    installed_on = models.DateField(_("安装日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=DeviceStatus.choices, default=DeviceStatus.ACTIVE)
    department = models.ForeignKey(Department, verbose_name=_("责任部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", db_index=False)
    # The key the device signs its webhook requests with (HMAC-SHA256): encrypted at rest, shown to an admin.
    secret = EncryptedTextField(_("签名密钥"), default=new_secret)
    # Health, written by ingest and the periodic check (services.health).
    offline_minutes = models.PositiveIntegerField(_("离线判定（分钟）"), default=30)
    last_seen_at = models.DateTimeField(_("最近上报"), null=True, blank=True)
    online = models.BooleanField(_("在线"), null=True, blank=True)  # None: never heard from
    offline_since = models.DateTimeField(_("离线时间"), null=True, blank=True)
    battery = models.PositiveSmallIntegerField(_("电量（%）"), null=True, blank=True)
    low_battery = models.BooleanField(_("低电量"), default=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DeviceQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("感知设备")
        verbose_name_plural = _("感知设备")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="sensing_device_code_unique")]
        indexes = [
            models.Index(fields=["subdistrict", "online", "status"], name="sensing_device_health"),
            models.Index(fields=["community"], name="sensing_device_community"),
            models.Index(fields=["grid"], name="sensing_device_grid"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def health_label(self) -> str:
        if self.status != DeviceStatus.ACTIVE:
            return self.get_status_display()
        return {True: _("在线"), False: _("离线"), None: _("未上线")}[self.online]


class HealthChange(models.Model):
    """设备状态变化: a device went offline or came back, its battery ran low or was replaced. Heartbeats
    themselves are not kept (20,000 devices × one a few minutes would be millions of rows a day): only
    the device's ``last_seen_at`` moves, and a change of state is written here."""

    class Kind(models.TextChoices):
        OFFLINE = "offline", _("离线")
        ONLINE = "online", _("恢复在线")
        LOW_BATTERY = "low_battery", _("低电量")
        BATTERY_OK = "battery_ok", _("电量恢复")

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="health_changes", db_index=False)
    kind = models.CharField(_("变化"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("设备状态变化")
        verbose_name_plural = _("设备状态变化")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["device", "at"], name="sensing_health_device"),
            models.Index(fields=["subdistrict", "kind", "at"], name="sensing_health_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id} {self.kind}"


class MaintenanceTask(models.Model):
    """设备维护任务: for the device's responsible department, opened when a device has been offline for a
    day (or its battery is low); closed when the device is heard from again, or by the department."""

    class Reason(models.TextChoices):
        OFFLINE = "offline", _("离线超过一天")
        LOW_BATTERY = "low_battery", _("低电量")

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    device = models.ForeignKey(Device, verbose_name=_("设备"), on_delete=models.CASCADE,
                               related_name="maintenance_tasks")
    department = models.ForeignKey(Department, verbose_name=_("责任部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("原因"), max_length=12, choices=Reason.choices)
    opened_at = models.DateTimeField(_("派发时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey("core.User", verbose_name=_("处理人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Copied from the device, as on every place-bearing row, so that the task list is scoped alike.
    area = models.ForeignKey("geo.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    community = models.ForeignKey("geo.Community", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    grid = models.ForeignKey("geo.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {**PLACE_SCOPE, ScopeLevel.DEPARTMENT: "department"}

    class Meta:
        verbose_name = _("设备维护任务")
        verbose_name_plural = _("设备维护任务")
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["device", "reason"], condition=models.Q(closed_at=None),
                                               name="sensing_maintenance_one_open")]
        indexes = [models.Index(fields=["subdistrict", "closed_at"], name="sensing_maintenance_open")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.reason}"
