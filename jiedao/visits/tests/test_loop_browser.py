"""The whole loop in a browser on a 390 px phone: the head sets the plan, the periodic job makes the task, the
worker is reminded, scans the household's code, fills the form with a problem (first with no network: kept
on the phone and sent once when it is back), the problem becomes a case, the case is closed, the job makes
the 回访 task, the worker does the 回访 and leaves the card, and the resident rates it without an account."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.testing import browser_sign_in, in_thread
from jiedao.visits.tests.conftest import issue_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def loop_world(transactional_db, vw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return {"red": vw.red.pk, "token": issue_code(vw.red), "community": vw.c2.pk}


def test_plan_task_reminder_scan_problem_case_return_visit_and_rating(loop_world, live_server, browser_page):
    from jiedao.cases import services as case_services
    from jiedao.cases.models import Case
    from jiedao.core.models import User
    from jiedao.visits import services
    from jiedao.visits.models import FeedbackCode, Reminder, Visit, VisitTask

    page, errors = browser_page
    page.set_viewport_size(PHONE)
    url = live_server.url

    # 计划: the head keeps red households monthly (their own plan) on the plan page.
    browser_sign_in(page, url, "head", "/visits/plan/")
    page.click("tr[data-rule=red] details summary")
    page.select_option("tr[data-rule=red] select[name=every_months]", "1")
    page.click("tr[data-rule=red] button.primary")
    page.wait_for_selector(".message-success")

    # 任务 and 提醒: the periodic job makes this month's tasks; near its end the worker is reminded.
    def schedule():
        services.run_schedule()
        task = VisitTask.objects.get(household_id=loop_world["red"], kind="routine")
        VisitTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() + dt.timedelta(days=1))
        services.send_reminders(subdistrict_id=task.subdistrict_id)
        return task.assignee.username

    worker = in_thread(schedule)
    browser_sign_in(page, url, worker, "/visits/")
    assert page.inner_text("[data-testid=unread]") == "1"
    assert "红色户每月走访" in page.inner_text("[data-testid=due-soon]")
    page.click("text=提醒")
    assert page.locator("[data-testid=inbox] li[data-kind=due_soon]").count() == 1

    # 扫码 and the form, first without a network: kept on the phone, sent once when the network is back.
    page.goto(f"{url}/visits/h/{loop_world['token']}")
    page.check("input[name=met_residents]")
    page.check("input[name=item-gas][value=problem]")
    page.check("input[name=item-smoke][value=ok]")
    page.fill("textarea[name=note]", "住户在家，厨房燃气软管发硬开裂，闻到煤气味，已关总阀。老人腿脚还好，女儿每周来。")
    page.click("details.panel summary")
    page.fill("textarea[name=problem]", "住户家中燃气软管老化开裂，有漏气危险，需尽快更换")
    page.context.set_offline(True)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=kept]:not([hidden])")
    assert in_thread(lambda: Visit.objects.count()) == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=queue]:has-text('已全部发送')")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # once more: nothing left, nothing sent twice
    assert in_thread(lambda: (Visit.objects.count(), Case.objects.count())) == (1, 1)

    # 问题处置: the visit shows its case, which the 城运中心 and the department then close.
    visit_id = in_thread(lambda: Visit.objects.get().pk)
    page.goto(f"{url}/visits/v/{visit_id}/")
    assert page.locator("[data-testid=cases] [data-status=new]").count() == 1

    def close_case():
        case = Case.objects.get()
        operator, chengguan = User.objects.get(username="operator"), User.objects.get(username="chengguan")
        case = case_services.perform(case=case, action="register", by=operator, category="S0802")
        case = case_services.perform(case=case, action="dispatch", by=operator, department="CGZD")
        case = case_services.perform(case=case, action="accept", by=chengguan)
        if case.process.first_contact_required:
            case = case_services.perform(case=case, action="contact", by=chengguan, note="已电话联系住户")
        case = case_services.perform(case=case, action="handle", by=chengguan, note="燃气公司已上门更换软管")
        case_services.perform(case=case, action="close", by=operator)
        services.run_schedule()  # the periodic job: the 回访 within 5 working days
        return Reminder.objects.count()

    in_thread(close_case)
    page.reload()
    assert page.locator("[data-testid=cases] [data-status=closed]").count() == 1

    # 回访: the task is on the worker's list; the worker scans again, writes the 回访 and shows the card.
    page.goto(f"{url}/visits/")
    assert "案件办结后 5 个工作日内回访" in page.inner_text("[data-testid=due-soon]")
    page.goto(f"{url}/visits/h/{loop_world['token']}")
    page.fill("textarea[name=note]", "回访：燃气公司已经上门换了新软管，没有煤气味了，住户说谢谢居委。")
    page.click("[data-testid=submit]")
    page.wait_for_url(f"{url}/visits/v/**")
    page.click("[data-testid=card-link]")
    feedback_url = page.inner_text("[data-testid=feedback-url]")
    assert "/visits/f/" in feedback_url
    assert in_thread(lambda: Visit.objects.filter(return_visit=True).count()) == 1

    # 扫码反馈: the resident, with no account, rates the handling of the problem once.
    page.context.clear_cookies()
    page.goto(feedback_url)
    assert "请评价您反映问题的处置" in page.inner_text("h1")
    page.check("input[name=rating][value='3']")
    page.fill("textarea[name=comment]", "换得很及时")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=thanks]")
    assert errors == []
    page.goto(feedback_url)  # the same card again: refused (410, which the browser reports as a failed load)
    assert page.get_attribute("[data-testid=refused]", "data-reason") == "used"
    assert [e for e in errors if "410" not in e] == []
    errors.clear()
    rated = in_thread(lambda: list(FeedbackCode.objects.filter(rating__isnull=False).values_list("rating", "case_id")))
    assert len(rated) == 1 and rated[0][0] == 3 and rated[0][1] is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
