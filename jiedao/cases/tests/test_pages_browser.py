"""The closed loop in a real browser: the operator registers and dispatches through the dialog, the handler
accepts, contacts and reports back with a photo, the operator closes; the timeline on the page after each
step, a stale form refused, and no JavaScript errors."""


import pytest
from PIL import Image

from jiedao.cases import services
from jiedao.cases.models import Attachment, Case, Category, Channel
from jiedao.testing import in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def live_case(transactional_db, cases_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    case = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator,
                           description="兰溪路200弄5号楼下饭店每天半夜搬东西，声音很大", address="兰溪路200弄5号",
                           reporter_name="王先生", reporter_phone="13812345678").case
    photo = tmp_path / "after.png"
    Image.new("RGB", (40, 30), (30, 120, 60)).save(photo, format="PNG")
    return {"number": case.number, "noise": Category.objects.get(name="噪音扰民").code, "photo": str(photo)}


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/login/?next=/cases/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('案件')")


def kinds(page) -> list[str]:
    return page.eval_on_selector_all(".timeline .event", "els => els.map(e => e.dataset.kind)")


def step(page, action, note=""):
    page.click(f"details[data-action={action}] summary")
    if note:
        page.fill(f"textarea[name='{action}-note']", note)
    page.click(f"details[data-action={action}] button[type=submit]")


def test_the_closed_loop_through_the_pages(live_case, live_server, browser_page):
    page, errors = browser_page
    number, url = live_case["number"], live_server.url
    sign_in(page, url, "operator")
    page.click(f"a:has-text('{number}')")
    page.wait_for_selector("#case-map[data-ready='1']")
    assert kinds(page) == ["created"]
    assert page.inner_text("[data-testid=phone]") == "138****5678"

    page.click("details[data-action=register] summary")
    page.select_option("select[name='register-category']", live_case["noise"])
    page.click("details[data-action=register] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=registered]")
    assert page.inner_text("[data-testid=status]") == "待派遣"

    # 派遣 dialog: the routed department and process are preselected and the time limit is shown.
    page.click("button.open-dialog[data-dialog=dialog-dispatch]")
    dialog = page.locator("#dialog-dispatch")
    assert dialog.is_visible()
    assert dialog.locator("select[name='dispatch-department'] option:checked").inner_text() == "城管执法中队"
    assert "1 个工作日" in dialog.locator("[data-testid=due-preview]").inner_text()
    dialog.locator("textarea[name='dispatch-note']").fill("请今晚到场")
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector(".timeline .event[data-kind=dispatched]")
    assert "城管执法中队" in page.inner_text(".timeline .event[data-kind=dispatched]")
    assert "请今晚到场" in page.inner_text(".timeline .event[data-kind=dispatched]")

    sign_in(page, url, "chengguan")
    page.click(f"a:has-text('{number}')")
    page.wait_for_selector("details[data-action=accept]")
    step(page, "accept")
    page.wait_for_selector(".timeline .event[data-kind=accepted]")
    step(page, "contact", "已电话联系王先生，今晚到场")
    page.wait_for_selector(".timeline .event[data-kind=contacted]")
    page.click("details[data-action=handle] summary")
    page.fill("textarea[name='handle-note']", "已责令饭店停止夜间装卸")
    page.set_input_files("input[name='handle-photos']", live_case["photo"])
    page.click("details[data-action=handle] button[type=submit]")
    handled = page.wait_for_selector(".timeline .event[data-kind=handled]")
    image = handled.query_selector("img")
    page.wait_for_function("img => img.complete && img.naturalWidth === 40", arg=image)
    assert page.inner_text("[data-testid=status]") == "待核查"

    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    step(page, "close")
    page.wait_for_selector(".timeline .event[data-kind=closed]")
    assert kinds(page) == ["created", "registered", "dispatched", "accepted", "contacted", "handled", "closed"]
    assert page.inner_text("[data-testid=status]") == "已结案"
    assert errors == []
    case = in_thread(lambda: Case.objects.select_related("department").get(number=number))
    assert case.closed_on_time is True and case.department.code == "CGZD"
    assert in_thread(lambda: Attachment.objects.filter(case=case, event__kind="handled").count()) == 1


