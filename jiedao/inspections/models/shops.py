"""门责任制: the register of street-front shops (沿街商铺) and the rules of their monthly 五星 rating.

A shop's door carries the QR label of its inspection point (kind 沿街门店): staff who scan it get the
inspection form, anyone else the shop's public page (its name, duties and stars, no personal data). Its
inspections are that point's checks; the 五星 rules (``ShopStarRule``) say how many stars a failed item
costs, so that every lost star is explained.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import EncryptedTextField
from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet
from jiedao.inspections.models.points import PLACE_SCOPE, Point

__all__ = ["Shop", "ShopKind", "ShopStarRule", "StarRule"]


class ShopKind(models.TextChoices):
    FOOD = "food", _("餐饮")
    RETAIL = "retail", _("零售")
    SERVICE = "service", _("生活服务")
    MARKET = "market", _("菜场摊位")
    OTHER = "other", _("其他")


class Shop(models.Model):
    """沿街商铺: name, licence number (统一社会信用代码 / 营业执照号), address, contact, kind, and its door
    responsibility duties (门前责任区: 市容、秩序、垃圾分类 …). The contact is personal data: encrypted."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    point = models.OneToOneField(Point, verbose_name=_("门口巡检点"), on_delete=models.PROTECT, related_name="shop")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+")
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    road = models.ForeignKey("geo.Road", verbose_name=_("街道（路）"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("店名"), max_length=60)
    licence_no = models.CharField(_("营业执照号"), max_length=30)
    address = models.CharField(_("地址"), max_length=120)
    kind = models.CharField(_("业态"), max_length=10, choices=ShopKind.choices, default=ShopKind.RETAIL)
    contact_name = EncryptedTextField(_("联系人"), blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    duties = models.JSONField(_("门责任务"), default=list, blank=True)  # ["门前市容整洁", "不占道经营", …]
    active = models.BooleanField(_("在营"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("沿街商铺")
        verbose_name_plural = _("沿街商铺")
        ordering = ["road__name", "address", "pk"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "licence_no"], name="shop_licence_unique")]

    def __str__(self) -> str:
        return self.name


class StarRule(models.Model):
    """A 五星 rule: ``stars`` lost for every ``per`` occurrences of a finding (a failed checklist item of
    code ``item_code``) or of a related case (category ``category_code``), at most ``max_stars`` in a month.
    ``explanation`` is shown beside each lost star."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("规则代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=40)
    item_code = models.SlugField(_("检查项代码"), max_length=30, blank=True)
    category_code = models.CharField(_("案件分类代码"), max_length=8, blank=True)
    per = models.PositiveSmallIntegerField(_("每几次扣星"), default=1)
    stars = models.PositiveSmallIntegerField(_("每次扣星"), default=1)
    max_stars = models.PositiveSmallIntegerField(_("每月最多扣星"), default=1)
    explanation = models.CharField(_("说明"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ShopStarRule(StarRule):
    """门责任制五星 rule, e.g. 占道经营: one star per finding, at most two a month."""

    class Meta(StarRule.Meta):
        verbose_name = _("商铺五星规则")
        verbose_name_plural = _("商铺五星规则")
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="shop_star_rule_unique")]
