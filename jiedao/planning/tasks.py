"""Planning background jobs: computed indicators follow the platform's live data."""

from django_tasks import task

from jiedao.core import periodic


@periodic.every(hours=24, name="planning.refresh_computed_indicators")
@task()
def refresh_computed_indicators() -> int:
    """Store the current quarter's value of every computed indicator of every plan that is running now."""
    from django.utils import timezone

    from jiedao.planning.models import Plan
    from jiedao.planning.periods import current_quarter
    from jiedao.planning.services import record_computed_values

    quarter = current_quarter(timezone.localdate())
    plans = Plan.objects.filter(start_year__lte=quarter.year, end_year__gte=quarter.year)
    for plan in plans:
        record_computed_values(plan=plan, period=quarter)
    return len(plans)
