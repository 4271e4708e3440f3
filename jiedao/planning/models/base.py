from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Department, Subdistrict
from jiedao.core.scope import ScopedQuerySet

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (chapter and section headings)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return f"{CHINESE_NUMERALS[tens] if tens > 1 else ''}十{CHINESE_NUMERALS[ones] if ones else ''}"


def local_number(n: int) -> str:
    """A heading's number as its language counts: 五 in Chinese (第五章), 5 in English (Chapter 5)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return chinese_number(n) if language.startswith("zh") else str(n)


class PlanRow(models.Model):
    """Every planning row carries its subdistrict. Plan data is the subdistrict's reference data: every
    user of the subdistrict whose role may view planning reads all of it (who may *write* is decided by
    role and lead unit in the services)."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        abstract = True


class Reported(PlanRow):
    """A row a lead unit (牵头单位) reports for a period: a project's progress report, an indicator's value.
    Who reported it, for which unit and when are the same columns on each, so that the reporting services,
    pages and exports treat them alike; ``synthetic`` marks the rows the demo made up."""

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("填报人姓名"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Department, verbose_name=_("填报单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)

    class Meta:
        abstract = True
