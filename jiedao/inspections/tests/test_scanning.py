"""Scanning a label: the form of the point's round, a failed item filed as a case (channel 网格巡查, the
point's place, the photo attached) or linked to the open case of the same point and item, a form sent
twice changing nothing, a far check-in flagged."""

import pytest
from django.core.exceptions import ValidationError

from jiedao.cases import services as case_services
from jiedao.cases.models import Attachment, Case, Channel
from jiedao.inspections import services
from jiedao.inspections.models import Check, ItemResult
from jiedao.inspections.tests.conftest import all_pass, client_id, photo

pytestmark = pytest.mark.django_db


def test_a_scan_opens_the_rounds_form_with_the_kinds_checklist(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    assert form.point == w.point and form.round == w.round
    assert [i.name for i in form.items] == ["堆物", "飞线充电", "消防器材", "照明"]
    assert form.done is None


def test_a_failed_item_becomes_a_patrol_case_at_the_point_with_its_photo(insp_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    rows = all_pass(form, flying_wire=False)
    rows[1]["photo"], rows[1]["note"] = photo(), "3楼有电线从窗口拉出充电"
    out = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=rows,
                                lat=w.point.lat, lon=w.point.lon)
    assert out.created and len(out.cases_created) == 1 and out.check.failed == 1 and not out.check.far
    case = Case.objects.get(pk=out.cases_created[0])
    assert case.channel == Channel.PATROL and case.category.name == "飞线充电"
    assert case.grid_id == w.g11.pk and case.community_id == w.c1.pk
    assert "LD-0001" in case.description and "3楼有电线" in case.description
    assert Attachment.objects.filter(case=case).count() == 1
    result = ItemResult.objects.get(check_record=out.check, item__code="flying_wire")
    assert result.case == case and result.case_created and not result.passed
    assert ItemResult.objects.filter(check_record=out.check, passed=True).count() == 3


def test_a_second_failure_of_the_same_item_links_the_open_case_then_files_anew_once_closed(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    first = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(),
                                  results=all_pass(form, clutter=False))
    second = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(),
                                   results=all_pass(form, clutter=False, lighting=False))
    assert second.cases_linked == first.cases_created
    assert len(second.cases_created) == 1  # 照明 had no open case
    assert Case.objects.count() == 2
    case = Case.objects.get(pk=first.cases_created[0])
    case_services.perform(case=case, action="cancel", by=w.operator, note="已当场清理")
    third = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(),
                                  results=all_pass(form, clutter=False))
    assert third.cases_linked == [] and len(third.cases_created) == 1


def test_a_form_sent_twice_changes_nothing(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    cid = client_id()
    first = services.submit_check(by=w.grid_worker, token=w.token, client_id=cid,
                                  results=all_pass(form, clutter=False))
    again = services.submit_check(by=w.grid_worker, token=w.token, client_id=cid,
                                  results=all_pass(form, clutter=False, lighting=False))
    assert not again.created and again.check == first.check
    assert Check.objects.count() == 1 and Case.objects.count() == 1 and ItemResult.objects.count() == 4


def test_a_far_check_in_is_saved_and_flagged(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    out = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=all_pass(form),
                                lat=w.point.lat + 0.01, lon=w.point.lon)
    assert out.check.far and out.check.distance_m > 1000 and Check.objects.count() == 1


def test_a_check_on_this_period_shows_on_the_next_scan(insp_world):
    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    out = services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=all_pass(form))
    assert services.open_scan(by=w.grid_worker, token=w.token).done == out.check


def test_a_photo_that_is_not_a_picture_refuses_the_whole_form(insp_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = insp_world
    form = services.open_scan(by=w.grid_worker, token=w.token)
    rows = all_pass(form, clutter=False)
    rows[0]["photo"] = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.submit_check(by=w.grid_worker, token=w.token, client_id=client_id(), results=rows)
    assert "photos" in exc.value.message_dict
    assert Check.objects.count() == 0 and Case.objects.count() == 0
