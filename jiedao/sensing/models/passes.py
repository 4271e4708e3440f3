"""电子出入证: passes held by a household's current residents, and the day passes they give visitors.

The pass itself is a signed token (services.passes): a gate checks it with the platform's public key alone,
so a gate goes on working when the network does not. What is kept here is what the platform needs to
list, revoke and audit passes; the token carries no name or ID number, only the pass's random id, the
household's code, the estate and the validity.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet


class PassQuerySet(ScopedQuerySet):
    def valid(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at=None, valid_from__lte=at, valid_until__gt=at)


class AccessPass(models.Model):
    class Kind(models.TextChoices):
        RESIDENT = "resident", _("居民出入证")
        VISITOR = "visitor", _("访客通行证")

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="+")
    resident = models.ForeignKey("registry.Resident", verbose_name=_("持证人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    # The visitor pass's resident pass: a visitor pass ends when its resident pass is revoked.
    parent = models.ForeignKey("self", verbose_name=_("邀请人出入证"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="visitor_passes", db_index=False)
    label = models.CharField(_("备注"), max_length=30, blank=True)  # 访客: 亲友来访, 家政 … (no names needed)
    pass_id = models.CharField(_("证号"), max_length=24, unique=True)  # the token's random id (jti)
    estate_code = models.CharField(_("小区代码"), max_length=24)
    valid_from = models.DateTimeField(_("生效时间"))
    valid_until = models.DateTimeField(_("失效时间"))
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    issued_by = models.ForeignKey("core.User", verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey("core.User", verbose_name=_("注销人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoke_reason = models.CharField(_("注销原因"), max_length=60, blank=True)
    # The holder's own page (their QR code, and the visitor passes they give) is reached with a random key
    # handed to them once; only its SHA-256 digest is kept.
    holder_key_digest = models.CharField(max_length=64, blank=True, db_index=True)
    last_used_at = models.DateTimeField(_("最近通行"), null=True, blank=True)

    objects = PassQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {ScopeLevel.AREA: "household__building__community__area",
                   ScopeLevel.COMMUNITY: "household__building__community", ScopeLevel.GRID: "household__building__grid"}

    class Meta:
        verbose_name = _("电子出入证")
        verbose_name_plural = _("电子出入证")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["subdistrict", "revoked_at"], name="sensing_pass_revoked")]

    def __str__(self) -> str:  # no personal data: audit records quote this
        return self.pass_id

    def is_valid(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.valid_from <= at < self.valid_until
