"""The household file in a real browser: reveal a masked ID number with a reason, in place, without JS errors."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from jiedao.core.models import AuditLog
from jiedao.registry.tasks import export_residents
from jiedao.registry.tests.test_pages_support import make_household
from jiedao.testing import World

pytestmark = pytest.mark.browser


@pytest.fixture
def live_household(transactional_db):
    world = World()
    household = make_household(world)
    head = household.residents.get()
    return household, head.id_number


def test_social_worker_reveals_an_id_number_in_place(live_household, live_server, browser_page):
    household, id_number = live_household
    page, errors = browser_page
    page.goto(f"{live_server.url}/login/?next=/registry/households/{household.pk}/")
    page.fill("#id_username", "social_worker")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('一户一档')")
    value = page.locator(".person .pii").first
    assert value.inner_text() == f"{id_number[:4]}**********{id_number[-4:]}"

    page.locator(".person details.reveal summary").first.click()
    page.locator(".person .reveal-form input[name=reason]").first.fill("核对高龄津贴")
    page.locator(".person .reveal-form button[type=submit]").first.click()
    page.wait_for_selector(".person .pii.revealed")
    assert value.inner_text() == id_number
    assert page.url.endswith(f"/registry/households/{household.pk}/")  # revealed in place, no reload
    assert page.locator(".person .pii").nth(1).inner_text() == "139****5600"  # the phone stays masked
    assert errors == []
    # The ORM refuses to run inside Playwright's event loop; a worker thread has none.
    with ThreadPoolExecutor(1) as pool:
        reveals = pool.submit(
            lambda: AuditLog.objects.filter(action="reveal", field="id_number", reason="核对高龄津贴").count()
        ).result()
    assert reveals == 1


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_registry(transactional_db, settings, tmp_path):
    """The social worker's 居委 with a few households: one with someone moved out and someone 户在人不在, a
    household code, and a background export waiting; uploads and exports go to a temporary MEDIA_ROOT."""
    from jiedao.registry import services
    from jiedao.registry.models import Resident
    from jiedao.registry.tests.test_pages_support import editor

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTRY_EXPORT_INLINE_ROWS = 2
    world = World()
    household = make_household(world, people=(("欧阳秀英", "19380501"), ("司马建国", "19360303"),
                                              ("诸葛明", "19700101")))
    by = editor(world)
    spouse, son = household.residents.get(name="司马建国"), household.residents.get(name="诸葛明")
    services.move_out(resident=spouse, by=by, on=spouse.moved_in_on, note="迁往女儿家")
    services.update_resident(resident=son, by=by, residence_status=Resident.ResidenceStatus.HUKOU_ONLY)
    services.issue_code(household=household, by=by)
    for room in ("302", "401", "502"):
        make_household(world, room=room, people=(("上官婉儿", "19850101"), ("慕容复", "19830303")))
    export = services.start_export(filters={}, by=world.social_worker)
    return world, household, export


def _sign_in(page, url, username="social_worker"):
    page.goto(f"{url}/login/")
    _settled(page)
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _settled(page):
    """Let the page finish loading (its favicon too) before leaving it, so no request is cut off."""
    page.wait_for_load_state("networkidle")


def test_no_registry_page_is_wider_than_a_phone(live_registry, live_server, browser_page, tmp_path):
    world, household, export = live_registry
    page, errors = browser_page
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url)
    upload = tmp_path / "people.csv"
    upload.write_text("姓名,身份证号,小区,楼号,室号\n张三,310107199001011234,兰溪园小区,41,601\n", encoding="utf-8")
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("input[type=file]", str(upload))
    _settled(page)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("#import-report")
    upload_page = page.url.removeprefix(live_server.url)
    widths = {}
    for path in ("/registry/", "/registry/stats/", "/registry/import/", upload_page,
                 f"/registry/households/{household.pk}/", "/registry/households/new/",
                 f"/registry/buildings/{world.b21.pk}/codes/", "/registry/export.xlsx",
                 f"/registry/exports/{export.pk}/"):
        page.goto(live_server.url + path)
        _settled(page)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(widths, PHONE["width"])
    # Search results are cards on a phone: each name on one line, the fields labelled.
    page.goto(f"{live_server.url}/registry/")
    name = page.locator("table.results td.name").first
    assert name.evaluate("td => td.getClientRects()[0].height") < 40
    assert "身份证号" in page.locator("table.results td.pii").first.evaluate(
        "td => getComputedStyle(td, '::before').content")
    assert errors == []


def test_an_import_is_checked_then_confirmed_in_the_browser(live_registry, live_server, browser_page, tmp_path):
    page, errors = browser_page
    _sign_in(page, live_server.url)
    from jiedao.registry.tests.test_pages_support import make_id

    upload = tmp_path / "people.csv"
    upload.write_text("姓名,身份证号,小区,楼号,室号\n"
                      f"张三,{make_id('19900101')},兰溪园小区,41,601\n"
                      "李四,123,兰溪园小区,41,602\n", encoding="utf-8")
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("input[type=file]", str(upload))
    _settled(page)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("#import-report")
    assert "校验结果（只校验，尚未写入）" in page.inner_text("#import-report h2")
    assert page.inner_text("[data-count=to_create_residents]") == "1"
    with page.expect_download() as download:
        page.click("#error-file")
    assert download.value.suggested_filename == "import-errors.xlsx"
    _settled(page)
    page.click("#confirm-import")
    page.wait_for_selector("#import-report[data-status=imported]")
    assert page.inner_text("[data-count=created_residents]") == "1"
    assert "已导入" in page.inner_text(".messages")
    assert errors == []


def test_a_households_code_downloads_from_its_page(live_registry, live_server, browser_page):
    _world, household, _export = live_registry
    page, errors = browser_page
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/registry/households/{household.pk}/")
    for kind, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
        with page.expect_download() as download:
            page.click(f"#code-{kind}")
        assert download.value.suggested_filename == f"household-{household.code}.{kind}"
        with open(download.value.path(), "rb") as fh:
            assert fh.read(5).startswith(magic)
    assert errors == []


def test_a_background_export_shows_its_progress_and_then_its_download(live_registry, live_server, browser_page):
    _world, _household, export = live_registry
    page, errors = browser_page
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/registry/exports/{export.pk}/")
    assert page.locator("#export-download").is_hidden()
    # The task writes the file while the page polls (in a thread: the ORM refuses Playwright's event loop).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(export_residents.call, export.pk).result()
    page.wait_for_selector("#export-download", state="visible", timeout=15000)
    assert page.locator("progress").evaluate("p => p.value") == 100
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename == "residents.xlsx"
    assert errors == []

