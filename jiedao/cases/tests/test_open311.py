"""Open311 GeoReport v2: a real client (georeport) against the live server, every JSON answer against the
spec's schemas (transcribed into jiedao/cases/open311/schemas/), XML documents, errors and their codes,
what the public may and may not see, filters, jurisdictions and the key command."""

import datetime as dt
import importlib
import json
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from georeport import GeoReport
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from jiedao.cases import services
from jiedao.cases.models import Case, Category, Channel, EventKind, Open311Key, Open311Token
from jiedao.cases.open311 import selectors as open311_selectors
from jiedao.core.models import AuditAction, AuditLog

BASE = "/open311/v2"
SCHEMAS = Path(__file__).resolve().parents[1] / "open311" / "schemas"
LAT, LON = "31.232", "121.402"  # inside the World's grid g11


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        Draft202012Validator.check_schema(contents)
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(schema_name: str, instance) -> None:
    """Check an answer against the schema transcribed from the spec (raises with the failing path)."""
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text())
    Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker()).validate(instance)


@pytest.fixture
def o311(cases_world, settings):
    """The cases World with the default taxonomy present (transactional tests flush the migration's rows),
    the first subdistrict as the default jurisdiction, and an Open311 key for it."""
    settings.DEFAULT_SUBDISTRICT = cases_world.sub.code
    importlib.import_module("jiedao.cases.migrations.0002_default_taxonomy").load(django_apps, None)
    out = StringIO()
    call_command("open311_key", "随申办测试", "--subdistrict", cases_world.sub.code, stdout=out, stderr=StringIO())
    cases_world.api_key = out.getvalue().strip().splitlines()[-1]
    return cases_world


def post_request(client, fmt="json", *, headers=None, **fields):
    body = {"service_code": "S0504", "lat": LAT, "long": LON, "description": "楼下广场舞音响太吵，晚上十点还没停",
            **fields}
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in body.items() if v is not None},
                       headers=headers or {})


