"""visits.rows writes what the ORM would: the same task as bulk_create, and a second insert of the same
(household, key) changes nothing, as ignore_conflicts would."""

import datetime as dt

from django.forms.models import model_to_dict

from jiedao.visits.models import TaskKind, VisitTask
from jiedao.visits.rows import insert_tasks


def _task(vw, household, key, reason="红色户每月走访"):
    return VisitTask(subdistrict=vw.sub, community=vw.c2, building=household.building, household=household,
                     kind=TaskKind.ROUTINE, key=key, colour=household.care_colour, reason=reason,
                     assignee=vw.social_worker, starts_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 3, 31),
                     original_due_on=dt.date(2026, 3, 31))


def test_insert_tasks_writes_what_bulk_create_writes_and_skips_a_conflict(vw):
    insert_tasks([_task(vw, vw.red, "red:202603")])
    VisitTask.objects.bulk_create([_task(vw, vw.yellow, "red:202603")])
    mine, theirs = VisitTask.objects.get(household=vw.red), VisitTask.objects.get(household=vw.yellow)
    skip = {"id", "household", "colour", "created_at"}
    assert {k: v for k, v in model_to_dict(mine).items() if k not in skip} == \
        {k: v for k, v in model_to_dict(theirs).items() if k not in skip}
    assert abs((mine.created_at - theirs.created_at).total_seconds()) < 60
    insert_tasks([_task(vw, vw.red, "red:202603", reason="另一次生成")])
    assert VisitTask.objects.filter(household=vw.red).count() == 1
    assert VisitTask.objects.get(household=vw.red).reason == "红色户每月走访"
