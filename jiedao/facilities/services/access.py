"""Keeping ``BuildingAccess`` (the stored distance from every building to the nearest open facility of each
type) equal to what the engine computes, writing only the rows that changed."""

import time

from django.db import transaction
from django.utils import timezone

from jiedao.facilities import selectors
from jiedao.facilities.engine import engine_for, forget
from jiedao.facilities.models import AccessRun, BuildingAccess

BATCH = 5000


@transaction.atomic
def refresh_access(*, subdistrict_id: int, type_ids: list[int] | None = None, afresh: bool = False) -> AccessRun:
    """Compute the distances of ``type_ids`` (every type when None) and store those that changed; with
    ``afresh``, from the database as it is now rather than this process's engine."""
    started = time.perf_counter()
    if afresh:
        forget(subdistrict_id)
    engine = engine_for(subdistrict_id)
    types = [t for t in engine.types.values() if type_ids is None or t.pk in type_ids]
    existing = {
        (b, t): (pk, f, d) for pk, b, t, f, d in BuildingAccess.objects.filter(
            subdistrict_id=subdistrict_id, type_id__in=[t.pk for t in types],
        ).values_list("pk", "building_id", "type_id", "facility_id", "distance_m")
    }
    create, stale = [], []
    for facility_type in types:
        found = selectors.nearest(engine, facility_type)
        for b, f, d in zip(engine.building_ids.tolist(), found.facility.tolist(), found.distance.tolist(), strict=True):
            distance = round(d, 1) if d != float("inf") else None
            facility = f or None
            old = existing.pop((b, facility_type.pk), None)
            if old is None:
                create.append(BuildingAccess(subdistrict_id=subdistrict_id, building_id=b, type_id=facility_type.pk,
                                             facility_id=facility, distance_m=distance))
            elif (old[1], old[2]) != (facility, distance):
                stale.append(old[0])
                create.append(BuildingAccess(subdistrict_id=subdistrict_id, building_id=b, type_id=facility_type.pk,
                                             facility_id=facility, distance_m=distance))
    # A changed row is deleted and inserted again: far faster than Django's bulk_update (one CASE per row).
    stale += [row[0] for row in existing.values()]  # and rows of buildings that are gone
    for start in range(0, len(stale), BATCH):
        BuildingAccess.objects.filter(pk__in=stale[start:start + BATCH]).delete()
    BuildingAccess.objects.bulk_create(create, batch_size=BATCH)
    unattached = engine.building_ids[~engine.building_attached].tolist()
    run, _created = AccessRun.objects.update_or_create(subdistrict_id=subdistrict_id, defaults={
        "signature": engine.signature, "computed_at": timezone.now(), "unattached": unattached,
        "seconds": round(time.perf_counter() - started, 3),
    })
    return run
