"""户 and 居民: the household registry's core rows (实有人口). Issue #4 builds the registry on these."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import BlindIndexField, EncryptedQuerySetMixin, EncryptedTextField
from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet
from jiedao.geo.models import Building, Unit

_HOUSEHOLD_SCOPE = {
    ScopeLevel.AREA: "building__community__area",
    ScopeLevel.COMMUNITY: "building__community",
    ScopeLevel.GRID: "building__grid",
}


class Household(models.Model):
    """户: a household at a dwelling (楼栋 / 单元 / 室)."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="households")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单元"), null=True, blank=True, on_delete=models.PROTECT, related_name="households"
    )
    room = models.CharField(_("室号"), max_length=10)
    code = models.CharField(_("户编码"), max_length=32, unique=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = _HOUSEHOLD_SCOPE

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [models.UniqueConstraint(fields=["building", "room"], name="household_room_unique")]

    def __str__(self) -> str:
        return f"{self.building}{self.room}室"


class ResidentQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    pass


class Resident(models.Model):
    """居民. ID number and phone are encrypted at rest, with blind indexes for exact search."""

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Relation(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDCHILD = "grandchild", _("孙子女")
        OTHER = "other", _("其他")

    class ResidenceStatus(models.TextChoices):
        BOTH = "both", _("人户一致")
        PERSON_ONLY = "person_only", _("人在户不在")
        HUKOU_ONLY = "hukou_only", _("户在人不在")
        MIGRANT = "migrant", _("来沪人员")

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="residents"
    )
    name = models.CharField(_("姓名"), max_length=40)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = BlindIndexField(source="phone")
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices, default=Relation.HEAD)
    residence_status = models.CharField(
        _("人户状态"), max_length=12, choices=ResidenceStatus.choices, default=ResidenceStatus.BOTH
    )
    synthetic = models.BooleanField(_("合成演示数据"), default=False)

    objects = ResidentQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {level: f"household__{path}" for level, path in _HOUSEHOLD_SCOPE.items()}

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")

    def __str__(self) -> str:
        # Never personal data: this string goes into audit records and logs.
        return f"居民#{self.pk}"
