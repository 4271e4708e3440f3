"""Registering, updating and moving residents: validation, one head per household, history, scope, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from jiedao.core.models import AuditLog
from jiedao.registry import selectors, services
from jiedao.registry.models import Household, Residence, Resident
from jiedao.registry.tests.conftest import make_id


def test_adding_a_resident_derives_sex_and_birth_date_and_encrypts_id_and_phone(world, head):
    assert (head.sex, head.birth_date) == ("F", dt.date(1940, 1, 1))
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, phone_last4 FROM registry_resident WHERE id = %s", [head.pk])
        raw_id, raw_phone, last4 = cur.fetchone()
    assert make_id("19400101", 2) not in raw_id and "13812345678" not in raw_phone
    assert last4 == "5678"
    assert Residence.objects.get(resident=head).moved_out_on is None


def test_a_wrong_check_digit_is_refused_with_the_expected_digit_and_nothing_is_written(world, household):
    good = make_id("19500505", 3)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.add_resident(household=household, by=world.social_worker, name="李", id_number=bad)
    assert f"身份证号校验位错误：应为 {good[17]}" in exc.value.message_dict["id_number"][0]
    assert not Resident.objects.exists()


def test_the_first_resident_must_be_the_head_and_a_second_head_is_refused(world, household):
    with pytest.raises(ValidationError) as exc:
        services.add_resident(household=household, by=world.social_worker, name="子", id_number=make_id(seq=5),
                              relation=Resident.Relation.CHILD)
    assert "还没有户主" in exc.value.message_dict["relation"][0]
    services.add_resident(household=household, by=world.social_worker, name="甲", id_number=make_id(seq=7))
    with pytest.raises(ValidationError) as exc:
        services.add_resident(household=household, by=world.social_worker, name="乙", id_number=make_id(seq=9))
    assert "已有户主" in exc.value.message_dict["relation"][0]


def test_a_person_cannot_be_registered_twice_as_a_current_resident(world, household, head):
    other = services.register_household(building=world.b22, room="101", by=world.social_worker)
    with pytest.raises(ValidationError) as exc:
        services.add_resident(household=other, by=world.social_worker, name="王阿婆", id_number=head.id_number)
    assert "已登记为现住居民" in exc.value.message_dict["id_number"][0]
    assert make_id("19400101", 2) not in str(exc.value)  # the message never repeats the number


def test_an_edit_that_would_leave_the_household_without_a_head_is_refused(world, household, head):
    with pytest.raises(ValidationError) as exc:
        services.update_resident(resident=head, by=world.social_worker, relation=Resident.Relation.SPOUSE)
    assert "将没有户主" in exc.value.message_dict["relation"][0]
    head.refresh_from_db()
    assert head.relation == Resident.Relation.HEAD


def test_set_head_hands_over_and_the_former_head_takes_the_given_relation(world, household, head):
    spouse = services.add_resident(household=household, by=world.social_worker, name="王阿公",
                                   id_number=make_id("19380303", 1), relation=Resident.Relation.SPOUSE)
    services.set_head(resident=spouse, by=world.social_worker)
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert (spouse.relation, head.relation) == (Resident.Relation.HEAD, Resident.Relation.SPOUSE)


def test_the_head_cannot_move_out_leaving_others_behind_but_moving_out_keeps_history(world, household, head):
    spouse = services.add_resident(household=household, by=world.social_worker, name="王阿公",
                                   id_number=make_id("19380303", 1), relation=Resident.Relation.SPOUSE,
                                   moved_in_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.move_out(resident=head, by=world.social_worker)
    services.move_out(resident=spouse, by=world.social_worker, on=dt.date(2026, 3, 1), note="投靠子女")
    spouse.refresh_from_db()
    assert spouse.moved_out_on == dt.date(2026, 3, 1)
    stay = Residence.objects.get(resident=spouse)
    assert (stay.moved_out_on, stay.note) == (dt.date(2026, 3, 1), "投靠子女")
    assert list(Resident.objects.current().filter(household=household)) == [head]
    with pytest.raises(ValidationError):  # not before moving in
        services.move_out(resident=head, by=world.social_worker, on=dt.date(2019, 1, 1))
    # A moved-out person can be registered again elsewhere.
    other = services.register_household(building=world.b22, room="102", by=world.social_worker)
    again = services.add_resident(household=other, by=world.social_worker, name="王阿公", id_number=spouse.id_number)
    assert again.pk != spouse.pk


def test_phone_is_validated_and_normalised(world, household, head):
    services.update_resident(resident=head, by=world.social_worker, phone="+86 139-0000-1111")
    head.refresh_from_db()
    assert head.phone == "13900001111" and head.phone_last4 == "1111"
    with pytest.raises(ValidationError) as exc:
        services.update_resident(resident=head, by=world.social_worker, phone="12345")
    assert "手机号" in exc.value.message_dict["phone"][0]


def test_workers_cannot_write_outside_their_scope_and_the_attempt_is_audited(world, household):
    with pytest.raises(PermissionDenied):
        services.register_household(building=world.b21, room="302", by=world.grid_worker)
    with pytest.raises(PermissionDenied):
        services.add_resident(household=household, by=world.grid_worker, name="某", id_number=make_id(seq=11))
    assert AuditLog.objects.filter(action="denied", actor=world.grid_worker).count() == 2
    with pytest.raises(PermissionDenied):
        services.register_household(building=world.b21, room="303", by=world.leader)  # role may only read


def test_reveal_needs_a_reason_the_right_role_and_scope_and_is_audited(world, head):
    assert services.reveal(resident=head, field="id_number", by=world.social_worker, reason="核对低保材料") \
        == make_id("19400101", 2)
    entry = AuditLog.objects.get(action="reveal")
    assert (entry.actor, entry.field, entry.reason, entry.object_id) == (
        world.social_worker, "id_number", "核对低保材料", str(head.pk))
    with pytest.raises(ValidationError):
        services.reveal(resident=head, field="id_number", by=world.social_worker, reason="")
    with pytest.raises(PermissionDenied):  # operators may see phones, not ID numbers
        services.reveal(resident=head, field="id_number", by=world.operator, reason="核对")
    assert services.reveal(resident=head, field="phone", by=world.operator, reason="联系居民") == "13812345678"
    with pytest.raises(PermissionDenied):  # grid worker of another grid
        services.reveal(resident=head, field="phone", by=world.grid_worker, reason="联系居民")
    assert AuditLog.objects.filter(action="reveal").count() == 2


def test_search_by_exact_id_phone_tail_name_address_and_scope(world, head):
    def found(user, **kw):
        return list(selectors.resident_search(user=user, filters=kw))

    assert found(world.social_worker, id_number=make_id("19400101", 2).lower()) == [head]
    assert found(world.social_worker, phone_last4="5678") == [head]
    assert found(world.social_worker, name="阿婆") == [head]
    assert found(world.social_worker, address="梅岭北路41号301室") == [head]
    assert found(world.social_worker, address="梅岭北路41号302室") == []
    assert found(world.grid_worker, name="阿婆") == []
    assert found(world.other_operator, id_number=make_id("19400101", 2)) == []
    with pytest.raises(ValidationError):
        found(world.social_worker, phone_last4="56")
    with pytest.raises(PermissionDenied):
        found(world.resident, name="阿婆")


def test_registering_a_dwelling_twice_is_refused(world, household):
    with pytest.raises(ValidationError):
        services.register_household(building=world.b21, room="301室", by=world.social_worker)
    assert Household.objects.count() == 1


def test_household_codes_are_signed_revocable_and_reissued(world, household):
    code = services.issue_code(household=household, by=world.social_worker)
    assert services.resolve_code(token=code.token) == household
    assert household.code not in code.token  # opaque: nothing of the household in it
    newer = services.issue_code(household=household, by=world.social_worker)
    with pytest.raises(services.InvalidCode) as exc:
        services.resolve_code(token=code.token)
    assert exc.value.reason == "revoked"
    assert services.resolve_code(token=newer.token) == household
    with pytest.raises(services.InvalidCode) as exc:
        services.resolve_code(token=newer.token[:-2] + "xx")
    assert exc.value.reason == "forged"
    services.revoke_code(household=household, by=world.social_worker)
    with pytest.raises(services.InvalidCode):
        services.resolve_code(token=newer.token)


def test_a_refused_edit_is_audited_without_what_was_typed(world, household, head):
    with pytest.raises(ValidationError):
        services.update_resident(resident=head, by=world.social_worker, relation=Resident.Relation.SPOUSE)
    with pytest.raises(ValidationError):
        services.add_resident(household=household, by=world.social_worker, name="李", id_number="310107195005050000")
    entries = list(AuditLog.objects.filter(action="error").order_by("pk"))
    assert [(e.detail["service"], e.detail["fields"]) for e in entries] == [
        ("update_resident", ["relation"]), ("add_resident", ["id_number"])]
    assert entries[0].object_id == str(head.pk) and entries[0].actor == world.social_worker
    assert "310107195005050000" not in str(entries[1].detail)


def test_changing_a_colour_rule_in_the_admin_queues_a_recolouring(world, head, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from jiedao.registry.models import ColourRule

    with django_capture_on_commit_callbacks(execute=True):
        rule = ColourRule.objects.get(name="独居老人")
        rule.colour = "red"
        rule.save()
    assert DBTaskResult.objects.filter(task_path__endswith="recompute_colours").exists()