def xml_of(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # raises on a document that is not well-formed


def make_case(world, *, description="兰溪路200弄5号楼下饭店油烟很大", days_ago=0, sub=None, **kwargs) -> Case:
    reported = timezone.now() - dt.timedelta(days=days_ago)
    return services.intake(subdistrict=sub or world.sub, channel=Channel.HOTLINE, description=description,
                           by=world.operator, reported_at=reported, **kwargs).case


# --------------------------------------------------------------------------------- the georeport client


# serialized_rollback: the next transactional tests find the migrations' rows (taxonomy, content types).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_georeport_client_reads_services_and_a_posted_request_in_both_formats(o311, live_server):
    root = f"{live_server.url}{BASE}"
    posted = requests.post(f"{root}/requests.json", data={
        "api_key": o311.api_key, "service_code": "S0504", "lat": LAT, "long": LON,
        "description": "楼下广场舞音响太吵", "first_name": "芳", "last_name": "王", "phone": "13912345678",
    }, timeout=10)
    assert posted.status_code == 201, posted.text
    created = posted.json()[0]
    number = created["service_request_id"]

    for fmt in ("json", "xml"):
        client = GeoReport(root, jurisdiction=o311.sub.code, output_format=fmt)
        services_list = client.get_service_list()
        noise = next(s for s in services_list if s["service_code"] == "S0504")
        assert noise["service_name"] == "噪音扰民" and noise["type"] == "realtime"
        definition = client.get_service_definition("S0504")
        assert definition["service_code"] == "S0504"
        one = client.get_service_request(number)
        assert one["service_request_id"] == number and one["status"] == "open"
        assert one["service_code"] == "S0504" and one["status_notes"] == "已收到，等待受理"
        listed = client.get_service_requests(service_request_id=number)
        listed = listed if isinstance(listed, list) else [listed]  # xmltodict gives one <request> as a dict
        assert [r["service_request_id"] for r in listed] == [number]
        recent = client.get_service_requests(status="open", service_code="S0504")
        recent = recent if isinstance(recent, list) else [recent]
        assert number in [r["service_request_id"] for r in recent]
        assert "王芳" not in json.dumps(recent, ensure_ascii=False) and "13912345678" not in str(recent)

    token = requests.get(f"{root}/tokens/{created['token']}.json", timeout=10).json()
    assert token == [{"service_request_id": number, "token": created["token"]}]
    case = Case.objects.get(number=number)
    assert case.channel == Channel.RESIDENT and case.category.code == "S0504" and case.grid == o311.g11
    assert case.reporter_name == "王芳" and case.reporter_phone == "13912345678"


# --------------------------------------------------------------------------------- schemas and XML


def test_every_json_answer_matches_the_spec_schema(o311, client):
    created = post_request(client, api_key=o311.api_key, media_url="https://photos.example.org/a/1.jpg")
    assert created.status_code == 201
    validate("request_created", created.json())
    number, token = created.json()[0]["service_request_id"], created.json()[0]["token"]
    make_case(o311, address="兰溪路200弄5号")

    validate("discovery", client.get(f"{BASE}/discovery.json").json())
    services_list = client.get(f"{BASE}/services.json").json()
    validate("services", services_list)
    assert {s["service_code"] for s in services_list} == set(
        Category.objects.filter(active=True).values_list("code", flat=True))
    validate("service_definition", client.get(f"{BASE}/services/S0504.json").json())
    listed = client.get(f"{BASE}/requests.json").json()
    validate("requests", listed)
    assert len(listed) == 2
    one = client.get(f"{BASE}/requests/{number}.json").json()
    validate("requests", one)
    assert one[0]["media_url"] == "https://photos.example.org/a/1.jpg"
    assert one[0]["requested_datetime"].endswith("+08:00")
    validate("token", client.get(f"{BASE}/tokens/{token}.json").json())
    for bad in (f"{BASE}/services/NOPE.json", f"{BASE}/requests.json?start_date=yesterday",
                f"{BASE}/requests/1.json", f"{BASE}/tokens/nope.json"):
        validate("errors", client.get(bad).json())
    validate("errors", post_request(client, api_key="wrong").json())


def test_xml_documents_are_well_formed_with_the_spec_roots(o311, client):
    created = xml_of(post_request(client, "xml", api_key=o311.api_key, description="井盖缺失 <b>危险</b> \x07"))
    assert created.tag == "service_requests"
    number = created.findtext("request/service_request_id")
    token = created.findtext("request/token")
    assert number and token and created.find("request/account_id") is not None

    discovery = xml_of(client.get(f"{BASE}/discovery.xml"))
    assert discovery.tag == "discovery" and discovery.findtext("key_service")
    assert [f.text for f in discovery.findall("endpoints/endpoint/formats/format")] == ["text/xml",
                                                                                       "application/json"]
    assert discovery.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"

    services_xml = xml_of(client.get(f"{BASE}/services.xml"))
    assert services_xml.tag == "services"
    noise = next(s for s in services_xml.findall("service") if s.findtext("service_code") == "S0504")
    assert noise.findtext("metadata") == "false" and noise.findtext("group") == "街面秩序"

    definition = xml_of(client.get(f"{BASE}/services/S0504.xml"))
    assert definition.tag == "service_definition" and definition.find("attributes") is not None

    request = xml_of(client.get(f"{BASE}/requests/{number}.xml")).find("request")
    # The intake keeps the control character; XML 1.0 cannot carry it, so the document leaves it out.
    assert request.findtext("status") == "open" and request.findtext("description").strip() == "井盖缺失 危险"
    assert [child.tag for child in request] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "lat", "long", "media_url"]
    assert xml_of(client.get(f"{BASE}/tokens/{token}.xml")).findtext("request/service_request_id") == number

    errors = xml_of(client.get(f"{BASE}/services/NOPE.xml"))
    assert errors.tag == "errors" and errors.findtext("error/code") == "404"
    assert "NOPE" in errors.findtext("error/description")


# --------------------------------------------------------------------------------- errors and codes


