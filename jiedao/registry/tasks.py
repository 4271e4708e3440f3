"""Registry background jobs."""

from django_tasks import task

from jiedao.core import periodic
from jiedao.core.models import Subdistrict


@periodic.every(hours=24, name="registry.recompute_colours")
@task()
def recompute_colours() -> int:
    """Daily: residents grow older, so 高龄 and 老年人 (and the colours that use them) change by date."""
    from jiedao.registry import colours

    return sum(colours.recompute(subdistrict_id=pk) for pk in Subdistrict.objects.values_list("pk", flat=True))


@task()
def export_residents(export_id: int) -> int:
    """后台导出: write one requested export's file (registry.exports)."""
    from jiedao.registry import exports

    return exports.run_export(export_id=export_id)


@periodic.every(hours=1, name="registry.prune_files")
@task()
def prune_files() -> int:
    """Hourly: staged import files and background exports are kept for a day."""
    from jiedao.registry import exports, staging

    return staging.prune_staged() + exports.prune_exports()
