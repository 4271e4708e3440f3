"""一网统管 cases: taxonomy, handling processes and scenarios as data, cases and their timeline.

The timeline (CaseEvent) is the record: append-only, one row per step of the closed loop. The handful of
timing columns on Case (dispatched_at, first_contacted_at, handle_due, closed_at, rework_count …) are a
projection of that timeline, rewritten from the case's events in the same transaction as every event
(services.project), so that queues and KPIs can filter and count with plain indexed queries; ``jiedao
rebuild-case-facts`` rebuilds them from the events alone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import BlindIndexField, EncryptedQuerySetMixin, EncryptedTextField, LastDigitsField
from jiedao.core.models import Department, Subdistrict, User
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet


class Category(models.Model):
    """案件分类: a 大类/小类 of 部件 (component) or 事件 (event), coded as in GB/T 30428.2 (see taxonomy)."""

    class Family(models.TextChoices):
        EVENT = "S", _("事件")
        COMPONENT = "B", _("部件")

    code = models.CharField(_("分类代码"), max_length=8, unique=True)
    family = models.CharField(_("类别"), max_length=1, choices=Family.choices)
    major_code = models.CharField(_("大类代码"), max_length=2)
    major_name = models.CharField(_("大类"), max_length=30)
    name = models.CharField(_("小类"), max_length=30, unique=True)
    urgent = models.BooleanField(_("默认紧急"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("案件分类")
        verbose_name_plural = _("案件分类")
        ordering = ["family", "code"]

    def __str__(self) -> str:
        return self.name


class Process(models.Model):
    """处置流程 (the plan's "closed-loop processes"): the time limits of each step, as configuration.

    ``handle_days`` counts working days on the Chinese calendar (cases.workdays); an urgent process gives
    ``handle_hours`` instead. First contact (先行联系) with the citizen, when required, is due within
    ``first_contact_hours`` of dispatch.
    """

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("流程代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=60)
    handle_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    handle_hours = models.PositiveSmallIntegerField(_("办理时限（小时，紧急）"), null=True, blank=True)
    first_contact_required = models.BooleanField(_("需先行联系"), default=True)
    first_contact_hours = models.PositiveSmallIntegerField(_("先行联系时限（小时）"), default=24)
    verify_days = models.PositiveSmallIntegerField(_("核查时限（工作日）"), default=1)
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("处置流程")
        verbose_name_plural = _("处置流程")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="case_process_code_unique"),
            models.CheckConstraint(
                condition=(models.Q(handle_days__isnull=False, handle_hours__isnull=True)
                           | models.Q(handle_days__isnull=True, handle_hours__isnull=False)),
                name="case_process_one_time_limit",
            ),
        ]
        ordering = ["subdistrict", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (self.handle_days is None) == (self.handle_hours is None):
            raise ValidationError(_("办理时限请填写工作日或小时中的一项"))

    @property
    def limit_label(self) -> str:
        if self.handle_hours is not None:
            return _("%(n)s 小时") % {"n": self.handle_hours}
        return _("%(n)s 个工作日") % {"n": self.handle_days}


class Scenario(models.Model):
    """应用场景 (the plan's "application scenarios"): which department handles a category, where, under
    which process. The most specific row wins: a 居委 beats a 片区 beats the whole subdistrict."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("场景代码"), max_length=20)
    name = models.CharField(_("场景名称"), max_length=60)
    category = models.ForeignKey(Category, verbose_name=_("案件分类"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("geo.Area", verbose_name=_("片区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("处置部门"), on_delete=models.PROTECT, related_name="+")
    process = models.ForeignKey(Process, verbose_name=_("处置流程"), on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("应用场景")
        verbose_name_plural = _("应用场景")
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="case_scenario_code_unique")]
        ordering = ["subdistrict", "code"]

    def __str__(self) -> str:
        return self.name


class HolidayOverride(models.Model):
    """A day the calendar library gets wrong or does not know yet (a new year's 调休 schedule): keeps the
    working-day calendar updatable from the admin without a release."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是工作日"))
    note = models.CharField(_("说明"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12345 热线")
    PATROL = "patrol", _("网格巡查")
    RESIDENT = "resident", _("居民上报")
    SENSOR = "sensor", _("物联感知")
    VISIT = "visit", _("走访发现")  # 四百走访: a problem a social worker found at a household


class Status(models.TextChoices):
    NEW = "new", _("待立案")              # 信息收集: received, not yet accepted as a case
    REGISTERED = "registered", _("待派遣")  # 立案
    DISPATCHED = "dispatched", _("待签收")  # 派遣: waiting for the department to accept
    HANDLING = "handling", _("处置中")      # 处置
    HANDLED = "handled", _("待核查")        # 反馈: the department reported back
    CLOSED = "closed", _("已结案")          # 核查通过, 结案
    SUSPENDED = "suspended", _("挂账")      # long-term case
    CANCELLED = "cancelled", _("已作废")    # 作废, or merged into another case as 重复


OPEN_STATUSES = (Status.NEW, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.HANDLED)
IN_HAND_STATUSES = (Status.DISPATCHED, Status.HANDLING)  # the department's clock runs


class Rating(models.IntegerChoices):
    SATISFIED = 3, _("满意")
    FAIRLY = 2, _("基本满意")
    UNSATISFIED = 1, _("不满意")


class CaseQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    pass


class Case(models.Model):
    """案件: one demand or problem, from any channel, through the closed loop."""

    Channel = Channel  # so that callers holding the model can say Case.Channel.VISIT
    Status = Status

    # db_index=False here and below where a composite index in Meta already leads with the column, or where
    # nothing looks cases up by the column (only a rare admin delete of a process or category would scan):
    # every index costs each intake a write, and PostgreSQL's planner a candidate to weigh.
    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    number = models.CharField(_("案件编号"), max_length=20)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    external_id = models.CharField(_("外部工单编号"), max_length=40, blank=True)  # 12345 工单编号, device id …
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    version = models.PositiveIntegerField(default=0)  # optimistic lock: every transition bumps it

    description = models.TextField(_("诉求内容"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    area = models.ForeignKey("geo.Area", verbose_name=_("片区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    building = models.ForeignKey("geo.Building", verbose_name=_("楼栋"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    needs_placement = models.BooleanField(_("待人工定位"), default=False)
    # 户: the registry household the case concerns (a problem found on a visit, a caller's own home). Named
    # by string so that cases and registry, side by side in the layers, never import each other; the
    # household file reads the cases back through cases' contribution (cases.contributions). Indexed by the
    # partial index case_household below: most cases have none.
    household = models.ForeignKey("registry.Household", verbose_name=_("关联户"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", db_index=False)

    category = models.ForeignKey(Category, verbose_name=_("案件分类"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    suggested_category = models.ForeignKey(Category, verbose_name=_("建议分类"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+", db_index=False)
    suggestion = models.JSONField(_("分类建议"), default=dict, blank=True)  # classifier output
    # 认定分类: the operator's category, else the classifier's suggestion. Computed and stored by the database
    # (never written by the application), so that the queue's category filter, Open311's service_code
    # filter and the duplicate search each read one indexed column instead of an OR over two.
    effective_category_id = models.GeneratedField(
        expression=Coalesce("category", "suggested_category"), output_field=models.BigIntegerField(),
        db_persist=True, verbose_name=_("认定分类"),
    )
    urgent = models.BooleanField(_("紧急"), default=False)
    possible_duplicate_of = models.ForeignKey("self", verbose_name=_("疑似重复"), null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+", db_index=False)
    duplicate_of = models.ForeignKey("self", verbose_name=_("合并到"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="duplicates")
    # The operator's answer to the 疑似重复 flag (services.duplicates.decide_duplicate): True 合并, False 不是重复,
    # None not decided. With the flag, it gives the share of flags accepted (the flag's precision on real
    # use). Nullable, so that adding the columns leaves the table (and SQLite's text-index triggers) alone.
    duplicate_accepted = models.BooleanField(_("疑似重复判定"), null=True, blank=True)
    duplicate_decided_at = models.DateTimeField(_("疑似重复判定时间"), null=True, blank=True)

    reporter_name = models.CharField(_("联系人"), max_length=40, blank=True)
    reporter_phone = EncryptedTextField(_("联系电话"), blank=True)
    reporter_phone_index = BlindIndexField(source="reporter_phone")
    reporter_phone_last4 = LastDigitsField(_("电话尾号"), source="reporter_phone")
    reporter = models.ForeignKey(User, verbose_name=_("上报人"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reported_cases")

    department = models.ForeignKey(Department, verbose_name=_("处置部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_index=False)
    process = models.ForeignKey(Process, verbose_name=_("处置流程"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)

    # Projection of the timeline (services.project): rewritten with every event, never edited directly.
    reported_at = models.DateTimeField(_("上报时间"), default=timezone.now)
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("首次派遣时间"), null=True, blank=True)
    first_contact_due = models.DateTimeField(_("先行联系时限"), null=True, blank=True)
    first_contacted_at = models.DateTimeField(_("先行联系时间"), null=True, blank=True)
    handle_due = models.DateTimeField(_("办理时限"), null=True, blank=True)
    handled_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    extended = models.BooleanField(_("已延期"), default=False)
    extension_pending = models.BooleanField(_("延期待审"), default=False)
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    overdue_warned = models.BooleanField(_("已超期督办"), default=False)
    rating = models.PositiveSmallIntegerField(_("回访评价"), choices=Rating.choices, null=True, blank=True)
    rated_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {
        ScopeLevel.AREA: "area",
        ScopeLevel.COMMUNITY: "community",
        ScopeLevel.GRID: "grid",
        ScopeLevel.DEPARTMENT: "department",
    }

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["subdistrict", "channel", "external_id"],
                                    condition=~models.Q(external_id=""), name="case_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["subdistrict", "status", "handle_due"], name="case_queue"),
            # With the point: the duplicate search (rows.duplicate_candidates) tests a week's cases against its
            # box in the index, fetching from the table only the few rows nearby.
            models.Index(fields=["subdistrict", "reported_at", "lat", "lon"], name="case_reported"),
            models.Index(fields=["subdistrict", "registered_at"], name="case_registered"),
            # With status: 结案数 per month (the KPI page's trend) is counted from the index alone.
            models.Index(fields=["subdistrict", "closed_at", "status"], name="case_closed"),
            models.Index(fields=["subdistrict", "dispatched_at"], name="case_dispatched"),
            models.Index(fields=["subdistrict", "rated_at"], name="case_rated"),
            models.Index(fields=["subdistrict", "effective_category_id", "reported_at"],
                         name="case_effective_category"),
            models.Index(fields=["department", "status", "handle_due"], name="case_department_queue"),
            models.Index(fields=["grid", "status"], name="case_grid"),
            models.Index(fields=["reporter_phone_index"], name="case_reporter_phone"),
            # The household file's cases section: a household's cases, newest first; only linked cases.
            models.Index(fields=["household", "reported_at"], name="case_household",
                         condition=models.Q(household__isnull=False)),
        ]

    def __str__(self) -> str:  # no personal data: audit records quote this
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status in IN_HAND_STATUSES and self.handle_due is not None and self.handle_due < now


def household_model() -> type[models.Model]:
    """The registry's Household (户), reached through ``Case.household``: cases never imports the registry."""
    return Case._meta.get_field("household").related_model


class EventKind(models.TextChoices):
    CREATED = "created", _("信息收集")
    REGISTERED = "registered", _("立案")
    RECLASSIFIED = "reclassified", _("改分类")
    PLACED = "placed", _("人工定位")
    DISPATCHED = "dispatched", _("派遣")
    RETURNED = "returned", _("退回")
    ACCEPTED = "accepted", _("签收")
    CONTACTED = "contacted", _("先行联系")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("同意延期")
    EXTENSION_REFUSED = "extension_refused", _("不同意延期")
    HANDLED = "handled", _("处置反馈")
    REWORK = "rework", _("核查不通过（返工）")
    CLOSED = "closed", _("核查通过，结案")
    SUSPENDED = "suspended", _("挂账")
    RESUMED = "resumed", _("恢复办理")
    CANCELLED = "cancelled", _("作废")
    MERGED = "merged", _("合并为重复件")
    NOT_DUPLICATE = "not_duplicate", _("判定不是重复")
    VISITED = "visited", _("回访评价")
    REOPENED = "reopened", _("重新办理")
    NOTE = "note", _("备注")
    OVERDUE = "overdue", _("超期督办")  # written by the periodic time-limit check, not by a person


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("案件时间线只能追加，不能修改")

    def delete(self):
        raise PermissionDenied("案件时间线只能追加，不能删除")


class CaseEvent(models.Model):
    """One step of a case's timeline: who did what, when, from which state to which, with a note."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("环节"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    from_status = models.CharField(_("原状态"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Status.choices, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件环节")
        verbose_name_plural = _("案件环节")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subdistrict", "kind", "at"], name="case_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("案件时间线只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("案件时间线只能追加，不能删除")


def photo_path(instance, filename: str) -> str:
    return f"cases/{instance.case.subdistrict_id}/{instance.case_id}/{instance.token}.{instance.extension}"


class Attachment(models.Model):
    """A photo on a case: evidence from the reporter, or the handler's before/after pictures."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=5)
    file = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("案件照片")
        verbose_name_plural = _("案件照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.token}"


class Open311Key(models.Model):
    """An Open311 ``api_key`` for a client application (jiedao open311-key NAME); stored as a digest."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("应用名称"), max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self) -> str:
        return self.name


class Open311Token(models.Model):
    """An Open311 request token: what POST /requests answers before the request has an id."""

    token = models.CharField(max_length=40, unique=True)
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="open311_token")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.token
