"""实有人口 and 一户一码一档: households, residents, their history, tags, care colours and QR tokens.

ID numbers and phones are encrypted at rest (core.crypto) with blind indexes for exact search; nothing
personal appears in ``str()`` (audit records and logs use it), in URLs or in QR codes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import BlindIndexField, EncryptedQuerySetMixin, EncryptedTextField, LastDigitsField
from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet
from jiedao.geo.models import Building, Unit

_HOUSEHOLD_SCOPE = {
    ScopeLevel.AREA: "building__community__area",
    ScopeLevel.COMMUNITY: "building__community",
    ScopeLevel.GRID: "building__grid",
}


class CareColour(models.TextChoices):
    """分色管理: care levels; red needs the closest attention."""

    RED = "red", _("红")
    YELLOW = "yellow", _("黄")
    GREEN = "green", _("绿")
    NONE = "", _("未分色")


COLOUR_RANK = {CareColour.RED: 3, CareColour.YELLOW: 2, CareColour.GREEN: 1, CareColour.NONE: 0}


class Household(models.Model):
    """户: a household at a dwelling (楼栋 / 单元 / 室)."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="households")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单元"), null=True, blank=True, on_delete=models.PROTECT, related_name="households"
    )
    room = models.CharField(_("室号"), max_length=10)
    code = models.CharField(_("户编码"), max_length=32, unique=True)
    # Highest care colour of its current residents, kept by registry.colours.
    care_colour = models.CharField(_("分色"), max_length=8, choices=CareColour.choices, blank=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, null=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = _HOUSEHOLD_SCOPE

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        indexes = [models.Index(fields=["care_colour"], name="household_care_colour")]
        constraints = [models.UniqueConstraint(fields=["building", "room"], name="household_room_unique")]

    def __str__(self) -> str:
        return f"{self.building}{self.room}室"


class ResidentQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    def current(self):
        """Registered here now (not moved out), whether or not they live here."""
        return self.filter(moved_out_on__isnull=True)

    def living(self):
        """现住: registered here now and living here, i.e. not 户在人不在 (registered but living elsewhere)."""
        return self.current().exclude(residence_status=Resident.ResidenceStatus.HUKOU_ONLY)


class Resident(models.Model):
    """居民. ``household`` is where they live now, or lived last when ``moved_out_on`` is set."""

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
    phone_last4 = LastDigitsField(_("手机尾号"), source="phone")  # for the 尾号 search
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"), db_index=True)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices, default=Relation.HEAD)
    residence_status = models.CharField(
        _("人户状态"), max_length=12, choices=ResidenceStatus.choices, default=ResidenceStatus.BOTH
    )
    moved_in_on = models.DateField(_("迁入日期"), null=True, blank=True)
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)
    care_colour = models.CharField(_("分色"), max_length=8, choices=CareColour.choices, blank=True)
    care_reason = models.CharField(_("分色依据"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)

    objects = ResidentQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {level: f"household__{path}" for level, path in _HOUSEHOLD_SCOPE.items()}

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        # Few indexes on purpose: every index is maintained on each colour recomputation and import.
        indexes = [
            models.Index(fields=["id_number_index"], name="resident_id_index"),
            models.Index(fields=["phone_index"], name="resident_phone_index"),
            models.Index(fields=["phone_last4"], name="resident_phone_last4"),
        ]
        constraints = [
            # One current registration per person across the installation; moved-out rows stay as history.
            models.UniqueConstraint(
                fields=["id_number_index"], condition=models.Q(moved_out_on__isnull=True),
                name="resident_current_id_unique",
            ),
        ]

    def __str__(self) -> str:
        # Never personal data: this string goes into audit records and logs.
        return f"居民#{self.pk}"

    @property
    def lives_here(self) -> bool:
        """现住: a current registration of someone who lives in the household (not 户在人不在)."""
        return self.moved_out_on is None and self.residence_status != self.ResidenceStatus.HUKOU_ONLY


class Residence(models.Model):
    """迁入迁出: one stay of a resident in a household. Rows are added and closed, never rewritten."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="residences")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="residences")
    moved_in_on = models.DateField(_("迁入日期"))
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("居住记录")
        verbose_name_plural = _("居住记录")
        ordering = ["moved_in_on", "pk"]

    def __str__(self) -> str:
        return f"居住记录#{self.pk}"


class Tag(models.Model):
    """重点人群标签. Derived tags are set by registry.colours from other data; entered ones by workers."""

    class Kind(models.TextChoices):
        DERIVED = "derived", _("自动判定")
        ENTERED = "entered", _("人工标注")

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    kind = models.CharField(_("来源"), max_length=8, choices=Kind.choices, default=Kind.ENTERED)
    sensitive = models.BooleanField(_("健康等敏感标签"), default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ResidentTag(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "tag"], name="resident_tag_unique")]

    def __str__(self) -> str:
        return f"{self.resident} {self.tag}"


class ColourRule(models.Model):
    """分色规则: a resident with every tag in ``all_of`` (and, if given, one of ``any_of``) gets ``colour``.

    Rules are evaluated by registry.colours, highest ``priority`` first; the first that matches decides.
    """

    colour = models.CharField(_("颜色"), max_length=8, choices=CareColour.choices)
    name = models.CharField(_("规则名称"), max_length=60)
    all_of = models.ManyToManyField(Tag, verbose_name=_("须同时具备"), related_name="+", blank=True)
    any_of = models.ManyToManyField(Tag, verbose_name=_("具备其一"), related_name="+", blank=True)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分色规则")
        verbose_name_plural = _("分色规则")
        ordering = ["-priority", "pk"]

    def __str__(self) -> str:
        return f"{self.get_colour_display()}: {self.name}"


class HouseholdCode(models.Model):
    """一户一码: the opaque token in a household's QR code. Revoked codes stay for the audit trail."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="codes")
    token = models.CharField(max_length=80, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("户码")
        verbose_name_plural = _("户码")

    def __str__(self) -> str:
        return f"户码#{self.pk}"


class ImportUpload(models.Model):
    """批量导入: an uploaded file between its check (只校验) and its confirmed import.

    The file is kept encrypted (core.crypto) under MEDIA_ROOT, so that the import writes exactly the file
    that was checked; ``plan`` is the check's digest of the rows a write would register. Only the worker
    who uploaded it sees it, confirms it or downloads its error file; the daily prune deletes it after a day.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("已校验，待确认")
        IMPORTED = "imported", _("已导入")

    token = models.CharField(max_length=43, unique=True)  # random; in the page's URL, never guessable
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="registry/imports/", max_length=200)
    # 错误文件: the failed rows with what is wrong, ID numbers and phones masked (the row numbers lead back).
    error_file = models.FileField(upload_to="registry/imports/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)  # of the plain file: a confirm reads back the file it checked
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    report = models.JSONField(default=dict)  # the latest check, then the import's result (no personal data)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")

    def __str__(self) -> str:
        return f"导入#{self.pk}"


class ResidentExport(models.Model):
    """导出 run in the background: a big export is written by a task while its page shows the progress.

    The file (masked, as every export) is kept encrypted under MEDIA_ROOT for the requester alone; the daily
    prune deletes it after a day.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subdistrict = models.ForeignKey(Subdistrict, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    filters = models.JSONField(default=dict)  # the search's filters (names and 尾号 included: kept with the file)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="registry/exports/", max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result, for what became of it
    error = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")

    def __str__(self) -> str:
        return f"导出#{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
