"""Open311 for a newcomer: the default subdistrict is a setting (the demo sets Caoyang), /open311/v2/ answers
the discovery document, the key command uses the default. An oversized POST is a 413 and a date beyond any
case a 400, in the spec's format. Phone and ID numbers are masked however a resident wrote them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jiedao.cases.models import Case, Open311Key
from jiedao.cases.tests.test_open311 import BASE, make_case, post_request, validate, xml_of
from jiedao.core.models import Subdistrict
from jiedao.testing import make_subdistrict

pytest_plugins = ["jiedao.cases.tests.test_open311"]  # its o311 fixture: the cases World with a key


def numbers(client, query=""):
    response = client.get(f"{BASE}/requests.json{query}")
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


# --------------------------------------------------------------------------------- the default subdistrict


def test_without_jurisdiction_id_the_default_subdistrict_is_served(o311, client, settings):
    here = make_case(o311)
    there = make_case(o311, sub=o311.other_sub, description="古美路的井盖坏了")
    settings.DEFAULT_SUBDISTRICT = o311.other_sub.code  # not the first by code
    assert numbers(client) == [there.number]
    assert numbers(client, f"?jurisdiction_id={o311.sub.code}") == [here.number]
    assert client.get(f"{BASE}/requests/{there.number}.json").status_code == 200


def test_several_subdistricts_and_no_default_need_jurisdiction_id(o311, client, settings):
    make_case(o311)
    settings.DEFAULT_SUBDISTRICT = ""
    for url in (f"{BASE}/requests.json", f"{BASE}/services.json", f"{BASE}/services/S0504.json"):
        response = client.get(url)
        assert response.status_code == 400, url
        validate("errors", response.json())
        message = response.json()[0]["description"]
        assert "jurisdiction_id" in message and o311.sub.code in message and o311.other_sub.code in message
    assert len(numbers(client, f"?jurisdiction_id={o311.sub.code}")) == 1


def test_the_only_subdistrict_needs_no_setting(db, client, settings):
    settings.DEFAULT_SUBDISTRICT = ""
    make_subdistrict(code="310101015", name="打浦桥街道")
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200 and isinstance(response.json(), list)


def test_a_default_naming_no_subdistrict_is_a_logged_500_in_the_spec_format(o311, client, settings, caplog):
    settings.DEFAULT_SUBDISTRICT = "999999999"
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 500 and response.json()[0]["code"] == 500
    assert "JIEDAO_DEFAULT_SUBDISTRICT=999999999" in caplog.text


def test_the_root_answers_the_discovery_document(o311, client):
    response = client.get(f"{BASE}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    validate("discovery", body)
    assert body == client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert client.get("/open311/v2").status_code in (301, 302)  # the slash is added


def test_the_key_command_issues_for_the_default_subdistrict(o311, settings):
    settings.DEFAULT_SUBDISTRICT = o311.other_sub.code
    out, err = StringIO(), StringIO()
    call_command("open311_key", "古美路应用", stdout=out, stderr=err)
    key = Open311Key.objects.get(name="古美路应用")
    assert key.subdistrict == o311.other_sub and o311.other_sub.name in err.getvalue()
    assert len(out.getvalue().strip().splitlines()[-1]) >= 40


def test_the_key_command_names_the_setting_when_it_cannot_choose(o311, settings):
    settings.DEFAULT_SUBDISTRICT = ""
    with pytest.raises(CommandError, match="JIEDAO_DEFAULT_SUBDISTRICT"):
        call_command("open311_key", "另一个应用", stdout=StringIO(), stderr=StringIO())
    settings.DEFAULT_SUBDISTRICT = "999999999"
    with pytest.raises(CommandError, match="默认街道设置有误"):
        call_command("open311_key", "另一个应用", stdout=StringIO(), stderr=StringIO())
    assert not Open311Key.objects.filter(name="另一个应用").exists()
    assert Subdistrict.objects.count() == 2


# --------------------------------------------------------------------------------- oversized requests


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_million_character_description_is_a_413_in_the_spec_format(o311, client, fmt):
    response = post_request(client, fmt, api_key=o311.api_key, description="噪" * 1_000_000)
    assert response.status_code == 413
    if fmt == "json":
        validate("errors", response.json())
        assert response.json()[0]["code"] == 413 and "请求内容太大" in response.json()[0]["description"]
    else:
        assert xml_of(response).find("error/code").text == "413"
    assert not Case.objects.exists()


def test_a_long_description_under_the_body_limit_is_a_400_naming_the_field(o311, client):
    response = post_request(client, api_key=o311.api_key, description="a" * 1_000_000)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("description:")
    assert not Case.objects.exists()


# --------------------------------------------------------------------------------- masked public text


WRITTEN = {
    "139-1234-5678": "139****5678",
    "+86 138 8765 4321": "138****4321",
    "１３７ ５５５５ ６６６６": "137****6666",
    "021 6254 1234": "021-****1234",
    "6254-9876": "****9876",
    "310107 19400101 1234": "3101**********1234",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_written_form_of_a_phone_or_id_number_is_masked(o311, client, fmt):
    description = "请联系 " + "，".join(WRITTEN) + "；2026-11-23 起反映，工单编号 2611230007"
    case = make_case(o311, description=description)
    response = client.get(f"{BASE}/requests/{case.number}.{fmt}")
    text = response.content.decode()
    if fmt == "json":
        text = json.dumps(response.json(), ensure_ascii=False)
    for written, masked in WRITTEN.items():
        assert written not in text and masked in text
    assert "2026-11-23" in text and "2611230007" in text


@pytest.mark.parametrize("query", ["start_date=0001-01-01", "end_date=0001-01-01", "start_date=9999-12-31",
                                   "end_date=9999-12-31T23:59:59Z", "start_date=1899-12-31T23:00:00%2B14:00"])
def test_a_date_far_outside_any_case_is_a_400_naming_the_range(o311, client, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400
    assert "须在 1900 年至 2100 年之间" in response.json()[0]["description"]


def test_the_edges_of_the_date_range_are_answered(o311, client):
    assert numbers(client, "?start_date=2100-12-31T23:59:59-12:00") == []
    assert numbers(client, "?end_date=1900-01-01T00:00:00%2B14:00") == []
