from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (chapter and section headings)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return f"{CHINESE_NUMERALS[tens] if tens > 1 else ''}十{CHINESE_NUMERALS[ones] if ones else ''}"


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
