"""A round in a real Chromium on a phone (390 px): the 居委 head prints the label sheet, the grid worker
opens the label's URL (what the phone's camera reads from the QR code), fails an item with a photo, the
check shows the case it filed, the 城运中心 and the department take the case to closure through the case
pages, and the check then shows the case closed. No page wider than the screen, no JavaScript errors."""


import pytest
from PIL import Image

from jiedao.cases.models import Case
from jiedao.core.models import Department
from jiedao.core.roles import Role, ScopeLevel
from jiedao.testing import browser_sign_in, in_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def live_round(transactional_db, insp_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = insp_world
    for department in Department.objects.filter(subdistrict=w.sub):
        make_user(f"handler_{department.code.lower()}", role=Role.HANDLER, subdistrict=w.sub,
                  level=ScopeLevel.DEPARTMENT, department=department)
    photo = tmp_path / "clutter.png"
    Image.new("RGB", (48, 36), (150, 90, 30)).save(photo, format="PNG")
    return {"point": w.point.pk, "photo": str(photo)}


def no_wider_than_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width} px wide"


def step(page, action, note=""):
    page.click(f"details[data-action={action}] summary")
    if note:
        page.fill(f"textarea[name='{action}-note']", note)
    page.click(f"details[data-action={action}] button[type=submit]")
    page.wait_for_selector(f".timeline .event[data-kind={DONE[action]}]")


DONE = {"accept": "accepted", "contact": "contacted", "handle": "handled", "close": "closed"}


def test_a_round_from_printed_label_to_a_closed_case_on_a_phone(live_round, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})

    browser_sign_in(page, url, "head1", "/inspections/")
    no_wider_than_the_screen(page)
    page.check(f"input[name=point][value='{live_round['point']}']")
    page.click("[data-testid=print-labels]")
    label = page.wait_for_selector(".label[data-code='LD-0001']")
    assert "扫码登记楼道巡查" in label.inner_text() and label.query_selector("svg") is not None
    scan_url = label.get_attribute("data-url")
    assert scan_url.startswith(f"{url}/inspections/q/")

    browser_sign_in(page, url, "grid_worker", "/inspections/mine/")
    assert "还有 1 个点位未检查" in page.inner_text("main")
    page.goto(scan_url)
    assert "LD-0001" in page.inner_text("[data-testid=point]")
    no_wider_than_the_screen(page)
    page.check("input[name='item-clutter'][value=fail]")
    page.fill("input[name='note-clutter']", "二楼楼梯口堆放纸箱")
    page.set_input_files("input[name='photo-clutter']", live_round["photo"])
    for code in ("flying_wire", "extinguisher", "lighting"):
        page.check(f"input[name='item-{code}'][value=pass]")
    page.click("#scan-form button[type=submit]")
    page.wait_for_selector("[data-testid=results]")
    assert "立案 1 件" in page.inner_text(".messages")
    no_wider_than_the_screen(page)
    link = page.locator("tr[data-item=clutter] a.case-link")
    number = link.inner_text()
    assert number and page.locator("tr[data-passed='0']").count() == 1

    browser_sign_in(page, url, "operator", f"/cases/{number}/")
    assert "二楼楼梯口堆放纸箱" in page.inner_text("main")
    page.click("details[data-action=register] summary")
    page.click("details[data-action=register] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=registered]")
    page.click("button.open-dialog[data-dialog=dialog-dispatch]")
    page.locator("#dialog-dispatch button[type=submit]").click()
    page.wait_for_selector(".timeline .event[data-kind=dispatched]")
    department = in_thread(lambda: Case.objects.select_related("department").get(number=number).department.code)

    browser_sign_in(page, url, f"handler_{department.lower()}", f"/cases/{number}/")
    step(page, "accept")
    step(page, "contact", "已联系物业")
    step(page, "handle", "纸箱已清理")

    browser_sign_in(page, url, "operator", f"/cases/{number}/")
    step(page, "close")
    assert page.inner_text("[data-testid=status]") == "已结案"

    browser_sign_in(page, url, "grid_worker", "/inspections/mine/")
    page.click("ul.checks a")
    assert "已结案" in page.inner_text("tr[data-item=clutter]")
    no_wider_than_the_screen(page)
    assert errors == []
