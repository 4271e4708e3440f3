"""A case's registry household (户): the case page and detail API show its 户编码 and link only to readers who
may see that household; the intake API takes the household by 户编码 within the caller's scope; the household
file shows the household's cases (cases.contributions) as each reader may see them, masked."""

import html

import pytest
from django.utils import timezone

from jiedao.cases import services
from jiedao.cases.models import Case, Channel, Status, household_model
from jiedao.core import roles
from jiedao.core.contributions import household_sections, section_data_for_household, sections_for_household
from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.roles import Perm, Role, ScopeLevel
from jiedao.testing import make_user

PHONE = "13812345678"



@pytest.fixture(autouse=True)
def _only_the_cases_section():
    """The household file with the cases' section alone: what other apps add is tested with them."""
    with household_sections.alone(household_sections.get("cases.cases")):
        yield

@pytest.fixture
def household(cases_world):
    """A household in 兰溪园 (community c2, grid g21, building b21)."""
    b = cases_world.b21
    return household_model().objects.create(subdistrict_id=b.subdistrict_id, building=b, room="301",
                                            code=f"{b.code}R301")


def visit_case(w, household, text="走访发现楼道堆物严重，影响通行", **kw) -> Case:
    return services.intake(subdistrict=w.sub, channel=Channel.VISIT, household_id=household.pk, description=text,
                           by=w.social_worker, **kw).case


def moved_to_grid_g11(w, case: Case) -> Case:
    """The case placed by hand in grid g11 (曹杨一村), away from its household in 兰溪园."""
    services.perform(case=case, action="place", by=w.operator, grid=w.g11.code)
    return Case.objects.get(pk=case.pk)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# ------------------------------------------------------------------------------------------ the case page

def test_the_case_page_links_the_household_for_a_reader_who_may_see_it(cases_world, household, login):
    w = cases_world
    case = visit_case(w, household)
    url = f"/registry/households/{household.pk}/"
    for reader in (w.operator, w.social_worker):
        page = text_of(login(reader).get(f"/cases/{case.number}/"))
        assert f'<a href="{url}">{household.code}</a>' in page
        assert "走访发现" in page  # the channel


def test_a_reader_outside_the_households_scope_sees_no_household_on_the_case_page(cases_world, household, login,
                                                                                  client):
    w = cases_world
    case = moved_to_grid_g11(w, visit_case(w, household))
    response = login(w.grid_worker).get(f"/cases/{case.number}/")  # grid g11: sees the case, not the household
    assert response.status_code == 200 and case.number in text_of(response)
    page = text_of(response)
    assert household.code not in page and "/registry/households/" not in page and "关联户" not in page


def test_a_handler_who_may_not_read_the_registry_sees_no_household(cases_world, household, login):
    w = cases_world
    case = visit_case(w, household)
    services.perform(case=services.perform(case=case, action="register", by=w.operator), action="dispatch",
                     by=w.operator, department="CGZD")
    page = text_of(login(w.chengguan).get(f"/cases/{case.number}/"))
    assert case.number in page and household.code not in page
    assert login(w.chengguan).get(f"/api/v1/cases/{case.number}").json()["household"] is None


def test_the_case_detail_api_gives_the_household_only_to_who_may_see_it(cases_world, household, login):
    w = cases_world
    case = visit_case(w, household)
    body = login(w.social_worker).get(f"/api/v1/cases/{case.number}").json()
    assert body["household"] == {"id": household.pk, "code": household.code}
    assert body["channel"] == "visit"
    moved_to_grid_g11(w, case)
    assert login(w.grid_worker).get(f"/api/v1/cases/{case.number}").json()["household"] is None


# ------------------------------------------------------------------------------------------ the intake API

