"""The declared filters the visits selectors apply after the reader's scope: visits (the figures' drill-down,
the head's flagged notes and high-risk households) and tasks (the head's board)."""

import datetime as dt

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.filters import DayOrInstantFilter, FilterSet, IntegerFilter
from jiedao.registry.models import CareColour
from jiedao.visits.models import Outcome, Risk, TaskKind, TaskStatus

COLOURS = [(c.value, c.label) for c in CareColour if c.value] + [("none", _("未分色"))]


class VisitFilter(FilterSet):
    """走访记录: by 居委, worker, household, period, risk, risk type, flags, 回访 and outcome."""

    community = IntegerFilter(label=_("居委"), field_name="community_id")
    worker = IntegerFilter(label=_("社工"), field_name="worker_id")
    household = IntegerFilter(label=_("户"), field_name="household_id")
    since = DayOrInstantFilter(label=_("起始日期"), field_name="checked_in_at", lookup_expr="gte")
    until = DayOrInstantFilter(label=_("截止日期"), field_name="checked_in_at", lookup_expr="lt")
    risk = django_filters.ChoiceFilter(label=_("风险等级"), choices=Risk.choices)
    risk_type = django_filters.CharFilter(label=_("风险类型"), method="with_type")
    flagged = django_filters.BooleanFilter(label=_("疑似走过场"))
    return_visit = django_filters.BooleanFilter(label=_("回访"))
    outcome = django_filters.ChoiceFilter(label=_("走访结果"), choices=Outcome.choices)
    problems = django_filters.BooleanFilter(label=_("有转办问题"), method="with_problems")
    rated = django_filters.BooleanFilter(label=_("有居民评价"), method="with_rating")
    follow_up = django_filters.ChoiceFilter(label=_("建议跟进"), field_name="follow_up_status", choices=[
        ("pending", _("待确认")), ("accepted", _("已采纳")), ("dismissed", _("不采纳"))])

    def with_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # JSON containment is not on SQLite; a type name is a short word, so a text match of the JSON is exact
        # enough ("安全" cannot be part of another type's name).
        return queryset.filter(risk_types__icontains=value)

    def with_problems(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(problems__isnull=not value).distinct()

    def with_rating(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(feedback__used_at__isnull=not value)


class TaskFilter(FilterSet):
    """走访任务: by 居委, worker (``none``: unassigned), status, kind, colour, due period and overdue."""

    community = IntegerFilter(label=_("居委"), field_name="community_id")
    worker = django_filters.CharFilter(label=_("社工"), method="with_worker")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TaskStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=TaskKind.choices)
    colour = django_filters.ChoiceFilter(label=_("分色"), choices=COLOURS, method="with_colour")
    due_since = django_filters.DateFilter(label=_("截止日期从"), field_name="due_on", lookup_expr="gte")
    due_until = django_filters.DateFilter(label=_("截止日期到"), field_name="due_on", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="is_overdue")
    done = django_filters.BooleanFilter(label=_("已完成"), method="is_done")
    household = IntegerFilter(label=_("户"), field_name="household_id")

    def with_worker(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if not value.isdigit():
            from django.core.exceptions import ValidationError

            raise ValidationError({"worker": _("社工应为编号或 none")})
        return queryset.filter(assignee_id=int(value))

    def with_colour(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(colour="" if value == "none" else value)

    def is_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = Q(status=TaskStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def is_done(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(status=TaskStatus.DONE) if value else queryset.exclude(status=TaskStatus.DONE)


def period(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from ``start``'s midnight to the midnight after ``end`` (local time)."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time(), tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz))
