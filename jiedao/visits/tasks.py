"""四百走访 background jobs: the task schedule (tasks from the plan, reminders, escalations) and the
assessment of visits stored while it could not run."""

from django_tasks import task

from jiedao.core import periodic


@periodic.every(hours=1, name="visits.run_schedule")
@task()
def run_schedule() -> dict:
    """Hourly: today's tasks from the plan, 新迁入 and 回访 tasks, moved-out households' tasks closed, then
    reminders and escalations (each made once, whatever how often this runs)."""
    from jiedao.visits import services

    return services.run_schedule()


@periodic.every(minutes=10, name="visits.assess_pending")
@task()
def assess_pending() -> int:
    """Every ten minutes: assess the visits stored while the assessment could not run."""
    from jiedao.visits import services

    return services.assess_pending()
