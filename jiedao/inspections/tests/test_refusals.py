"""Bad input at the scanner: a forged or revoked label, a point outside the person's scope or on none of
their rounds, a checklist item the kind does not have, a missing item: clear errors, nothing written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import Signer

from jiedao.cases.models import Case
from jiedao.core.models import AuditAction, AuditLog
from jiedao.inspections import services
from jiedao.inspections.models import Check
from jiedao.inspections.services.labels import SALT, LabelRefused
from jiedao.inspections.tests.conftest import all_pass, client_id

pytestmark = pytest.mark.django_db


def test_a_forged_label_is_refused(insp_world):
    w = insp_world
    forged = Signer(salt=SALT, key="not-the-project-secret").sign_object([w.point.pk, 1], compress=True)
    with pytest.raises(LabelRefused) as exc:
        services.open_scan(by=w.grid_worker, token=forged)
    assert "无效的巡检标签" in exc.value.messages[0]
    with pytest.raises(LabelRefused):
        services.open_scan(by=w.grid_worker, token=w.token[:-3] + "abc")


def test_a_revoked_label_is_refused_and_the_new_one_works(insp_world):
    w = insp_world
    services.revoke_label(point=w.point, by=w.head)
    with pytest.raises(LabelRefused) as exc:
        services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=[])
    assert "已作废" in exc.value.messages[0]
    w.point.refresh_from_db()
    assert services.open_scan(by=w.grid_worker, token=services.label_token(w.point)).point == w.point
    assert Check.objects.count() == 0


def test_a_point_outside_the_persons_scope_is_refused_and_audited(insp_world):
    w = insp_world
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.testing import make_user

    other = make_user("gw2", role=Role.GRID_WORKER, subdistrict=w.sub, level=ScopeLevel.GRID, grid=w.g21)
    w.round.assignees.add(other)
    with pytest.raises(PermissionDenied) as exc:
        services.open_scan(by=other, token=w.token)
    assert "不在您的负责范围内" in str(exc.value)
    assert AuditLog.objects.filter(actor=other, action=AuditAction.DENIED).exists()


def test_a_person_with_no_round_at_the_point_is_refused(insp_world):
    w = insp_world
    with pytest.raises(PermissionDenied) as exc:
        services.open_scan(by=w.volunteer, token=w.token)  # c1's volunteer, but the round is the grid worker's
    assert "巡检计划" in str(exc.value)


def test_a_role_that_may_not_scan_is_refused(insp_world):
    w = insp_world
    with pytest.raises(PermissionDenied):
        services.open_scan(by=w.leader, token=w.token)


def test_an_item_the_kind_does_not_have_is_refused_and_nothing_is_written(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    rows = [*all_pass(form), {"item": "mixed", "passed": False}]  # 混投 is the 垃圾厢房's item
    with pytest.raises(ValidationError) as exc:
        services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=rows)
    assert "“mixed”不属于楼道的检查清单" in exc.value.message_dict["items"][0]
    assert Check.objects.count() == 0 and Case.objects.count() == 0


def test_every_item_needs_an_answer_and_a_client_id(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    with pytest.raises(ValidationError) as exc:
        services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=all_pass(form)[:2])
    assert "消防器材、照明" in exc.value.message_dict["items"][0]
    with pytest.raises(ValidationError) as exc:
        services.submit_check(by=w.grid_worker, token=w.token, client_id="x", results=all_pass(form))
    assert "client_id" in exc.value.message_dict


def test_someone_elses_form_number_is_refused(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    cid = client_id()
    services.submit_check(by=w.grid_worker, token=w.token, client_id=cid, results=all_pass(form))
    w.round.assignees.add(w.head)
    with pytest.raises(ValidationError) as exc:
        services.submit_check(by=w.head, token=w.token, client_id=cid, results=all_pass(form))
    assert "client_id" in exc.value.message_dict and Check.objects.count() == 1
