"""cases.rows: each way around the ORM writes or reads what the ORM would, on SQLite and PostgreSQL alike
(run this file with DATABASE_URL=postgres://… for the second)."""

import datetime as dt
import itertools
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiedao.cases import rows
from jiedao.cases.models import OPEN_STATUSES, Case, Category, Channel, Status
from jiedao.cases.services import duplicates, reception

_numbers = itertools.count(1)


def make_case(subdistrict, **fields) -> Case:
    """A case written through the ORM, with a number of its own and the fields given."""
    fields.setdefault("channel", Channel.HOTLINE)
    fields.setdefault("description", "楼下饭店油烟很大")
    return Case.objects.create(subdistrict=subdistrict, number=f"R{next(_numbers):06d}", **fields)


def orm_external_id_taken(*, subdistrict_id, channel, external_id) -> bool:
    return Case.objects.filter(subdistrict_id=subdistrict_id, channel=channel, external_id=external_id).exists()


def test_an_order_number_is_taken_exactly_when_the_orm_finds_a_case_with_it(cases_world):
    """Whatever the case's status (one merged into another and cancelled still holds its number), per
    subdistrict and channel; intake's ORM read of the case agrees too."""
    w = cases_world
    kept = make_case(w.sub, external_id="2611230001")
    make_case(w.sub, external_id="2611230002", status=Status.CANCELLED, duplicate_of=kept)
    make_case(w.sub, external_id="2611230001", channel=Channel.SENSOR)
    make_case(w.other_sub, external_id="2611230003")
    make_case(w.sub, external_id="")
    make_case(w.sub, external_id="", channel=Channel.PATROL)
    asked = taken = 0
    for sub, channel, external_id in itertools.product(
            (w.sub, w.other_sub), (Channel.HOTLINE, Channel.SENSOR, Channel.PATROL),
            ("2611230001", "2611230002", "2611230003", "2611230004")):
        lookup = {"subdistrict_id": sub.pk, "channel": channel, "external_id": external_id}
        expected = orm_external_id_taken(**lookup)
        assert rows.external_id_taken(**lookup) is expected, lookup
        found = reception._by_external_id(sub, channel, external_id)
        assert found == Case.objects.filter(**lookup).first(), lookup
        asked, taken = asked + 1, taken + expected
    assert (asked, taken) == (24, 4)
    # An empty number is left out of the index: never taken, though cases without one exist.
    assert orm_external_id_taken(subdistrict_id=w.sub.pk, channel=Channel.HOTLINE, external_id="")
    assert not rows.external_id_taken(subdistrict_id=w.sub.pk, channel=Channel.HOTLINE, external_id="")
    assert reception._by_external_id(w.sub, Channel.HOTLINE, "") is None


def orm_duplicate_candidates(*, case, since, statuses, box, limit) -> list[tuple]:
    """The query ``rows.duplicate_candidates`` runs, written with the ORM."""
    qs = Case.objects.filter(subdistrict_id=case.subdistrict_id, reported_at__gte=since,
                             reported_at__lte=case.reported_at, status__in=statuses)
    if case.pk is not None:
        qs = qs.exclude(pk=case.pk)
    if case.lat is not None:
        dlat, dlon = box
        qs = qs.filter(lat__range=(case.lat - dlat, case.lat + dlat), lon__range=(case.lon - dlon, case.lon + dlon))
    else:
        qs = qs.filter(building_id=case.building_id)
    found = qs.order_by("-reported_at").values_list("id", "number", "description", "lat", "lon", "building_id",
                                                    "reported_at", "status", "category__name", "suggestion")
    return list(found[:limit])


