"""物联感知 background jobs: device health, cases the listener did not get to, and alarms' outcomes."""

from django_tasks import task

from jiedao.core import periodic


@periodic.every(minutes=1, name="sensing.check_health")
@task()
def check_health() -> dict:
    """Every minute: devices silent longer than their type allows go offline; a device offline for a day
    gets a maintenance task for its department."""
    from jiedao.sensing import services

    return services.check_health()


@periodic.every(minutes=1, name="sensing.open_pending_cases")
@task()
def open_pending_cases() -> int:
    """Every minute: file the cases of alarms that have none yet (a listener stopped before filing them, or
    filing failed and is worth trying again)."""
    from jiedao.sensing import services

    return services.open_pending_cases()


@periodic.every(minutes=5, name="sensing.sync_outcomes")
@task()
def sync_outcomes() -> int:
    """Every five minutes: copy back which alarms' cases ended, and which were false (误报)."""
    from jiedao.sensing import services

    return services.sync_outcomes()


@periodic.every(hours=1, name="sensing.revoke_passes_of_residents_moved_out")
@task()
def revoke_passes_of_residents_moved_out() -> int:
    """Every hour: a resident registered as moved out (迁出) keeps no 电子出入证."""
    from jiedao.sensing.services import passes

    return passes.revoke_for_moved_out()