@pytest.mark.parametrize(("fields", "status", "fragment"), [
    ({"api_key": None}, 403, "缺少 api_key"),
    ({"api_key": "not-a-key"}, 403, "api_key 无效或已吊销"),
    ({"description": ""}, 400, "description: 内容不能为空"),
    ({"service_code": "X9999"}, 400, "service_code: 未知的 service_code：X9999"),
    ({"service_code": None}, 400, "缺少 service_code"),
    ({"lat": None, "long": None}, 400, "lat/long: 请提供位置"),
    ({"lat": "north", "long": LON}, 400, "lat/long"),
    ({"lat": "95", "long": LON}, 400, "lat/long: 纬度超出范围"),
    ({"phone": "1391234"}, 400, "phone: 手机号应为 11 位"),
    ({"address_id": "no-such-building"}, 400, "address_id: 未知的 address_id"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
])
def test_a_bad_post_answers_the_spec_error_and_writes_nothing(o311, client, fields, status, fragment):
    fields = {"api_key": o311.api_key, **fields}
    response = post_request(client, **fields)
    assert response.status_code == status
    validate("errors", response.json())
    assert response.json()[0]["code"] == status
    assert any(fragment in e["description"] for e in response.json()), response.json()
    assert not Case.objects.exists() and not Open311Token.objects.exists()


def test_get_errors_have_the_spec_codes(o311, client):
    cases = {
        f"{BASE}/services/NOPE.json": 404,
        f"{BASE}/services.json?jurisdiction_id=999999999": 404,
        f"{BASE}/requests/12345.json": 404,
        f"{BASE}/tokens/unknown.json": 404,
        f"{BASE}/services.csv": 404,
        f"{BASE}/requests.json?start_date=2026-13-01": 400,
        f"{BASE}/requests.json?start_date=2026-11-01T10:00:00": 400,  # a time needs its zone
        f"{BASE}/requests.json?end_date=23/11/2026": 400,
        f"{BASE}/requests.json?status=pending": 400,
        f"{BASE}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z": 400,  # > 90 days
        f"{BASE}/requests.json?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z": 400,
    }
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response.json()[0]["code"] == status, url
    refused = client.put(f"{BASE}/services.json")
    assert refused.status_code == 405 and refused["Allow"] == "GET"


def test_errors_follow_accept_language(o311, client):
    response = post_request(client, api_key=o311.api_key, description="", headers={"Accept-Language": "en"})
    assert response.json() == [{"code": 400, "description": "description: This cannot be empty"}]
    chinese = post_request(client, api_key=o311.api_key, description="")
    assert chinese.json()[0]["description"] == "description: 内容不能为空"


def test_post_needs_no_csrf_token_and_records_the_client_as_actor(o311):
    client = Client(enforce_csrf_checks=True)
    response = post_request(client, api_key=o311.api_key, first_name="Anna", last_name="Smith",
                            description="<script>x</script>路灯不亮")
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.description == "路灯不亮" and case.reporter_name == "Anna Smith"  # script content dropped
    created = case.events.get(kind=EventKind.CREATED)
    assert created.actor_name == "open311:随申办测试" and created.actor is None
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(case.pk),
                                   actor_username="open311:随申办测试").exists()


def test_address_id_is_a_building_code(o311, client):
    response = post_request(client, api_key=o311.api_key, lat=None, long=None, address_id=o311.b21.code)
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.building == o311.b21 and case.grid == o311.g21
    shown = client.get(f"{BASE}/requests/{case.number}.json").json()[0]
    assert shown["address_id"] == o311.b21.code and shown["address"] == "梅岭北路41号"
    assert shown["lat"] == pytest.approx(o311.b21.lat)


# --------------------------------------------------------------------------------- what the public sees


def test_requests_show_the_public_step_and_never_personal_data(o311, client):
    w = o311
    case = make_case(w, description="兰溪路200弄5号302室楼下饭店油烟很大，我的电话13912345678",
                     address="兰溪路200弄5号302室", reporter_name="李桂英", reporter_phone="13812345678",
                     category="S0104")
    number = case.number
    services.perform(case=case, action="register", by=w.operator)
    case = services.perform(case=Case.objects.get(pk=case.pk), action="dispatch", by=w.operator)
    shown = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert shown["status"] == "open" and shown["agency_responsible"] == case.department.name
    assert shown["status_notes"] == f"已派遣至{case.department.name}办理"
    assert shown["expected_datetime"] == timezone.localtime(case.handle_due).isoformat(timespec="seconds")
    assert shown["service_notice"].startswith("办理时限：")
    assert shown["address"] == "兰溪路200弄5号"
    assert "139****5678" in shown["description"]

    assert case.department == w.cgzd
    handler = w.chengguan
    case = services.perform(case=Case.objects.get(pk=case.pk), action="accept", by=handler)
    case = services.perform(case=case, action="contact", by=handler, note="已电话联系李桂英 13812345678，约明天上门")
    case = services.perform(case=case, action="note", by=w.operator, note="内部：李桂英多次来电")
    text = json.dumps(client.get(f"{BASE}/requests.json").json(), ensure_ascii=False)
    for secret in ("李桂英", "13812345678", "13912345678", "约明天上门", "内部", "302"):
        assert secret not in text
    assert "处置部门已与反映人联系，正在处置" in text

    case = services.perform(case=case, action="handle", by=handler, note="已整改")
    services.perform(case=case, action="close", by=w.operator)
    closed = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert closed["status"] == "closed" and closed["status_notes"] == "已办结"
    assert closed["expected_datetime"] is None and closed["service_notice"] is None