def test_the_intake_api_links_a_household_by_its_code(cases_world, household, login):
    w = cases_world
    response = login(w.social_worker).post("/api/v1/cases/", {
        "channel": "visit", "description": "走访发现单元门禁损坏", "household": household.code,
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    assert (case.household_id, case.channel, case.community_id) == (household.pk, Channel.VISIT, w.c2.pk)


def test_the_intake_api_refuses_a_household_outside_the_callers_scope_as_unknown_and_audits_it(
        cases_world, household, login):
    w = cases_world
    outsider = make_user("c1_worker", role=Role.SOCIAL_WORKER, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                         community=w.c1)
    client = login(outsider)

    def post(code):
        return client.post("/api/v1/cases/", {"channel": "visit", "description": "走访发现楼道灯不亮",
                                              "household": code}, content_type="application/json")

    refused, unknown = post(household.code), post("310107005001999R999")
    assert refused.status_code == unknown.status_code == 422
    message = refused.json()["errors"][0]
    assert message["field"] == "household" and "不在您的数据范围内" in message["message"]
    assert unknown.json()["errors"][0]["message"].replace("310107005001999R999", household.code) == message["message"]
    assert not Case.objects.exists()
    denied = AuditLog.objects.filter(action=AuditAction.DENIED, actor=outsider)
    assert denied.count() == 1 and denied.get().object_id == str(household.pk)


# -------------------------------------------------------------------------------- the household file's section

def test_the_household_file_lists_its_cases_masked_and_linked(cases_world, household, login):
    w = cases_world
    first = visit_case(w, household, text=f"走访发现燃气灶老化，家属电话{PHONE}，请尽快处理")
    second = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, household_id=household.pk,
                             description="市民来电反映家中天花板渗水", category="房屋维修", by=w.operator).case
    page = text_of(login(w.social_worker).get(f"/registry/households/{household.pk}/"))
    section = page[page.index('data-section="cases.cases"'):]
    assert "<h2>案件</h2>" in section
    assert f'<a href="/cases/{first.number}/">{first.number}</a>' in section
    assert f'<a href="/cases/{second.number}/">{second.number}</a>' in section
    assert section.index(second.number) < section.index(first.number)  # newest first
    assert "138****5678" in section and PHONE not in page
    assert "走访发现" in section and "12345 热线" in section and "待立案" in section and "房屋维修" in section
    assert timezone.localdate().isoformat() in section


def test_the_household_file_hides_the_cases_outside_the_readers_scope(cases_world, household, login):
    w = cases_world
    mine = visit_case(w, household, text="走访发现楼道堆物")
    elsewhere = moved_to_grid_g11(w, visit_case(w, household, text="走访发现窗户破损"))
    page = text_of(login(w.social_worker).get(f"/registry/households/{household.pk}/"))  # 兰溪园 only
    assert mine.number in page and elsewhere.number not in page and "窗户破损" not in page
    operator_page = text_of(login(w.operator).get(f"/registry/households/{household.pk}/"))
    assert mine.number in operator_page and elsewhere.number in operator_page


def test_the_household_file_says_when_there_are_no_cases_and_a_reader_without_cases_gets_no_section(
        cases_world, household, login, monkeypatch):
    w = cases_world
    page = text_of(login(w.social_worker).get(f"/registry/households/{household.pk}/"))
    assert "本户暂无关联案件。" in page
    # A role that reads the registry but not cases: no section while it sees none, the numbers unlinked after.
    monkeypatch.setitem(roles.ROLE_PERMS, Role.LEADER, frozenset({Perm.VIEW_PLACES, Perm.VIEW_REGISTRY}))
    assert "cases.cases" not in [s.code for s, _ in sections_for_household(user=w.leader, household=household)]
    visit_case(w, household)
    shown = {s.code: ctx for s, ctx in sections_for_household(user=w.leader, household=household)}
    assert [c["linked"] for c in shown["cases.cases"]["cases"]] == [False]
    page = text_of(login(w.leader).get(f"/registry/households/{household.pk}/"))
    assert 'data-section="cases.cases"' in page and "/cases/2" not in page


def test_the_household_file_lists_the_newest_twenty_and_says_how_many(cases_world, household, login, clock):
    w = cases_world
    for i in range(22):
        clock.advance(minutes=1)
        visit_case(w, household, text=f"走访发现问题第{i}项：楼道灯不亮")
    page = text_of(login(w.operator).get(f"/registry/households/{household.pk}/"))
    assert "共 22 件，显示最近 20 件。" in page
    assert "第21项" in page and "第1项" not in page.replace("第21项", "").replace("第11项", "")


def test_the_household_api_gives_the_cases_section(cases_world, household, login):
    w = cases_world
    case = visit_case(w, household, text=f"走访发现独居老人家中烟感报警器失效，电话 {PHONE}")
    body = login(w.social_worker).get(f"/api/v1/registry/households/{household.pk}").json()
    cases = next(s for s in body["sections"] if s["code"] == "cases.cases")
    assert cases["title"] == "案件" and cases["data"]["total"] == 1
    row = cases["data"]["cases"][0]
    assert row["number"] == case.number and row["channel"] == "visit" and row["channel_label"] == "走访发现"
    assert row["status"] == Status.NEW and "138****5678" in row["description"] and PHONE not in str(body)
    assert row["reported_on"] == timezone.localdate().isoformat()
    assert section_data_for_household(user=w.grid_worker, household=household)[0]["data"]["cases"] == []


def test_the_household_file_in_english(cases_world, household, login):
    w = cases_world
    visit_case(w, household)
    client = login(w.operator)
    page = text_of(client.get(f"/registry/households/{household.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    section = page[page.index('data-section="cases.cases"'):]
    assert "<h2>Cases</h2>" in section and "Found on a visit" in section and "To register" in section


def test_open311_does_not_publish_a_case_about_one_households_home(cases_world, household, client, settings):
    w = cases_world
    case = visit_case(w, household)
    public = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description="兰溪路路灯不亮",
                             address="兰溪路200弄5号", by=w.operator).case
    settings.DEFAULT_SUBDISTRICT = w.sub.code
    listed = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert public.number in listed and case.number not in listed
    assert client.get(f"/open311/v2/requests/{case.number}.json").status_code == 404


def test_the_cases_section_costs_the_household_file_one_query_however_many_cases(
        cases_world, household, login, django_assert_num_queries):
    w = cases_world
    client = login(w.operator)
    for count in (1, 3):
        while Case.objects.filter(household=household).count() < count:
            visit_case(w, household, text=f"走访发现第{Case.objects.count()}个问题：楼道灯不亮")
        # The registry's own eight (registry/tests/test_query_counts.py), and one for the cases listed.
        with django_assert_num_queries(8 + 1):
            response = client.get(f"/registry/households/{household.pk}/")
        assert response.content.decode().count("<tr data-number=") == count
