"""Intake (信息收集): placement, classification, duplicates, urgency, idempotence and bad input."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from jiedao.cases import rows, services
from jiedao.cases.models import Attachment, Case, Channel, Status
from jiedao.cases.services import duplicates
from jiedao.core.models import AuditAction, AuditLog


def png(size=(40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def hotline(w, text, **kw):
    return services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, by=w.operator, **kw)


def test_an_address_places_the_case_in_building_grid_community_and_area(cases_world):
    w = cases_world
    case = hotline(w, "楼道灯坏了", address="普陀区曹杨新村街道兰溪路200弄5号301室").case
    assert (case.building, case.grid, case.community, case.area) == (w.b11, w.g11, w.c1, w.area1)
    assert not case.needs_placement and case.status == Status.NEW
    assert case.number.isdigit() and len(case.number) == 15
    assert case.events.get().kind == "created"


def test_coordinates_place_the_case_and_win_over_the_address(cases_world):
    w = cases_world
    case = hotline(w, "路面塌陷一个坑", lat=31.2325, lon=121.4175, address="兰溪路200弄5号").case
    assert case.grid == w.g22 and case.area == w.area2


def test_an_unparseable_address_is_kept_and_flagged_for_manual_placement(cases_world):
    w = cases_world
    case = hotline(w, "我家附近有人乱倒垃圾", address="就在那个老地方").case
    assert case.pk and case.needs_placement and case.grid is None and case.address == "就在那个老地方"
    case = services.perform(case=case, action="place", by=w.operator, grid=w.g21.code)
    assert (case.grid, case.community, case.area, case.needs_placement) == (w.g21, w.c2, w.area2, False)


def test_the_classifier_suggests_a_category_with_alternatives(cases_world):
    case = hotline(cases_world, "楼上邻居家的狗整夜叫个不停，吵得我们睡不着觉", address="梅岭北路41号").case
    assert case.suggested_category.name == "犬只扰民" and case.category is None
    assert case.suggestion["code"] == case.suggested_category.code
    assert len(case.suggestion["alternatives"]) == 2


def test_html_in_the_text_is_stripped_and_oversized_text_refused(cases_world):
    w = cases_world
    case = hotline(w, "<script>alert(1)</script>小区门口<b>垃圾</b>堆了\x07好几天", address="兰溪路200弄5号").case
    assert "<" not in case.description and "\x07" not in case.description and "垃圾堆了好几天" in case.description
    assert "alert" not in case.description
    with pytest.raises(ValidationError) as exc:
        hotline(w, "很" * 2001)
    assert "description" in exc.value.message_dict
    with pytest.raises(ValidationError):
        hotline(w, "<p> </p>")
    assert Case.objects.count() == 1


def test_unknown_category_and_bad_phone_are_clear_errors(cases_world):
    w = cases_world
    with pytest.raises(ValidationError) as exc:
        hotline(w, "有问题", category="不存在的分类", reporter_phone="12345")
    assert set(exc.value.message_dict) == {"category", "reporter_phone"}
    assert "不存在的分类" in exc.value.message_dict["category"][0]
    assert not Case.objects.exists()


def test_the_same_order_number_twice_is_one_case(cases_world):
    w = cases_world
    first = hotline(w, "噪音", external_id="2611230001", address="兰溪路200弄5号")
    again = hotline(w, "噪音（重复推送）", external_id="2611230001", address="兰溪路200弄5号")
    assert first.created and not again.created and again.case.pk == first.case.pk
    assert Case.objects.count() == 1


def test_urgent_words_mark_the_case_urgent_and_route_it_to_the_urgent_process(cases_world, clock):
    w = cases_world
    case = hotline(w, "楼道里有很浓的煤气味，怀疑漏气了", address="兰溪路200弄5号", category="房屋维修").case
    assert case.urgent
    case = services.perform(case=case, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    assert case.process.code == "URGENT" and (case.handle_due - clock.now).total_seconds() == 2 * 3600


def test_a_likely_duplicate_is_flagged_not_merged(cases_world):
    w = cases_world
    first = hotline(w, "兰溪路200弄5号门口垃圾堆了三天没人清运，很臭", address="兰溪路200弄5号",
                    category="垃圾堆放").case
    second = hotline(w, "兰溪路200弄5号门口的垃圾堆了好几天没人清运，臭死了", address="兰溪路200弄5号",
                     category="垃圾堆放").case
    other = hotline(w, "梅岭北路41号门口垃圾堆了三天没人清运", address="梅岭北路41号", category="垃圾堆放").case
    assert second.possible_duplicate_of == first and second.status == Status.NEW
    assert other.possible_duplicate_of is None  # another place


def test_patrol_report_with_gps_and_photo(cases_world):
    w = cases_world
    photo = SimpleUploadedFile("p.png", png(), content_type="image/png")
    case = services.report(by=w.grid_worker, description="人行道上共享单车乱停一大片", lat=31.2310, lon=121.4010,
                           photos=[photo])
    assert case.channel == Channel.PATROL and case.grid == w.g11
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/png" and (attachment.width, attachment.height) == (40, 30)
    assert attachment.file.read() == png()


@override_settings(CASES_MAX_PHOTO_BYTES=1000)
def test_oversized_or_non_image_uploads_are_refused_and_nothing_is_written(cases_world):
    w = cases_world
    big = SimpleUploadedFile("big.png", png((400, 400)), content_type="image/png")
    with pytest.raises(ValidationError, match="太大"):
        services.report(by=w.grid_worker, description="井盖缺失", lat=31.231, lon=121.401, photos=[big])
    fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="JPEG"):
        services.report(by=w.grid_worker, description="井盖缺失", lat=31.231, lon=121.401, photos=[fake])
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_bad_coordinates_are_refused(cases_world):
    with pytest.raises(ValidationError):
        hotline(cases_world, "路灯不亮", lat=95, lon=121.4)
    with pytest.raises(ValidationError):
        hotline(cases_world, "路灯不亮", lat=31.2)


def test_a_resident_without_permission_cannot_use_the_patrol_channel(cases_world):
    with pytest.raises(PermissionDenied):
        services.report(by=cases_world.resident, description="路灯不亮", lat=31.231, lon=121.401)


def test_reporter_phone_is_encrypted_and_every_reveal_audited(cases_world, clock):
    w = cases_world
    case = hotline(w, "噪音", address="兰溪路200弄5号", category="噪音扰民", reporter_phone="13812345678").case
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        assert "13812345678" not in cur.fetchone()[0]
    case = services.perform(case=case, action="register", by=w.operator)
    case = services.perform(case=case, action="dispatch", by=w.operator)
    assert services.reveal_reporter_phone(case=case, by=w.chengguan) == "13812345678"
    with pytest.raises(PermissionDenied):
        services.reveal_reporter_phone(case=case, by=w.police)  # not their case
    actions = list(AuditLog.objects.filter(object_id=str(case.pk), field="reporter_phone")
                   .values_list("actor_username", "action"))
    assert ("chengguan", AuditAction.REVEAL) in actions


def test_sensor_alarms_are_idempotent_by_alarm_id(cases_world):
    w = cases_world
    first = services.sensor_alarm(subdistrict=w.sub, device="SMOKE-0012", alarm_type="烟感报警", alarm_id="A-1",
                                  by=w.operator, lat=31.2310, lon=121.4010)
    again = services.sensor_alarm(subdistrict=w.sub, device="SMOKE-0012", alarm_type="烟感报警", alarm_id="A-1",
                                  by=w.operator, lat=31.2310, lon=121.4010)
    assert first.created and not again.created and first.case.channel == Channel.SENSOR
    assert first.case.events.get().data["device"] == "SMOKE-0012"


def test_what_intake_writes_reads_back_through_the_orm(cases_world):
    """Intake writes the case, its first event and its audit record with precompiled INSERTs (core.rows):
    what comes back through the ORM must be what save() would have written."""
    from django.utils import timezone

    from jiedao.core.crypto import lookup_value

    w = cases_world
    made = hotline(w, "楼上半夜装修，电钻声吵得睡不着", address="兰溪路200弄5号", reporter_name="王先生",
                   reporter_phone="13812345678", external_id="2611230099").case
    case = Case.objects.get(pk=made.pk)
    assert case.number == made.number == f"{timezone.localtime(case.reported_at):%Y%m%d}{case.pk:07d}"
    assert (case.reporter_name, case.reporter_phone, case.reporter_phone_last4) == ("王先生", "13812345678", "5678")
    assert Case.objects.filter(**lookup_value(Case, "reporter_phone", "13812345678")).get() == case
    assert case.suggestion == made.suggestion and case.suggestion["code"] == case.suggested_category.code
    assert case.effective_category_id == case.suggested_category_id  # no operator category yet
    assert case.updated_at is not None and case.status == Status.NEW and case.version == 0
    event = case.events.get()
    assert (event.kind, event.to_status, event.actor, event.at) == ("created", Status.NEW, w.operator,
                                                                     case.reported_at)
    record = AuditLog.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert (record.action, record.actor, record.detail) == (AuditAction.CREATE, w.operator, {"channel": "hotline"})


def test_the_effective_category_is_the_operators_else_the_suggestion(cases_world, clock):
    from jiedao.cases import selectors
    from jiedao.cases.models import Category

    w = cases_world
    case = hotline(w, "楼上半夜装修，电钻声吵得睡不着", address="兰溪路200弄5号").case
    noise = Category.objects.get(name="噪音扰民")
    assert case.suggested_category == noise

    def found(code):
        return list(selectors.queue(user=w.operator, filters=selectors.QueueFilters(status="all", category=code)))

    assert found(noise.code) == [case]
    case = services.perform(case=case, action="register", by=w.operator, category="物业纠纷")  # the operator decides
    case.refresh_from_db()
    assert case.effective_category_id == Category.objects.get(name="物业纠纷").pk
    assert found(noise.code) == [] and found(case.category.code) == [case]


def test_a_12345_order_costs_eight_queries_once_the_caches_are_warm(cases_world, django_assert_num_queries):
    """Intake runs once per 12345 order: the 工单编号 check and the duplicate search, then a savepoint, the
    case (an INSERT and the UPDATE that numbers it on SQLite; nextval and one INSERT on PostgreSQL), its first
    event, its audit record and the release. Grids, buildings, categories and addresses come from caches."""
    w = cases_world
    hotline(w, "楼道灯坏了", address="兰溪路200弄5号301室", external_id="2611230001")  # fills the caches
    with django_assert_num_queries(8):
        result = hotline(w, "路灯不亮了，晚上很黑", address="兰溪路200弄6号", external_id="2611230002")
    assert result.created and result.case.building == w.b12


def test_the_order_number_check_and_the_duplicate_search_use_their_indexes(cases_world):
    """Intake asks both for every order: at a million cases a table scan would cost seconds."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan is stable on a small table; PostgreSQL's depends on table statistics")
    w = cases_world
    case = hotline(w, "兰溪路200弄5号门口垃圾堆了三天", address="兰溪路200弄5号", category="垃圾堆放").case
    seen = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        rows.external_id_taken(subdistrict_id=w.sub.pk, channel=Channel.HOTLINE, external_id="2611230001")
        rows.duplicate_candidates(case=case, since=case.reported_at - duplicates.DUPLICATE_WINDOW,
                                  statuses=["new", "registered"], box=duplicates._BOX, limit=50)
    plans = []
    with connection.cursor() as cursor:
        for sql, params in seen:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    assert "case_external_id_unique" in plans[0], plans[0]
    assert "case_reported" in plans[1], plans[1]
