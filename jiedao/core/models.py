"""Tenants, organisations, people, tokens and the audit log."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.roles import Role, ScopeLevel
from jiedao.core.scope import ScopedQuerySet


class Subdistrict(models.Model):
    """街道: the tenant. Every row that belongs to a place carries its subdistrict."""

    code = models.CharField(_("街道代码"), max_length=9, unique=True)  # GB/T 2260 + 3-digit 乡级 code
    name = models.CharField(_("名称"), max_length=50)
    district = models.CharField(_("所属区"), max_length=20)
    city = models.CharField(_("所属市"), max_length=20, default="上海市")
    center_lat = models.FloatField(_("中心纬度"))
    center_lon = models.FloatField(_("中心经度"))
    boundary = models.JSONField(_("边界 (GeoJSON, WGS84)"), null=True, blank=True)
    approximate_geometry = models.BooleanField(_("几何为近似"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "pk"
    scope_shared = True  # everyone working in a subdistrict may see its name, centre and outline

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """职能部门 / 处置单位: an organisation that handles cases."""

    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", _("职能部门")
        HANDLER = "handler", _("处置单位")
        OFFICE = "office", _("街道科室")

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField(_("部门代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.FUNCTIONAL)
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {ScopeLevel.DEPARTMENT: "pk"}
    scope_shared = True  # the list of departments is reference data for dispatch

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="department_code_unique")]
        ordering = ["subdistrict", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: staff with one role and one area scope, or a resident."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.RESIDENT)
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("街道"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    scope_level = models.CharField(
        _("数据范围"), max_length=12, choices=ScopeLevel.choices, default=ScopeLevel.NONE
    )
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("片区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "geo.Community", verbose_name=_("居委会"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for programs. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=60, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    VIEW = "view", _("查看")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    REVEAL = "reveal", _("查看明文个人信息")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    DENIED = "denied", _("越权访问被拒")
    TOKEN_ISSUED = "token_issued", _("签发令牌")
    TOKEN_REVOKED = "token_revoked", _("吊销令牌")
    KEY_ROTATED = "key_rotated", _("密钥轮换")
    ERROR = "error", _("处理失败")


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionDenied("审计日志只能追加，不能删除")


class AuditLog(models.Model):
    """审计日志: append-only record of who did what to which object, from where."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    subdistrict = models.ForeignKey(Subdistrict, null=True, blank=True, on_delete=models.PROTECT)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text as well so that the record survives the user's deletion.
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    field = models.CharField(_("字段"), max_length=60, blank=True)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    path = models.CharField(_("请求路径"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()
    scope_subdistrict = "subdistrict"  # an auditor reads the whole subdistrict's log, nobody reads less

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计日志只能追加，不能删除")


class PeriodicRun(models.Model):
    """When each periodic job (core.periodic) was last enqueued; shared by every worker."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A running ``jiedao worker``: where it runs and when it was last seen (core.tasks). A task left
    RUNNING by a worker no longer seen is retried or failed by the workers still alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class TaskInterruption(models.Model):
    """A task whose worker stopped while running it, and what was done about it (core.tasks)."""

    class Outcome(models.TextChoices):
        RETRIED = "retried", _("已重新排队")
        FAILED = "failed", _("已标记失败")

    result_id = models.UUIDField(db_index=True)  # django_tasks_db's DBTaskResult.id
    task_path = models.CharField(max_length=255)
    worker_id = models.CharField(max_length=64)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    worker_last_seen = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)

    class Meta:
        ordering = ["detected_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_path} {self.outcome} {self.detected_at:%Y-%m-%d %H:%M:%S}"
