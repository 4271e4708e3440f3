"""The system administrator configures the platform and its users; the superuser flag opens the Django
admin and nothing else. Personal data and places follow the role table and the scope, the superuser's too."""

import datetime as dt

import pytest

from jiedao.core.models import AuditLog, Subdistrict
from jiedao.core.roles import Perm, Role, ScopeLevel, has_perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Building
from jiedao.registry import services
from jiedao.testing import make_id_number, make_user


@pytest.fixture
def superuser(world):
    user = make_user("sysadmin", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def resident_here(world):
    household = services.register_household(building=world.b21, room="301", by=world.social_worker)
    return services.add_resident(household=household, by=world.social_worker, name="王阿婆",
                                 id_number=make_id_number(dt.date(1940, 1, 1)),
                                 phone="13812345678")


def test_superuser_reads_within_their_own_subdistrict_only(world, superuser):
    assert set(Subdistrict.objects.within(scope_of(superuser)).values_list("pk", flat=True)) == {world.sub.pk}
    assert not Building.objects.within(scope_of(superuser)).filter(subdistrict=world.other_sub).exists()


def test_superuser_holds_the_permissions_of_their_role_only(superuser):
    assert has_perm(superuser, Perm.MANAGE_USERS)
    assert not has_perm(superuser, Perm.REVEAL_ID_NUMBER)
    assert not has_perm(superuser, Perm.REVEAL_PHONE)


def test_superuser_cannot_reveal_an_id_number_and_the_attempt_is_audited(world, login, superuser, resident_here):
    response = login(superuser).post(f"/api/v1/registry/residents/{resident_here.pk}/reveal",
                                     {"field": "id_number", "reason": "核对"}, content_type="application/json")
    assert response.status_code == 403
    assert resident_here.id_number not in response.content.decode()
    assert not AuditLog.objects.filter(action="reveal").exists()
    assert AuditLog.objects.filter(action="denied", actor=superuser, detail__perm=Perm.REVEAL_ID_NUMBER).exists()


def test_superuser_of_another_subdistrict_cannot_open_a_household_here(world, login, resident_here):
    stranger = make_user("other_admin", role=Role.ADMIN, subdistrict=world.other_sub, level=ScopeLevel.SUBDISTRICT)
    stranger.is_staff = stranger.is_superuser = True
    stranger.save()
    response = login(stranger).get(f"/api/v1/registry/households/{resident_here.household_id}")
    assert response.status_code == 404
    assert AuditLog.objects.filter(action="denied", actor=stranger, object_type="registry.household").exists()


def test_superuser_still_administers_users_in_the_django_admin(login, superuser):
    response = login(superuser).get("/admin/core/user/")
    assert response.status_code == 200 and "sysadmin" in response.content.decode()


def test_a_role_or_scope_change_in_the_admin_is_audited(world, login, superuser):
    worker = world.grid_worker
    response = login(superuser).post(f"/admin/core/user/{worker.pk}/change/", {
        "username": worker.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00", "role": Role.SOCIAL_WORKER,
        "subdistrict": world.sub.pk, "scope_level": ScopeLevel.COMMUNITY, "community": world.c1.pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditLog.objects.get(action="update", object_type="core.user", object_id=str(worker.pk))
    assert entry.actor == superuser
    assert entry.detail["changed"]["role"] == Role.SOCIAL_WORKER and "community" in entry.detail["changed"]


def test_the_admins_audit_log_lists_the_administrators_own_subdistrict_only(world, login, superuser):
    from jiedao.core import audit

    audit.record(actor=world.operator, action="view", obj=world.b11, reason="here")
    audit.record(actor=world.other_operator, action="view", obj=world.other_sub, reason="elsewhere")
    html = login(superuser).get("/admin/core/auditlog/").content.decode()
    assert "operator" in html and "other_operator" not in html
