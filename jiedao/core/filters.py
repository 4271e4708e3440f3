"""Declared filters: the FilterSet every list selector applies after the reader's scope, and the audit log's.

A selector starts from ``Model.objects.within(scope_of(user))`` and returns ``TheFilter(filters, queryset=qs).qs``,
so a filter can only narrow what the scope lets through. Input that does not parse raises a ValidationError
naming the field (shown next to it on a page, as ``{"field", "message"}`` by the API) instead of being
ignored, which would list more than was asked for.
"""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import AuditAction


class FilterSet(django_filters.FilterSet):
    """A FilterSet that refuses input it cannot parse, and applies its defaults when given no filters."""

    def __init__(self, data=None, queryset=None, **kwargs):
        # Bound even without data, so that filters with a default (a resident's 含已迁出) still apply.
        super().__init__({} if data is None else data, queryset, **kwargs)

    @property
    def qs(self) -> QuerySet:
        if not self.is_valid():
            raise self.invalid()
        return super().qs

    def invalid(self) -> ValidationError:
        """The form's errors as one ValidationError by field. Django's own messages do not say which field
        they are about ("输入整数。"), so those get the field's label in front: "章节：输入整数。"."""
        errors = {}
        for name, field_errors in self.form.errors.as_data().items():
            label = str(self.form.fields[name].label or name) if name in self.form.fields else ""
            errors[name] = [_named(error, label) for error in field_errors]
        return ValidationError(errors)


def _named(error: ValidationError, label: str) -> ValidationError:
    message = error.messages[0]
    if label and label not in message:
        message = gettext("%(label)s：%(message)s") % {"label": label, "message": message}
    return ValidationError(message, code=error.code)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a chapter number, a row id), where NumberFilter would take decimals."""

    field_class = forms.IntegerField


class ComputedChoiceFilter(django_filters.ChoiceFilter):
    """A choice parsed and checked with the other filters, but matched by the selector against a value it
    computes per row after the query (a project's status as of a period); the query is left as it is."""

    def filter(self, qs, value):
        return qs


class DayOrInstantField(forms.DateTimeField):
    """A day (2025-03-01, from a page's date input) or an instant (2025-03-01T08:30:00+08:00, from the API)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            try:
                return dt.date.fromisoformat(value) if len(value) == 10 else super().to_python(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return super().to_python(value)


class DayOrInstantFilter(django_filters.Filter):
    """Rows from a day's start or an instant (``lookup_expr="gte"``), or up to a day's end or an instant
    (``lookup_expr="lt"``: a day counts whole, so "until 3 March" includes 3 March)."""

    field_class = DayOrInstantField

    def filter(self, qs, value):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            day = value + dt.timedelta(days=1) if self.lookup_expr == "lt" else value
            value = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return super().filter(qs, value)


class AuditLogFilter(FilterSet):
    """审计查询: by keyword, action, actor, object and time."""

    q = django_filters.CharFilter(label=_("关键词"), method="keyword")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=AuditAction.choices)
    actor = django_filters.CharFilter(label=_("操作人"), field_name="actor_username")
    object_type = django_filters.CharFilter(label=_("对象类型"))
    object_id = django_filters.CharFilter(label=_("对象编号"))
    since = DayOrInstantFilter(label=_("起始日期"), field_name="created_at", lookup_expr="gte")
    until = DayOrInstantFilter(label=_("截止日期"), field_name="created_at", lookup_expr="lt")

    def keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(actor_username__icontains=value) | Q(object_repr__icontains=value) | Q(reason__icontains=value)
            | Q(path__icontains=value)
        )
