"""The place hierarchy: 街道 → 片区 → 居委会 → 网格 → 小区 → 楼栋 → 单元 (户 lives in registry).

Geometry is GeoJSON in WGS84 (EPSG:4326), stored as JSON so that the embedded SQLite default needs no
spatial extension; shapely does the geometry work in Python (geo.placement, geo.geojson).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet
from jiedao.geo import codes


class Place(models.Model):
    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("代码"), max_length=24)
    name = models.CharField(_("名称"), max_length=60)
    geometry = models.JSONField(_("范围 (GeoJSON, WGS84)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Area(Place):
    """片区: a service district of several 居委 (武宁 / 梅岭南 / 梅岭北 in Caoyang)."""

    scope_paths = {ScopeLevel.AREA: "pk"}
    scope_shared = True  # outlines of the subdistrict's places are reference data for every worker

    class Meta(Place.Meta):
        verbose_name = _("片区")
        verbose_name_plural = _("片区")
        constraints = [models.UniqueConstraint(fields=["code"], name="area_code_unique")]


class Community(Place):
    """居委会: neighbourhood committee, the social workers' unit."""

    area = models.ForeignKey(Area, verbose_name=_("片区"), on_delete=models.PROTECT, related_name="communities")

    scope_paths = {ScopeLevel.AREA: "area", ScopeLevel.COMMUNITY: "pk"}
    scope_shared = True

    class Meta(Place.Meta):
        verbose_name = _("居委会")
        verbose_name_plural = _("居委会")
        constraints = [models.UniqueConstraint(fields=["code"], name="community_code_unique")]

    def clean(self):
        codes.validate_community_code(self.code)


class Grid(Place):
    """网格: the unit grid a grid worker patrols (GB/T 30428.1)."""

    community = models.ForeignKey(
        Community, verbose_name=_("居委会"), on_delete=models.PROTECT, related_name="grids"
    )

    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community", ScopeLevel.GRID: "pk"}
    scope_shared = True

    class Meta(Place.Meta):
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        constraints = [models.UniqueConstraint(fields=["code"], name="grid_code_unique")]

    def clean(self):
        codes.validate_grid_code(self.code)


class Estate(Place):
    """小区 / 新村: a residential estate."""

    community = models.ForeignKey(
        Community, verbose_name=_("居委会"), on_delete=models.PROTECT, related_name="estates"
    )

    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community"}
    scope_shared = True

    class Meta(Place.Meta):
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        constraints = [models.UniqueConstraint(fields=["code"], name="estate_code_unique")]


class Road(models.Model):
    """道路: the road gazetteer used by the address parser and the map."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("路名"), max_length=40)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    geometry = models.JSONField(_("走向 (GeoJSON, WGS84)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("道路")
        verbose_name_plural = _("道路")
        constraints = [models.UniqueConstraint(fields=["subdistrict", "name"], name="road_name_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """楼栋: a building with its door-plate address (路 + 弄 + 号)."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    estate = models.ForeignKey(Estate, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="buildings")
    community = models.ForeignKey(
        Community, verbose_name=_("居委会"), on_delete=models.PROTECT, related_name="buildings"
    )
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="buildings")
    code = models.CharField(_("楼栋代码"), max_length=24)
    road = models.ForeignKey(Road, verbose_name=_("道路"), on_delete=models.PROTECT, related_name="buildings")
    lane = models.CharField(_("弄"), max_length=10, blank=True)
    number = models.CharField(_("号"), max_length=10)
    floors = models.PositiveSmallIntegerField(_("层数"), default=6)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    lat = models.FloatField(_("纬度"))
    lon = models.FloatField(_("经度"))
    footprint = models.JSONField(_("轮廓 (GeoJSON, WGS84)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {
        ScopeLevel.AREA: "community__area",
        ScopeLevel.COMMUNITY: "community",
        ScopeLevel.GRID: "grid",
    }

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="building_code_unique"),
            models.UniqueConstraint(fields=["road", "lane", "number"], name="building_address_unique"),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        lane = f"{self.lane}弄" if self.lane else ""
        return f"{self.road.name}{lane}{self.number}号"


class Unit(models.Model):
    """单元 / 门洞 of a building."""

    building = models.ForeignKey(Building, verbose_name=_("楼栋"), on_delete=models.CASCADE, related_name="units")
    number = models.PositiveSmallIntegerField(_("单元号"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "building__subdistrict"
    scope_paths = {
        ScopeLevel.AREA: "building__community__area",
        ScopeLevel.COMMUNITY: "building__community",
        ScopeLevel.GRID: "building__grid",
    }

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique")]

    def __str__(self) -> str:
        return f"{self.building} {self.number}单元"
