"""The figures of 四百走访 (事后有评价), each defined once here with its numerator and denominator; the
leader's page, the API, the planning elements and docs/visits.md all read these definitions.

A period is whole local days ``start`` … ``end``. Figures are computed from querysets the caller has
already limited to the reader's scope, grouped by 居委, by social worker or by care colour (or not at all,
for the total).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.cases.models import Status as CaseStatus
from jiedao.visits.filters import period
from jiedao.visits.models import FeedbackCode, Risk, TaskStatus, Visit, VisitProblem, VisitTask

# figure → (name, definition). Rates are numerator / denominator, shown as a percentage.
DEFINITIONS = {
    "coverage": (_("走访覆盖率"),
                 _("本期到期的应走访户次（每户每个到期任务计一次）中，到期末已走访（任务已完成）的比例；"
                   "不含已取消和因迁出关闭的任务")),
    "on_time": (_("按时完成率"),
                _("本期到期、截止日期已过或已完成的任务中，在截止日期当天或之前完成的比例（延期后按新的截止日期）")),
    "high_risk": (_("高风险发现数"), _("本期签到的走访中，AI回访评估为高风险的次数")),
    "referred": (_("问题转办数"), _("本期走访发现并转为案件（走访发现渠道）的问题数")),
    "closed_rate": (_("办结率"), _("本期转办的问题中，案件目前已结案的比例")),
    "satisfaction": (_("回访满意率"), _("本期居民扫码评价中，评价为满意或基本满意的比例")),
}

GROUPS = {
    # group → the field naming it on tasks, visits, problems and feedback codes
    "community": ("community_id", "community_id", "visit__community_id", "community_id"),
    "worker": ("assignee_id", "worker_id", "visit__worker_id", "visit__worker_id"),
    "colour": ("colour", "household__care_colour", "visit__household__care_colour", "visit__household__care_colour"),
}


def rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass
class Figures:
    """The figures of one group (a 居委, a worker, a colour) or of all, over one period."""

    visits_due: int = 0   # 应走访户次: tasks due in the period (one per household and task)
    visits_done: int = 0  # 已走访户次: of those, done by the period's end
    tasks_matured: int = 0
    tasks_on_time: int = 0
    high_risk: int = 0
    referred: int = 0
    referred_closed: int = 0
    rated: int = 0
    satisfied: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def coverage(self) -> float | None:  # 走访覆盖率
        return rate(self.visits_done, self.visits_due)

    @property
    def on_time(self) -> float | None:  # 按时完成率
        return rate(self.tasks_on_time, self.tasks_matured)

    @property
    def closed_rate(self) -> float | None:  # 办结率 of the problems referred
        return rate(self.referred_closed, self.referred)

    @property
    def satisfaction(self) -> float | None:  # 回访满意率
        return rate(self.satisfied, self.rated)

    def as_dict(self) -> dict:
        return {
            "visits_due": self.visits_due, "visits_done": self.visits_done,
            "coverage": self.coverage, "tasks_matured": self.tasks_matured, "tasks_on_time": self.tasks_on_time,
            "on_time": self.on_time, "high_risk": self.high_risk, "referred": self.referred,
            "referred_closed": self.referred_closed, "closed_rate": self.closed_rate, "rated": self.rated,
            "satisfied": self.satisfied, "satisfaction": self.satisfaction,
        }


def due_tasks(tasks: QuerySet[VisitTask], start: dt.date, end: dt.date) -> QuerySet[VisitTask]:
    """Tasks due in the period that count: not cancelled, not closed for a household that moved out."""
    return tasks.filter(due_on__gte=start, due_on__lte=end).exclude(
        status__in=(TaskStatus.CANCELLED, TaskStatus.CLOSED))


def compute(*, tasks: QuerySet[VisitTask], visits: QuerySet[Visit], problems: QuerySet[VisitProblem],
            feedback: QuerySet[FeedbackCode], start: dt.date, end: dt.date, today: dt.date | None = None,
            group: str | None = None) -> dict:
    """The figures per group key (``group`` None: one entry under the key None, the total). Four queries, one
    per kind of row, each counting all its figures at once (conditional counts) per group."""
    today = today or timezone.localdate()
    since, until = period(start, end)
    keys = GROUPS.get(group, (None, None, None, None))
    out: dict = {}

    def add(qs: QuerySet, key: str | None, counts: dict) -> None:
        rows = ([{**qs.aggregate(**counts), "key": None}] if key is None
                else qs.order_by().values(key).annotate(**counts).values(key, *counts))
        for row in rows:
            figures = out.setdefault(row[key] if key else None, Figures())
            for attr in counts:
                setattr(figures, attr, getattr(figures, attr) + (row[attr] or 0))

    done = Q(status=TaskStatus.DONE)
    due = due_tasks(tasks, start, end).annotate(
        done_day=TruncDate("done_at", tzinfo=timezone.get_current_timezone()))
    add(due, keys[0], {
        "visits_due": Count("pk"),
        "visits_done": Count("pk", filter=done & Q(done_at__lt=until)),
        "tasks_matured": Count("pk", filter=Q(due_on__lt=today) | done),
        "tasks_on_time": Count("pk", filter=done & Q(done_day__lte=F("due_on"))),
    })
    add(visits.filter(checked_in_at__gte=since, checked_in_at__lt=until, risk=Risk.HIGH), keys[1],
        {"high_risk": Count("pk")})
    add(problems.filter(created_at__gte=since, created_at__lt=until), keys[2], {
        "referred": Count("pk"), "referred_closed": Count("pk", filter=Q(case__status=CaseStatus.CLOSED))})
    add(feedback.filter(used_at__gte=since, used_at__lt=until, rating__isnull=False), keys[3], {
        "rated": Count("pk"), "satisfied": Count("pk", filter=Q(rating__gte=2))})
    if group is None:
        out.setdefault(None, Figures())
    return out


def total_of(rows: dict) -> Figures:
    """The total of grouped figures: every row counted belongs to exactly one group (a 居委, a worker or none,
    a colour), so the sums are the figures of the whole."""
    total = Figures()
    for figures in rows.values():
        for name in ("visits_due", "visits_done", "tasks_matured", "tasks_on_time", "high_risk", "referred",
                     "referred_closed", "rated", "satisfied"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
    return total
