"""Deleting a subdistrict's visits wholesale: only for rebuilding demo data (``jiedao demo --reset``), before
the cases, households and people the visits refer to are deleted.

Task history is append-only for every other path (TaskEvent refuses update and delete); this bypasses that
on purpose, with a raw delete, and is never reachable from a page or the API.
"""

from django.db import transaction

from jiedao.visits.models import (
    BuildingAssignment,
    FeedbackCode,
    Reminder,
    TaskEvent,
    Visit,
    VisitPhoto,
    VisitProblem,
    VisitRule,
    VisitSettings,
    VisitTask,
)


@transaction.atomic
def delete_all_for_demo_reset(*, subdistricts) -> int:
    tasks = VisitTask.objects.filter(subdistrict__in=subdistricts)
    visits = Visit.objects.filter(subdistrict__in=subdistricts)
    Reminder.objects.filter(subdistrict__in=subdistricts).delete()
    events = TaskEvent.objects.filter(task__in=tasks)
    events._raw_delete(events.db)
    FeedbackCode.objects.filter(subdistrict__in=subdistricts).delete()
    VisitProblem.objects.filter(visit__in=visits).delete()
    for photo in VisitPhoto.objects.filter(visit__in=visits).iterator():
        photo.file.delete(save=False)
    VisitPhoto.objects.filter(visit__in=visits).delete()
    tasks.delete()
    Visit.met_residents.through.objects.filter(visit__in=visits).delete()
    count, _ = visits.delete()
    BuildingAssignment.objects.filter(subdistrict__in=subdistricts).delete()
    VisitRule.objects.filter(subdistrict__in=subdistricts).delete()
    VisitSettings.objects.filter(subdistrict__in=subdistricts).delete()
    return count
