"""The demo builder: deterministic, valid, encrypted, tenanted, with a user per role."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Role
from jiedao.core.validators import validate_resident_id
from jiedao.geo.models import Area, Building, Community, Grid, Road
from jiedao.registry.models import Household, Resident


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("demo", "--scale", "0.04", stdout=out)
    return out.getvalue()


def test_demo_builds_the_three_subdistricts_with_caoyangs_places(demo):
    assert set(Subdistrict.objects.values_list("code", flat=True)) == {"310107005", "310112009", "310101015"}
    caoyang = Subdistrict.objects.get(code="310107005")
    assert caoyang.approximate_geometry
    assert set(Area.objects.filter(subdistrict=caoyang).values_list("name", flat=True)) == {
        "武宁片区", "梅岭南片区", "梅岭北片区"}
    names = set(Community.objects.filter(subdistrict=caoyang).values_list("name", flat=True))
    assert len(names) == 21 and "曹杨一村居委会" in names and "桂巷新村居委会" in names
    roads = set(Road.objects.filter(subdistrict=caoyang).values_list("name", flat=True))
    assert {"杨柳青路", "梅岭北路", "兰溪路", "梅岭南路", "梅岭支路", "梅川路", "桂巷路", "杏山路", "武宁路", "曹杨路",
            "枣阳路", "中宁路"} <= roads
    assert Grid.objects.filter(subdistrict=caoyang).count() == 84
    assert all(len(code) == 15 for code in Grid.objects.values_list("code", flat=True))


def test_every_demo_building_lies_in_the_grid_it_is_filed_under(demo):
    from jiedao.geo.placement import grid_index

    buildings = list(Building.objects.values_list("lon", "lat", "grid_id", "grid__community_id", "community_id"))
    placed = grid_index(None).place([b[0] for b in buildings], [b[1] for b in buildings])
    assert list(placed) == [b[2] for b in buildings]
    assert all(b[3] == b[4] for b in buildings)


def test_demo_residents_have_valid_synthetic_ids_matching_their_birth_date_and_sex(demo):
    residents = list(Resident.objects.all()[:500])
    assert residents and all(r.synthetic for r in residents)
    for r in residents:
        assert validate_resident_id(r.id_number) == r.id_number
        assert r.id_number[6:14] == r.birth_date.strftime("%Y%m%d")
        assert (int(r.id_number[16]) % 2 == 1) == (r.sex == "M")
    assert len({r.id_number for r in Resident.objects.all()}) == Resident.objects.count()


def test_demo_personal_data_is_encrypted_in_the_database(demo):
    sample = Resident.objects.exclude(phone_index="").first()  # an empty phone has an empty index
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM registry_resident WHERE id = %s", [sample.pk])
        raw_id, raw_phone = cur.fetchone()
    assert sample.id_number not in raw_id and sample.phone not in raw_phone
    assert raw_id.startswith("gAAAAA")


def test_demo_is_deterministic(demo):
    first = list(Resident.objects.order_by("pk").values_list("name", "birth_date", "id_number_index")[:50])
    call_command("demo", "--scale", "0.04", "--reset", stdout=io.StringIO())
    again = list(Resident.objects.order_by("pk").values_list("name", "birth_date", "id_number_index")[:50])
    assert first == again


def test_demo_creates_one_user_per_role_and_prints_the_logins(demo):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username in ("operator", "grid_worker", "social_worker", "auditor", "resident"):
        assert username in demo
    assert "caoyang-demo-2025" in demo
    assert User.objects.get(username="grid_worker").grid is not None


def test_running_demo_twice_changes_nothing_without_reset(demo):
    before = (Household.objects.count(), Resident.objects.count())
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert (Household.objects.count(), Resident.objects.count()) == before


def test_a_reset_clears_what_users_added_to_the_demo_campaign_and_the_stored_safety_months(demo):
    """A 居委 head's 更正 of a 21 天 day and the 平安指数's stored months (a closed month is counted once and
    kept) do not stop ``demo --reset``, and do not outlive it."""
    import datetime as dt

    from django.utils import timezone

    from jiedao.inspections.campaigns.corrections import correct_day
    from jiedao.inspections.models import SafetyMonth, SortingCorrection, SortingRecord
    from jiedao.inspections.safety import index

    caoyang = Subdistrict.objects.get(code="310107005")
    index.compute(subdistrict_id=caoyang.pk, month=timezone.localdate() - dt.timedelta(days=62))
    record = SortingRecord.objects.filter(enrolment__subdistrict=caoyang).order_by("-day", "pk").first()
    correct_day(by=User.objects.get(username="operator"), enrolment=record.enrolment, day=record.day,
                kind="incorrect" if record.correct else "correct", reason="演示：误点了隔壁户")
    assert SafetyMonth.objects.exists() and SortingCorrection.objects.count() == 1
    call_command("demo", "--scale", "0.04", "--reset", stdout=io.StringIO())
    assert not SafetyMonth.objects.exists() and not SortingCorrection.objects.exists()
    assert SortingRecord.objects.filter(enrolment__subdistrict=caoyang).exists()  # and the demo is back
