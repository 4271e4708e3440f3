"""core.rows: each way around the ORM writes or reads exactly what the ORM would, on SQLite and PostgreSQL
alike (run this file with DATABASE_URL=postgres://… for the second)."""

import copy
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from jiedao.core import rows
from jiedao.core.crypto import decrypt, lookup_value
from jiedao.core.models import ApiToken, AuditAction, AuditLog, User
from jiedao.core.services import issue_token
from jiedao.registry.models import Household, Resident
from jiedao.testing import make_id_number

NOW = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    """A fixed ``timezone.now`` for ``auto_now_add``, so that both writes stamp the same time."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def read_back(model, pk) -> dict:
    """Every column of the row as the ORM reads it, the primary key aside."""
    obj = model.objects.get(pk=pk)
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}


def written_both_ways(obj, *, remove=None, force_insert=False) -> tuple[dict, dict]:
    """What ``rows.insert`` stores for ``obj`` and what ``save()`` stores for a copy of it, both read back.
    The copy is taken before either write, so both carry the same defaults; ``remove`` deletes the first
    row before the second is written, for models with unique columns."""
    twin = copy.copy(obj)
    assert rows.insert(obj) is obj
    assert obj.pk is not None and not obj._state.adding and obj._state.db == "default"
    first = read_back(type(obj), obj.pk)
    if remove is not None:
        remove(obj)
    twin.save(force_insert=force_insert)
    assert not twin._state.adding and twin._state.db == "default"
    return first, read_back(type(twin), twin.pk)


def stored_text(model, field: str, pk) -> str:
    """The column as the database holds it, past the field's decryption."""
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_an_audit_record_written_by_insert_reads_back_as_one_saved_by_the_orm(world):
    record = AuditLog(
        subdistrict=world.sub, actor=world.operator, actor_username="operator", action=AuditAction.REVEAL,
        object_type="registry.resident", object_id="12", object_repr="居民 #12", field="id_number",
        reason="入户走访核对", ip="2001:db8::1", user_agent="Mozilla/5.0", path="/registry/residents/12/reveal/",
        detail={"过滤": ["兰溪路", 3], "nested": {"ok": True, "n": None}},
    )
    first, second = written_both_ways(record)
    assert first == second
    assert first["created_at"] == record.created_at and first["detail"]["过滤"] == ["兰溪路", 3]


def test_an_audit_record_with_its_id_given_is_written_with_that_id(world):
    """Intake on PostgreSQL draws the case id from the sequence first, then inserts with it."""
    start = (AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    record = AuditLog(pk=start, subdistrict=world.sub, action=AuditAction.CREATE, detail={})
    twin = copy.copy(record)
    twin.pk = start + 1
    rows.insert(record)
    twin.save(force_insert=True)
    assert record.pk == start and not record._state.adding
    assert read_back(AuditLog, start) == read_back(AuditLog, twin.pk)


def test_a_resident_written_by_insert_has_the_ciphertext_and_indexes_save_writes(world, clock):
    household = Household.objects.create(subdistrict=world.sub, building=world.b21, room="301", code="H-ROWS-1")
    id_number = make_id_number(dt.date(1940, 1, 1))
    resident = Resident(subdistrict=world.sub, household=household, name="王阿婆", id_number=id_number,
                        phone="13812345678", sex=Resident.Sex.FEMALE, birth_date=dt.date(1940, 1, 1))
    ciphertext = {}

    def remove(obj):
        ciphertext["id_number"] = stored_text(Resident, "id_number", obj.pk)
        obj.delete()

    first, second = written_both_ways(resident, remove=remove)
    assert first == second
    assert (first["id_number"], first["phone_last4"], first["relation"]) == (id_number, "5678", "head")
    assert first["id_number_index"] and first["phone_index"]
    assert id_number not in ciphertext["id_number"] and decrypt(ciphertext["id_number"]) == id_number
    assert Resident.objects.filter(**lookup_value(Resident, "id_number", id_number)).count() == 1


def test_a_household_written_by_insert_gets_its_auto_now_add_time(world, clock):
    household = Household(subdistrict=world.sub, building=world.b21, room="302", code="H-ROWS-2")
    first, second = written_both_ways(household, remove=lambda obj: obj.delete())
    assert first == second and first["created_at"] == clock


def test_a_tokens_user_is_the_user_the_orm_reads(world):
    token, api_token = issue_token(user=world.operator)
    before = timezone.now() + dt.timedelta(seconds=1)
    user = rows.token_user(ApiToken.digest_of(token), stale_before=before)
    assert isinstance(user, User) and user.pk == world.operator.pk
    assert read_back(User, user.pk) == {f.attname: getattr(user, f.attname)
                                        for f in User._meta.concrete_fields if not f.primary_key}
    assert (user.token_id, bool(user.token_stale)) == (api_token.pk, True)  # never used

    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=before)
    assert not rows.token_user(ApiToken.digest_of(token), stale_before=before).token_stale
    ApiToken.objects.filter(pk=api_token.pk).update(revoked_at=before)
    assert rows.token_user(ApiToken.digest_of(token), stale_before=before) is None
    assert rows.token_user(ApiToken.digest_of("jd_unknown"), stale_before=before) is None
