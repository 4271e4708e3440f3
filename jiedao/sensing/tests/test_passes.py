"""电子出入证: a current resident's pass verifies offline with the public key alone; revoked, expired,
tampered or other-estate passes are refused; visitor day passes; gates pull the revocation list; gate
events come through the same ingest."""

import datetime as dt
import json
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiedao.registry import services as registry
from jiedao.sensing.models import AccessPass, Event
from jiedao.sensing.services import ingest, passes, signing
from jiedao.sensing.tests.conftest import event, make_device
from jiedao.testing import make_id_number


@pytest.fixture
def home(sensing_world):
    w = sensing_world
    household = registry.register_household(building=w.b21, room="302", by=w.social_worker)
    resident = registry.add_resident(household=household, by=w.social_worker, name="陈阿姨",
                                     id_number=make_id_number(dt.date(1950, 3, 1)))
    return household, resident


def test_a_resident_pass_is_granted_at_its_estates_gate_with_the_public_key_alone(sensing_world, home):
    household, resident = home
    access_pass, key = passes.issue_resident_pass(household=household, resident=resident,
                                                  by=sensing_world.social_worker)
    token = passes.token(access_pass)
    assert "陈" not in token and household.code not in token  # nothing personal in the QR code
    public = passes.public_key()
    estate = household.building.estate.code
    assert passes.verify(token, key=public, estate_code=estate).granted
    assert passes.verify(token, key=public, estate_code="other").reason == "other_estate"
    assert passes.verify(token, key=public, estate_code=estate, revoked={access_pass.pass_id}).reason == "revoked"
    later = timezone.now() + dt.timedelta(days=400)
    assert passes.verify(token, key=public, estate_code=estate, now=later).reason == "expired"
    head, body, sig = token.split(".")
    forged = json.loads(passes._unb64(body)) | {"exp": 4102444800}
    tampered = f"{head}.{passes._b64(json.dumps(forged).encode())}.{sig}"
    assert passes.verify(tampered, key=public, estate_code=estate).reason == "bad_signature"
    assert passes.holder_pass(key) == access_pass and passes.holder_pass("guess") is None


def test_only_current_residents_in_the_workers_scope_get_passes(sensing_world, home):
    household, resident = home
    with pytest.raises(PermissionDenied):  # grid worker of another grid
        passes.issue_resident_pass(household=household, resident=resident, by=sensing_world.grid_worker)
    with pytest.raises(PermissionDenied):  # the operator does not edit the registry
        passes.issue_resident_pass(household=household, resident=resident, by=sensing_world.operator)
    registry.move_out(resident=resident, by=sensing_world.social_worker, on=timezone.localdate())
    resident.refresh_from_db()
    with pytest.raises(ValidationError):
        passes.issue_resident_pass(household=household, resident=resident, by=sensing_world.social_worker)


def test_a_new_pass_revokes_the_old_and_revoking_ends_its_visitor_passes(sensing_world, home):
    household, resident = home
    first, key = passes.issue_resident_pass(household=household, resident=resident, by=sensing_world.social_worker)
    visitor = passes.issue_visitor_pass(key=key, day=timezone.localdate(), label="女儿来看我")
    assert visitor.kind == "visitor" and visitor.valid_until <= first.valid_until
    assert passes.verify(passes.token(visitor), key=passes.public_key(),
                         estate_code=household.building.estate.code).granted
    second, _key = passes.issue_resident_pass(household=household, resident=resident, by=sensing_world.social_worker)
    revoked = {p for p, _at in passes.revocation_list(subdistrict_id=sensing_world.sub.pk)}
    assert revoked == {first.pass_id, visitor.pass_id} and second.pass_id not in revoked
    with pytest.raises(PermissionDenied):  # the old key no longer issues
        passes.issue_visitor_pass(key=key, day=timezone.localdate())


def test_visitor_passes_are_for_the_coming_week_and_limited_per_day(sensing_world, home):
    household, resident = home
    _pass, key = passes.issue_resident_pass(household=household, resident=resident, by=sensing_world.social_worker)
    with pytest.raises(ValidationError):
        passes.issue_visitor_pass(key=key, day=timezone.localdate() + dt.timedelta(days=30))
    day = timezone.localdate() + dt.timedelta(days=2)
    for _ in range(passes.VISITOR_PASSES_PER_DAY):
        v = passes.issue_visitor_pass(key=key, day=day)
    assert timezone.localtime(v.valid_from).date() == day and v.valid_until - v.valid_from == dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        passes.issue_visitor_pass(key=key, day=day)


def test_moving_out_revokes_the_pass(sensing_world, home):
    household, resident = home
    access_pass, _key = passes.issue_resident_pass(household=household, resident=resident,
                                                   by=sensing_world.social_worker)
    registry.move_out(resident=resident, by=sensing_world.social_worker, on=timezone.localdate())
    assert passes.revoke_for_moved_out() == 1
    assert AccessPass.objects.get(pk=access_pass.pk).revoked_at is not None


def test_a_gate_pulls_the_revocation_list_signed_with_its_own_key(client, sensing_world, home):
    household, resident = home
    gate = make_device(sensing_world, "GATE-1", "door_held_open", "pass_granted", "pass_refused",
                       building=sensing_world.b21)
    access_pass, _key = passes.issue_resident_pass(household=household, resident=resident,
                                                   by=sensing_world.social_worker)
    passes.revoke_pass(access_pass=access_pass, by=sensing_world.social_worker, reason="丢失")
    path = "/api/v1/sensing/passes/revoked?device=GATE-1"
    headers = signing.signed_headers(path.encode(), secret=gate.secret)
    data = client.get(path, headers=headers).json()
    assert [r["id"] for r in data["revoked"]] == [access_pass.pass_id]
    assert client.get(path, headers=signing.signed_headers(path.encode(), secret="x")).status_code == 401
    old = signing.signed_headers(path.encode(), secret=gate.secret, now=time.time() - 3600)
    assert client.get(path, headers=old).status_code == 401
    camera_path = "/api/v1/sensing/passes/revoked?device=CAM-1"
    make_device(sensing_world, "CAM-1", "falling_object")
    assert client.get(camera_path).status_code == 404  # not a gate
    key = client.get("/api/v1/sensing/passes/public-key").json()
    assert key["algorithm"] == "Ed25519" and key["key"] == passes.public_key()


def test_gate_events_come_through_ingest_and_note_the_pass_used(sensing_world, home):
    household, resident = home
    gate = make_device(sensing_world, "GATE-1", "door_held_open", "pass_granted", "pass_refused",
                       building=sensing_world.b21)
    access_pass, _key = passes.issue_resident_pass(household=household, resident=resident,
                                                   by=sensing_world.social_worker)
    at = timezone.now()
    out = ingest([event(gate, "g1", "pass_granted", at=at, evidence={"pass": access_pass.pass_id}),
                  event(gate, "g2", "pass_refused", at=at, evidence={"pass": "deadbeef", "reason": "revoked"})])
    assert [o.status for o in out] == ["stored", "stored"] and not any(o.alarm_id for o in out)
    assert AccessPass.objects.get(pk=access_pass.pk).last_used_at == at
    assert Event.objects.get(event_id="g2").evidence["reason"] == "revoked"
