"""The JSON API: the scanner's path (the form a label opens, a check with a failed item and its photo, sent
twice), bad input answered with clear errors, the desk's reads (coverage, missed, 五星), the public shop
endpoint without personal data, and access by role and scope."""

import base64
import json

import pytest

from jiedao.cases.models import Attachment, Case
from jiedao.inspections import services
from jiedao.inspections.models import Check
from jiedao.inspections.tests.conftest import photo

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


def post(client, path, body):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def body_for(w, client_id="api-form-0001", **failed):
    items = ["clutter", "flying_wire", "extinguisher", "lighting"]
    return {"token": w.token, "client_id": client_id, "lat": w.point.lat, "lon": w.point.lon,
            "results": [{"item": i, "passed": i not in failed, **({"note": failed[i]} if i in failed else {})}
                        for i in items]}


def test_a_scanner_opens_the_form_and_saves_a_check_once(insp_world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = insp_world
    client = login(w.grid_worker)
    form = client.get(f"{API}/scan/{w.token}").json()
    assert form["point"]["code"] == "LD-0001" and [i["code"] for i in form["items"]][:2] == ["clutter", "flying_wire"]
    body = body_for(w, flying_wire="电动车在楼道充电")
    body["results"][1]["photo"] = base64.b64encode(photo().read()).decode()
    first = post(client, "/checks", body)
    assert first.status_code == 201
    out = first.json()
    case_number = next(r["case"] for r in out["results"] if r["item"] == "flying_wire")
    assert out["failed"] == 1 and out["far"] is False and case_number
    assert Attachment.objects.filter(case__number=case_number).count() == 1
    again = post(client, "/checks", body)
    assert again.status_code == 200 and again.json()["id"] == out["id"] and again.json()["created"] is False
    assert Check.objects.count() == 1 and Case.objects.count() == 1
    assert client.get(f"{API}/checks/{out['id']}").json()["results"][1]["case"] == case_number


def test_bad_input_gets_clear_errors_and_nothing_is_written(insp_world, login):
    w = insp_world
    client = login(w.grid_worker)
    body = body_for(w)
    body["results"].append({"item": "overflow", "passed": False})
    answer = post(client, "/checks", body)
    assert answer.status_code == 422 and "不属于楼道的检查清单" in json.dumps(answer.json(), ensure_ascii=False)
    forged = post(client, "/checks", {**body_for(w), "token": "WzEsMV0:forged:sig"})
    assert forged.status_code == 422 and "无效的巡检标签" in json.dumps(forged.json(), ensure_ascii=False)
    bad_photo = body_for(w, clutter="纸箱")
    bad_photo["results"][0]["photo"] = "not base64!!"
    assert post(client, "/checks", bad_photo).status_code == 422
    assert Check.objects.count() == 0 and Case.objects.count() == 0


def test_scope_and_role_are_enforced(insp_world, login):
    w = insp_world
    assert login(w.social_worker).get(f"{API}/scan/{w.token}").status_code == 403
    assert login(w.leader).get(f"{API}/scan/{w.token}").status_code == 403
    assert login(w.social_worker).get(f"{API}/points/{w.point.pk}").status_code == 404
    assert login(w.grid_worker).post(f"{API}/points/{w.point.pk}/revoke-label").status_code == 403
    assert login(w.resident).get(f"{API}/points").status_code == 403
    ids = [p["code"] for p in login(w.operator).get(f"{API}/points").json()["items"]]
    assert ids == ["LD-0001"]


def test_the_desk_reads_coverage_missed_and_stars(insp_world, login):
    w = insp_world
    room = services.create_room(by=w.head, building=w.b11, name="一村厢房", hours=["07:00-09:00"], bins={"wet": 1})
    services.add_duty(by=w.head, room=room, role="monitor", name="张秀兰", phone="13712345678", user=w.volunteer)
    client = login(w.head)
    assert client.get(f"{API}/coverage?start=2026-01-01&end=2026-01-31&by=grid").status_code == 200
    assert client.get(f"{API}/coverage?start=2026-02-01&end=2026-01-01").status_code == 422
    assert client.get(f"{API}/missed?start=2026-01-01&end=2026-01-31").status_code == 200
    stars = client.get(f"{API}/garbage/stars?month=2026-01").json()
    assert [e["stars"] for e in stars["estates"]] == [5] and stars["communities"][0]["name"] == w.c1.name
    assert client.get(f"{API}/garbage/stars?month=2026/01").status_code == 422
    roster = client.get(f"{API}/rooms").json()[0]["roster"][0]
    assert roster["name"] == "张**" and roster["phone"] == "137****5678"


def test_a_round_is_laid_out_through_the_api(insp_world, login):
    w = insp_world
    client = login(w.head)
    # A 居委 head lays out a round of their 居委: one of the whole subdistrict would be out of their sight.
    wide = post(client, "/rounds", {"name": "夜间楼道", "points": [w.point.pk], "frequency": "daily"})
    assert wide.status_code == 422 and "请选择所属居委会" in str(wide.json())
    made = post(client, "/rounds", {"name": "夜间楼道", "points": [w.point.pk], "frequency": "daily",
                                    "assignees": ["fangzhang"], "community_id": w.point.community_id})
    assert made.status_code == 201 and made.json()["assignees"] == ["fangzhang"]
    assert [r["name"] for r in login(w.volunteer).get(f"{API}/rounds").json()] == ["夜间楼道"]
    bad = post(login(w.head), "/rounds", {"name": "x", "points": [w.point.pk], "frequency": "hourly"})
    assert bad.status_code == 422, bad.json()


def test_the_public_shop_endpoint_needs_no_login_and_shows_no_personal_data(insp_world, login, client):
    w = insp_world
    made = post(login(w.head), "/shops", {"building_id": w.b11.pk, "name": "老王面馆",
                                          "licence_no": "91310107MA1FL00001", "kind": "food",
                                          "contact_name": "王建国", "contact_phone": "13812345678"})
    assert made.status_code == 201 and made.json()["contact_phone"] == "138****5678"
    from jiedao.inspections.models import Shop

    token = services.label_token(Shop.objects.get().point)
    client.logout()
    public = client.get(f"{API}/public/shops/{token}")
    text = json.dumps(public.json(), ensure_ascii=False)
    assert public.status_code == 200 and public.json()["stars"] == 5
    assert "王建国" not in text and "1381234" not in text and "91310107" not in text
    assert client.get(f"{API}/public/shops/{w.token}").status_code == 422  # a stairwell, not a shop
