"""The declared filters of the indicator and project lists, applied by the selectors after the reader's scope.

Health (对标状态) and a project's status are computed per row for a period after the query; their filters
are parsed and checked here like the others, and the selectors match them against the computed rows.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from jiedao.core.filters import ComputedChoiceFilter, FilterSet, IntegerFilter
from jiedao.planning.models import Project, ProjectStatus
from jiedao.planning.status import Health


class IndicatorFilter(FilterSet):
    """指标 by chapter, and by health as of the period shown."""

    chapter = IntegerFilter(label=_("章节"), field_name="chapter__number")
    health = ComputedChoiceFilter(label=_("对标状态"), choices=Health.choices)


class ProjectFilter(FilterSet):
    """项目 by chapter, category and lead unit, and by status and health as of the period shown."""

    chapter = IntegerFilter(label=_("章节"), field_name="chapter__number")
    category = django_filters.ChoiceFilter(label=_("类别"), choices=Project.Category.choices)
    lead_unit = IntegerFilter(label=_("牵头单位"), field_name="lead_unit_id")
    status = ComputedChoiceFilter(label=_("项目状态"), choices=ProjectStatus.choices)
    health = ComputedChoiceFilter(label=_("对标状态"), choices=Health.choices)
