"""Service facilities (服务设施), the walking network (步行路网) and the distances computed on it.

- ``FacilityType``: types as data (``defaults.TYPES`` installs them), each with its standard circle.
- ``Facility``: the register: type, name, address, coordinates (WGS84), capacity, opening hours, operator,
  status (planned / open / closed) and the dates it opened and closed.
- ``WalkNetwork`` with ``WalkNode`` / ``WalkEdge``: one subdistrict's walking graph as straight segments
  between nodes, built from the geo module's roads and 小区 paths or imported from OpenStreetMap.
- ``BuildingAccess``: for every building and type, the walking distance to the nearest open facility of the
  type and which one it is (null: unreachable), written by ``services.refresh_access``.
- ``AccessSettings``: walking speeds (the elderly's lower) and how far a building may lie from the network.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet
from jiedao.facilities.circles import CIRCLE_CHOICES
from jiedao.geo.models import Building, Community


class FacilityType(models.Model):
    """设施类型: reference data shared by every subdistrict."""

    class Category(models.TextChoices):
        ELDERLY = "elderly", _("养老服务")
        HEALTH = "health", _("医疗卫生")
        EDUCATION = "education", _("教育与托育")
        CULTURE_SPORT = "culture_sport", _("文化体育")
        COMMERCE = "commerce", _("商业服务")
        GREEN = "green", _("绿地公园")
        PUBLIC = "public", _("公共服务")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    circle = models.CharField(_("服务圈"), max_length=8, choices=CIRCLE_CHOICES,
                              help_text=_("规划要求的步行可达范围"))
    elderly = models.BooleanField(_("为老服务"), default=False,
                                  help_text=_("按 60 岁及以上居民加权，并按老年人步行速度计算分钟"))
    basic = models.BooleanField(_("基本公共服务"), default=False,
                                help_text=_("计入“5 分钟基本公共服务圈”指标"))
    capacity_unit = models.CharField(_("容量单位"), max_length=8, blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("导入时也认的名称"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("设施类型")
        verbose_name_plural = _("设施类型")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language (shipped names have English; names staff typed stay as typed)."""
        return gettext(self.name)


