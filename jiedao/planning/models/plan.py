"""The plan as data: plan → chapters → sections → tasks, and its goals."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from jiedao.planning.models.base import PlanRow, local_number


class Plan(PlanRow):
    """规划: a five-year (or any multi-year) plan of one subdistrict, e.g. the 14th Five-Year plan."""

    code = models.SlugField(_("规划代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=120)
    start_year = models.PositiveSmallIntegerField(_("起始年份"))
    end_year = models.PositiveSmallIntegerField(_("终止年份"))
    baseline_year = models.PositiveSmallIntegerField(_("基期年份"), help_text=_("上一规划期末，基线值所在年份"))
    source_document = models.CharField(_("来源文件"), max_length=200, blank=True)
    summary = models.TextField(_("概述"), blank=True)
    published = models.BooleanField(_("向社会公开"), default=False)

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["subdistrict", "-start_year"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="plan_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def midterm_year(self) -> int:
        return self.start_year + (self.end_year - self.start_year) // 2

    def clean(self):
        if self.end_year is not None and self.start_year is not None and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("终止年份不能早于起始年份")})
        if self.baseline_year is not None and self.start_year is not None and self.baseline_year >= self.start_year:
            raise ValidationError({"baseline_year": _("基期年份应早于规划起始年份")})


class Chapter(PlanRow):
    """章: a chapter of the plan, with its text when it has no sections."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("上期回顾")
        CONTEXT = "context", _("发展环境")
        STRATEGY = "strategy", _("总体思路与目标")
        TASKS = "tasks", _("重点任务")
        SAFEGUARDS = "safeguards", _("保障措施")

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("章号"))
    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.TASKS)
    text = models.TextField(_("正文"), blank=True)

    class Meta:
        verbose_name = _("章")
        verbose_name_plural = _("章")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="chapter_number_unique")]

    def __str__(self) -> str:
        return f"{self.heading} {self.title}"

    @property
    def heading(self) -> str:
        return gettext("第%(number)s章") % {"number": local_number(self.number)}


class Section(PlanRow):
    """节: a numbered section of a chapter (一、二、…)."""

    chapter = models.ForeignKey(Chapter, verbose_name=_("章"), on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("节号"))
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("正文"), blank=True)

    class Meta:
        verbose_name = _("节")
        verbose_name_plural = _("节")
        ordering = ["chapter", "number"]
        constraints = [models.UniqueConstraint(fields=["chapter", "number"], name="section_number_unique")]

    def __str__(self) -> str:
        heading = pgettext("节的标题", "%(number)s、%(title)s")
        return heading % {"number": local_number(self.number), "title": self.title}


class Task(PlanRow):
    """任务: one task paragraph of a section — its lead phrase as the title and the paragraph's text."""

    section = models.ForeignKey(Section, verbose_name=_("节"), on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["section", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="task_number_unique")]

    def __str__(self) -> str:
        return self.title


class Goal(PlanRow):
    """目标: the plan's development positions (发展目标) and the goals it strives for by its end (奋斗目标)."""

    class Kind(models.TextChoices):
        POSITION = "position", _("发展目标")
        OBJECTIVE = "objective", _("奋斗目标")

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=60)
    text = models.TextField(_("内容"))
    source_text = models.TextField(_("原文出处"), blank=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "-kind", "number"]  # 发展目标 (position) before 奋斗目标 (objective), as in plans
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "number"], name="goal_number_unique")]

    def __str__(self) -> str:
        return self.title
