"""Every API error answers in the documented JSON format (``{"detail", "errors"}``) with a 4xx, never
Django's HTML 500 page: numbers the database cannot hold, nulls for fields that cannot be empty."""

import pytest

BIG = str(2**63)  # one past the largest integer a database column (bigint) holds
HUGE = "9" * 40


def assert_json_4xx(response, status=422):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    return body


def assert_refused_or_empty(response):
    """A filter by an id no row can have: PostgreSQL compares it and finds nothing, SQLite cannot bind it.
    Either answer is right; an HTML 500 is not."""
    if response.status_code == 200:
        assert response.json()["items"] == []
    else:
        assert "超出允许范围" in assert_json_4xx(response)["detail"]


@pytest.mark.parametrize("value", [BIG, HUGE, str(-(2**63) - 1)])
@pytest.mark.parametrize("url, param", [
    ("/api/v1/cases/", "area"),
    ("/api/v1/cases/", "community"),
    ("/api/v1/cases/", "grid"),
    ("/api/v1/cases/", "department"),
    ("/api/v1/registry/residents", "community_id"),
    ("/api/v1/planning/projects", "lead_unit"),
    ("/api/v1/planning/indicators", "chapter"),
])
def test_a_filter_by_an_integer_beyond_the_database_is_never_a_500(world, login, url, param, value):
    assert_refused_or_empty(login(world.leader).get(url, {param: value}))


@pytest.mark.parametrize("value", [BIG, HUGE])
@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/registry/residents"])
@pytest.mark.parametrize("param", ["limit", "offset"])
def test_a_page_of_a_query_beyond_the_database_is_a_422_in_json(world, login, url, param, value):
    body = assert_json_4xx(login(world.leader).get(url, {param: value}))
    assert "超出允许范围" in body["detail"] and body["errors"] == []


@pytest.mark.parametrize("url", ["/api/v1/planning/projects", "/api/v1/planning/indicators"])
def test_a_page_of_a_computed_list_beyond_any_length_is_empty(world, login, url):
    assert login(world.leader).get(url, {"offset": BIG}).json()["items"] == []
    assert login(world.leader).get(url, {"limit": BIG}).status_code == 200


@pytest.mark.parametrize("param", ["limit", "offset"])
def test_a_huge_offset_or_limit_on_the_audit_log_is_a_422(world, login, param):
    # One request per test: on PostgreSQL the refused query aborts the test's transaction.
    client = login(world.auditor)
    assert "超出允许范围" in assert_json_4xx(client.get("/api/v1/core/audit", {param: BIG}))["detail"]


def test_a_reasonable_page_still_works(world, login):
    response = login(world.leader).get("/api/v1/cases/", {"limit": 1000, "offset": 10_000_000})
    assert response.status_code == 200 and response.json() == {"items": [], "count": 0}


def test_bulk_dispatch_with_an_id_beyond_the_database_is_a_422(world, login):
    response = login(world.operator).post("/api/v1/cases/bulk-dispatch", {"ids": [1, int(BIG)], "department": "CG"},
                                          content_type="application/json")
    if response.status_code == 200:  # PostgreSQL: looked up and not found
        missing = "案件不存在或不在您的数据范围内"
        assert response.json()["failed"] == {"1": missing, BIG: missing}
    else:
        assert "超出允许范围" in assert_json_4xx(response)["detail"]


def test_a_path_id_beyond_the_database_is_a_404(world, login):
    response = login(world.leader).get(f"/api/v1/planning/projects/{BIG}")
    assert_json_4xx(response, status=404)


def test_a_body_over_the_upload_limit_is_a_413_in_json(world, login, settings):
    body = '{"description": "%s"}' % ("噪" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10))
    response = login(world.operator).post("/api/v1/cases/", body, content_type="application/json")
    assert_json_4xx(response, status=413)


def test_a_date_beyond_the_time_zones_range_is_never_a_500(world, login):
    # Found by schemathesis (demo/tests/test_api_fuzz.py): midnight of 0001-01-01 in +08:00 is before year 1 in
    # UTC, which SQLite's adapter cannot write (OverflowError); PostgreSQL's answers the empty figures.
    response = login(world.leader).get("/api/v1/cases/kpis", {"start": "0001-01-01", "end": "2000-01-01"})
    if response.status_code == 200:
        assert response.json()["start"].startswith("0001-01-01")
    else:
        assert "超出允许范围" in assert_json_4xx(response)["detail"]