class Facility(models.Model):
    """服务设施. Facilities are public places: every worker of the subdistrict reads the register."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("规划中")
        OPEN = "open", _("运营中")
        CLOSED = "closed", _("已关闭")

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(FacilityType, verbose_name=_("类型"), on_delete=models.PROTECT,
                             related_name="facilities")
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    # The 居委 whose grid holds the point (geo.placement); empty for a point outside every grid.
    community = models.ForeignKey(Community, verbose_name=_("所在居委"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    capacity = models.PositiveIntegerField(_("容量"), null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    operator = models.CharField(_("运营方"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("服务设施")
        verbose_name_plural = _("服务设施")
        ordering = ["type__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "type", "name"], name="facility_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def open_on(self, day) -> bool:
        """Open on ``day``: open now and opened by then, or closed since but open then. A planned facility
        is open on no day; a closed one without its closing date is taken as closed on every day."""
        if self.status == self.Status.PLANNED:
            return False
        if self.opened_on is not None and self.opened_on > day:
            return False
        if self.status == self.Status.CLOSED:
            return self.closed_on is not None and self.closed_on > day
        return True


class WalkNetwork(models.Model):
    """步行路网: the walking graph of one subdistrict (with a margin around it). One is active at a time."""

    class Source(models.TextChoices):
        GEO = "geo", _("地理库道路与小区内部道路")
        OSM = "osm", _("OpenStreetMap 数据")

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    attribution = models.CharField(_("数据署名"), max_length=100, blank=True)
    node_count = models.PositiveIntegerField(_("节点数"), default=0)
    edge_count = models.PositiveIntegerField(_("路段数"), default=0)
    length_km = models.FloatField(_("总长度（公里）"), default=0)
    # What the build found worth telling: ways left out by kind, parts not connected to the rest.
    notes = models.JSONField(_("说明"), default=dict, blank=True)
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("步行路网")
        verbose_name_plural = _("步行路网")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["subdistrict"], name="walk_network_one_per_subdistrict")]

    def __str__(self) -> str:
        return self.name or self.get_source_display()


class WalkNode(models.Model):
    network = models.ForeignKey(WalkNetwork, on_delete=models.CASCADE, related_name="nodes")
    ref = models.BigIntegerField(_("编号"))  # the OSM node id, or a sequence number for a network from geo
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))

    class Meta:
        verbose_name = _("路网节点")
        verbose_name_plural = _("路网节点")
        constraints = [models.UniqueConstraint(fields=["network", "ref"], name="walk_node_ref_unique")]

    def __str__(self) -> str:
        return f"n{self.ref}"


class WalkEdge(models.Model):
    """A straight walkable segment between two nodes (a way's polyline is one edge per pair of its nodes)."""

    network = models.ForeignKey(WalkNetwork, on_delete=models.CASCADE, related_name="edges")
    a = models.ForeignKey(WalkNode, on_delete=models.CASCADE, related_name="+", db_index=False)
    b = models.ForeignKey(WalkNode, on_delete=models.CASCADE, related_name="+", db_index=False)
    length_m = models.FloatField(_("长度（米）"))
    kind = models.CharField(_("类型"), max_length=24, blank=True)  # OSM highway=*, or road / estate_path
    name = models.CharField(_("路名"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("路段")
        verbose_name_plural = _("路段")

    def __str__(self) -> str:
        return f"{self.name or self.kind} {self.length_m:.0f} m"


class AccessSettings(models.Model):
    """Walking speeds and the connector limit of one subdistrict (defaults when it has no row)."""

    subdistrict = models.OneToOneField(Subdistrict, verbose_name=_("街道"), on_delete=models.CASCADE,
                                       related_name="+")
    adult_speed = models.FloatField(
        _("成年人步行速度（米/分钟）"), default=75, validators=[MinValueValidator(20), MaxValueValidator(150)])
    elderly_speed = models.FloatField(
        _("老年人步行速度（米/分钟）"), default=55, validators=[MinValueValidator(20), MaxValueValidator(150)])
    max_connector_m = models.FloatField(
        _("楼栋与设施接入路网的最远距离（米）"), default=300, validators=[MinValueValidator(10)],
        help_text=_("更远的楼栋或设施不接入路网，报告为不可达"))

    class Meta:
        verbose_name = _("步行速度与接入设置")
        verbose_name_plural = _("步行速度与接入设置")

    def __str__(self) -> str:
        return str(self.subdistrict)

    @classmethod
    def for_subdistrict(cls, subdistrict_id: int) -> "AccessSettings":
        found = cls.objects.filter(subdistrict_id=subdistrict_id).first()
        return found or cls(subdistrict_id=subdistrict_id)

    def speed_for(self, facility_type: FacilityType) -> float:
        return self.elderly_speed if facility_type.elderly else self.adult_speed


class BuildingAccess(models.Model):
    """The walking distance from a building to the nearest open facility of a type (null: unreachable)."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey(Building, verbose_name=_("楼栋"), on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey(FacilityType, verbose_name=_("类型"), on_delete=models.CASCADE, related_name="+")
    facility = models.ForeignKey(Facility, verbose_name=_("最近设施"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    distance_m = models.FloatField(_("步行距离（米）"), null=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {
        ScopeLevel.AREA: "building__community__area",
        ScopeLevel.COMMUNITY: "building__community",
        ScopeLevel.GRID: "building__grid",
    }

    class Meta:
        verbose_name = _("楼栋步行可达")
        verbose_name_plural = _("楼栋步行可达")
        constraints = [models.UniqueConstraint(fields=["type", "building"], name="building_access_unique")]

    def __str__(self) -> str:
        return f"{self.building_id}/{self.type_id}: {self.distance_m}"


class AccessRun(models.Model):
    """When ``BuildingAccess`` was last computed for a subdistrict, and from what (``signature``)."""

    subdistrict = models.OneToOneField(Subdistrict, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=200)
    computed_at = models.DateTimeField()
    # Buildings that could not be connected to the network (farther than the limit): unreachable.
    unattached = models.JSONField(default=list)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.subdistrict_id} @ {self.computed_at:%Y-%m-%d %H:%M}"
