"""Registry API: masked by default, ID search only in POST bodies, reveal audited, scope enforced."""

import io

from openpyxl import load_workbook

from jiedao.core.models import AuditLog
from jiedao.registry.tests.conftest import make_id

HEAD_ID = make_id("19400101", 2)


def test_household_file_comes_masked(world, login, head):
    body = login(world.social_worker).get(f"/api/v1/registry/households/{head.household_id}").json()
    person = body["residents"][0]
    assert person["id_number"] == HEAD_ID[:4] + "*" * 10 + HEAD_ID[-4:]
    assert person["phone"] == "138****5678"
    assert person["care_reason"] == "黄: 独居老人" and "独居老人" in person["tags"]
    assert body["care_colour"] == "yellow"


def test_household_outside_scope_is_answered_as_missing_and_audited(world, login, head):
    response = login(world.grid_worker).get(f"/api/v1/registry/households/{head.household_id}")
    assert response.status_code == 404
    assert AuditLog.objects.filter(action="denied", actor=world.grid_worker, object_type="registry.household").exists()
    assert login(world.other_operator).get(f"/api/v1/registry/households/{head.household_id}").status_code == 404
    assert login(world.resident).get(f"/api/v1/registry/households/{head.household_id}").status_code == 403


def test_search_by_id_number_in_the_body_finds_the_resident(world, login, head):
    client = login(world.social_worker)
    response = client.post("/api/v1/registry/residents/search", {"id_number": HEAD_ID}, content_type="application/json")
    items = response.json()["items"]
    assert [i["id"] for i in items] == [head.pk]
    assert items[0]["id_number"] != HEAD_ID
    entry_paths = AuditLog.objects.values_list("path", flat=True)
    assert all(HEAD_ID not in p for p in entry_paths)


def test_reveal_returns_the_plain_value_and_records_the_reason(world, login, head):
    client = login(world.social_worker)
    response = client.post(f"/api/v1/registry/residents/{head.pk}/reveal",
                           {"field": "id_number", "reason": "办理高龄津贴"}, content_type="application/json")
    assert response.json() == {"field": "id_number", "value": HEAD_ID}
    entry = AuditLog.objects.get(action="reveal")
    assert (entry.reason, entry.field, entry.path) == ("办理高龄津贴", "id_number",
                                                      f"/api/v1/registry/residents/{head.pk}/reveal")
    missing_reason = client.post(f"/api/v1/registry/residents/{head.pk}/reveal", {"field": "phone", "reason": ""},
                                 content_type="application/json")
    assert missing_reason.status_code == 422 and missing_reason.json()["detail"] == "请填写查看事由（至少 2 个字）"


def test_a_revealed_value_is_kept_in_no_cache(world, login, head):
    client = login(world.social_worker)
    response = client.post(f"/api/v1/registry/residents/{head.pk}/reveal", {"field": "phone", "reason": "电话回访"},
                           content_type="application/json")
    assert response.json()["value"] == "13812345678" and response["Cache-Control"] == "no-store"


def test_a_leader_may_read_but_not_reveal_or_export(world, login, head):
    client = login(world.leader)
    assert client.get(f"/api/v1/registry/households/{head.household_id}").status_code == 200
    response = client.post(f"/api/v1/registry/residents/{head.pk}/reveal", {"field": "phone", "reason": "看看"},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.get("/api/v1/registry/export.xlsx").status_code == 403
    assert not AuditLog.objects.filter(action="reveal").exists()


def test_tagging_over_the_api_recolours_and_explains(world, login, head):
    client = login(world.social_worker)
    body = client.post(f"/api/v1/registry/residents/{head.pk}/tags", {"tag": "失能/失智"},
                       content_type="application/json").json()
    assert body == {"created": True, "care_colour": "red", "care_reason": "红: 独居 + 高龄 + 失能/失智"}
    body = client.delete(f"/api/v1/registry/residents/{head.pk}/tags/disabled_care").json()
    assert body["care_colour"] == "yellow"


def test_export_is_masked_scoped_and_audited(world, login, head):
    response = login(world.social_worker).get("/api/v1/registry/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "王阿婆" and rows[1][1] != HEAD_ID and rows[1][2] == "138****5678"
    assert not any(HEAD_ID in str(v) or "13812345678" in str(v) for row in rows for v in row)
    entry = AuditLog.objects.get(action="export")
    assert entry.detail["rows"] == 1 and entry.actor == world.social_worker
    assert login(world.grid_worker).get("/api/v1/registry/export.xlsx").status_code == 403


def test_colour_stats_per_community(world, login, head):
    rows = login(world.operator).get("/api/v1/registry/stats/colours").json()
    row = next(r for r in rows if r["community_id"] == world.c2.pk)
    assert row["colours"]["yellow"] == 1 and row["tags"]["高龄"] == 1
