import os

import pytest

from jiedao.testing import World


@pytest.fixture
def world(db):
    """Two subdistricts with places and one named persona per role (see jiedao.testing.World)."""
    return World()


@pytest.fixture
def login(client):
    """Sign a persona in on the test client: ``login(world.operator)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session", autouse=True)
def _translations():
    """Compiled catalogues for tests that check English (the set-up command compiles them too)."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English leaves English active in the thread,
    and a later test checking Chinese text would otherwise depend on the order tests run in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def browser_page():
    """A Playwright page in headless Chromium that records every JavaScript error.

    Yields ``(page, errors)``; the test asserts ``errors == []``. Build database rows before asking for
    this fixture: Playwright's sync API runs an event loop that Django's ORM refuses to run inside.
    """
    from jiedao.testing import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI 必须运行浏览器页面测试，但没有找到 Chromium（.ci/run 应先安装）")
        pytest.skip("没有找到 Chromium（Debian: apt-get install chromium），跳过浏览器页面测试")
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and errors.append(f"console.error: {msg.text}"))
        # A request the browser abandons because the test moved on (net::ERR_ABORTED, e.g. the favicon of a
        # page left before it finished loading) is not an error of the page; every other failure is.
        page.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED"
                and errors.append(f"requestfailed: {req.url} ({req.failure})"))
        try:
            yield page, errors
        finally:
            browser.close()


@pytest.hookimpl(tryfirst=True)  # before pytest's -m selection reads the ``transactional`` marker added here
def pytest_collection_modifyitems(items):
    """Every transactional test restores the rows the migrations wrote (taxonomy, content types) when it
    ends: without serialized_rollback, its flush leaves the next serialized test to insert them twice
    (UNIQUE constraint on django_content_type), so the suite's outcome would hang on test order."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = ("transactional_db" in item.fixturenames or "live_server" in item.fixturenames
                         or (marker is not None and marker.kwargs.get("transaction")))
        if transactional and not (marker is not None and marker.kwargs.get("serialized_rollback")):
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
        # A transactional test ends by emptying the database (its rows come back at the next one's start),
        # so it must run after every plain test of its process: scripts/test runs the plain ones on every
        # core (pytest-xdist hands a worker modules in any order) and these in one process after them.
        if transactional:
            item.add_marker(pytest.mark.transactional)
