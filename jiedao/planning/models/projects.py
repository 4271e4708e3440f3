"""Projects (项目) with lead unit, annual targets, milestones, and the lead unit's quarterly reports."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Department
from jiedao.planning.models.base import PlanRow, Reported
from jiedao.planning.models.indicators import IndicatorValue
from jiedao.planning.models.plan import Chapter, Plan, Section
from jiedao.planning.periods import Period

ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "xlsx", "docx"]


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    SUSPENDED = "suspended", _("暂缓")


class Project(PlanRow):
    """项目: a table row or a named project of the plan, led by one unit (牵头单位)."""

    class Category(models.TextChoices):
        HOUSING = "housing", _("旧住房成套改造")
        REPAIR = "repair", _("旧住房综合修缮")
        ROAD = "road", _("美丽道路")
        STREETSCAPE = "streetscape", _("街区景观与市政")
        PUBLIC_SPACE = "public_space", _("公园与公共空间")
        ELDERLY = "elderly", _("养老服务")
        EDUCATION = "education", _("托幼教育")
        HEALTH = "health", _("医疗卫生")
        CULTURE = "culture", _("文化设施")
        COMMUNITY = "community", _("社区服务设施")
        BUSINESS = "business", _("商务楼宇")
        GOVERNANCE = "governance", _("城区治理与一网统管")

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="projects")
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("章"), null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    code = models.SlugField(_("项目代码"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("项目名称"), max_length=120)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    table_number = models.PositiveSmallIntegerField(_("规划表号"), null=True, blank=True)
    table_row = models.PositiveSmallIntegerField(_("表内序号"), null=True, blank=True)
    description = models.TextField(_("建设内容"), blank=True)
    public_summary = models.TextField(_("通俗说明"), blank=True, help_text=_("向社会公开时显示"))
    source_text = models.TextField(_("原文出处"), blank=True)
    lead_unit = models.ForeignKey(
        Department, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_year = models.PositiveSmallIntegerField(_("计划开工年份"))
    end_year = models.PositiveSmallIntegerField(_("计划完成年份"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("进度 (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("最近填报"), null=True, blank=True)
    public = models.BooleanField(_("向社会公开"), default=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="project_code_unique"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="project_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def table_label(self) -> str:
        if not self.table_number:
            return ""
        return gettext("表 %(table)s-%(row)s") % {"table": self.table_number, "row": self.table_row}

    def clean(self):
        plan = self.plan if self.plan_id else None
        errors = {}
        if plan is not None:
            for field in ("start_year", "end_year"):
                year = getattr(self, field)
                if year is not None and not plan.start_year <= year <= plan.end_year:
                    errors[field] = _("年份 %(year)s 不在规划期 %(start)s–%(end)s 年内") % {
                        "year": year, "start": plan.start_year, "end": plan.end_year}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("计划完成年份不能早于开工年份")
        if errors:
            raise ValidationError(errors)


class ProjectTarget(PlanRow):
    """年度目标: what a project should achieve by the end of a year, and the progress that means."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="annual_targets"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    target = models.CharField(_("年度目标"), max_length=200)
    progress = models.PositiveSmallIntegerField(
        _("年末计划进度 (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_target_year_unique")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class Milestone(PlanRow):
    """里程碑: a dated step of a project (立项, 开工, 竣工 …)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=80)
    due = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="milestone_order_unique")]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class ProgressReport(Reported):
    """季度进展报告: the lead unit's report on a project for one quarter (one per quarter; a correction
    within the quarter replaces it, and the audit log keeps what it said before)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    progress = models.PositiveSmallIntegerField(
        _("进度 (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("状态"), max_length=12, choices=ProjectStatus.choices)
    note = models.TextField(_("进展说明（内部）"), blank=True)
    public_note = models.TextField(_("公开说明"), blank=True, help_text=_("将在信息公开页面显示，请用通俗语言"))

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["project", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "quarter"], name="progress_report_period_unique"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_4"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.period.code}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)


def attachment_path(instance, filename: str) -> str:
    # The stored name is ours, not the uploader's: no path tricks, no clashes; the original is kept in `name`.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"planning/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(PlanRow):
    """附件: evidence attached to a progress report or an entered indicator value."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="attachments",
    )
    value = models.ForeignKey(
        IndicatorValue, verbose_name=_("指标值"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("文件"), upload_to=attachment_path, max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, value__isnull=True)
                | models.Q(report__isnull=True, value__isnull=False),
                name="attachment_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name
