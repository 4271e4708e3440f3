"""分配任务, as data: the rules that say which households are visited how often (走访规则), the checklist of a
visit (走访清单), the numbers reminders and flags go by (走访设置), and which social worker visits which
building (楼栋分工)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet
from jiedao.registry.models import CareColour


def now():
    """``timezone.now()`` looked up when called, so that a test's clock (a patched ``timezone.now``) also
    stamps rows by default."""
    return timezone.now()


# Rows that belong to a 居委 (tasks, visits, assignments): where each scope level finds them.
PLACE_SCOPE = {
    ScopeLevel.AREA: "community__area",
    ScopeLevel.COMMUNITY: "community",
    ScopeLevel.GRID: "building__grid",
}


class RuleKind(models.TextChoices):
    ALL = "all", _("全部户（保底）")           # every household, e.g. at least once a year
    COLOUR = "colour", _("按分色")              # households of one care colour (registry.CareColour)
    MOVED_IN = "moved_in", _("新迁入户")         # someone moved in within ``within_days``
    CASE_CLOSED = "case_closed", _("案件办结回访")  # a case linked to the household was closed


class VisitRule(models.Model):
    """走访规则: which households are visited, how often or how soon.

    A rule without a 居委 is the subdistrict's default (the Caoyang defaults are installed by
    ``visits.defaults``, editable in the admin); a 居委's own rule under the same code replaces it for that
    居委 (the head's plan). Periodic rules (``every_months``) give one task per period, due at its end;
    a household under several periodic rules is visited by the most frequent one. Event rules give one task
    per event, due ``due_days`` (working days when ``working_days``) after it.
    """

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+",
                                  help_text=_("留空为全街道默认规则；填写则为该居委自己的计划"))
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=12, choices=RuleKind.choices)
    colour = models.CharField(_("分色"), max_length=8, choices=CareColour.choices, blank=True)
    every_months = models.PositiveSmallIntegerField(
        _("走访周期（月）"), null=True, blank=True, help_text=_("周期性规则：每几个月至少走访一次（1、2、3、6 或 12）"))
    within_days = models.PositiveSmallIntegerField(_("迁入天数内"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(_("完成时限（天）"), null=True, blank=True)
    working_days = models.BooleanField(_("按工作日计"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True  # the plan's rules are no secret within the subdistrict

    class Meta:
        verbose_name = _("走访规则")
        verbose_name_plural = _("走访规则")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], condition=models.Q(community__isnull=True),
                                    name="visit_rule_default_code_unique"),
            models.UniqueConstraint(fields=["community", "code"], condition=models.Q(community__isnull=False),
                                    name="visit_rule_community_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def periodic(self) -> bool:
        return self.kind in (RuleKind.ALL, RuleKind.COLOUR)

    def clean(self):
        errors = {}
        if self.periodic and self.every_months not in (1, 2, 3, 4, 6, 12):
            errors["every_months"] = _("周期应为 1、2、3、4、6 或 12 个月（能整除一年）")
        if self.kind == RuleKind.COLOUR and not self.colour:
            errors["colour"] = _("按分色的规则须选择颜色")
        if self.kind == RuleKind.MOVED_IN and not self.within_days:
            errors["within_days"] = _("新迁入户规则须填写迁入天数")
        if not self.periodic and not self.due_days:
            errors["due_days"] = _("请填写完成时限")
        if errors:
            raise ValidationError(errors)

    @property
    def frequency_label(self) -> str:
        if self.periodic:
            return {1: _("每月"), 2: _("每两个月"), 3: _("每季度"), 6: _("每半年"), 12: _("每年")}.get(
                self.every_months, _("每 %(n)s 个月") % {"n": self.every_months})
        unit = _("个工作日") if self.working_days else _("天")
        return _("%(n)s %(unit)s内") % {"n": self.due_days, "unit": unit}


class VisitSettings(models.Model):
    """走访设置 of a subdistrict: the numbers reminders, escalations and feedback codes go by. (The quality
    flags' thresholds, 200 m and 6 visits an hour, are the assessment's: ``assessment.quality``.)"""

    subdistrict = models.OneToOneField(Subdistrict, verbose_name=_("街道"), on_delete=models.CASCADE,
                                       related_name="+")
    remind_before_days = models.PositiveSmallIntegerField(_("到期前几天提醒"), default=3)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("逾期几天升级给居委负责人"), default=3, help_text=_("任务逾期达到该天数时，居委负责人收到督办提醒"))
    feedback_valid_days = models.PositiveSmallIntegerField(_("反馈码有效天数"), default=30)

    class Meta:
        verbose_name = _("走访设置")
        verbose_name_plural = _("走访设置")

    def __str__(self) -> str:
        return f"走访设置#{self.subdistrict_id}"

    @classmethod
    def of(cls, subdistrict_id: int) -> "VisitSettings":
        """The subdistrict's settings, the defaults until an administrator saves others."""
        found = cls.objects.filter(subdistrict_id=subdistrict_id).first()
        return found or cls(subdistrict_id=subdistrict_id)


class ChecklistItem(models.Model):
    """走访清单: one thing a visit checks (燃气/用电/烟感, 行动能力, 精神状态 …), answered 正常 / 有问题 / 未查看."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    label = models.CharField(_("名称"), max_length=40)
    hint = models.CharField(_("说明"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("走访清单项")
        verbose_name_plural = _("走访清单项")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class BuildingAssignment(models.Model):
    """楼栋分工: the social worker who visits a building's households. Set by the 居委 head, or by the load
    balancer (``auto``) for buildings no one was given."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.CASCADE,
                                  related_name="+")
    building = models.OneToOneField("geo.Building", verbose_name=_("楼栋"), on_delete=models.CASCADE,
                                    related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("社工"), on_delete=models.CASCADE,
                               related_name="+")
    auto = models.BooleanField(_("自动分配"), default=True)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community",
                   ScopeLevel.GRID: "building__grid"}

    class Meta:
        verbose_name = _("楼栋分工")
        verbose_name_plural = _("楼栋分工")
        indexes = [models.Index(fields=["community", "worker"], name="visit_assignment_worker")]

    def __str__(self) -> str:
        return f"楼栋分工#{self.pk}"
