"""一户一码 pages: scanning a household code, issuing and revoking it, and the printable sheet per building."""

import pytest

from jiedao.core.models import AuditLog
from jiedao.registry import services
from jiedao.registry.models import HouseholdCode
from jiedao.registry.tests.test_pages_support import denied_count, editor, make_household


@pytest.fixture
def coded(world):
    household = make_household(world)
    code = services.issue_code(household=household, by=editor(world))
    return household, code.token


def test_scanning_a_code_takes_an_authorised_worker_to_the_household_file(world, login, coded):
    household, token = coded
    response = login(world.social_worker).get(f"/h/{token}")
    assert response.status_code == 302 and response["Location"] == f"/registry/households/{household.pk}/"
    entry = AuditLog.objects.get(action="view", actor=world.social_worker)
    assert (entry.object_id, entry.detail) == (str(household.pk), {"via": "qr"})


@pytest.mark.parametrize("persona", ["grid_worker", "resident"])
def test_scanning_a_household_outside_ones_scope_shows_a_page_without_personal_data(world, login, coded, persona):
    _household, token = coded
    user = getattr(world, persona)
    response = login(user).get(f"/h/{token}")
    html = response.content.decode()
    assert response.status_code == 403
    assert "该户不在您的数据范围内" in html
    assert "王秀英" not in html and "梅岭北路" not in html and "301" not in html.split("<main")[1]
    assert denied_count(user) == 1


def test_scanning_signed_out_asks_to_sign_in_and_comes_back(world, client, coded):
    _household, token = coded
    response = client.get(f"/h/{token}")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/h/")
    assert not AuditLog.objects.filter(action="view").exists()


def test_a_revoked_code_is_gone_and_a_forged_or_unknown_one_is_invalid(world, login, coded):
    household, token = coded
    client = login(world.social_worker)
    forged = client.get(f"/h/{token[:-3]}abc")
    assert forged.status_code == 404 and "户码无效" in forged.content.decode()
    unknown = client.get(f"/h/{services.sign_token('never-issued')}")
    assert unknown.status_code == 404 and "户码无效" in unknown.content.decode()
    assert client.post(f"/registry/households/{household.pk}/code/", {"action": "revoke"}).status_code == 302
    revoked = client.get(f"/h/{token}")
    html = revoked.content.decode()
    assert revoked.status_code == 410 and "户码已作废" in html and "王秀英" not in html
    assert AuditLog.objects.filter(action="denied", actor=world.social_worker).count() == 3


def test_reissuing_a_code_replaces_the_old_one(world, login, coded):
    household, old = coded
    client = login(world.social_worker)
    client.post(f"/registry/households/{household.pk}/code/", {"action": "issue"})
    new = HouseholdCode.objects.get(household=household, revoked_at__isnull=True).token
    assert new != old
    assert client.get(f"/h/{old}").status_code == 410
    assert client.get(f"/h/{new}").status_code == 302


def test_household_file_offers_a_first_code_when_there_is_none(world, login):
    household = make_household(world)
    client = login(world.social_worker)
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert "尚未签发户码" in page and "<svg" not in page
    client.post(f"/registry/households/{household.pk}/code/", {"action": "issue"})
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert "<svg" in page and "重新签发户码" in page and "作废户码" in page


def test_the_print_sheet_has_one_labelled_code_per_door(world, login):
    households = [make_household(world, room=room, people=()) for room in ("101", "1201", "302")]
    services.issue_code(household=households[0], by=editor(world))
    html = login(world.social_worker).get(f"/registry/buildings/{world.b21.pk}/codes/").content.decode()
    assert html.count("<svg") == 3
    labels = html.split('<div class="labels">')[1]
    assert labels.index("梅岭北路41号101室") < labels.index("梅岭北路41号302室") < labels.index("梅岭北路41号1201室")
    assert HouseholdCode.objects.filter(revoked_at__isnull=True).count() == 3  # missing codes were issued
    assert "@media print" in open_css() and "size:A4" in open_css()
    assert "data-print" in html


def open_css() -> str:
    from django.contrib.staticfiles import finders

    with open(finders.find("registry/registry.css"), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("persona", ["grid_worker", "operator", "resident"])
def test_the_print_sheet_is_refused_outside_scope_or_without_edit_rights(world, login, persona):
    make_household(world, people=())
    user = getattr(world, persona)
    response = login(user).get(f"/registry/buildings/{world.b21.pk}/codes/")
    assert response.status_code == (404 if persona == "grid_worker" else 403)  # outside the scope reads as missing
    assert denied_count(user) == 1
    assert not HouseholdCode.objects.exists()


def test_code_actions_are_refused_to_a_worker_of_another_community(world, login):
    household = make_household(world, world.b11, people=())
    response = login(world.social_worker).post(f"/registry/households/{household.pk}/code/", {"action": "issue"})
    assert response.status_code == 404 and denied_count(world.social_worker) == 1  # outside the scope reads as missing
    assert not HouseholdCode.objects.exists()


def _code_file(token: str, kind: str) -> bytes:
    """What a household code's file holds: the scan URL of its token, as the page draws it."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(f"http://testserver/h/{token}", error="m").save(out, kind=kind, scale=10, border=4)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "content_type", "magic"), [
    ("png", "image/png", b"\x89PNG\r\n"), ("svg", "image/svg+xml", b"<?xml"),
])
def test_one_households_code_downloads_alone_as_png_or_svg_and_is_audited(world, login, coded, kind, content_type,
                                                                       magic):
    household, token = coded
    client = login(world.social_worker)
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert f'href="/registry/households/{household.pk}/code.{kind}"' in page
    response = client.get(f"/registry/households/{household.pk}/code.{kind}")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="household-{household.code}.{kind}"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(magic) and response.content == _code_file(token, kind)
    entry = AuditLog.objects.get(action="export", actor=world.social_worker)
    assert (entry.object_id, entry.detail["medium"], entry.detail["households"]) == (str(household.pk), kind, 1)


def test_downloading_the_code_of_a_household_without_one_issues_it(world, login):
    household = make_household(world)
    response = login(world.social_worker).get(f"/registry/households/{household.pk}/code.svg")
    code = HouseholdCode.objects.get(household=household, revoked_at__isnull=True)
    assert response.content == _code_file(code.token, "svg")
    assert AuditLog.objects.filter(action="create", object_type="registry.householdcode").count() == 1


def test_the_print_sheet_is_audited_as_codes_handed_out(world, login):
    for room in ("101", "102"):
        make_household(world, room=room, people=())
    login(world.social_worker).get(f"/registry/buildings/{world.b21.pk}/codes/")
    entry = AuditLog.objects.get(action="export", object_type="registry.householdcode")
    assert entry.detail == {"medium": "sheet", "households": 2, "buildings": [world.b21.pk]}


@pytest.mark.parametrize("persona", ["grid_worker", "operator", "resident"])
def test_a_code_download_is_refused_outside_scope_or_without_edit_rights(world, login, persona):
    household = make_household(world, people=())
    user = getattr(world, persona)
    for kind in ("png", "svg"):
        response = login(user).get(f"/registry/households/{household.pk}/code.{kind}")
        assert response.status_code == (404 if persona == "grid_worker" else 403)
    assert denied_count(user) == 2
    assert not HouseholdCode.objects.exists() and not AuditLog.objects.filter(action="export").exists()


def test_an_unknown_code_file_type_is_not_found(world, login):
    household = make_household(world, people=())
    assert login(world.social_worker).get(f"/registry/households/{household.pk}/code.gif").status_code == 404
    assert not HouseholdCode.objects.exists()
