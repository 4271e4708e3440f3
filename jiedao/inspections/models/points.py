"""二维码巡检: inspection points, checklists per kind (as data), rounds and their records.

A point (巡检点) is a place with a printed QR label: a 楼道, a 沿街门店, a 垃圾厢房, a 消防设施 … Its kind
(``PointKind``) carries the checklist (``ChecklistItem``); a round (``Round``) says which points are
checked, how often and by whom. A scan of a label saves one ``Check`` with one ``ItemResult`` per item; a
failed item is filed as a case (channel 网格巡查) or linked to the open case of the same point and item.

A point's place (community, grid, estate) is copied onto the row, so that scoping is one indexed filter,
as it is for cases and devices.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet

__all__ = [
    "PLACE_SCOPE", "Check", "ChecklistItem", "Frequency", "ItemResult", "Point", "PointKind", "Round", "Tier",
]

PLACE_SCOPE = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community", ScopeLevel.GRID: "grid"}


class PointKind(models.Model):
    """巡检点类型 (as data): 楼道, 沿街门店, 垃圾厢房, 消防设施, 电梯, 井盖 … with its checklist."""

    code = models.SlugField(_("类型代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    instruction = models.CharField(_("标签说明"), max_length=80, blank=True,
                                   help_text=_("印在标签上的一句话，如“扫码登记楼道巡查”"))
    far_metres = models.PositiveIntegerField(_("偏远签到阈值（米）"), default=150,
                                             help_text=_("扫码位置离点位超过此距离即标记为偏远签到（不拒绝）"))
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("巡检点类型")
        verbose_name_plural = _("巡检点类型")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """检查项: one line of a kind's checklist, e.g. 楼道 / 飞线充电. A failed item is filed as a case of
    ``category_code`` (案件分类代码, e.g. S0802); the 五星 rules name items by ``code``."""

    kind = models.ForeignKey(PointKind, verbose_name=_("巡检点类型"), on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("检查项代码"), max_length=30)
    name = models.CharField(_("检查项"), max_length=40)
    category_code = models.CharField(_("案件分类代码"), max_length=8, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["kind", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="inspection_item_unique")]

    def __str__(self) -> str:
        return f"{self.kind.name}/{self.name}"


class Point(models.Model):
    """巡检点: a place with a QR label. The label carries a signed token of (point, ``label_version``) and
    nothing else; revoking the label raises the version, so that every label printed before is refused."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(PointKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="points")
    code = models.CharField(_("点位编码"), max_length=24)
    name = models.CharField(_("名称"), max_length=60)
    building = models.ForeignKey("geo.Building", verbose_name=_("楼栋"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    estate = models.ForeignKey("geo.Estate", verbose_name=_("小区"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+")
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    address = models.CharField(_("地址"), max_length=120, blank=True)
    lat = models.FloatField(_("纬度"))
    lon = models.FloatField(_("经度"))
    label_version = models.PositiveIntegerField(_("标签版本"), default=1)
    label_revoked_at = models.DateTimeField(_("上次作废标签"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("巡检点")
        verbose_name_plural = _("巡检点")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="inspection_point_code_unique")]
        indexes = [models.Index(fields=["subdistrict", "community"], name="inspection_point_place")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Frequency(models.TextChoices):
    DAILY = "daily", _("每天")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class Tier(models.TextChoices):
    """Who checks: the routine round, or one of 垃圾分类's 三查."""

    ROUTINE = "routine", _("日常巡检")
    SELF = "self", _("居民区自查")
    SPOT = "spot", _("机关干部抽查")
    AUDIT = "audit", _("第三方督察")


class Round(models.Model):
    """巡检计划: which points, how often, by whom (grid workers, 房长, 监督员, 第三方督察). A round with
    no assignees may be done by anyone with the inspection role whose scope holds the point."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=60)
    tier = models.CharField(_("检查类别"), max_length=8, choices=Tier.choices, default=Tier.ROUTINE)
    frequency = models.CharField(_("频次"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    points = models.ManyToManyField(Point, verbose_name=_("巡检点"), related_name="rounds")
    assignees = models.ManyToManyField(User, verbose_name=_("巡检人"), blank=True, related_name="+")
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    # A subdistrict-wide round (no 居委) is read by everyone of the subdistrict who may view inspections.
    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community",
                   ScopeLevel.GRID: "community__grids"}

    class Meta:
        verbose_name = _("巡检计划")
        verbose_name_plural = _("巡检计划")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Check(models.Model):
    """一次扫码检查: a point checked on a round, with the scan's time and GPS. ``client_id`` (made by the
    phone's form) makes sending the form twice change nothing."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, verbose_name=_("巡检计划"), on_delete=models.PROTECT, related_name="checks")
    point = models.ForeignKey(Point, verbose_name=_("巡检点"), on_delete=models.PROTECT, related_name="checks")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+")
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    tier = models.CharField(_("检查类别"), max_length=8, choices=Tier.choices, default=Tier.ROUTINE)
    by = models.ForeignKey(User, verbose_name=_("检查人"), on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(_("表单编号"), max_length=40)
    at = models.DateTimeField(_("扫码时间"), default=timezone.now)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距点位（米）"), null=True, blank=True)
    far = models.BooleanField(_("偏远签到"), default=False)
    failed = models.PositiveSmallIntegerField(_("不合格项数"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community", ScopeLevel.GRID: "grid"}

    class Meta:
        verbose_name = _("扫码检查")
        verbose_name_plural = _("扫码检查")
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["client_id"], name="inspection_check_client_id_unique")]
        indexes = [
            models.Index(fields=["subdistrict", "at"], name="inspection_check_when"),
            models.Index(fields=["round", "point", "at"], name="inspection_check_round"),
            models.Index(fields=["point", "at"], name="inspection_check_point"),
        ]

    def __str__(self) -> str:
        return f"检查#{self.pk}"


class ItemResult(models.Model):
    """One checklist item of a check: passed, or failed with its case (filed now, or the open case of the
    same point and item that it was linked to)."""

    check_record = models.ForeignKey(Check, verbose_name=_("扫码检查"), on_delete=models.CASCADE,
                                     related_name="results")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(Point, verbose_name=_("巡检点"), on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("合格"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    case_created = models.BooleanField(_("新立案件"), default=False)

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        ordering = ["check_record", "item__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["check_record", "item"], name="inspection_result_unique")]
        indexes = [models.Index(fields=["point", "item", "passed"], name="inspection_result_point")]

    def __str__(self) -> str:
        return f"检查项结果#{self.pk}"
