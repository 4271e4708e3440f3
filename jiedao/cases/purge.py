"""Deleting a subdistrict's cases wholesale: only for rebuilding demo data (``jiedao demo --reset``).

The timeline is append-only for every other path (CaseEvent refuses update and delete); this bypasses
that on purpose, with raw deletes, and is never reachable from a page or the API.
"""

from django.db import transaction

from jiedao.cases.models import Attachment, Case, CaseEvent, Open311Key, Open311Token, Process, Scenario


@transaction.atomic
def delete_all_for_demo_reset(*, subdistricts) -> int:
    cases = Case.objects.filter(subdistrict__in=subdistricts)
    for attachment in Attachment.objects.filter(case__in=cases).iterator():
        attachment.file.delete(save=False)
    Attachment.objects.filter(case__in=cases)._raw_delete(Attachment.objects.db)
    Open311Token.objects.filter(case__in=cases).delete()
    events = CaseEvent.objects.filter(subdistrict__in=subdistricts)
    events._raw_delete(events.db)
    Case.objects.filter(subdistrict__in=subdistricts).update(possible_duplicate_of=None, duplicate_of=None)
    count, _ = cases.delete()
    Scenario.objects.filter(subdistrict__in=subdistricts).delete()
    Process.objects.filter(subdistrict__in=subdistricts).delete()
    Open311Key.objects.filter(subdistrict__in=subdistricts).delete()
    return count
