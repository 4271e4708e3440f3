"""分配任务 and 提醒任务: visit tasks with their due dates and assignee, their history (append-only), and the
reminders of the in-app inbox."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet
from jiedao.registry.models import CareColour
from jiedao.visits.models.plan import PLACE_SCOPE, now


class TaskKind(models.TextChoices):
    ROUTINE = "routine", _("例行走访")      # a periodic rule's task for one period
    MOVED_IN = "moved_in", _("新迁入走访")
    FOLLOW_UP = "follow_up", _("案件回访")   # after a case linked to the household was closed
    HIGH_RISK = "high_risk", _("高风险复访")  # confirmed from a visit's assessment
    MANUAL = "manual", _("临时走访")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待走访")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("已关闭")  # nothing left to visit: the household moved out (the reason is kept)


class VisitTask(models.Model):
    """走访任务: visit one household between ``starts_on`` and ``due_on``.

    ``key`` makes generation idempotent: one task per household and key (``<rule>:<period>``,
    ``case:<id>``, ``visit:<id>``), so the periodic job can run as often as it likes. ``colour`` is the
    household's care colour when the task was made, which the coverage figure counts by.
    """

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    building = models.ForeignKey("geo.Building", verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    kind = models.CharField(_("类型"), max_length=10, choices=TaskKind.choices)
    rule = models.ForeignKey("visits.VisitRule", verbose_name=_("规则"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", db_index=False)
    key = models.CharField(max_length=40)
    colour = models.CharField(_("分色"), max_length=8, choices=CareColour.choices, blank=True)
    reason = models.CharField(_("事由"), max_length=120, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("社工"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+", db_index=False)
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("截止日期"))
    original_due_on = models.DateField(_("原定截止日期"))
    due_version = models.PositiveSmallIntegerField(default=0)  # +1 on each postponement: reminders start over
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    visit = models.ForeignKey("visits.Visit", verbose_name=_("走访记录"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="tasks_done", db_index=False)
    source_case = models.ForeignKey("cases.Case", verbose_name=_("关联案件"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", db_index=False)
    source_visit = models.ForeignKey("visits.Visit", verbose_name=_("来源走访"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", db_index=False)
    closed_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=now)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("走访任务")
        verbose_name_plural = _("走访任务")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["household", "key"], name="visit_task_key_unique")]
        indexes = [
            # A worker's today list: their open tasks by due date.
            models.Index(fields=["assignee", "status", "due_on"], name="visit_task_worker"),
            # The head's board and the reminder job: a 居委's open tasks by due date.
            models.Index(fields=["community", "status", "due_on"], name="visit_task_community"),
            # Figures: tasks due in a period.
            models.Index(fields=["subdistrict", "due_on"], name="visit_task_due"),
            models.Index(fields=["household", "status"], name="visit_task_household"),
        ]

    def __str__(self) -> str:
        return f"走访任务#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    def days_overdue(self, today) -> int:
        return (today - self.due_on).days if self.is_open and self.due_on < today else 0


class TaskEventKind(models.TextChoices):
    CREATED = "created", _("生成")
    ASSIGNED = "assigned", _("分配")
    REASSIGNED = "reassigned", _("改派")
    POSTPONED = "postponed", _("延期")
    CANCELLED = "cancelled", _("取消")
    DONE = "done", _("完成")
    CLOSED = "closed", _("关闭")


class TaskEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("走访任务记录只能追加，不能修改")

    def delete(self):
        raise PermissionDenied("走访任务记录只能追加，不能删除")


class TaskEvent(models.Model):
    """One change of a task's status, assignee or due date, with who and why. Append-only. A task made by
    the periodic job has no ``created`` event: its ``created_at`` says when."""

    task = models.ForeignKey(VisitTask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("变更"), max_length=12, choices=TaskEventKind.choices)
    at = models.DateTimeField(_("时间"), default=now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)  # from/to assignee ids and due dates

    objects = TaskEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务记录")
        verbose_name_plural = _("任务记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("走访任务记录只能追加，不能修改")
        super().save(*args, **kwargs)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    ESCALATION = "escalation", _("逾期督办")  # to the 居委 head, N days overdue


class Reminder(models.Model):
    """站内提醒: one message in a user's inbox about one task. Never twice for the same task and step (kind
    and due date version) to the same person: the unique constraint holds even when two reminder jobs run at
    once."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  db_index=False)
    task = models.ForeignKey(VisitTask, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("提醒"), max_length=12, choices=ReminderKind.choices)
    due_version = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("时间"), default=now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("走访提醒")
        verbose_name_plural = _("走访提醒")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["task", "kind", "due_version", "recipient"],
                                               name="visit_reminder_once")]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="visit_reminder_inbox")]

    def __str__(self) -> str:
        return f"提醒#{self.pk}"
