"""The case pages as the 城运中心, the departments and residents meet them in a browser (issue 13): the 12345
desk form with its hints as the operator types, the next step of a case as the highlighted button, the
resident's card with the department and its reply before the rating, the queue on a 390 px phone, and the
pages in English. No JavaScript errors on any of them."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jiedao.cases import services
from jiedao.cases.models import Case, Channel
from jiedao.cases.tests.test_pages_browser import in_thread
from jiedao.testing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOISE = "兰溪路200弄5号楼下饭店每天半夜搬东西，声音很大，睡不着"


def next_actions(page) -> list[str]:
    """The highlighted step(s) of the case page, and whether each is drawn filled (not a plain link)."""
    return page.eval_on_selector_all(".case-actions .next-action", """els => els.map(e => {
        const target = e.tagName === 'DETAILS' ? e.querySelector('summary') : e;
        const style = getComputedStyle(target);
        const filled = style.backgroundColor !== 'rgba(0, 0, 0, 0)' && style.color === 'rgb(255, 255, 255)';
        return (e.dataset.action || e.dataset.dialog.replace('dialog-', '')) + (filled ? '' : ' (not filled)');
    })""")


@pytest.fixture
def open_case(transactional_db, cases_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    case = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=NOISE,
                           address="兰溪路200弄5号", category="噪音扰民", reporter_name="王先生",
                           reporter_phone="13812345678", external_id="2611010001",
                           reported_at=timezone.now() - dt.timedelta(hours=1)).case
    return case.number


def test_the_operator_enters_a_12345_order_with_hints_and_registers_it_next(open_case, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    browser_sign_in(page, url, "operator", "/cases/")
    page.click("[data-testid=report]")
    page.wait_for_url(f"{url}/cases/hotline/")
    assert page.inner_text("h1") == "12345 工单录入"

    page.fill("#id_external_id", "2611020007")
    page.fill("#id_reporter_name", "李女士")
    page.fill("#id_reporter_phone", "13900001111")
    page.type("#id_description", "兰溪路200弄5号楼下饭店半夜搬东西，声音太大")
    suggestion = page.wait_for_selector("[data-testid=hint-suggestion]:not([hidden])")
    assert "S0504 噪音扰民" in suggestion.inner_text()
    assert not re.search(r"\s[0-4]%", suggestion.inner_text())  # no alternative below the floor
    page.type("#id_address", "兰溪路200弄5号")
    address = page.wait_for_selector("[data-testid=hint-address]:not([hidden])")
    page.wait_for_function("() => document.querySelector('[data-testid=hint-address]').innerText.includes('网格')")
    assert "兰溪路200弄5号" in address.inner_text() and "曹杨一村" in address.inner_text()
    duplicate = page.wait_for_selector("[data-testid=hint-duplicate]:not([hidden])")
    assert open_case in duplicate.inner_text()
    page.click("[data-testid=hint-suggestion] button.use")
    assert page.input_value("#id_category") == "S0504"
    page.wait_for_function("() => (document.getElementById('hotline-form').dataset.previewed || '')"
                           ".includes('category=S0504')")  # the hints asked again with the category

    page.click("#hotline-form button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=created]")
    number = page.inner_text("h1 .number")
    assert number != open_case and "已受理，案件编号" in page.inner_text(".messages")
    assert "2611020007" in page.inner_text(".facts") and page.inner_text("[data-testid=phone]") == "139****1111"
    assert open_case in page.inner_text("[data-testid=duplicate]")
    assert next_actions(page) == ["register"]  # 立案, drawn as the filled button
    case = in_thread(lambda: Case.objects.select_related("category", "possible_duplicate_of").get(number=number))
    assert (case.channel, case.category.code, case.possible_duplicate_of.number) == ("hotline", "S0504", open_case)
    assert errors == []


def test_the_next_step_of_the_case_is_the_highlighted_button(open_case, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    browser_sign_in(page, url, "operator", f"/cases/{open_case}/")
    assert next_actions(page) == ["register"]
    page.click("details[data-action=register] summary")
    page.click("details[data-action=register] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=registered]")
    assert next_actions(page) == ["dispatch"]
    page.click("button.open-dialog[data-dialog=dialog-dispatch]")
    page.locator("#dialog-dispatch").locator("select[name='dispatch-department']").select_option(label="城管执法中队")
    page.locator("#dialog-dispatch button[type=submit]").click()
    page.wait_for_selector(".timeline .event[data-kind=dispatched]")
    assert next_actions(page) == []  # the operator has nothing to do until the department reports back

    browser_sign_in(page, url, "chengguan", f"/cases/{open_case}/")
    assert next_actions(page) == ["accept"]  # 签收
    page.click("details[data-action=accept] summary")
    page.click("details[data-action=accept] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=accepted]")
    assert next_actions(page) == ["contact"]  # then 先行联系, before 处置反馈
    page.click("details[data-action=contact] summary")
    page.fill("textarea[name='contact-note']", "已电话联系王先生")
    page.click("details[data-action=contact] button[type=submit]")
    page.wait_for_selector(".timeline .event[data-kind=contacted]")
    assert next_actions(page) == ["handle"]
    page.click("details[data-action=handle] summary")
    assert "反映人可见" in page.inner_text("details[data-action=handle]")  # the reply is written for the resident
    assert errors == []


@pytest.fixture
def answered(transactional_db, cases_world, settings, tmp_path):
    """A resident's report, handled and closed: the department's reply quotes a phone number, the first
    contact's note quotes the resident, and an operator's remark is internal."""
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    case = services.resident_report(by=w.resident, subdistrict=w.sub, description=NOISE, address="兰溪路200弄5号")
    steps = [("register", w.operator, "", {"category": "噪音扰民"}), ("note", w.operator, "内部：老板是熟人", {}),
             ("dispatch", w.operator, "", {"department": "CGZD"}), ("accept", w.chengguan, "", {}),
             ("contact", w.chengguan, "居民郑阿姨说每晚十一点以后最吵", {}),
             ("handle", w.chengguan, "已责令饭店夜间停止装卸，店主电话13911112222，如再发生请拨打", {}),
             ("close", w.operator, "", {})]
    for action, who, note, extra in steps:
        case = services.perform(case=case, action=action, by=who, note=note, **extra)
    return case.number


def test_a_resident_reads_the_department_and_its_reply_before_rating(answered, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    browser_sign_in(page, url, "resident", "/portal/cases/")
    card = page.locator(f"#case-{answered}")
    assert card.locator("[data-testid=department]").inner_text() == "城管执法中队"
    reply = card.locator("[data-testid=reply]").inner_text()
    assert reply.startswith("已责令饭店夜间停止装卸") and "139****2222" in reply and "13911112222" not in reply
    text = card.inner_text()
    assert "每晚十一点" not in text and "内部" not in text  # the first contact's and the staff's notes
    # The answer comes first, then the question.
    order = page.evaluate("""n => {
        const card = document.getElementById('case-' + n);
        const answer = card.querySelector('[data-testid=answer]'), form = card.querySelector('form.rate-form');
        return answer.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING ? 'answer, then rating' : 'no';
    }""", answered)
    assert order == "answer, then rating"
    card.locator("input[value='3']").check()
    card.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    assert in_thread(lambda: Case.objects.get(number=answered).rating) == 3
    assert errors == []


@pytest.fixture
def queue_cases(transactional_db, cases_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    texts = [(NOISE, "兰溪路200弄5号"), ("梅岭北路41号门口垃圾堆了一个星期没人清运，天热发臭", "梅岭北路41号"),
             ("兰溪路200弄6号楼道里堆满杂物，消防通道被占", "兰溪路200弄6号")]
    for i, (text, address) in enumerate(texts):
        services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=text,
                        address=address, external_id=f"26110100{i:02d}", reported_at=timezone.now())
    services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, description=NOISE + "，反映多次",
                    address="兰溪路200弄5号", external_id="2611010099")  # flagged as a likely duplicate
    return w


def test_on_a_phone_the_queue_is_a_list_of_cards_no_wider_than_the_screen(queue_cases, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    for username in ("operator", "grid_worker"):
        browser_sign_in(page, url, username, "/cases/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        rows = page.locator("tr.case-row")
        assert rows.count() >= 1
        box = rows.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        description = rows.first.locator("td.desc").bounding_box()
        assert description["width"] >= 300  # a line of text, not a column one character wide
        assert rows.first.locator("td[data-label]").first.evaluate("td => getComputedStyle(td, '::before').content") \
            != "none"  # each value carries its label
    assert errors == []


def test_the_case_pages_speak_english_down_to_the_categories(queue_cases, live_server, browser_page):
    page, errors = browser_page
    url = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.goto(f"{url}/login/?next=/cases/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/cases/")
    assert page.inner_text("label[for=id_channel]") == "Source"
    main = page.inner_text("main")
    assert "Possible duplicate" in main and "Possible duplicate of" not in main
    assert "Noise nuisance" in main and "噪音扰民" not in main
    number = page.get_attribute("tr.case-row >> nth=0", "data-number")
    page.goto(f"{url}/cases/{number}/")
    assert page.title().startswith(f"Case {number}") and page.inner_text("h1").startswith("Case ")
    assert "Cases" not in page.inner_text("h1")
    assert errors == []
