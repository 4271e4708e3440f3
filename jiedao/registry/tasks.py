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