def test_the_duplicate_candidates_are_the_cases_the_orm_finds(cases_world):
    """Over cases near and far, in the window and outside it, open and closed, of any category (the
    operator's or the classifier's), in the building or another subdistrict; with their reported_at, the
    operator's category's name and the suggestion as the ORM reads them."""
    w = cases_world
    noise = Category.objects.get(name="噪音扰民")
    rubbish = Category.objects.get(name="垃圾堆放")
    suggestion = {"category": "噪音扰民", "confidence": 0.9,
                  "alternatives": [{"category": "犬只扰民", "confidence": 0.05}]}
    at = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    here = {"lat": 31.2325, "lon": 121.4025}
    minutes = itertools.count(1)

    def before(**kwargs) -> dt.datetime:
        return at - dt.timedelta(**kwargs) - dt.timedelta(seconds=next(minutes))  # no two cases at one time

    make_case(w.sub, category=noise, reported_at=before(hours=1), suggestion=suggestion, **here)
    make_case(w.sub, category=noise, reported_at=before(hours=2), status=Status.DISPATCHED,
              lat=31.2338, lon=121.4040)  # at the box's corner
    make_case(w.sub, suggested_category=noise, reported_at=before(days=1), status=Status.HANDLED,
              suggestion=suggestion, **here)
    make_case(w.sub, category=rubbish, suggested_category=noise, reported_at=before(hours=3), **here)
    make_case(w.sub, reported_at=before(hours=3, minutes=30), **here)  # not classified
    make_case(w.sub, category=noise, reported_at=before(hours=4), status=Status.CLOSED, **here)
    make_case(w.sub, category=noise, reported_at=before(hours=5), status=Status.CANCELLED, **here)
    make_case(w.sub, category=noise, reported_at=before(hours=6), lat=31.2360, lon=121.4025)  # too far north
    make_case(w.sub, category=noise, reported_at=before(hours=7), lat=31.2325, lon=121.4050)  # too far east
    make_case(w.sub, category=noise, reported_at=before(days=8), **here)  # before the window
    make_case(w.sub, category=noise, reported_at=at + dt.timedelta(minutes=5), **here)  # after the case
    make_case(w.other_sub, category=noise, reported_at=before(hours=1), **here)
    make_case(w.sub, category=rubbish, reported_at=before(hours=8), building=w.b11, status=Status.REGISTERED)
    make_case(w.sub, category=noise, reported_at=before(hours=9), building=w.b12)

    saved = make_case(w.sub, category=noise, reported_at=at, building=w.b11, **here)
    unsaved = Case(subdistrict=w.sub, category=noise, reported_at=at, **here)
    unplaced = Case(subdistrict=w.sub, category=noise, reported_at=at, building=w.b11)
    found = []
    for case in (saved, unsaved, unplaced):
        for limit in (50, 2):
            asked = {"case": case, "since": at - duplicates.DUPLICATE_WINDOW,
                     "statuses": [s.value for s in OPEN_STATUSES], "box": duplicates._BOX, "limit": limit}
            expected = orm_duplicate_candidates(**asked)
            got = rows.duplicate_candidates(**asked)
            assert [row[:9] for row in got] == [row[:9] for row in expected]
            assert [json.loads(row[9]) if isinstance(row[9], str) else row[9] for row in got] == \
                [row[9] for row in expected]
            found.append(len(expected))
    assert found == [5, 2, 6, 2, 2, 2]  # the unsaved case also finds the saved one at its own time
    first = rows.duplicate_candidates(case=unsaved, since=at - duplicates.DUPLICATE_WINDOW,
                                      statuses=["new"], box=duplicates._BOX, limit=50)
    assert first[0][6] == at and first[1][8] == "噪音扰民"  # aware on both databases; the operator's category


def new_case(w) -> Case:
    return Case(subdistrict=w.sub, channel=Channel.HOTLINE, external_id="", description="兰溪路200弄5号路灯不亮",
                address="兰溪路200弄5号", building=w.b11, grid=w.g11, reporter_phone="13812345678",
                suggestion={"category": "路灯损坏", "confidence": 0.9}, reported_at=timezone.now())


def read_back(pk) -> dict:
    case = Case.objects.get(pk=pk)
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}


def test_a_case_numbered_before_its_insert_and_one_numbered_after_read_back_alike(cases_world, clock, monkeypatch):
    """The first case is numbered as intake numbers it on this database (from the sequence on PostgreSQL,
    after its INSERT on SQLite), the second after its INSERT, the third saved and numbered through the ORM:
    consecutive ids, numbers of one format made from them, and the same row otherwise."""
    w = cases_world
    with CaptureQueriesContext(connection) as first_queries:
        first = rows.insert_case(case=new_case(w), number=reception._next_number)
    numbered_after = [q["sql"] for q in first_queries if q["sql"].startswith("UPDATE")]
    assert bool(numbered_after) is (connection.vendor != "postgresql")

    monkeypatch.setattr(rows, "new_case_id", lambda: None)
    second = rows.insert_case(case=new_case(w), number=reception._next_number)
    third = new_case(w)
    third.number = "pending"
    third.save()
    third.number = reception._next_number(third)
    third.save(update_fields=["number"])

    assert [second.pk, third.pk] == [first.pk + 1, first.pk + 2]
    stored = [read_back(case.pk) for case in (first, second, third)]
    day = f"{timezone.localtime(clock.now):%Y%m%d}"
    for case, row in zip((first, second, third), stored, strict=True):
        assert not case._state.adding
        assert row["number"] == case.number == f"{day}{case.pk:07d}" and re.fullmatch(r"\d{15}", row["number"])
    others = [{k: v for k, v in row.items() if k not in ("id", "number")} for row in stored]
    assert others[0] == others[1] == others[2]
    assert others[0]["reporter_phone"] == "13812345678" and others[0]["reported_at"] == clock.now
