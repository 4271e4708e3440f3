"""一网统管 background jobs: the time-limit check (超期督办)."""

from django_tasks import task

from jiedao.core import periodic


@periodic.every(minutes=5, name="cases.warn_overdue")
@task()
def warn_overdue() -> int:
    """Every five minutes: mark, on its timeline, each case whose time limit has just passed."""
    from jiedao.cases import services

    return services.warn_overdue()