def test_a_cancelled_case_is_closed_to_the_public(o311, client):
    case = make_case(o311)
    services.perform(case=case, action="cancel", by=o311.operator, note="重复来电，李女士已撤回")
    shown = client.get(f"{BASE}/requests/{case.number}.json").json()[0]
    assert shown["status"] == "closed" and shown["status_notes"] == "不予立案，已作废"


def test_request_filters_and_defaults(o311, client, monkeypatch):
    w = o311
    recent = make_case(w, category="S0101", days_ago=1)
    noise = make_case(w, description="夜里施工噪音", category="S0504", days_ago=10)
    old = make_case(w, description="很久以前的问题", days_ago=120)
    closed = make_case(w, description="已处理的问题", days_ago=3)
    services.perform(case=closed, action="cancel", by=w.operator, note="作废")

    def numbers(query=""):
        response = client.get(f"{BASE}/requests.json{query}")
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert numbers() == [recent.number, closed.number, noise.number]  # last 90 days, newest first
    assert numbers("?status=open") == [recent.number, noise.number]
    assert numbers("?status=closed") == [closed.number]
    assert numbers("?status=open,closed") == numbers()
    assert numbers("?service_code=S0504") == [noise.number]
    assert numbers("?service_code=S0504,S0101") == [recent.number, noise.number]
    assert numbers(f"?service_request_id={old.number},{noise.number}") == [noise.number, old.number]
    old_day = timezone.localtime(old.reported_at).date()
    assert numbers(f"?start_date={old_day - dt.timedelta(days=1)}&end_date={old_day}") == [old.number]
    start = timezone.localtime(noise.reported_at - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    end = timezone.localtime(noise.reported_at + dt.timedelta(hours=1)).isoformat(timespec="seconds")
    assert numbers(f"?start_date={start}&end_date={end}") == [noise.number]  # '+' arrives as a space
    assert numbers(f"?start_date={start.replace('+08:00', '%2B08:00')}&end_date={end.replace('+', '%2B')}") \
        == [noise.number]
    monkeypatch.setattr(open311_selectors, "MAX_RESULTS", 2)
    assert len(numbers()) == 2


def test_jurisdictions_keep_subdistricts_apart(o311, client):
    w = o311
    here = make_case(w)
    there = make_case(w, sub=w.other_sub, description="古美路的井盖坏了")
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()] == [here.number]
    other = client.get(f"{BASE}/requests.json?jurisdiction_id={w.other_sub.code}").json()
    assert [r["service_request_id"] for r in other] == [there.number]
    assert client.get(f"{BASE}/requests/{there.number}.json").status_code == 404
    refused = post_request(client, api_key=o311.api_key, jurisdiction_id=w.other_sub.code)
    assert refused.status_code == 403 and not Open311Token.objects.exists()
    accepted = post_request(client, api_key=o311.api_key, jurisdiction_id=w.sub.code)
    assert Case.objects.get(number=accepted.json()[0]["service_request_id"]).subdistrict == w.sub


# --------------------------------------------------------------------------------- keys


def test_the_key_command_stores_a_digest_and_revokes_by_name(o311, client):
    key = Open311Key.objects.get(name="随申办测试")
    assert o311.api_key not in key.digest and len(key.digest) == 64 and key.subdistrict == o311.sub
    assert AuditLog.objects.filter(action=AuditAction.TOKEN_ISSUED, object_id=str(key.pk)).exists()
    assert post_request(client, api_key=o311.api_key).status_code == 201

    call_command("open311_key", "--revoke", "随申办测试", stdout=StringIO())
    key.refresh_from_db()
    assert key.revoked_at is not None
    refused = post_request(client, api_key=o311.api_key)
    assert refused.status_code == 403 and refused.json()[0]["description"] == "api_key 无效或已吊销"
    assert AuditLog.objects.filter(action=AuditAction.DENIED, object_id=str(key.pk)).exists()
    assert Case.objects.count() == 1


def test_the_key_command_needs_a_subdistrict_when_there_are_several_and_no_default(o311, settings):
    settings.DEFAULT_SUBDISTRICT = ""
    with pytest.raises(CommandError, match="--subdistrict"):
        call_command("open311_key", "另一个应用", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="找不到"):
        call_command("open311_key", "--revoke", "没有这个应用", stdout=StringIO())
    assert Open311Key.objects.count() == 1