def test_a_form_left_open_while_someone_else_acts_is_refused(live_case, live_server, browser_page):
    page, errors = browser_page
    number, url = live_case["number"], live_server.url
    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    page.click("details[data-action=register] summary")
    page.select_option("select[name='register-category']", live_case["noise"])
    page.fill("textarea[name='register-note']", "市民反映多次")
    # Meanwhile another operator registers the case.
    in_thread(lambda: services.perform(case=Case.objects.get(number=number), action="note", by=_operator(),
                                       note="已由另一位操作员补充"))
    page.click("details[data-action=register] button[type=submit]")
    page.wait_for_selector(".errorlist.nonfield")
    assert "已被他人更新" in page.inner_text(".errorlist.nonfield")
    assert page.input_value("textarea[name='register-note']") == "市民反映多次"
    assert kinds(page) == ["created", "note"]  # the page now shows what the other operator did
    # Chromium logs the page's own 409 status as a console error; that status is the point here.
    assert [e for e in errors if "status of 409 (Conflict)" not in e] == []


def _operator():
    from jiedao.core.models import User

    return User.objects.get(username="operator")


def dispatch_in_dialog(page, kind="dispatch", department=None):
    page.click(f"button.open-dialog[data-dialog=dialog-{kind}]")
    dialog = page.locator(f"#dialog-{kind}")
    if department:
        dialog.locator(f"select[name='{kind}-department']").select_option(label=department)
    if kind == "reopen":
        dialog.locator("textarea[name='reopen-note']").fill("市民不满意，重新办理")
    dialog.locator("button[type=submit]").click()


def test_the_detours_through_the_pages(live_case, live_server, browser_page):
    """退回 and re-dispatch, 延期 asked and approved, 返工, 回访 不满意 and 重新办理, all by clicking."""
    page, errors = browser_page
    number, url = live_case["number"], live_server.url
    in_thread(lambda: services.perform(case=Case.objects.get(number=number), action="register", by=_operator(),
                                       category=live_case["noise"]))
    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    dispatch_in_dialog(page, department="派出所")
    page.wait_for_selector(".timeline .event[data-kind=dispatched]")

    sign_in(page, url, "police")
    page.goto(f"{url}/cases/{number}/")
    step(page, "return", "商户噪音应由城管处理")
    page.wait_for_url(f"{url}/cases/")  # no longer theirs: back to their queue, where it is gone
    assert number not in page.inner_text("main")

    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    assert page.inner_text("[data-testid=status]") == "待派遣"
    assert "商户噪音应由城管处理" in page.inner_text(".timeline .event[data-kind=returned]")
    dispatch_in_dialog(page, department="城管执法中队")
    page.wait_for_selector(".timeline .event[data-kind=dispatched] >> nth=1")

    sign_in(page, url, "chengguan")
    page.goto(f"{url}/cases/{number}/")
    step(page, "accept")
    page.wait_for_selector(".timeline .event[data-kind=accepted]")
    step(page, "contact", "已联系")
    page.wait_for_selector(".timeline .event[data-kind=contacted]")
    page.click("details[data-action=request_extension] summary")
    page.fill("input[name='request_extension-days']", "3")
    page.fill("textarea[name='request_extension-note']", "需协调商户")
    page.click("details[data-action=request_extension] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=extension_requested]")

    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    step(page, "approve_extension")
    page.wait_for_selector(".timeline .event[data-kind=extension_approved]")

    sign_in(page, url, "chengguan")
    page.goto(f"{url}/cases/{number}/")
    step(page, "handle", "已处理")
    page.wait_for_selector(".timeline .event[data-kind=handled]")

    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    step(page, "rework", "现场仍有噪音")
    page.wait_for_selector(".timeline .event[data-kind=rework]")

    sign_in(page, url, "chengguan")
    page.goto(f"{url}/cases/{number}/")
    step(page, "handle", "已再次处理")
    page.wait_for_selector(".timeline .event[data-kind=handled] >> nth=1")

    sign_in(page, url, "operator")
    page.goto(f"{url}/cases/{number}/")
    step(page, "close")
    page.wait_for_selector(".timeline .event[data-kind=closed]")
    page.click("details[data-action=visit] summary")
    page.check("input[name='visit-rating'][value='1']")
    page.fill("textarea[name='visit-note']", "仍然很吵")
    page.click("details[data-action=visit] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=visited]")
    dispatch_in_dialog(page, kind="reopen")
    page.wait_for_selector(".timeline .event[data-kind=reopened]")
    assert page.inner_text("[data-testid=status]") == "待签收"
    assert kinds(page) == ["created", "registered", "dispatched", "returned", "dispatched", "accepted", "contacted",
                           "extension_requested", "extension_approved", "handled", "rework", "handled", "closed",
                           "visited", "reopened"]
    assert errors == []
    case = in_thread(lambda: Case.objects.get(number=number))
    assert (case.returned_count, case.rework_count, case.extended, case.rating) == (1, 1, True, 1)
