"""The one scope mechanism: every persona sees exactly its area, and nothing across subdistricts."""

import pytest
from django.http import Http404

from jiedao.core.access import get_in_scope
from jiedao.core.models import AuditLog, Department, Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import NO_SCOPE, scope_of
from jiedao.geo.models import Building, Community, Grid
from jiedao.testing import make_user


def visible(model, user):
    return set(model.objects.within(scope_of(user)).values_list("pk", flat=True))


def test_subdistrict_operator_sees_every_building_of_their_subdistrict_only(world):
    assert visible(Building, world.operator) == {world.b11.pk, world.b12.pk, world.b21.pk, world.b22.pk}
    assert visible(Building, world.other_operator) == set()


def test_grid_worker_sees_the_buildings_of_their_grid_only(world):
    assert visible(Building, world.grid_worker) == {world.b11.pk}


def test_social_worker_sees_the_buildings_of_their_community_only(world):
    assert visible(Building, world.social_worker) == {world.b21.pk, world.b22.pk}


def test_area_leader_sees_the_buildings_of_their_area_only(world):
    assert visible(Building, world.area_leader) == {world.b21.pk, world.b22.pk}


def test_department_handler_sees_no_buildings_but_the_shared_reference_data(world):
    assert visible(Building, world.handler) == set()
    assert visible(Grid, world.handler) == {world.g11.pk, world.g12.pk, world.g21.pk, world.g22.pk}
    assert visible(Department, world.handler) == {world.department.pk}


def test_grid_worker_sees_their_community_outline_as_shared_reference_but_only_within_tenant(world):
    assert visible(Community, world.grid_worker) == {world.c1.pk, world.c2.pk}
    assert visible(Community, world.other_operator) == set()
    assert visible(Subdistrict, world.other_operator) == {world.other_sub.pk}


def test_resident_and_anonymous_users_have_no_scope(world):
    from django.contrib.auth.models import AnonymousUser

    assert scope_of(world.resident) == NO_SCOPE
    assert scope_of(AnonymousUser()) == NO_SCOPE
    assert visible(Grid, world.resident) == set()


def test_half_configured_user_sees_nothing_rather_than_everything(world):
    user = make_user("no_grid", role="grid_worker", subdistrict=world.sub, level=ScopeLevel.GRID, grid=None)
    assert scope_of(user) == NO_SCOPE
    assert visible(Building, user) == set()


def test_inactive_user_sees_nothing(world):
    world.operator.is_active = False
    world.operator.save()
    assert visible(Building, world.operator) == set()


def test_superuser_flag_does_not_widen_the_scope(world):
    world.operator.is_superuser = True
    world.operator.save()
    assert visible(Subdistrict, world.operator) == {world.sub.pk}


def test_a_user_scoped_to_all_subdistricts_sees_every_subdistrict(world):
    world.operator.scope_level = ScopeLevel.ALL
    world.operator.save()
    assert visible(Subdistrict, world.operator) == {world.sub.pk, world.other_sub.pk}


def test_audit_log_is_not_visible_below_subdistrict_level(world):
    from jiedao.core import audit

    audit.record(actor=world.operator, action="view", obj=world.b11)
    assert visible(AuditLog, world.auditor)
    assert visible(AuditLog, world.grid_worker) == set()


def test_get_in_scope_answers_a_row_outside_scope_as_missing_and_audits_it(world):
    with pytest.raises(Http404):
        get_in_scope(Building.objects.all(), user=world.grid_worker, pk=world.b21.pk)
    denied = AuditLog.objects.get(action="denied")
    assert denied.actor == world.grid_worker
    assert denied.object_type == "geo.building" and denied.object_id == str(world.b21.pk)


def test_get_in_scope_answers_404_for_a_row_that_does_not_exist(world):
    with pytest.raises(Http404):
        get_in_scope(Building.objects.all(), user=world.operator, pk=999999)


def test_get_in_scope_returns_a_row_inside_scope(world):
    assert get_in_scope(Building.objects.all(), user=world.grid_worker, pk=world.b11.pk) == world.b11
