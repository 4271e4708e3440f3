"""The audit log's declared filters (core.filters.AuditLogFilter), on the page and the API: they narrow the list,
refuse what they cannot parse with a message naming the field, and never reach past the reader's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.core import audit
from jiedao.core.models import AuditLog
from jiedao.testing import make_user


def _at(day: str, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def _dated(world):
    """Records of the subdistrict late on 1, 2 and 3 March, and one of the other subdistrict."""
    for day, reason in (("2025-03-01", "第一天"), ("2025-03-02", "第二天"), ("2025-03-03", "第三天")):
        AuditLog(created_at=_at(day, 23), subdistrict=world.sub, actor=world.operator,
                 actor_username="operator", action="reveal", object_type="geo.building",
                 object_id=str(world.b11.pk), reason=reason).save()
    AuditLog(created_at=_at("2025-03-02", 12), subdistrict=world.other_sub, actor=world.other_operator,
             actor_username="other_operator", action="reveal", object_type="core.subdistrict",
             object_id=str(world.other_sub.pk), reason="别处").save()


def test_the_page_narrows_by_day_and_a_day_counts_whole(world, login):
    _dated(world)
    html = login(world.auditor).get("/audit/", {"since": "2025-03-02", "until": "2025-03-02"}).content.decode()
    assert "第二天" in html and "第一天" not in html and "第三天" not in html


def test_the_api_narrows_by_instant(world, login):
    _dated(world)
    rows = login(world.auditor).get(
        "/api/v1/core/audit", {"since": "2025-03-02T00:00:00+08:00", "until": "2025-03-03T12:00:00+08:00"}
    ).json()["items"]
    assert [r["reason"] for r in rows] == ["第二天"]


def test_the_page_pager_keeps_the_date_filters(world, login):
    _dated(world)
    for _i in range(50):
        audit.record(actor=world.operator, action="view", obj=world.b12)
    html = login(world.auditor).get("/audit/", {"since": "2000-01-01"}).content.decode()
    assert "?since=2000-01-01&amp;page=2" in html


@pytest.mark.parametrize("params, message", [
    ({"since": "2025-02-30"}, "起始日期："),
    ({"until": "昨天"}, "截止日期："),
    ({"action": "steal"}, "操作："),
])
def test_the_page_explains_an_invalid_filter_by_its_field_and_lists_nothing(world, login, params, message):
    _dated(world)
    response = login(world.auditor).get("/audit/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "第一天" not in html and "没有符合条件的记录" in html


def test_the_api_refuses_an_invalid_action_naming_the_field(world, login):
    _dated(world)
    response = login(world.auditor).get("/api/v1/core/audit", {"action": "steal"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "action"
    assert response.json()["detail"].startswith("操作：")


def test_filtering_by_another_subdistricts_object_finds_nothing(world, login):
    _dated(world)
    client = login(world.auditor)
    rows = client.get("/api/v1/core/audit", {"object_type": "core.subdistrict", "object_id": world.other_sub.pk})
    assert rows.json()["items"] == []
    html = client.get("/audit/", {"q": "别处"}).content.decode()
    assert "没有符合条件的记录" in html
    other_auditor = make_user("other_auditor", role="auditor", subdistrict=world.other_sub, level="subdistrict")
    assert [r["reason"] for r in login(other_auditor).get("/api/v1/core/audit", {"q": "别处"}).json()["items"]] \
        == ["别处"]
