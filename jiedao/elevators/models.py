"""加装电梯 (互联网+梯): what the feasibility score, the quote and the project pipeline are made of.

Data staff change (``elevators.configure``, in the admin), with defaults from a data migration
(``defaults.py`` says where each figure comes from):

- ``FactorWeight``: the weight of each feasibility factor (可行性评分权重).
- ``CostItem``: the cost table (造价表) the quote is computed from.
- ``SubsidyRule``: the Shanghai subsidy (政府补贴): rate, cap per elevator, source document.
- ``ShareCoefficient``: the sharing table (分摊系数) by floor, ground floor 0.

Per building and project:

- ``Survey``: 踏勘 of one building, the inputs the registry and the geography cannot give.
- ``Project``: one elevator for one 楼栋 (and 单元), with its stage, responsible staff and the
  consultation (``consult``) its owners voted in; ``StageEvent`` dates every stage it entered.
- ``Quote``: 工程报价, frozen when computed (lines, subsidy, each dwelling's share).
- ``ProjectDocument``, ``Blocker`` and ``ContractReview`` (加梯顾问团 lawyer's review of the contract).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet
from jiedao.geo.models import Building, Unit

_BUILDING_SCOPE = {
    ScopeLevel.AREA: "building__community__area",
    ScopeLevel.COMMUNITY: "building__community",
    ScopeLevel.GRID: "building__grid",
}


class Factor(models.TextChoices):
    """可行性因素. Each has a weight (``FactorWeight``) and a value 0–1 (``scoring``)."""

    FLOORS = "floors", _("层数（多层 4–7 层）")
    DWELLINGS = "dwellings", _("每层户数")
    ENTRY = "entry", _("平层 / 半层入户")
    CLEARANCE = "clearance", _("楼前楼后间距")
    PIPES = "pipes", _("地下管线")
    FIRE_LANE = "fire_lane", _("消防通道")
    SUNLIGHT = "sunlight", _("对相邻楼栋日照的影响")
    AGED = "aged", _("60 岁及以上居民占比")
    DISABLED = "disabled", _("失能 / 残疾居民")


class Entry(models.TextChoices):
    LEVEL = "level", _("平层入户")
    HALF = "half", _("半层入户")


class Pipes(models.TextChoices):
    CLEAR = "clear", _("无冲突")
    RELOCATE = "relocate", _("需迁移")
    BLOCKING = "blocking", _("无法迁移")


class Sunlight(models.TextChoices):
    NONE = "none", _("无影响")
    MINOR = "minor", _("轻微，满足日照标准")
    MAJOR = "major", _("严重，不满足日照标准")


class Shaft(models.TextChoices):
    STEEL = "steel", _("钢结构井道")
    CONCRETE = "concrete", _("混凝土井道")


class FactorWeight(models.Model):
    factor = models.CharField(_("因素"), max_length=12, choices=Factor.choices, unique=True)
    weight = models.PositiveSmallIntegerField(_("权重"), validators=[MaxValueValidator(100)])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("可行性评分权重")
        verbose_name_plural = _("可行性评分权重")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.weight}"


class CostItem(models.Model):
    """造价表的一项. ``basis`` says what the amount is multiplied by."""

    class Basis(models.TextChoices):
        ELEVATOR = "elevator", _("每台")
        STOP = "stop", _("每个停靠站")
        SHAFT_FLOOR = "shaft_floor", _("井道每层")
        CORRIDOR = "corridor", _("连廊每层（平层入户）")
        PIPES = "pipes", _("管线迁移（需迁移时）")

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    basis = models.CharField(_("计价单位"), max_length=12, choices=Basis.choices)
    shaft = models.CharField(_("适用井道"), max_length=10, choices=Shaft.choices, blank=True,
                             help_text=_("留空：各类井道都计"))
    amount = models.DecimalField(_("单价（元）"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("造价表")
        verbose_name_plural = _("造价表")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SubsidyRule(models.Model):
    """政府补贴: ``rate`` of the construction amount, at most ``cap`` per elevator; the newest rule in force
    on the quote's day applies."""

    name = models.CharField(_("名称"), max_length=100)
    rate = models.DecimalField(_("补贴比例"), max_digits=5, decimal_places=4,
                               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    cap = models.DecimalField(_("每台上限（元）"), max_digits=12, decimal_places=2,
                              validators=[MinValueValidator(Decimal("0"))])
    source = models.CharField(_("依据"), max_length=300)
    valid_from = models.DateField(_("起始日期"))

    class Meta:
        verbose_name = _("加装电梯补贴")
        verbose_name_plural = _("加装电梯补贴")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class ShareCoefficient(models.Model):
    """分摊系数: a dwelling on ``floor`` pays ``coefficient`` parts; floors above the table's top take the top's."""

    floor = models.PositiveSmallIntegerField(_("楼层"), unique=True, validators=[MinValueValidator(1)])
    coefficient = models.DecimalField(_("分摊系数"), max_digits=6, decimal_places=3,
                                      validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("分摊系数")
        verbose_name_plural = _("分摊系数")
        ordering = ["floor"]

    def __str__(self) -> str:
        return f"{self.floor}: {self.coefficient}"


class Survey(models.Model):
    """踏勘: what staff found at one building. Empty fields are inputs still missing from the score."""

    building = models.OneToOneField(Building, verbose_name=_("楼栋"), on_delete=models.CASCADE,
                                    related_name="elevator_survey")
    has_elevator = models.BooleanField(_("已有电梯"), default=False)
    entry = models.CharField(_("入户方式"), max_length=8, choices=Entry.choices, blank=True)
    front_clearance_m = models.DecimalField(_("楼前间距（米）"), max_digits=5, decimal_places=1, null=True, blank=True,
                                            validators=[MinValueValidator(Decimal("0"))])
    rear_clearance_m = models.DecimalField(_("楼后间距（米）"), max_digits=5, decimal_places=1, null=True, blank=True,
                                           validators=[MinValueValidator(Decimal("0"))])
    pipes = models.CharField(_("地下管线"), max_length=10, choices=Pipes.choices, blank=True)
    fire_lane_clear = models.BooleanField(_("不占消防通道"), null=True, blank=True)
    sunlight = models.CharField(_("日照影响"), max_length=8, choices=Sunlight.choices, blank=True)
    dwellings_per_floor = models.PositiveSmallIntegerField(_("每层户数（实测）"), null=True, blank=True,
                                                           validators=[MinValueValidator(1), MaxValueValidator(12)])
    note = models.CharField(_("备注"), max_length=300, blank=True)
    surveyed_on = models.DateField(_("踏勘日期"))
    surveyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("踏勘人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "building__subdistrict"
    scope_paths = _BUILDING_SCOPE

    class Meta:
        verbose_name = _("踏勘记录")
        verbose_name_plural = _("踏勘记录")

    def __str__(self) -> str:
        return f"踏勘 {self.building_id}"


class Stage(models.TextChoices):
    """项目阶段, in order: a project enters each one after the one before."""

    CONSENT = "consent", _("意愿征询")
    DESIGN = "design", _("方案设计")
    VOTE = "vote", _("表决")
    NOTICE = "notice", _("公示")
    APPROVAL = "approval", _("审批")
    CONSTRUCTION = "construction", _("施工")
    ACCEPTANCE = "acceptance", _("验收")
    OPERATION = "operation", _("运维")


STAGES = list(Stage)


class Project(models.Model):
    """加装电梯项目: one elevator for one building's 单元."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, verbose_name=_("楼栋"), on_delete=models.PROTECT,
                                 related_name="elevator_projects")
    unit = models.ForeignKey(Unit, verbose_name=_("单元"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    stage = models.CharField(_("阶段"), max_length=14, choices=Stage.choices, default=Stage.CONSENT)
    shaft = models.CharField(_("井道"), max_length=10, choices=Shaft.choices, default=Shaft.STEEL)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("负责人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # The consultation (consult) the owners voted in; an id, so that the vote's app owns its rows.
    consultation_id = models.PositiveBigIntegerField(_("表决征询"), null=True, blank=True)
    completed_on = models.DateField(_("竣工验收日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("立项时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    synthetic = models.BooleanField(_("合成演示数据"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = _BUILDING_SCOPE

    class Meta:
        verbose_name = _("加装电梯项目")
        verbose_name_plural = _("加装电梯项目")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["building", "unit"], name="elevator_project_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"加装电梯项目 {self.pk}"

    @property
    def stage_index(self) -> int:
        return STAGES.index(self.stage)

    @property
    def next_stage(self) -> "Stage | None":
        i = self.stage_index
        return STAGES[i + 1] if i + 1 < len(STAGES) else None


class StageEvent(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("阶段"), max_length=14, choices=Stage.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="elevator_stage_once")]

    def __str__(self) -> str:
        return f"阶段 {self.stage} 项目 {self.project_id}"


class Quote(models.Model):
    """工程报价 as computed: the table's lines, the subsidy and the shares stay as they were that day."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="quotes")
    stops = models.PositiveSmallIntegerField(_("停靠站数"))
    shaft = models.CharField(_("井道"), max_length=10, choices=Shaft.choices)
    entry = models.CharField(_("入户方式"), max_length=8, choices=Entry.choices)
    lines = models.JSONField(default=list)
    total = models.DecimalField(_("工程造价（元）"), max_digits=12, decimal_places=2)
    subsidy = models.DecimalField(_("政府补贴（元）"), max_digits=12, decimal_places=2)
    subsidy_source = models.CharField(_("补贴依据"), max_length=300)
    net = models.DecimalField(_("居民分摊合计（元）"), max_digits=12, decimal_places=2)
    shares = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"报价 {self.pk}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(_("阶段"), max_length=14, choices=Stage.choices)
    title = models.CharField(_("标题"), max_length=100)
    file = models.FileField(_("文件"), upload_to="elevators/", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"文件 {self.pk}"


class Blocker(models.Model):
    """堵点: while one is open the project does not move to its next stage."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blockers")
    text = models.CharField(_("问题"), max_length=300)
    raised_on = models.DateField(_("提出日期"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    resolution = models.CharField(_("解决办法"), max_length=300, blank=True)

    class Meta:
        ordering = ["raised_on", "pk"]

    def __str__(self) -> str:
        return f"堵点 {self.pk}"


class ContractReview(models.Model):
    """加梯顾问团律师审查施工合同. A project starts 施工 only after an approving review."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("审查通过")
        CHANGES = "changes", _("需修改")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    lawyer = models.CharField(_("律师"), max_length=60)
    firm = models.CharField(_("律师事务所"), max_length=100, blank=True)
    reviewed_on = models.DateField(_("审查日期"))
    outcome = models.CharField(_("结论"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("意见"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"律师审查 {self.pk}"
